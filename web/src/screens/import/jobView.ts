// One import job: its preview and mapping while it waits, its progress while
// the server checks or writes it, its problems, and its outcome.

import { ApiError } from '../../api/client';
import { importApi, type ImportJob, type ImportPreview, type ImportTarget, type PreviewRow, type RowProblem, type ValueMapping } from '../../api/imports';
import type { App } from '../../app';
import { fieldName, formatDateTime, formatNumber, t, valueName } from '../../i18n';
import { problemText } from '../../i18n/problems';
import { shownValue } from '../../map/editor';
import { crsChoiceOf, crsLabel, crsSelect } from '../../ui/crsSelect';
import { dataTable } from '../../ui/table';
import { append, h, loading, replace } from '../../ui/dom';
import { pageShell } from '../../ui/page';
import { describeError, errorBox, toast } from '../../ui/messages';
import { formatBytes } from './importScreen';
import { stepper } from './steps';

const POLL_MS = 700;
const RUNNING = new Set(['validating', 'committing']);
/** Problems listed on the page; the rest are counted. */
const SHOWN_PROBLEMS = 500;

/** Draws the job `id` in `root`; returns what stops its polling. */
export function jobView(root: HTMLElement, app: App, id: number): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let job: ImportJob | null = null;
  let busy = false;

  const page = h('div', { class: 'import-job', 'data-testid': 'import-job' }, h('div', { class: 'page page-wide' }, loading(t('app.loading'))));
  replace(root, page);

  const poll = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (stopped) return;
      try {
        const next = await importApi.job(id);
        if (stopped) return;
        const finished = !RUNNING.has(next.status);
        job = next;
        if (finished) {
          if (next.status === 'committed') app.view.refreshTiles();
          render();
        } else {
          updateProgress(next);
          poll();
        }
      } catch (error) {
        if (stopped) return;
        // A network blip: keep following the job, a little slower.
        if (error instanceof ApiError && error.status === 0) {
          timer = setTimeout(poll, 2000);
        } else {
          replace(
            progressArea,
            errorBox(error, () => poll()),
          );
        }
      }
    }, POLL_MS);
  };

  // --- progress --------------------------------------------------------
  const progressArea = h('div', { 'aria-live': 'polite' });
  const updateProgress = (current: ImportJob) => {
    const { processed_rows: processed, total_rows: total } = current.progress;
    const phase = current.phase ?? 'queued';
    const known = ['queued', 'reading', 'checking', 'writing'].includes(phase);
    const percent = total && total > 0 ? Math.min(100, Math.round((processed / total) * 100)) : null;
    const bar = h('progress', { class: 'progress progress-large', max: 100, 'data-testid': 'import-progress' });
    if (percent !== null && phase === 'reading') bar.value = percent;
    else if (phase === 'checking' || phase === 'writing') bar.value = 100;
    // else indeterminate (no value)
    replace(
      progressArea,
      h(
        'div',
        { class: 'card progress-card', 'data-testid': 'import-running' },
        h('h2', {}, current.status === 'committing' ? t('import.committingTitle') : t('import.validatingTitle')),
        h('p', { class: 'phase', 'data-testid': 'import-phase' }, known ? t(`import.phase.${phase as 'queued'}`) : phase),
        bar,
        h(
          'p',
          { class: 'muted', 'data-testid': 'import-counts' },
          total != null
            ? t('import.processedOf', { processed: formatNumber(processed), total: formatNumber(total), percent: percent ?? 0 })
            : t('import.processed', { processed: formatNumber(processed) }),
        ),
        h('p', { class: 'muted small' }, t('import.runningNote')),
      ),
    );
  };

  // --- actions ---------------------------------------------------------
  const start = async (what: 'validate' | 'commit') => {
    if (!job || busy) return;
    busy = true;
    try {
      job = what === 'validate' ? await importApi.validate(id) : await importApi.commit(id);
      render();
    } catch (error) {
      toast(error instanceof ApiError && error.details.length > 0 ? error.details.map((d) => problemText(d)).join(' · ') : describeError(error), 'error');
    } finally {
      busy = false;
    }
  };

  const change = async (body: Parameters<typeof importApi.setMapping>[1], note: HTMLElement) => {
    if (busy) return;
    busy = true;
    page.classList.add('is-busy');
    replace(note, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' ', t('import.updatingPreview'));
    try {
      job = await importApi.setMapping(id, body);
      render();
    } catch (error) {
      replace(
        note,
        h(
          'span',
          { class: 'field-error' },
          error instanceof ApiError && error.details.length > 0 ? error.details.map((d) => problemText(d)).join(' · ') : describeError(error),
        ),
      );
    } finally {
      busy = false;
      page.classList.remove('is-busy');
    }
  };

  // --- the page --------------------------------------------------------
  const stepOf = (status: string) => (status === 'committed' ? 4 : status === 'committing' ? 3 : status === 'uploaded' || status === 'failed' ? 1 : 2);

  const render = () => {
    if (!job) return;
    const current = job;
    const shell = pageShell({
      width: 'wide',
      eyebrow: t('import.eyebrow'),
      title: current.file_name,
      titleTestId: 'import-file-name',
      lead: `${t(`kind.${current.kind}`)} · ${app.reference.operatorLabel(current.operator)} · ${current.format} · ${formatBytes(current.size_bytes)} · ${t('import.uploadedAt', { at: formatDateTime(current.created_at) })}`,
      actions: [h('a', { href: '/import', class: 'button button-quiet back-link' }, `← ${t('import.another')}`)],
      below: stepper(stepOf(current.status)),
    });
    const parts: (HTMLElement | null)[] = [];
    if (RUNNING.has(current.status)) {
      updateProgress(current);
      parts.push(progressArea);
      poll();
    } else if (current.status === 'committed') {
      parts.push(resultCard(current), warningsNotice(current));
    } else {
      parts.push(outcomeCard(current), warningsNotice(current));
      if (current.preview) parts.push(...previewCards(current.preview));
      parts.push(actionBar(current));
    }
    append(shell.body, parts);
    replace(page, shell.element);
  };

  const outcomeCard = (current: ImportJob): HTMLElement | null => {
    if (current.status === 'validated') {
      const r = current.result;
      return h(
        'div',
        { class: 'notice notice-success', 'data-testid': 'import-valid' },
        h('h3', {}, t('import.validTitle')),
        h(
          'p',
          {},
          t('import.validLead', {
            rows: formatNumber(current.progress.total_rows ?? 0),
            created: formatNumber(r.created ?? 0),
            updated: formatNumber(r.updated ?? 0),
            unchanged: formatNumber(r.unchanged ?? 0),
          }),
        ),
      );
    }
    if (current.status === 'invalid') {
      return h(
        'section',
        { class: 'card card-error', 'data-testid': 'import-invalid' },
        h('h2', {}, t('import.invalidTitle', { count: formatNumber(current.problem_count) })),
        h('p', {}, t('import.invalidLead')),
        problemTable(current.problems),
        current.problem_count > current.problems.length
          ? h('p', { class: 'muted small' }, t('import.moreProblems', { count: formatNumber(current.problem_count - current.problems.length) }))
          : null,
      );
    }
    if (current.status === 'failed') {
      return h(
        'div',
        { class: 'notice notice-error', role: 'alert', 'data-testid': 'import-failed' },
        h('h3', {}, t('import.failedTitle')),
        h('p', {}, current.message ?? ''),
        h('p', {}, t('import.failedLead')),
      );
    }
    return null;
  };

  /** What to check although the rows may be taken (a file read on a merged province's meridian inside a former province that used another). */
  const warningsNotice = (current: ImportJob): HTMLElement | null =>
    (current.warnings ?? []).length === 0
      ? null
      : h(
          'div',
          { class: 'notice notice-warning', role: 'status', 'data-testid': 'import-warnings' },
          h('h3', {}, t('import.warningsTitle')),
          h('ul', {}, (current.warnings ?? []).map((w) => h('li', {}, problemText(w)))),
        );

  const resultCard = (current: ImportJob): HTMLElement => {
    const r = current.result;
    const stat = (label: string, value: number | null | undefined, testId: string) =>
      h('div', { class: 'stat' }, h('span', { class: 'stat-value', 'data-testid': testId }, formatNumber(value ?? 0)), h('span', { class: 'stat-label' }, label));
    return h(
      'section',
      { class: 'card result-card', 'data-testid': 'import-done' },
      h('div', { class: 'result-icon', 'aria-hidden': 'true' }, '✓'),
      h('h2', {}, t('import.doneTitle')),
      h('p', {}, t('import.doneLead', { rows: formatNumber(current.progress.total_rows ?? 0), kind: t(`kind.${current.kind}`) })),
      h(
        'div',
        { class: 'stats' },
        stat(t('import.created'), r.created, 'import-created'),
        stat(t('import.updated'), r.updated, 'import-updated'),
        stat(t('import.unchanged'), r.unchanged, 'import-unchanged'),
      ),
      h('p', { class: 'muted small' }, t('import.doneHistory', { at: formatDateTime(current.finished_at) })),
      h(
        'div',
        { class: 'page-actions' },
        h('a', { href: `/registry/${current.kind}`, class: 'button button-primary', 'data-testid': 'import-to-registry' }, t('import.toRegistry')),
        h('a', { href: current.extent ? `/?bbox=${current.extent.join(',')}` : '/', class: 'button', 'data-testid': 'import-to-map' }, t('import.toMap')),
        h('a', { href: `/history?operator=${encodeURIComponent(current.operator)}&action=create`, class: 'button' }, t('import.toHistory')),
        h('a', { href: `/import?kind=${current.kind}`, class: 'button' }, t('import.another')),
      ),
    );
  };

  const actionBar = (current: ImportJob): HTMLElement => {
    const blocked = (current.preview?.mapping_problems.length ?? 0) > 0;
    return h(
      'div',
      { class: 'action-bar' },
      blocked ? h('p', { class: 'field-error' }, t('import.fixMapping')) : h('p', { class: 'muted small' }, t('import.atomicNote')),
      h('div', { class: 'toolbar-spacer' }),
      h('button', { type: 'button', class: 'button', disabled: blocked, 'data-testid': 'import-validate', onclick: () => void start('validate') }, t('import.validate')),
      h('button', { type: 'button', class: 'button button-primary', disabled: blocked, 'data-testid': 'import-commit', onclick: () => void start('commit') }, t('import.commit')),
    );
  };

  const previewCards = (preview: ImportPreview): HTMLElement[] => {
    const note = h('span', { class: 'muted small', 'aria-live': 'polite' });
    // File and CRS
    const crs = crsSelect(app.reference, { id: 'job-crs', automatic: t('import.crsKeep'), testId: 'job-crs' });
    const layer =
      preview.layers.length > 1
        ? h(
            'select',
            { id: 'job-layer', 'data-testid': 'job-layer', onchange: (e: Event) => void change({ layer: (e.target as HTMLSelectElement).value }, note) },
            preview.layers.map((l) => h('option', { value: l, selected: l === preview.layer }, l)),
          )
        : null;
    const fileCard = h(
      'section',
      { class: 'card' },
      h('h2', {}, t('import.fileTitle')),
      h(
        'dl',
        { class: 'attributes' },
        h('dt', {}, t('import.format')),
        h('dd', {}, preview.format),
        h('dt', {}, t('import.layer')),
        h('dd', {}, layer ?? preview.layer),
        h('dt', {}, t('import.rows')),
        h('dd', { 'data-testid': 'import-row-count' }, preview.feature_count == null ? t('import.rowsUnknown') : formatNumber(preview.feature_count)),
        h('dt', {}, t('import.geometry')),
        h('dd', {}, preview.geometry_type ?? t('import.noGeometry')),
        h('dt', {}, t('import.declaredCrs')),
        h('dd', {}, preview.declared_crs ? preview.declared_crs.description : t('import.notDeclared')),
      ),
    );
    const crsCard = h(
      'section',
      { class: 'card' },
      h('h2', {}, t('import.crsTitle')),
      h(
        'p',
        { class: 'crs-current' },
        h('strong', { 'data-testid': 'import-crs-label' }, crsLabel(preview.crs.label)),
        h('span', { class: 'badge' }, t(`import.chosenBy.${preview.crs.chosen_by}`)),
      ),
      preview.notes.length > 0
        ? h(
            'ul',
            { class: 'notes', 'data-testid': 'import-notes' },
            preview.notes.map((n) => h('li', {}, typeof n === 'string' ? n : problemText(n))),
          )
        : null,
      h(
        'div',
        { class: 'form-inline' },
        h('div', { class: 'field grow' }, h('label', { class: 'field-label', for: 'job-crs' }, t('import.changeCrs')), crs),
        h(
          'div',
          { class: 'field field-action' },
          h(
            'button',
            {
              type: 'button',
              class: 'button',
              'data-testid': 'job-crs-apply',
              onclick: () => {
                const choice = crsChoiceOf(crs.value);
                if (choice.crs || choice.tm3) void change(choice, note);
              },
            },
            t('import.applyCrs'),
          ),
        ),
      ),
      h('p', { class: 'field-hint' }, t('import.crsXY')),
    );

    // Mapping
    const targets = preview.targets;
    const mappedTo = new Map(
      Object.entries(preview.mapping)
        .filter((e): e is [string, string] => e[1] !== null)
        .map(([c, target]) => [target, c]),
    );
    const columnProblems = new Map<string, string[]>();
    const generalProblems: string[] = [];
    for (const p of preview.mapping_problems) {
      const column = p.field.startsWith('mapping.') ? p.field.slice('mapping.'.length) : null;
      if (column) columnProblems.set(column, [...(columnProblems.get(column) ?? []), problemText(p)]);
      else generalProblems.push(problemText(p));
    }
    const mappingSelect = (column: (typeof preview.columns)[number]) => {
      const current = preview.mapping[column.name] ?? null;
      return h(
        'select',
        {
          'aria-label': t('import.mapColumn', { column: column.name }),
          'data-testid': `map-${column.name}`,
          'data-column': column.name,
          class: current ? 'mapped' : 'unmapped',
          onchange: (e: Event) => {
            const value = (e.target as HTMLSelectElement).value;
            void change({ mapping: { [column.name]: value || null } }, note);
          },
        },
        h('option', { value: '' }, t('import.skipColumn')),
        targetOptions(targets, current, mappedTo, column.name),
      );
    };
    const missingRequired = targets.filter((tg) => tg.required && !mappedTo.has(tg.name));
    const mappingCard = h(
      'section',
      { class: 'card', 'data-testid': 'import-mapping' },
      h('div', { class: 'toolbar' }, h('h2', {}, t('import.mappingTitle')), note),
      h('p', { class: 'muted' }, t('import.mappingLead')),
      generalProblems.length > 0
        ? h(
            'div',
            { class: 'notice notice-error', role: 'alert', 'data-testid': 'mapping-problems' },
            h(
              'ul',
              {},
              generalProblems.map((p) => h('li', {}, p)),
            ),
          )
        : null,
      missingRequired.length > 0 && preview.mapping_problems.length === 0
        ? h('p', { class: 'small' }, t('import.requiredNotMapped', { fields: missingRequired.map((tg) => fieldName(tg.name)).join(', ') }))
        : null,
      dataTable({
        testId: 'import-mapping-table',
        class: 'mapping-table',
        empty: t('import.noRows'),
        rows: preview.columns,
        rowAttributes: (column) => ({ class: columnProblems.has(column.name) ? 'invalid-row' : null }),
        columns: [
          { key: 'column', label: t('import.column'), phone: 'title', cell: (column) => [h('strong', {}, column.name), h('div', { class: 'muted small' }, column.type)] },
          { key: 'samples', label: t('import.samples'), class: 'samples', cell: (column) => column.samples.slice(0, 3).map((s) => h('span', { class: 'sample' }, sampleText(s))) },
          { key: 'arrow', label: '', class: 'arrow', phone: 'hide', cell: () => h('span', { 'aria-hidden': 'true' }, '→') },
          {
            key: 'attribute',
            label: t('import.attribute'),
            cell: (column) => {
              const problems = columnProblems.get(column.name);
              return [mappingSelect(column), problems ? h('p', { class: 'field-error' }, problems.join(' · ')) : null];
            },
          },
        ],
      }).element,
    );

    // The file's own words for coded values ("Bê tông") → codes (concrete).
    const valuesCard = valueMappingCard(preview, (values) => void change({ values }, note));

    // First rows
    const shownTargets = targets.filter((tg) => mappedTo.has(tg.name) && !['x', 'y', 'wkt'].includes(tg.name)).slice(0, 7);
    const rowsCard = h(
      'section',
      { class: 'card', 'data-testid': 'import-rows' },
      h('h2', {}, t('import.rowsTitle', { count: preview.rows.length })),
      preview.rows.length === 0
        ? h('p', { class: 'empty' }, t('import.noRows'))
        : dataTable({
            testId: 'import-rows-table',
            class: 'rows-table',
            // The columns are the file's: the table scrolls in its box rather than becoming cards.
            layout: 'scroll',
            empty: t('import.noRows'),
            rows: preview.rows,
            rowAttributes: (row) => ({ class: row.problems.length > 0 ? 'invalid-row' : null }),
            columns: [
              { key: 'row', label: t('import.row'), numeric: true, cell: (row) => String(row.row) },
              ...shownTargets.map((tg) => ({ key: tg.name, label: fieldName(tg.name), cell: (row: (typeof preview.rows)[number]) => shownValue(tg.name, rowProperties(row)[tg.name]) })),
              { key: 'position', label: t('import.position'), class: 'nowrap small', cell: (row) => geometryText(row.feature?.geometry) },
              {
                key: 'problems',
                label: t('import.problems'),
                cell: (row) =>
                  row.problems.length === 0
                    ? h('span', { class: 'badge state-on' }, t('import.rowOk'))
                    : h(
                        'ul',
                        { class: 'problems' },
                        row.problems.map((p) => h('li', {}, problemLine(p))),
                      ),
              },
            ],
          }).element,
      preview.feature_count != null && preview.feature_count > preview.rows.length
        ? h('p', { class: 'muted small' }, t('import.rowsNote', { count: formatNumber(preview.feature_count) }))
        : null,
    );
    return [h('div', { class: 'page-grid' }, fileCard, crsCard), mappingCard, ...(valuesCard ? [valuesCard] : []), rowsCard];
  };

  const load = async () => {
    try {
      job = await importApi.job(id);
      render();
    } catch (error) {
      replace(
        page,
        h(
          'div',
          { class: 'page' },
          error instanceof ApiError && error.status === 404 ? h('div', { class: 'notice notice-error' }, t('import.noSuchJob', { id: String(id) })) : errorBox(error, () => void load()),
          h('a', { href: '/import', class: 'button' }, t('import.another')),
        ),
      );
    }
  };
  void load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}


