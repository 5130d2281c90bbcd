// The permit API (construction permits, their pre-checks and clocks) and the
// notifications. Requests go through `request()` in client.ts, so the session
// cookie and the CSRF header are handled there.
//
// What the client sends is typed from the OpenAPI description (schema.d.ts);
// the server does not describe its permit responses there yet, so their shapes
// are written here from server/src/permits (marked so).

import { request } from './client';
import type { components } from './schema';
import type { GeoJsonGeometry } from './types';

type Schemas = components['schemas'];

export type WorksType = Schemas['WorksType'];
export type TowerSpec = Schemas['TowerSpec'];
/** The description says only "object" for geometries and features; they are GeoJSON. */
export type ProposedAsset = Omit<Schemas['ProposedAsset'], 'feature'> & {
  feature: { type: 'Feature'; geometry: GeoJsonGeometry | null; properties: Record<string, unknown> };
};
export type ApplicationInput = Omit<Schemas['ApplicationInput'], 'geometry' | 'proposed_assets'> & {
  geometry: GeoJsonGeometry;
  proposed_assets?: ProposedAsset[];
};
export type ActionInput = Omit<Schemas['ActionInput'], 'as_built'> & { as_built?: { index: number; geometry: GeoJsonGeometry }[] };
export type TowerClass = Schemas['TowerClass'];
export type Placement = Schemas['Placement'];
export type Structure = Schemas['Structure'];

/** Works types in the order the form offers them. */
export const WORKS_TYPES: readonly WorksType[] = ['tower', 'pole_line', 'duct', 'trench', 'overhead_cable', 'undergrounding', 'excavation_repair'];

/** The geometry types each works type is drawn with (as `WorksType::allowed_geometry` on the server). */
export const WORKS_GEOMETRY: Record<WorksType, readonly ('Point' | 'LineString' | 'Polygon')[]> = {
  tower: ['Point'],
  pole_line: ['LineString'],
  duct: ['LineString'],
  trench: ['LineString'],
  overhead_cable: ['LineString'],
  undergrounding: ['LineString'],
  excavation_repair: ['Point', 'LineString', 'Polygon'],
};

/** States of an application (server/src/permits/state.rs). Not in the OpenAPI description. */
export type PermitState =
  | 'draft'
  | 'submitted'
  | 'completeness_check'
  | 'supplement_requested'
  | 'resubmitted'
  | 'under_review'
  | 'modification_requested'
  | 'granted'
  | 'refused'
  | 'withdrawn'
  | 'lapsed'
  | 'notified'
  | 'works_started'
  | 'works_completed';

export const PERMIT_STATES: readonly PermitState[] = [
  'draft',
  'submitted',
  'completeness_check',
  'supplement_requested',
  'resubmitted',
  'under_review',
  'modification_requested',
  'granted',
  'refused',
  'withdrawn',
  'lapsed',
  'notified',
  'works_started',
  'works_completed',
];

export type PermitAction =
  | 'submit'
  | 'begin_check'
  | 'request_supplement'
  | 'resubmit'
  | 'accept'
  | 'grant'
  | 'refuse'
  | 'request_modification'
  | 'extend'
  | 'withdraw'
  | 'lapse'
  | 'report_start'
  | 'report_completion';

/** Where an application stands against its deadlines (`clock::Clock`). Not in the OpenAPI description. */
export interface Clock {
  phase: 'not_started' | 'completeness' | 'decision' | 'paused' | 'stopped';
  status: 'none' | 'on_time' | 'at_risk' | 'breached' | 'paused';
  submitted_on: string | null;
  completeness_due: string | null;
  complete_on: string | null;
  decision_due: string | null;
  paused_working_days: number;
  extension_working_days: number;
  /** Negative once the deadline has passed. */
  working_days_left: number | null;
  decided_on: string | null;
  processing_working_days: number | null;
}

/** An application as the inbox lists it (`ApplicationView`). Not in the OpenAPI description. */
export interface ApplicationSummary {
  id: number;
  reference: string;
  operator: string;
  works_type: WorksType;
  title: string;
  description: string;
  geometry: GeoJsonGeometry;
  ward_code: string | null;
  ward_name: string | null;
  planned_start: string;
  planned_end: string;
  tower: TowerSpec | null;
  proposed_assets: ProposedAsset[];
  state: PermitState;
  /** The state's Vietnamese name, from the server. */
  state_label: string;
  exempt: boolean;
  supplement_requested: boolean;
  extension_days: number;
  permit_number: string | null;
  conditions: string | null;
  validity_end: string | null;
  decision_reasons: string | null;
  works_started_on: string | null;
  works_completed_on: string | null;
  created_at: string;
  updated_at: string;
  version: number;
  clock: Clock;
  /** What the caller may do now. */
  actions: PermitAction[];
}

export type Outcome = 'pass' | 'info' | 'warning' | 'blocking' | 'exempt' | 'required';

/** A feature a check found: a candidate tower, a civil work, a zone, a street. */
export interface FindingFeature {
  id?: number;
  code?: string;
  name?: string;
  title?: string;
  reference?: string;
  operator?: string;
  distance_m?: number;
  free_capacity?: number | null;
  target_year?: number;
  geometry?: GeoJsonGeometry;
  [key: string]: unknown;
}

