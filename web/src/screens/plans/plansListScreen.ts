// The plans: each with its unit, period, targets, tasks and overdue tasks,
// linking to its progress. Address: `/ke-hoach` (`/plans`).

import { plansApi } from '../../api/plans';
import type { App } from '../../app';
import { formatDate, formatNumber, t } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { pageError, unitTitle } from './common';

export function plansListScreen(_app: App): Screen {
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const page = h('article', { class: 'page page-wide', 'data-testid': 'plans-list' }, loading(t('app.loading')));
      replace(root, page);
      try {
        const plans = await plansApi.plans();
        replace(
          page,
          h('header', { class: 'page-header' }, h('div', { class: 'page-heading' }, h('div', {}, h('h1', { class: 'page-title' }, t('plan.list.title')), h('p', { class: 'subtitle' }, t('plan.list.lead')))), h('div', { class: 'page-actions' }, h('a', { class: 'button', href: '/don-vi-hanh-chinh' }, t('plan.nav.units')))),
          plans.length === 0
            ? h('p', { class: 'empty' }, t('plan.list.none'))
            : h(
                'div',
                { class: 'table-scroll' },
                h(
                  'table',
                  { class: 'data-table' },
                  h('thead', {}, h('tr', {}, h('th', {}, t('plan.list.plan')), h('th', {}, t('plan.list.unit')), h('th', {}, t('plan.list.period')), h('th', { class: 'number' }, t('plan.list.targets')), h('th', { class: 'number' }, t('plan.list.tasks')), h('th', { class: 'number' }, t('plan.list.overdue')))),
                  h(
                    'tbody',
                    {},
                    plans.map((p) =>
                      h(
                        'tr',
                        { 'data-testid': 'plan-row', 'data-unit': p.unit_name },
                        h('td', {}, h('a', { href: `/ke-hoach/${p.id}` }, p.title), h('p', { class: 'small muted' }, [p.issuer, p.number ?? t('plan.noNumber'), p.issued_on ? formatDate(p.issued_on) : p.issued_text].filter(Boolean).join(' · '))),
                        h('td', {}, unitTitle(p.unit_type, p.unit_name)),
                        h('td', { class: 'nowrap' }, `${p.period_from}–${p.period_to}`),
                        h('td', { class: 'number' }, formatNumber(p.targets)),
                        h('td', { class: 'number' }, formatNumber(p.tasks)),
                        h('td', { class: 'number' }, p.overdue_tasks > 0 ? h('span', { class: 'badge badge-overdue' }, formatNumber(p.overdue_tasks)) : '0'),
                      ),
                    ),
                  ),
                ),
              ),
        );
      } catch (error) {
        replace(page, pageError(error));
      }
    },
  };
}
