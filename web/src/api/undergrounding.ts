// The API of undergrounding (areas, flags, the ward dashboard, projects),
// sharing analysis (ratio, free capacity, co-location, free paths) and
// dig-once (civil works). Requests go through client.ts's `request()`, so the
// session cookie and CSRF header are handled there.
//
// Inputs and answers come from the OpenAPI description (schema.d.ts); the JSON
// calls go through `typed` (openapi-fetch), uploads through `request()`.

import { request } from './client';
import { answer, typed } from './typed';
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
export type ProjectStatus = Schemas['ProjectStatus'];
export const PROJECT_STATUSES: readonly ProjectStatus[] = ['planned', 'in_progress', 'completed', 'cancelled', 'closed'];

/** Sectors of civil works (CivilWorkInput.sector). */
export const CIVIL_WORK_SECTORS = ['road', 'power', 'water', 'drainage', 'lighting', 'telecom', 'other'] as const;

// ---- answers ----------------------------------------------------------------
//
// All from the description; where it says only "a geometry" the app reads
// GeoJSON (`Geo<T>`).

type Geo<T> = Omit<T, 'geometry' | 'type'> & { geometry: GeoJsonGeometry } & (T extends { type: string } ? { type: 'Feature' } : unknown);

export type AreaProperties = Schemas['UndergroundingAreaProperties'];
export type AreaFeature = Geo<Schemas['UndergroundingAreaFeature']>;
export type SegmentProperties = Schemas['SegmentProperties'];
export type SegmentFeature = Geo<Schemas['SegmentFeature']>;
/** A ward's figures of one owner (the dashboard's `by_operator`: always an owner there). */
export type OperatorFigures = Omit<Schemas['WardFigures'], 'operator'> & { operator: string };
export type DashboardProject = Schemas['DashboardProject'];
export type TrendPoint = Schemas['HistoryPoint'];
/** `GET /undergrounding/dashboard?ward=`. The public gets it without `by_operator` and `sharing_by_operator`. */
export type Dashboard = Omit<Schemas['Dashboard'], 'by_operator'> & { by_operator?: OperatorFigures[] };
export type ProjectOperator = Schemas['ProjectOperator'];
/** A project as `GET /undergrounding/projects[/{id}]` answers. */
export type Project = Geo<Schemas['Project']>;
export type CivilWorkProperties = Schemas['CivilWorkFeature']['properties'];
export type CivilWorkFeature = Geo<Schemas['CivilWorkFeature']>;
/** Why an operator is matched with a civil work. */
export type MatchReason = Schemas['MatchReason'];
/** `GET /civil-works/{id}`: ward staff see every match; an operator its own. */
export type CivilWork = Geo<Schemas['CivilWork']>;
export type CivilWorkCreated = Schemas['CivilWorkSaved'];
export type RatioRow = Schemas['RatioRow'];
export type CapacityRow = Schemas['CapacityRow'];
export type TowerCandidate = Geo<Schemas['NearbyTower']>;
/** `GET /sharing/colocation`. */
export type Colocation = Omit<Schemas['Colocation'], 'candidates'> & { candidates: TowerCandidate[] };
export type PathDuct = Schemas['RouteDuct'];
/** `GET /sharing/path`. */
export type FreePath = Schemas['FreePath'];

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

/** Where the description says "a geometry", the app reads GeoJSON: the same answer, named so. */
const geo = async <T>(call: Promise<unknown>): Promise<T> => (await answer(call as Promise<{ data?: T; response: Response }>)) as T;

