// The thematic overlays of undergrounding and dig-once — flagged streets,
// projects, civil works and no-dig periods — on the one map of the app.
//
// They come from the API as GeoJSON (what each person may read), load when a
// person turns them on, and sit below the asset layers so poles and cables
// stay clickable on top. A click that hits an overlay feature and no point
// asset opens the overlay's popup instead of a cable's. The manager lives as
// long as the map: `overlaysOf(app)` gives the one instance.

import { Popup, type GeoJSONSource, type LayerSpecification, type MapGeoJSONFeature, type PointLike } from 'maplibre-gl';
import type { App } from '../../app';
import { onSessionChange } from '../../domain/session';
import { onLangChange } from '../../i18n';
import { civilWorks } from './civilWorks';
import { flags } from './flags';
import { projects } from './projects';
import type { Overlay, OverlayContext } from './types';

/** Bottom first. */
export const OVERLAYS: readonly Overlay<GeoJSON.Feature>[] = [flags, civilWorks, projects] as unknown as Overlay<GeoJSON.Feature>[];

export type OverlayStatus = 'off' | 'loading' | 'ready' | 'error';

interface State {
  visible: boolean;
  features: GeoJSON.Feature[] | null;
  loading: AbortController | null;
  error: unknown;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export class Overlays {
  private readonly state = new Map<string, State>(OVERLAYS.map((o) => [o.id, { visible: false, features: null, loading: null, error: null }]));
  private readonly listeners = new Set<() => void>();
  private popup: Popup | null = null;

  constructor(private readonly app: App) {
    const { view } = app;
    const map = view.map;
    void view.ready.then(() => this.install());
    // A new style (a basemap that failed) drops every source: add ours again.
    map.on('style.load', () => this.install());
    // The asset layers are re-added on top after a colour or filter change; ours stay below them.
    view.onChange(() => this.reorder());
    map.on('click', (event) => this.onClick(event.point));
    map.on('mousemove', (event) => {
      if (view.editing) return;
      if (this.featuresAt(event.point).length > 0) map.getCanvas().style.cursor = 'pointer';
    });
    onSessionChange(() => {
      for (const [id, state] of this.state) {
        state.loading?.abort();
        state.features = null;
        state.error = null;
        this.setData(id, EMPTY);
        if (state.visible && OVERLAYS.find((o) => o.id === id)?.available()) void this.load(id);
      }
      this.emit();
    });
    onLangChange(() => this.closePopup());
  }

  isVisible(id: string): boolean {
    return this.state.get(id)?.visible ?? false;
  }

  status(id: string): OverlayStatus {
    const state = this.state.get(id);
    if (!state?.visible) return 'off';
    if (state.loading) return 'loading';
    if (state.error) return 'error';
    return 'ready';
  }

  error(id: string): unknown {
    return this.state.get(id)?.error ?? null;
  }

  /** The overlay's features as the API gave them (null until loaded). */
  features(id: string): GeoJSON.Feature[] | null {
    return this.state.get(id)?.features ?? null;
  }

  /** Shows or hides an overlay, loading its features the first time. */
  setVisible(id: string, visible: boolean): void {
    const state = this.state.get(id);
    const overlay = OVERLAYS.find((o) => o.id === id);
    if (!state || !overlay || !overlay.available()) return;
    state.visible = visible;
    for (const spec of overlay.styleLayers()) {
      if (this.app.view.map.getLayer(spec.id)) this.app.view.map.setLayoutProperty(spec.id, 'visibility', visible ? 'visible' : 'none');
    }
    if (!visible) this.closePopup();
    if (visible && state.features === null && !state.loading) void this.load(id);
    this.emit();
  }

  /** Loads the overlays that are loaded already again (after a change made in a tool). */
  refresh(...ids: string[]): void {
    for (const [id, state] of this.state) {
      if ((ids.length === 0 || ids.includes(id)) && (state.features !== null || state.visible)) void this.load(id);
    }
  }

  /** Resolves once the overlay's features are loaded (loading them if needed). */
  async loaded(id: string): Promise<GeoJSON.Feature[]> {
    const state = this.state.get(id);
    if (!state) return [];
    if (state.features === null) await this.load(id);
    return state.features ?? [];
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  closePopup(): void {
    this.popup?.remove();
    this.popup = null;
  }

  /** Opens the popup of an overlay feature (the first that `match` accepts) and zooms to it. */
  async focus(id: string, match: (feature: GeoJSON.Feature) => boolean): Promise<boolean> {
    const overlay = OVERLAYS.find((o) => o.id === id);
    if (!overlay) return false;
    if (!this.isVisible(id)) this.setVisible(id, true);
    const feature = (await this.loaded(id)).find(match);
    if (!feature) return false;
    this.app.view.zoomTo(feature.geometry as never, 17);
    const at = labelPoint(feature.geometry);
    if (at) this.openPopup(overlay, feature, null, at);
    return true;
  }

  private context(overlay: Overlay<GeoJSON.Feature>): OverlayContext {
    return {
      app: this.app,
      restyle: () => {
        this.removeLayers(overlay);
        this.addLayers(overlay);
        this.emit();
      },
      closePopup: () => this.closePopup(),
    };
  }

  /** The legend of an overlay, for the layer switcher. */
  legend(overlay: Overlay<GeoJSON.Feature>): HTMLElement {
    return overlay.legend(this.context(overlay));
  }

  private async load(id: string): Promise<void> {
    const state = this.state.get(id);
    const overlay = OVERLAYS.find((o) => o.id === id);
    if (!state || !overlay || !overlay.available()) return;
    state.loading?.abort();
    const controller = new AbortController();
    state.loading = controller;
    state.error = null;
    this.emit();
    try {
      const features = await overlay.load(controller.signal);
      if (controller.signal.aborted) return;
      state.features = features;
      this.setData(id, { type: 'FeatureCollection', features: features.map((f, index) => ({ ...f, id: index })) });
    } catch (error) {
      if (controller.signal.aborted) return;
      state.error = error;
    } finally {
      if (state.loading === controller) state.loading = null;
      this.emit();
    }
  }

  private setData(id: string, data: GeoJSON.FeatureCollection): void {
    this.app.view.map.getSource<GeoJSONSource>(id)?.setData(data);
  }

  private install(): void {
    const map = this.app.view.map;
    for (const overlay of OVERLAYS) {
      if (!map.getSource(overlay.id)) {
        const features = this.state.get(overlay.id)?.features;
        map.addSource(overlay.id, {
          type: 'geojson',
          data: features ? { type: 'FeatureCollection', features: features.map((f, index) => ({ ...f, id: index })) } : EMPTY,
        });
      }
      if (!overlay.styleLayers().every((spec) => map.getLayer(spec.id))) {
        this.removeLayers(overlay);
        this.addLayers(overlay);
      }
    }
  }

  private addLayers(overlay: Overlay<GeoJSON.Feature>): void {
    const map = this.app.view.map;
    if (!map.getSource(overlay.id)) return;
    const visibility = this.isVisible(overlay.id) ? 'visible' : 'none';
    // Above the overlays drawn later would be wrong: insert below the next overlay's first layer, else below the assets.
    const later = OVERLAYS.slice(OVERLAYS.indexOf(overlay) + 1)
      .flatMap((o) => o.styleLayers().map((s) => s.id))
      .find((id) => map.getLayer(id));
    const before = later ?? this.firstAssetLayer();
    for (const spec of overlay.styleLayers()) {
      const withVisibility = { ...spec, layout: { ...(('layout' in spec && spec.layout) || {}), visibility } } as LayerSpecification;
      map.addLayer(withVisibility, before);
    }
  }

  private removeLayers(overlay: Overlay<GeoJSON.Feature>): void {
    const map = this.app.view.map;
    for (const spec of overlay.styleLayers()) if (map.getLayer(spec.id)) map.removeLayer(spec.id);
  }

  /** The lowest style layer drawing assets from the tiles (everything but wards and streets). */
  private firstAssetLayer(): string | undefined {
    const layers = this.app.view.map.getStyle()?.layers ?? [];
    return layers.find((l) => 'source' in l && l.source === 'hatang' && !['wards', 'streets'].includes(String(l['source-layer'] ?? '')))?.id;
  }

  private reorder(): void {
    const map = this.app.view.map;
    const before = this.firstAssetLayer();
    if (!before) return;
    for (const overlay of OVERLAYS) {
      for (const spec of overlay.styleLayers()) if (map.getLayer(spec.id)) map.moveLayer(spec.id, before);
    }
  }

  private interactiveIds(): string[] {
    const map = this.app.view.map;
    return OVERLAYS.filter((o) => this.isVisible(o.id)).flatMap((o) => o.interactiveLayerIds.filter((id) => map.getLayer(id)));
  }

  private featuresAt(point: { x: number; y: number }, tolerance = 4): MapGeoJSONFeature[] {
    const layers = this.interactiveIds();
    if (layers.length === 0) return [];
    const box: [PointLike, PointLike] = [
      [point.x - tolerance, point.y - tolerance],
      [point.x + tolerance, point.y + tolerance],
    ];
    return this.app.view.map.queryRenderedFeatures(box, { layers });
  }

  private onClick(point: { x: number; y: number }): void {
    const { view } = this.app;
    this.closePopup();
    if (view.editing) return;
    const hit = this.featuresAt(point)[0];
    if (!hit) return;
    // A tower, pole, manhole or cabinet under the cursor keeps its own popup.
    const box: [PointLike, PointLike] = [
      [point.x - 5, point.y - 5],
      [point.x + 5, point.y + 5],
    ];
    const assetLayers = view.interactiveLayerIds();
    const assets = assetLayers.length > 0 ? view.map.queryRenderedFeatures(box, { layers: assetLayers }) : [];
    if (assets.some((f) => f.geometry.type === 'Point')) return;
    const overlay = OVERLAYS.find((o) => o.interactiveLayerIds.includes(hit.layer.id));
    const original = overlay ? this.features(overlay.id)?.[Number(hit.id)] : undefined;
    if (!overlay || !original) return;
    view.closePopup();
    this.openPopup(overlay, original, hit, view.map.unproject([point.x, point.y]).toArray() as [number, number]);
  }

  private openPopup(overlay: Overlay<GeoJSON.Feature>, original: GeoJSON.Feature, rendered: MapGeoJSONFeature | null, at: [number, number]): void {
    this.closePopup();
    const content = overlay.popup(original, rendered as MapGeoJSONFeature, this.context(overlay));
    this.popup = new Popup({ maxWidth: '340px', className: 'overlay-popup' }).setLngLat(at).setDOMContent(content).addTo(this.app.view.map);
    this.popup.on('close', () => (this.popup = null));
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A point to open a popup at: the middle vertex of a line, the centre of a shape's box. */
function labelPoint(geometry: GeoJSON.Geometry): [number, number] | null {
  const flat = (g: GeoJSON.Geometry): GeoJSON.Position[] => {
    switch (g.type) {
      case 'Point':
        return [g.coordinates];
      case 'LineString':
      case 'MultiPoint':
        return g.coordinates;
      case 'MultiLineString':
      case 'Polygon':
        return g.coordinates.flat();
      case 'MultiPolygon':
        return g.coordinates.flat(2);
      case 'GeometryCollection':
        return g.geometries.flatMap(flat);
    }
  };
  const points = flat(geometry);
  if (points.length === 0) return null;
  if (geometry.type === 'LineString') {
    const middle = points[Math.floor(points.length / 2)];
    return middle ? [middle[0] ?? 0, middle[1] ?? 0] : null;
  }
  const xs = points.map((p) => p[0] ?? 0);
  const ys = points.map((p) => p[1] ?? 0);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

const instances = new WeakMap<object, Overlays>();

/** The overlays of the app's map (made the first time they are asked for). */
export function overlaysOf(app: App): Overlays {
  let overlays = instances.get(app.view);
  if (!overlays) {
    overlays = new Overlays(app);
    instances.set(app.view, overlays);
  }
  return overlays;
}

export { civilWorks, flags, projects };
