// The audit trail: every change to every asset the person may read — by
// operator, part of a person's name, action and period — newest first, a
// page at a time (keyset: `next_before`), each with the fields it changed
// (a tenancy change term by term); the same selection as CSV for the record.
// Beside it, the change log of everything else (`?view=changes`).
//
// Address: `/history?operator=VNPT&user=vnpt.qng&action=update&from=2026-01-01&to=2026-01-31`.

import { tenancyChanges } from '../domain/tenancyChanges';
import { adminApi, type UserRecord } from '../api/admin';
import { auditApi, type AuditEntry, type AuditFilters } from '../api/audit';
import type { App } from '../app';
import { collectionOfKind } from '../domain/kinds';
import { fieldName, formatDateTime, t, valueName } from '../i18n';
import { shownValue } from '../map/editor';
import type { Screen } from '../router';
import { dateInput } from '../ui/dateField';
import { asyncSection } from '../ui/async';
import { append, h, loading, replace } from '../ui/dom';
import { errorBox } from '../ui/messages';
import { pageRoot, pageShell } from '../ui/page';
import { dataTable, type Column } from '../ui/table';
import { requireUser } from './access';
import { changeFiltersFrom, changeLogView } from './changeLogView';

const PAGE_SIZE = 50;
const ACTIONS = ['create', 'update', 'decommission', 'tenancy'] as const;
/** Fields that restate others or change with every write; left out of the list of changes. */
const QUIET = new Set(['operator_name', 'ward_name', 'kind', 'free_capacity', 'shared', 'tenant_count']);
const SHOWN_CHANGES = 10;

/** Who made a change, from the history's actor text. */
export function describeActor(entry: Pick<AuditEntry, 'actor' | 'actor_name'>): { name: string; detail: string } {
  const actor = entry.actor;
  const job = actor.match(/\(import:(\d+)\)\s*$/)?.[1];
  const base = actor.replace(/\s*\(import:\d+\)\s*$/, '');
  const viaImport = job ? t('audit.viaImport', { job }) : '';
  const user = base.match(/^user:(.+)$/)?.[1];
  if (user) return { name: entry.actor_name || user, detail: [user, viaImport].filter(Boolean).join(' · ') };
  const token = base.match(/^token:\d+ \((.+)\)$/)?.[1];
  if (token) return { name: t('audit.token', { name: token }), detail: viaImport };
  const system = base.match(/^system(?::(.+))?$/);
  if (system) return { name: t('audit.system'), detail: [system[1], viaImport].filter(Boolean).join(' · ') };
  return { name: base, detail: viaImport };
}

function actionName(action: string): string {
  return (ACTIONS as readonly string[]).includes(action) ? t(`action.${action as (typeof ACTIONS)[number]}`) : action;
}

function changeList(entry: AuditEntry): HTMLElement | null {
  const changes = (entry.changes ?? []).filter((c) => !QUIET.has(c.field));
  if (changes.length === 0) return null;
  const isCreate = entry.action === 'create';
  const shown = changes.slice(0, SHOWN_CHANGES);
  const list = h(
    'ul',
    { class: 'changes' },
    shown.map((change) => {
      if (change.field === 'geometry') return h('li', {}, h('strong', {}, fieldName('geometry')), isCreate ? '' : `: ${t('audit.moved')}`);
      if (change.field === 'tenancies') {
        const lines = tenancyChanges(change.before, change.after);
        return h('li', { 'data-testid': 'tenancy-change' }, h('strong', {}, fieldName('tenancies')), ': ', lines.length > 0 ? lines.join('; ') : t('audit.tenanciesChanged'));
      }
      return h(
        'li',
        {},
        h('strong', {}, fieldName(change.field)),
        ': ',
        isCreate
          ? shownValue(change.field, change.after)
          : [h('span', { class: 'before' }, shownValue(change.field, change.before)), ' → ', h('span', { class: 'after' }, shownValue(change.field, change.after))],
      );
    }),
    changes.length > SHOWN_CHANGES ? h('li', { class: 'muted' }, t('asset.moreChanges', { count: changes.length - SHOWN_CHANGES })) : null,
  );
  // A new asset lists every attribute: folded, so the page stays a list of changes.
  if (isCreate) return h('details', { class: 'created-fields' }, h('summary', {}, t('audit.createdWith', { count: changes.length })), list);
  return list;
}

