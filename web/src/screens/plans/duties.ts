// A plan's reporting dates this year, and what the operators have filed for
// the unit, with the data calls and each one's operators by status.

import { filingsApi, type Call } from '../../api/filings';
import { plansApi, type Duty, type Plan } from '../../api/plans';
import { formatDate, formatNumber, t, todayInVietnam, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { dataTable } from '../../ui/table';

/** Days from today (Vietnam) to a `YYYY-MM-DD` day. */
function daysTo(day: string): number {
  const today = todayInVietnam();
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
    dataTable<Duty>({
      testId: 'duties-table',
      empty: t('plan.duties.none'),
      rows: plan.duties,
      rowAttributes: () => ({ 'data-testid': 'duty-row' }),
      columns: [
        { key: 'reporter', label: t('plan.duties.reporter'), phone: 'title', cell: (duty) => duty.reporter },
        { key: 'recipient', label: t('plan.duties.recipient'), cell: (duty) => duty.recipient },
        { key: 'what', label: t('plan.duties.what'), cell: (duty) => [h('p', {}, duty.what), duty.sentence ? h('q', { class: 'small muted' }, duty.sentence) : null] },
        {
          key: 'deadline',
          label: t('plan.duties.deadline', { year: String(year) }),
          nowrap: true,
          cell: (duty) => {
            const deadline = deadlineIn(duty, year);
            const left = deadline ? daysTo(deadline) : null;
            const written = `${String(duty.due_day).padStart(2, '0')}/${String(duty.due_month).padStart(2, '0')}`;
            return [
              h('p', {}, duty.before ? t('plan.duties.before', { day: written }) : t('plan.duties.on', { day: written })),
              deadline ? h('p', { class: 'small', 'data-testid': 'duty-deadline' }, formatDate(deadline)) : null,
              left === null ? null : h('span', { class: left < 0 ? 'badge badge-overdue' : 'badge' }, left < 0 ? t('plan.duties.passed') : t('plan.duties.daysLeft', { n: left })),
            ];
          },
        },
      ],
    }).element,
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
  // The data calls the caller may see (staff: in their scope; operators: addressed to them).
  const calls: Call[] = await filingsApi.calls().catch(() => []);
  const submitted = (call: Call) => call.operators.filter((o) => o.status === 'submitted').length;
  return h(
    'section',
    { class: 'card', 'data-testid': 'filings-panel' },
    h('h2', {}, t('fl.calls.title')),
    calls.length === 0
      ? h('p', { class: 'empty' }, t('fl.calls.none'))
      : dataTable<Call>({
          testId: 'plan-calls',
          empty: t('fl.calls.none'),
          rows: calls,
          rowAttributes: () => ({ 'data-testid': 'plan-call' }),
          columns: [
            { key: 'title', label: t('fl.calls.title'), phone: 'title', cell: (call) => [h('a', { href: `/filings/calls/${call.id}` }, call.title), h('div', { class: 'small' }, `${t(`fl.kind.${call.kind}` as MessageKey)} · ${call.unit.name}`)] },
            { key: 'due', label: t('plan.filings.due'), cell: (call) => formatDate(call.effective_due_on) },
            { key: 'state', label: t('plan.filings.state'), cell: (call) => t(`fl.state.${call.state}` as MessageKey) },
            { key: 'submitted', label: t('plan.filings.submitted'), numeric: true, cell: (call) => `${formatNumber(submitted(call))}/${formatNumber(call.operators.length)}` },
          ],
        }).element,
    h('p', { class: 'note' }, t('plan.filings.lead')),
    byOperator.size === 0
      ? h('p', { class: 'empty' }, t('plan.filings.none'))
      : dataTable<[string, { asOf: string; units: Set<number>; indicators: Set<string> }]>({
          testId: 'plan-filed',
          empty: t('plan.filings.none'),
          rows: [...byOperator.entries()].sort(([a], [b]) => a.localeCompare(b)),
          rowAttributes: () => ({ 'data-testid': 'filing-row' }),
          columns: [
            { key: 'operator', label: t('plan.filings.operator'), phone: 'title', cell: ([operator]) => operator },
            { key: 'asOf', label: t('plan.filings.lastAsOf'), cell: ([, entry]) => formatDate(entry.asOf) },
            { key: 'units', label: t('plan.filings.units'), numeric: true, cell: ([, entry]) => formatNumber(entry.units.size) },
            { key: 'indicators', label: t('plan.filings.indicators'), cell: ([, entry]) => h('span', { class: 'small' }, [...entry.indicators].map(name).join('; ')) },
          ],
        }).element,
  );
}