/** The attributes of a preview row's asset (its GeoJSON Feature's properties), or none. */
function rowProperties(row: PreviewRow): Record<string, unknown> {
  const properties = (row.feature as { properties?: unknown } | null | undefined)?.properties;
  return properties && typeof properties === 'object' ? (properties as Record<string, unknown>) : {};
}
function targetLabel(target: ImportTarget): string {
  switch (target.name) {
    case 'x':
      return t('import.target.x');
    case 'y':
      return t('import.target.y');
    case 'wkt':
      return t('import.target.wkt');
    default:
      return `${fieldName(target.name)} (${target.name})`;
  }
}

function targetOptions(targets: ImportTarget[], current: string | null, mappedTo: Map<string, string>, column: string): HTMLElement[] {
  const option = (target: ImportTarget) => {
    const other = mappedTo.get(target.name);
    const taken = other !== undefined && other !== column;
    return h(
      'option',
      { value: target.name, selected: current === target.name },
      `${targetLabel(target)}${target.required ? ` — ${t('edit.required')}` : ''}${taken ? ` — ${t('import.takenBy', { column: other })}` : ''}`,
    );
  };
  const geometry = targets.filter((tg) => ['x', 'y', 'wkt'].includes(tg.name));
  const attributes = targets.filter((tg) => !['x', 'y', 'wkt'].includes(tg.name));
  return [h('optgroup', { label: t('import.attributes') }, attributes.map(option)), h('optgroup', { label: t('import.coordinates') }, geometry.map(option))];
}

