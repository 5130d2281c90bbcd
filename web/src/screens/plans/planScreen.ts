// One plan for a unit and year: every target with its figure, the target,
// the gap, a trend line, a traffic light and where the number comes from;
// the coverage map of the unit's neighbourhood units; the task board (overdue
// first, status, evidence and progress notes editable by ward staff); the
// reporting dates; and what the operators have filed.
//
// Address: `/ke-hoach/{id}?unit=&year=&tab=` (`/plans/{id}` in English).

import { plansApi, unitsApi, type Plan, type Progress, type TargetProgress, type Unit } from '../../api/plans';
import type { App } from '../../app';
import { formatDate, formatNumber, lang, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import { coverageMap } from './coverageMap';
import { dutiesView, filingsView } from './duties';
import { formatDifference, formatValue, lightBadge, pageError, PLAN_TABS, provenanceView, sparkline, unitTitle, type PlanTab } from './common';
import { taskBoard } from './taskBoard';

/** This year in Vietnam. */
export function thisYear(): number {
  return Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));
}

export function planScreen(app: App, id: number, query: URLSearchParams): Screen {
  let controller: AbortController | null = null;
  let cleanup: (() => void) | null = null;
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const page = h('article', { class: 'page page-wide plan-page', 'data-testid': 'plan-screen' }, loading(t('app.loading')));
      replace(root, page);
      controller?.abort();
      controller = new AbortController();
      const signal = controller.signal;
      let plan: Plan;
      try {
        plan = await plansApi.plan(id);
      } catch (error) {
        replace(page, pageError(error));
        return;
      }
      const year = Number(query.get('year')) || thisYear();
      const tab = (PLAN_TABS as string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as PlanTab) : 'progress';
      const unitId = Number(query.get('unit')) || plan.unit.id;
      const address = (changes: { unit?: number; year?: number; tab?: PlanTab }) => {
        const next = new URLSearchParams({ year: String(changes.year ?? year), tab: changes.tab ?? tab });
        const unit = changes.unit ?? unitId;
        if (unit !== plan.unit.id) next.set('unit', String(unit));
        return `/ke-hoach/${id}?${next.toString()}`;
      };

      // Units the figures can be counted for: the plan's, those that replaced
      // it, and its neighbourhood units.
      let choices: Unit[] = [];
      try {
        const own = await unitsApi.one(plan.unit.id);
        const successors = await Promise.all(own.successors.map((s) => unitsApi.one(s.id)));
        const parts = await unitsApi.list({ parent: plan.unit.id, level: 'neighbourhood' });
        choices = [own, ...successors, ...parts];
      } catch {
        choices = [];
      }

      const pickers =
      h(
        'div',
        { class: 'plan-pickers' },
        h(
          'label',
          { class: 'field' },
          h('span', { class: 'field-label' }, t('plan.unitPicker')),
          h(
            'select',
            { 'data-testid': 'plan-unit', onchange: (e: Event) => app.go(address({ unit: Number((e.target as HTMLSelectElement).value) })) },
            (choices.length ? choices : [plan.unit as unknown as Unit]).map((u) =>
              h(
                'option',
                { value: u.id, selected: u.id === unitId },
                `${unitTitle(u.unit_type, u.name)}${u.valid_to ? ` ${t('plan.ended', { date: formatDate(u.valid_to) })}` : ''}`,
              ),
            ),
          ),
        ),
        h(
          'label',
          { class: 'field' },
          h('span', { class: 'field-label' }, t('plan.yearPicker')),
          h(
            'select',
            { 'data-testid': 'plan-year', onchange: (e: Event) => app.go(address({ year: Number((e.target as HTMLSelectElement).value) })) },
            range(Math.min(plan.period_from, year), Math.max(plan.period_to, year)).map((y) => h('option', { value: y, selected: y === year }, String(y))),
          ),
        ),
      );
      const shell = pageShell({
        eyebrow: t('plan.eyebrow'),
        title: plan.title,
        titleTestId: 'plan-title',
        lead: [
          plan.number ? t('plan.number', { number: plan.number }) : t('plan.noNumber'),
          plan.issued_on ? formatDate(plan.issued_on) : plan.issued_text,
          t('plan.issuedBy', { issuer: plan.issuer, signer: plan.signer ?? t('common.empty') }),
          t('plan.period', { from: String(plan.period_from), to: String(plan.period_to) }),
        ]
          .filter(Boolean)
          .join(' · '),
        below: pickers,
        width: 'wide',
        class: 'plan-page',
        testId: 'plan-screen',
      });
      const basis = h(
        'details',
        { class: 'plan-basis' },
        h('summary', {}, t('plan.basis')),
        plan.basis ? h('p', {}, plan.basis) : null,
        plan.note ? h('p', { class: 'note' }, plan.note) : null,
      );
      const tabs = h(
        'nav',
        { class: 'tabs section-tabs', role: 'tablist' },
        PLAN_TABS.map((name) =>
          h('a', { href: address({ tab: name }), class: name === tab ? 'tab active' : 'tab', 'aria-current': name === tab ? 'page' : null, 'data-testid': `plan-tab-${name}` }, t(`plan.tab.${name}` as MessageKey)),
        ),
      );
      const body = h('div', { class: 'plan-body', 'aria-live': 'polite' }, loading(t('app.loading')));
      replace(shell.body, basis, tabs, body);
      replace(root, shell.element);

      cleanup?.();
      cleanup = null;
      try {
        switch (tab) {
          case 'progress': {
            const progress = await plansApi.progress(id, unitId, year, signal);
            if (signal.aborted) return;
            replace(body, progressView(progress));
            break;
          }
          case 'map': {
            const view = await coverageMap(unitId, year, signal);
            if (signal.aborted) return;
            replace(body, view.element);
            view.start();
            cleanup = view.destroy;
            break;
          }
          case 'tasks':
            replace(body, await taskBoard(plan, query.get('overdue') === '1'));
            break;
          case 'duties':
            replace(body, dutiesView(plan, year));
            break;
          case 'filings':
            replace(body, await filingsView(unitId));
            break;
        }
      } catch (error) {
        if (signal.aborted) return;
        replace(body, pageError(error));
      }
    },
    leave() {
      controller?.abort();
      cleanup?.();
    },
  };
}

