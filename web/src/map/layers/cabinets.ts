// Street cabinets (tủ cáp): fibre distribution, copper cross-connect,
// equipment and power cabinets on the ground, a pole or a wall. Diamonds.

import { pointLayers } from './common';
import type { MapLayer } from './types';

export const cabinets: MapLayer = {
  id: 'cabinets',
  label: 'kind.cabinets',
  symbol: 'diamond',
  collection: 'cabinets',
  visibleByDefault: true,
  styleLayers: (context) => pointLayers('cabinets', 'diamond', context, { minzoom: 10 }),
  assetLayerIds: ['cabinets'],
  clusterLayerIds: ['cabinets-clusters'],
};
