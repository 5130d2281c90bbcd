// What every thematic overlay provides. Overlays are drawn from the API's
// GeoJSON (undergrounding flags, projects, civil works), not from the vector
// tiles: each module loads its features, gives its style layers, its legend
// and the popup of a feature. The manager (./index.ts) puts them on the map.

import type { LayerSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import type { App } from '../../app';
import type { MessageKey } from '../../i18n';

export interface OverlayContext {
  app: App;
  /** Draws the overlay's style layers again (after its own colour mode changed). */
  restyle(): void;
  /** Closes the overlay popup (before following a link in it). */
  closePopup(): void;
}

export interface Overlay<F extends GeoJSON.Feature = GeoJSON.Feature> {
  /** Stable id, also the GeoJSON source's and the prefix of its style layers' ids (`ug-flags`). */
  id: string;
  label: MessageKey;
  /** Whether the person may read the overlay's features (the public: flags of wards that publish them). */
  available(): boolean;
  /** Features from the API; each gets a numeric `id` (its index) so popups find the original. */
  load(signal: AbortSignal): Promise<F[]>;
  /** The style layers, bottom first, on the source named `id`. */
  styleLayers(): LayerSpecification[];
  /** Style layers whose features open a popup. */
  interactiveLayerIds: string[];
  /** The legend shown under the layer's checkbox. */
  legend(context: OverlayContext): HTMLElement;
  /** The popup of a feature; `original` is the feature as the API gave it. */
  popup(original: F, rendered: MapGeoJSONFeature, context: OverlayContext): HTMLElement;
}
