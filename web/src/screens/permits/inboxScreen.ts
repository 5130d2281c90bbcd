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
import { h, loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';
import './permits.css';

/** The filter a `state` query names: the open states, every state, or one. */
function statesOf(filter: string): PermitState[] | undefined {
  if (filter === 'all') return undefined;
  if (filter === 'open' || filter === '') return [...OPEN_STATES];
  return PERMIT_STATES.includes(filter as PermitState) ? [filter as PermitState] : [...OPEN_STATES];
}

export function inboxScreen(app: App, query: URLSearchParams): Screen {
  let searchTimer: number | undefined;
  let controller: AbortController | null = null;

  return {
    async render(root) {
      root.className = 'screen screen-page';
      const user = currentSession().user;
      const page = h('div', { class: 'page permit-inbox', 'data-testid': 'permit-inbox' });
      replace(root, page);
      if (!user) {
        replace(
          page,
          h('div', { class: 'notice notice-info' }, t('permit.loginFirst')),
          h('div', { class: 'page-actions' }, h('a', { href: `/login?next=${encodeURIComponent('/permits')}`, class: 'button button-primary' }, t('auth.login')), h('a', { href: '/thong-ke-cap-phep', class: 'button' }, t('permit.stats'))),
        );
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
            void load();
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
            void load();
          }, 300);
        },
      });
      const status = h('p', { class: 'muted small permit-count', 'aria-live': 'polite' });
      const list = h('div', { class: 'card card-flush' }, loading(t('app.loading')));

      replace(
        page,
        h(
          'header',
          { class: 'page-header' },
          h('div', { class: 'page-heading' }, h('div', {}, h('h1', { class: 'page-title' }, t('permit.inboxTitle')), h('p', { class: 'subtitle' }, lead))),
          h(
            'div',
            { class: 'page-actions' },
            h('a', { href: '/thong-ke-cap-phep', class: 'button' }, t('permit.stats')),
            mayApply() ? h('a', { href: '/permits/new', class: 'button button-primary', 'data-testid': 'permit-new' }, `+ ${t('permit.new')}`) : null,
          ),
        ),
        h(
          'div',
          { class: 'permit-toolbar' },
          h('div', { class: 'field field-inline' }, h('label', { class: 'field-label', for: 'permit-filter-state' }, t('permit.filterState')), stateSelect),
          h('div', { class: 'field field-inline field-grow' }, h('label', { class: 'field-label', for: 'permit-search' }, t('search.label')), searchInput),
          status,
        ),
        list,
      );

      const load = async () => {
        controller?.abort();
        controller = new AbortController();
        const signal = controller.signal;
        const params = new URLSearchParams();
        if (filter !== 'open') params.set('state', filter);
        if (search) params.set('q', search);
        history.replaceState(null, '', `/permits${params.toString() ? `?${params}` : ''}`);
        replace(list, loading(t('app.loading')));
        try {
          const applications = await permitsApi.list({ state: statesOf(filter), q: search || undefined }, signal);
          status.textContent = t('permit.count', { count: applications.length });
          replace(list, applications.length === 0 ? h('p', { class: 'empty empty-padded', 'data-testid': 'permit-empty' }, filter === 'all' && !search ? t('permit.empty') : t('permit.emptyFiltered')) : table(applications, app));
        } catch (error) {
          if (signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return;
          if (error instanceof ApiError && error.status === 401) {
            replace(list, h('div', { class: 'notice notice-info' }, t('permit.loginFirst')));
            return;
          }
          replace(list, errorBox(error, () => void load()));
        }
      };
      await load();
    },
    leave() {
      window.clearTimeout(searchTimer);
      controller?.abort();
    },
  };
}

function table(applications: ApplicationSummary[], app: App): HTMLElement {
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data-table permit-table', 'data-testid': 'permit-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('permit.col.reference'), t('permit.col.title'), t('permit.col.operator'), t('permit.col.ward'), t('permit.col.worksType'), t('permit.col.state'), t('permit.col.timeLeft')].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        applications.map((a) =>
          h(
            'tr',
            {
              class: `permit-row clock-row-${a.clock.status}`,
              'data-testid': 'permit-row',
              'data-reference': a.reference,
              onclick: (event: Event) => {
                if ((event.target as Element).closest('a')) return;
                app.go(`/permits/${a.id}`);
              },
            },
            h('td', { class: 'nowrap' }, h('a', { href: `/permits/${a.id}`, 'data-testid': 'permit-link' }, a.reference)),
            h('td', { class: 'permit-title-cell' }, a.title),
            h('td', { class: 'nowrap' }, h('span', { class: 'swatch', style: `background:${app.reference.operatorColour(a.operator)}` }), app.reference.operatorLabel(a.operator)),
            h('td', { class: 'nowrap' }, a.ward_name ?? t('common.empty')),
            h('td', {}, worksName(a.works_type)),
            h('td', {}, stateBadge(a.state)),
            h('td', { class: 'nowrap' }, clockBadge(a.clock)),
          ),
        ),
      ),
    ),
  );
}
