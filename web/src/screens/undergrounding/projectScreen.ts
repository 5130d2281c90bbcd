// One undergrounding project: what is built (the shared duct, its design,
// dates and budget), the progress reported in km, and each operator's
// overhead cable still standing in it and its confirmation of removal.
//
// Planners report progress, start, complete or cancel the project and close
// it; closing is refused (409) while an operator has not confirmed or
// overhead cable still stands, and the page says what is left. An operator
// taking part confirms, once the works are completed, that its overhead
// cable is down, with a photo; its cables there are decommissioned and listed.
//
// Address: `/ngam-hoa/du-an/{id}`.

import { assetLinks } from '../../domain/assetNames';
import { api, ApiError } from '../../api/client';
import { undergroundingApi, type Project, type ProjectOperator } from '../../api/undergrounding';
import type { App } from '../../app';
import { canPlan, km, memberOperator, metres } from '../../domain/undergrounding';
import { formatDate, formatDateTime, formatNumber, t, todayInVietnam } from '../../i18n';
import { coordinatesOf } from '../../map/mapView';
import { overlaysOf } from '../../map/overlays';
import type { Screen } from '../../router';
import { asyncSection, type AsyncSection } from '../../ui/async';
import { append, h, loading, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { simpleForm } from '../../ui/form';
import { dataTable } from '../../ui/table';
import { describeError, reasonText, toast } from '../../ui/messages';
import { progressBar } from '../../ui/progress';
import { loginNeeded, sectionTabs } from './common';

type Transition = 'in_progress' | 'completed' | 'cancelled';

/** The changes of state a planner may make from each state (closing is separate). */
const TRANSITIONS: Record<string, Transition[]> = {
  planned: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: ['in_progress'],
};

export function projectScreen(app: App, id: number): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const section: AsyncSection<Project> = asyncSection({
        signal,
        testId: 'project-page',
        load: (signal) => undergroundingApi.project(id, signal),
        render: (project): HTMLElement =>
          projectPage(app, project, (next) => {
            overlaysOf(app).refresh('ug-projects', 'ug-flags');
            section.show(next ?? project);
          }),
        error: (error) =>
          error instanceof ApiError && error.status === 404
            ? h(
                'div',
                { class: 'page page-wide' },
                sectionTabs('projects'),
                h('div', { class: 'notice notice-error', role: 'alert' }, t('ug.project.notFound', { id })),
                h('a', { href: '/ngam-hoa/du-an', class: 'button' }, t('ug.projects.back')),
              )
            : loginNeeded()(error),
      });
      replace(root, section.element);
      return section.load();
    },
  };
}

