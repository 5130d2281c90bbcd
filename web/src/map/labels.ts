// Names on the map from Hatang's own data, so the map reads offline as it
// draws: street names along the streets the tiles carry (`streets.name`),
// and the two archipelagos of Việt Nam at country scale. Map text in MapLibre
// needs a glyph server, which an offline Hatang does not have, so the names are
// HTML markers (as the ward names are): placed where the map is at rest, one
// per street, along its longest stretch on the screen, turned with it, and
// left out where they would overlap.

import { Marker, type Map as MapLibreMap } from 'maplibre-gl';
import { t } from '../i18n';
import { h } from '../ui/dom';

/** From this zoom street names are shown. */
export const STREET_LABEL_MIN_ZOOM = 15;
/** At most this many street names at once. */
const MAX_STREET_LABELS = 60;
/** Roughly the width of one character of a label (11 px text), in pixels. */
const CHAR_WIDTH = 6.2;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** The longest straight stretch of a line on the screen: its middle, angle and length. */
function longestStretch(map: MapLibreMap, lines: number[][][], width: number, height: number): { x: number; y: number; angle: number; length: number } | null {
  let best: { x: number; y: number; angle: number; length: number } | null = null;
  for (const line of lines) {
    for (let i = 0; i + 1 < line.length; i++) {
      const a = map.project(line[i] as [number, number]);
      const b = map.project(line[i + 1] as [number, number]);
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      if (mx < 20 || my < 20 || mx > width - 20 || my > height - 20) continue;
      const length = Math.hypot(b.x - a.x, b.y - a.y);
      if (!best || length > best.length) {
        let angle = (Math.atan2(b.y - a.y, b.x - a.x) * 180) / Math.PI;
        // Read from left to right, never upside down.
        if (angle > 90) angle -= 180;
        if (angle < -90) angle += 180;
        best = { x: mx, y: my, angle, length };
      }
    }
  }
  return best;
}

export class StreetLabels {
  private markers: Marker[] = [];
  private lastView = '';

  constructor(
    private readonly map: MapLibreMap,
    /** The style layer the street lines are drawn by. */
    private readonly layerId: string,
  ) {
    map.on('idle', () => this.update());
    map.on('movestart', () => this.hide());
  }

  /** Places the names for the view at rest (once per view). */
  update(): void {
    const view = `${this.map.getCenter().toArray().join(',')}/${this.map.getZoom()}/${this.map.getBearing()}/${this.map.getCanvas().width}`;
    if (view === this.lastView && this.markers.length > 0) {
      for (const marker of this.markers) marker.getElement().classList.remove('hidden');
      return;
    }
    this.lastView = view;
    this.clear();
    if (this.map.getZoom() < STREET_LABEL_MIN_ZOOM || !this.map.getLayer(this.layerId)) return;
    const canvas = this.map.getCanvas();
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const byName = new Map<string, number[][][]>();
    for (const feature of this.map.queryRenderedFeatures({ layers: [this.layerId] })) {
      const name = feature.properties?.name;
      if (typeof name !== 'string' || name.trim() === '') continue;
      const g = feature.geometry;
      const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : [];
      byName.set(name, [...(byName.get(name) ?? []), ...lines]);
    }
    const placed: Box[] = [];
    const candidates = [...byName.entries()]
      .map(([name, lines]) => ({ name, stretch: longestStretch(this.map, lines, width, height) }))
      .filter((c) => c.stretch && c.stretch.length >= c.name.length * CHAR_WIDTH * 0.8)
      .sort((a, b) => (b.stretch?.length ?? 0) - (a.stretch?.length ?? 0));
    for (const { name, stretch } of candidates) {
      if (!stretch || this.markers.length >= MAX_STREET_LABELS) break;
      const half = (name.length * CHAR_WIDTH) / 2 + 4;
      const dx = Math.abs(Math.cos((stretch.angle * Math.PI) / 180)) * half + 8;
      const dy = Math.abs(Math.sin((stretch.angle * Math.PI) / 180)) * half + 8;
      const box = { x0: stretch.x - dx, y0: stretch.y - dy, x1: stretch.x + dx, y1: stretch.y + dy };
      if (placed.some((p) => overlaps(p, box))) continue;
      placed.push(box);
      const element = h('div', { class: 'street-label', 'data-testid': 'street-label', 'aria-hidden': 'true' }, name);
      this.markers.push(
        new Marker({ element, anchor: 'center', rotation: stretch.angle, rotationAlignment: 'viewport' }).setLngLat(this.map.unproject([stretch.x, stretch.y])).addTo(this.map),
      );
    }
  }

  private hide(): void {
    for (const marker of this.markers) marker.getElement().classList.add('hidden');
  }

  private clear(): void {
    for (const marker of this.markers) marker.remove();
    this.markers = [];
  }
}

/** Below this zoom (a region or the country) the archipelagos are named. */
const ARCHIPELAGO_MAX_ZOOM = 10;

/**
 * The names of Việt Nam's archipelagos, Hoàng Sa (Đà Nẵng) and Trường Sa
 * (Khánh Hòa), on any map of the country: Hatang's own layer, drawn above an
 * external basemap too, whatever that basemap labels there.
 */
export function archipelagoLabels(map: MapLibreMap): () => void {
  const places: { key: 'sovereignty.hoangSa' | 'sovereignty.truongSa'; at: [number, number]; id: string }[] = [
    { key: 'sovereignty.hoangSa', at: [111.9, 16.45], id: 'hoang-sa' },
    { key: 'sovereignty.truongSa', at: [114.2, 9.9], id: 'truong-sa' },
  ];
  const markers = places.map(({ key, at, id }) =>
    new Marker({ element: h('div', { class: 'archipelago-label', 'data-testid': `archipelago-${id}` }, t(key)), anchor: 'center' }).setLngLat(at).addTo(map),
  );
  const update = () => {
    const show = map.getZoom() < ARCHIPELAGO_MAX_ZOOM;
    markers.forEach((marker, i) => {
      marker.getElement().classList.toggle('hidden', !show);
      marker.getElement().textContent = t(places[i]!.key);
    });
  };
  map.on('zoomend', update);
  update();
  return update;
}
