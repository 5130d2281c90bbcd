// Public statistics of the permit procedure, per ward: applications in
// progress, granted, refused, and the median processing time in working days
// (the time waiting for the applicant not counted). No sign-in needed: how
// fast a ward decides is public.
//
// Addresses: `/thong-ke-cap-phep`, `/permits/stats`.

import { permitsApi, type WardStats } from '../../api/permits';
import type { App } from '../../app';
import { formatDate, formatNumber, t } from '../../i18n';
import type { Screen } from '../../router';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import './permits.css';

export function statsScreen(_app: App): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const stats = asyncSection({
        signal,
        load: (signal) => permitsApi.stats(signal),
        render: (stats) => [stats.wards.length === 0 ? h('p', { class: 'empty' }, t('stats.empty')) : statsTable(stats.wards), h('p', { class: 'muted small' }, t('stats.asOf', { date: formatDate(stats.as_of) }))],
      });
      const shell = pageShell({ class: 'permit-stats', testId: 'permit-stats', eyebrow: t('nav.permitStats'), title: t('stats.title'), lead: t('stats.lead') });
      append(shell.body, stats.element);
      replace(root, shell.element);
      return stats.load();
    },
  };
}

function statsTable(wards: WardStats[]): HTMLElement {
  const longest = Math.max(1, ...wards.map((w) => w.median_working_days ?? 0));
  const median = (days: number | null) =>
    days === null
      ? t('common.empty')
      : h('span', { class: 'median' }, h('span', { class: 'median-bar', style: `width:${Math.round((days / longest) * 100)}%`, 'aria-hidden': 'true' }), t('stats.days', { days: formatNumber(days, 1) }));
  const sum = (rows: WardStats[], pick: (w: WardStats) => number) => formatNumber(rows.reduce((total, w) => total + pick(w), 0));
  return h(
    'div',
    { class: 'card card-flush' },
    dataTable<WardStats>({
      testId: 'stats-table',
      class: 'stats-table',
      empty: t('stats.empty'),
      rows: wards,
      rowAttributes: (w) => ({ 'data-testid': 'stats-row', 'data-ward': w.ward_code ?? '' }),
      columns: [
        { key: 'ward', label: t('stats.ward'), phone: 'title', rowHeader: true, sortValue: (w) => w.ward_name, cell: (w) => [w.ward_name, w.ward_code ? h('span', { class: 'muted small' }, ` (${w.ward_code})`) : null] },
        { key: 'pending', label: t('stats.pending'), numeric: true, sortValue: (w) => w.pending, cell: (w) => formatNumber(w.pending) },
        { key: 'granted', label: t('stats.granted'), numeric: true, sortValue: (w) => w.granted, cell: (w) => formatNumber(w.granted) },
        { key: 'refused', label: t('stats.refused'), numeric: true, sortValue: (w) => w.refused, cell: (w) => formatNumber(w.refused) },
        { key: 'median', label: t('stats.median'), sortValue: (w) => w.median_working_days, cell: (w) => median(w.median_working_days) },
      ],
      footer: (rows) => [t('stats.total'), sum(rows, (w) => w.pending), sum(rows, (w) => w.granted), sum(rows, (w) => w.refused), null],
    }).element,
  );
}
