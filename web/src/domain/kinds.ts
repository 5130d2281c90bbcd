// The kinds of passive infrastructure the registry holds, and what the app
// needs to know about each: its API collection, whether it is a point or a
// line, the OpenAPI schema of its own fields, and the columns of its table.

import type { Collection } from '../api/types';

export interface KindInfo {
  /** The API collection and tile layer name (`poles`). */
  collection: Collection;
  /** The `kind` property of its features (`pole`). */
  kind: string;
  geometry: 'point' | 'line';
  /** The OpenAPI schema with the kind's own fields (`components.schemas.Pole`). */
  schema: string;
  /** Kind-specific columns of the registry table, after the common ones. */
  columns: string[];
}

export const KINDS: readonly KindInfo[] = [
  { collection: 'towers', kind: 'tower', geometry: 'point', schema: 'Tower', columns: ['tower_class', 'height_m', 'placement'] },
  { collection: 'poles', kind: 'pole', geometry: 'point', schema: 'Pole', columns: ['purpose', 'material', 'height_m'] },
  { collection: 'manholes', kind: 'manhole', geometry: 'point', schema: 'Manhole', columns: ['covers', 'cover_material'] },
  { collection: 'cabinets', kind: 'cabinet', geometry: 'point', schema: 'Cabinet', columns: ['cabinet_type', 'mounting'] },
  { collection: 'ducts', kind: 'duct', geometry: 'line', schema: 'Duct', columns: ['pipe_count', 'layers'] },
  { collection: 'trenches', kind: 'trench', geometry: 'line', schema: 'Trench', columns: ['trench_type', 'width_m'] },
  { collection: 'cables', kind: 'cable', geometry: 'line', schema: 'Cable', columns: ['placement', 'medium', 'role'] },
];

export function kindInfo(collection: string): KindInfo | undefined {
  return KINDS.find((k) => k.collection === collection);
}

/** The collection of a feature's `kind` property (`pole` → `poles`). */
export function collectionOfKind(kind: string): Collection | undefined {
  return KINDS.find((k) => k.kind === kind)?.collection;
}

export const STATUSES = ['proposed', 'planned', 'under_construction', 'operational', 'inactive', 'decommissioned'] as const;
