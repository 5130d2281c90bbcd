// Inspection rounds: the list and a new round over the map frame
// (`/kiem-tra`), one round with its worklist and the checklist of each asset
// (`/kiem-tra/{id}`) — kept on the phone when opened, so findings can be
// recorded offline and go through the outbox — and the statistics per
// operator and ward (`/kiem-tra/thong-ke`).

import { ApiError } from '../../api/client';
import { fieldApi, type Item, type Round, type RoundDetail, type StatRow } from '../../api/field';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { formatDate, formatDateTime, formatNumber, lang, t, todayInVietnam, type MessageKey } from '../../i18n';
import { ROUNDS, get, put } from '../../offline/db';
import { enqueue } from '../../offline/queue';
import type { Screen } from '../../router';
import { dateInput } from '../../ui/dateField';
import { h, loading, replace } from '../../ui/dom';
import { errorBox, toast } from '../../ui/messages';
import { badge, field, offlineNotice, page, photoPicker } from './common';
import { problemWords } from '../../i18n/problems';

const CATEGORIES = ['routine', 'sample', 'complaint', 'follow_up', 'permit'] as const;

function roundBadge(round: Round): HTMLElement {
  const tone = round.state === 'completed' ? 'good' : round.state === 'in_progress' ? 'info' : round.state === 'cancelled' ? 'neutral' : 'warn';
  return badge(t(`round.state.${round.state}` as MessageKey), tone);
}

export function roundsScreen(app: App): Screen {
  return {
    async render(root, signal) {
      if (!currentSession().user) {
        page(root, 'login-first', h('a', { href: '/login?next=/kiem-tra', class: 'button button-primary' }, t('auth.login')));
        return;
      }
      const list = h('div', { class: 'field-list', 'data-testid': 'round-list' }, loading(t('app.loading')));
      const name = h('input', { id: 'round-name', type: 'text', required: true, maxlength: 300, 'data-testid': 'round-name' });
      const category = h('select', { id: 'round-category', 'data-testid': 'round-category' }, CATEGORIES.map((c) => h('option', { value: c }, t(`round.category.${c}` as MessageKey))));
      const date = dateInput({ id: 'round-date', value: todayInVietnam(), required: true, testId: 'round-date' });
      const sample = h('input', { id: 'round-sample', type: 'number', min: 1, max: 100, value: 20, 'data-testid': 'round-sample' });
      const mapArea = h('div', { class: 'field-map' });
      const problems = h('div', { class: 'notice notice-error', hidden: true, role: 'alert' });
      const form = h(
        'form',
        { class: 'field-form', hidden: true, 'data-testid': 'round-form' },
        field(t('round.name'), name),
        field(t('round.category'), category),
        field(t('round.date'), date.input),
        field(t('round.sample'), sample),
        h('p', { class: 'muted small' }, t('round.area')),
        mapArea,
        problems,
        h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'round-create' }, t('round.create')),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const [w, s, e, n] = app.view.extent();
        try {
          const round = await fieldApi.createRound({
            title: name.value.trim(),
            category: category.value,
            planned_on: date.value(),
            sample_percent: category.value === 'sample' ? Number(sample.value) : null,
            geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
          });
          app.go(`/kiem-tra/${round.id}`);
        } catch (error) {
          problems.hidden = false;
          replace(problems, error instanceof ApiError && error.details.length ? error.details.map((d) => h('p', {}, `${d.field}: ${problemWords(d)}`)) : h('p', {}, String(error)));
        }
      });
      const staff = currentSession().user?.role === 'reviewer' || currentSession().user?.role === 'admin';
      page(
        root,
        'rounds-screen',
        h('h1', {}, t('round.title')),
        offlineNotice(),
        h(
          'div',
          { class: 'field-actions' },
          staff
            ? h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'round-new', onclick: () => {
                form.hidden = !form.hidden;
                if (!form.hidden) {
                  app.view.mountIn(mapArea);
                  app.view.map.resize();
                }
              } }, t('round.new'))
            : null,
          h('a', { href: '/kiem-tra/thong-ke', class: 'button' }, t('field.stats')),
          h('a', { href: '/kiem-tra/danh-muc', class: 'button', 'data-testid': 'checklist-link' }, t('field.checklist')),
        ),
        form,
        list,
      );
      try {
        const rounds = await fieldApi.rounds();
        replace(
          list,
          rounds.length === 0
            ? h('p', { class: 'muted' }, t('round.empty'))
            : rounds.map((r) =>
                h(
                  'a',
                  { href: `/kiem-tra/${r.id}`, class: 'field-card', 'data-testid': 'round-card' },
                  h('div', { class: 'field-card-head' }, h('strong', {}, r.reference), roundBadge(r)),
                  h('div', {}, r.title),
                  h('div', { class: 'muted small' }, [formatDate(r.planned_on), t(`round.category.${r.category}` as MessageKey), r.inspector_name, t('round.items', { count: r.item_count }), t('round.findings', { count: r.finding_count })].filter(Boolean).join(' · ')),
                ),
              ),
        );
      } catch (error) {
        replace(list, errorBox(error));
      }
    },
  };
}

