// Civil works by others and no-dig periods (công trình đào đường, thời gian
// cấm đào): roads, power, water and lighting works announced by the ward, so
// operators can co-build (dig once), and streets just resurfaced that must
// not be dug until a date. Works under way or coming are orange bands (solid
// or dashed); a no-dig period is a purple band with a dotted core. Works whose
// no-dig period is over are not drawn.

import { currentAccess } from '../../domain/access';
import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import { undergroundingApi, type CivilWorkFeature } from '../../api/undergrounding';
import { memberOperator, PHASE_COLOURS, sectorName, WORK_PHASES, workPhase, type WorkPhase } from '../../domain/undergrounding';
import { formatDate, t } from '../../i18n';
import { h } from '../../ui/dom';
import type { Overlay } from './types';

export type WorkFeature = CivilWorkFeature & { properties: CivilWorkFeature['properties'] & { phase: WorkPhase; work_id: number } };

const COLOUR = ['match', ['get', 'phase'], ...WORK_PHASES.flatMap((p) => [p, PHASE_COLOURS[p]]), PHASE_COLOURS.past] as unknown as ExpressionSpecification;
const phaseIs = (...phases: WorkPhase[]): ExpressionSpecification => ['in', ['get', 'phase'], ['literal', phases]];
const lines: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['LineString', 'MultiLineString']]];
const areas: ExpressionSpecification = ['in', ['geometry-type'], ['literal', ['Polygon', 'MultiPolygon']]];
const all = (...conditions: ExpressionSpecification[]) => ['all', ...conditions] as unknown as FilterSpecification;
const bandWidth: ExpressionSpecification = ['interpolate', ['exponential', 1.5], ['zoom'], 12, 5, 18, 28];

/** A line sample for the legend, drawn like the map draws the phase. */
export function phaseSample(phase: WorkPhase): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '14');
  svg.setAttribute('viewBox', '0 0 26 14');
  svg.setAttribute('aria-hidden', 'true');
  const line = (attributes: Record<string, string>) => {
    const element = document.createElementNS(ns, 'line');
    for (const [k, v] of Object.entries({ x1: '1', y1: '7', x2: '25', y2: '7', ...attributes })) element.setAttribute(k, v);
    svg.appendChild(element);
  };
  const colour = PHASE_COLOURS[phase];
  line({ stroke: colour, 'stroke-width': '9', 'stroke-opacity': '0.35', ...(phase === 'upcoming' ? { 'stroke-dasharray': '5 3' } : {}) });
  line({ stroke: colour, 'stroke-width': '2.5', ...(phase === 'no_dig' ? { 'stroke-dasharray': '1.5 2.5' } : phase === 'upcoming' ? { 'stroke-dasharray': '5 3' } : {}) });
  return svg;
}

export const civilWorks: Overlay<WorkFeature> = {
  id: 'ug-works',
  label: 'ug.layer.works',
  available: () => currentAccess().analysis,
  async load(signal) {
    const collection = await undergroundingApi.civilWorks(signal);
    return collection.features.map((f) => ({ ...f, properties: { ...f.properties, phase: workPhase(f.properties), work_id: f.id } }));
  },
  styleLayers: () => [
    { id: 'ug-works-fill', type: 'fill', source: 'ug-works', filter: all(areas, phaseIs(...WORK_PHASES)), paint: { 'fill-color': COLOUR, 'fill-opacity': 0.18 } },
    {
      id: 'ug-works-band',
      type: 'line',
      source: 'ug-works',
      filter: all(lines, phaseIs('in_progress', 'no_dig')),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': COLOUR, 'line-opacity': 0.35, 'line-width': bandWidth },
    },
    {
      id: 'ug-works-band-upcoming',
      type: 'line',
      source: 'ug-works',
      filter: all(lines, phaseIs('upcoming')),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': COLOUR, 'line-opacity': 0.35, 'line-width': bandWidth, 'line-dasharray': [2, 1] },
    },
    {
      id: 'ug-works-core',
      type: 'line',
      source: 'ug-works',
      filter: all(phaseIs('in_progress')),
      paint: { 'line-color': COLOUR, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 18, 4] },
    },
    {
      id: 'ug-works-core-upcoming',
      type: 'line',
      source: 'ug-works',
      filter: all(phaseIs('upcoming')),
      paint: { 'line-color': COLOUR, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 18, 4], 'line-dasharray': [3, 2] },
    },
    {
      id: 'ug-works-core-nodig',
      type: 'line',
      source: 'ug-works',
      filter: all(phaseIs('no_dig')),
      layout: { 'line-cap': 'round' },
      paint: { 'line-color': COLOUR, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 18, 5], 'line-dasharray': [0.6, 1.6] },
    },
  ],
  interactiveLayerIds: ['ug-works-fill', 'ug-works-band', 'ug-works-band-upcoming'],

  legend() {
    return h(
      'ul',
      { class: 'legend-classes legend-lines' },
      WORK_PHASES.map((phase) => h('li', {}, phaseSample(phase), t(`ug.work.phase.${phase}`))),
    );
  },

  popup(feature, _rendered, context) {
    const p = feature.properties;
    return h(
      'div',
      { class: 'popup work-popup', 'data-testid': 'work-popup' },
      h('div', { class: 'popup-kind' }, t('ug.work.kind'), ' · ', sectorName(p.sector)),
      h('h3', { class: 'popup-title' }, p.title),
      h('p', { class: 'popup-line' }, h('span', { class: `badge phase-${p.phase}` }, t(`ug.work.phase.${p.phase}`))),
      h(
        'dl',
        { class: 'popup-attributes' },
        h('dt', {}, t('ug.work.dates')),
        h('dd', {}, `${formatDate(p.starts_on)} – ${formatDate(p.ends_on)}`),
        h('dt', {}, t('ug.work.noDigUntil')),
        h('dd', {}, p.no_dig_until ? formatDate(p.no_dig_until) : t('common.empty')),
        h('dt', {}, t('ug.work.owner')),
        h('dd', {}, p.owner_org),
        p.contact ? [h('dt', {}, t('ug.work.contact')), h('dd', {}, p.contact)] : null,
      ),
      h(
        'div',
        { class: 'popup-actions' },
        h(
          'a',
          { href: `/ngam-hoa/cong-trinh/${p.work_id}`, class: 'button button-primary', onclick: () => context.closePopup() },
          memberOperator() && p.phase !== 'no_dig' ? t('ug.work.coBuild') : t('ug.work.open'),
        ),
      ),
    );
  },
};
