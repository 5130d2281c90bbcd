// Civil works announced for dig-once, and no-dig periods: every work with
// its sector, owner, dates and what it means for digging today.
//
// Address: `/ngam-hoa/cong-trinh`.

import { undergroundingApi, type CivilWorkFeature } from '../../api/undergrounding';
import type { App } from '../../app';
import { canAnnounceWorks, sectorName, workPhase } from '../../domain/undergrounding';
import { formatDate, t } from '../../i18n';
import { phaseSample } from '../../map/overlays/civilWorks';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { sortableTable } from '../../ui/table';
import { pageError, sectionTabs } from './common';

export function civilWorksScreen(_app: App): Screen {
  let running: AbortController | null = null;
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const body = h('div', { 'aria-live': 'polite' }, loading(t('app.loading')));
      replace(
        root,
        h(
          'article',
          { class: 'page page-wide', 'data-testid': 'civil-works' },
          sectionTabs('works'),
          h(
            'header',
            { class: 'page-header' },
            h('div', { class: 'page-heading' }, h('div', {}, h('p', { class: 'eyebrow' }, t('ug.work.eyebrow')), h('h1', { class: 'page-title' }, t('ug.works.title')), h('p', { class: 'subtitle' }, t('ug.works.lead')))),
            h(
              'div',
              { class: 'page-actions' },
              h('a', { href: '/?overlay=ug-works', class: 'button' }, t('ug.dashboard.onMap')),
              canAnnounceWorks() ? h('a', { href: '/?tool=civil-work', class: 'button button-primary', 'data-testid': 'work-announce' }, t('ug.works.announce')) : null,
            ),
          ),
          body,
        ),
      );
      running?.abort();
      const controller = new AbortController();
      running = controller;
      let works: CivilWorkFeature[];
      try {
        works = (await undergroundingApi.civilWorks(controller.signal)).features;
      } catch (error) {
        if (!controller.signal.aborted) replace(body, pageError(error));
        return;
      }
      if (controller.signal.aborted) return;
      const table = sortableTable<CivilWorkFeature>({
        testId: 'works-table',
        empty: t('ug.works.none'),
        rows: works,
        initialSort: { key: 'starts_on', ascending: true },
        columns: [
          { key: 'title', label: t('ug.work.title'), sortValue: (w) => w.properties.title, cell: (w) => h('a', { href: `/ngam-hoa/cong-trinh/${w.id}` }, w.properties.title) },
          { key: 'sector', label: t('ug.work.sector'), sortValue: (w) => sectorName(w.properties.sector), cell: (w) => sectorName(w.properties.sector) },
          { key: 'owner_org', label: t('ug.work.owner'), sortValue: (w) => w.properties.owner_org },
          { key: 'starts_on', label: t('ug.work.startsOn'), sortValue: (w) => w.properties.starts_on, cell: (w) => formatDate(w.properties.starts_on) },
          { key: 'ends_on', label: t('ug.work.endsOn'), sortValue: (w) => w.properties.ends_on, cell: (w) => formatDate(w.properties.ends_on) },
          { key: 'no_dig_until', label: t('ug.work.noDigUntil'), sortValue: (w) => w.properties.no_dig_until, cell: (w) => formatDate(w.properties.no_dig_until) },
          {
            key: 'phase',
            label: t('ug.work.phase'),
            sortValue: (w) => workPhase(w.properties),
            cell: (w) => {
              const phase = workPhase(w.properties);
              return h('span', { class: 'phase' }, phaseSample(phase), t(`ug.work.phase.${phase}`));
            },
          },
        ],
      });
      replace(body, table.element);
    },
    leave() {
      running?.abort();
    },
  };
}
