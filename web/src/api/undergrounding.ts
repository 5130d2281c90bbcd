// The API of undergrounding (areas, flags, the ward dashboard, projects),
// sharing analysis (ratio, free capacity, co-location, free paths) and
// dig-once (civil works). Requests go through client.ts's `request()`, so the
// session cookie and CSRF header are handled there.
//
// Inputs come from the OpenAPI description (schema.d.ts). The server describes
// most answers only as "the figures", so their shapes are written here from
// server/src/undergrounding, sharing and civil_works, and marked so.

import { request } from './client';
import type { components } from './schema';
import type { GeoJsonGeometry } from './types';

type Schemas = components['schemas'];

/** The input types say `geometry: object`; the app sends GeoJSON geometries. */
type WithGeometry<T> = Omit<T, 'geometry'> & { geometry: GeoJsonGeometry };

export type AreaInput = WithGeometry<Schemas['AreaInput']>;
export type ProjectInput = Omit<Schemas['ProjectInput'], 'geometry'> & { geometry?: GeoJsonGeometry };
export type ProgressReport = Schemas['ProgressReport'];
export type CivilWorkInput = WithGeometry<Schemas['CivilWorkInput']>;

/** Project states; `closed` is reached only through `/close`. */
export type ProjectStatus = 'planned' | 'in_progress' | 'completed' | 'cancelled' | 'closed';
export const PROJECT_STATUSES: readonly ProjectStatus[] = ['planned', 'in_progress', 'completed', 'cancelled', 'closed'];

/** Sectors of civil works (CivilWorkInput.sector). */
export const CIVIL_WORK_SECTORS = ['road', 'power', 'water', 'drainage', 'lighting', 'telecom', 'other'] as const;

// ---- answers (not in the OpenAPI description) -------------------------------

/** `GET /undergrounding/areas` feature properties. */
export interface AreaProperties {
  name: string;
  area_type: 'street' | 'zone';
  target_year: number;
  source_doc: string;
  corridor_m: number;
  ward_code: string | null;
  ward_name: string | null;
}

export interface AreaFeature {
  type: 'Feature';
  id: number;
  geometry: GeoJsonGeometry;
  properties: AreaProperties;
}

/** One street segment of an area (`GET /undergrounding/flags` feature properties). */
export interface SegmentProperties {
  area_id: number;
  area_name: string;
  area_type: 'street' | 'zone';
  target_year: number;
  source_doc: string;
  segment_name: string;
  ward_code: string | null;
  ward_name: string | null;
  /** Overhead cable still standing, km summed over cables. */
  overhead_km: number;
  /** Of which along a duct bank with a free pipe. */
  debt_km: number;
  /** Cables running 50 m or more along the segment. */
  cable_count: number;
  /** Overhead km per owner operator. */
  by_operator: Record<string, number>;
}

export interface SegmentFeature {
  type: 'Feature';
  geometry: GeoJsonGeometry;
  properties: SegmentProperties;
}

export interface OperatorFigures {
  operator: string;
  overhead_km: number;
  overhead_km_in_areas: number;
  debt_km: number;
}

export interface DashboardProject {
  id: number;
  name: string;
  status: ProjectStatus;
  starts_on: string | null;
  ends_on: string | null;
  length_km: number;
  built_km: number;
  /** Operators taking part. */
  operators: number;
  /** Of which have confirmed that their overhead cable is down. */
  removals_confirmed: number;
}

export interface TrendPoint {
  day: string;
  overhead_km_in_areas: number;
  overhead_km: number;
  debt_km: number;
}

/** `GET /undergrounding/dashboard?ward=`. The public gets it without `by_operator` and `sharing_by_operator`. */
export interface Dashboard {
  ward_code: string;
  ward_name: string;
  as_of: string;
  overhead_km: number;
  overhead_km_in_areas: number;
  debt_km: number;
  /** Undergrounding areas touching the ward. */
  areas: number;
  by_operator?: OperatorFigures[];
  worst_segments: {
    area_id: number;
    segment_name: string;
    overhead_km: number;
    cable_count: number;
    debt_km: number;
    target_year: number;
  }[];
  projects: DashboardProject[];
  sharing_by_operator?: { operator: string; assets: number; shared: number; ratio: number }[];
  history: TrendPoint[];
}

export interface ProjectOperator {
  operator: string;
  removal_confirmed_at: string | null;
  removed_cables: number[];
  has_photo: boolean;
  /** Overhead metres of this operator's cable still standing in the project. */
  overhead_m_remaining: number;
}

