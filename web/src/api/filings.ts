// The API of data calls, operators' filings and challenges (server/src/filings,
// server/src/challenges). Requests go through client.ts's `request()`, so the
// session cookie and the CSRF header are handled there; uploads with a file
// body use `fetch` through `upload()` below for the same reason.

import { ApiError, currentCsrfToken, request } from './client';

export type FilingKind = 'fixed_broadband' | 'mobile_coverage' | 'yearly_plan';
export const FILING_KINDS: readonly FilingKind[] = ['fixed_broadband', 'mobile_coverage', 'yearly_plan'];
export type FilingStatus = 'not_started' | 'draft' | 'submitted' | 'late';
export const FILING_STATUSES: readonly FilingStatus[] = ['not_started', 'draft', 'submitted', 'late'];
export type CallState = 'scheduled' | 'open' | 'past_due' | 'cancelled';

export interface CallRecipient {
  operator: string;
  operator_name: string;
  status: FilingStatus;
  filing_id: number | null;
  latest_version: number | null;
  latest_saved_at: string | null;
  latest_errors: number | null;
  submitted_version: number | null;
  submitted_at: string | null;
  submitted_late: boolean;
  draft_pending: boolean;
}

export interface Call {
  id: number;
  kind: FilingKind;
  title: string;
  unit: { id: number; code: string | null; name: string; level: string };
  as_of: string;
  plan_year: number | null;
  opens_on: string;
  due_on: string;
  effective_due_on: string;
  working_days_left: number;
  reminder_working_days: number;
  instructions: string | null;
  state: CallState;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: string;
  version: number;
  counts: Record<FilingStatus, number> | null;
  operators: CallRecipient[];
}

export interface CallInput {
  kind: FilingKind;
  title: string;
  unit: string;
  as_of: string;
  opens_on?: string | null;
  due_on: string;
  plan_year?: number | null;
  reminder_working_days?: number | null;
  instructions?: string | null;
  operators?: string[];
}

export interface FilingProblem {
  row: number | null;
  column: string | null;
  field: string;
  code: string;
  params: Record<string, unknown>;
  severity: 'error' | 'warning';
  problem: string;
}

export interface VersionSummary {
  number: number;
  source: 'form' | 'upload';
  file_name: string | null;
  error_count: number;
  warning_count: number;
  created_by: string;
  created_at: string;
  submitted_at: string | null;
  submitted_by: string | null;
}

export interface Version extends VersionSummary {
  filing_id: number;
  file_format: string | null;
  file_size: number | null;
  file_sha256: string | null;
  rows: Record<string, unknown>[];
  problems: FilingProblem[];
  submittable: boolean;
  areas_url: string | null;
}

export interface Filing {
  id: number;
  operator: string;
  operator_name: string;
  status: FilingStatus;
  submitted_late: boolean;
  call: Call;
  versions: VersionSummary[];
  latest: Version | null;
}

export interface FormChoices {
  fields: string[];
  units: { id: number; code: string | null; name: string; level: string; households: number | null; population?: number | null }[];
}

export type ChallengeState = 'submitted' | 'rejected' | 'forwarded' | 'accepted' | 'disputed' | 'upheld' | 'dismissed' | 'corrected';
export const CHALLENGE_STATES: readonly ChallengeState[] = ['submitted', 'forwarded', 'accepted', 'disputed', 'upheld', 'rejected', 'dismissed', 'corrected'];
export type ChallengeAction = 'forward' | 'reject' | 'accept' | 'dispute' | 'uphold' | 'dismiss';

export interface Challenge {
  id: number;
  kind: 'no_mobile' | 'no_fibre';
  technology: '4G' | '5G' | null;
  lon: number;
  lat: number;
  ward: string | null;
  ward_name: string | null;
  address: string | null;
  description: string | null;
  reporter_contact: string | null;
  state: ChallengeState;
  operator: string | null;
  operator_name: string | null;
  triage_note: string | null;
  triaged_by: string | null;
  triaged_at: string | null;
  response_due_on: string | null;
  response_overdue: boolean;
  response_note: string | null;
  responded_by: string | null;
  responded_at: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decided_at: string | null;
  corrected_by_version_id: number | null;
  corrected_at: string | null;
  has_photo: boolean;
  has_evidence: boolean;
  evidence_name: string | null;
  created_at: string;
  version: number;
  actions: ChallengeAction[];
  claimed_by: { operator: string; operator_name: string; call_id: number; filing_id: number; version: number }[];
}

/** The guard of public forms: find a `nonce` such that SHA-256(`challenge:nonce`) starts with `difficulty` zero bits. */
export interface ChallengeTicket {
  challenge: string;
  difficulty: number;
  expires_at: string;
}

/** Sends a file as the body (not multipart), with the CSRF header. */
async function upload<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/octet-stream' };
  const csrf = currentCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: file, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'network', 'the server could not be reached');
  }
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: []; reason?: string; params?: Record<string, unknown> } } | undefined)?.error;
    if (response.status === 413) throw new ApiError(413, 'payload_too_large', error?.message ?? 'too large');
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText, error?.details ?? [], null, error?.reason ?? null, error?.params ?? {});
  }
  return parsed as T;
}

