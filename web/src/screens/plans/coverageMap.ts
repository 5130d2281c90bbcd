// The coverage map: the unit's neighbourhood units coloured by the share of
// households passed by fibre (or connected, or of people covered by 5G or by
// 4G/5G), from the operators' filings and the ward's households and
// population. A map of its own (no basemap, no asset layers), so the
// choropleth reads clearly; a click tells a unit's figures and their source.
// Open challenges to the coverage (filings' `/api/v1/challenges/map`) lie on top.

import { Map as MapLibre, Marker, Popup, type ExpressionSpecification, type GeoJSONSource } from 'maplibre-gl';
import { filingsApi } from '../../api/filings';
import { plansApi, type CoverageMap, type CoverageProperties } from '../../api/plans';
import { CHALLENGE_COLOURS } from '../../domain/filings';
import { formatDate, formatNumber, t, todayInVietnam, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';

type Measure = 'fibre_households_passed_pct' | 'fibre_households_subscribed_pct' | 'population_5g_covered_pct' | 'population_4g5g_covered_pct';
const MEASURES: [Measure, MessageKey][] = [
  ['fibre_households_passed_pct', 'plan.map.fibre'],
  ['fibre_households_subscribed_pct', 'plan.map.subscribed'],
  ['population_5g_covered_pct', 'plan.map.fiveG'],
  ['population_4g5g_covered_pct', 'plan.map.fourG'],
];
/** Classes of the legend: below 50 %, 50–70, 70–90, 90 and more. */
const STEPS: [number, string][] = [
  [0, '#d73027'],
  [50, '#fc8d59'],
  [70, '#d9ef8b'],
  [90, '#1a9850'],
];
const NO_DATA = '#bdbdbd';

function colour(measure: Measure): ExpressionSpecification {
  return ['case', ['!', ['has', measure]], NO_DATA, ['==', ['get', measure], null], NO_DATA, ['step', ['get', measure], STEPS[0]![1], STEPS[1]![0], STEPS[1]![1], STEPS[2]![0], STEPS[2]![1], STEPS[3]![0], STEPS[3]![1]]];
}

function bounds(data: CoverageMap): [number, number, number, number] | null {
  let box: [number, number, number, number] | null = null;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number' && typeof c[1] === 'number') {
      const [x, y] = c as [number, number];
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y];
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  for (const f of data.features) visit((f.geometry as { coordinates?: unknown } | null)?.coordinates);
  return box;
}

/** Where a unit's label goes: the middle of its outer ring's corners (the units are compact). */
function labelPoint(geometry: unknown): [number, number] | null {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  const ring = (g?.type === 'Polygon' ? (g.coordinates as number[][][])[0] : g?.type === 'MultiPolygon' ? (g.coordinates as number[][][][])[0]?.[0] : null) ?? [];
  if (ring.length === 0) return null;
  const corners = ring.length > 1 ? ring.slice(0, -1) : ring;
  let x = 0;
  let y = 0;
  for (const corner of corners) {
    x += corner[0] ?? 0;
    y += corner[1] ?? 0;
  }
  return [x / corners.length, y / corners.length];
}

function labelText(p: CoverageProperties, measure: Measure): string {
  const value = p[measure];
  return value === null || value === undefined ? '–' : `${formatNumber(value, 0)} %`;
}

function popupContent(p: CoverageProperties): HTMLElement {
  const pct = (value: number | null | undefined) => (value === null || value === undefined ? t('plan.map.noData') : `${formatNumber(value, 1)} %`);
  return h(
    'div',
    { class: 'coverage-popup', 'data-testid': 'coverage-popup' },
    h('strong', {}, p.name),
    h('p', { class: 'small' }, [p.households ? t('plan.map.households', { value: formatNumber(p.households, 0) }) : null, p.population ? t('plan.map.population', { value: formatNumber(p.population, 0) }) : null].filter(Boolean).join(' · ')),
    h(
      'dl',
      { class: 'popup-attributes' },
      MEASURES.map(([m, label]) => {
        // MapLibre hands nested properties back as JSON text.
        const raw: unknown = p[`${m}_source`];
        const source = (typeof raw === 'string' ? JSON.parse(raw) : raw) as CoverageProperties[`${string}_source`];
        return [
          h('dt', {}, t(label)),
          h('dd', {}, pct(p[m]), source?.as_of ? h('span', { class: 'small muted' }, ` · ${formatDate(source.as_of)} · ${source.operators.join(', ')}`) : null),
        ];
      }),
    ),
    p.population_synthetic ? h('p', { class: 'small muted' }, t('plan.source.synthetic')) : null,
  );
}

export interface CoverageView {
  element: HTMLElement;
  /** Draws the map once the element is in the page. */
  start(): void;
  destroy(): void;
}