interface KeptRound {
  id: number;
  kept_at: string;
  detail: RoundDetail;
}

export function roundScreen(_app: App, id: number): Screen {
  return {
    async render(root, signal) {
      const body = page(root, 'round-page', loading(t('app.loading')));
      let detail: RoundDetail;
      let keptAt: string | null = null;
      try {
        detail = await fieldApi.round(id);
        await put<KeptRound>(ROUNDS, { id, kept_at: new Date().toISOString(), detail });
      } catch (error) {
        const kept = await get<KeptRound>(ROUNDS, id).catch(() => undefined);
        if (!kept || !(error instanceof ApiError) || error.status !== 0) {
          replace(body, errorBox(error, () => void this.render(root, signal)));
          return;
        }
        detail = kept.detail;
        keptAt = kept.kept_at;
      }
      const rules = new Map(detail.checklists.rules.map((r) => [r.rule_key, r]));
      const formArea = h('div', { 'data-testid': 'finding-area' });
      const openFinding = (item: Item) => {
        const answers = new Map<string, string>();
        const keys = detail.checklists.by_kind[item.kind] ?? [];
        const checks = keys.map((key) => {
          const rule = rules.get(key);
          if (!rule) return null;
          const buttons = (['pass', 'fail', 'not_applicable'] as const).map((value) =>
            h(
              'button',
              {
                type: 'button',
                class: `field-answer field-answer-${value}`,
                'aria-pressed': 'false',
                'data-testid': `answer-${key}-${value}`,
                onclick: (event: Event) => {
                  answers.set(key, value);
                  for (const b of buttons) b.setAttribute('aria-pressed', String(b === event.currentTarget));
                },
              },
              t(value === 'pass' ? 'finding.pass' : value === 'fail' ? 'finding.fail' : 'finding.na'),
            ),
          );
          return h(
            'div',
            { class: 'field-check' },
            h('p', { class: 'field-check-title' }, lang() === 'vi' ? rule.title_vi : rule.title_en),
            h('p', { class: 'muted small' }, rule.citation, rule.provisional ? h('span', { class: 'field-provisional' }, ` (${t('finding.provisional')})`) : null),
            h('div', { class: 'field-answers' }, buttons),
          );
        });
        const operators = [...new Set([item.operator, ...item.cable_operators])];
        const responsible = h('select', { id: 'finding-operator', 'data-testid': 'finding-operator' }, operators.map((o) => h('option', { value: o }, o)));
        const note = h('textarea', { id: 'finding-note', rows: 3, 'data-testid': 'finding-note' });
        const pictures = photoPicker('finding-photo', t('finding.photos'));
        const problems = h('div', { class: 'notice notice-error', hidden: true, role: 'alert' });
        const save = h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'finding-save' }, t('finding.save'));
        const form = h('form', { class: 'field-form', 'data-testid': 'finding-form' }, h('h2', {}, t('finding.title', { code: item.code })), checks, field(t('finding.responsible'), responsible), field(t('finding.note'), note), pictures.element, problems, save);
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          if (answers.size === 0 && !note.value.trim()) {
            problems.hidden = false;
            replace(problems, h('p', {}, t('finding.needAnswer')));
            return;
          }
          const photos = pictures.photos();
          await enqueue({
            kind: 'finding',
            url: `/api/v1/inspections/${id}/findings`,
            part: 'data',
            data: {
              asset_id: item.asset_id,
              asset_version: item.version,
              answers: Object.fromEntries(answers),
              note: note.value.trim() || null,
              responsible_operator: responsible.value,
              observed_at: new Date().toISOString(),
            },
            photos: photos.map((p) => p.blob),
            taken: photos.map((p) => p.taken),
            label: `${detail.reference} · ${item.code}`,
            public: false,
          });
          toast(t('finding.saved'), 'success');
          replace(formArea, h('p', { class: 'notice notice-success', 'data-testid': 'finding-saved' }, t('finding.saved'), ' ', h('a', { href: '/hang-doi' }, t('field.outbox'))));
        });
        replace(formArea, form);
        form.scrollIntoView({ block: 'start' });
      };
      const done = new Set(detail.findings.map((f) => f.asset_id));
      replace(
        body,
        h('h1', {}, detail.reference),
        offlineNotice(),
        keptAt ? h('p', { class: 'notice notice-info', 'data-testid': 'round-offline-copy' }, t('round.offlineCopy', { date: formatDateTime(keptAt) })) : null,
        h('div', { class: 'field-card-head' }, roundBadge(detail), h('span', { class: 'muted' }, `${formatDate(detail.planned_on)} · ${t(`round.category.${detail.category}` as MessageKey)}`)),
        h('p', {}, detail.title),
        h('h2', {}, t('round.worklist')),
        h(
          'div',
          { class: 'field-list', 'data-testid': 'worklist' },
          detail.items.map((item) =>
            h(
              'div',
              { class: 'field-card', 'data-testid': 'worklist-item', 'data-code': item.code },
              h('div', { class: 'field-card-head' }, h('strong', {}, item.code), done.has(item.asset_id) ? badge(t('round.checked'), 'good') : null),
              h('div', { class: 'muted small' }, [item.kind, item.operator, item.cable_operators.length ? `cáp: ${item.cable_operators.join(', ')}` : null].filter(Boolean).join(' · ')),
              h('button', { type: 'button', class: 'button field-big-button', 'data-testid': `inspect-${item.code}`, onclick: () => openFinding(item) }, t('round.check')),
            ),
          ),
        ),
        formArea,
        detail.state !== 'completed' && detail.state !== 'cancelled' && navigator.onLine
          ? h('button', { type: 'button', class: 'button', 'data-testid': 'round-complete', onclick: async () => {
              await fieldApi.roundStep(id, 'complete');
              await this.render(root, signal);
            } }, t('round.complete'))
          : null,
      );
    },
  };
}

