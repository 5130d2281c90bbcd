// The ward's undergrounding dashboard (ngầm hóa cáp viễn thông): how much
// overhead cable still stands in the ward and in the streets of the plan, the
// "debt" (overhead km along ducts with a free pipe), who owns it, the worst
// segments, the projects and their progress, how the figures move over time,
// and how much the operators share. The public sees it when the ward
// publishes its undergrounding progress (without the per-operator detail).
//
// Addresses: `/ngam-hoa?ward=21031`, `/undergrounding?ward=21031`.

import { undergroundingApi, type Dashboard } from '../../api/undergrounding';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { km, percent, PROJECT_COLOURS } from '../../domain/undergrounding';
import { formatDate, formatNumber, t } from '../../i18n';
import type { Screen } from '../../router';
import { barChart, lineChart } from '../../ui/charts';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { progressBar } from '../../ui/progress';
import { dataTable } from '../../ui/table';
import { currentWards, loginNeeded, sectionTabs, wardPicker } from './common';

const WARD_KEY = 'hatang.undergrounding.ward';
const SERIES_COLOURS = { inAreas: '#c62828', debt: '#6a1b9a', total: '#546e7a' };

export function dashboardScreen(app: App, query: URLSearchParams): Screen {
  return {
    render(root, signal) {
      const { reference } = app;
      pageRoot(root);
      const wards = currentWards(reference, { readable: true });
      const asked = query.get('ward');
      const remembered = localStorage.getItem(WARD_KEY);
      const busiest = [...wards].sort((a, b) => b.properties.asset_count - a.properties.asset_count)[0]?.properties.gso_code ?? null;
      const ward = asked ?? (wards.some((w) => w.properties.gso_code === remembered) ? remembered : busiest);
      if (!ward) {
        const shell = pageShell({ width: 'wide', class: 'dashboard', testId: 'dashboard', above: sectionTabs('dashboard'), eyebrow: t('ug.dashboard.eyebrow'), title: t('ug.nav.title') });
        append(shell.body, h('p', { class: 'empty' }, t('ug.dashboard.noWards')));
        replace(root, shell.element);
        return;
      }
      localStorage.setItem(WARD_KEY, ward);
      const wardInfo = reference.wards.find((w) => w.properties.gso_code === ward);
      const subtitle = h('span', { 'data-testid': 'dashboard-subtitle' }, wardInfo?.properties.province_name ?? '');
      const body = asyncSection({
        signal,
        class: 'dashboard-body',
        load: (signal) => undergroundingApi.dashboard(ward, signal),
        render: (data) => {
          subtitle.textContent = `${wardInfo?.properties.province_name ?? ''} · ${t('ug.dashboard.asOf', { date: formatDate(data.as_of) })}`;
          // A ward that has ended (merged on 1/7/2025, say) is not in the reference data: its name comes with the figures.
          const title = shell.element.querySelector('[data-testid=dashboard-title]');
          if (!wardInfo && title && data.ward_name) title.textContent = `${data.ward_name} (${ward})`;
          return dashboardBody(app, data);
        },
        error: loginNeeded('ug.dashboard.notPublished'),
      });
      const shell = pageShell({
        width: 'wide',
        class: 'dashboard',
        testId: 'dashboard',
        above: sectionTabs('dashboard', ward),
        eyebrow: t('ug.dashboard.eyebrow'),
        title: wardInfo ? wardTitle(wardInfo.properties.unit_type, wardInfo.properties.name) : ward,
        titleTestId: 'dashboard-title',
        lead: subtitle,
        actions: [
          wardPicker(reference, ward, (code) => code && app.go(`/ngam-hoa?ward=${code}`), { id: 'dashboard-ward', readable: true }),
          h('a', { href: `/?overlay=ug-flags&ward=${ward}`, class: 'button', 'data-testid': 'dashboard-map' }, t('ug.dashboard.onMap')),
          h('a', { href: `/ngam-hoa/bang?tab=flags&ward=${ward}`, class: 'button' }, t('ug.dashboard.tables')),
        ],
      });
      append(shell.body, body.element);
      replace(root, shell.element);
      return body.load();
    },
  };
}

/** `Phường Chánh Lộ`: the unit type (lower case in the data) with a capital. */
function wardTitle(unitType: string, name: string): string {
  return `${unitType.charAt(0).toLocaleUpperCase('vi')}${unitType.slice(1)} ${name}`;
}

