// The undergrounding projects: every project with its state, dates, progress
// in km and the operators' removal confirmations.
//
// Address: `/ngam-hoa/du-an`.

import { undergroundingApi, type Project } from '../../api/undergrounding';
import type { App } from '../../app';
import { canPlan, km } from '../../domain/undergrounding';
import { formatDate, t } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { progressBar } from '../../ui/progress';
import { sortableTable } from '../../ui/table';
import { pageError, sectionTabs } from './common';

export function projectsScreen(_app: App): Screen {
  let running: AbortController | null = null;
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const body = h('div', { 'aria-live': 'polite' }, loading(t('app.loading')));
      replace(
        root,
        h(
          'article',
          { class: 'page page-wide', 'data-testid': 'projects' },
          sectionTabs('projects'),
          h(
            'header',
            { class: 'page-header' },
            h('div', { class: 'page-heading' }, h('div', {}, h('p', { class: 'eyebrow' }, t('ug.dashboard.eyebrow')), h('h1', { class: 'page-title' }, t('ug.projects.title')))),
            h(
              'div',
              { class: 'page-actions' },
              h('a', { href: '/?overlay=ug-projects', class: 'button' }, t('ug.dashboard.onMap')),
              canPlan() ? h('a', { href: '/?tool=areas', class: 'button button-primary', 'data-testid': 'project-register' }, t('ug.projects.register')) : null,
            ),
          ),
          body,
        ),
      );
      running?.abort();
      const controller = new AbortController();
      running = controller;
      let projects: Project[];
      try {
        projects = await undergroundingApi.projects(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) replace(body, pageError(error));
        return;
      }
      if (controller.signal.aborted) return;
      const table = sortableTable<Project>({
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
      });
      replace(body, table.element);
    },
    leave() {
      running?.abort();
    },
  };
}
