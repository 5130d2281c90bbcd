// The one map of the app. It lives as long as the page: screens place its
// element where they want it (full screen, or above a table), so the view
// does not reset when a person moves between screens.
//
// Hatang's own tiles (`/tiles/{layers}/{z}/{x}/{y}`, every layer in one
// composite request) are drawn over a plain background, or over an external
// basemap style when the deployment configures one. Map text would need a
// font server, so names are HTML (ward and street labels, the archipelagos,
// popups: see labels.ts).

import {
  LngLatBounds,
  Map as MapLibreMap,
  Marker,
  NavigationControl,
  Popup,
  ScaleControl,
  setWorkerUrl,
  type GeoJSONSource,
  type LayerSpecification,
  type MapGeoJSONFeature,
  type PointLike,
  type StyleSpecification,
  type VectorTileSource,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import '../styles/everyday.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import type { Collection, GeoJsonGeometry } from '../api/types';
import { rememberBasemap, type AppConfig, type Basemap } from '../config';
import { filterExpression, filters, onFiltersChange } from '../domain/filters';
import { mayReadCollection, mayReadTileLayer } from '../domain/access';
import { currentReference, onReferenceChange, type Reference } from '../domain/reference';
import { lang, onLangChange, t } from '../i18n';
import { h } from '../ui/dom';
import { toast } from '../ui/messages';
import { colourExpression, type ColourMode } from './colours';
import { MAP_LAYERS, TILE_LAYERS, type MapLayer, type StyleContext } from './layers';
import { archipelagoLabels, StreetLabels } from './labels';
import { assetPopup, clusterPopup, type PopupActions } from './popup';
import { installSymbols } from './symbols';

setWorkerUrl(workerUrl);

const SOURCE = 'hatang';
const HIGHLIGHT = 'highlight';
const PROBLEM = 'problem';
const BASEMAP = 'basemap';

const PLAIN_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#eceee8' } }],
};

declare global {
  interface Window {
    /** The MapLibre map, for browser tests (queryRenderedFeatures). */
    __hatangMap?: MapLibreMap;
  }
}

export class MapView {
  readonly element: HTMLElement;
  readonly map: MapLibreMap;
  /** Resolves once the style and Hatang's layers are on the map. */
  readonly ready: Promise<void>;

  private colourMode: ColourMode = 'operator';
  private readonly visible = new Map<string, boolean>(MAP_LAYERS.map((l) => [l.id, l.visibleByDefault]));
  private tileVersion = 0;
  private popup: Popup | null = null;
  private wardMarkers: Marker[] = [];
  private readonly loadingBadge: HTMLElement;
  private tileErrorShown = 0;
  /** The one kind drawn (a registry table's), or null for every kind. */
  private onlyCollection: Collection | null = null;
  /** While a drawing is being edited, clicks go to the drawing, not to popups. */
  editing = false;
  /** While a form picks assets on the map, clicks on them go to it (see `pick`). */
  private picking: { layers: string[]; onPick: (feature: MapGeoJSONFeature) => void } | null = null;
  popupActions: PopupActions = { open: () => undefined };
  private readonly changeListeners = new Set<() => void>();
  private readonly attribution: HTMLElement;
  private basemapErrorShown = 0;

  /** The reference data as it is now: a refresh (a new operator) recolours the map. */
  private get reference(): Reference {
    return currentReference();
  }

