// The data calls the person may see: staff those of their units (with how
// many operators have submitted), an operator those addressed to it (with
// its own status). Address: `/filings` (or `/so-lieu`).

import { filingsApi, type Call } from '../../api/filings';
import type { App } from '../../app';
import { isStaff, ownOperator, statusBadge, timeLeft } from '../../domain/filings';
import { formatDate, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { dataTable } from '../../ui/table';
import { pageError, pageHeader, sectionTabs } from './common';

export function callsScreen(_app: App): Screen {
  let running: AbortController | null = null;
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const staff = isStaff();
      const body = h('div', { 'aria-live': 'polite' }, loading(t('app.loading')));
      replace(
        root,
        h(
          'article',
          { class: 'page page-wide', 'data-testid': 'calls' },
          sectionTabs('calls'),
          pageHeader(
            t('fl.calls.eyebrow'),
            t('fl.calls.title'),
            staff ? t('fl.calls.leadStaff') : t('fl.calls.leadOperator'),
            staff ? h('a', { href: '/filings/new', class: 'button button-primary', 'data-testid': 'call-new' }, t('fl.calls.open')) : null,
          ),
          body,
        ),
      );
      running?.abort();
      const controller = new AbortController();
      running = controller;
      let calls: Call[];
      try {
        calls = await filingsApi.calls(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) replace(body, pageError(error));
        return;
      }
      const own = ownOperator();
      const table = dataTable<Call>({
        testId: 'calls-table',
        empty: t('fl.calls.none'),
        rows: calls,
        initialSort: { key: 'due', ascending: false },
        columns: [
          { key: 'title', label: t('fl.col.title'), sortValue: (c) => c.title, cell: (c) => h('a', { href: `/filings/calls/${c.id}`, 'data-testid': `call-link-${c.id}` }, c.title) },
          { key: 'kind', label: t('fl.col.kind'), sortValue: (c) => t(`fl.kind.${c.kind}` as MessageKey) },
          { key: 'unit', label: t('fl.col.unit'), sortValue: (c) => c.unit.name },
          { key: 'as_of', label: t('fl.col.asOf'), sortValue: (c) => c.as_of, cell: (c) => formatDate(c.as_of) },
          {
            key: 'due',
            label: t('fl.col.due'),
            sortValue: (c) => c.effective_due_on,
            cell: (c) => h('span', {}, formatDate(c.effective_due_on), c.state === 'open' ? h('span', { class: 'muted small' }, ` · ${timeLeft(c)}`) : null),
          },
          { key: 'state', label: t('fl.col.state'), sortValue: (c) => c.state, cell: (c) => h('span', { class: `badge call-state call-state-${c.state}` }, t(`fl.state.${c.state}` as MessageKey)) },
          staff
            ? {
                key: 'progress',
                label: t('fl.col.progress'),
                numeric: true,
                sortValue: (c) => c.counts?.submitted ?? 0,
                cell: (c) =>
                  h(
                    'span',
                    {},
                    t('fl.progress', { submitted: c.counts?.submitted ?? 0, total: c.operators.length }),
                    c.counts && c.counts.late > 0 ? statusBadge('late') : null,
                  ),
              }
            : {
                key: 'status',
                label: t('fl.col.status'),
                sortValue: (c) => c.operators.find((r) => r.operator === own)?.status ?? '',
                cell: (c) => {
                  const mine = c.operators[0];
                  return mine ? statusBadge(mine.status, mine.submitted_late) : '';
                },
              },
        ],
      });
      replace(body, table.element);
    },
    leave() {
      running?.abort();
    },
  };
}
