// The asset page: what the registry knows of one asset — its attributes,
// the operators renting space on it, and every change made to it.
//
// Address: `/assets/{id}`.

import { currentAccess } from '../domain/access';
import { tenancyPanel } from './tenancies';
import { tenancyChanges } from '../domain/tenancyChanges';
import { assetLinks } from '../domain/assetNames';
import { api, ApiError } from '../api/client';
import type { App } from '../app';
import type { AssetFeature, HistoryEntry } from '../api/types';
import { collectionOfKind } from '../domain/kinds';
import { canEditAsset } from '../domain/session';
import { fieldName, formatDateTime, formatNumber, t, valueName } from '../i18n';
import { shownValue } from '../map/editor';
import type { Screen } from '../router';
import { asyncSection } from '../ui/async';
import { append, h, replace } from '../ui/dom';
import { describeError, errorBox, toast } from '../ui/messages';
import { pageRoot, pageShell } from '../ui/page';
import { dataTable } from '../ui/table';

/** Attributes listed first, in this order; the kind's own follow. */
const CORE_ORDER = ['code', 'name', 'kind', 'operator', 'status', 'ward_name', 'shared', 'tenant_count', 'capacity', 'free_capacity', 'accuracy_m'];
const NOT_LISTED = new Set(['tenants', 'operator_name', 'ward_code', 'version', 'created_at', 'updated_at', 'note', 'pipes']);
/** Fields that hold ids of other assets. */
const ASSET_REFERENCES = new Set(['from_manhole_id', 'to_manhole_id', 'carried_by']);

export function assetScreen(app: App, id: number): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const draw = () => {
        const asset = asyncSection({
          signal,
          testId: 'asset-page',
          class: 'asset-page-frame',
          load: async (signal) => {
            const any = await api.getAnyAsset(id, signal);
            const collection = collectionOfKind(String(any.properties.kind ?? ''));
            // The kind's own endpoint gives the ETag for a decommissioning.
            return collection ? await api.getAsset(collection, id, signal) : { feature: any, etag: null };
          },
          render: ({ feature, etag }) => assetPage(app, feature, etag, signal, draw),
          error: (error, retry) =>
            error instanceof ApiError && error.status === 404
              ? h('div', { class: 'page' }, h('div', { class: 'notice notice-error', role: 'alert' }, t('asset.notFound', { id })), h('a', { href: '/registry/poles', class: 'button' }, t('asset.back')))
              : h('div', { class: 'page' }, errorBox(error, retry)),
        });
        replace(root, asset.element);
        void asset.load();
      };
      draw();
    },
  };
}

function assetPage(app: App, feature: AssetFeature, etag: string | null, signal: AbortSignal, reload: () => void): HTMLElement {
  const p = feature.properties as Record<string, unknown>;
  const collection = collectionOfKind(String(p.kind ?? ''));
  const operator = String(p.operator ?? '');
  const { reference } = app;

  const attributeNames = [...CORE_ORDER.filter((k) => k in p), ...Object.keys(p).filter((k) => !CORE_ORDER.includes(k) && !NOT_LISTED.has(k)).sort()];
  const showAttribute = (name: string): Node | string => {
    const value = p[name];
    if (name === 'operator') {
      const legal = reference.operators.find((o) => o.code === operator)?.legal_name;
      const short = reference.operatorLabel(operator);
      return legal && legal !== short ? `${short} — ${legal}` : short;
    }
    if (name === 'status') return h('span', { class: `badge status-${String(value)}`, 'data-testid': 'asset-status' }, valueName('status', String(value)));
    if (name === 'ward_name') return value ? `${String(value)} (${String(p.ward_code ?? '')})` : t('common.empty');
    if (ASSET_REFERENCES.has(name)) {
      const ids = (Array.isArray(value) ? value : value === null || value === undefined ? [] : [value]) as number[];
      return assetLinks(ids, { testId: `refs-${name}` });
    }
    if (typeof value === 'number') return name.endsWith('_m') ? t('common.metres', { value }) : formatNumber(value);
    return shownValue(name, value);
  };

  const pipes = Array.isArray(p.pipes) ? (p.pipes as Record<string, unknown>[]) : [];
  const editable = canEditAsset(operator) && collection !== null && p.status !== 'decommissioned';

  // Taking an asset out of service asks why; nothing is deleted.
  const reason = h('textarea', { id: 'decommission-reason', rows: 2, required: true, 'data-testid': 'decommission-reason' });
  const decommissionBox = h(
    'form',
    {
      class: 'notice notice-warning decommission',
      hidden: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!collection || reason.value.trim() === '') return reason.focus();
        try {
          await api.decommission(collection, feature.id, reason.value.trim(), etag);
          toast(t('asset.decommissioned'), 'success');
          app.view.refreshTiles();
          reload();
        } catch (error) {
          toast(describeError(error), 'error');
        }
      },
    },
    h('p', {}, t('asset.decommissionConfirm')),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'decommission-reason' }, t('asset.decommissionReason')), reason),
    h(
      'div',
      { class: 'form-actions' },
      h('button', { type: 'submit', class: 'button button-danger', 'data-testid': 'decommission-confirm' }, t('asset.decommission')),
      h('button', { type: 'button', class: 'button', onclick: () => (decommissionBox.hidden = true) }, t('edit.cancel')),
    ),
  );

  const history = asyncSection({
    signal,
    load: (signal) => api.history(feature.id, signal),
    render: (history) => historyTable([...history.entries].reverse()),
    // Only the owner, staff of the ward and admins read an asset's history.
    error: (error) =>
      error instanceof ApiError && (error.status === 401 || error.status === 403) ? h('p', { class: 'empty', 'data-testid': 'history-hidden' }, t('asset.historyHidden')) : null,
  });
  if (currentAccess().history) void history.load();

  const shell = pageShell({
    class: 'asset-page',
    eyebrow: valueName('kind', String(p.kind ?? '')),
    title: h('span', { class: 'title-with-swatch' }, h('span', { class: 'swatch swatch-large', style: `background:${reference.operatorColour(operator)}` }), h('span', { 'data-testid': 'asset-code' }, String(p.code ?? feature.id))),
    lead: p.name ? String(p.name) : null,
    actions: [
      h('a', { href: collection ? `/registry/${collection}` : '/registry/poles', class: 'button button-quiet back-link' }, `← ${collection ? t(`kind.${collection}`) : t('nav.registry')}`),
      h('a', { href: `/?asset=${feature.id}`, class: 'button' }, t('asset.showOnMap')),
      editable ? h('a', { href: `/?edit=${collection}:${feature.id}`, class: 'button button-primary', 'data-testid': 'asset-edit' }, t('asset.edit')) : null,
      editable ? h('button', { type: 'button', class: 'button button-danger', 'data-testid': 'asset-decommission', onclick: () => (decommissionBox.hidden = false) }, t('asset.decommission')) : null,
    ],
  });
  append(
    shell.body,
    decommissionBox,
    h(
      'div',
      { class: 'page-grid' },
      h(
        'section',
        { class: 'card' },
        h('h2', {}, t('asset.attributes')),
        h('dl', { class: 'attributes' }, attributeNames.map((name) => [h('dt', {}, fieldName(name)), h('dd', {}, showAttribute(name))])),
        p.note ? h('p', { class: 'note' }, h('strong', {}, `${fieldName('note')}: `), String(p.note)) : null,
        recordLine(p),
        pipes.length > 0
          ? h(
              'div',
              {},
              h('h3', {}, fieldName('pipes')),
              h('ul', { class: 'pipes' }, pipes.map((pipe, i) => h('li', { class: `pipe pipe-${String(pipe.state)}` }, `${i + 1}: ${valueName('state', String(pipe.state ?? ''))}${pipe.tenant ? ` (${reference.operatorLabel(String(pipe.tenant))})` : ''}`))),
            )
          : null,
      ),
      // The public sees where a tower stands, not who shares it nor its history.
      currentAccess().sharing ? tenancyPanel({ app, feature, etag, mayManage: canEditAsset(operator) && !!collection, reload }) : null,
    ),
    currentAccess().history ? h('section', { class: 'card' }, h('h2', {}, t('asset.history')), history.element) : null,
  );
  return shell.element;
}