export const undergroundingApi = {
  flags(ward?: string | null, signal?: AbortSignal): Promise<{ type: string; features: SegmentFeature[] }> {
    return geo(typed.GET('/api/v1/undergrounding/flags', { params: { query: { ward: ward || undefined } }, signal }));
  },

  dashboard(ward: string, signal?: AbortSignal): Promise<Dashboard> {
    return geo(typed.GET('/api/v1/undergrounding/dashboard', { params: { query: { ward } }, signal }));
  },

  areas(signal?: AbortSignal): Promise<{ type: string; features: AreaFeature[] }> {
    return geo(typed.GET('/api/v1/undergrounding/areas', { signal }));
  },

  createArea(input: AreaInput): Promise<Schemas['UndergroundingAreaCreated']> {
    return answer(typed.POST('/api/v1/undergrounding/areas', { body: input }));
  },

  async updateArea(id: number, patch: Partial<AreaInput>): Promise<void> {
    await answer(
      typed.PATCH('/api/v1/undergrounding/areas/{id}', {
        params: { path: { id } },
        body: patch,
        headers: { 'Content-Type': 'application/merge-patch+json' },
      }),
    );
  },

  async removeArea(id: number): Promise<void> {
    await answer(typed.DELETE('/api/v1/undergrounding/areas/{id}', { params: { path: { id } } }));
  },

  projects(signal?: AbortSignal): Promise<Project[]> {
    return geo(typed.GET('/api/v1/undergrounding/projects', { signal }));
  },

  project(id: number, signal?: AbortSignal): Promise<Project> {
    return geo(typed.GET('/api/v1/undergrounding/projects/{id}', { params: { path: { id } }, signal }));
  },

  createProject(input: ProjectInput): Promise<Project> {
    return geo(typed.POST('/api/v1/undergrounding/projects', { body: input }));
  },

  setProjectStatus(id: number, status: 'in_progress' | 'completed' | 'cancelled'): Promise<Project> {
    return geo(typed.POST('/api/v1/undergrounding/projects/{id}/status', { params: { path: { id } }, body: { status } }));
  },

  reportProgress(id: number, report: ProgressReport): Promise<Project> {
    return geo(typed.POST('/api/v1/undergrounding/projects/{id}/progress', { params: { path: { id } }, body: report }));
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

  closeProject(id: number): Promise<Project> {
    return geo(typed.POST('/api/v1/undergrounding/projects/{id}/close', { params: { path: { id } } }));
  },

  civilWorks(signal?: AbortSignal): Promise<{ type: string; features: CivilWorkFeature[] }> {
    return geo(typed.GET('/api/v1/civil-works', { signal }));
  },

  civilWork(id: number, signal?: AbortSignal): Promise<CivilWork> {
    return geo(typed.GET('/api/v1/civil-works/{id}', { params: { path: { id } }, signal }));
  },

  announceCivilWork(input: CivilWorkInput): Promise<CivilWorkCreated> {
    return answer(typed.POST('/api/v1/civil-works', { body: input }));
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
    await answer(typed.POST('/api/v1/civil-works/{id}/interest', { params: { path: { id } }, body: { note } }));
  },

  async ratio(by: 'ward' | 'operator', signal?: AbortSignal): Promise<RatioRow[]> {
    return (await answer(typed.GET('/api/v1/sharing/ratio', { params: { query: { by } }, signal }))).rows;
  },

  async capacity(kind: 'towers' | 'ducts', ward?: string | null, signal?: AbortSignal): Promise<CapacityRow[]> {
    const table = typed.GET('/api/v1/sharing/capacity', { params: { query: { kind, ward: ward || undefined } }, signal });
    return (await answer(table)).rows;
  },

  colocation(lon: number, lat: number, towerClass: string, heightM?: number | null, signal?: AbortSignal): Promise<Colocation> {
    const near = typed.GET('/api/v1/sharing/colocation', {
      // Seven decimals, as the map gives them (about 1 cm).
      params: { query: { lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)), tower_class: towerClass, height_m: heightM ?? undefined } },
      signal,
    });
    return geo(near);
  },

  freePath(from: number, to: number, signal?: AbortSignal): Promise<FreePath> {
    return answer(typed.GET('/api/v1/sharing/path', { params: { query: { from, to } }, signal }));
  },
};