  constructor(private readonly config: AppConfig) {
    const container = h('div', { class: 'map-canvas', 'data-testid': 'map' });
    this.loadingBadge = h('div', { class: 'map-loading', role: 'status', hidden: true }, h('span', { class: 'spinner' }), t('app.loading'));
    this.attribution = h('div', { class: 'map-attribution', 'data-testid': 'basemap-attribution', hidden: true });
    this.element = h('div', { class: 'map-view' }, container, this.loadingBadge, this.attribution);
    this.map = new MapLibreMap({
      container,
      style: styleOf(this.basemap()),
      // The drawing stays readable after it is shown, for the print view's snapshot (printView.ts).
      canvasContextAttributes: { preserveDrawingBuffer: true },
      center: [108.8055, 15.112],
      zoom: 14.5,
      maxZoom: 20,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      locale: mapLocale(),
    });
    window.__hatangMap = this.map;
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-right');
    installSymbols(this.map);

    this.map.on('error', (event) => {
      const sourceId = (event as { sourceId?: string }).sourceId;
      if (sourceId === SOURCE) {
        if (Date.now() - this.tileErrorShown > 15_000) {
          this.tileErrorShown = Date.now();
          toast(t('error.mapTiles'), 'error');
        }
        return;
      }
      const basemap = this.basemap();
      if (sourceId === BASEMAP && basemap) {
        // A raster basemap's tile that did not come: Hatang's layers are drawn anyway.
        if (Date.now() - this.basemapErrorShown > 15_000) {
          this.basemapErrorShown = Date.now();
          toast(t('error.basemap', { url: basemap.name }), 'error');
        }
        return;
      }
      // Anything else is a fault of the style or the app: say it where developers look.
      console.error('map error', event.error);
      if (basemap?.type === 'style' && !this.map.getLayer('wards-fill')) {
        // The style itself did not load: the plain background, for this page only.
        toast(t('error.basemap', { url: basemap.url }), 'error');
        this.config.basemap = null;
        this.showAttribution();
        this.map.setStyle(PLAIN_STYLE, { diff: false });
      }
    });
    this.showAttribution();

    this.ready = new Promise((resolve) => {
      this.map.on('style.load', () => {
        this.installLayers();
        resolve();
      });
    });

    this.map.on('dataloading', () => (this.loadingBadge.hidden = false));
    this.map.on('idle', () => (this.loadingBadge.hidden = true));
    this.map.on('click', (event) => this.onClick(event.point));
    this.map.on('mousemove', (event) => {
      if (this.picking) {
        this.map.getCanvas().style.cursor = this.pickedAt(event.point) ? 'copy' : 'crosshair';
        return;
      }
      if (this.editing) return;
      const hit = this.featuresAt(event.point).length > 0;
      this.map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
    this.map.on('zoomend', () => this.updateWardLabels());
    onFiltersChange(() => this.restyle());
    // Names from Hatang's own data (HTML, no glyph server): streets when close, the archipelagos at country scale.
    new StreetLabels(this.map, 'streets');
    const relabelArchipelagos = archipelagoLabels(this.map);
    onReferenceChange(() => this.restyle());
    onLangChange(() => {
      this.popup?.remove();
      this.loadingBadge.lastChild!.textContent = t('app.loading');
      relabelArchipelagos();
    });
    this.addWardLabels();
  }

  /** The basemap drawn now, or null for the plain background. */
  basemap(): Basemap | null {
    return this.config.basemaps.find((b) => b.id === this.config.basemap) ?? null;
  }

  /** The basemaps the deployment offers (config.json). */
  basemaps(): Basemap[] {
    return this.config.basemaps;
  }

  /** Draws Hatang's layers over another basemap (or the plain background with null), and keeps the choice. */
  setBasemap(id: string | null): void {
    if (id === this.config.basemap) return;
    rememberBasemap(this.config, this.config.basemaps.some((b) => b.id === id) ? id : null);
    this.popup?.remove();
    this.showAttribution();
    // A new style: Hatang's sources and layers are added again on its `style.load`.
    this.map.setStyle(styleOf(this.basemap()), { diff: false });
    this.emitChange();
  }

  private showAttribution(): void {
    const basemap = this.basemap();
    this.attribution.textContent = basemap?.attribution ?? '';
    this.attribution.hidden = !basemap?.attribution;
  }

  /** Puts the map into `parent` and makes it fit its new size. */
  mountIn(parent: HTMLElement): void {
    if (this.element.parentElement !== parent) parent.appendChild(this.element);
    this.map.resize();
    requestAnimationFrame(() => this.map.resize());
  }

  /** Called after anything the legend shows changes (colour mode, visibility). */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  getColourMode(): ColourMode {
    return this.colourMode;
  }

  setColourMode(mode: ColourMode): void {
    this.colourMode = mode;
    this.restyle();
  }

  isVisible(layer: MapLayer): boolean {
    return this.visible.get(layer.id) ?? true;
  }

  setVisible(layer: MapLayer, visible: boolean): void {
    this.visible.set(layer.id, visible);
    for (const spec of layer.styleLayers(this.context())) {
      if (this.map.getLayer(spec.id)) this.map.setLayoutProperty(spec.id, 'visibility', this.shown(layer) ? 'visible' : 'none');
    }
    if (visible) void this.loadGeojson(layer);
    this.emitChange();
  }

  /** Loads the data of a layer drawn from its own GeoJSON again (after a change), if it is shown. */
  reloadLayer(id: string): void {
    const layer = MAP_LAYERS.find((l) => l.id === id);
    if (layer && this.shown(layer)) void this.loadGeojson(layer);
  }

  /** Whether a layer is drawn: switched on, offered to this person, and of the kind a table shows. */
  shown(layer: MapLayer): boolean {
    if (this.onlyCollection && layer.collection !== this.onlyCollection && (layer.collection || layer.geojson)) return false;
    return this.isVisible(layer) && this.offered(layer);
  }

  /**
   * Draws only the assets of one kind (the registry's table: its map shows what the table
   * lists, whatever the map screen's kind filter), or every kind again with null.
   */
  showOnly(collection: Collection | null): void {
    if (this.onlyCollection === collection) return;
    this.onlyCollection = collection;
    this.restyle();
  }

  /** Whether the layer is for this person: its kind is one they may read, and it is available to them. */
  offered(layer: MapLayer): boolean {
    if (layer.collection && !mayReadCollection(layer.collection)) return false;
    return layer.available?.() ?? true;
  }

  private async loadGeojson(layer: MapLayer): Promise<void> {
    const own = layer.geojson;
    if (!own || !(layer.available?.() ?? true)) return;
    try {
      const data = await own.load(new AbortController().signal);
      this.map.getSource<GeoJSONSource>(own.source)?.setData(data);
    } catch {
      toast(t('error.mapTiles'), 'error');
    }
  }

  /** Asks the server for every tile again (after an edit). */
  refreshTiles(): void {
    this.tileVersion += 1;
    const source = this.map.getSource<VectorTileSource>(SOURCE);
    source?.setTiles([this.tileUrl()]);
  }

  /** Outlines a geometry (a search result, the asset being looked at). */
  highlight(geometry: GeoJsonGeometry | null): void {
    this.map.getSource<GeoJSONSource>(HIGHLIGHT)?.setData(featureCollection(geometry));
  }

  /** Marks a geometry the server refused, with its problem in a popup. */
  showProblem(geometry: GeoJsonGeometry | null, message: string | null): void {
    this.map.getSource<GeoJSONSource>(PROBLEM)?.setData(featureCollection(geometry));
    this.popup?.remove();
    if (geometry && message) {
      const at = firstCoordinate(geometry);
      if (at) {
        this.popup = new Popup({ closeOnClick: true, className: 'popup-problem', maxWidth: '320px' })
          .setLngLat(at)
          .setDOMContent(h('div', { class: 'popup', role: 'alert', 'data-testid': 'geometry-problem' }, message))
          .addTo(this.map);
      }
    }
  }

  /** Zooms to a geometry or a [west, south, east, north] box. */
  zoomTo(target: GeoJsonGeometry | [number, number, number, number], maxZoom = 17): void {
    const bounds = new LngLatBounds();
    if (Array.isArray(target)) {
      bounds.extend([target[0], target[1]]).extend([target[2], target[3]]);
    } else {
      for (const c of coordinatesOf(target)) bounds.extend(c);
    }
    if (bounds.isEmpty()) return;
    this.map.fitBounds(bounds, { padding: 60, maxZoom, duration: 600 });
  }

  closePopup(): void {
    this.popup?.remove();
  }

  /** [west, south, east, north] of what the map shows. */
  extent(): [number, number, number, number] {
    const b = this.map.getBounds();
    const clamp = (v: number, limit: number) => Math.max(-limit, Math.min(limit, v));
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)];
  }

