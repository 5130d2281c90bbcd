// The field API: reports of incidents (/api/v1/incidents), inspections,
// violations and detection lists. Shapes are written from server/src/incidents,
// inspections, violations and detection (their OpenAPI schemas are derived
// from the same structs).

import { request } from './client';

export type IncidentState = 'new' | 'triaged' | 'assigned' | 'acknowledged' | 'fixed' | 'closed' | 'reopened';
export const INCIDENT_STATES: readonly IncidentState[] = ['new', 'triaged', 'assigned', 'acknowledged', 'fixed', 'closed', 'reopened'];
export type IncidentAction = 'triage' | 'reject' | 'assign' | 'acknowledge' | 'decline' | 'fix' | 'close' | 'reopen';

export interface IncidentType {
  code: string;
  name_vi: string;
  name_en: string;
  description_vi: string;
  description_en: string;
  group: string;
  asset_kinds: string[];
  safety: boolean;
  fix_days: number;
  triage_days: number;
}

export interface PhotoMeta {
  id: number;
  purpose: string;
  media_type: string;
  size_bytes: number;
  taken_at: string | null;
  taken_lon: number | null;
  taken_lat: number | null;
  created_at: string;
  href: string;
}

export interface Clock {
  phase: 'triage' | 'fix' | 'stopped';
  status: 'none' | 'on_time' | 'at_risk' | 'breached';
  due: string | null;
  working_days_left: number | null;
  escalation: number;
}

export interface Incident {
  id: number;
  reference: string;
  incident_type: string;
  type_name_vi: string;
  type_name_en: string;
  safety: boolean;
  description: string;
  lon: number;
  lat: number;
  location_source: string;
  accuracy_m: number | null;
  address: string | null;
  ward_code: string | null;
  ward_name: string | null;
  asset_id: number | null;
  asset_code: string | null;
  operator: string | null;
  proposed_operator: string | null;
  state: IncidentState;
  resolution: string | null;
  channel: string;
  contact_name: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  client: string | null;
  received_on: string;
  created_at: string;
  updated_at: string;
  version: number;
  clock: Clock;
  actions: IncidentAction[];
}

export interface IncidentEvent {
  id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  at: string;
  day: string;
  note: string | null;
}

export interface IncidentDetail extends Incident {
  timeline: IncidentEvent[];
  photos: PhotoMeta[];
  tracking_url: string;
}

export interface PublicReport {
  reference: string;
  incident_type: string;
  type_name_vi: string;
  type_name_en: string;
  state: IncidentState;
  status: 'open' | 'closed';
  resolution: string | null;
  description: string | null;
  lon: number;
  lat: number;
  ward_name: string | null;
  operator: string | null;
  received_on: string;
  updated_at: string;
  timeline: { day: string; state: string }[];
  photos: string[];
}

export interface Filed {
  id: number;
  reference: string;
  tracking_url: string;
  status: PublicReport;
}

export interface Candidate {
  asset_id: number;
  kind: string;
  code: string;
  operator: string;
  operator_name: string;
  distance_m: number;
}

export interface IncidentQuery {
  state?: string;
  incident_type?: string;
  q?: string;
  overdue?: boolean;
}