export async function coverageMap(unit: number, year: number, signal: AbortSignal): Promise<CoverageView> {
  const today = todayInVietnam();
  const at = `${year}-12-31` < today ? `${year}-12-31` : null;
  const data = await plansApi.coverage(unit, at, signal);
  let measure: Measure = 'fibre_households_passed_pct';
  const mapBox = h('div', { class: 'coverage-map', 'data-testid': 'coverage-map', 'data-features': data.features.length });
  const select = h(
    'select',
    {
      'data-testid': 'coverage-measure',
      onchange: (e: Event) => {
        measure = (e.target as HTMLSelectElement).value as Measure;
        if (map?.getLayer('coverage-fill')) map.setPaintProperty('coverage-fill', 'fill-color', colour(measure));
        for (const [label, p] of labels) label.textContent = labelText(p, measure);
      },
    },
    MEASURES.map(([m, label]) => h('option', { value: m }, t(label))),
  );
  const legend = h(
    'ul',
    { class: 'legend-colours coverage-legend', 'data-testid': 'coverage-legend' },
    STEPS.map(([from, c], i) => h('li', {}, h('span', { class: 'swatch', style: `background:${c}` }), i + 1 < STEPS.length ? `${from}–${STEPS[i + 1]![0]} %` : `≥ ${from} %`)),
    h('li', {}, h('span', { class: 'swatch', style: `background:${NO_DATA}` }), t('plan.map.noData')),
  );
  const synthetic = data.features.some((f) => f.properties.population_synthetic);
  const element = h(
    'section',
    { class: 'card coverage' },
    h('div', { class: 'coverage-head' }, h('h2', {}, t('plan.map.title')), h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('plan.map.measure')), select)),
    data.features.length === 0 ? h('p', { class: 'empty' }, t('plan.map.noUnits')) : mapBox,
    legend,
    synthetic ? h('p', { class: 'note' }, t('plan.map.syntheticNote')) : null,
    h('p', { class: 'note' }, t('plan.map.challenges')),
  );
  let map: MapLibre | null = null;
  /** The names on the map, as HTML (the map has no glyphs), with their units' figures. */
  const labels: [HTMLElement, CoverageProperties][] = [];
  return {
    element,
    start() {
      if (data.features.length === 0) return;
      const box = bounds(data);
      map = new MapLibre({
        container: mapBox,
        style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } }] },
        bounds: box ?? undefined,
        fitBoundsOptions: { padding: 24 },
        attributionControl: false,
      });
      const current = map;
      current.on('load', () => {
        current.addSource('coverage', { type: 'geojson', data: data as unknown as GeoJSON.FeatureCollection });
        current.addLayer({ id: 'coverage-fill', type: 'fill', source: 'coverage', paint: { 'fill-color': colour(measure), 'fill-opacity': 0.75 } });
        current.addLayer({ id: 'coverage-line', type: 'line', source: 'coverage', paint: { 'line-color': '#37474f', 'line-width': 1 } });
        (current.getSource('coverage') as GeoJSONSource | undefined)?.setData(data as unknown as GeoJSON.FeatureCollection);
        for (const feature of data.features) {
          const at = labelPoint(feature.geometry);
          if (!at) continue;
          const value = h('span', { class: 'coverage-label-value' }, labelText(feature.properties, measure));
          const label = h('span', { class: 'coverage-label', 'data-testid': 'coverage-label', 'data-name': feature.properties.name }, h('span', { class: 'coverage-label-name' }, feature.properties.name), value);
          labels.push([value, feature.properties]);
          new Marker({ element: label }).setLngLat(at).addTo(current);
        }
        mapBox.setAttribute('data-ready', 'true');
        // Open challenges on top, coloured by who has to act.
        void filingsApi
          .challengeMap()
          .then((points) => {
            if (map !== current) return;
            current.addSource('coverage-challenges', { type: 'geojson', data: points });
            current.addLayer({
              id: 'coverage-challenges',
              type: 'circle',
              source: 'coverage-challenges',
              paint: {
                'circle-radius': 6,
                'circle-color': ['match', ['get', 'state'], 'submitted', CHALLENGE_COLOURS.waiting, ['forwarded', 'disputed'], CHALLENGE_COLOURS.operator, CHALLENGE_COLOURS.binding] as unknown as ExpressionSpecification,
                'circle-stroke-color': '#ffffff',
                'circle-stroke-width': 2,
              },
            });
            mapBox.setAttribute('data-challenges', String(points.features.length));
          })
          .catch(() => mapBox.setAttribute('data-challenges', 'error'));
      });
      current.on('click', 'coverage-fill', (event) => {
        const feature = event.features?.[0];
        if (!feature) return;
        new Popup({ closeButton: true, maxWidth: '360px' }).setLngLat(event.lngLat).setDOMContent(popupContent(feature.properties as unknown as CoverageProperties)).addTo(current);
      });
      current.on('mouseenter', 'coverage-fill', () => (current.getCanvas().style.cursor = 'pointer'));
      current.on('mouseleave', 'coverage-fill', () => (current.getCanvas().style.cursor = ''));
    },
    destroy() {
      map?.remove();
      map = null;
    },
  };
}
