// Antenna towers and BTS sites (cột ăng ten, trạm BTS): triangles, the
// largest point symbol, drawn above everything else.

import { pointLayers } from './common';
import type { MapLayer } from './types';

export const towers: MapLayer = {
  id: 'towers',
  label: 'kind.towers',
  symbol: 'triangle',
  collection: 'towers',
  visibleByDefault: true,
  styleLayers: (context) => pointLayers('towers', 'triangle', context, { minzoom: 8 }),
  assetLayerIds: ['towers'],
  clusterLayerIds: ['towers-clusters'],
};
