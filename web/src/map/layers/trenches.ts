// Technical trenches and tunnels (hào, tuynel kỹ thuật): a wide band with a
// light core, wider than duct banks.

import { allOf, widthByZoom } from './common';
import type { MapLayer } from './types';

export const trenches: MapLayer = {
  id: 'trenches',
  label: 'kind.trenches',
  symbol: 'trench',
  collection: 'trenches',
  visibleByDefault: true,
  styleLayers: (context) => [
    {
      id: 'trenches',
      type: 'line',
      source: context.source,
      'source-layer': 'trenches',
      minzoom: 10,
      filter: allOf(context.filter),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': context.colour, 'line-width': widthByZoom(6, 22), 'line-opacity': 0.9 },
    },
    {
      id: 'trenches-core',
      type: 'line',
      source: context.source,
      'source-layer': 'trenches',
      minzoom: 10,
      filter: allOf(context.filter),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': widthByZoom(2, 10), 'line-opacity': 0.9 },
    },
  ],
  assetLayerIds: ['trenches'],
  clusterLayerIds: [],
};
