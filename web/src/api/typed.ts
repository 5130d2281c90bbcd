// The API through its description: an `openapi-fetch` client over the paths of
// schema.d.ts (generated from web/openapi.json), so a path, its parameters, its
// body and its answer are checked by the compiler against what the server says.
//
// It shares `request()`'s rules: the session cookie (same origin), the CSRF
// header on writes, a 30 s timeout, and failures thrown as `ApiError` with the
// server's code, details and reason.

import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError, currentCsrfToken } from './client';
import type { ErrorBody } from './types';
import type { paths } from './schema';

const TIMEOUT_MS = 30_000;

/** Adds the CSRF header to writes and asks for JSON or GeoJSON. */
const session: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json, application/geo+json');
    const csrf = currentCsrfToken();
    if (request.method !== 'GET' && csrf) request.headers.set('X-CSRF-Token', csrf);
    return request;
  },
};

/** `fetch` with the timeout, and a network failure said as an `ApiError`. */
async function fetchWithin(input: Request): Promise<Response> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const signal = AbortSignal.any([input.signal, timeout]);
  try {
    return await fetch(new Request(input, { signal }));
  } catch (error) {
    if (input.signal.aborted) throw error;
    if (timeout.aborted) throw new ApiError(0, 'timeout', 'the server did not answer in time');
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
}

/**
 * The typed client: `typed.GET('/api/v1/provinces')`, … Its answers are the
 * JSON ones (`application/json`, `application/geo+json`); a table's CSV or
 * XLSX is a download the browser makes, not a call.
 */
export const typed = createClient<paths, `application/${string}json`>({ credentials: 'same-origin', fetch: fetchWithin });
typed.use(session);

/** What `openapi-fetch` answers. */
interface Result<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or the failure thrown as an `ApiError` (as `request()` does). */
export async function answer<T>(call: Promise<Result<T>>): Promise<T> {
  return (await answerWithTag(call)).data;
}

/** The answer's body and its ETag. */
export async function answerWithTag<T>(call: Promise<Result<T>>): Promise<{ data: T; etag: string | null }> {
  const { data, error, response } = await call;
  const etag = response.headers.get('ETag');
  if (!response.ok) {
    const body = error as Partial<ErrorBody> | undefined;
    const problem = body?.error;
    throw new ApiError(
      response.status,
      problem?.code ?? `http_${response.status}`,
      problem?.message ?? response.statusText,
      problem?.details ?? [],
      etag,
      problem?.reason ?? null,
      (problem?.params as Record<string, unknown> | undefined) ?? {},
    );
  }
  return { data: data as T, etag };
}
