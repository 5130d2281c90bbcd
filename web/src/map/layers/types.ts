// What every map layer module provides. One module per layer (towers.ts,
// poles.ts, ...): it names its tile layer, draws its features, and says
// which of its style layers hold clickable assets.

import type { ExpressionSpecification, LayerSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import type { Collection } from '../../api/types';
import type { MessageKey } from '../../i18n';
import type { legendShape } from '../symbols';

export interface StyleContext {
  /** The vector source with Hatang's tiles. */
  source: string;
  /** The colour of an asset feature (`#rrggbb`) in the chosen colour mode. */
  colour: ExpressionSpecification;
  /** The person's filters over asset properties, or null when none is set. */
  filter: ExpressionSpecification | null;
  /** Whether an external basemap is drawn below (context layers are then quieter). */
  basemap: boolean;
}

export interface MapLayer {
  /** Stable id, also the prefix of its style layers' ids. */
  id: string;
  /** The message naming the layer in the layer switcher and legend. */
  label: MessageKey;
  /** The legend symbol. */
  symbol: Parameters<typeof legendShape>[0];
  /** The asset collection the layer shows, for asset layers. */
  collection?: Collection;
  /** Shown when the map opens. */
  visibleByDefault: boolean;
  /** The style layers, bottom first. */
  styleLayers(context: StyleContext): LayerSpecification[];
  /** Style layers whose features are single assets (clickable, filtered). */
  assetLayerIds: string[];
  /** Style layers whose features are clusters of assets. */
  clusterLayerIds: string[];
  /**
   * A layer drawn from its own GeoJSON (not from the tiles): the source id,
   * and how to load its data (asked when the layer is shown, and again after
   * `MapView.reloadLayer`).
   */
  geojson?: { source: string; load(signal: AbortSignal): Promise<GeoJSON.FeatureCollection> };
  /** Whether the layer is offered now (a layer only signed-in people may read). */
  available?(): boolean;
  /** The layer's own legend (its colours), shown under it in the layer switcher. */
  legend?(): HTMLElement;
  /** A popup for a clicked feature of the layer, instead of the asset popup. */
  popup?(feature: MapGeoJSONFeature, open: (href: string) => void): HTMLElement;
}
