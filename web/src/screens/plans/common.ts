// What the plan screens share: how a figure is written for its measure, the
// traffic light, the tabs of the section, and the notice for a page that
// needs a login.

import { ApiError } from '../../api/client';
import type { Light, Provenance, TargetProgress } from '../../api/plans';
import { formatDate, formatNumber, t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { describeError } from '../../ui/messages';

export type Measure = TargetProgress['measure'];

/** A value as the plans write it: `84,6 %`, `1.234`, `12,35 km`, `1 Gb/s`. */
export function formatValue(value: number, measure: Measure): string {
  switch (measure) {
    case 'percent':
      return `${formatNumber(value, 2)} %`;
    case 'count':
      return formatNumber(value, 0);
    case 'km':
      return `${formatNumber(value, 3)} km`;
    case 'days':
      return `${formatNumber(value, 1)} ${t('plan.unit.days')}`;
    case 'mbps':
      return `${formatNumber(value, 0)} Mb/s`;
    case 'per_person':
      return formatNumber(value, 2);
  }
  return formatNumber(value);
}

/** A difference between two values: for percentages, in points (`4,6 điểm %`). */
export function formatDifference(value: number, measure: Measure): string {
  return measure === 'percent' ? `${formatNumber(value, 2)} ${t('plan.unit.points')}` : formatValue(value, measure);
}

export const LIGHT_COLOURS: Record<Light, string> = {
  green: '#2e7d32',
  amber: '#f9a825',
  red: '#c62828',
  grey: '#9e9e9e',
};

/** A traffic light with its status in words. */
export function lightBadge(light: Light, status: TargetProgress['status']): HTMLElement {
  return h(
    'span',
    { class: `light light-${light}`, 'data-testid': 'target-light', 'data-light': light },
    h('span', { class: 'light-dot', 'aria-hidden': 'true', style: `background:${LIGHT_COLOURS[light]}` }),
    t(`plan.summary.${status}` as MessageKey),
  );
}

/** Where a figure comes from, in a line and in detail. */
export function provenanceView(provenance: Provenance | null | undefined, method: string): HTMLElement {
  if (!provenance) return h('span', { class: 'muted' }, t('plan.noValue'));
  const sources = provenance.sources.map((s) => t(`plan.source.${s}` as MessageKey)).join(', ');
  const methods = provenance.methods.map((m) => (isKey(`plan.source.method.${m}`) ? t(`plan.source.method.${m}` as MessageKey) : m));
  const parts: (string | null)[] = [
    provenance.as_of ? t('plan.source.asOf', { date: formatDate(provenance.as_of) }) : null,
    provenance.operators.length ? t('plan.source.operators', { list: provenance.operators.join(', ') }) : null,
    provenance.units_total > 1 ? t('plan.source.units', { counted: provenance.units_counted, total: provenance.units_total }) : null,
    provenance.predecessors.length ? t('plan.source.predecessors', { list: provenance.predecessors.join(', ') }) : null,
  ];
  const details: (string | null)[] = [
    methods.length ? methods.join(', ') : null,
    provenance.population_sources.length ? t('plan.source.population', { list: provenance.population_sources.join('; ') }) : null,
    provenance.evidence.length ? t('plan.source.evidence', { list: provenance.evidence.join('; ') }) : null,
    provenance.filings.length ? provenance.filings.join(', ') : null,
    provenance.supplied_by.length ? t('plan.source.suppliedBy', { list: provenance.supplied_by.join(', ') }) : null,
  ];
  return h(
    'div',
    { class: 'provenance', 'data-testid': 'target-source' },
    h('span', { class: 'provenance-kind' }, sources),
    provenance.synthetic ? h('span', { class: 'badge badge-synthetic', title: t('plan.source.synthetic') }, t('plan.source.synthetic')) : null,
    h('span', { class: 'provenance-line' }, parts.filter(Boolean).join(' · ')),
    h(
      'details',
      { class: 'provenance-details' },
      h('summary', {}, t('plan.method')),
      h('p', {}, method),
      details.filter(Boolean).map((d) => h('p', { class: 'small' }, d)),
    ),
  );
}

function isKey(key: string): boolean {
  return t(key as MessageKey) !== key;
}

export type PlanTab = 'progress' | 'map' | 'tasks' | 'duties' | 'filings';
export const PLAN_TABS: PlanTab[] = ['progress', 'map', 'tasks', 'duties', 'filings'];

/** A page error: "sign in" for 401, the error otherwise. */
export function pageError(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 401) {
    return h(
      'div',
      { class: 'notice notice-info' },
      h('p', {}, t('plan.loginNeeded')),
      h('a', { class: 'button', href: `/login?next=${encodeURIComponent(location.pathname + location.search)}` }, t('auth.login')),
    );
  }
  return h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, describeError(error)));
}

/** `Phường Chánh Lộ`: the unit type with a capital, unless the name starts with it. */
export function unitTitle(unitType: string, name: string): string {
  if (name.toLocaleLowerCase('vi').startsWith(unitType.toLocaleLowerCase('vi'))) return name;
  return `${unitType.charAt(0).toLocaleUpperCase('vi')}${unitType.slice(1)} ${name}`;
}

/** A small line of a trend: one point per year; points from predecessors are hollow. */
export function sparkline(points: TargetProgress['trend'], target: number, measure: Measure, label: string): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const width = 140;
  const height = 40;
  const pad = 5;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('data-testid', 'target-trend');
  svg.setAttribute('data-points', String(points.length));
  const title = document.createElementNS(NS, 'title');
  title.textContent = `${label}: ${points.map((p) => `${p.year} ${formatValue(p.value, measure)}`).join(', ')}`;
  svg.append(title);
  if (points.length === 0) return svg;
  const years = points.map((p) => p.year);
  const first = Math.min(...years);
  const last = Math.max(...years);
  const top = Math.max(target, ...points.map((p) => p.value)) * 1.05 || 1;
  const x = (year: number) => (last === first ? width / 2 : pad + ((year - first) / (last - first)) * (width - 2 * pad));
  const y = (value: number) => height - pad - (value / top) * (height - 2 * pad);
  const goal = document.createElementNS(NS, 'line');
  goal.setAttribute('x1', String(pad));
  goal.setAttribute('x2', String(width - pad));
  goal.setAttribute('y1', y(target).toFixed(1));
  goal.setAttribute('y2', y(target).toFixed(1));
  goal.setAttribute('class', 'sparkline-goal');
  svg.append(goal);
  if (points.length > 1) {
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.year).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '));
    path.setAttribute('class', 'sparkline-line');
    svg.append(path);
  }
  for (const p of points) {
    const dot = document.createElementNS(NS, 'circle');
    dot.setAttribute('cx', x(p.year).toFixed(1));
    dot.setAttribute('cy', y(p.value).toFixed(1));
    dot.setAttribute('r', '3');
    dot.setAttribute('class', p.from_predecessors ? 'sparkline-point sparkline-old' : 'sparkline-point');
    const tip = document.createElementNS(NS, 'title');
    tip.textContent = `${p.year}: ${formatValue(p.value, measure)}${p.from_predecessors ? ` — ${t('plan.trend.fromPredecessors')}` : ''}`;
    dot.append(tip);
    svg.append(dot);
  }
  return svg;
}