function range(from: number, to: number): number[] {
  const years = [];
  for (let y = from; y <= to; y++) years.push(y);
  return years;
}

/** The summary and the table of targets. */
export function progressView(progress: Progress): HTMLElement {
  const summary = progress.summary;
  const lineage = progress.lineage.filter((u) => u.id !== progress.unit.id);
  return h(
    'section',
    { class: 'plan-progress', 'data-testid': 'plan-progress' },
    h(
      'div',
      { class: 'plan-summary', 'data-testid': 'plan-summary' },
      (['met', 'on_track', 'at_risk', 'behind', 'no_data'] as const).map((status) =>
        h('span', { class: `summary-chip summary-${status}`, 'data-status': status, 'data-count': summary[status] }, h('strong', {}, formatNumber(summary[status])), ' ', t(`plan.summary.${status}`)),
      ),
      h('span', { class: 'muted small' }, t('plan.asOf', { date: formatDate(progress.as_of) })),
    ),
    lineage.length ? h('p', { class: 'note', 'data-testid': 'plan-lineage' }, t('plan.lineage', { units: lineage.map((u) => unitTitle(u.unit_type, u.name)).join(', ') })) : null,
    dataTable<TargetProgress>({
      testId: 'plan-targets',
      class: 'plan-targets',
      empty: t('common.empty'),
      rows: progress.targets,
      rowAttributes: (target) => ({ 'data-testid': 'target-row', 'data-indicator': target.indicator, 'data-status': target.status, 'data-year': target.target_year }),
      columns: [
        {
          key: 'target',
          label: t('plan.col.target'),
          phone: 'title',
          class: 'target-name',
          cell: (target) => [
            h('strong', {}, indicatorName(target)),
            h('q', { class: 'target-sentence', title: target.section ? t('plan.sentence', { section: target.section }) : null }, target.sentence),
          ],
        },
        { key: 'value', label: t('plan.col.value'), numeric: true, cell: (target) => valueView(target) },
        {
          key: 'goal',
          label: t('plan.col.goal'),
          numeric: true,
          cell: (target) => {
            const goal = formatValue(target.target_value, target.measure);
            return target.comparison === 'at_most' ? t('plan.goal.atMost', { value: goal, year: String(target.target_year) }) : t('plan.goal', { value: goal, year: String(target.target_year) });
          },
        },
        { key: 'gap', label: t('plan.col.gap'), numeric: true, cell: (target) => h('span', { 'data-testid': 'target-gap' }, gapView(target.gap, target)) },
        {
          key: 'trend',
          label: t('plan.col.trend'),
          cell: (target) => [
            sparkline(target.trend, target.target_value, target.measure, t('plan.trend.title', { indicator: indicatorName(target) })),
            h('span', { class: 'small muted direction' }, t(`plan.direction.${target.direction}`)),
          ],
        },
        { key: 'status', label: t('plan.col.status'), cell: (target) => lightBadge(target.light, target.status) },
        { key: 'source', label: t('plan.col.source'), class: 'target-source', cell: (target) => provenanceView(target.provenance, target.method) },
      ],
    }).element,
  );
}

/** A target's figure now (with its counts), or that it has none. */
function valueView(target: TargetProgress): HTMLElement {
  const value = target.value;
  return h(
    'span',
    { 'data-testid': 'target-value', 'data-value': value ?? '' },
    value === null || value === undefined
      ? h('span', { class: 'muted' }, t('plan.noValue'))
      : [
          h('span', { class: 'value' }, formatValue(value, target.measure)),
          target.numerator !== null && target.numerator !== undefined && target.denominator
            ? h('span', { class: 'counts small muted' }, t('plan.counts', { n: formatNumber(target.numerator, 0), d: formatNumber(target.denominator, 0) }))
            : null,
        ],
  );
}

/** How far from the goal: the shortfall, or by how much it is beaten (percentages in points). */
function gapView(gap: number | null | undefined, target: TargetProgress): HTMLElement | string {
  if (gap === null || gap === undefined) return t('common.empty');
  if (Math.abs(gap) < 0.005) return h('span', { class: 'gap-met' }, t('plan.gap.exact'));
  const amount = formatDifference(Math.abs(gap), target.measure);
  if (gap > 0) return amount;
  return h('span', { class: 'gap-met' }, t(target.comparison === 'at_most' ? 'plan.gap.under' : 'plan.gap.met', { value: amount }));
}

/** The indicator's name in the screen's language (the plan's sentence stays in its own words). */
function indicatorName(target: TargetProgress): string {
  return lang() === 'en' && target.indicator_name_en ? target.indicator_name_en : target.indicator_name;
}
