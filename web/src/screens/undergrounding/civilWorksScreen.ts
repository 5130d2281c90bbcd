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
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import { loginNeeded, sectionTabs } from './common';

export function civilWorksScreen(_app: App): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const list = asyncSection({
        signal,
        load: async (signal) => (await undergroundingApi.civilWorks(signal)).features,
        error: loginNeeded(),
        render: (works) =>
          dataTable<CivilWorkFeature>({
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
          }).element,
      });
      const shell = pageShell({
        width: 'wide',
        testId: 'civil-works',
        above: sectionTabs('works'),
        eyebrow: t('ug.work.eyebrow'),
        title: t('ug.works.title'),
        lead: t('ug.works.lead'),
        actions: [
          h('a', { href: '/?overlay=ug-works', class: 'button' }, t('ug.dashboard.onMap')),
          canAnnounceWorks() ? h('a', { href: '/?tool=civil-work', class: 'button button-primary', 'data-testid': 'work-announce' }, t('ug.works.announce')) : null,
        ],
      });
      append(shell.body, list.element);
      replace(root, shell.element);
      return list.load();
    },
  };
}
