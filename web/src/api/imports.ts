// Import jobs (`/api/v1/imports`) and exports (`/api/v1/{kind}/export`).
// The job document is built by the server by hand (server/src/import/jobs.rs,
// `Job::to_json`), not described in the OpenAPI document: its shape is here.

import { ApiError, currentCsrfToken, request } from './client';
import type { Collection, FieldProblem } from './types';

export type JobStatus = 'uploaded' | 'validating' | 'validated' | 'invalid' | 'committing' | 'committed' | 'failed';

export interface ImportColumn {
  name: string;
  /** GDAL's type: String, Integer, Real, Date, … */
  type: string;
  samples: unknown[];
}

export interface ImportTarget {
  name: string;
  type: 'text' | 'number' | 'integer' | 'boolean' | 'text_list' | 'integer_list' | 'json';
  required: boolean;
  description: string;
}

export interface RowProblem {
  /** 1 = the first row after the header; null for the whole file. */
  row: number | null;
  field: string;
  column: string | null;
  /** What is wrong, as a stable code with its params (absent in jobs stored before codes). */
  code?: string;
  params?: Record<string, unknown>;
  problem: string;
}

export interface PreviewRow {
  row: number;
  feature: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> } | null;
  problems: RowProblem[];
}

export interface ImportPreview {
  format: string;
  layers: string[];
  layer: string;
  feature_count: number | null;
  geometry_type: string | null;
  declared_crs: { srid: number | null; description: string } | null;
  columns: ImportColumn[];
  crs: { srid: number; label: string; chosen_by: 'request' | 'file' | 'saved' | 'default' };
  mapping: Record<string, string | null>;
  mapping_problems: FieldProblem[];
  targets: ImportTarget[];
  /** The distinct values of each column mapped to a coded attribute, and their codes. */
  values?: ImportColumnValues[];
  /** Attribute → the file's value → code, as the rows are read with. */
  value_mapping?: ValueMapping;
  rows: PreviewRow[];
  /** What Hatang assumed in reading the file, with codes (plain text in jobs stored before codes). */
  notes: (FieldProblem | string)[];
}

/** Attribute → the file's value → code (`null`: the cell is left empty). */
export type ValueMapping = Record<string, Record<string, string | null>>;

/** One coded column of a file: its distinct values and the code each becomes. */
export interface ImportColumnValues {
  column: string;
  attribute: string;
  codes: string[];
  values: { value: string; count: number; code: string | null; chosen_by: 'code' | 'request' | 'saved' | 'synonym' | null }[];
  /** Whether every row was scanned for values. */
  complete: boolean;
}

export interface ImportJob {
  id: number;
  kind: Collection;
  operator: string;
  file_name: string;
  format: string;
  size_bytes: number;
  status: JobStatus;
  /** While running: queued, reading, checking, writing. */
  phase: string | null;
  layer: string | null;
  crs: { srid: number; label: string };
  mapping: Record<string, string | null>;
  preview: ImportPreview | null;
  progress: { total_rows: number | null; processed_rows: number };
  problem_count: number;
  problems: RowProblem[];
  notes: string[];
  /** What to check although the rows may be taken (code `former_zone`). */
  warnings?: RowProblem[];
  result: { created: number | null; updated: number | null; unchanged: number | null };
  /** Where the rows lie, `[west, south, east, north]` (once checked). */
  extent?: [number, number, number, number] | null;
  message: string | null;
  actor: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** How the coordinates of a file are to be read: as it declares, an EPSG code, or a province's TM-3 zone. */
export type CrsChoice = { crs?: string; tm3?: string };

export interface UploadRequest extends CrsChoice {
  kind: Collection;
  operator: string;
  file: File;
}

function errorFromBody(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: FieldProblem[]; reason?: string; params?: Record<string, unknown> } };
    if (body.error) return new ApiError(status, body.error.code ?? `http_${status}`, body.error.message ?? '', body.error.details ?? [], null, body.error.reason ?? null, body.error.params ?? {});
  } catch {
    // not JSON: a proxy's page, say
  }
  if (status === 413) return new ApiError(413, 'payload_too_large', 'the file is larger than the server takes');
  return new ApiError(status, `http_${status}`, text.slice(0, 200));
}