function projectPage(app: App, project: Project, redraw: (next?: Project) => void): HTMLElement {
  const planner = canPlan();
  const mine = memberOperator();
  const participation = mine ? project.operators.find((o) => o.operator === mine) : undefined;

  const shell = pageShell({
    width: 'wide',
    class: 'project-page',
    above: sectionTabs('projects'),
    eyebrow: t('ug.project.kind'),
    title: project.name,
    titleTestId: 'project-name',
    lead: [h('span', { class: `badge project-${project.status}`, 'data-testid': 'project-status' }, t(`ug.project.status.${project.status}`)), project.ward_name ? ` ${project.ward_name}` : ''],
    actions: [
      h('a', { href: '/ngam-hoa/du-an', class: 'button button-quiet back-link' }, `← ${t('ug.projects.back')}`),
      h('a', { href: `/?focus=project:${project.id}`, class: 'button' }, t('ug.dashboard.onMap')),
    ],
  });

  const facts: [string, Node | string][] = [
    [t('ug.project.length'), km(project.length_km)],
    [t('ug.project.startsOn'), formatDate(project.starts_on)],
    [t('ug.project.endsOn'), formatDate(project.ends_on)],
    [t('ug.project.ductDesign'), project.duct_design ?? t('common.empty')],
    [t('ug.project.budgetSource'), project.budget_source ?? t('common.empty')],
    [t('ug.project.area'), project.area_id ? h('a', { href: `/?tool=areas&area=${project.area_id}`, 'data-testid': 'project-area' }, project.area_name ?? t('names.loading')) : t('ug.project.drawnRoute')],
  ];
  const about = h('section', { class: 'card' }, h('h2', {}, t('ug.project.about')), h('dl', { class: 'attributes' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));

  // Progress: the bar, the reports, and (for planners) a new report.
  const progressForm = simpleForm(
    [
      { name: 'day', label: t('ug.project.reportDay'), control: { type: 'date' }, required: true, initial: todayInVietnam() },
      { name: 'km_built', label: t('ug.project.kmBuilt'), control: { type: 'number', min: 0 }, required: true, initial: project.built_km, hint: t('ug.project.kmBuiltHint', { length: km(project.length_km) }) },
      { name: 'note', label: t('ug.project.note'), control: { type: 'text' } },
    ],
    { idPrefix: 'progress' },
  );
  const progressNotice = h('div', {});
  const progress = h(
    'section',
    { class: 'card', 'data-testid': 'project-progress' },
    h('h2', {}, t('ug.project.progress')),
    progressBar(project.built_km, project.length_km, t('ug.project.progressText', { built: km(project.built_km), length: km(project.length_km) })),
    project.progress.length === 0
      ? h('p', { class: 'empty' }, t('ug.project.noReports'))
      : dataTable({
          testId: 'progress-reports',
          class: 'compact',
          empty: t('ug.project.noReports'),
          rows: [...project.progress].reverse(),
          columns: [
            { key: 'day', label: t('ug.project.reportDay'), nowrap: true, phone: 'title', sortValue: (r) => r.day, cell: (r) => formatDate(r.day) },
            { key: 'km_built', label: t('ug.project.kmBuilt'), numeric: true, sortValue: (r) => r.km_built, cell: (r) => km(r.km_built) },
            { key: 'note', label: t('ug.project.note'), cell: (r) => r.note ?? '' },
          ],
        }).element,
    planner && (project.status === 'planned' || project.status === 'in_progress')
      ? h(
          'form',
          {
            class: 'inline-form',
            novalidate: true,
            onsubmit: async (event: Event) => {
              event.preventDefault();
              progressForm.clearProblems();
              const { values, problems } = progressForm.read();
              if (problems.length > 0) return progressForm.showProblems(problems);
              try {
                const next = await undergroundingApi.reportProgress(project.id, { day: String(values.day), km_built: Number(values.km_built), note: (values.note as string | null) ?? null });
                toast(t('ug.project.reported'), 'success');
                redraw(next);
              } catch (error) {
                if (error instanceof ApiError && error.code === 'validation_failed') progressForm.showProblems(error.details);
                else replace(progressNotice, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
              }
            },
          },
          h('h3', {}, t('ug.project.report')),
          progressNotice,
          progressForm.element,
          h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'progress-save' }, t('ug.project.reportSave')),
        )
      : null,
  );

  const operators = h(
    'section',
    { class: 'card card-wide', 'data-testid': 'project-operators' },
    h('h2', {}, t('ug.project.operatorsTitle')),
    operatorTable(app, project),
    participation ? removalBox(app, project, participation, redraw) : null,
  );

  const actions = planner ? plannerActions(project, redraw) : null;
  append(shell.body, h('div', { class: 'page-grid' }, about, progress), operators, actions);
  return shell.element;
}

function operatorTable(app: App, project: Project): HTMLElement {
  const { reference } = app;
  const removedCables = (o: ProjectOperator) => assetLinks(o.removed_cables ?? []);
  return dataTable<ProjectOperator>({
    testId: 'project-operator-table',
    empty: t('common.empty'),
    rows: project.operators,
    rowAttributes: (o) => ({ 'data-operator': o.operator }),
    columns: [
      {
        key: 'operator',
        label: t('filter.operator'),
        phone: 'title',
        sortValue: (o) => reference.operatorLabel(o.operator),
        cell: (o) => [h('span', { class: 'swatch', style: `background:${reference.operatorColour(o.operator)}` }), reference.operatorLabel(o.operator)],
      },
      { key: 'remaining', label: t('ug.project.remaining'), numeric: true, sortValue: (o) => o.overhead_m_remaining, cell: (o) => metres(o.overhead_m_remaining) },
      {
        key: 'removal',
        label: t('ug.project.removal'),
        cell: (o) =>
          o.removal_confirmed_at
            ? h(
                'span',
                {},
                h('span', { class: 'badge status-operational' }, t('ug.project.confirmedAt', { at: formatDateTime(o.removal_confirmed_at) })),
                o.has_photo ? [' ', h('a', { href: undergroundingApi.removalPhotoUrl(project.id, o.operator), target: '_blank', rel: 'noopener' }, t('ug.project.photo'))] : null,
              )
            : h('span', { class: 'badge status-planned' }, t('ug.project.notConfirmed')),
      },
      { key: 'removed', label: t('ug.project.removedCables'), class: 'removed-cables', cell: (o) => h('span', { 'data-testid': 'removed-cables' }, removedCables(o)) },
    ],
  }).element;
}

