// Ward boundaries (ranh giới phường, xã), valid today: a faint fill and a
// dashed outline. Ward names are HTML labels (see ../wardLabels.ts), so the
// map needs no font server.

import type { MapLayer } from './types';

export const wards: MapLayer = {
  id: 'wards',
  label: 'layer.wards',
  symbol: 'ward',
  visibleByDefault: true,
  styleLayers: (context) => [
    {
      id: 'wards-fill',
      type: 'fill',
      source: context.source,
      'source-layer': 'wards',
      paint: { 'fill-color': '#3f51b5', 'fill-opacity': context.basemap ? 0.03 : 0.04 },
    },
    {
      id: 'wards-outline',
      type: 'line',
      source: context.source,
      'source-layer': 'wards',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': '#5c6bc0',
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 1, 16, 2.5],
        'line-dasharray': [3, 2],
      },
    },
  ],
  assetLayerIds: [],
  clusterLayerIds: [],
};
