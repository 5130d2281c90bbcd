// Measuring on the map (đo khoảng cách, diện tích): a person clicks points
// along a line or around an area and reads, while drawing, the length of each
// leg and the total (or the area and perimeter), on the sphere like the
// server's `ST_Length(geography)`. Nothing is saved; anyone may measure, the
// public too. Its drawing layers are prefixed `td-measure`.
//
// Address: `/?tool=measure` (`&shape=polygon` for an area).

import { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { formatNumber, t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { toolHeading, type RunningTool, type ToolHost } from './index';

type Shape = 'linestring' | 'polygon';
type Position = [number, number];

const COLOUR = '#e65100';
const EARTH_RADIUS = 6_371_008.8;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** The great-circle distance between two positions, in metres. */
export function distance(a: Position, b: Position): number {
  const dφ = rad(b[1] - a[1]);
  const dλ = rad(b[0] - a[0]);
  const s = Math.sin(dφ / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dλ / 2) ** 2;
  return 2 * EARTH_RADIUS * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** The area of a closed ring on the sphere, in square metres. */
export function ringArea(ring: Position[]): number {
  if (ring.length < 4) return 0;
  let total = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const p = ring[i] as Position;
    const q = ring[i + 1] as Position;
    total += rad(q[0] - p[0]) * (2 + Math.sin(rad(p[1])) + Math.sin(rad(q[1])));
  }
  return Math.abs((total * EARTH_RADIUS * EARTH_RADIUS) / 2);
}

/** A length as a person reads it: "86,4 m", "1,25 km". */
export function formatLength(metres: number): string {
  return metres < 1000 ? `${formatNumber(metres, 1)} m` : `${formatNumber(metres / 1000, 2)} km`;
}

/** An area as a person reads it: "950 m²", "1,2 ha", "3,45 km²". */
export function formatArea(square: number): string {
  if (square < 10_000) return `${formatNumber(square, 0)} m²`;
  if (square < 1_000_000) return `${formatNumber(square / 10_000, 2)} ha`;
  return `${formatNumber(square / 1_000_000, 2)} km²`;
}

function dedupe(coordinates: Position[]): Position[] {
  return coordinates.filter((c, i) => i === 0 || c[0] !== coordinates[i - 1]?.[0] || c[1] !== coordinates[i - 1]?.[1]);
}

export function measureTool(host: ToolHost, params: URLSearchParams = new URLSearchParams()): RunningTool {
  const { view } = host.app;
  let shape: Shape = params.get('shape') === 'polygon' ? 'polygon' : 'linestring';
  const section = h('section', { class: 'panel-section tool', 'data-testid': 'measure-tool' });
  const readout = h('div', { class: 'measure-readout', 'aria-live': 'polite', 'data-testid': 'measure-readout' });
  const legs = h('ol', { class: 'measure-legs', 'data-testid': 'measure-legs' });
  replace(host.panel, section);

  view.editing = true;
  view.closePopup();
  view.map.doubleClickZoom.disable();
  const draw = new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map: view.map, prefixId: 'td-measure' }),
    modes: [
      new TerraDrawLineStringMode({ styles: { lineStringColor: COLOUR, lineStringWidth: 3, closingPointColor: COLOUR } }),
      new TerraDrawPolygonMode({ styles: { fillColor: COLOUR, fillOpacity: 0.12, outlineColor: COLOUR, outlineWidth: 3, closingPointColor: COLOUR } }),
    ],
  });
  draw.start();
  draw.setMode(shape);

  /** The line or ring drawn so far, the point under the cursor included. */
  const current = (): Position[] => {
    const features = draw.getSnapshot().filter((f) => f.geometry.type === (shape === 'linestring' ? 'LineString' : 'Polygon'));
    const last = features[features.length - 1];
    if (!last) return [];
    const g = last.geometry;
    const raw = g.type === 'LineString' ? g.coordinates : g.type === 'Polygon' ? (g.coordinates[0] ?? []) : [];
    return dedupe(raw.map((c) => [c[0] ?? 0, c[1] ?? 0] as Position));
  };

  const update = () => {
    const points = current();
    if (shape === 'linestring') {
      const lengths = points.slice(1).map((p, i) => distance(points[i] as Position, p));
      const total = lengths.reduce((a, b) => a + b, 0);
      replace(
        readout,
        points.length < 2
          ? h('p', { class: 'muted' }, t('measure.lineHint'))
          : h('p', {}, h('span', { class: 'measure-label' }, t('measure.total')), ' ', h('strong', { 'data-testid': 'measure-total' }, formatLength(total))),
      );
      replace(
        legs,
        lengths.map((l, i) => h('li', { 'data-testid': 'measure-leg' }, t('measure.leg', { n: i + 1 }), ': ', formatLength(l))),
      );
    } else {
      const open = points.length > 1 && points[0]?.[0] === points[points.length - 1]?.[0] && points[0]?.[1] === points[points.length - 1]?.[1] ? points.slice(0, -1) : points;
      const closed = open.length >= 3 ? [...open, open[0] as Position] : [];
      const area = ringArea(closed);
      const perimeter = closed.slice(1).reduce((sum, p, i) => sum + distance(closed[i] as Position, p), 0);
      replace(
        readout,
        closed.length < 4
          ? h('p', { class: 'muted' }, t('measure.polygonHint'))
          : h(
              'div',
              {},
              h('p', {}, h('span', { class: 'measure-label' }, t('measure.area')), ' ', h('strong', { 'data-testid': 'measure-area' }, formatArea(area))),
              h('p', {}, h('span', { class: 'measure-label' }, t('measure.perimeter')), ' ', h('strong', { 'data-testid': 'measure-perimeter' }, formatLength(perimeter))),
            ),
      );
      replace(legs);
    }
  };

  draw.on('change', () => update());
  draw.on('finish', () => update());

  const choose = (next: Shape) => {
    shape = next;
    draw.clear();
    draw.setMode(shape);
    render();
  };

  function render(): void {
    replace(
      section,
      toolHeading(t('measure.title'), host),
      h(
        'div',
        { class: 'segmented', role: 'radiogroup', 'aria-label': t('measure.what') },
        (
          [
            ['linestring', t('measure.distance')],
            ['polygon', t('measure.areaTab')],
          ] as [Shape, string][]
        ).map(([value, label]) =>
          h('button', { type: 'button', role: 'radio', 'aria-checked': String(shape === value), class: shape === value ? 'active' : '', 'data-testid': `measure-${value}`, onclick: () => choose(value) }, label),
        ),
      ),
      readout,
      legs,
      h('p', { class: 'muted small' }, t('measure.note')),
      h('button', { type: 'button', class: 'button', 'data-testid': 'measure-clear', onclick: () => choose(shape) }, t('measure.again')),
    );
    update();
  }
  render();

  return {
    dispose() {
      if (draw.enabled) draw.stop();
      view.editing = false;
      view.map.doubleClickZoom.enable();
    },
  };
}
