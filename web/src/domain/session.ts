// Who is using the app: `GET /api/v1/auth/me` answers the signed-in person
// (401 when nobody is). Every Hatang server has accounts; there is no "open"
// server where anyone may edit. When the question cannot be answered (a 5xx,
// a network error) the session is unknown: the app shows the error with a way
// to try again, never the editing screens. The server decides what each
// person may change; the app only hides what would certainly be refused.

import { api } from '../api/client';
import type { User } from '../api/types';

let user: User | null = null;
const listeners = new Set<() => void>();

/**
 * Asks the server who is signed in. Throws (an `ApiError`) when it cannot
 * tell; the session then stays signed out.
 */
export async function loadSession(): Promise<void> {
  user = null;
  user = await api.me();
  notify();
}

export function currentSession(): { readonly user: User | null } {
  return { user };
}

/** Whether the app offers to register assets: to admins and operator members (for their operator). */
export function canEdit(): boolean {
  return user?.role === 'admin' || user?.role === 'operator_member';
}

/** Whether the app offers to change an asset owned by `operator`. */
export function canEditAsset(operator: string): boolean {
  if (!user) return false;
  return user.role === 'admin' || (user.role === 'operator_member' && user.operator === operator);
}

/** The operators the person may register assets for, or null for any (an admin). */
export function allowedOperators(): string[] | null {
  if (user?.role === 'operator_member' && user.operator) return [user.operator];
  return null;
}

/** The operator a new asset belongs to by default: the signed-in person's. */
export function defaultOperator(): string | null {
  return user?.operator ?? null;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}
