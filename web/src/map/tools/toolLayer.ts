// What a map tool draws as its answer: the search ring and candidate towers
// of the co-location finder, the manholes picked and the duct route (or the
// duct that blocks it) of the free-path tracer. One GeoJSON source on top of
// the map; each feature's `role` says how it is drawn.

import type { GeoJSONSource, LayerSpecification } from 'maplibre-gl';
import type { MapView } from '../mapView';

export type ToolRole = 'ring' | 'site' | 'candidate' | 'manhole' | 'route' | 'blocked-route' | 'blocking';

export const TOOL_COLOURS = {
  ring: '#1565c0',
  candidate: '#00a152',
  route: '#00c853',
  blocking: '#d50000',
  blockedRoute: '#90a4ae',
  manhole: '#6a1b9a',
} as const;

const SOURCE = 'ug-tool';
const role = (...roles: ToolRole[]) => ['in', ['get', 'role'], ['literal', roles]] as never;

const LAYERS: LayerSpecification[] = [
  { id: 'ug-tool-ring', type: 'fill', source: SOURCE, filter: role('ring'), paint: { 'fill-color': TOOL_COLOURS.ring, 'fill-opacity': 0.07 } },
  { id: 'ug-tool-ring-outline', type: 'line', source: SOURCE, filter: role('ring'), paint: { 'line-color': TOOL_COLOURS.ring, 'line-width': 2, 'line-dasharray': [3, 2] } },
  {
    id: 'ug-tool-route-casing',
    type: 'line',
    source: SOURCE,
    filter: role('route', 'blocked-route', 'blocking'),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 13, 8, 18, 16] },
  },
  {
    id: 'ug-tool-route',
    type: 'line',
    source: SOURCE,
    filter: role('route', 'blocked-route', 'blocking'),
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: {
      'line-color': ['match', ['get', 'role'], 'route', TOOL_COLOURS.route, 'blocking', TOOL_COLOURS.blocking, TOOL_COLOURS.blockedRoute],
      'line-width': ['interpolate', ['linear'], ['zoom'], 13, ['match', ['get', 'role'], 'blocking', 6, 4], 18, ['match', ['get', 'role'], 'blocking', 12, 9]],
    },
  },
  {
    id: 'ug-tool-points',
    type: 'circle',
    source: SOURCE,
    filter: role('site', 'candidate', 'manhole'),
    paint: {
      'circle-radius': ['match', ['get', 'role'], 'site', 7, 13],
      'circle-color': ['match', ['get', 'role'], 'site', TOOL_COLOURS.ring, 'rgba(0,0,0,0)'],
      'circle-stroke-color': ['match', ['get', 'role'], 'site', '#ffffff', 'candidate', TOOL_COLOURS.candidate, TOOL_COLOURS.manhole],
      'circle-stroke-width': ['match', ['get', 'role'], 'site', 2, 3.5],
    },
  },
];

export class ToolLayer {
  constructor(private readonly view: MapView) {}

  show(features: GeoJSON.Feature[]): void {
    const map = this.view.map;
    if (!map.getSource(SOURCE)) map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    // Above every layer but a drawing tool's.
    const before = map.getStyle().layers.find((l) => l.id.startsWith('td-'))?.id;
    for (const spec of LAYERS) if (!map.getLayer(spec.id)) map.addLayer(spec, before);
    map.getSource<GeoJSONSource>(SOURCE)?.setData({ type: 'FeatureCollection', features });
  }

  clear(): void {
    this.view.map.getSource<GeoJSONSource>(SOURCE)?.setData({ type: 'FeatureCollection', features: [] });
  }

  dispose(): void {
    const map = this.view.map;
    for (const spec of LAYERS) if (map.getLayer(spec.id)) map.removeLayer(spec.id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  }
}

/** A circle of `radius` metres around a point, as a polygon (64 sides, on the sphere). */
export function circle(center: [number, number], radius: number, sides = 64): GeoJSON.Polygon {
  const [lon, lat] = center;
  const earth = 6_371_008.8;
  const angular = radius / earth;
  const φ1 = (lat * Math.PI) / 180;
  const λ1 = (lon * Math.PI) / 180;
  const ring: [number, number][] = [];
  for (let i = 0; i <= sides; i++) {
    const bearing = (2 * Math.PI * i) / sides;
    const φ2 = Math.asin(Math.sin(φ1) * Math.cos(angular) + Math.cos(φ1) * Math.sin(angular) * Math.cos(bearing));
    const λ2 = λ1 + Math.atan2(Math.sin(bearing) * Math.sin(angular) * Math.cos(φ1), Math.cos(angular) - Math.sin(φ1) * Math.sin(φ2));
    ring.push([(λ2 * 180) / Math.PI, (φ2 * 180) / Math.PI]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}
