// What the undergrounding, sharing and dig-once screens agree on: how figures
// are written (km, m, %), the colour classes of flagged streets, the colours
// of project states, the phase of a civil work today, and who may do what
// (the server decides; the app only hides what would certainly be refused).

import { CIVIL_WORK_SECTORS, type CivilWorkProperties, type ProjectStatus } from '../api/undergrounding';
import { formatNumber, t, todayInVietnam } from '../i18n';
import { currentSession } from './session';


/** `12,84 km` (vi) / `12.84 km` (en): two decimals at most. */
export function km(value: number): string {
  return t('ug.unit.km', { value: formatNumber(value, 2) });
}

/** `84,6 m`. */
export function metres(value: number): string {
  return t('ug.unit.m', { value: formatNumber(value, 1) });
}

/** `92,5 %` for a ratio of 0.925. */
export function percent(ratio: number): string {
  return t('ug.unit.percent', { value: formatNumber(ratio * 100, 1) });
}

/** The colour classes of a flagged street segment, by overhead km left or by cable count. */
export type FlagMode = 'overhead' | 'density';

export interface ColourClass {
  /** Lower bound (inclusive) of the class; the first class starts at 0. */
  from: number;
  colour: string;
}

/** Green where nothing is left, then yellow to dark red. */
export const FLAG_CLASSES: Record<FlagMode, ColourClass[]> = {
  overhead: [
    { from: 0, colour: '#43a047' },
    { from: 0.001, colour: '#fdd835' },
    { from: 1, colour: '#fb8c00' },
    { from: 5, colour: '#e53935' },
    { from: 10, colour: '#7f0000' },
  ],
  density: [
    { from: 0, colour: '#43a047' },
    { from: 1, colour: '#fdd835' },
    { from: 5, colour: '#fb8c00' },
    { from: 10, colour: '#e53935' },
    { from: 20, colour: '#7f0000' },
  ],
};

/** The property a flag mode colours by. */
export const FLAG_PROPERTY: Record<FlagMode, 'overhead_km' | 'cable_count'> = { overhead: 'overhead_km', density: 'cable_count' };

export function flagColour(mode: FlagMode, value: number): string {
  const classes = FLAG_CLASSES[mode];
  let colour = classes[0]?.colour ?? '#757575';
  for (const c of classes) if (value >= c.from) colour = c.colour;
  return colour;
}

/** The legend text of each class: `0 km`, `< 1 km`, `1–5 km`, … / `0 tuyến`, `1–4 tuyến`, … */
export function flagClassLabels(mode: FlagMode): string[] {
  const classes = FLAG_CLASSES[mode];
  return classes.map((c, i) => {
    const next = classes[i + 1];
    if (mode === 'overhead') {
      if (i === 0) return t('ug.flags.none');
      if (i === 1) return t('ug.flags.below', { value: km(next?.from ?? 1) });
      return next ? `${formatNumber(c.from)}–${km(next.from)}` : t('ug.flags.atLeast', { value: km(c.from) });
    }
    if (i === 0) return t('ug.flags.noCables');
    return next ? t('ug.flags.cables', { range: `${formatNumber(c.from)}–${formatNumber(next.from - 1)}` }) : t('ug.flags.cables', { range: `≥ ${formatNumber(c.from)}` });
  });
}

export const PROJECT_COLOURS: Record<ProjectStatus, string> = {
  planned: '#1e88e5',
  in_progress: '#f9a825',
  completed: '#2e7d32',
  cancelled: '#9e9e9e',
  closed: '#00695c',
};

/** What a civil work means for digging today. */
export type WorkPhase = 'upcoming' | 'in_progress' | 'no_dig' | 'past';

export const WORK_PHASES: readonly Exclude<WorkPhase, 'past'>[] = ['in_progress', 'upcoming', 'no_dig'];

export const PHASE_COLOURS: Record<WorkPhase, string> = {
  in_progress: '#e65100',
  upcoming: '#fb8c00',
  no_dig: '#6a1b9a',
  past: '#9e9e9e',
};

export function workPhase(work: Pick<CivilWorkProperties, 'starts_on' | 'ends_on' | 'no_dig_until'>, today = todayInVietnam()): WorkPhase {
  if (today < work.starts_on) return 'upcoming';
  if (today <= work.ends_on) return 'in_progress';
  if (work.no_dig_until && today <= work.no_dig_until) return 'no_dig';
  return 'past';
}

/** The name of a civil work's sector (`road` → "Giao thông"). */
export function sectorName(sector: string): string {
  return (CIVIL_WORK_SECTORS as readonly string[]).includes(sector) ? t(`ug.work.sector.${sector as (typeof CIVIL_WORK_SECTORS)[number]}`) : sector;
}

/** Planners and admins manage undergrounding areas and projects (the server checks their scope). */
export function canPlan(): boolean {
  const { user } = currentSession();
  return user?.role === 'admin' || user?.role === 'planner';
}

/** Ward staff (reviewers, planners) and admins announce civil works. */
export function canAnnounceWorks(): boolean {
  const { user } = currentSession();
  return user?.role === 'admin' || user?.role === 'planner' || user?.role === 'reviewer';
}

/** The operator of the signed-in member, who confirms removals and registers interest. */
export function memberOperator(): string | null {
  const { user } = currentSession();
  return user?.role === 'operator_member' ? user.operator : null;
}

/** Whether the person is signed in: the analysis endpoints need it. */
export function signedIn(): boolean {
  return currentSession().user !== null;
}
