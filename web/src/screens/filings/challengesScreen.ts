// Challenges for the person to act on: staff those of their wards (to
// triage, or to decide when disputed), an operator those forwarded to it.
// Address: `/challenges`, `?state=all` for closed ones too.

import { filingsApi, type Challenge } from '../../api/filings';
import type { App } from '../../app';
import { challengeKind, challengeStateName, isStaff } from '../../domain/filings';
import { formatDate, t } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { dataTable } from '../../ui/table';
import { pageError, pageHeader, sectionTabs } from './common';

export function challengesScreen(_app: App, query: URLSearchParams): Screen {
  let running: AbortController | null = null;
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const state = query.get('state') === 'all' ? 'all' : 'open';
      const body = h('div', { 'aria-live': 'polite' }, loading(t('app.loading')));
      const filter = h(
        'div',
        { class: 'tabs filter-tabs' },
        (['open', 'all'] as const).map((s) =>
          h('a', { href: s === 'open' ? '/challenges' : '/challenges?state=all', class: s === state ? 'tab active' : 'tab', 'data-testid': `challenges-${s}` }, t(s === 'open' ? 'fl.ch.list.open' : 'fl.ch.list.all')),
        ),
      );
      replace(
        root,
        h(
          'article',
          { class: 'page page-wide', 'data-testid': 'challenges' },
          sectionTabs('challenges'),
          pageHeader(t('fl.nav.title'), t('fl.ch.list.title'), isStaff() ? t('fl.ch.list.leadStaff') : t('fl.ch.list.leadOperator'), h('a', { href: '/?layer=challenges', class: 'button' }, t('ug.dashboard.onMap'))),
          filter,
          body,
        ),
      );
      running?.abort();
      const controller = new AbortController();
      running = controller;
      let challenges: Challenge[];
      try {
        challenges = await filingsApi.challenges(state, controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) replace(body, pageError(error));
        return;
      }
      const table = dataTable<Challenge>({
        testId: 'challenges-table',
        empty: t('fl.ch.list.none'),
        rows: challenges,
        initialSort: { key: 'id', ascending: true },
        columns: [
          { key: 'id', label: t('fl.ch.col.id'), numeric: true, sortValue: (c) => c.id, cell: (c) => h('a', { href: `/challenges/${c.id}`, 'data-testid': `challenge-link-${c.id}` }, `#${c.id}`) },
          { key: 'kind', label: t('fl.ch.col.kind'), sortValue: (c) => challengeKind(c) },
          { key: 'place', label: t('fl.ch.col.place'), sortValue: (c) => `${c.ward_name ?? ''} ${c.address ?? ''}`, cell: (c) => [c.address, c.ward_name].filter(Boolean).join(', ') || t('common.empty') },
          { key: 'state', label: t('fl.ch.col.state'), sortValue: (c) => c.state, cell: (c) => h('span', { class: `badge challenge-state challenge-state-${c.state}` }, challengeStateName(c.state)) },
          { key: 'operator', label: t('fl.ch.col.operator'), sortValue: (c) => c.operator_name ?? '', cell: (c) => c.operator_name ?? t('common.empty') },
          { key: 'created', label: t('fl.ch.col.created'), sortValue: (c) => c.created_at, cell: (c) => formatDate(c.created_at) },
          {
            key: 'due',
            label: t('fl.ch.col.due'),
            sortValue: (c) => c.response_due_on,
            cell: (c) => (c.response_due_on ? h('span', {}, formatDate(c.response_due_on), c.response_overdue ? h('span', { class: 'badge filing-status-late' }, t('fl.ch.overdue')) : null) : t('common.empty')),
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
