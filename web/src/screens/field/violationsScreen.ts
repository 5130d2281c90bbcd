// Violations: the list (`/vi-pham`; the ward's staff their wards', an
// operator its own) and one violation (`/vi-pham/{id}`) with its legal
// basis, deadline, photos and timeline; the operator reports it fixed with
// a photo, the ward verifies it, finds it not fixed, or cancels it.

import { ApiError } from '../../api/client';
import { fieldApi, type Violation, type ViolationAction, type ViolationDetail } from '../../api/field';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { formatDate, formatDateTime, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { describeError, errorBox, toast } from '../../ui/messages';
import { badge, field, offlineNotice, page, photoPicker, sendOrQueue } from './common';
import { problemWords } from '../../i18n/problems';

function stateBadge(v: Pick<Violation, 'state' | 'overdue'>): HTMLElement {
  const tone = v.state === 'closed' ? 'good' : v.state === 'fixed' ? 'info' : v.overdue ? 'bad' : v.state === 'cancelled' ? 'neutral' : 'warn';
  return badge(t(`violation.state.${v.state}` as MessageKey), tone, 'violation-state');
}

function dueValue(v: Violation): string {
  if (v.working_days_left === null) return formatDate(v.fix_due);
  const left = v.working_days_left;
  return `${formatDate(v.fix_due)} — ${left < 0 ? t('incident.overdue', { days: -left }) : t('incident.left', { days: left })}`;
}

function dueText(v: Violation): string {
  return `${t('violation.due')}: ${dueValue(v)}`;
}

export function violationsScreen(_app: App, query: URLSearchParams): Screen {
  return {
    async render(root, signal) {
      if (!currentSession().user) {
        page(root, 'login-first', h('a', { href: '/login?next=/vi-pham', class: 'button button-primary' }, t('auth.login')));
        return;
      }
      let state = query.get('state') ?? 'open';
      const list = h('div', { class: 'field-list', 'data-testid': 'violation-list' }, loading(t('app.loading')));
      const select = h('select', { id: 'violation-state', 'data-testid': 'violation-filter' }, h('option', { value: 'open' }, t('violation.filterOpen')), h('option', { value: 'all' }, t('violation.filterAll')));
      select.value = state;
      const load = async () => {
        replace(list, loading(t('app.loading')));
        try {
          const rows = await fieldApi.violations(state);
          replace(
            list,
            rows.length === 0
              ? h('p', { class: 'muted' }, t('violation.empty'))
              : rows.map((v) =>
                  h(
                    'a',
                    { href: `/vi-pham/${v.id}`, class: 'field-card', 'data-testid': 'violation-card', 'data-reference': v.reference },
                    h('div', { class: 'field-card-head' }, h('strong', {}, v.reference), stateBadge(v)),
                    h('div', {}, v.title),
                    h('div', { class: 'muted small' }, [v.operator, v.ward_name, v.asset_code].filter(Boolean).join(' · ')),
                    h('div', { class: 'small' }, dueText(v)),
                  ),
                ),
          );
        } catch (error) {
          replace(list, errorBox(error, () => void load()));
        }
      };
      select.addEventListener('change', () => {
        state = select.value;
        void load();
      });
      page(root, 'violations-screen', h('h1', {}, t('violation.title')), offlineNotice(), field(t('track.status'), select), list);
      await load();
    },
  };
}

export function violationScreen(_app: App, id: number): Screen {
  return {
    async render(root, signal) {
      const body = page(root, 'violation-page', loading(t('app.loading')));
      let v: ViolationDetail;
      try {
        v = await fieldApi.violation(id);
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          replace(body, h('a', { href: `/login?next=/vi-pham/${id}`, class: 'button button-primary' }, t('auth.login')));
          return;
        }
        replace(body, errorBox(error, () => void this.render(root, signal)));
        return;
      }
      const stepArea = h('div', { 'data-testid': 'violation-step' });
      const open = (action: ViolationAction) => {
        const note = h('textarea', { id: 'violation-note', rows: 3, 'data-testid': 'violation-note' });
        const pictures = action === 'report_fixed' ? photoPicker('violation-photo', t('violation.photo')) : null;
        const problems = h('div', { class: 'notice notice-error', hidden: true, role: 'alert', 'data-testid': 'violation-problems' });
        const send = h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'violation-submit' }, t(`violation.action.${action}` as MessageKey));
        const form = h('form', { class: 'field-form' }, h('h2', {}, t(`violation.action.${action}` as MessageKey)), pictures?.element ?? null, field(t('incident.note'), note), problems, send);
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          send.disabled = true;
          const photos = pictures?.photos() ?? [];
          const data: Record<string, unknown> = { photos: photos.map((p) => p.taken) };
          if (note.value.trim()) data.note = note.value.trim();
          try {
            const after = await sendOrQueue(() => fieldApi.violationStep(id, action, data, photos.map((p) => p.blob)), {
              kind: 'violation_step',
              url: `/api/v1/violations/${id}/actions/${action}`,
              data,
              photos,
              label: `${v.reference}: ${t(`violation.action.${action}` as MessageKey)}`,
            });
            if (after) {
              toast(`${after.reference}: ${t(`violation.state.${after.state}` as MessageKey)}`, 'success');
              await this.render(root, signal);
            }
          } catch (error) {
            send.disabled = false;
            problems.hidden = false;
            if (error instanceof ApiError && error.details.length) replace(problems, error.details.map((d) => h('p', {}, `${d.field}: ${problemWords(d)}`)));
            else replace(problems, h('p', {}, describeError(error)));
          }
        });
        replace(stepArea, form);
      };
      replace(
        body,
        h('h1', {}, v.reference),
        offlineNotice(),
        h('div', { class: 'field-card-head' }, stateBadge(v)),
        h('p', { class: 'field-description', 'data-testid': 'violation-title' }, v.title),
        h(
          'dl',
          { class: 'field-facts' },
          h('dt', {}, t('violation.legalBasis')),
          h('dd', { 'data-testid': 'violation-legal-basis' }, v.legal_basis),
          h('dt', {}, t('violation.operator')),
          h('dd', {}, v.operator),
          h('dt', {}, t('violation.due')),
          h('dd', {}, dueValue(v)),
          v.asset_code ? [h('dt', {}, 'Tài sản'), h('dd', {}, h('a', { href: `/assets/${v.asset_id}` }, `${v.asset_code} (${v.asset_kind})`))] : null,
          v.follow_up_round_id ? [h('dt', {}, t('violation.followUp')), h('dd', {}, h('a', { href: `/kiem-tra/${v.follow_up_round_id}` }, `#${v.follow_up_round_id}`))] : null,
        ),
        v.description ? h('p', {}, v.description) : null,
        v.photos.length ? h('div', { class: 'field-photos', 'data-testid': 'violation-photos' }, v.photos.map((p) => h('figure', { class: 'field-photo' }, h('img', { src: p.href, alt: p.purpose })))) : null,
        h('div', { class: 'field-step-buttons' }, v.actions.map((a) => h('button', { type: 'button', class: a === 'report_fixed' || a === 'verify' ? 'button button-primary field-big-button' : 'button field-big-button', 'data-testid': `violation-action-${a}`, onclick: () => open(a) }, t(`violation.action.${a}` as MessageKey)))),
        stepArea,
        h('h2', {}, t('incident.timeline')),
        h('ol', { class: 'field-timeline' }, v.timeline.map((e) => h('li', {}, h('span', { class: 'muted' }, formatDateTime(e.at)), ' ', t(`violation.action.${e.action}` as MessageKey), ` (${e.actor})`, e.note ? h('div', { class: 'small' }, e.note) : null))),
      );
    },
  };
}
