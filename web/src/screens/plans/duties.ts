// A plan's reporting dates this year, and what the operators have filed for
// the unit (the filings' status panel until filing windows are in service).

import { plansApi, type Duty, type Plan } from '../../api/plans';
import { formatDate, formatNumber, t } from '../../i18n';
import { h } from '../../ui/dom';

/** Days from today (Vietnam) to a `YYYY-MM-DD` day. */
function daysTo(day: string): number {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
  return Math.round((Date.parse(day) - Date.parse(today)) / 86_400_000);
}

function deadlineIn(duty: Duty, year: number): string | null {
  const day = new Date(Date.UTC(year, duty.due_month - 1, duty.due_day));
  if (duty.before) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export function dutiesView(plan: Plan, year: number): HTMLElement {
  if (plan.duties.length === 0) return h('section', { class: 'card' }, h('p', { class: 'empty', 'data-testid': 'duties-none' }, t('plan.duties.none')));
  return h(
    'section',
    { class: 'card', 'data-testid': 'duties' },
    h(
      'table',
      { class: 'data-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('plan.duties.reporter')), h('th', {}, t('plan.duties.recipient')), h('th', {}, t('plan.duties.what')), h('th', {}, t('plan.duties.deadline', { year: String(year) })))),
      h(
        'tbody',
        {},
        plan.duties.map((duty) => {
          const deadline = deadlineIn(duty, year);
          const left = deadline ? daysTo(deadline) : null;
          const written = `${String(duty.due_day).padStart(2, '0')}/${String(duty.due_month).padStart(2, '0')}`;
          return h(
            'tr',
            { 'data-testid': 'duty-row' },
            h('td', {}, duty.reporter),
            h('td', {}, duty.recipient),
            h('td', {}, h('p', {}, duty.what), duty.sentence ? h('q', { class: 'small muted' }, duty.sentence) : null),
            h(
              'td',
              { class: 'nowrap' },
              h('p', {}, duty.before ? t('plan.duties.before', { day: written }) : t('plan.duties.on', { day: written })),
              deadline ? h('p', { class: 'small', 'data-testid': 'duty-deadline' }, formatDate(deadline)) : null,
              left === null ? null : h('span', { class: left < 0 ? 'badge badge-overdue' : 'badge' }, left < 0 ? t('plan.duties.passed') : t('plan.duties.daysLeft', { n: left })),
            ),
          );
        }),
      ),
    ),
  );
}

export async function filingsView(unit: number): Promise<HTMLElement> {
  const values = await plansApi.filedValues(unit);
  const byOperator = new Map<string, { asOf: string; units: Set<number>; indicators: Set<string> }>();
  for (const v of values) {
    const key = v.operator ?? '—';
    const entry = byOperator.get(key) ?? { asOf: v.as_of, units: new Set<number>(), indicators: new Set<string>() };
    if (v.as_of > entry.asOf) entry.asOf = v.as_of;
    entry.units.add(v.unit_id);
    entry.indicators.add(v.indicator);
    byOperator.set(key, entry);
  }
  const kinds = await plansApi.kinds();
  const name = (code: string) => kinds.find((k) => k.code === code)?.name_vi ?? code;
  return h(
    'section',
    { class: 'card', 'data-testid': 'filings-panel' },
    h('p', { class: 'note' }, t('plan.filings.lead')),
    byOperator.size === 0
      ? h('p', { class: 'empty' }, t('plan.filings.none'))
      : h(
          'table',
          { class: 'data-table' },
          h('thead', {}, h('tr', {}, h('th', {}, t('plan.filings.operator')), h('th', {}, t('plan.filings.lastAsOf')), h('th', { class: 'number' }, t('plan.filings.units')), h('th', {}, t('plan.filings.indicators')))),
          h(
            'tbody',
            {},
            [...byOperator.entries()]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([operator, entry]) =>
                h('tr', { 'data-testid': 'filing-row' }, h('td', {}, operator), h('td', {}, formatDate(entry.asOf)), h('td', { class: 'number' }, formatNumber(entry.units.size)), h('td', { class: 'small' }, [...entry.indicators].map(name).join('; '))),
              ),
          ),
        ),
  );
}
