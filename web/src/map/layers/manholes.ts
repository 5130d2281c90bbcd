// Manholes (bể cáp, hố ga) at the ends of duct sections: squares.

import { pointLayers } from './common';
import type { MapLayer } from './types';

export const manholes: MapLayer = {
  id: 'manholes',
  label: 'kind.manholes',
  symbol: 'square',
  collection: 'manholes',
  visibleByDefault: true,
  styleLayers: (context) => pointLayers('manholes', 'square', context, { minzoom: 10 }),
  assetLayerIds: ['manholes'],
  clusterLayerIds: ['manholes-clusters'],
};