  /** The style layers holding single assets and clusters, that are on the map now. */
  interactiveLayerIds(): string[] {
    return MAP_LAYERS.flatMap((l) => [...l.assetLayerIds, ...l.clusterLayerIds]).filter((id) => this.map.getLayer(id));
  }

  private tileUrl(): string {
    // Signing in or out loads the page again, so the session is the page's for its life.
    const layers = TILE_LAYERS.filter((layer) => mayReadTileLayer(layer));
    const base = `${location.origin}/tiles/${layers.join(',')}/{z}/{x}/{y}`;
    return this.tileVersion === 0 ? base : `${base}?v=${this.tileVersion}`;
  }

  private context(): StyleContext {
    return {
      source: SOURCE,
      colour: colourExpression(this.colourMode, this.reference),
      // A registry table's map follows the table's kind, not the map screen's kind filter.
      filter: filterExpression(this.onlyCollection ? { ...filters(), kind: null } : filters()),
      basemap: this.basemap() !== null,
    };
  }

  /** Adds Hatang's source and layers to the style (again after a style change). */
  private installLayers(): void {
    if (!this.map.getSource(SOURCE)) {
      this.map.addSource(SOURCE, {
        type: 'vector',
        tiles: [this.tileUrl()],
        minzoom: 6,
        maxzoom: 16,
        attribution: 'Hạ tầng',
      });
    }
    for (const id of [HIGHLIGHT, PROBLEM]) {
      if (!this.map.getSource(id)) this.map.addSource(id, { type: 'geojson', data: featureCollection(null) });
    }
    for (const layer of MAP_LAYERS) {
      if (layer.geojson && !this.map.getSource(layer.geojson.source)) {
        this.map.addSource(layer.geojson.source, { type: 'geojson', data: featureCollection(null) });
        if (this.shown(layer)) void this.loadGeojson(layer);
      }
    }
    this.addStyleLayers();
  }

