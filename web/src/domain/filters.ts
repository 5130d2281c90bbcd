// The person's filters, shared by the map and the registry tables: owner
// operator, statuses, kind, shared or not, ward. The map turns them into a
// MapLibre filter expression; the tables into API query parameters.

import type { ExpressionSpecification } from 'maplibre-gl';
import type { ListQuery } from '../api/client';
import type { Collection } from '../api/types';
import { kindInfo } from './kinds';

export interface Filters {
  operator: string | null;
  statuses: string[];
  kind: Collection | null;
  shared: boolean | null;
  ward: string | null;
}

export const NO_FILTERS: Filters = { operator: null, statuses: [], kind: null, shared: null, ward: null };

let current: Filters = { ...NO_FILTERS };
const listeners = new Set<(filters: Filters) => void>();

export function filters(): Filters {
  return current;
}

export function setFilters(change: Partial<Filters>): void {
  current = { ...current, ...change };
  for (const listener of listeners) listener(current);
}

export function onFiltersChange(listener: (filters: Filters) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isFiltered(f: Filters): boolean {
  return f.operator !== null || f.statuses.length > 0 || f.kind !== null || f.shared !== null || f.ward !== null;
}

/** The filters as a MapLibre expression over tile properties, or null when none is set. */
export function filterExpression(f: Filters): ExpressionSpecification | null {
  const parts: ExpressionSpecification[] = [];
  if (f.operator) parts.push(['==', ['get', 'operator'], f.operator]);
  if (f.statuses.length > 0) parts.push(['in', ['get', 'status'], ['literal', f.statuses]]);
  if (f.kind) parts.push(['==', ['get', 'kind'], kindInfo(f.kind)?.kind ?? f.kind]);
  if (f.shared === true) parts.push(['==', ['get', 'shared'], true]);
  if (f.shared === false) parts.push(['!=', ['get', 'shared'], true]);
  if (f.ward) parts.push(['==', ['get', 'ward_code'], f.ward]);
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0] ?? null;
  return ['all', ...parts];
}

/** The filters as API list parameters (the kind picks the collection instead). */
export function filterQuery(f: Filters): ListQuery {
  const query: ListQuery = {};
  if (f.operator) query.operator = f.operator;
  if (f.statuses.length > 0) query.status = f.statuses;
  if (f.shared !== null) query.shared = f.shared;
  if (f.ward) query.ward = f.ward;
  return query;
}
