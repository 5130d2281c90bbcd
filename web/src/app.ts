// What every screen can reach: the map, reference data and navigation.

import type { AppConfig } from './config';
import type { Reference } from './domain/reference';
import type { MapView } from './map/mapView';

export interface App {
  config: AppConfig;
  /** The reference data as it is now (domain/reference.ts refreshes it). */
  readonly reference: Reference;
  view: MapView;
  /** Goes to another screen. */
  go(path: string): void;
}
