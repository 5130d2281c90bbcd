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
import { h, loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';
import './permits.css';

export function statsScreen(_app: App): Screen {
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const body = h('div', {}, loading(t('app.loading')));
      const page = h(
        'article',
        { class: 'page permit-stats', 'data-testid': 'permit-stats' },
        h('header', { class: 'page-header' }, h('div', { class: 'page-heading' }, h('div', {}, h('p', { class: 'eyebrow' }, t('nav.permitStats')), h('h1', { class: 'page-title' }, t('stats.title')), h('p', { class: 'subtitle' }, t('stats.lead'))))),
        body,
      );
      replace(root, page);
      const load = async () => {
        replace(body, loading(t('app.loading')));
        try {
          const stats = await permitsApi.stats();
          replace(body, stats.wards.length === 0 ? h('p', { class: 'empty' }, t('stats.empty')) : statsTable(stats.wards), h('p', { class: 'muted small' }, t('stats.asOf', { date: formatDate(stats.as_of) })));
        } catch (error) {
          replace(body, errorBox(error, () => void load()));
        }
      };
      await load();
    },
  };
}

function statsTable(wards: WardStats[]): HTMLElement {
  const total = wards.reduce((sum, w) => ({ pending: sum.pending + w.pending, granted: sum.granted + w.granted, refused: sum.refused + w.refused }), { pending: 0, granted: 0, refused: 0 });
  const longest = Math.max(1, ...wards.map((w) => w.median_working_days ?? 0));
  const median = (days: number | null) =>
    days === null
      ? t('common.empty')
      : h('span', { class: 'median' }, h('span', { class: 'median-bar', style: `width:${Math.round((days / longest) * 100)}%`, 'aria-hidden': 'true' }), t('stats.days', { days: formatNumber(days, 1) }));
  return h(
    'div',
    { class: 'card card-flush table-scroll' },
    h(
      'table',
      { class: 'data-table stats-table', 'data-testid': 'stats-table' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('stats.ward')), [t('stats.pending'), t('stats.granted'), t('stats.refused')].map((c) => h('th', { scope: 'col', class: 'number' }, c)), h('th', { scope: 'col' }, t('stats.median')))),
      h(
        'tbody',
        {},
        wards.map((w) =>
          h(
            'tr',
            { 'data-testid': 'stats-row', 'data-ward': w.ward_code ?? '' },
            h('th', { scope: 'row' }, w.ward_name, w.ward_code ? h('span', { class: 'muted small' }, ` (${w.ward_code})`) : null),
            h('td', { class: 'number' }, formatNumber(w.pending)),
            h('td', { class: 'number' }, formatNumber(w.granted)),
            h('td', { class: 'number' }, formatNumber(w.refused)),
            h('td', {}, median(w.median_working_days)),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h('tr', {}, h('th', { scope: 'row' }, t('stats.total')), h('td', { class: 'number' }, formatNumber(total.pending)), h('td', { class: 'number' }, formatNumber(total.granted)), h('td', { class: 'number' }, formatNumber(total.refused)), h('td', {})),
      ),
    ),
  );
}
