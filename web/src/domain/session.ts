// Who is using the app. With accounts (issue 4) the server answers
// `GET /api/v1/auth/me`; a server without accounts answers 404 there, and then
// the API is open and anyone may edit. The server decides what each person
// may change; the app only hides what would certainly be refused.

import { api } from '../api/client';
import type { User } from '../api/types';

interface Session {
  /** Whether the server has user accounts at all. */
  accounts: boolean;
  user: User | null;
}

let session: Session = { accounts: false, user: null };
const listeners = new Set<() => void>();

export async function loadSession(): Promise<void> {
  try {
    session = await api.me();
  } catch {
    session = { accounts: false, user: null };
  }
  notify();
}

export function currentSession(): Readonly<Session> {
  return session;
}

export function setUser(user: User | null): void {
  session = { accounts: true, user };
  notify();
}

/** Whether the app offers editing: on an open server, or when signed in. */
export function canEdit(): boolean {
  return !session.accounts || session.user !== null;
}

/** The operator a new asset belongs to by default: the signed-in person's. */
export function defaultOperator(): string | null {
  return session.user?.operator ?? null;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
