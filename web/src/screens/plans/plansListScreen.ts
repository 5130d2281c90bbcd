// The plans: each with its unit, period, targets, tasks and overdue tasks,
// linking to its progress. Address: `/ke-hoach` (`/plans`).

import { plansApi, type PlanSummary } from '../../api/plans';
import type { App } from '../../app';
import { formatDate, formatNumber, t } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import { pageError, unitTitle } from './common';

export function plansListScreen(_app: App): Screen {
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const shell = pageShell({
        title: t('plan.list.title'),
        lead: t('plan.list.lead'),
        actions: [h('a', { class: 'button', href: '/don-vi-hanh-chinh' }, t('plan.nav.units'))],
        width: 'wide',
        testId: 'plans-list',
      });
      replace(root, shell.element);
      replace(shell.body, loading(t('app.loading')));
      try {
        const plans = await plansApi.plans();
        const table = dataTable<PlanSummary>({
          testId: 'plans-table',
          empty: t('plan.list.none'),
          rows: plans,
          rowAttributes: (p) => ({ 'data-testid': 'plan-row', 'data-unit': p.unit_name }),
          columns: [
            {
              key: 'plan',
              label: t('plan.list.plan'),
              phone: 'title',
              sortValue: (p) => p.title,
              cell: (p) => [h('a', { href: `/ke-hoach/${p.id}` }, p.title), h('p', { class: 'small muted' }, [p.issuer, p.number ?? t('plan.noNumber'), p.issued_on ? formatDate(p.issued_on) : p.issued_text].filter(Boolean).join(' · '))],
            },
            { key: 'unit', label: t('plan.list.unit'), sortValue: (p) => p.unit_name, cell: (p) => unitTitle(p.unit_type, p.unit_name) },
            { key: 'period', label: t('plan.list.period'), nowrap: true, sortValue: (p) => p.period_from, cell: (p) => `${p.period_from}–${p.period_to}` },
            { key: 'targets', label: t('plan.list.targets'), numeric: true, sortValue: (p) => p.targets, cell: (p) => formatNumber(p.targets) },
            { key: 'tasks', label: t('plan.list.tasks'), numeric: true, sortValue: (p) => p.tasks, cell: (p) => formatNumber(p.tasks) },
            {
              key: 'overdue',
              label: t('plan.list.overdue'),
              numeric: true,
              sortValue: (p) => p.overdue_tasks,
              cell: (p) => (p.overdue_tasks > 0 ? h('span', { class: 'badge badge-overdue' }, formatNumber(p.overdue_tasks)) : '0'),
            },
          ],
        });
        replace(shell.body, table.element);
      } catch (error) {
        replace(shell.body, pageError(error));
      }
    },
  };
}