/** One pre-check's result (`checks::Finding`). Not in the OpenAPI description. */
export interface Finding {
  check_key: string;
  outcome: Outcome;
  message_vi: string;
  message_en: string;
  citation: string | null;
  rule_id: number | null;
  details: { radius_m?: number; features?: FindingFeature[]; [key: string]: unknown };
  run_at?: string;
}

export interface TimelineEvent {
  id: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  at: string;
  day: string;
  note: string | null;
  data: Record<string, unknown> | null;
}

export interface Attachment {
  id: number;
  filename: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_at: string;
}

/** An application with everything its page shows. Not in the OpenAPI description. */
export interface Application extends ApplicationSummary {
  checks: Finding[];
  timeline: TimelineEvent[];
  attachments: Attachment[];
  registered_assets: number[];
  /** The printed permit's verification code and public check path, once granted. */
  verification: { code: string; path: string } | null;
}

export interface WardStats {
  ward_code: string | null;
  ward_name: string;
  pending: number;
  granted: number;
  refused: number;
  median_working_days: number | null;
}

export interface PermitStats {
  wards: WardStats[];
  as_of: string;
}

export interface Notification {
  id: number;
  application_id: number | null;
  /** The page it is about, when not a permit application (a data call, a challenge, a report, a violation). */
  link?: string | null;
  kind: string;
  message_vi: string;
  message_en: string;
  created_at: string;
  read_at: string | null;
}

export interface InboxQuery {
  state?: PermitState[];
  q?: string;
}

function ifMatch(version: number | undefined): Record<string, string> {
  return version === undefined ? {} : { 'If-Match': `"${version}"` };
}

export const permitsApi = {
  /** The caller's applications, the most urgent first. */
  async list(query: InboxQuery = {}, signal?: AbortSignal): Promise<ApplicationSummary[]> {
    const params = new URLSearchParams();
    if (query.state && query.state.length > 0) params.set('state', query.state.join(','));
    if (query.q) params.set('q', query.q);
    const suffix = params.toString() ? `?${params}` : '';
    return (await request<ApplicationSummary[]>(`/api/v1/permits${suffix}`, { signal })).data;
  },

  /** The caller's applications as GeoJSON, for the map layer. */
  async geojson(signal?: AbortSignal): Promise<GeoJSON.FeatureCollection> {
    return (await request<GeoJSON.FeatureCollection>('/api/v1/permits?format=geojson', { signal })).data;
  },

  async get(id: number, signal?: AbortSignal): Promise<Application> {
    return (await request<Application>(`/api/v1/permits/${id}`, { signal })).data;
  },

  /** Saves a draft. */
  async create(input: ApplicationInput): Promise<Application> {
    return (await request<Application>('/api/v1/permits', { method: 'POST', body: input })).data;
  },

  /** A JSON Merge Patch of a draft (or of a file the ward asked to complete). */
  async update(id: number, patch: Partial<ApplicationInput>, version?: number): Promise<Application> {
    return (
      await request<Application>(`/api/v1/permits/${id}`, {
        method: 'PATCH',
        body: patch,
        contentType: 'application/merge-patch+json',
        headers: ifMatch(version),
      })
    ).data;
  },

  /** Takes an action; `version` is the one the person saw, so a stale page gets a 409. */
  async act(id: number, action: PermitAction, input: ActionInput = {}, version?: number): Promise<Application> {
    return (await request<Application>(`/api/v1/permits/${id}/actions/${action}`, { method: 'POST', body: input, headers: ifMatch(version) })).data;
  },

  async rerunChecks(id: number): Promise<Finding[]> {
    return (await request<Finding[]>(`/api/v1/permits/${id}/checks`, { method: 'POST' })).data;
  },

  async attach(id: number, file: File): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, file.name);
    return (await request<Attachment>(`/api/v1/permits/${id}/attachments`, { method: 'POST', body: form })).data;
  },

  async stats(signal?: AbortSignal): Promise<PermitStats> {
    return (await request<PermitStats>('/api/v1/permits/stats', { signal })).data;
  },

  async notifications(): Promise<Notification[]> {
    return (await request<Notification[]>('/api/v1/notifications')).data;
  },

  async markRead(id: number): Promise<void> {
    await request<unknown>(`/api/v1/notifications/${id}/read`, { method: 'POST' });
  },

  async markAllRead(): Promise<void> {
    await request<unknown>('/api/v1/notifications/read', { method: 'POST' });
  },
};

/** Addresses of an application's documents (opened by the browser, not fetched). */
export const permitLinks = {
  printView: (id: number) => `/api/v1/permits/${id}/permit.html`,
  pdf: (id: number) => `/api/v1/permits/${id}/permit.pdf`,
  docx: (id: number) => `/api/v1/permits/${id}/permit.docx`,
  attachment: (id: number, attachmentId: number) => `/api/v1/permits/${id}/attachments/${attachmentId}`,
};
