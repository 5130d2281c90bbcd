// What the permit screens share: names of states, works types, actions and
// check outcomes in the UI language, the colours of states (badges and the
// map layer), the time-left badge, and who may apply.

import type { ApplicationSummary, Clock, Outcome, PermitAction, PermitState, WorksType } from '../api/permits';
import { lang, t, type MessageKey } from '../i18n';
import { vi } from '../i18n/vi';
import { h } from '../ui/dom';
import { currentSession } from './session';

/** Groups of states that share a colour on the map and in badges. */
export type StateGroup = 'draft' | 'ward' | 'applicant' | 'granted' | 'works' | 'refused' | 'closed';

const GROUP_OF: Record<PermitState, StateGroup> = {
  draft: 'draft',
  submitted: 'ward',
  completeness_check: 'ward',
  resubmitted: 'ward',
  under_review: 'ward',
  supplement_requested: 'applicant',
  modification_requested: 'applicant',
  granted: 'granted',
  notified: 'granted',
  works_started: 'works',
  works_completed: 'works',
  refused: 'refused',
  withdrawn: 'closed',
  lapsed: 'closed',
};

export const STATE_GROUP_COLOURS: Record<StateGroup, string> = {
  draft: '#78909c',
  ward: '#1565c0',
  applicant: '#ef6c00',
  granted: '#2e7d32',
  works: '#00838f',
  refused: '#c62828',
  closed: '#8d6e63',
};

export const STATE_GROUPS: readonly StateGroup[] = ['draft', 'ward', 'applicant', 'granted', 'works', 'refused', 'closed'];

/** States still waiting for a decision or for the applicant (the inbox's default filter). */
export const OPEN_STATES: readonly PermitState[] = [
  'draft',
  'submitted',
  'completeness_check',
  'supplement_requested',
  'resubmitted',
  'under_review',
  'modification_requested',
];

export function stateGroup(state: PermitState): StateGroup {
  return GROUP_OF[state] ?? 'closed';
}

export function stateColour(state: PermitState): string {
  return STATE_GROUP_COLOURS[stateGroup(state)];
}

/** Whether `key` names a message (names built from server codes may not). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

export function stateName(state: string): string {
  const key = `permit.state.${state}`;
  return isMessageKey(key) ? t(key) : state;
}

export function worksName(works: WorksType | string): string {
  const key = `permit.works.${works}`;
  return isMessageKey(key) ? t(key) : works;
}

/** A timeline or button name of an action (`create` and `edit` are timeline-only). */
export function actionName(action: PermitAction | string): string {
  const key = `permit.action.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

export function outcomeName(outcome: Outcome): string {
  const key = `permit.outcome.${outcome}`;
  return isMessageKey(key) ? t(key) : outcome;
}

export function checkName(key: string): string {
  const message = `permit.check.${key}`;
  return isMessageKey(message) ? t(message) : key;
}

/** A state badge, coloured by its group. */
export function stateBadge(state: PermitState, testId?: string): HTMLElement {
  return h('span', { class: `badge permit-state permit-state-${stateGroup(state)}`, 'data-testid': testId ?? null, 'data-state': state }, stateName(state));
}

/** The time left as a badge: red when overdue, amber when about to be, grey when paused. */
export function clockBadge(clock: Clock): HTMLElement {
  const left = clock.working_days_left;
  let text: string;
  if (clock.status === 'paused') text = t('permit.paused');
  else if (left === null || clock.status === 'none') text = t('permit.noClock');
  else if (left < 0) text = t('permit.overdue', { days: -left });
  else if (left === 0) text = t('permit.dueToday');
  else if (left === 1) text = t('permit.leftOne');
  else text = t('permit.left', { days: left });
  const statusKey = `permit.clockStatus.${clock.status}`;
  const title = clock.status !== 'none' && isMessageKey(statusKey) ? t(statusKey) : undefined;
  return h('span', { class: `badge clock-badge clock-${clock.status}`, title: title ?? null, 'data-testid': 'clock-badge', 'data-status': clock.status }, text);
}

/** The message of a finding or notification in the UI language. */
export function localMessage(item: { message_vi: string; message_en: string }): string {
  return lang() === 'vi' ? item.message_vi : item.message_en || item.message_vi;
}

/** Whether the person may file applications (members for their operator; admins for any). */
export function mayApply(): boolean {
  const role = currentSession().user?.role;
  return role === 'operator_member' || role === 'admin';
}

/** Whether the person sees the applications inbox (anyone signed in). */
export function seesInbox(): boolean {
  return currentSession().user !== null;
}

/** The operator's own drafts come first in its list; reviewers never see drafts. */
export function isOpen(application: ApplicationSummary): boolean {
  return OPEN_STATES.includes(application.state);
}

/** `YYYY-MM-DD` → `dd/MM/yyyy` for a text field. */
export function isoToField(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** A date typed as d/M/yyyy (or d.M.yyyy, d-M-yyyy) → `YYYY-MM-DD`, or null when it is not a real date. */
export function fieldToIso(text: string): string | null {
  const match = text.trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (!match) return null;
  const [, d, m, y] = match;
  const day = Number(d);
  const month = Number(m);
  const year = Number(y);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

