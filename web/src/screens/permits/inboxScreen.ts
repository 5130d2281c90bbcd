// The list of permit applications: an operator's own, or the reviewer's inbox
// of the wards they cover. The server sorts it by time left (the most urgent
// first) and flags cases at risk or overdue; the list keeps that order.
//
// Address: `/permits`, `/permits?state=open|all|<state>`, `&q=`.

import { ApiError } from '../../api/client';
import { PERMIT_STATES, permitsApi, type ApplicationSummary, type PermitState } from '../../api/permits';
import type { App } from '../../app';
import { OPEN_STATES, clockBadge, mayApply, stateBadge, stateName, worksName } from '../../domain/permits';
import { currentSession } from '../../domain/session';
import { t } from '../../i18n';
import type { Screen } from '../../router';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import './permits.css';

/** The filter a `state` query names: the open states, every state, or one. */
function statesOf(filter: string): PermitState[] | undefined {
  if (filter === 'all') return undefined;
  if (filter === 'open' || filter === '') return [...OPEN_STATES];
  return PERMIT_STATES.includes(filter as PermitState) ? [filter as PermitState] : [...OPEN_STATES];
}

export function inboxScreen(app: App, query: URLSearchParams): Screen {
  let searchTimer: number | undefined;

  return {
    render(root, signal) {
      pageRoot(root);
      const user = currentSession().user;
      if (!user) {
        const shell = pageShell({ title: t('permit.inboxTitle'), testId: 'permit-inbox' });
        append(
          shell.body,
          h('div', { class: 'notice notice-info' }, t('permit.loginFirst')),
          h('div', { class: 'page-actions' }, h('a', { href: `/login?next=${encodeURIComponent('/permits')}`, class: 'button button-primary' }, t('auth.login')), h('a', { href: '/thong-ke-cap-phep', class: 'button' }, t('permit.stats'))),
        );
        replace(root, shell.element);
        return;
      }
      let filter = query.get('state') ?? 'open';
      let search = query.get('q') ?? '';

      const lead = user.role === 'operator_member' ? t('permit.inboxLeadOperator') : user.role === 'admin' ? t('permit.inboxLeadAdmin') : t('permit.inboxLeadReviewer');
      const stateSelect = h(
        'select',
        {
          id: 'permit-filter-state',
          'data-testid': 'permit-filter-state',
          onchange: () => {
            filter = stateSelect.value;
            void list.load();
          },
        },
        h('option', { value: 'open' }, t('permit.filterOpen')),
        h('option', { value: 'all' }, t('permit.filterAll')),
        PERMIT_STATES.filter((s) => s !== 'draft' || user.role !== 'reviewer').map((s) => h('option', { value: s }, stateName(s))),
      );
      stateSelect.value = filter;
      const searchInput = h('input', {
        type: 'search',
        id: 'permit-search',
        class: 'registry-search',
        placeholder: t('permit.search'),
        value: search,
        'data-testid': 'permit-search',
        oninput: () => {
          window.clearTimeout(searchTimer);
          searchTimer = window.setTimeout(() => {
            search = searchInput.value.trim();
            void list.load();
          }, 300);
        },
      });
      const status = h('p', { class: 'muted small permit-count', 'aria-live': 'polite' });
      const list = asyncSection({
        signal,
        class: 'card card-flush',
        load: (signal) => {
          const params = new URLSearchParams();
          if (filter !== 'open') params.set('state', filter);
          if (search) params.set('q', search);
          history.replaceState(null, '', `/permits${params.toString() ? `?${params}` : ''}`);
          return permitsApi.list({ state: statesOf(filter), q: search || undefined }, signal);
        },
        render: (applications) => {
          status.textContent = t('permit.count', { count: applications.length });
          return applications.length === 0
            ? h('p', { class: 'empty empty-padded', 'data-testid': 'permit-empty' }, filter === 'all' && !search ? t('permit.empty') : t('permit.emptyFiltered'))
            : table(applications, app);
        },
        error: (error) => (error instanceof ApiError && error.status === 401 ? h('div', { class: 'notice notice-info' }, t('permit.loginFirst')) : null),
      });

      const shell = pageShell({
        class: 'permit-inbox',
        testId: 'permit-inbox',
        title: t('permit.inboxTitle'),
        lead,
        actions: [
          h('a', { href: '/thong-ke-cap-phep', class: 'button' }, t('permit.stats')),
          mayApply() ? h('a', { href: '/permits/new', class: 'button button-primary', 'data-testid': 'permit-new' }, `+ ${t('permit.new')}`) : null,
        ],
      });
      append(
        shell.body,
        h(
          'div',
          { class: 'permit-toolbar' },
          h('div', { class: 'field field-inline' }, h('label', { class: 'field-label', for: 'permit-filter-state' }, t('permit.filterState')), stateSelect),
          h('div', { class: 'field field-inline field-grow' }, h('label', { class: 'field-label', for: 'permit-search' }, t('search.label')), searchInput),
          status,
        ),
        list.element,
      );
      replace(root, shell.element);
      return list.load();
    },
    leave() {
      window.clearTimeout(searchTimer);
    },
  };
}

/** The server's order (the most urgent first) is kept until a heading is clicked. */
function table(applications: ApplicationSummary[], app: App): HTMLElement {
  return dataTable<ApplicationSummary>({
    testId: 'permit-table',
    class: 'permit-table',
    empty: t('permit.empty'),
    rows: applications,
    rowAttributes: (a) => ({
      class: `permit-row clock-row-${a.clock.status}`,
      'data-testid': 'permit-row',
      'data-reference': a.reference,
      onclick: (event: Event) => {
        if ((event.target as Element).closest('a')) return;
        app.go(`/permits/${a.id}`);
      },
    }),
    columns: [
      { key: 'reference', label: t('permit.col.reference'), nowrap: true, sortValue: (a) => a.reference, cell: (a) => h('a', { href: `/permits/${a.id}`, 'data-testid': 'permit-link' }, a.reference) },
      { key: 'title', label: t('permit.col.title'), phone: 'title', class: 'permit-title-cell', sortValue: (a) => a.title },
      {
        key: 'operator',
        label: t('permit.col.operator'),
        nowrap: true,
        sortValue: (a) => app.reference.operatorLabel(a.operator),
        cell: (a) => [h('span', { class: 'swatch', style: `background:${app.reference.operatorColour(a.operator)}` }), app.reference.operatorLabel(a.operator)],
      },
      { key: 'ward', label: t('permit.col.ward'), nowrap: true, sortValue: (a) => a.ward_name, cell: (a) => a.ward_name ?? t('common.empty') },
      { key: 'works_type', label: t('permit.col.worksType'), sortValue: (a) => worksName(a.works_type) },
      { key: 'state', label: t('permit.col.state'), sortValue: (a) => stateName(a.state), cell: (a) => stateBadge(a.state) },
      { key: 'time_left', label: t('permit.col.timeLeft'), nowrap: true, cell: (a) => clockBadge(a.clock) },
    ],
  }).element;
}
