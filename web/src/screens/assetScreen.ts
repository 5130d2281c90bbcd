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
import { h, loading, replace } from '../ui/dom';
import { describeError, errorBox, toast } from '../ui/messages';

/** Attributes listed first, in this order; the kind's own follow. */
const CORE_ORDER = ['code', 'name', 'kind', 'operator', 'status', 'ward_name', 'shared', 'tenant_count', 'capacity', 'free_capacity', 'accuracy_m'];
const NOT_LISTED = new Set(['tenants', 'operator_name', 'ward_code', 'version', 'created_at', 'updated_at', 'note', 'pipes']);
/** Fields that hold ids of other assets. */
const ASSET_REFERENCES = new Set(['from_manhole_id', 'to_manhole_id', 'carried_by']);

export function assetScreen(app: App, id: number): Screen {
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const page = h('article', { class: 'page asset-page', 'data-testid': 'asset-page' }, loading(t('app.loading')));
      replace(root, page);
      let feature: AssetFeature;
      let etag: string | null = null;
      try {
        const any = await api.getAnyAsset(id);
        const collection = collectionOfKind(String(any.properties.kind ?? ''));
        // The kind's own endpoint gives the ETag for a decommissioning.
        const own = collection ? await api.getAsset(collection, id) : { feature: any, etag: null };
        feature = own.feature;
        etag = own.etag;
      } catch (error) {
        const message = error instanceof ApiError && error.status === 404 ? t('asset.notFound', { id }) : describeError(error);
        replace(page, h('div', { class: 'notice notice-error', role: 'alert' }, message), h('a', { href: '/registry/poles', class: 'button' }, t('asset.back')));
        return;
      }
      const p = feature.properties as Record<string, unknown>;
      const collection = collectionOfKind(String(p.kind ?? ''));
      const operator = String(p.operator ?? '');
      const { reference } = app;

      const attributeNames = [
        ...CORE_ORDER.filter((k) => k in p),
        ...Object.keys(p).filter((k) => !CORE_ORDER.includes(k) && !NOT_LISTED.has(k)).sort(),
      ];
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

      const actions = h(
        'div',
        { class: 'page-actions' },
        h('a', { href: `/?asset=${feature.id}`, class: 'button' }, t('asset.showOnMap')),
        canEditAsset(operator) && collection && p.status !== 'decommissioned'
          ? h('a', { href: `/?edit=${collection}:${feature.id}`, class: 'button button-primary', 'data-testid': 'asset-edit' }, t('asset.edit'))
          : null,
        canEditAsset(operator) && collection && p.status !== 'decommissioned'
          ? h('button', { type: 'button', class: 'button button-danger', 'data-testid': 'asset-decommission', onclick: () => (decommissionBox.hidden = false) }, t('asset.decommission'))
          : null,
      );

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
              void this.render(root);
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

      const historyArea = h('div', {}, loading(t('app.loading')));
      replace(
        page,
        h(
          'header',
          { class: 'page-header' },
          h('a', { href: collection ? `/registry/${collection}` : '/registry/poles', class: 'back-link' }, `← ${collection ? t(`kind.${collection}`) : t('nav.registry')}`),
          h(
            'div',
            { class: 'page-heading' },
            h('span', { class: 'swatch swatch-large', style: `background:${reference.operatorColour(operator)}` }),
            h('div', {}, h('p', { class: 'eyebrow' }, valueName('kind', String(p.kind ?? ''))), h('h1', { class: 'page-title', 'data-testid': 'asset-code' }, String(p.code ?? feature.id)), p.name ? h('p', { class: 'subtitle' }, String(p.name)) : null),
          ),
          actions,
        ),
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
          currentAccess().sharing
            ? tenancyPanel({ app, feature, etag, mayManage: canEditAsset(operator) && collection !== undefined, reload: () => void this.render(root) })
            : null,
        ),
        currentAccess().history ? h('section', { class: 'card' }, h('h2', {}, t('asset.history')), historyArea) : null,
      );

      const loadHistory = async () => {
        replace(historyArea, loading(t('app.loading')));
        try {
          const history = await api.history(feature.id);
          replace(historyArea, h('div', { class: 'table-scroll' }, historyTable([...history.entries].reverse())));
        } catch (error) {
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
            // Only the owner, staff of the ward and admins read an asset's history.
            replace(historyArea, h('p', { class: 'empty', 'data-testid': 'history-hidden' }, t('asset.historyHidden')));
          } else {
            replace(historyArea, errorBox(error, () => void loadHistory()));
          }
        }
      };
      if (currentAccess().history) await loadHistory();
    },
  };
}

/** Fields that every change touches or that only restate others; left out of the history. */
const HISTORY_QUIET = new Set(['operator_name', 'ward_name', 'kind', 'free_capacity', 'shared', 'tenant_count']);
const SHOWN_CHANGES = 8;

function historyTable(entries: HistoryEntry[]): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'empty' }, t('asset.noHistory'));
  return h(
    'table',
    { class: 'data-table history', 'data-testid': 'history' },
    h('thead', {}, h('tr', {}, [t('asset.when'), t('asset.who'), t('asset.action'), t('asset.changes')].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      entries.map((entry) => {
        const changes = entry.changes.filter((c) => !HISTORY_QUIET.has(c.field));
        const shown = changes.slice(0, SHOWN_CHANGES);
        const isCreate = entry.action === 'create';
        return h(
          'tr',
          {},
          h('td', { class: 'nowrap' }, formatDateTime(entry.at)),
          h('td', {}, entry.actor),
          h('td', {}, h('span', { class: `badge action-${entry.action}` }, actionName(entry.action)), h('div', { class: 'muted small' }, t('asset.version', { version: String(entry.version) }))),
          h(
            'td',
            {},
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
          ),
        );
      }),
    ),
  );
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
