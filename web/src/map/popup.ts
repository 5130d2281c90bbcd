// The popup for a clicked feature: an asset's key attributes (from the tile,
// so it opens at once) with a link to its page, or a cluster's count.

import type { MapGeoJSONFeature } from 'maplibre-gl';
import type { Reference } from '../domain/reference';
import { collectionOfKind } from '../domain/kinds';
import { fieldName, formatNumber, t, valueName } from '../i18n';
import { h } from '../ui/dom';

/** Kind-specific tile properties shown in the popup, in order. */
const KIND_FIELDS: Record<string, string[]> = {
  tower: ['tower_class', 'height_m', 'placement'],
  pole: ['purpose', 'material'],
  duct: ['pipe_count', 'free_pipes'],
  manhole: ['covers'],
  trench: ['trench_type'],
  cable: ['placement', 'medium', 'role'],
  cabinet: ['cabinet_type'],
};

function show(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (typeof value === 'number') return field.endsWith('_m') ? t('common.metres', { value }) : formatNumber(value);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  return valueName(field, String(value));
}

export interface PopupActions {
  /** Opens the asset page. */
  open(href: string): void;
  /** Starts editing the asset. */
  edit?(collection: string, id: number): void;
  /** Whether the person may edit an asset of this owner. */
  mayEdit?(operator: string): boolean;
}

/** The popup content of an asset feature from the tiles. */
export function assetPopup(feature: MapGeoJSONFeature, reference: Reference, actions: PopupActions): HTMLElement {
  const p = feature.properties as Record<string, unknown>;
  const kind = String(p.kind ?? '');
  const id = Number(p.id ?? feature.id);
  const collection = collectionOfKind(kind);
  const operator = String(p.operator ?? '');
  const ward = reference.wards.find((w) => w.properties.gso_code === p.ward_code);
  const tenants = Number(p.tenant_count ?? 0);

  const rows: [string, string][] = [
    [fieldName('operator'), reference.operatorLabel(operator)],
    [fieldName('status'), valueName('status', String(p.status ?? ''))],
    [fieldName('shared'), tenants > 0 ? `${t('sharing.shared')} · ${t('sharing.tenants', { count: tenants })}` : t('sharing.notShared')],
    ...(KIND_FIELDS[kind] ?? []).map((field): [string, string] => [fieldName(field), show(field, p[field])]),
    [fieldName('ward_name'), ward?.properties.name ?? String(p.ward_code ?? t('common.empty'))],
  ];
  const href = `/assets/${id}`;
  return h(
    'div',
    { class: 'popup', 'data-testid': 'asset-popup' },
    h('div', { class: 'popup-kind' }, h('span', { class: 'swatch', style: `background:${reference.operatorColour(operator)}` }), valueName('kind', kind)),
    h('h3', { class: 'popup-title' }, String(p.code ?? id)),
    typeof p.name === 'string' && p.name ? h('p', { class: 'popup-name', 'data-testid': 'popup-name' }, p.name) : null,
    h('dl', { class: 'popup-attributes' }, rows.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
    h(
      'div',
      { class: 'popup-actions' },
      h(
        'a',
        {
          href,
          class: 'button button-primary',
          onclick: (event: Event) => {
            event.preventDefault();
            actions.open(href);
          },
        },
        t('popup.open'),
      ),
      actions.edit && collection && (actions.mayEdit?.(operator) ?? true)
        ? h('button', { type: 'button', class: 'button', onclick: () => actions.edit?.(collection, id) }, t('popup.edit'))
        : null,
    ),
  );
}

/** The popup content of a cluster, with a button to zoom in. */
export function clusterPopup(feature: MapGeoJSONFeature, zoomIn: () => void): HTMLElement {
  const p = feature.properties as Record<string, unknown>;
  const count = Number(p.count ?? p.point_count ?? 0);
  return h(
    'div',
    { class: 'popup', 'data-testid': 'cluster-popup' },
    h('h3', { class: 'popup-title' }, t('popup.cluster', { count })),
    h('div', { class: 'popup-actions' }, h('button', { type: 'button', class: 'button button-primary', onclick: zoomIn }, t('popup.clusterZoom'))),
  );
}
