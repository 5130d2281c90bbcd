// Import jobs (`/api/v1/imports`) and exports (`/api/v1/{kind}/export`).
// The job's types are the server's (`import::jobs::Job`, generated into
// schema.d.ts by `make openapi`).

import { ApiError, currentCsrfToken, request } from './client';
import type { components } from './schema';
import type { Collection, FieldProblem } from './types';

type Schemas = components['schemas'];

export type JobStatus = Schemas['ImportStatus'];
export type ImportColumn = Schemas['ImportColumn'];
export type ImportTarget = Schemas['ImportTarget'];
export type RowProblem = Schemas['RowProblem'];
export type PreviewRow = Schemas['ImportPreviewRow'];
export type ImportPreview = Schemas['ImportPreview'];
/** Attribute → the file's value → code (`null`: the cell is left empty). */
export type ValueMapping = Schemas['ValueMapping'];
/** One coded column of a file: its distinct values and the code each becomes. */
export type ImportColumnValues = Schemas['ImportColumnValues'];
export type ImportJob = Schemas['ImportJob'];

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
