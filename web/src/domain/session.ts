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

/**
 * Whether the app offers to register assets: on an open server, to admins,
 * and to operator members (for their operator).
 */
export function canEdit(): boolean {
  if (!session.accounts) return true;
  const role = session.user?.role;
  return role === 'admin' || role === 'operator_member';
}

/** Whether the app offers to change an asset owned by `operator`. */
export function canEditAsset(operator: string): boolean {
  if (!session.accounts) return true;
  const user = session.user;
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'operator_member' && user.operator === operator);
}

/** The operators the person may register assets for, or null for any. */
export function allowedOperators(): string[] | null {
  const user = session.user;
  if (session.accounts && user?.role === 'operator_member' && user.operator) return [user.operator];
  return null;
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
