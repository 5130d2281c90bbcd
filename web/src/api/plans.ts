// The API of plans (targets, tasks, reporting duties, progress), indicators
// and administrative units. Requests go through client.ts's `request()`;
// file uploads (boundaries, statistics sheets, documents) send the file as the
// body with the session's CSRF token. Types come from the OpenAPI description
// (schema.d.ts), which the handlers' `#[utoipa::path]` attributes generate.

import { ApiError, currentCsrfToken, request } from './client';
import type { components } from './schema';
import type { GeoJsonGeometry } from './types';

type Schemas = components['schemas'];

export type Progress = Schemas['Progress'];
export type TargetProgress = Schemas['TargetProgress'];
export type TrendPoint = Schemas['Point'];
export type Provenance = Schemas['Provenance'];
export type Plan = Schemas['Plan'];
export type PlanSummary = Schemas['PlanSummary'];
export type Task = Schemas['Task'];
export type TaskNote = Schemas['TaskNote'];
export type TaskChange = Schemas['TaskChange'];
export type Duty = Schemas['Duty'];
export type Unit = Schemas['Unit'];
export type UnitRef = Schemas['UnitRef'];
export type UnitInput = Schemas['UnitInput'];
export type UnitChange = Schemas['UnitChange'];
export type MergeInput = Schemas['MergeInput'];
export type MergeOutcome = Schemas['MergeOutcome'];
export type BoundaryOutcome = Schemas['BoundaryOutcome'];
export type ImportOutcome = Schemas['ImportOutcome'];
export type PopulationRow = Schemas['PopulationRow'];
export type IndicatorKind = Schemas['KindInfo'];
export type StoredValue = Schemas['StoredValue'];

export type Light = TargetProgress['light'];
export type TaskStatus = 'not_started' | 'in_progress' | 'done' | 'cancelled';
export const TASK_STATUSES: readonly TaskStatus[] = ['not_started', 'in_progress', 'done', 'cancelled'];
export type Level = 'province' | 'district' | 'ward' | 'neighbourhood';
export const LEVELS: readonly Level[] = ['province', 'district', 'ward', 'neighbourhood'];

/** Unit types per level, as the server takes them (admin_units::unit_types). */
export const UNIT_TYPES: Record<Level, string[]> = {
  province: ['tỉnh', 'thành phố'],
  district: ['huyện', 'quận', 'thị xã', 'thành phố'],
  ward: ['phường', 'xã', 'thị trấn', 'đặc khu'],
  neighbourhood: ['tổ dân phố', 'thôn', 'khu dân cư', 'khu phố', 'bản', 'ấp', 'làng', 'xóm', 'buôn', 'sóc'],
};

// ---- answers the description gives only as objects --------------------------

/** `GET /admin-units/{id}/coverage`: a neighbourhood unit of the coverage map. */
export interface CoverageProperties {
  name: string;
  unit_type: string;
  households?: number | null;
  population?: number | null;
  population_as_of?: string;
  population_synthetic?: boolean;
  fibre_households_passed_pct?: number | null;
  fibre_households_subscribed_pct?: number | null;
  population_5g_covered_pct?: number | null;
  population_4g5g_covered_pct?: number | null;
  [source: `${string}_source`]: { as_of: string | null; operators: string[]; methods: string[]; synthetic: boolean } | undefined;
}

export interface CoverageMap {
  type: 'FeatureCollection';
  as_of: string;
  unit_id: number;
  features: { type: 'Feature'; id: number; geometry: GeoJsonGeometry | null; properties: CoverageProperties }[];
  totals: Schemas['UnitFigure'][];
}

/** Sends a file as the request body (`application/octet-stream`). */
async function upload<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream', Accept: 'application/json' };
  const csrf = currentCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: Schemas['FieldProblem'][]; reason?: string; params?: Record<string, unknown> } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, error?.details ?? [], null, error?.reason ?? null, error?.params ?? {});
  }
  return parsed as T;
}

