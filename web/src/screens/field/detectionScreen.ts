// Detection lists for the ward's staff (`/phat-hien`): assets without the
// permit they need, completed permits whose as-built assets are missing or
// elsewhere, cables found unlabelled — each row with one click to open a
// violation (server/src/detection).

import { ApiError } from '../../api/client';
import { fieldApi, type DetectionList, type DetectionRow } from '../../api/field';
import { formatDate, formatNumber, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { describeError, errorBox, toast } from '../../ui/messages';
import { page } from './common';

const LISTS: { list: DetectionList; label: MessageKey }[] = [
  { list: 'unpermitted', label: 'detection.unpermitted' },
  { list: 'as-built', label: 'detection.asBuilt' },
  { list: 'unlabelled', label: 'detection.unlabelled' },
];

function describe(list: DetectionList, row: DetectionRow): string {
  switch (list) {
    case 'unpermitted':
      return `${row.kind} ${row.code}${row.tower_class ? ` (${row.tower_class})` : ''} · ${row.operator} · ${t('detection.registered', { date: formatDate(row.registered_on ?? null) })}`;
    case 'as-built':
      return `${row.reference} ${row.title} · ${row.operator} · ${row.problem === 'no_as_built' ? t('detection.noAsBuilt') : t('detection.far', { distance: formatNumber(row.distance_m ?? 0, 0) })}`;
    case 'unlabelled':
      return `${row.asset_code ?? '—'} · ${[row.responsible_operator, ...(row.cable_operators ?? [])].filter(Boolean).join(', ')} · ${formatDate(row.observed_at ?? null)}`;
  }
}

function subject(list: DetectionList, row: DetectionRow): number {
  return (list === 'unpermitted' ? row.asset_id : list === 'as-built' ? row.permit_id : row.finding_id) ?? 0;
}

export function detectionScreen(): Screen {
  return {
    async render(root) {
      let current: DetectionList = 'unpermitted';
      const tabs = h('div', { class: 'field-tabs', role: 'tablist' });
      const body = h('div', { 'data-testid': 'detection-rows' });
      const show = async () => {
        replace(tabs, LISTS.map(({ list, label }) => h('button', { type: 'button', role: 'tab', 'aria-selected': String(list === current), class: 'field-tab', 'data-testid': `detection-tab-${list}`, onclick: () => {
          current = list;
          void show();
        } }, t(label))));
        replace(body, loading(t('app.loading')));
        try {
          const rows = await fieldApi.detection(current);
          const list = current;
          replace(
            body,
            rows.length === 0
              ? h('p', { class: 'muted' }, t('detection.empty'))
              : rows.map((row) => {
                  const id = subject(list, row);
                  const outcome = h('div', {});
                  const whose = list === 'unlabelled' && !row.responsible_operator && (row.cable_operators?.length ?? 0) > 1
                    ? h('select', { 'aria-label': t('detection.whose'), 'data-testid': 'detection-operator' }, (row.cable_operators ?? []).map((o) => h('option', { value: o }, o)))
                    : null;
                  const button = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'detection-open', onclick: async () => {
                    button.disabled = true;
                    try {
                      const violation = await fieldApi.openViolation(list, id, whose?.value);
                      replace(outcome, h('a', { href: `/vi-pham/${violation.id}`, 'data-testid': 'detection-opened' }, t('detection.opened', { reference: violation.reference })));
                      button.remove();
                      whose?.remove();
                    } catch (error) {
                      button.disabled = false;
                      toast(describeError(error), 'error');
                    }
                  } }, t('detection.open'));
                  if (row.violation) replace(outcome, h('a', { href: `/vi-pham/${row.violation_id}`, 'data-testid': 'detection-opened' }, t('detection.opened', { reference: row.violation })));
                  return h('div', { class: 'field-card', 'data-testid': 'detection-row', 'data-id': String(id) }, h('div', {}, describe(list, row)), h('div', { class: 'muted small' }, [row.ward_name, row.legal_basis].filter(Boolean).join(' · ')), row.violation ? null : [whose, button], outcome);
                }),
          );
        } catch (error) {
          replace(body, errorBox(error, () => void show()));
        }
      };
      page(root, 'detection-screen', h('h1', {}, t('detection.title')), h('p', { class: 'muted' }, t('detection.lead')), tabs, body);
      await show();
    },
  };
}