/** Fields that every change touches or that only restate others; left out of the history. */
const HISTORY_QUIET = new Set(['operator_name', 'ward_name', 'kind', 'free_capacity', 'shared', 'tenant_count']);
const SHOWN_CHANGES = 8;

function historyTable(entries: HistoryEntry[]): HTMLElement {
  return dataTable<HistoryEntry>({
    testId: 'history',
    class: 'history',
    empty: t('asset.noHistory'),
    rows: entries,
    columns: [
      { key: 'at', label: t('asset.when'), nowrap: true, phone: 'title', cell: (entry) => formatDateTime(entry.at) },
      { key: 'actor', label: t('asset.who'), cell: (entry) => entry.actor },
      {
        key: 'action',
        label: t('asset.action'),
        cell: (entry) => [h('span', { class: `badge action-${entry.action}` }, actionName(entry.action)), h('div', { class: 'muted small' }, t('asset.version', { version: String(entry.version) }))],
      },
      {
        key: 'changes',
        label: t('asset.changes'),
        cell: (entry) => {
          const changes = entry.changes.filter((c) => !HISTORY_QUIET.has(c.field));
          const shown = changes.slice(0, SHOWN_CHANGES);
          const isCreate = entry.action === 'create';
          return [
            entry.reason ? h('p', { class: 'small' }, `${t('asset.reason')}: ${entry.reason}`) : null,
            h(
              'ul',
              { class: 'changes' },
              shown.map((change) =>
                h(
                  'li',
                  {},
                  h('strong', {}, fieldName(change.field)),
                  change.field === 'tenancies'
                    ? `: ${tenancyChanges(change.before, change.after).join('; ') || t('audit.tenanciesChanged')}`
                    : change.field === 'geometry'
                    ? ''
                    : isCreate
                      ? `: ${shownValue(change.field, change.after)}`
                      : `: ${shownValue(change.field, change.before)} → ${shownValue(change.field, change.after)}`,
                ),
              ),
              changes.length > SHOWN_CHANGES ? h('li', { class: 'muted' }, t('asset.moreChanges', { count: changes.length - SHOWN_CHANGES })) : null,
            ),
          ];
        },
      },
    ],
  }).element;
}

function actionName(action: string): string {
  switch (action) {
    case 'create':
      return t('action.create');
    case 'update':
      return t('action.update');
    case 'decommission':
      return t('action.decommission');
    case 'tenancy':
      return t('action.tenancy');
    default:
      return action;
  }
}

/** "Ngày tạo: 02/12/2026 09:15 · Cập nhật lần cuối: … · phiên bản 3", leaving out what the document does not carry. */
function recordLine(p: Record<string, unknown>): HTMLElement | null {
  const parts: string[] = [];
  if (typeof p.created_at === 'string') parts.push(`${fieldName('created_at')}: ${formatDateTime(p.created_at)}`);
  if (typeof p.updated_at === 'string') parts.push(`${fieldName('updated_at')}: ${formatDateTime(p.updated_at)}`);
  if (typeof p.version === 'number') parts.push(t('asset.version', { version: String(p.version) }));
  return parts.length === 0 ? null : h('p', { class: 'muted small', 'data-testid': 'asset-record' }, parts.join(' · '));
}
