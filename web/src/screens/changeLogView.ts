// The change log in the history screen (`/history?view=changes`): everything
// people change besides assets — civil works, restricted zones, undergrounding
// areas and projects, rules, holidays, what wards publish, operators, accounts,
// scopes and tokens — newest first, with who, when, which row and what changed.
// Admins read all of it; everyone else what they did. Filters: what was
// changed, part of a person's name, the period.

import { auditApi, type ChangeEntry, type ChangeFilters } from '../api/audit';
import type { App } from '../app';
import { formatDateTime, t, type MessageKey } from '../i18n';
import type { Screen } from '../router';
import { dateInput } from '../ui/dateField';
import { h, loading, replace } from '../ui/dom';
import { errorBox } from '../ui/messages';
import { describeActor } from './auditScreen';

const PAGE_SIZE = 50;
const SHOWN_CHANGES = 8;

/** The tables the change log covers, with their names. */
const ENTITIES: [string, MessageKey][] = [
  ['civil_work', 'changes.entity.civil_work'],
  ['civil_work_interest', 'changes.entity.civil_work_interest'],
  ['restricted_zone', 'changes.entity.restricted_zone'],
  ['undergrounding_area', 'changes.entity.undergrounding_area'],
  ['undergrounding_project', 'changes.entity.undergrounding_project'],
  ['project_operator', 'changes.entity.project_operator'],
  ['project_progress', 'changes.entity.project_progress'],
  ['rule_setting', 'changes.entity.rule_setting'],
  ['holiday', 'changes.entity.holiday'],
  ['ward_publication', 'changes.entity.ward_publication'],
  ['operator', 'changes.entity.operator'],
  ['app_user', 'changes.entity.app_user'],
  ['user_scope', 'changes.entity.user_scope'],
  ['api_token', 'changes.entity.api_token'],
];

export function entityName(entity: string): string {
  const known = ENTITIES.find(([e]) => e === entity);
  return known ? t(known[1]) : entity;
}

function value(v: unknown): string {
  if (v === null || v === undefined || v === '') return t('common.empty');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return formatDateTime(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function changeList(entry: ChangeEntry): HTMLElement | null {
  if (entry.action !== 'update' || entry.changes.length === 0) return null;
  const shown = entry.changes.slice(0, SHOWN_CHANGES);
  return h(
    'ul',
    { class: 'changes' },
    shown.map((c) =>
      h(
        'li',
        {},
        h('code', {}, c.field),
        c.field === 'geometry' ? `: ${t('audit.moved')}` : [': ', h('span', { class: 'before' }, value(c.before)), ' → ', h('span', { class: 'after' }, value(c.after))],
      ),
    ),
    entry.changes.length > SHOWN_CHANGES ? h('li', { class: 'muted' }, t('asset.moreChanges', { count: entry.changes.length - SHOWN_CHANGES })) : null,
  );
}

/** The query of `/history?view=changes`. */
export function changeFiltersFrom(query: URLSearchParams): ChangeFilters {
  const get = (key: string) => query.get(key) || undefined;
  return { entity: get('entity'), user: get('user'), action: get('action'), from: get('from'), to: get('to') };
}

export function changeLogView(app: App, filters: ChangeFilters): Screen & { element: HTMLElement } {
  let running: AbortController | null = null;
  let entries: ChangeEntry[] = [];
  let next: number | null = null;
  const tableArea = h('div', { class: 'table-scroll audit-table', 'aria-live': 'polite' });
  const status = h('p', { class: 'muted small', 'data-testid': 'changes-status' });
  const more = h('div', { class: 'load-more-row' });

  const entitySelect = h(
    'select',
    { id: 'changes-entity', 'data-testid': 'changes-entity' },
    h('option', { value: '' }, t('filter.all')),
    ENTITIES.map(([e, label]) => h('option', { value: e, selected: filters.entity === e }, t(label))),
  );
  const userInput = h('input', { id: 'changes-user', type: 'text', value: filters.user ?? '', placeholder: t('audit.userPartPlaceholder'), 'data-testid': 'changes-user' });
  const from = dateInput({ id: 'changes-from', value: filters.from, testId: 'changes-from' });
  const to = dateInput({ id: 'changes-to', value: filters.to, testId: 'changes-to' });
  const formError = h('div');
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
        const params = new URLSearchParams({ view: 'changes' });
        if (entitySelect.value) params.set('entity', entitySelect.value);
        if (userInput.value.trim()) params.set('user', userInput.value.trim());
        if (fromValue) params.set('from', fromValue);
        if (toValue) params.set('to', toValue);
        app.go(`/history?${params}`);
      },
    },
    h(
      'div',
      { class: 'form-inline' },
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'changes-entity' }, t('changes.entity')), entitySelect),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'changes-user' }, t('audit.user')), userInput),
      h('div', { class: 'field field-date' }, h('label', { class: 'field-label', for: 'changes-from' }, t('audit.from')), from.input),
      h('div', { class: 'field field-date' }, h('label', { class: 'field-label', for: 'changes-to' }, t('audit.to')), to.input),
      h('div', { class: 'field field-action' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'changes-apply' }, t('audit.apply'))),
      h('div', { class: 'field field-action' }, h('a', { href: '/history?view=changes', class: 'button' }, t('filter.clear'))),
    ),
    formError,
  );

  const row = (entry: ChangeEntry) => {
    const who = describeActor(entry);
    return h(
      'tr',
      { 'data-entry-id': entry.id, 'data-entity': entry.entity },
      h('td', { class: 'nowrap' }, formatDateTime(entry.at)),
      h('td', {}, h('span', { 'data-testid': 'changes-actor' }, who.name), who.detail ? h('div', { class: 'muted small' }, who.detail) : null),
      h('td', {}, h('span', { class: `badge action-${entry.action}` }, t(`changes.action.${entry.action}`))),
      h('td', {}, h('strong', { 'data-testid': 'changes-subject' }, entry.label ?? `#${entry.entity_key}`), h('div', { class: 'muted small' }, entityName(entry.entity))),
      h('td', { class: 'audit-changes' }, changeList(entry)),
    );
  };

  const render = () => {
    replace(status, next !== null ? t('audit.loadedMore', { count: entries.length }) : t('audit.loaded', { count: entries.length }));
    replace(
      tableArea,
      entries.length === 0
        ? h('p', { class: 'empty', 'data-testid': 'changes-empty' }, t('audit.empty'))
        : h(
            'table',
            { class: 'data-table history', 'data-testid': 'changes-table' },
            h('thead', {}, h('tr', {}, [t('asset.when'), t('asset.who'), t('asset.action'), t('changes.subject'), t('asset.changes')].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, entries.map(row)),
          ),
    );
    replace(more, next !== null ? h('button', { type: 'button', class: 'button', 'data-testid': 'changes-more', onclick: () => void load(true) }, t('registry.loadMore')) : null);
  };

  const load = async (append: boolean) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    if (append) replace(more, loading(t('app.loading')));
    else replace(tableArea, loading(t('app.loading')));
    try {
      const page = await auditApi.changes(filters, append ? next : null, PAGE_SIZE, controller.signal);
      if (controller.signal.aborted) return;
      entries = append ? [...entries, ...page.entries] : page.entries;
      next = page.next_before;
      render();
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(append ? more : tableArea, errorBox(error, () => void load(append)));
    }
  };

  const element = h('div', { 'data-testid': 'changes-view' }, form, h('section', { class: 'card' }, status, tableArea, more));
  return {
    element,
    render() {
      void load(false);
    },
    leave() {
      running?.abort();
    },
  };
}
