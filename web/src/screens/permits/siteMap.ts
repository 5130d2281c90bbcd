// The application's site on the shared map, with what the pre-checks found:
// for the sharing check the candidate towers and a ring of the rule's distance
// around the site (a circle computed here), for the others the civil works,
// zones, streets and other applications they list. Drawn as one GeoJSON
// overlay with its own style layers, removed when the page is left.

import { Marker, type GeoJSONSource, type LayerSpecification } from 'maplibre-gl';
import type { Application, Finding, FindingFeature, Outcome } from '../../api/permits';
import type { GeoJsonGeometry } from '../../api/types';
import { formatNumber, t } from '../../i18n';
import { coordinatesOf, type MapView } from '../../map/mapView';
import { h } from '../../ui/dom';

const SOURCE = 'permit-site';

/** Colours of findings by outcome (the same as their badges). */
export const OUTCOME_COLOURS: Record<Outcome, string> = {
  pass: '#2e7d32',
  info: '#1565c0',
  warning: '#ef6c00',
  blocking: '#c62828',
  exempt: '#6a1b9a',
  required: '#8d6e00',
};

const EARTH_RADIUS_M = 6_371_008.8;
/** The site of the works, and the halo that sets it apart. */
const SITE = '#0d3b66';
const SITE_HALO = '#ffd54f';

/** A circle of `radius` metres around [lon, lat], as a polygon of `steps` points (on the sphere). */
export function circlePolygon(centre: [number, number], radius: number, steps = 96): GeoJsonGeometry {
  const [lon, lat] = centre;
  const φ1 = (lat * Math.PI) / 180;
  const λ1 = (lon * Math.PI) / 180;
  const δ = radius / EARTH_RADIUS_M;
  const ring: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const θ = (2 * Math.PI * (i % steps)) / steps;
    const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
    const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
    ring.push([(λ2 * 180) / Math.PI, (φ2 * 180) / Math.PI]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/** A point standing for a geometry: itself, or its middle vertex. */
function anchorOf(geometry: GeoJsonGeometry): [number, number] | null {
  const all = coordinatesOf(geometry);
  return all[Math.floor(all.length / 2)] ?? null;
}

/** How a found feature is named in lists and labels. */
export function featureLabel(feature: FindingFeature): string {
  return String(feature.code ?? feature.reference ?? feature.name ?? feature.title ?? feature.id ?? '');
}

const LAYERS: LayerSpecification[] = [
  {
    id: 'permit-site-ring-fill',
    type: 'fill',
    source: SOURCE,
    filter: ['==', ['get', 'role'], 'ring'],
    paint: { 'fill-color': '#1565c0', 'fill-opacity': 0.07 },
  },
  {
    id: 'permit-site-ring',
    type: 'line',
    source: SOURCE,
    filter: ['==', ['get', 'role'], 'ring'],
    paint: { 'line-color': '#1565c0', 'line-width': 2, 'line-dasharray': [3, 2] },
  },
  {
    id: 'permit-site-finding-area',
    type: 'fill',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'finding'], ['==', ['geometry-type'], 'Polygon']],
    paint: { 'fill-color': ['get', 'colour'], 'fill-opacity': 0.18 },
  },
  {
    id: 'permit-site-finding-line',
    type: 'line',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'finding'], ['!=', ['geometry-type'], 'Point']],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ['get', 'colour'], 'line-width': 5, 'line-opacity': 0.75 },
  },
  {
    id: 'permit-site-finding-point',
    type: 'circle',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'finding'], ['==', ['geometry-type'], 'Point']],
    paint: { 'circle-radius': 11, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': ['get', 'colour'], 'circle-stroke-width': 3 },
  },
  // The site itself: navy on a yellow halo, so it stands out from findings (red, amber, blue).
  {
    id: 'permit-site-halo',
    type: 'line',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'site'], ['!=', ['geometry-type'], 'Point']],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': SITE_HALO, 'line-width': 12, 'line-opacity': 0.9 },
  },
  {
    id: 'permit-site-area',
    type: 'fill',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'site'], ['==', ['geometry-type'], 'Polygon']],
    paint: { 'fill-color': SITE, 'fill-opacity': 0.3 },
  },
  {
    id: 'permit-site-line',
    type: 'line',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'site'], ['!=', ['geometry-type'], 'Point']],
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': SITE, 'line-width': 5 },
  },
  {
    id: 'permit-site-point',
    type: 'circle',
    source: SOURCE,
    filter: ['all', ['==', ['get', 'role'], 'site'], ['==', ['geometry-type'], 'Point']],
    paint: { 'circle-radius': 9, 'circle-color': SITE, 'circle-stroke-color': SITE_HALO, 'circle-stroke-width': 4 },
  },
];