/** The operator's own part: confirming removal with a photo once the works are completed. */
function removalBox(app: App, project: Project, mine: ProjectOperator, redraw: (next?: Project) => void): HTMLElement {
  const { view } = app;
  if (mine.removal_confirmed_at) {
    return h('div', { class: 'notice notice-success', 'data-testid': 'removal-done' }, t('ug.project.youConfirmed', { at: formatDateTime(mine.removal_confirmed_at), count: mine.removed_cables?.length ?? 0 }));
  }
  if (project.status !== 'completed') {
    return h('p', { class: 'note', 'data-testid': 'removal-later' }, t('ug.project.removalLater'));
  }
  const box = h('form', { class: 'removal-form', novalidate: true, 'data-testid': 'removal-form' });
  const cables = h('div', { class: 'field' }, loading(t('app.loading')));
  const photoField = simpleForm([{ name: 'photo', label: t('ug.project.photoField'), control: { type: 'file', accept: 'image/jpeg,image/png,image/tiff' }, required: true, hint: t('ug.project.photoHint') }], { idPrefix: 'removal' });
  const notice = h('div', {});
  let boxes: HTMLInputElement[] = [];

  // The operator's overhead cables around the project, from the registry: all chosen by default.
  void (async () => {
    try {
      const points = coordinatesOf(project.geometry);
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const pad = 0.0005;
      const page = await api.listAssets('cables', { bbox: [Math.min(...xs) - pad, Math.min(...ys) - pad, Math.max(...xs) + pad, Math.max(...ys) + pad], operator: mine.operator, limit: 500 });
      const overhead = page.features.filter((f) => f.properties.placement === 'overhead' && f.properties.status !== 'decommissioned');
      boxes = overhead.map((f) => h('input', { type: 'checkbox', value: String(f.id), checked: true, 'data-testid': `removal-cable-${f.id}` }));
      replace(
        cables,
        h('span', { class: 'field-label' }, t('ug.project.cablesField')),
        overhead.length === 0
          ? h('p', { class: 'muted small' }, t('ug.project.noCablesNear'))
          : h('div', { class: 'checks checks-column' }, overhead.map((f, i) => h('label', { class: 'check' }, boxes[i] ?? null, String(f.properties.code)))),
        h('p', { class: 'field-hint' }, t('ug.project.cablesHint')),
      );
    } catch {
      replace(cables, h('p', { class: 'muted small' }, t('ug.project.cablesHint')));
    }
  })();

  box.addEventListener('submit', async (event) => {
    event.preventDefault();
    photoField.clearProblems();
    replace(notice);
    const { values, problems } = photoField.read();
    if (problems.length > 0) return photoField.showProblems(problems);
    const chosen = boxes.filter((b) => b.checked).map((b) => Number(b.value));
    // All chosen: let the server take every overhead cable of ours in the project.
    const subset = chosen.length < boxes.length ? chosen : null;
    const button = box.querySelector<HTMLButtonElement>('button[type=submit]');
    if (button) button.disabled = true;
    try {
      const next = await undergroundingApi.confirmRemoval(project.id, values.photo as File, subset);
      const done = next.operators.find((o) => o.operator === mine.operator);
      toast(t('ug.project.removalSaved', { count: done?.removed_cables?.length ?? 0 }), 'success');
      view.refreshTiles();
      redraw(next);
    } catch (error) {
      if (button) button.disabled = false;
      if (error instanceof ApiError && error.code === 'validation_failed') photoField.showProblems(error.details);
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, error instanceof ApiError && error.code === 'validation_failed' ? t('edit.invalid') : describeError(error)));
    }
  });
  replace(
    box,
    h('h3', {}, t('ug.project.confirmRemoval')),
    h('p', { class: 'panel-lead' }, t('ug.project.confirmLead', { metres: metres(mine.overhead_m_remaining) })),
    notice,
    photoField.element,
    cables,
    h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'removal-save' }, t('ug.project.confirmRemoval')),
  );
  return box;
}

