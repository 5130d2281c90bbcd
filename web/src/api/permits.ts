// The permit API (construction permits, their pre-checks and clocks) and the
// notifications. Requests go through `typed` (openapi-fetch) or, for uploads,
// `request()` in client.ts; both add the session cookie and the CSRF header.
//
// What the client sends and what the server answers are typed from the
// OpenAPI description (schema.d.ts); the calls go through `typed`
// (openapi-fetch), so their paths, bodies and answers are checked too.

import { request } from './client';
import { answer, typed } from './typed';
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

/** States of an application (server/src/permits/state.rs). */
export type PermitState = Schemas['PermitState'];

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

export type PermitAction = Schemas['PermitAction'];

/** Where an application stands against its deadlines (`clock::Clock`). */
export type Clock = Schemas['Clock'];

/**
 * The description says "object" for geometries, features and the checks'
 * details; the app reads them as GeoJSON and as `FindingDetails`.
 */
type Refined<T> = Omit<T, 'geometry' | 'proposed_assets'> & { geometry: GeoJsonGeometry; proposed_assets: ProposedAsset[] };

/** An application as the inbox lists it (`ApplicationView`). */
export type ApplicationSummary = Refined<Schemas['ApplicationView']>;

export type Outcome = Schemas['Outcome'];

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

/** What `details` of a finding holds (the description says "object"). */
export interface FindingDetails {
  radius_m?: number;
  features?: FindingFeature[];
  [key: string]: unknown;
}

/** One pre-check's result: as stored (`StoredCheck`, with `run_at`) or just run (`PermitFinding`). */
export type Finding = Omit<Schemas['PermitFinding'], 'details'> & { details: FindingDetails; run_at?: string };

export type TimelineEvent = Schemas['PermitEvent'];

export type Attachment = Schemas['AttachmentMeta'];

/** An application with everything its page shows (`PermitView`). */
export type Application = Refined<Omit<Schemas['PermitView'], 'checks'>> & { checks: Finding[] };

export type WardStats = Schemas['WardStats'];

export type PermitStats = Schemas['PermitStats'];

export type Notification = Schemas['Notification'];

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
    const state = query.state && query.state.length > 0 ? query.state.join(',') : undefined;
    const q = query.q || undefined;
    const list = await answer(typed.GET('/api/v1/permits', { params: { query: { state, q } }, signal }));
    return list as ApplicationSummary[];
  },

  /** The caller's applications as GeoJSON, for the map layer. */
  async geojson(signal?: AbortSignal): Promise<GeoJSON.FeatureCollection> {
    return (await request<GeoJSON.FeatureCollection>('/api/v1/permits?format=geojson', { signal })).data;
  },

  async get(id: number, signal?: AbortSignal): Promise<Application> {
    return (await answer(typed.GET('/api/v1/permits/{id}', { params: { path: { id } }, signal }))) as Application;
  },

  /** Saves a draft. */
  async create(input: ApplicationInput): Promise<Application> {
    return (await answer(typed.POST('/api/v1/permits', { body: input as Schemas['ApplicationInput'] }))) as Application;
  },

  /** A JSON Merge Patch of a draft (or of a file the ward asked to complete). */
  async update(id: number, patch: Partial<ApplicationInput>, version?: number): Promise<Application> {
    const changed = typed.PATCH('/api/v1/permits/{id}', {
      params: { path: { id } },
      body: patch,
      headers: { 'Content-Type': 'application/merge-patch+json', ...ifMatch(version) },
    });
    return (await answer(changed)) as Application;
  },

  /** Takes an action; `version` is the one the person saw, so a stale page gets a 409. */
  async act(id: number, action: PermitAction, input: ActionInput = {}, version?: number): Promise<Application> {
    const moved = typed.POST('/api/v1/permits/{id}/actions/{action}', {
      params: { path: { id, action } },
      body: input as Schemas['ActionInput'],
      headers: ifMatch(version),
    });
    return (await answer(moved)) as Application;
  },

  async rerunChecks(id: number): Promise<Finding[]> {
    return (await answer(typed.POST('/api/v1/permits/{id}/checks', { params: { path: { id } } }))) as Finding[];
  },

  async attach(id: number, file: File): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, file.name);
    return (await request<Attachment>(`/api/v1/permits/${id}/attachments`, { method: 'POST', body: form })).data;
  },

  async stats(signal?: AbortSignal): Promise<PermitStats> {
    return answer(typed.GET('/api/v1/permits/stats', { signal }));
  },

  async notifications(): Promise<Notification[]> {
    return answer(typed.GET('/api/v1/notifications'));
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