function sampleText(value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function geometryText(geometry: unknown): string {
  const g = geometry as { type?: string; coordinates?: unknown } | null | undefined;
  if (!g?.type) return t('common.empty');
  if (g.type === 'Point' && Array.isArray(g.coordinates)) {
    const [x, y] = g.coordinates as number[];
    return `${formatNumber(x ?? 0, 6)}; ${formatNumber(y ?? 0, 6)}`;
  }
  if (Array.isArray(g.coordinates)) return t('import.lineOf', { type: g.type, count: (g.coordinates as unknown[]).length });
  return g.type;
}

function problemLine(p: RowProblem): string {
  const where = p.column && p.column !== p.field ? `${fieldName(p.field)} (${t('import.columnNamed', { column: p.column })})` : fieldName(p.field);
  return `${where}: ${problemText(p)}`;
}

function problemTable(problems: RowProblem[]): HTMLElement {
  return h(
    'div',
    { class: 'problems-scroll' },
    dataTable<RowProblem>({
      testId: 'import-problems',
      empty: t('import.noRows'),
      rows: problems.slice(0, SHOWN_PROBLEMS),
      columns: [
        { key: 'row', label: t('import.row'), numeric: true, cell: (p) => (p.row === null ? t('import.wholeFile') : String(p.row)) },
        { key: 'field', label: t('import.field'), cell: (p) => fieldName(p.field) },
        { key: 'column', label: t('import.column'), cell: (p) => p.column ?? t('common.empty') },
        { key: 'problem', label: t('import.problem'), cell: (p) => problemText(p) },
      ],
    }).element,
  );
}

/**
 * The value mapping of the coded columns: each distinct value of the file with its rows,
 * the code it becomes (a select of the attribute's codes, in the person's language) and
 * where that came from; a value with no code yet is marked, and each choice is sent at once.
 */
function valueMappingCard(preview: ImportPreview, send: (values: ValueMapping) => void): HTMLElement | null {
  const columns = (preview.values ?? []).filter((c) => c.values.length > 0);
  if (columns.length === 0) return null;
  const open = columns.reduce((n, c) => n + c.values.filter((v) => v.chosen_by === null).length, 0);
  return h(
    'section',
    { class: 'card', 'data-testid': 'import-values' },
    h('h2', {}, t('import.values.title')),
    h('p', { class: 'muted' }, t('import.values.lead')),
    open > 0 ? h('p', { class: 'field-error', 'data-testid': 'import-values-open' }, t('import.values.open', { count: open })) : null,
    columns.map((column) =>
      h(
        'div',
        { class: 'value-column', 'data-column': column.column, 'data-attribute': column.attribute },
        h('h3', {}, `${column.column} → ${fieldName(column.attribute)}`),
        column.complete ? null : h('p', { class: 'muted small' }, t('import.values.partial')),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table values-table' },
            h('thead', {}, h('tr', {}, [t('import.values.value'), t('import.values.rows'), '', t('import.values.code'), ''].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              {},
              column.values.map((v) =>
                h(
                  'tr',
                  { class: v.chosen_by === null ? 'invalid-row' : '', 'data-value': v.value },
                  h('td', {}, h('strong', {}, v.value)),
                  h('td', { class: 'number' }, formatNumber(v.count)),
                  h('td', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
                  h(
                    'td',
                    {},
                    h(
                      'select',
                      {
                        'aria-label': t('import.values.choose', { value: v.value }),
                        'data-testid': `value-${column.attribute}-${v.value}`,
                        onchange: (e: Event) => {
                          const code = (e.target as HTMLSelectElement).value;
                          send({ [column.attribute]: { [v.value]: code === '' ? null : code } });
                        },
                      },
                      h('option', { value: '', selected: v.code === null }, v.chosen_by === null ? t('import.values.none') : t('import.values.empty')),
                      column.codes.map((code) => h('option', { value: code, selected: v.code === code }, `${valueName(column.attribute, code)} (${code})`)),
                    ),
                  ),
                  h('td', {}, v.chosen_by ? h('span', { class: `badge value-${v.chosen_by}` }, t(`import.values.by.${v.chosen_by}`)) : null),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
