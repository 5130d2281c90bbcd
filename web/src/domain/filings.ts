// Names and colours of data calls, filing statuses, problems and challenges,
// in one place for the screens and the map layer; and who is offered what
// (the server decides, the app only hides what would certainly be refused).

import type { Call, Challenge, ChallengeState, FilingProblem, FilingStatus } from '../api/filings';
import { formatDate, formatNumber, t, type MessageKey } from '../i18n';
import { vi } from '../i18n/vi';
import { h } from '../ui/dom';
import { currentSession } from './session';

/** Whether the person opens calls and triages challenges (admins, reviewers, planners). */
export function isStaff(): boolean {
  const role = currentSession().user?.role;
  return role === 'admin' || role === 'reviewer' || role === 'planner';
}

/** The signed-in member's operator, if any. */
export function ownOperator(): string | null {
  const user = currentSession().user;
  return user?.role === 'operator_member' ? (user.operator ?? null) : null;
}

export const STATUS_COLOURS: Record<FilingStatus, string> = {
  not_started: '#8a94a6',
  draft: '#c28a00',
  submitted: '#2e7d32',
  late: '#c62828',
};

export function statusBadge(status: FilingStatus, late = false): HTMLElement {
  return h(
    'span',
    { class: `badge filing-status filing-status-${status}`, 'data-testid': `status-${status}` },
    t(`fl.status.${status}` as MessageKey),
    late ? ` · ${t('fl.submittedLate')}` : '',
  );
}

/** "còn 3 ngày làm việc", "hạn hôm nay", "quá 2 ngày làm việc". */
export function timeLeft(call: Pick<Call, 'working_days_left'>): string {
  const days = call.working_days_left;
  if (days === 0) return t('fl.dueToday');
  return days > 0 ? t('fl.daysLeft', { days }) : t('fl.daysLate', { days: -days });
}

/** A message key built from a code, if the dictionary has it. */
export function knownKey(key: string): MessageKey | null {
  return key in vi ? (key as MessageKey) : null;
}

function param(value: unknown): string | number {
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (value === null || value === undefined) return '';
  return String(value);
}

/** A problem of a filing in the person's language, from its code and parameters. */
export function problemText(problem: FilingProblem): string {
  const key = `fl.problem.${problem.code}` as MessageKey;
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(problem.params ?? {})) params[name] = param(value);
  if (typeof params.field === 'string') params.field = fieldLabel(params.field);
  return key in vi ? t(key, params) : problem.problem;
}

/** The name of a field of a filing. */
export function fieldLabel(field: string): string {
  const key = `fl.field.${field}` as MessageKey;
  return key in vi ? t(key) : field;
}

export const CHALLENGE_COLOURS: Record<'waiting' | 'operator' | 'binding', string> = {
  waiting: '#6d4c41',
  operator: '#ef6c00',
  binding: '#c62828',
};

/** How the map groups the open states of challenges. */
export function challengeGroup(state: ChallengeState): keyof typeof CHALLENGE_COLOURS | null {
  switch (state) {
    case 'submitted':
      return 'waiting';
    case 'forwarded':
    case 'disputed':
      return 'operator';
    case 'accepted':
    case 'upheld':
      return 'binding';
    default:
      return null;
  }
}

export function challengeKind(challenge: Pick<Challenge, 'kind' | 'technology'>): string {
  return challenge.kind === 'no_mobile' ? t('fl.ch.kind.no_mobile', { technology: challenge.technology ?? '' }) : t('fl.ch.kind.no_fibre');
}

export function challengeStateName(state: ChallengeState): string {
  return t(`fl.ch.state.${state}` as MessageKey);
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? t('common.empty') : formatNumber(value, 1);
}
