// Cable routes (tuyến cáp), split into two switchable layers: overhead cable
// (cáp treo, solid) and underground cable (cáp ngầm, dashed). Both come from
// the `cables` tile layer and differ by the `placement` property.

import type { ExpressionSpecification } from 'maplibre-gl';
import { allOf } from './common';
import type { MapLayer, StyleContext } from './types';

function cableLayer(id: string, placement: 'overhead' | 'underground', context: StyleContext) {
  const isPlacement: ExpressionSpecification = ['==', ['get', 'placement'], placement];
  return {
    id,
    type: 'line' as const,
    source: context.source,
    'source-layer': 'cables',
    minzoom: 10,
    filter: allOf(isPlacement, context.filter),
    layout: { 'line-cap': 'round' as const, 'line-join': 'round' as const },
    paint: {
      'line-color': context.colour,
      // Trunk cables wider than subscriber cables; `zoom` must be the outer input.
      'line-width': [
        'interpolate',
        ['exponential', 1.5],
        ['zoom'],
        12,
        ['match', ['get', 'role'], 'trunk', 1.6, 0.9],
        18,
        ['match', ['get', 'role'], 'trunk', 4.5, 2.5],
      ] as ExpressionSpecification,
      'line-opacity': 0.9,
      ...(placement === 'underground' ? { 'line-dasharray': [2, 1.5] } : {}),
    },
  };
}

export const cablesOverhead: MapLayer = {
  id: 'cables-overhead',
  label: 'layer.cablesOverhead',
  symbol: 'line',
  collection: 'cables',
  visibleByDefault: true,
  styleLayers: (context) => [cableLayer('cables-overhead', 'overhead', context)],
  assetLayerIds: ['cables-overhead'],
  clusterLayerIds: [],
};

export const cablesUnderground: MapLayer = {
  id: 'cables-underground',
  label: 'layer.cablesUnderground',
  symbol: 'dashed',
  collection: 'cables',
  visibleByDefault: true,
  styleLayers: (context) => [cableLayer('cables-underground', 'underground', context)],
  assetLayerIds: ['cables-underground'],
  clusterLayerIds: [],
};
