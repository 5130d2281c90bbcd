// The outbox: every report, finding and fix made in the field goes here
// first (IndexedDB, photos included), and is sent from here when there is a
// network — at once if there is one. Each item carries its own idempotency
// key, so a send that lost its answer is sent again without ever being
// stored twice (the server answers the retry with the first result). What
// the server refuses stays in the outbox with the reason; an asset changed
// meanwhile is a conflict the person decides on. Nothing is dropped silently.

import { ApiError, api, request } from '../api/client';
import type { FieldProblem } from '../api/types';
import { OUTBOX, all, get, put, remove } from './db';
import { solve } from './pow';
import type { Taken } from './photos';

export type ItemState = 'queued' | 'sending' | 'sent' | 'failed' | 'conflict' | 'login';

export interface OutboxItem {
  /** Also the Idempotency-Key. */
  id: string;
  kind: 'incident' | 'finding' | 'incident_step' | 'violation_step';
  /** Where it is POSTed. */
  url: string;
  /** The name of the JSON part (`report` or `data`). */
  part: 'report' | 'data';
  data: Record<string, unknown>;
  photos: Blob[];
  taken: Taken[];
  /** What it is, for the person. */
  label: string;
  state: ItemState;
  /** Sent without an account: needs the proof of work at send time. */
  public: boolean;
  attempts: number;
  error?: string;
  /** The server's reason for the refusal (`error.reason`, `error.params`), worded when shown. */
  reason?: string | null;
  params?: Record<string, unknown>;
  details?: FieldProblem[];
  /** From the server's answer: the tracking code or reference and where to look. */
  result?: { reference?: string; href?: string };
  created_at: string;
  sent_at?: string;
}

const listeners = new Set<() => void>();

/** Calls `listener` after every change of the outbox; returns the unsubscribe. */
export function onOutboxChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed(): void {
  for (const listener of listeners) listener();
}

export async function items(): Promise<OutboxItem[]> {
  const list = await all<OutboxItem>(OUTBOX);
  return list.sort((a, b) => a.created_at.localeCompare(b.created_at));
}

/** Items still to send or to look at. */
export async function pending(): Promise<OutboxItem[]> {
  return (await items()).filter((i) => i.state !== 'sent');
}

function newKey(): string {
  return crypto.randomUUID();
}

/** Puts something in the outbox and tries to send it; resolves with the stored item. */
export async function enqueue(
  item: Pick<OutboxItem, 'kind' | 'url' | 'part' | 'data' | 'photos' | 'taken' | 'label' | 'public'>,
): Promise<OutboxItem> {
  const stored: OutboxItem = { ...item, id: newKey(), state: 'queued', attempts: 0, created_at: new Date().toISOString() };
  await put(OUTBOX, stored);
  changed();
  void flush();
  return stored;
}

/** Sends the item again after a conflict, keeping the finding though the asset changed. */
export async function keepDespiteChange(id: string): Promise<void> {
  const item = await get<OutboxItem>(OUTBOX, id);
  if (!item) return;
  item.data = { ...item.data, confirm_changed: true };
  item.state = 'queued';
  item.error = undefined;
  item.details = undefined;
  await put(OUTBOX, item);
  changed();
  void flush();
}

export async function retry(id: string): Promise<void> {
  const item = await get<OutboxItem>(OUTBOX, id);
  if (!item) return;
  item.state = 'queued';
  await put(OUTBOX, item);
  changed();
  void flush();
}

export async function discard(id: string): Promise<void> {
  await remove(OUTBOX, id);
  changed();
}

/** Forgets items sent more than a week ago. */
async function tidy(list: OutboxItem[]): Promise<void> {
  const week = Date.now() - 7 * 24 * 3600 * 1000;
  for (const item of list) {
    if (item.state === 'sent' && item.sent_at && Date.parse(item.sent_at) < week) await remove(OUTBOX, item.id);
  }
}