/** A planner's buttons: change of state, and closing with the reasons it is refused. */
function plannerActions(project: Project, redraw: (next?: Project) => void): HTMLElement | null {
  const transitions = TRANSITIONS[project.status] ?? [];
  const notice = h('div', { 'aria-live': 'polite' });
  const run = async (button: HTMLButtonElement, action: () => Promise<Project>, success: string) => {
    button.disabled = true;
    replace(notice);
    try {
      const next = await action();
      toast(success, 'success');
      redraw(next);
    } catch (error) {
      button.disabled = false;
      replace(notice, await refusal(project, error));
    }
  };
  if (transitions.length === 0 && project.status !== 'completed') return null;
  return h(
    'section',
    { class: 'card', 'data-testid': 'project-actions' },
    h('h2', {}, t('ug.project.actions')),
    h(
      'div',
      { class: 'page-actions' },
      transitions.map((to) => {
        const button: HTMLButtonElement = h(
          'button',
          {
            type: 'button',
            class: to === 'cancelled' ? 'button button-danger' : 'button',
            'data-testid': `project-to-${to}`,
            onclick: () => void run(button, () => undergroundingApi.setProjectStatus(project.id, to), t('ug.project.statusChanged', { status: t(`ug.project.status.${to}`) })),
          },
          t(`ug.project.action.${to}`),
        );
        return button;
      }),
      project.status === 'completed'
        ? (() => {
            const button: HTMLButtonElement = h(
              'button',
              { type: 'button', class: 'button button-primary', 'data-testid': 'project-close', onclick: () => void run(button, () => undergroundingApi.closeProject(project.id), t('ug.project.closed')) },
              t('ug.project.close'),
            );
            return button;
          })()
        : null,
    ),
    project.status === 'completed' ? h('p', { class: 'note' }, t('ug.project.closeNote')) : null,
    notice,
  );
}

/** `VNPT-QNI-C0012 of VNPT (120.5 m)`, as the server lists a standing cable, in the person's language. */
function standingLine(text: string): string {
  const match = text.match(/^(.+) of (\S+) \(([\d.]+) m\)$/);
  return match ? `${match[1]} (${match[2]}, ${metres(Number(match[3]))})` : text;
}

/**
 * Why an action was refused. A 409 on closing lists what still stands: the
 * server's own words (they name each cable), and, from the project as it is
 * now, which operators have not confirmed and how much of their cable is up.
 */
async function refusal(project: Project, error: unknown): Promise<HTMLElement> {
  if (!(error instanceof ApiError) || error.status !== 409) return h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error));
  let current = project;
  try {
    current = await undergroundingApi.project(project.id);
  } catch {
    // Keep what the page has.
  }
  const left = current.operators.filter((o) => !o.removal_confirmed_at || o.overhead_m_remaining > 0);
  const standing = error.message.match(/overhead cable still stands in it: (.*)$/)?.[1]?.split('; ') ?? [];
  return h(
    'div',
    { class: 'notice notice-warning', role: 'alert', 'data-testid': 'close-refused' },
    h('h3', {}, t('ug.project.cannotClose')),
    left.length > 0
      ? h(
          'ul',
          { class: 'conflict-list' },
          left.map((o) =>
            h(
              'li',
              { 'data-operator': o.operator },
              h('strong', {}, o.operator),
              ': ',
              o.removal_confirmed_at ? '' : t('ug.project.leftUnconfirmed'),
              o.removal_confirmed_at || o.overhead_m_remaining <= 0 ? '' : ' · ',
              o.overhead_m_remaining > 0 ? t('ug.project.leftStanding', { metres: metres(o.overhead_m_remaining) }) : '',
            ),
          ),
        )
      : null,
    standing.length > 0
      ? [h('p', {}, t('ug.project.standingCables', { count: formatNumber(standing.length) })), h('ul', { class: 'conflict-list standing', 'data-testid': 'standing-cables' }, standing.map((s) => h('li', {}, standingLine(s))))]
      : h('p', { class: 'small' }, reasonText(error)),
  );
}