function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const plansApi = {
  async plans(unit?: number | null, year?: number | null): Promise<PlanSummary[]> {
    return (await request<PlanSummary[]>(`/api/v1/plans${query({ unit, year })}`)).data;
  },
  async plan(id: number): Promise<Plan> {
    return (await request<Plan>(`/api/v1/plans/${id}`)).data;
  },
  async progress(id: number, unit: number | null, year: number, signal?: AbortSignal): Promise<Progress> {
    return (await request<Progress>(`/api/v1/plans/${id}/progress${query({ unit, year })}`, { signal })).data;
  },
  async tasks(id: number): Promise<Task[]> {
    return (await request<Task[]>(`/api/v1/plans/${id}/tasks`)).data;
  },
  async updateTask(plan: number, task: number, change: TaskChange): Promise<Task> {
    return (await request<Task>(`/api/v1/plans/${plan}/tasks/${task}`, { method: 'PATCH', body: change })).data;
  },
  async notes(plan: number, task: number): Promise<TaskNote[]> {
    return (await request<TaskNote[]>(`/api/v1/plans/${plan}/tasks/${task}/notes`)).data;
  },
  async addNote(plan: number, task: number, note: string, evidence: string | null): Promise<TaskNote> {
    return (await request<TaskNote>(`/api/v1/plans/${plan}/tasks/${task}/notes`, { method: 'POST', body: { note, evidence } })).data;
  },
  async coverage(unit: number, at?: string | null, signal?: AbortSignal): Promise<CoverageMap> {
    return (await request<CoverageMap>(`/api/v1/admin-units/${unit}/coverage${query({ at })}`, { signal })).data;
  },
  async filedValues(unit: number): Promise<StoredValue[]> {
    return (await request<StoredValue[]>(`/api/v1/indicator-values${query({ unit, source: 'filed' })}`)).data;
  },
  async kinds(): Promise<IndicatorKind[]> {
    return (await request<IndicatorKind[]>('/api/v1/indicators')).data;
  },
};

export const unitsApi = {
  async list(params: { level?: Level | null; parent?: number | null; q?: string | null; at?: string | null; geometry?: boolean } = {}): Promise<Unit[]> {
    return (await request<Unit[]>(`/api/v1/admin-units${query(params)}`)).data;
  },
  async one(id: number): Promise<Unit> {
    return (await request<Unit>(`/api/v1/admin-units/${id}`)).data;
  },
  async create(input: UnitInput): Promise<Unit> {
    return (await request<Unit>('/api/v1/admin-units', { method: 'POST', body: input })).data;
  },
  async update(id: number, change: UnitChange): Promise<Unit> {
    return (await request<Unit>(`/api/v1/admin-units/${id}`, { method: 'PATCH', body: change })).data;
  },
  async merge(id: number, input: MergeInput): Promise<MergeOutcome> {
    return (await request<MergeOutcome>(`/api/v1/admin-units/${id}/merge`, { method: 'POST', body: input })).data;
  },
  async importBoundaries(file: File, level: Level, parent: number | null, dryRun: boolean, quality: string): Promise<BoundaryOutcome> {
    return upload<BoundaryOutcome>(
      `/api/v1/admin-units/boundaries${query({ file_name: file.name, level, parent, dry_run: dryRun, quality })}`,
      file,
    );
  },
  async importPopulation(ward: number, file: File, asOf: string | null, createMissing: boolean, dryRun: boolean): Promise<ImportOutcome> {
    return upload<ImportOutcome>(
      `/api/v1/admin-units/${ward}/population/import${query({ file_name: file.name, as_of: asOf, create_missing: createMissing, dry_run: dryRun })}`,
      file,
    );
  },
  async population(id: number): Promise<PopulationRow[]> {
    return (await request<PopulationRow[]>(`/api/v1/admin-units/${id}/population`)).data;
  },
};
