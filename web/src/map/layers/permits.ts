// Permit applications (hồ sơ cấp phép xây dựng): the sites of the works the
// signed-in person may see — an operator its own, a reviewer its wards' —
// coloured by the state of the application. Drawn from
// `GET /api/v1/permits?format=geojson`, not from the tiles, so it is always
// current; hidden until switched on, and offered only to people signed in.

import type { ExpressionSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import { PERMIT_STATES, permitsApi, type PermitState } from '../../api/permits';
import { STATE_GROUP_COLOURS, STATE_GROUPS, stateGroup, stateName, worksName } from '../../domain/permits';
import { currentSession } from '../../domain/session';
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import type { MapLayer } from './types';

const SOURCE = 'permit-applications';

/** The colour of a feature by its `state`, through the state's group. */
function colourByState(): ExpressionSpecification {
  const pairs = PERMIT_STATES.flatMap((state) => [state, STATE_GROUP_COLOURS[stateGroup(state)]]);
  return ['match', ['get', 'state'], ...pairs, STATE_GROUP_COLOURS.closed] as unknown as ExpressionSpecification;
}

export const permitApplications: MapLayer = {
  id: 'permits',
  label: 'permit.layer',
  symbol: 'square',
  visibleByDefault: false,
  geojson: { source: SOURCE, load: (signal) => permitsApi.geojson(signal) },
  available: () => currentSession().user !== null,
  styleLayers: () => [
    {
      id: 'permits-area',
      type: 'fill',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Polygon'],
      paint: { 'fill-color': colourByState(), 'fill-opacity': 0.3, 'fill-outline-color': colourByState() },
    },
    {
      id: 'permits-casing',
      type: 'line',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 5, 18, 12] },
    },
    {
      id: 'permits-line',
      type: 'line',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'LineString'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': colourByState(), 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3, 18, 8], 'line-dasharray': [2, 1] },
    },
    {
      id: 'permits-point',
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['geometry-type'], 'Point'],
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 6, 18, 12],
        'circle-color': colourByState(),
        'circle-opacity': 0.85,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 3,
      },
    },
  ],
  assetLayerIds: ['permits-area', 'permits-line', 'permits-point'],
  clusterLayerIds: [],
  legend: () =>
    h(
      'ul',
      { class: 'legend-colours legend-permits', 'data-testid': 'permits-legend' },
      STATE_GROUPS.map((group) => h('li', {}, h('span', { class: 'swatch', style: `background:${STATE_GROUP_COLOURS[group]}` }), t(`permit.group.${group}`))),
    ),
  popup: (feature: MapGeoJSONFeature, open: (href: string) => void) => {
    const p = feature.properties;
    const id = Number(feature.id ?? p.id);
    const state = String(p.state ?? '') as PermitState;
    return h(
      'div',
      { class: 'popup', 'data-testid': 'permit-popup' },
      h('div', { class: 'popup-kind' }, h('span', { class: 'swatch', style: `background:${STATE_GROUP_COLOURS[stateGroup(state)]}` }), worksName(String(p.works_type ?? ''))),
      h('h3', { class: 'popup-title' }, String(p.reference ?? '')),
      h('p', { class: 'small' }, String(p.title ?? '')),
      h('p', { class: 'small' }, `${stateName(state)} · ${String(p.operator ?? '')}`),
      h(
        'div',
        { class: 'popup-actions' },
        h('a', { href: `/permits/${id}`, class: 'button button-primary', onclick: (event: Event) => (event.preventDefault(), open(`/permits/${id}`)) }, t('permit.popupOpen')),
      ),
    );
  },
};