  private overlayLayers(): LayerSpecification[] {
    return [
      {
        id: 'highlight-line',
        type: 'line',
        source: HIGHLIGHT,
        filter: ['!=', ['geometry-type'], 'Point'],
        paint: { 'line-color': '#ffd600', 'line-width': 12, 'line-opacity': 0.7 },
      },
      {
        id: 'highlight-point',
        type: 'circle',
        source: HIGHLIGHT,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 16, 'circle-color': '#ffd600', 'circle-opacity': 0.45, 'circle-stroke-color': '#f57f17', 'circle-stroke-width': 2 },
      },
      {
        id: 'problem-line',
        type: 'line',
        source: PROBLEM,
        filter: ['!=', ['geometry-type'], 'Point'],
        paint: { 'line-color': '#d50000', 'line-width': 6, 'line-dasharray': [1, 1] },
      },
      {
        id: 'problem-point',
        type: 'circle',
        source: PROBLEM,
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 14, 'circle-color': 'rgba(0,0,0,0)', 'circle-stroke-color': '#d50000', 'circle-stroke-width': 3 },
      },
    ];
  }

  private ownLayerIds(): string[] {
    const context = this.context();
    return [...MAP_LAYERS.flatMap((l) => l.styleLayers(context).map((s) => s.id)), ...this.overlayLayers().map((l) => l.id)];
  }

  private addStyleLayers(): void {
    const context = this.context();
    // Below whatever a drawing tool adds, so the drawing stays on top.
    const firstForeign = this.map.getStyle().layers.find((l) => l.id.startsWith('td-'))?.id;
    const overlays = this.overlayLayers();
    for (const spec of overlays.slice(0, 2)) this.map.addLayer(spec, firstForeign);
    for (const layer of MAP_LAYERS) {
      const visibility = this.shown(layer) ? 'visible' : 'none';
      for (const spec of layer.styleLayers(context)) {
        const withVisibility = { ...spec, layout: { ...(('layout' in spec && spec.layout) || {}), visibility } } as LayerSpecification;
        this.map.addLayer(withVisibility, firstForeign);
      }
    }
    for (const spec of overlays.slice(2)) this.map.addLayer(spec, firstForeign);
  }

  /** Rebuilds Hatang's layers after a colour mode or filter change. */
  private restyle(): void {
    if (!this.map.getSource(SOURCE)) return;
    for (const id of this.ownLayerIds()) if (this.map.getLayer(id)) this.map.removeLayer(id);
    // Cluster layers exist only without filters: remove whichever are there.
    for (const layer of MAP_LAYERS) for (const id of layer.clusterLayerIds) if (this.map.getLayer(id)) this.map.removeLayer(id);
    this.addStyleLayers();
    this.emitChange();
  }

  private emitChange(): void {
    for (const listener of this.changeListeners) listener();
  }

  /** Asset and cluster features under a point, with a few pixels' tolerance for fingers. */
  private featuresAt(point: { x: number; y: number }): MapGeoJSONFeature[] {
    const layers = this.interactiveLayerIds();
    if (layers.length === 0) return [];
    const box: [PointLike, PointLike] = [
      [point.x - 5, point.y - 5],
      [point.x + 5, point.y + 5],
    ];
    return this.map.queryRenderedFeatures(box, { layers });
  }

  /**
   * Gives clicks on features of these style layers to `onPick` (a form choosing a
   * cable's poles, a street) instead of popups; returns the way to stop.
   */
  pick(layers: string[], onPick: (feature: MapGeoJSONFeature) => void): () => void {
    const picking = { layers, onPick };
    this.picking = picking;
    this.popup?.remove();
    return () => {
      if (this.picking === picking) this.picking = null;
      this.map.getCanvas().style.cursor = '';
    };
  }

  /** The feature of the picking layers under a point, with a few pixels' tolerance. */
  private pickedAt(point: { x: number; y: number }): MapGeoJSONFeature | undefined {
    const layers = this.picking?.layers.filter((id) => this.map.getLayer(id)) ?? [];
    if (layers.length === 0) return undefined;
    const box: [PointLike, PointLike] = [
      [point.x - 6, point.y - 6],
      [point.x + 6, point.y + 6],
    ];
    return this.map.queryRenderedFeatures(box, { layers }).find((f) => f.properties.cluster !== true);
  }

  private onClick(point: { x: number; y: number }): void {
    if (this.picking) {
      const feature = this.pickedAt(point);
      if (feature) this.picking.onPick(feature);
      return;
    }
    if (this.editing) return;
    const feature = this.featuresAt(point)[0];
    this.popup?.remove();
    if (!feature) return;
    const at = this.map.unproject([point.x, point.y]);
    const isCluster = feature.properties.cluster === true;
    const owner = MAP_LAYERS.find((l) => l.popup && l.assetLayerIds.includes(feature.layer.id));
    const content = owner?.popup
      ? owner.popup(feature, (href) => {
          this.popup?.remove();
          this.popupActions.open(href);
        })
      : isCluster
        ? clusterPopup(feature, () => {
            this.popup?.remove();
            this.map.easeTo({ center: at, zoom: Math.min(this.map.getZoom() + 2, 18) });
          })
        : assetPopup(feature, this.reference, this.popupActions);
    this.popup = new Popup({ maxWidth: '300px', className: 'asset-popup' }).setLngLat(at).setDOMContent(content).addTo(this.map);
  }

  private addWardLabels(): void {
    for (const ward of this.reference.wards) {
      const box = ward.properties.bbox;
      if (!box) continue;
      const label = h('div', { class: 'ward-label', 'aria-hidden': 'true' }, ward.properties.name);
      this.wardMarkers.push(
        new Marker({ element: label, anchor: 'center' }).setLngLat([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]).addTo(this.map),
      );
    }
    this.updateWardLabels();
  }

  private updateWardLabels(): void {
    const zoom = this.map.getZoom();
    const show = zoom >= 11.5 && zoom < 16.5;
    for (const marker of this.wardMarkers) marker.getElement().classList.toggle('hidden', !show);
  }
}