export function statsScreen(): Screen {
  return {
    async render(root, signal) {
      const body = page(root, 'field-stats', h('h1', {}, t('roundStats.title')), loading(t('app.loading')));
      try {
        const stats = await fieldApi.stats();
        const table = (title: string, rows: StatRow[]) =>
          h(
            'section',
            {},
            h('h2', {}, title),
            h(
              'div',
              { class: 'field-table-wrap' },
              h(
                'table',
                { class: 'field-table' },
                h('thead', {}, h('tr', {}, ['', t('stats.findings'), t('stats.failed'), t('stats.violations'), t('stats.open'), t('stats.overdue'), t('stats.closed'), t('roundStats.median')].map((c) => h('th', {}, c)))),
                h(
                  'tbody',
                  {},
                  rows.map((r) =>
                    h('tr', {}, h('th', {}, r.name), [r.findings, r.failed_checks, r.violations, r.open, r.overdue, r.closed].map((n) => h('td', {}, formatNumber(n))), h('td', {}, r.median_days_to_close === null ? '—' : formatNumber(r.median_days_to_close, 1))),
                  ),
                ),
              ),
            ),
          );
        replace(body, h('h1', {}, t('roundStats.title')), table(t('stats.byOperator'), stats.by_operator), table(t('stats.byWard'), stats.by_ward));
      } catch (error) {
        replace(body, errorBox(error));
      }
    },
  };
}