function filtersFrom(query: URLSearchParams): AuditFilters {
  const get = (key: string) => query.get(key) || undefined;
  const asset = Number(query.get('asset'));
  return { operator: get('operator'), user: get('user'), action: get('action'), from: get('from'), to: get('to'), asset: asset > 0 ? asset : undefined };
}

function queryOf(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The two views of the history: changes to assets, and the change log of everything else. */
function viewTabs(view: 'assets' | 'changes'): HTMLElement {
  return h(
    'nav',
    { class: 'tabs', 'aria-label': t('audit.title') },
    h('a', { href: '/history', class: view === 'assets' ? 'tab active' : 'tab', 'aria-current': view === 'assets' ? 'page' : null, 'data-testid': 'history-tab-assets' }, t('changes.tabAssets')),
    h('a', { href: '/history?view=changes', class: view === 'changes' ? 'tab active' : 'tab', 'aria-current': view === 'changes' ? 'page' : null, 'data-testid': 'history-tab-changes' }, t('changes.tabOther')),
  );
}

export function auditScreen(app: App, query: URLSearchParams): Screen {
  let changes: ReturnType<typeof changeLogView> | null = null;
  return {
    render(root, signal) {
      const me = requireUser(root);
      if (!me) return;
      pageRoot(root);
      if (query.get('view') === 'changes') {
        changes = changeLogView(app, changeFiltersFrom(query));
        const shell = pageShell({
          width: 'wide',
          testId: 'audit-page',
          eyebrow: t('audit.eyebrow'),
          title: t('audit.title'),
          lead: t(me.role === 'admin' ? 'changes.leadAdmin' : 'changes.leadOwn'),
        });
        append(shell.body, viewTabs('changes'), changes.element);
        replace(root, shell.element);
        void changes.render(root, signal);
        return;
      }
      const filters = filtersFrom(query);

      const operatorSelect = h(
        'select',
        { id: 'audit-operator', 'data-testid': 'audit-operator' },
        h('option', { value: '' }, t('filter.all')),
        app.reference.operators.map((o) => h('option', { value: o.code, selected: filters.operator === o.code }, o.short_name ?? o.code)),
      );
      // Admins pick the person from the accounts; others type a username.
      const userInput = h('input', {
        id: 'audit-user',
        type: 'text',
        list: 'audit-users',
        value: filters.user ?? '',
        placeholder: t('audit.userPartPlaceholder'),
        autocomplete: 'off',
        'data-testid': 'audit-user',
      });
      const userList = h('datalist', { id: 'audit-users' });
      if (me.role === 'admin') {
        adminApi
          .users()
          .then((users: UserRecord[]) =>
            replace(
              userList,
              users.map((u) => h('option', { value: u.username }, u.display_name)),
            ),
          )
          .catch(() => undefined);
      }
      const actionSelect = h(
        'select',
        { id: 'audit-action', 'data-testid': 'audit-action' },
        h('option', { value: '' }, t('filter.all')),
        ACTIONS.map((a) => h('option', { value: a, selected: filters.action === a }, actionName(a))),
      );
      const from = dateInput({ id: 'audit-from', value: filters.from, testId: 'audit-from' });
      const to = dateInput({ id: 'audit-to', value: filters.to, testId: 'audit-to' });
      const formError = h('div');
      const csvLink = h('a', { class: 'button', href: auditApi.csvUrl(filters), download: 'hatang-history.csv', 'data-testid': 'audit-csv' }, t('audit.csv'));

      const form = h(
        'form',
        {
          class: 'card filter-bar',
          onsubmit: (event: Event) => {
            event.preventDefault();
            const fromValue = from.value();
            const toValue = to.value();
            if (fromValue === null || toValue === null) {
              replace(formError, h('p', { class: 'field-error' }, t('date.invalid')));
              return;
            }
            const chosen: AuditFilters = {
              operator: operatorSelect.value || undefined,
              user: userInput.value.trim() || undefined,
              action: actionSelect.value || undefined,
              from: fromValue || undefined,
              to: toValue || undefined,
              asset: filters.asset,
            };
            app.go(`/history${queryOf(chosen)}`);
          },
        },
        h(
          'div',
          { class: 'form-inline' },
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'audit-operator' }, t('filter.operator')), operatorSelect),
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'audit-user' }, t('audit.user')), userInput, userList),
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'audit-action' }, t('audit.action')), actionSelect),
          h('div', { class: 'field field-date' }, h('label', { class: 'field-label', for: 'audit-from' }, t('audit.from')), from.input),
          h('div', { class: 'field field-date' }, h('label', { class: 'field-label', for: 'audit-to' }, t('audit.to')), to.input),
          h('div', { class: 'field field-action' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'audit-apply' }, t('audit.apply'))),
          h('div', { class: 'field field-action' }, h('a', { href: '/history', class: 'button' }, t('filter.clear'))),
        ),
        formError,
        filters.asset
          ? h('p', { class: 'small' }, t('audit.onlyAsset', { id: String(filters.asset) }), ' ', h('a', { href: `/assets/${filters.asset}` }, t('audit.openAsset')))
          : null,
      );

      const columns: Column<AuditEntry>[] = [
        { key: 'at', label: t('asset.when'), nowrap: true, phone: 'title', cell: (entry) => formatDateTime(entry.at) },
        {
          key: 'actor',
          label: t('asset.who'),
          cell: (entry) => {
            const who = describeActor(entry);
            return [h('span', { 'data-testid': 'audit-actor' }, who.name), who.detail ? h('div', { class: 'muted small' }, who.detail) : null];
          },
        },
        {
          key: 'action',
          label: t('asset.action'),
          cell: (entry) => [h('span', { class: `badge action-${entry.action}` }, actionName(entry.action)), h('div', { class: 'muted small' }, t('asset.version', { version: String(entry.version) }))],
        },
        {
          key: 'asset',
          label: t('audit.asset'),
          cell: (entry) => [
            h('a', { href: `/assets/${entry.asset_id}`, 'data-testid': 'audit-asset' }, entry.asset_code),
            h('div', { class: 'muted small' }, collectionOfKind(entry.asset_kind) ? valueName('kind', entry.asset_kind) : entry.asset_kind),
          ],
        },
        {
          key: 'operator',
          label: t('filter.operator'),
          cell: (entry) => [h('span', { class: 'swatch', style: `background:${app.reference.operatorColour(entry.operator)}` }), app.reference.operatorLabel(entry.operator)],
        },
        { key: 'changes', label: t('asset.changes'), class: 'audit-changes', cell: (entry) => [entry.reason ? h('p', { class: 'small' }, `${t('asset.reason')}: ${entry.reason}`) : null, changeList(entry)] },
      ];

      // The first page through the section; "more" appends the next page (keyset) and draws again.
      const list = asyncSection<{ entries: AuditEntry[]; next: number | null }>({
        signal,
        load: async (signal) => {
          const page = await auditApi.page(filters, null, PAGE_SIZE, signal);
          return { entries: page.entries, next: page.next_before };
        },
        render: ({ entries, next }, section) => {
          const more = h('div', { class: 'load-more-row' });
          const loadMore = async () => {
            replace(more, loading(t('app.loading')));
            try {
              const page = await auditApi.page(filters, next, PAGE_SIZE, signal);
              section.show({ entries: [...entries, ...page.entries], next: page.next_before });
            } catch (error) {
              if (!signal.aborted) replace(more, errorBox(error, () => void loadMore()));
            }
          };
          if (next !== null) replace(more, h('button', { type: 'button', class: 'button', 'data-testid': 'audit-more', onclick: () => void loadMore() }, t('registry.loadMore')));
          return [
            h('p', { class: 'muted small', 'data-testid': 'audit-status' }, next !== null ? t('audit.loadedMore', { count: entries.length }) : t('audit.loaded', { count: entries.length })),
            entries.length === 0
              ? h('p', { class: 'empty', 'data-testid': 'audit-empty' }, t('audit.empty'))
              : dataTable({ testId: 'audit-table', class: 'history audit-table', empty: t('audit.empty'), rows: entries, columns, rowAttributes: (entry) => ({ 'data-entry-id': entry.id }) }).element,
            more,
          ];
        },
      });

      const shell = pageShell({
        width: 'wide',
        testId: 'audit-page',
        eyebrow: t('audit.eyebrow'),
        title: t('audit.title'),
        lead: t(me.role === 'admin' ? 'audit.leadAdmin' : me.role === 'operator_member' ? 'audit.leadOperator' : 'audit.leadScope'),
        actions: [csvLink],
      });
      append(shell.body, viewTabs('assets'), form, h('section', { class: 'card' }, list.element));
      replace(root, shell.element);
      void list.load();
    },
    leave() {
      changes?.leave?.();
    },
  };
}
