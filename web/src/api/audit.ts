// The audit trail across assets (`GET /api/v1/history`): who changed what,
// when, newest first, with filters and keyset paging, and the same selection
// as CSV; and the change log of everything else (`GET /api/v1/history/changes`).

import { request } from './client';

export interface AuditEntry {
  id: number;
  at: string;
  /** `user:<username>`, `token:<id> (<operator> – <name>)`, `system`; an import adds ` (import:<job>)`. */
  actor: string;
  /** The display name of the person, when a person made the change. */
  actor_name?: string | null;
  action: string;
  asset_id: number;
  asset_kind: string;
  asset_code: string;
  operator: string;
  version: number;
  reason: string | null;
  before: AssetSnapshot | null;
  after: AssetSnapshot | null;
  /** The fields that differ between `before` and `after`. */
  changes: { field: string; before: unknown; after: unknown }[];
  hash: string;
}

/** An asset's document at one version, as the history keeps it. */
export interface AssetSnapshot {
  geometry?: unknown;
  properties?: Record<string, unknown>;
  tenancies?: unknown[];
  [key: string]: unknown;
}

export interface AuditFilters {
  operator?: string;
  user?: string;
  action?: string;
  /** yyyy-MM-dd, in Vietnam's days. */
  from?: string;
  to?: string;
  asset?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The cursor of the next (older) page, or null at the end: newest come first. */
  next_before: number | null;
}

/** One change of the change log (`GET /api/v1/history/changes`): settings, areas, works, accounts. */
export interface ChangeEntry {
  id: number;
  at: string;
  /** The table: `civil_work`, `rule_setting`, `app_user`, … */
  entity: string;
  entity_key: string;
  /** What a person calls the row: its title, name, rule key or username. */
  label: string | null;
  action: 'insert' | 'update' | 'delete';
  actor: string;
  actor_name?: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  changes: { field: string; before: unknown; after: unknown }[];
  hash: string | null;
}

export interface ChangeFilters {
  entity?: string;
  user?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface ChangePage {
  entries: ChangeEntry[];
  next_before: number | null;
}

function query(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params;
}

export const auditApi = {
  /** A page of the asset history, newest first; `before` is the cursor of the page after the first. */
  async page(filters: AuditFilters, before: number | null, limit = 50, signal?: AbortSignal): Promise<AuditPage> {
    const params = query(filters);
    params.set('limit', String(limit));
    if (before !== null) params.set('before', String(before));
    return (await request<AuditPage>(`/api/v1/history?${params}`, { signal })).data;
  },

  /** A page of the change log, newest first. */
  async changes(filters: ChangeFilters, before: number | null, limit = 50, signal?: AbortSignal): Promise<ChangePage> {
    const params = query(filters as AuditFilters);
    params.set('limit', String(limit));
    if (before !== null) params.set('before', String(before));
    return (await request<ChangePage>(`/api/v1/history/changes?${params}`, { signal })).data;
  },

  /** The address of the same selection as CSV (a download link). */
  csvUrl(filters: AuditFilters): string {
    const params = query(filters);
    params.set('format', 'csv');
    return `/api/v1/history?${params}`;
  },
};