/** A project as `GET /undergrounding/projects[/{id}]` answers. */
export interface Project {
  id: number;
  name: string;
  area_id: number | null;
  /** The name of the undergrounding street or zone it is registered on. */
  area_name?: string | null;
  status: ProjectStatus;
  duct_design: string | null;
  starts_on: string | null;
  ends_on: string | null;
  budget_source: string | null;
  ward_code: string | null;
  ward_name: string | null;
  version: number;
  length_km: number;
  built_km: number;
  progress: { day: string; km_built: number; note: string | null }[];
  operators: ProjectOperator[];
  geometry: GeoJsonGeometry;
}

export interface CivilWorkProperties {
  title: string;
  sector: string;
  owner_org: string;
  contact: string | null;
  starts_on: string;
  ends_on: string;
  no_dig_until: string | null;
  source_doc: string | null;
  ward_code: string | null;
  ward_name?: string | null;
  /** When the work was cancelled, and why (it then meets no permit or operator). */
  cancelled_at?: string | null;
  cancel_reason?: string | null;
}

export interface CivilWorkFeature {
  type: 'Feature';
  id: number;
  geometry: GeoJsonGeometry;
  properties: CivilWorkProperties;
}

/** Why an operator is matched with a civil work. */
export interface MatchReason {
  /** `permit` (an application nearby), `planned` (a planned route), `overhead` (overhead cable along it). */
  source: 'permit' | 'planned' | 'overhead' | string;
  ref: string;
  title: string | null;
}

/** `GET /civil-works/{id}`: ward staff see every match; an operator its own. */
export interface CivilWork extends CivilWorkProperties {
  id: number;
  version?: number;
  geometry: GeoJsonGeometry;
  matches: { operator: string; reasons: MatchReason[] }[];
  interests: { operator: string; note: string | null; created_at: string }[];
}

export interface CivilWorkCreated {
  id: number;
  ward_id: number | null;
  matched_operators: string[];
}

export interface RatioRow {
  code: string | null;
  name: string;
  towers: number;
  shared_towers: number;
  poles: number;
  shared_poles: number;
  ratio: number;
}

export interface CapacityRow {
  id: number;
  code: string;
  operator: string;
  ward_name: string | null;
  capacity: number | null;
  free: number | null;
  tenant_count: number | null;
}

export interface TowerCandidate {
  id: number;
  code: string;
  name: string | null;
  operator: string;
  status: string;
  tower_class: string | null;
  height_m: number | null;
  distance_m: number;
  tenant_count: number | null;
  free_capacity: number | null;
  geometry: GeoJsonGeometry;
}

/** `GET /sharing/colocation`. */
export interface Colocation {
  rule: { id: number; citation: string; mode: string; provisional: boolean } | null;
  radius_m: number | null;
  urban?: boolean;
  candidates: TowerCandidate[];
  message?: string;
}

export interface PathDuct {
  duct_id: number;
  code: string;
  operator: string;
  from_manhole_id: number;
  to_manhole_id: number;
  length_m: number;
  free_pipes: number;
  pipe_count: number;
}

/** `GET /sharing/path`. */
export interface FreePath {
  status: 'free' | 'blocked' | 'no_route';
  length_m?: number;
  ducts: PathDuct[];
  blocking?: PathDuct;
  message?: string;
}

// ---- requests ---------------------------------------------------------------

export type TableFormat = 'csv' | 'xlsx';

function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** The addresses of the tables, with `format=csv|xlsx` for their downloads. */
export const tableUrls = {
  flags: (ward?: string | null, format?: TableFormat) => `/api/v1/undergrounding/flags${query({ ward, format })}`,
  ratio: (by: 'ward' | 'operator', format?: TableFormat) => `/api/v1/sharing/ratio${query({ by, format })}`,
  capacity: (kind: 'towers' | 'ducts', ward?: string | null, format?: TableFormat) =>
    `/api/v1/sharing/capacity${query({ kind, ward, format })}`,
};

const json = async <T>(path: string, signal?: AbortSignal): Promise<T> => (await request<T>(path, { signal })).data;

