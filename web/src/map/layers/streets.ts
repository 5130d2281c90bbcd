// Streets, for context (the demo's are synthetic): white lines with a grey
// casing, wider for main streets. Names show in popups, not on the map.

import type { ExpressionSpecification } from 'maplibre-gl';
import type { MapLayer } from './types';

const width = (main: number, secondary: number, local: number, zoomFactor: number): ExpressionSpecification => [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  12,
  ['match', ['get', 'class'], 'main', main, 'secondary', secondary, local],
  18,
  ['match', ['get', 'class'], 'main', main * zoomFactor, 'secondary', secondary * zoomFactor, local * zoomFactor],
];

export const streets: MapLayer = {
  id: 'streets',
  label: 'layer.streets',
  symbol: 'street',
  visibleByDefault: true,
  styleLayers: (context) => [
    {
      id: 'streets-casing',
      type: 'line',
      source: context.source,
      'source-layer': 'streets',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#c3ccd4', 'line-width': width(3.5, 2.5, 1.8, 8), 'line-opacity': context.basemap ? 0.5 : 1 },
    },
    {
      id: 'streets',
      type: 'line',
      source: context.source,
      'source-layer': 'streets',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': width(2.5, 1.7, 1.1, 8), 'line-opacity': context.basemap ? 0.6 : 1 },
    },
  ],
  assetLayerIds: [],
  clusterLayerIds: [],
};
