// Poles carrying telecom cable (cột treo cáp): telecom operators' own poles
// and the power or lighting poles they rent space on. Small circles.

import { pointLayers } from './common';
import type { MapLayer } from './types';

export const poles: MapLayer = {
  id: 'poles',
  label: 'kind.poles',
  symbol: 'circle',
  collection: 'poles',
  visibleByDefault: true,
  styleLayers: (context) => pointLayers('poles', 'circle', context, { minzoom: 10 }),
  assetLayerIds: ['poles'],
  clusterLayerIds: ['poles-clusters'],
};