export const importApi = {
  /**
   * Uploads a file as the body of `POST /api/v1/imports` (XMLHttpRequest,
   * for its upload progress) and answers with the job and its preview.
   */
  upload(upload: UploadRequest, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<ImportJob> {
    const params = new URLSearchParams({ kind: upload.kind, operator: upload.operator, file_name: upload.file.name });
    if (upload.crs) params.set('crs', upload.crs);
    if (upload.tm3) params.set('tm3', upload.tm3);
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1/imports?${params}`);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      const csrf = currentCsrfToken();
      if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
      xhr.upload.addEventListener('progress', (event) => onProgress(event.loaded, event.lengthComputable ? event.total : upload.file.size));
      xhr.addEventListener('load', () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve(JSON.parse(xhr.responseText) as ImportJob);
          } catch {
            reject(new ApiError(xhr.status, 'not_json', 'the server did not answer with JSON'));
          }
        } else {
          reject(errorFromBody(xhr.status, xhr.responseText));
        }
      });
      xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the server could not be reached')));
      xhr.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      signal?.addEventListener('abort', () => xhr.abort());
      xhr.send(upload.file);
    });
  },

  async job(id: number, signal?: AbortSignal): Promise<ImportJob> {
    return (await request<ImportJob>(`/api/v1/imports/${id}`, { signal })).data;
  },

  /** Changes the mapping (a column → attribute, or null to leave it out), the CRS or the layer; the new preview comes back. */
  async setMapping(id: number, change: { mapping?: Record<string, string | null>; values?: ValueMapping; layer?: string } & CrsChoice): Promise<ImportJob> {
    return (await request<ImportJob>(`/api/v1/imports/${id}/mapping`, { method: 'PUT', body: change })).data;
  },

  async validate(id: number): Promise<ImportJob> {
    return (await request<ImportJob>(`/api/v1/imports/${id}/validate`, { method: 'POST' })).data;
  },

  async commit(id: number): Promise<ImportJob> {
    return (await request<ImportJob>(`/api/v1/imports/${id}/commit`, { method: 'POST' })).data;
  },
};

export type ExportFormat = 'geojson' | 'csv' | 'xlsx' | 'gpkg' | 'shp';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['geojson', 'csv', 'xlsx', 'gpkg', 'shp'];

/** Headers and coded values of an export: Vietnamese, English, or the attribute names and codes. */
export type ExportLabels = 'vi' | 'en' | 'codes';

/**
 * The address of an export of `collection` with the list API's filters; with `also`,
 * other kinds go into the same file (GeoPackage layers, XLSX sheets).
 */
export function exportUrl(
  collection: Collection,
  format: ExportFormat,
  crs: CrsChoice,
  filters: URLSearchParams,
  options: { labels?: ExportLabels | null; also?: Collection[] } = {},
): string {
  const params = new URLSearchParams(filters);
  params.delete('limit');
  params.set('format', format);
  if (crs.crs) params.set('crs', crs.crs);
  if (crs.tm3) params.set('tm3', crs.tm3);
  if (options.labels && format !== 'shp') params.set('labels', options.labels);
  const also = (options.also ?? []).filter((c) => c !== collection);
  if (also.length > 0 && (format === 'gpkg' || format === 'xlsx')) {
    params.set('kinds', [collection, ...also].join(','));
    return `/api/v1/export?${params}`;
  }
  return `/api/v1/${collection}/export?${params}`;
}

/** Fetches an export as a file; the name comes from the server's Content-Disposition. */
export async function downloadExport(url: string, signal?: AbortSignal): Promise<{ blob: Blob; fileName: string }> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  if (!response.ok) throw errorFromBody(response.status, await response.text());
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const fileName = disposition.match(/filename="?([^";]+)"?/)?.[1] ?? 'hatang-export';
  return { blob: await response.blob(), fileName };
}
