// Duct banks (cống bể cáp) between two manholes: a thick line with a dark
// casing, like a pipe seen from above.

import { allOf, widthByZoom } from './common';
import type { MapLayer } from './types';

export const ducts: MapLayer = {
  id: 'ducts',
  label: 'kind.ducts',
  symbol: 'duct',
  collection: 'ducts',
  visibleByDefault: true,
  styleLayers: (context) => [
    {
      id: 'ducts-casing',
      type: 'line',
      source: context.source,
      'source-layer': 'ducts',
      minzoom: 11,
      filter: allOf(context.filter),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': '#263238', 'line-width': widthByZoom(4, 14), 'line-opacity': 0.85 },
    },
    {
      id: 'ducts',
      type: 'line',
      source: context.source,
      'source-layer': 'ducts',
      minzoom: 11,
      filter: allOf(context.filter),
      layout: { 'line-cap': 'butt', 'line-join': 'round' },
      paint: { 'line-color': context.colour, 'line-width': widthByZoom(2.5, 9) },
    },
  ],
  assetLayerIds: ['ducts'],
  clusterLayerIds: [],
};
