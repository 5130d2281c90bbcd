// The one module that talks to the Hatang API. Every request goes through
// `request()`, so credentials (the session cookie, same origin) and the CSRF
// header for writes are added in one place.

import type {
  Access,
  AssetFeature,
  AssetPage,
  Collection,
  ErrorBody,
  FieldProblem,
  History,
  LoginResponse,
  Operator,
  Province,
  StreetFeature,
  User,
  WardFeature,
} from './types';
import { answer, typed } from './typed';

/** An error the API (or the network) gave, in the API's own terms. */
export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's stable code (`validation_failed`, `version_conflict`, ...), or `network` / `timeout`. */
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    /** The resource's current ETag, sent with a 409 version conflict. */
    readonly etag: string | null = null,
    /** Why, as the server's code (`role_may_not`, `outside_scope`, …) with its params: the web app words it. */
    readonly reason: string | null = null,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const TIMEOUT_MS = 30_000;

/** The session's CSRF token, from the login or from `GET /api/v1/auth/me`; kept only in memory. */
let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token || null;
}

/** The CSRF token, for the few requests made without `request()` (uploads with progress). */
export function currentCsrfToken(): string | null {
  return csrfToken;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** How long to wait for the answer (30 s by default; uploads over a weak signal need longer). */
  timeoutMs?: number;
}

export interface Answer<T> {
  data: T;
  etag: string | null;
  status: number;
}

/**
 * One request to the API; the domain modules beside this one (admin, account, audit, imports,
 * permits) build on it. A `FormData` body (an upload) is sent as multipart/form-data with the
 * boundary the browser picks; anything else as JSON.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json, application/geo+json', ...options.headers };
  const multipart = options.body instanceof FormData;
  if (options.body !== undefined && !multipart) headers['Content-Type'] = options.contentType ?? 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.timeoutMs ?? TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.body === undefined ? undefined : multipart ? (options.body as FormData) : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (timeout.signal.aborted) throw new ApiError(0, 'timeout', 'the server did not answer in time');
    throw new ApiError(0, 'network', 'the server could not be reached');
  } finally {
    clearTimeout(timer);
  }

  const etag = response.headers.get('ETag');
  if (response.status === 204 || response.status === 304) {
    return { data: undefined as T, etag, status: response.status };
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const body = parsed as Partial<ErrorBody> | undefined;
    const error = body?.error;
    throw new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? response.statusText,
      error?.details ?? [],
      etag,
      error?.reason ?? null,
      (error?.params as Record<string, unknown> | undefined) ?? {},
    );
  }
  if (parsed === undefined) {
    throw new ApiError(response.status, 'not_json', `${path} did not answer with JSON`);
  }
  return { data: parsed as T, etag, status: response.status };
}

/** Filters of an asset list (`GET /api/v1/{collection}`). */
export interface ListQuery {
  bbox?: [number, number, number, number];
  operator?: string;
  status?: string[];
  ward?: string;
  shared?: boolean;
  q?: string;
  limit?: number;
}

function listUrl(collection: Collection, query: ListQuery): string {
  const params = new URLSearchParams();
  if (query.bbox) params.set('bbox', query.bbox.map((n) => n.toFixed(6)).join(','));
  if (query.operator) params.set('operator', query.operator);
  if (query.status && query.status.length > 0) params.set('status', query.status.join(','));
  if (query.ward) params.set('ward', query.ward);
  if (query.shared !== undefined) params.set('shared', String(query.shared));
  if (query.q) params.set('q', query.q);
  params.set('limit', String(query.limit ?? 100));
  return `/api/v1/${collection}?${params}`;
}