/** The overlay's features: the site, each sharing ring, each found feature. */
export function siteFeatures(application: Application): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [{ type: 'Feature', geometry: application.geometry as GeoJSON.Geometry, properties: { role: 'site' } }];
  const centre = application.geometry.type === 'Point' ? application.geometry.coordinates : anchorOf(application.geometry);
  for (const finding of application.checks) {
    const colour = OUTCOME_COLOURS[finding.outcome] ?? '#546e7a';
    const radius = finding.details.radius_m;
    if (finding.check_key === 'sharing' && typeof radius === 'number' && centre) {
      features.push({ type: 'Feature', geometry: circlePolygon(centre, radius) as GeoJSON.Geometry, properties: { role: 'ring', check: finding.check_key, radius } });
    }
    for (const found of finding.details.features ?? []) {
      if (!found.geometry) continue;
      features.push({ type: 'Feature', geometry: found.geometry as GeoJSON.Geometry, properties: { role: 'finding', check: finding.check_key, outcome: finding.outcome, colour, label: featureLabel(found) } });
    }
  }
  return { type: 'FeatureCollection', features };
}

/**
 * Draws the application on the map and zooms to it (with its sharing ring);
 * returns what removes it all again.
 */
export function showSite(view: MapView, application: Application): () => void {
  const map = view.map;
  const data = siteFeatures(application);
  const markers: Marker[] = [];
  let removed = false;

  const install = () => {
    if (removed) return;
    const source = map.getSource<GeoJSONSource>(SOURCE);
    if (source) source.setData(data);
    else map.addSource(SOURCE, { type: 'geojson', data });
    // Below a drawing tool's layers, above everything else.
    const firstForeign = map.getStyle().layers.find((l) => l.id.startsWith('td-'))?.id;
    for (const layer of LAYERS) if (!map.getLayer(layer.id)) map.addLayer(layer, firstForeign);
    // Names and distances of the candidate towers, as HTML (the map has no glyphs).
    for (const finding of application.checks) {
      for (const found of finding.details.features ?? []) {
        if (!found.geometry || found.geometry.type !== 'Point') continue;
        markers.push(new Marker({ element: findingLabel(finding, found), anchor: 'left', offset: [14, 0] }).setLngLat(found.geometry.coordinates).addTo(map));
      }
    }
    const extent: [number, number][] = data.features.flatMap((f) => coordinatesOf(f.geometry as GeoJsonGeometry));
    if (extent.length > 0) view.zoomTo({ type: 'LineString', coordinates: extent }, 18);
  };
  void view.ready.then(install);

  return () => {
    removed = true;
    for (const marker of markers) marker.remove();
    for (const layer of LAYERS) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  };
}

function findingLabel(finding: Finding, feature: FindingFeature): HTMLElement {
  const distance = typeof feature.distance_m === 'number' ? ` · ${t('permit.distance', { distance: formatNumber(feature.distance_m, 0) })}` : '';
  return h('div', { class: `finding-label finding-label-${finding.outcome}`, 'aria-hidden': 'true' }, `${featureLabel(feature)}${distance}`);
}
