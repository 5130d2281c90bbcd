// The undergrounding projects: every project with its state, dates, progress
// in km and the operators' removal confirmations.
//
// Address: `/ngam-hoa/du-an`.

import { undergroundingApi, type Project } from '../../api/undergrounding';
import type { App } from '../../app';
import { canPlan, km } from '../../domain/undergrounding';
import { formatDate, t } from '../../i18n';
import type { Screen } from '../../router';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { progressBar } from '../../ui/progress';
import { dataTable } from '../../ui/table';
import { loginNeeded, sectionTabs } from './common';

export function projectsScreen(_app: App): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const list = asyncSection({
        signal,
        load: (signal) => undergroundingApi.projects(signal),
        error: loginNeeded(),
        render: (projects) =>
          dataTable<Project>({
            testId: 'projects-table',
            empty: t('ug.projects.none'),
            rows: projects,
            columns: [
              { key: 'name', label: t('ug.project.name'), sortValue: (p) => p.name, cell: (p) => h('a', { href: `/ngam-hoa/du-an/${p.id}` }, p.name) },
              { key: 'ward_name', label: t('filter.ward'), sortValue: (p) => p.ward_name },
              { key: 'status', label: t('ug.project.status'), sortValue: (p) => t(`ug.project.status.${p.status}`), cell: (p) => h('span', { class: `badge project-${p.status}` }, t(`ug.project.status.${p.status}`)) },
              { key: 'starts_on', label: t('ug.project.startsOn'), sortValue: (p) => p.starts_on, cell: (p) => formatDate(p.starts_on) },
              { key: 'ends_on', label: t('ug.project.endsOn'), sortValue: (p) => p.ends_on, cell: (p) => formatDate(p.ends_on) },
              {
                key: 'built',
                label: t('ug.project.progress'),
                sortValue: (p) => (p.length_km > 0 ? p.built_km / p.length_km : 0),
                cell: (p) => progressBar(p.built_km, p.length_km, t('ug.project.progressText', { built: km(p.built_km), length: km(p.length_km) })),
              },
              {
                key: 'removals',
                label: t('ug.project.removalsTitle'),
                sortValue: (p) => p.operators.filter((o) => o.removal_confirmed_at).length,
                cell: (p) => t('ug.project.removals', { confirmed: p.operators.filter((o) => o.removal_confirmed_at).length, total: p.operators.length }),
              },
            ],
          }).element,
      });
      const shell = pageShell({
        width: 'wide',
        testId: 'projects',
        above: sectionTabs('projects'),
        eyebrow: t('ug.dashboard.eyebrow'),
        title: t('ug.projects.title'),
        actions: [
          h('a', { href: '/?overlay=ug-projects', class: 'button' }, t('ug.dashboard.onMap')),
          canPlan() ? h('a', { href: '/?tool=areas', class: 'button button-primary', 'data-testid': 'project-register' }, t('ug.projects.register')) : null,
        ],
      });
      append(shell.body, list.element);
      replace(root, shell.element);
      return list.load();
    },
  };
}
