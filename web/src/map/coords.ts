// Cursor coordinates in WGS84 and in VN-2000 TM-3 of the province under the
// cursor. TM-3 zones differ by province (central meridian from
// /api/v1/provinces, e.g. Quảng Ngãi 108°00′), so the ward under the cursor
// (from /api/v1/wards) picks the meridian. Vietnamese surveyors write X for
// the northing and Y for the easting; the readout says so.

import proj4 from 'proj4';
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl';
import type { GeoJsonGeometry, WardFeature } from '../api/types';
import type { Reference } from '../domain/reference';
import { formatFixed, formatMeridian, onLangChange, t } from '../i18n';
import { h, replace } from '../ui/dom';

/**
 * The 7-parameter shift from VN-2000 to WGS84 exactly as PostGIS ships
 * EPSG:4756 (position-vector rotations, so their signs are the opposite of
 * the coordinate-frame values often quoted: -0.00928836, 0.01975479,
 * -0.00427372). With these signs the result matches PostGIS's EPSG:5898
 * (VN-2000 / TM-3 108°) to the millimetre; with the quoted ones it is about
 * 0.6 m off.
 */
const VN2000_TOWGS84 = '-191.90441429,-39.30318279,-111.45032835,0.00928836,-0.01975479,0.00427372,0.252906278';

/** The proj4 definition of VN-2000 TM-3 with the given central meridian. */
export function tm3Definition(meridian: number): string {
  return `+proj=tmerc +lat_0=0 +lon_0=${meridian} +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=${VN2000_TOWGS84} +units=m +no_defs`;
}

declare global {
  interface Window {
    /** The conversion the readout uses, for browser tests. */
    __hatangToVn2000?: typeof toVn2000Tm3;
  }
}

/** WGS84 longitude/latitude to VN-2000 TM-3: `{x: northing, y: easting}` in metres. */
export function toVn2000Tm3(lon: number, lat: number, meridian: number): { x: number; y: number } {
  const [easting, northing] = proj4('EPSG:4326', tm3Definition(meridian), [lon, lat]) as [number, number];
  return { x: northing, y: easting };
}

function insideRing(lon: number, lat: number, ring: [number, number][]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] ?? [0, 0];
    const [xj, yj] = ring[j] ?? [0, 0];
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insidePolygon(lon: number, lat: number, rings: [number, number][][]): boolean {
  const [outer, ...holes] = rings;
  return !!outer && insideRing(lon, lat, outer) && !holes.some((hole) => insideRing(lon, lat, hole));
}

function contains(geometry: GeoJsonGeometry | null, lon: number, lat: number): boolean {
  if (!geometry) return false;
  if (geometry.type === 'Polygon') return insidePolygon(lon, lat, geometry.coordinates);
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.some((p) => insidePolygon(lon, lat, p));
  return false;
}

/**
 * The ward containing a point, or else the nearest one within about 50 km
 * (the province's zone still applies just outside the loaded wards; far away
 * it would not, and the readout shows WGS84 only).
 */
export function wardAt(wards: readonly WardFeature[], lon: number, lat: number): WardFeature | undefined {
  const containing = wards.find((w) => contains(w.geometry, lon, lat));
  if (containing) return containing;
  let best: WardFeature | undefined;
  let bestDistance = 0.5;
  for (const ward of wards) {
    const box = ward.properties.bbox;
    if (!box || ward.properties.tm3_meridian === null) continue;
    const d = Math.hypot((box[0] + box[2]) / 2 - lon, (box[1] + box[3]) / 2 - lat);
    if (d < bestDistance) {
      bestDistance = d;
      best = ward;
    }
  }
  return best;
}

/** The coordinate readout at the bottom of the map; `dispose` stops it following the cursor. */
export function coordinateReadout(map: MapLibreMap, reference: Reference): { element: HTMLElement; dispose(): void } {
  const element = h('div', { class: 'coords', 'aria-label': t('coords.title') });
  let last: { lng: number; lat: number } | null = null;

  const render = () => {
    if (!last) {
      replace(element, h('span', { class: 'coords-hint' }, t('coords.moveMouse')));
      return;
    }
    const { lng, lat } = last;
    const ward = wardAt(reference.wards, lng, lat);
    const meridian = ward?.properties.tm3_meridian ?? null;
    const wgs = h(
      'div',
      { class: 'coords-row' },
      h('span', { class: 'coords-system' }, t('coords.wgs84')),
      h('span', { 'data-testid': 'coords-wgs84' }, `${t('coords.lat')} ${formatFixed(lat, 6)}°  ${t('coords.lon')} ${formatFixed(lng, 6)}°`),
    );
    if (meridian === null || !ward) {
      replace(element, wgs);
      return;
    }
    const { x, y } = toVn2000Tm3(lng, lat, meridian);
    const vn = h(
      'div',
      { class: 'coords-row', title: t('coords.hint') },
      h('span', { class: 'coords-system' }, t('coords.vn2000', { meridian: formatMeridian(meridian), province: ward.properties.province_name })),
      h('span', { 'data-testid': 'coords-vn2000' }, `${t('coords.x')} ${formatFixed(x, 2)} m  ${t('coords.y')} ${formatFixed(y, 2)} m`),
    );
    replace(element, wgs, vn);
  };

  window.__hatangToVn2000 = toVn2000Tm3;
  const onMove = (event: MapMouseEvent) => {
    last = event.lngLat;
    render();
  };
  map.on('mousemove', onMove);
  const stopLang = onLangChange(render);
  render();
  return {
    element,
    dispose() {
      map.off('mousemove', onMove);
      stopLang();
      element.remove();
    },
  };
}