export const undergroundingApi = {
  flags(ward?: string | null, signal?: AbortSignal): Promise<{ type: 'FeatureCollection'; features: SegmentFeature[] }> {
    return json(tableUrls.flags(ward), signal);
  },

  dashboard(ward: string, signal?: AbortSignal): Promise<Dashboard> {
    return json(`/api/v1/undergrounding/dashboard${query({ ward })}`, signal);
  },

  areas(signal?: AbortSignal): Promise<{ type: 'FeatureCollection'; features: AreaFeature[] }> {
    return json('/api/v1/undergrounding/areas', signal);
  },

  async createArea(input: AreaInput): Promise<{ id: number; area_type: string }> {
    return (await request<{ id: number; area_type: string }>('/api/v1/undergrounding/areas', { method: 'POST', body: input })).data;
  },

  async updateArea(id: number, patch: Partial<AreaInput>): Promise<void> {
    await request<void>(`/api/v1/undergrounding/areas/${id}`, { method: 'PATCH', body: patch, contentType: 'application/merge-patch+json' });
  },

  async removeArea(id: number): Promise<void> {
    await request<void>(`/api/v1/undergrounding/areas/${id}`, { method: 'DELETE' });
  },

  projects(signal?: AbortSignal): Promise<Project[]> {
    return json('/api/v1/undergrounding/projects', signal);
  },

  project(id: number, signal?: AbortSignal): Promise<Project> {
    return json(`/api/v1/undergrounding/projects/${id}`, signal);
  },

  async createProject(input: ProjectInput): Promise<Project> {
    return (await request<Project>('/api/v1/undergrounding/projects', { method: 'POST', body: input })).data;
  },

  async setProjectStatus(id: number, status: 'in_progress' | 'completed' | 'cancelled'): Promise<Project> {
    return (await request<Project>(`/api/v1/undergrounding/projects/${id}/status`, { method: 'POST', body: { status } })).data;
  },

  async reportProgress(id: number, report: ProgressReport): Promise<Project> {
    return (await request<Project>(`/api/v1/undergrounding/projects/${id}/progress`, { method: 'POST', body: report })).data;
  },

  /** The operator's confirmation that its overhead cable is down: a photo and, optionally, which cables. */
  async confirmRemoval(id: number, photo: File, cables: number[] | null): Promise<Project> {
    const form = new FormData();
    form.append('photo', photo, photo.name);
    if (cables) form.append('cables', cables.join(','));
    return (await request<Project>(`/api/v1/undergrounding/projects/${id}/removal`, { method: 'POST', body: form })).data;
  },

  removalPhotoUrl(id: number, operator: string): string {
    return `/api/v1/undergrounding/projects/${id}/removal/${encodeURIComponent(operator)}/photo`;
  },

  async closeProject(id: number): Promise<Project> {
    return (await request<Project>(`/api/v1/undergrounding/projects/${id}/close`, { method: 'POST' })).data;
  },

  civilWorks(signal?: AbortSignal): Promise<{ type: 'FeatureCollection'; features: CivilWorkFeature[] }> {
    return json('/api/v1/civil-works', signal);
  },

  civilWork(id: number, signal?: AbortSignal): Promise<CivilWork> {
    return json(`/api/v1/civil-works/${id}`, signal);
  },

  async announceCivilWork(input: CivilWorkInput): Promise<CivilWorkCreated> {
    return (await request<CivilWorkCreated>('/api/v1/civil-works', { method: 'POST', body: input })).data;
  },

  /** A JSON Merge Patch of a civil work, based on `version` (`If-Match`). */
  async updateCivilWork(id: number, patch: Partial<CivilWorkInput>, version?: number): Promise<CivilWorkCreated> {
    const headers: Record<string, string> = version ? { 'If-Match': `"${version}"` } : {};
    return (await request<CivilWorkCreated>(`/api/v1/civil-works/${id}`, { method: 'PATCH', body: patch, headers, contentType: 'application/merge-patch+json' })).data;
  },

  async cancelCivilWork(id: number, reason: string): Promise<void> {
    await request<void>(`/api/v1/civil-works/${id}/cancel`, { method: 'POST', body: { reason } });
  },

  async registerInterest(id: number, note: string | null): Promise<void> {
    await request<void>(`/api/v1/civil-works/${id}/interest`, { method: 'POST', body: { note } });
  },

  async ratio(by: 'ward' | 'operator', signal?: AbortSignal): Promise<RatioRow[]> {
    return (await json<{ rows: RatioRow[] }>(tableUrls.ratio(by), signal)).rows;
  },

  async capacity(kind: 'towers' | 'ducts', ward?: string | null, signal?: AbortSignal): Promise<CapacityRow[]> {
    return (await json<{ rows: CapacityRow[] }>(tableUrls.capacity(kind, ward), signal)).rows;
  },

  colocation(lon: number, lat: number, towerClass: string, heightM?: number | null, signal?: AbortSignal): Promise<Colocation> {
    return json(`/api/v1/sharing/colocation${query({ lon: lon.toFixed(7), lat: lat.toFixed(7), tower_class: towerClass, height_m: heightM })}`, signal);
  },

  freePath(from: number, to: number, signal?: AbortSignal): Promise<FreePath> {
    return json(`/api/v1/sharing/path${query({ from, to })}`, signal);
  },
};
