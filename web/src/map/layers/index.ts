// Every map layer, bottom first: the order they are drawn in.

import { cablesOverhead, cablesUnderground } from './cables';
import { cabinets } from './cabinets';
import { ducts } from './ducts';
import { incidents } from './incidents';
import { manholes } from './manholes';
import { permitApplications } from './permits';
import { poles } from './poles';
import { streets } from './streets';
import { towers } from './towers';
import { trenches } from './trenches';
import type { MapLayer } from './types';
import { wards } from './wards';

export const MAP_LAYERS: readonly MapLayer[] = [
  wards,
  streets,
  trenches,
  ducts,
  cablesUnderground,
  cablesOverhead,
  manholes,
  cabinets,
  poles,
  towers,
  permitApplications,
  incidents,
];

/** The tile layers the map asks for, in one composite request per tile. */
export const TILE_LAYERS = ['wards', 'streets', 'trenches', 'ducts', 'cables', 'manholes', 'cabinets', 'poles', 'towers'] as const;

/**
 * What the public (a server with accounts, nobody signed in) may have: the
 * wards, the streets and the towers of wards that publish them. The server
 * refuses a composite with any other layer, so the public asks for these alone.
 */
export const PUBLIC_TILE_LAYERS = ['wards', 'streets', 'towers'] as const;

export type { MapLayer, StyleContext } from './types';