export const api = {
  /** First page of a list; follow `nextLink()` for more. */
  async listAssets(collection: Collection, query: ListQuery, signal?: AbortSignal): Promise<AssetPage> {
    return (await request<AssetPage>(listUrl(collection, query), { signal })).data;
  },

  /** The page a `next` link points to (keyset paging). */
  async nextPage(href: string, signal?: AbortSignal): Promise<AssetPage> {
    return (await request<AssetPage>(href, { signal })).data;
  },

  async getAsset(collection: Collection, id: number, signal?: AbortSignal): Promise<{ feature: AssetFeature; etag: string | null }> {
    const answer = await request<AssetFeature>(`/api/v1/${collection}/${id}`, { signal });
    return { feature: answer.data, etag: answer.etag };
  },

  /** Any asset by id, whatever its kind. */
  async getAnyAsset(id: number, signal?: AbortSignal): Promise<AssetFeature> {
    return (await request<AssetFeature>(`/api/v1/assets/${id}`, { signal })).data;
  },

  async createAsset(
    collection: Collection,
    feature: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> },
  ): Promise<{ feature: AssetFeature; etag: string | null }> {
    const answer = await request<AssetFeature>(`/api/v1/${collection}`, {
      method: 'POST',
      body: feature,
      contentType: 'application/geo+json',
    });
    return { feature: answer.data, etag: answer.etag };
  },

  /** A JSON Merge Patch of the Feature, based on the version `etag` names. */
  async updateAsset(
    collection: Collection,
    id: number,
    patch: { geometry?: unknown; properties?: Record<string, unknown> },
    etag: string | null,
  ): Promise<{ feature: AssetFeature; etag: string | null }> {
    const headers: Record<string, string> = {};
    if (etag) headers['If-Match'] = etag;
    const answer = await request<AssetFeature>(`/api/v1/${collection}/${id}`, {
      method: 'PATCH',
      body: patch,
      contentType: 'application/merge-patch+json',
      headers,
    });
    return { feature: answer.data, etag: answer.etag };
  },

  async decommission(collection: Collection, id: number, reason: string, etag: string | null): Promise<AssetFeature> {
    const headers: Record<string, string> = {};
    if (etag) headers['If-Match'] = etag;
    return (
      await request<AssetFeature>(`/api/v1/${collection}/${id}/decommission`, {
        method: 'POST',
        body: { reason },
        headers,
      })
    ).data;
  },

  history(id: number, signal?: AbortSignal): Promise<History> {
    return answer(typed.GET('/api/v1/assets/{id}/history', { params: { path: { id } }, signal }));
  },

  operators(signal?: AbortSignal): Promise<Operator[]> {
    return answer(typed.GET('/api/v1/operators', { signal }));
  },

  provinces(): Promise<Province[]> {
    return answer(typed.GET('/api/v1/provinces'));
  },

  async wards(q?: string, signal?: AbortSignal): Promise<WardFeature[]> {
    const wards = await answer(typed.GET('/api/v1/wards', { params: { query: { q: q || undefined } }, signal }));
    return wards.features as WardFeature[];
  },

  /** What the caller may read. */
  async access(): Promise<Access> {
    return (await answer(typed.GET('/api/v1/access'))) as Access;
  },

  /** Streets by name (with or without diacritics) or by id. */
  async streets(query: { q?: string; ids?: number[]; limit?: number }, signal?: AbortSignal): Promise<StreetFeature[]> {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    if (query.ids) params.set('ids', query.ids.join(','));
    if (query.limit) params.set('limit', String(query.limit));
    return (await request<{ features: StreetFeature[] }>(`/api/v1/streets?${params}`, { signal })).data.features;
  },

  /** The OpenAPI description, which the edit forms are built from. */
  async openapi(): Promise<OpenApiDocument> {
    return (await request<OpenApiDocument>('/api/openapi.json')).data;
  },

  /**
   * The signed-in person, or null when nobody is (401) or the credential is an
   * API token rather than a person. A browser session answers `{user, csrf_token}`;
   * the token is kept for the writes that follow. Any other failure (a 5xx, a
   * network error, a missing route) is thrown: it does not mean "signed out".
   */
  async me(): Promise<User | null> {
    try {
      const data = (await request<MeAnswer>('/api/v1/auth/me')).data;
      if ('user' in data && data.user) {
        setCsrfToken(data.csrf_token ?? null);
        return data.user;
      }
      return null; // an API token, not a person
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },

  async login(username: string, password: string): Promise<User> {
    const answer = await request<LoginResponse>('/api/v1/auth/login', {
      method: 'POST',
      body: { username, password },
    });
    setCsrfToken(answer.data.csrf_token);
    return answer.data.user;
  },

  async logout(): Promise<void> {
    try {
      await request<unknown>('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      setCsrfToken(null);
    }
  },
};

type MeAnswer = { user: User; csrf_token?: string } | { token: unknown };

/** The part of an OpenAPI document the forms read. */
export interface OpenApiDocument {
  components: { schemas: Record<string, JsonSchema> };
}

export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: (string | number | null)[];
  description?: string;
  required?: string[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  $ref?: string;
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  readOnly?: boolean;
  nullable?: boolean;
  maxLength?: number;
  default?: unknown;
}