function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const filingsApi = {
  async calls(signal?: AbortSignal): Promise<Call[]> {
    return (await request<Call[]>('/api/v1/filings/calls', { signal })).data;
  },
  async call(id: number, signal?: AbortSignal): Promise<Call> {
    return (await request<Call>(`/api/v1/filings/calls/${id}`, { signal })).data;
  },
  async openCall(input: CallInput): Promise<Call> {
    return (await request<Call>('/api/v1/filings/calls', { method: 'POST', body: input })).data;
  },
  async changeCall(id: number, change: Record<string, unknown> & { version: number }): Promise<Call> {
    return (await request<Call>(`/api/v1/filings/calls/${id}`, { method: 'PATCH', body: change })).data;
  },
  async choices(call: number): Promise<FormChoices> {
    return (await request<FormChoices>(`/api/v1/filings/calls/${call}/template?format=json`)).data;
  },
  templateUrl(call: number, format: 'xlsx' | 'csv'): string {
    return `/api/v1/filings/calls/${call}/template?format=${format}`;
  },
  async filing(id: number, signal?: AbortSignal): Promise<Filing> {
    return (await request<Filing>(`/api/v1/filings/${id}`, { signal })).data;
  },
  async version(filing: number, number: number): Promise<Version> {
    return (await request<Version>(`/api/v1/filings/${filing}/versions/${number}`)).data;
  },
  async areas(filing: number, number: number): Promise<GeoJSON.FeatureCollection> {
    return (await request<GeoJSON.FeatureCollection>(`/api/v1/filings/${filing}/versions/${number}/areas`)).data;
  },
  fileUrl(filing: number, number: number): string {
    return `/api/v1/filings/${filing}/versions/${number}/file`;
  },
  /** A version from the form's rows. */
  async fileForm(call: number, rows: Record<string, unknown>[], operator?: string): Promise<Version> {
    return (await request<Version>(`/api/v1/filings/calls/${call}/versions${query({ operator })}`, { method: 'POST', body: { rows } })).data;
  },
  /** A version from a file; `technology` for coverage files without that column. */
  async fileUpload(call: number, file: File, options: { technology?: string; crs?: string; operator?: string }): Promise<Version> {
    return upload<Version>(`/api/v1/filings/calls/${call}/versions${query({ file_name: file.name, ...options })}`, file);
  },
  async submit(filing: number, number: number): Promise<Filing> {
    return (await request<Filing>(`/api/v1/filings/${filing}/versions/${number}/submit`, { method: 'POST', body: {} })).data;
  },

  async challengeMap(signal?: AbortSignal): Promise<GeoJSON.FeatureCollection> {
    return (await request<GeoJSON.FeatureCollection>('/api/v1/challenges/map', { signal })).data;
  },
  async challenges(state: string, signal?: AbortSignal): Promise<Challenge[]> {
    return (await request<Challenge[]>(`/api/v1/challenges${query({ state })}`, { signal })).data;
  },
  async challenge(id: number, signal?: AbortSignal): Promise<Challenge> {
    return (await request<Challenge>(`/api/v1/challenges/${id}`, { signal })).data;
  },
  challengePhotoUrl(id: number): string {
    return `/api/v1/challenges/${id}/photo`;
  },
  challengeEvidenceUrl(id: number): string {
    return `/api/v1/challenges/${id}/evidence`;
  },
  async ticket(): Promise<ChallengeTicket> {
    return (await request<ChallengeTicket>('/api/v1/challenges/ticket')).data;
  },
  async sendChallenge(form: FormData): Promise<{ id: number; state: ChallengeState; ward: string | null }> {
    return (await request<{ id: number; state: ChallengeState; ward: string | null }>('/api/v1/challenges', { method: 'POST', body: form })).data;
  },
  async act(id: number, action: ChallengeAction, body: { version: number; operator?: string; note?: string }, evidence?: File | null): Promise<Challenge> {
    if (evidence) {
      const form = new FormData();
      form.set('version', String(body.version));
      if (body.note) form.set('note', body.note);
      form.set('evidence', evidence, evidence.name);
      return (await request<Challenge>(`/api/v1/challenges/${id}/actions/${action}`, { method: 'POST', body: form })).data;
    }
    return (await request<Challenge>(`/api/v1/challenges/${id}/actions/${action}`, { method: 'POST', body })).data;
  },
};

/** Finds a nonce whose SHA-256 with the challenge starts with `difficulty` zero bits (the form's proof of work). */
export async function solveTicket(ticket: ChallengeTicket, onProgress?: (tried: number) => void): Promise<string> {
  const encoder = new TextEncoder();
  const batch = 256;
  for (let start = 0; ; start += batch) {
    const tries = Array.from({ length: batch }, (_, i) => start + i);
    const hashes = await Promise.all(tries.map((n) => crypto.subtle.digest('SHA-256', encoder.encode(`${ticket.challenge}:${n}`))));
    for (let i = 0; i < hashes.length; i++) {
      if (leadingZeroBits(new Uint8Array(hashes[i] as ArrayBuffer)) >= ticket.difficulty) return String(tries[i]);
    }
    onProgress?.(start + batch);
  }
}

function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}