let flushing: Promise<void> | null = null;

/** Sends what can be sent now; one flush at a time. */
export function flush(): Promise<void> {
  flushing ??= send().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function send(): Promise<void> {
  if (!navigator.onLine) return;
  const list = await items();
  await tidy(list);
  const todo = list.filter((i) => i.state === 'queued' || i.state === 'sending' || i.state === 'login');
  if (todo.length === 0) return;
  // A fresh CSRF token (and whether the session still holds) before sending as a person.
  let signedIn: boolean | null = null;
  for (const item of todo) {
    if (!item.public && signedIn === null) {
      try {
        signedIn = (await api.me()) !== null;
      } catch {
        return; // the server cannot be reached: try later
      }
    }
    if (!item.public && !signedIn) {
      item.state = 'login';
      await put(OUTBOX, item);
      changed();
      continue;
    }
    item.state = 'sending';
    item.attempts += 1;
    await put(OUTBOX, item);
    changed();
    const outcome = await sendOne(item);
    if (outcome === 'offline') {
      item.state = 'queued';
      await put(OUTBOX, item);
      changed();
      return;
    }
    await put(OUTBOX, item);
    changed();
  }
}

async function sendOne(item: OutboxItem): Promise<'done' | 'offline'> {
  const data: Record<string, unknown> = { ...item.data, photos: item.taken };
  try {
    if (item.public) {
      const challenge = await api_challenge();
      data.challenge = challenge.challenge;
      data.nonce = await solve(challenge.challenge, challenge.difficulty);
    }
    const form = new FormData();
    form.append(item.part, JSON.stringify(data));
    item.photos.forEach((photo, i) => form.append('photo', photo, `anh-${i + 1}.jpg`));
    const answer = await request<Record<string, unknown>>(item.url, { method: 'POST', body: form, headers: { 'Idempotency-Key': item.id }, timeoutMs: 180_000 });
    item.state = 'sent';
    item.sent_at = new Date().toISOString();
    item.error = undefined;
    item.details = undefined;
    item.result = resultOf(item, answer.data);
    return 'done';
  } catch (error) {
    if (!(error instanceof ApiError)) {
      item.state = 'failed';
      item.error = String(error);
      return 'done';
    }
    if (error.status === 0 || error.status >= 500 || error.status === 429) return 'offline';
    item.reason = error.reason;
    item.params = error.params;
    if (error.code === 'version_conflict') {
      item.state = 'conflict';
      item.error = error.message;
      item.details = error.details;
    } else if (error.status === 401 || error.code === 'csrf_failed') {
      item.state = 'login';
      item.error = error.message;
    } else if (error.status === 409 && error.message.includes('Idempotency-Key')) {
      return 'offline'; // the first send is still being handled: look again later
    } else {
      item.state = 'failed';
      item.error = error.message;
      item.details = error.details;
    }
    return 'done';
  }
}

async function api_challenge(): Promise<{ challenge: string; difficulty: number }> {
  return (await request<{ challenge: string; difficulty: number }>('/api/v1/incidents/challenge')).data;
}

function resultOf(item: OutboxItem, body: Record<string, unknown>): OutboxItem['result'] {
  if (item.kind === 'incident') {
    const reference = String(body.reference ?? '');
    return { reference, href: body.id && !item.public ? `/su-co/${String(body.id)}` : `/phan-anh/${reference}` };
  }
  if (item.kind === 'finding') {
    const finding = body.finding as { round_id?: number } | undefined;
    const opened = (body.opened as string[] | undefined) ?? [];
    return { reference: opened.join(', '), href: finding?.round_id ? `/kiem-tra/${finding.round_id}` : undefined };
  }
  return { reference: String(body.reference ?? '') };
}

let started = false;

/** Sends the outbox when the network comes back, at start, and every half minute. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  window.addEventListener('online', () => void flush());
  window.setInterval(() => void flush(), 30_000);
  void flush();
}