function figure(testId: string, label: string, value: number, note: string | Node | null, accent: string): HTMLElement {
  return h(
    'div',
    { class: 'figure', style: `--accent-bar:${accent}` },
    h('p', { class: 'figure-label' }, label),
    h('p', { class: 'figure-value', 'data-testid': testId, 'data-value': value }, km(value)),
    note ? h('p', { class: 'figure-note' }, note) : null,
  );
}

function dashboardBody(app: App, data: Dashboard): HTMLElement[] {
  const { reference } = app;
  const isPublic = !currentSession().user;
  const active = data.projects.filter((p) => p.status === 'in_progress' || p.status === 'planned' || p.status === 'completed');
  const built = active.reduce((sum, p) => sum + p.built_km, 0);
  const length = active.reduce((sum, p) => sum + p.length_km, 0);

  const figures = h(
    'section',
    { class: 'figures', 'aria-label': t('ug.dashboard.figures') },
    figure('fig-overhead', t('ug.dashboard.overhead'), data.overhead_km, t('ug.dashboard.overheadNote'), '#546e7a'),
    figure('fig-in-areas', t('ug.dashboard.inAreas'), data.overhead_km_in_areas, t('ug.dashboard.inAreasNote', { count: data.areas }), SERIES_COLOURS.inAreas),
    figure('fig-debt', t('ug.dashboard.debt'), data.debt_km, t('ug.dashboard.debtNote'), SERIES_COLOURS.debt),
    h(
      'div',
      { class: 'figure', style: `--accent-bar:${PROJECT_COLOURS.in_progress}` },
      h('p', { class: 'figure-label' }, t('ug.dashboard.projects')),
      h('p', { class: 'figure-value', 'data-testid': 'fig-projects', 'data-value': active.length }, formatNumber(active.length)),
      h('p', { class: 'figure-note' }, active.length > 0 ? t('ug.dashboard.projectsNote', { built: km(built), length: km(length) }) : t('ug.dashboard.noProjects')),
    ),
  );

  // By operator: km in the plan's streets, the debt part darker; total in the ward as text.
  const byOperator = data.by_operator;
  const operatorCard = h(
    'section',
    { class: 'card', 'data-testid': 'by-operator' },
    h('h2', {}, t('ug.dashboard.byOperator')),
    byOperator === undefined
      ? h('p', { class: 'note' }, t('ug.dashboard.publicNoOperators'))
      : byOperator.length === 0
        ? h('p', { class: 'empty' }, t('ug.dashboard.noOverhead'))
        : [
            barChart({
              title: t('ug.dashboard.byOperator'),
              testId: 'chart-operators',
              bars: [...byOperator]
                .sort((a, b) => b.overhead_km_in_areas - a.overhead_km_in_areas)
                .map((o) => ({
                  label: reference.operatorLabel(o.operator),
                  value: o.overhead_km_in_areas,
                  colour: reference.operatorColour(o.operator),
                  part: { value: o.debt_km, colour: 'rgba(0,0,0,0.45)' },
                  text: `${km(o.overhead_km_in_areas)} / ${km(o.overhead_km)}`,
                  title: t('ug.dashboard.operatorTitle', { operator: reference.operatorLabel(o.operator), inAreas: km(o.overhead_km_in_areas), debt: km(o.debt_km), total: km(o.overhead_km) }),
                })),
            }),
            h('p', { class: 'chart-legend small' }, h('span', { class: 'swatch', style: 'background:#90a4ae' }), t('ug.dashboard.legendInAreas'), h('span', { class: 'swatch', style: 'background:#37474f' }), t('ug.dashboard.legendDebt')),
          ],
  );

  // Km remaining over time, from the daily snapshots.
  const history = data.history;
  const trendCard = h(
    'section',
    { class: 'card', 'data-testid': 'trend' },
    h('h2', {}, t('ug.dashboard.trend')),
    lineChart({
      title: t('ug.dashboard.trend'),
      testId: 'chart-trend',
      format: km,
      series: [
        { label: t('ug.dashboard.inAreas'), colour: SERIES_COLOURS.inAreas, points: history.map((p) => ({ day: p.day, value: p.overhead_km_in_areas })) },
        { label: t('ug.dashboard.debt'), colour: SERIES_COLOURS.debt, dashed: true, points: history.map((p) => ({ day: p.day, value: p.debt_km })) },
      ],
    }),
    h(
      'p',
      { class: 'chart-legend small' },
      h('span', { class: 'swatch', style: `background:${SERIES_COLOURS.inAreas}` }),
      t('ug.dashboard.inAreas'),
      h('span', { class: 'swatch', style: `background:${SERIES_COLOURS.debt}` }),
      t('ug.dashboard.debt'),
    ),
    history.length < 2 ? h('p', { class: 'note' }, t('ug.dashboard.trendShort')) : null,
  );

  const worst = dataTable({
    testId: 'worst-segments',
    empty: t('ug.dashboard.noSegments'),
    initialSort: { key: 'overhead_km', ascending: false },
    rows: data.worst_segments,
    columns: [
      { key: 'segment_name', label: t('ug.table.segment'), sortValue: (r) => r.segment_name },
      { key: 'overhead_km', label: t('ug.table.overheadKm'), numeric: true, sortValue: (r) => r.overhead_km, cell: (r) => km(r.overhead_km) },
      { key: 'cable_count', label: t('ug.table.cables'), numeric: true, sortValue: (r) => r.cable_count, cell: (r) => formatNumber(r.cable_count) },
      { key: 'debt_km', label: t('ug.table.debtKm'), numeric: true, sortValue: (r) => r.debt_km, cell: (r) => km(r.debt_km) },
      { key: 'target_year', label: t('ug.table.targetYear'), numeric: true, sortValue: (r) => r.target_year, cell: (r) => String(r.target_year) },
    ],
  });
  const worstCard = h(
    'section',
    { class: 'card' },
    h('h2', {}, t('ug.dashboard.worst')),
    worst.element,
    // The same definition as the tables: each street counted within the ward.
    h('p', { class: 'muted small', 'data-testid': 'segments-definition' }, t('ug.segments.definition')),
  );

  const projectsCard = h(
    'section',
    { class: 'card', 'data-testid': 'dashboard-projects' },
    h('h2', {}, t('ug.dashboard.projectsTitle')),
    data.projects.length === 0
      ? h('p', { class: 'empty' }, t('ug.dashboard.noProjects'))
      : h(
          'ul',
          { class: 'project-list' },
          data.projects.map((p) =>
            h(
              'li',
              { class: 'project-item', 'data-testid': 'dashboard-project' },
              h(
                'div',
                { class: 'project-item-head' },
                isPublic ? h('strong', {}, p.name) : h('a', { href: `/ngam-hoa/du-an/${p.id}` }, p.name),
                h('span', { class: `badge project-${p.status}` }, t(`ug.project.status.${p.status}`)),
              ),
              progressBar(p.built_km, p.length_km, t('ug.project.progressText', { built: km(p.built_km), length: km(p.length_km) })),
              h(
                'p',
                { class: 'small muted' },
                `${formatDate(p.starts_on)} – ${formatDate(p.ends_on)} · `,
                h('span', { 'data-testid': 'removals' }, t('ug.project.removals', { confirmed: p.removals_confirmed, total: p.operators })),
              ),
            ),
          ),
        ),
  );

  const sharing = data.sharing_by_operator;
  const sharingCard = h(
    'section',
    { class: 'card', 'data-testid': 'sharing' },
    h('h2', {}, t('ug.dashboard.sharing')),
    sharing === undefined
      ? h('p', { class: 'note' }, t('ug.dashboard.publicNoOperators'))
      : sharing.length === 0
        ? h('p', { class: 'empty' }, t('ug.dashboard.noSharing'))
        : [
            barChart({
              title: t('ug.dashboard.sharing'),
              testId: 'chart-sharing',
              max: 1,
              bars: [...sharing]
                .sort((a, b) => b.ratio - a.ratio)
                .map((s) => ({
                  label: reference.operatorLabel(s.operator),
                  value: s.ratio,
                  colour: reference.operatorColour(s.operator),
                  text: `${percent(s.ratio)} (${formatNumber(s.shared)}/${formatNumber(s.assets)})`,
                  title: t('ug.dashboard.sharingTitle', { operator: reference.operatorLabel(s.operator), shared: s.shared, assets: s.assets }),
                })),
            }),
            h('p', { class: 'note' }, t('ug.dashboard.sharingNote')),
          ],
  );

  return [figures, h('div', { class: 'page-grid' }, operatorCard, trendCard), h('div', { class: 'page-grid' }, projectsCard, sharingCard), worstCard];
}
