// The polygons of a coverage filing on the shared map: 4G and 5G in their
// colours, the row number on each. Removed when the page is left.

import type { GeoJSONSource, LayerSpecification } from 'maplibre-gl';
import type { GeoJsonGeometry } from '../../api/types';
import { coordinatesOf, type MapView } from '../../map/mapView';

const SOURCE = 'filing-areas';

export const TECHNOLOGY_COLOURS: Record<string, string> = { '4G': '#1565c0', '5G': '#6a1b9a' };

const colour = ['match', ['get', 'technology'], '4G', TECHNOLOGY_COLOURS['4G'], '5G', TECHNOLOGY_COLOURS['5G'], '#555555'] as unknown as string;

const LAYERS: LayerSpecification[] = [
  { id: 'filing-areas-fill', type: 'fill', source: SOURCE, paint: { 'fill-color': colour, 'fill-opacity': 0.22 } },
  { id: 'filing-areas-line', type: 'line', source: SOURCE, paint: { 'line-color': colour, 'line-width': 2 } },
];

/**
 * Draws `areas` on the map and fits the view to `extent` (the call's unit, so that a polygon filed
 * far away does not zoom out to the whole country), else to the areas; returns the function that
 * takes them away.
 */
export function showAreas(view: MapView, areas: GeoJSON.FeatureCollection, extent: [number, number, number, number] | null = null): () => void {
  const map = view.map;
  let removed = false;
  const install = () => {
    if (removed) return;
    const source = map.getSource<GeoJSONSource>(SOURCE);
    if (source) source.setData(areas);
    else map.addSource(SOURCE, { type: 'geojson', data: areas });
    for (const layer of LAYERS) if (!map.getLayer(layer.id)) map.addLayer(layer);
    if (extent) {
      view.zoomTo(extent, 16);
      return;
    }
    const all = areas.features.flatMap((f) => coordinatesOf(f.geometry as GeoJsonGeometry));
    if (all.length > 0) view.zoomTo({ type: 'LineString', coordinates: all }, 16);
  };
  void view.ready.then(install);
  return () => {
    removed = true;
    for (const layer of LAYERS) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
    if (map.getSource(SOURCE)) map.removeSource(SOURCE);
  };
}
