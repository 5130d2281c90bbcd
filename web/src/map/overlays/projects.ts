// Undergrounding projects (dự án ngầm hóa): the street or route where a
// shared duct is built, as a wide band under the assets, coloured by the
// project's state. The popup shows the progress in km and the operators'
// removal confirmations.

import { currentAccess } from '../../domain/access';
import type { ExpressionSpecification } from 'maplibre-gl';
import { PROJECT_STATUSES, undergroundingApi, type Project } from '../../api/undergrounding';
import { km, PROJECT_COLOURS } from '../../domain/undergrounding';
import { formatDate, t } from '../../i18n';
import { h } from '../../ui/dom';
import { progressBar } from '../../ui/progress';
import type { Overlay } from './types';

export type ProjectFeature = GeoJSON.Feature<GeoJSON.Geometry, Project & { built_ratio: number }>;

const COLOUR = ['match', ['get', 'status'], ...PROJECT_STATUSES.flatMap((s) => [s, PROJECT_COLOURS[s]]), '#757575'] as unknown as ExpressionSpecification;
const IS_LINE: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const IS_AREA: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];

export const projects: Overlay<ProjectFeature> = {
  id: 'ug-projects',
  label: 'ug.layer.projects',
  available: () => currentAccess().analysis,
  async load(signal) {
    const list = await undergroundingApi.projects(signal);
    return list.map(({ geometry, ...properties }) => ({
      type: 'Feature',
      geometry: geometry as GeoJSON.Geometry,
      properties: { ...properties, geometry, built_ratio: properties.length_km > 0 ? properties.built_km / properties.length_km : 0 },
    }));
  },
  styleLayers: () => [
    { id: 'ug-projects-fill', type: 'fill', source: 'ug-projects', filter: IS_AREA, paint: { 'fill-color': COLOUR, 'fill-opacity': 0.25 } },
    {
      id: 'ug-projects-band',
      type: 'line',
      source: 'ug-projects',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': COLOUR, 'line-opacity': 0.45, 'line-width': ['interpolate', ['exponential', 1.5], ['zoom'], 12, 6, 18, 34] },
    },
    {
      id: 'ug-projects-line',
      type: 'line',
      source: 'ug-projects',
      filter: IS_LINE,
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: {
        'line-color': COLOUR,
        'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 18, 4],
        'line-dasharray': [3, 1.5],
      },
    },
  ],
  interactiveLayerIds: ['ug-projects-fill', 'ug-projects-band'],

  legend() {
    return h(
      'ul',
      { class: 'legend-classes' },
      PROJECT_STATUSES.map((status) => h('li', {}, h('span', { class: 'swatch', style: `background:${PROJECT_COLOURS[status]}` }), t(`ug.project.status.${status}`))),
    );
  },

  popup(feature, _rendered, context) {
    const p = feature.properties;
    const confirmed = p.operators.filter((o) => o.removal_confirmed_at).length;
    return h(
      'div',
      { class: 'popup project-popup', 'data-testid': 'project-popup' },
      h('div', { class: 'popup-kind' }, t('ug.project.kind')),
      h('h3', { class: 'popup-title' }, p.name),
      h('p', { class: 'popup-line' }, h('span', { class: `badge project-${p.status}` }, t(`ug.project.status.${p.status}`)), ' ', `${formatDate(p.starts_on)} – ${formatDate(p.ends_on)}`),
      progressBar(p.built_km, p.length_km, t('ug.project.progressText', { built: km(p.built_km), length: km(p.length_km) })),
      h('p', { class: 'popup-line small' }, t('ug.project.removals', { confirmed, total: p.operators.length })),
      h(
        'div',
        { class: 'popup-actions' },
        h('a', { href: `/ngam-hoa/du-an/${p.id}`, class: 'button button-primary', onclick: () => context.closePopup() }, t('ug.project.open')),
      ),
    );
  },
};