function query(params: Record<string, string | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export type ViolationState = 'open' | 'fixed' | 'closed' | 'cancelled';
export type ViolationAction = 'report_fixed' | 'verify' | 'reject_fix' | 'cancel';

export interface Violation {
  id: number;
  reference: string;
  source: string;
  rule_key: string | null;
  asset_id: number | null;
  asset_code: string | null;
  asset_kind: string | null;
  permit_id: number | null;
  operator: string;
  ward_name: string | null;
  geometry: { type: string; coordinates: unknown };
  title: string;
  legal_basis: string;
  description: string;
  state: ViolationState;
  state_label: string;
  opened_on: string;
  fix_due: string;
  fixed_on: string | null;
  closed_on: string | null;
  follow_up_round_id: number | null;
  working_days_left: number | null;
  overdue: boolean;
  actions: ViolationAction[];
  version: number;
}

export interface ViolationDetail extends Violation {
  timeline: IncidentEvent[];
  photos: PhotoMeta[];
}

export interface Rule {
  rule_key: string;
  asset_kinds: string[];
  title_vi: string;
  title_en: string;
  guidance_vi: string | null;
  citation: string;
  provisional: boolean;
  severity: 'violation' | 'advice';
  fix_days: number;
}

/** A checklist rule as the administrators edit it (server/src/inspections/rules.rs). */
export interface ChecklistRule extends Rule {
  sort: number;
  valid_from: string;
  valid_to: string | null;
  /** Answers given to it at inspections. */
  answers: number;
}

export interface ChecklistRuleInput {
  rule_key?: string;
  asset_kinds: string[];
  title_vi: string;
  title_en: string;
  guidance_vi: string | null;
  citation: string;
  provisional: boolean;
  severity: 'violation' | 'advice';
  fix_days: number;
  sort: number | null;
  valid_from: string | null;
  valid_to: string | null;
}

export interface Round {
  id: number;
  reference: string;
  title: string;
  category: string;
  geometry: { type: string; coordinates: unknown };
  ward_name: string | null;
  planned_on: string;
  inspector: string | null;
  inspector_name: string | null;
  state: 'planned' | 'in_progress' | 'completed' | 'cancelled';
  sample_percent: number | null;
  item_count: number;
  finding_count: number;
}

export interface Item {
  asset_id: number;
  kind: string;
  code: string;
  name: string | null;
  operator: string;
  status: string;
  version: number;
  lon: number;
  lat: number;
  violation_id: number | null;
  cable_operators: string[];
  finding_count: number;
}

export interface Finding {
  id: number;
  asset_id: number | null;
  asset_code: string | null;
  note: string | null;
  responsible_operator: string | null;
  observed_at: string;
  answers: Record<string, 'pass' | 'fail' | 'not_applicable'>;
  photos: PhotoMeta[];
  violations: string[];
}

export interface RoundDetail extends Round {
  items: Item[];
  findings: Finding[];
  checklists: { rules: Rule[]; by_kind: Record<string, string[]> };
}

export interface StatRow {
  key: string;
  name: string;
  findings: number;
  checks: number;
  failed_checks: number;
  violations: number;
  open: number;
  overdue: number;
  closed: number;
  median_days_to_close: number | null;
}

export interface DetectionRow {
  asset_id?: number | null;
  permit_id?: number;
  finding_id?: number;
  kind?: string;
  code?: string;
  asset_code?: string | null;
  asset_kind?: string | null;
  tower_class?: string | null;
  reference?: string;
  title?: string;
  problem?: string;
  distance_m?: number | null;
  operator?: string;
  responsible_operator?: string | null;
  cable_operators?: string[];
  ward_name: string | null;
  registered_on?: string;
  works_completed_on?: string | null;
  observed_at?: string;
  lon: number;
  lat: number;
  legal_basis: string;
  violation: string | null;
  violation_id: number | null;
}

export type DetectionList = 'unpermitted' | 'as-built' | 'unlabelled';

export const fieldApi = {
  async types(): Promise<IncidentType[]> {
    return (await request<IncidentType[]>('/api/v1/incidents/types')).data;
  },
  async challenge(): Promise<{ challenge: string; difficulty: number }> {
    return (await request<{ challenge: string; difficulty: number }>('/api/v1/incidents/challenge')).data;
  },
  async incidents(q: IncidentQuery = {}): Promise<Incident[]> {
    return (await request<Incident[]>(`/api/v1/incidents${query({ ...q })}`)).data;
  },
  exportUrl(format: 'csv' | 'xlsx', q: IncidentQuery = {}): string {
    return `/api/v1/incidents${query({ ...q, format })}`;
  },
  async geojson(signal: AbortSignal): Promise<GeoJSON.FeatureCollection> {
    return (await request<GeoJSON.FeatureCollection>('/api/v1/incidents?format=geojson', { signal })).data;
  },
  async incident(id: number): Promise<{ incident: IncidentDetail; etag: string | null }> {
    const answer = await request<IncidentDetail>(`/api/v1/incidents/${id}`);
    return { incident: answer.data, etag: answer.etag };
  },
  async candidates(id: number): Promise<Candidate[]> {
    return (await request<Candidate[]>(`/api/v1/incidents/${id}/candidates`)).data;
  },
  async step(id: number, action: IncidentAction, body: Record<string, unknown>, photos: Blob[] = [], etag?: string | null): Promise<IncidentDetail> {
    const headers: Record<string, string> = etag ? { 'If-Match': etag } : {};
    if (photos.length === 0) return (await request<IncidentDetail>(`/api/v1/incidents/${id}/actions/${action}`, { method: 'POST', body, headers })).data;
    const form = new FormData();
    form.append('data', JSON.stringify(body));
    photos.forEach((photo, i) => form.append('photo', photo, `anh-${i + 1}.jpg`));
    return (await request<IncidentDetail>(`/api/v1/incidents/${id}/actions/${action}`, { method: 'POST', body: form, headers })).data;
  },
  async track(reference: string): Promise<PublicReport> {
    return (await request<PublicReport>(`/api/v1/incidents/track/${encodeURIComponent(reference)}`)).data;
  },

  async violations(state = 'open'): Promise<Violation[]> {
    return (await request<Violation[]>(`/api/v1/violations${query({ state })}`)).data;
  },
  async violation(id: number): Promise<ViolationDetail> {
    return (await request<ViolationDetail>(`/api/v1/violations/${id}`)).data;
  },
  async violationStep(id: number, action: ViolationAction, body: Record<string, unknown>, photos: Blob[] = []): Promise<ViolationDetail> {
    if (photos.length === 0) return (await request<ViolationDetail>(`/api/v1/violations/${id}/actions/${action}`, { method: 'POST', body })).data;
    const form = new FormData();
    form.append('data', JSON.stringify(body));
    photos.forEach((photo, i) => form.append('photo', photo, `anh-${i + 1}.jpg`));
    return (await request<ViolationDetail>(`/api/v1/violations/${id}/actions/${action}`, { method: 'POST', body: form })).data;
  },

  async rounds(): Promise<Round[]> {
    return (await request<Round[]>('/api/v1/inspections')).data;
  },
  async round(id: number): Promise<RoundDetail> {
    return (await request<RoundDetail>(`/api/v1/inspections/${id}`)).data;
  },
  async checklistRules(): Promise<ChecklistRule[]> {
    return (await request<ChecklistRule[]>('/api/v1/inspections/rules')).data;
  },
  async addChecklistRule(body: ChecklistRuleInput): Promise<ChecklistRule> {
    return (await request<ChecklistRule>('/api/v1/inspections/rules', { method: 'POST', body })).data;
  },
  async changeChecklistRule(key: string, body: ChecklistRuleInput): Promise<ChecklistRule> {
    return (await request<ChecklistRule>(`/api/v1/inspections/rules/${encodeURIComponent(key)}`, { method: 'PUT', body })).data;
  },
  async createRound(body: Record<string, unknown>): Promise<RoundDetail> {
    return (await request<RoundDetail>('/api/v1/inspections', { method: 'POST', body })).data;
  },
  async roundStep(id: number, action: 'start' | 'complete' | 'cancel'): Promise<Round> {
    return (await request<Round>(`/api/v1/inspections/${id}/actions/${action}`, { method: 'POST' })).data;
  },
  async stats(): Promise<{ by_operator: StatRow[]; by_ward: StatRow[] }> {
    return (await request<{ by_operator: StatRow[]; by_ward: StatRow[] }>('/api/v1/inspections/stats')).data;
  },

  async detection(list: DetectionList): Promise<DetectionRow[]> {
    return (await request<DetectionRow[]>(`/api/v1/detection/${list}`)).data;
  },
  async openViolation(list: DetectionList, id: number, operator?: string): Promise<Violation> {
    return (await request<Violation>(`/api/v1/detection/${list}/${id}/violation`, { method: 'POST', body: operator ? { operator } : {} })).data;
  },
};