/** The style of a basemap: a style URL as it is, raster tiles under a background, or the plain background. */
function styleOf(basemap: Basemap | null): StyleSpecification | string {
  if (!basemap) return PLAIN_STYLE;
  if (basemap.type === 'style') return basemap.url;
  return {
    version: 8,
    sources: {
      [BASEMAP]: { type: 'raster', tiles: [basemap.url], tileSize: basemap.tileSize, maxzoom: basemap.maxZoom, attribution: basemap.attribution },
    },
    layers: [...PLAIN_STYLE.layers, { id: BASEMAP, type: 'raster', source: BASEMAP }],
  };
}

function mapLocale(): Record<string, string> {
  return lang() === 'vi'
    ? { 'NavigationControl.ZoomIn': 'Phóng to', 'NavigationControl.ZoomOut': 'Thu nhỏ', 'Popup.Close': 'Đóng' }
    : {};
}

function featureCollection(geometry: GeoJsonGeometry | null): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: geometry ? [{ type: 'Feature', geometry: geometry as GeoJSON.Geometry, properties: {} }] : [],
  };
}

export function coordinatesOf(geometry: GeoJsonGeometry): [number, number][] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

function firstCoordinate(geometry: GeoJsonGeometry): [number, number] | undefined {
  const all = coordinatesOf(geometry);
  return all[Math.floor(all.length / 2)];
}
