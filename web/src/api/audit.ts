// The audit trail across assets (`GET /api/v1/history`): who changed what,
// when, with filters and keyset paging, and the same selection as CSV.

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
  /** The cursor of the next page, or null at the end. */
  next_after: number | null;
}

function query(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  return params;
}

export const auditApi = {
  async page(filters: AuditFilters, after: number | null, limit = 50, signal?: AbortSignal): Promise<AuditPage> {
    const params = query(filters);
    params.set('limit', String(limit));
    if (after !== null) params.set('after', String(after));
    return (await request<AuditPage>(`/api/v1/history?${params}`, { signal })).data;
  },

  /** The address of the same selection as CSV (a download link). */
  csvUrl(filters: AuditFilters): string {
    const params = query(filters);
    params.set('format', 'csv');
    return `/api/v1/history?${params}`;
  },
};
