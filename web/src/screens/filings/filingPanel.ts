// An operator's filing in a call: filing a new version (by the form, or by
// uploading a file), the latest version with its problems by row and the rows
// as read, submitting it, and the earlier versions. Staff see the same,
// without the means to file.

import { ApiError } from '../../api/client';
import { filingsApi, type Call, type Filing, type FilingKind, type FilingProblem, type FormChoices, type Version } from '../../api/filings';
import type { App } from '../../app';
import { count, fieldLabel, problemText, statusBadge } from '../../domain/filings';
import { formatDateTime, formatNumber, parseNumber, t, type MessageKey } from '../../i18n';
import { h, loading, replace } from '../../ui/dom';
import { describeError, toast } from '../../ui/messages';
import { showAreas, TECHNOLOGY_COLOURS } from './areasMap';
import { problemWords } from '../../i18n/problems';

/** The columns a kind's rows show, in order. */
const COLUMNS: Record<FilingKind, string[]> = {
  fixed_broadband: ['unit_name', 'households_passed', 'households_subscribed', 'max_speed_mbps'],
  mobile_coverage: ['technology'],
  yearly_plan: ['item', 'description', 'quantity', 'unit_name', 'quarter'],
};

const PLAN_ITEMS = ['tower', 'cable_route', 'undergrounding'] as const;

export interface FilingPanel {
  element: HTMLElement;
  leave(): void;
}

/**
 * The panel of `operator`'s filing in `call` (`filing` when one exists).
 * `mayFile`: the person files for the operator (its member or token, an admin).
 */
export function filingPanel(app: App, call: Call, filing: Filing | null, options: { mayFile: boolean; operator: string; onChange(): void }): FilingPanel {
  const element = h('div', { class: 'filing-panel', 'data-testid': 'filing-panel' });
  let removeAreas: (() => void) | null = null;
  const open = call.state === 'open' || call.state === 'past_due';

  const versionBox = h('section', { class: 'filing-version', 'data-testid': 'filing-version', 'aria-live': 'polite' });
  const versionsBox = h('section', { class: 'filing-versions' });

  const showVersion = async (version: Version) => {
    removeAreas?.();
    removeAreas = null;
    const latestNumber = filing?.versions[0]?.number ?? version.number;
    const submitButton =
      options.mayFile && version.submittable
        ? h(
            'button',
            {
              type: 'button',
              class: 'button button-primary',
              'data-testid': 'filing-submit',
              onclick: async (event: Event) => {
                const button = event.currentTarget as HTMLButtonElement;
                button.disabled = true;
                try {
                  await filingsApi.submit(version.filing_id, version.number);
                  toast(t('fl.filing.submitted', { number: version.number }), 'success');
                  options.onChange();
                } catch (error) {
                  button.disabled = false;
                  toast(describeError(error), 'error');
                }
              },
            },
            t('fl.filing.submit', { number: version.number }),
          )
        : null;
    const mapBox = version.areas_url ? h('div', { class: 'filing-map', 'data-testid': 'filing-map' }) : null;
    replace(
      versionBox,
      h(
        'header',
        { class: 'filing-version-head' },
        h('h2', { class: 'section-title' }, t('fl.filing.latest', { number: version.number })),
        h(
          'p',
          { class: 'muted small' },
          version.source === 'upload' ? t('fl.filing.fromFile', { name: version.file_name ?? '' }) : t('fl.filing.fromForm'),
          ' · ',
          t('fl.filing.savedBy', { at: formatDateTime(version.created_at), by: version.created_by }),
          version.source === 'upload' ? h('a', { href: filingsApi.fileUrl(version.filing_id, version.number), class: 'inline-link', download: '' }, ` · ${t('fl.filing.download')}`) : null,
        ),
      ),
      h(
        'div',
        { class: version.error_count > 0 ? 'notice notice-warning' : 'notice notice-info', 'data-testid': 'filing-summary' },
        h('p', {}, h('strong', {}, t('fl.filing.summary', { errors: version.error_count, warnings: version.warning_count }))),
        version.submitted_at
          ? h('p', { 'data-testid': 'filing-submitted' }, t('fl.filing.submittedAt', { at: formatDateTime(version.submitted_at), by: version.submitted_by ?? '' }))
          : h('p', {}, version.error_count > 0 ? t('fl.filing.hasErrors') : t('fl.filing.clean')),
        version.submitted_at && options.mayFile && version.number === latestNumber ? h('p', { class: 'small' }, t('fl.filing.refile')) : null,
        submitButton,
      ),
      problemsTable(version.problems),
      mapBox ? h('h3', { class: 'subsection-title' }, t('fl.filing.map')) : null,
      mapBox,
      rowsTable(call.kind, version),
    );
    if (mapBox) {
      try {
        const areas = await filingsApi.areas(version.filing_id, version.number);
        app.view.mountIn(mapBox);
        const unit = app.reference.wards.find((w) => w.properties.gso_code !== null && w.properties.gso_code === call.unit.code);
        removeAreas = showAreas(app.view, areas, unit?.properties.bbox ?? null);
      } catch (error) {
        replace(mapBox, h('p', { class: 'notice notice-error' }, describeError(error)));
      }
    }
  };

  const renderVersions = () => {
    if (!filing || filing.versions.length === 0) {
      replace(versionsBox);
      return;
    }
    replace(
      versionsBox,
      h('h2', { class: 'section-title' }, t('fl.filing.versions')),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data-table', 'data-testid': 'versions-table' },
          h('thead', {}, h('tr', {}, [t('fl.col.version'), t('fl.col.errors'), t('fl.col.saved'), t('fl.col.submittedAt'), ''].map((label) => h('th', {}, label)))),
          h(
            'tbody',
            {},
            filing.versions.map((v) =>
              h(
                'tr',
                { 'data-testid': `version-${v.number}` },
                h('td', {}, String(v.number), h('span', { class: 'muted small' }, ` · ${v.source === 'upload' ? (v.file_name ?? '') : t('fl.filing.fromForm')}`)),
                h('td', { class: 'number' }, `${formatNumber(v.error_count)} / ${formatNumber(v.warning_count)}`),
                h('td', {}, `${formatDateTime(v.created_at)} · ${v.created_by}`),
                h('td', {}, v.submitted_at ? formatDateTime(v.submitted_at) : t('common.empty')),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'button button-small',
                      onclick: async () => {
                        replace(versionBox, loading(t('app.loading')));
                        try {
                          await showVersion(await filingsApi.version(filing.id, v.number));
                        } catch (error) {
                          replace(versionBox, h('p', { class: 'notice notice-error' }, describeError(error)));
                        }
                      },
                    },
                    t('fl.filing.view'),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };

  const filed = (version: Version) => {
    toast(t('fl.filing.summary', { errors: version.error_count, warnings: version.warning_count }), version.error_count > 0 ? 'error' : 'success');
    options.onChange();
  };

  replace(
    element,
    h(
      'header',
      { class: 'filing-head' },
      h('h2', { class: 'section-title' }, t('fl.filing.title', { operator: filing?.operator_name ?? options.operator })),
      filing ? statusBadge(filing.status, filing.submitted_late) : statusBadge(call.state === 'past_due' ? 'late' : 'not_started'),
    ),
    options.mayFile && open ? newVersion(call, options.operator, filing?.latest ?? null, filed) : null,
    options.mayFile && !open ? h('p', { class: 'notice notice-info' }, t('fl.filing.closed')) : null,
    versionBox,
    versionsBox,
  );
  if (filing?.latest) void showVersion(filing.latest);
  renderVersions();
  return {
    element,
    leave: () => removeAreas?.(),
  };
}

function problemsTable(problems: FilingProblem[]): HTMLElement {
  if (problems.length === 0) return h('p', { class: 'muted', 'data-testid': 'problems-none' }, t('fl.filing.noProblems'));
  return h(
    'div',
    { class: 'table-scroll' },
    h('h3', { class: 'subsection-title' }, t('fl.filing.problems')),
    h(
      'table',
      { class: 'data-table problems-table', 'data-testid': 'problems-table' },
      h('thead', {}, h('tr', {}, [t('fl.filing.row'), t('fl.filing.column'), '', t('fl.filing.problem')].map((label) => h('th', {}, label)))),
      h(
        'tbody',
        {},
        problems.map((p) =>
          h(
            'tr',
            { class: `problem-${p.severity}`, 'data-testid': `problem-row-${p.row ?? 0}`, 'data-code': p.code },
            h('td', { class: 'number' }, p.row === null ? t('fl.filing.wholeFile') : String(p.row)),
            h('td', {}, p.column ?? fieldLabel(p.field)),
            h('td', {}, h('span', { class: `badge severity-${p.severity}` }, p.severity === 'error' ? t('fl.filing.error') : t('fl.filing.warning'))),
            h('td', {}, problemText(p)),
          ),
        ),
      ),
    ),
  );
}

function cellText(kind: FilingKind, field: string, row: Record<string, unknown>): string {
  const value = row[field] ?? (field === 'unit_name' ? row.unit : undefined);
  if (value === undefined || value === null) return t('common.empty');
  if (kind === 'yearly_plan' && field === 'item' && typeof value === 'string') return t(`fl.item.${value}` as MessageKey);
  if (typeof value === 'number') return count(value);
  return String(value);
}

function rowsTable(kind: FilingKind, version: Version): HTMLElement {
  const columns = COLUMNS[kind];
  const errorRows = new Set(version.problems.filter((p) => p.severity === 'error' && p.row !== null).map((p) => p.row));
  return h(
    'div',
    { class: 'table-scroll' },
    h('h3', { class: 'subsection-title' }, t('fl.filing.rows')),
    h(
      'table',
      { class: 'data-table', 'data-testid': 'rows-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('fl.filing.row')), columns.map((c) => h('th', {}, fieldLabel(c))))),
      h(
        'tbody',
        {},
        version.rows.map((row) => {
          const n = Number(row.row);
          const technology = typeof row.technology === 'string' ? row.technology : null;
          return h(
            'tr',
            { class: errorRows.has(n) ? 'row-invalid' : null },
            h('td', { class: 'number' }, String(n)),
            columns.map((c) =>
              h(
                'td',
                { class: typeof row[c] === 'number' ? 'number' : null },
                c === 'technology' && technology ? h('span', { class: 'swatch', style: `background:${TECHNOLOGY_COLOURS[technology] ?? '#555'}` }) : null,
                cellText(kind, c, row),
              ),
            ),
          );
        }),
      ),
    ),
  );
}

/** Filing a new version: the form (fixed broadband, plans) or a file. */
function newVersion(call: Call, operator: string, latest: Version | null, filed: (version: Version) => void): HTMLElement {
  const mayForm = call.kind !== 'mobile_coverage';
  const body = h('div', { class: 'new-version-body' });
  const tab = (name: 'form' | 'file', label: string) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        class: 'tab',
        'data-testid': `filing-by-${name}`,
        onclick: (event: Event) => {
          for (const other of (event.currentTarget as HTMLElement).parentElement?.children ?? []) other.classList.remove('active');
          (event.currentTarget as HTMLElement).classList.add('active');
          replace(body, name === 'form' ? formEditor(call, operator, latest, filed) : fileForm(call, operator, filed));
        },
      },
      label,
    );
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, mayForm ? tab('form', t('fl.filing.byForm')) : null, tab('file', t('fl.filing.byFile')));
  (tabs.firstElementChild as HTMLElement | null)?.classList.add('active');
  replace(body, mayForm ? formEditor(call, operator, latest, filed) : fileForm(call, operator, filed));
  return h('section', { class: 'new-version', 'data-testid': 'new-version' }, h('h2', { class: 'section-title' }, t('fl.filing.newVersion')), tabs, body);
}

function operatorParam(operator: string): string | undefined {
  // Members and tokens file for their own operator; an admin names it.
  return operator || undefined;
}

function fileForm(call: Call, operator: string, filed: (version: Version) => void): HTMLElement {
  const hint: MessageKey = call.kind === 'fixed_broadband' ? 'fl.filing.fileHintFixed' : call.kind === 'mobile_coverage' ? 'fl.filing.fileHintCoverage' : 'fl.filing.fileHintPlan';
  const accept = call.kind === 'mobile_coverage' ? '.geojson,.json,.gpkg,.zip' : call.kind === 'fixed_broadband' ? '.csv,.xlsx' : '.csv,.xlsx,.geojson,.json,.gpkg,.zip';
  const input = h('input', { type: 'file', id: 'filing-file', accept, 'data-testid': 'filing-file' });
  const technology =
    call.kind === 'mobile_coverage'
      ? h('select', { id: 'filing-technology', 'data-testid': 'filing-technology' }, h('option', { value: '' }, t('fl.filing.technologyFromFile')), h('option', { value: '4G' }, '4G'), h('option', { value: '5G' }, '5G'))
      : null;
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'filing-upload' }, t('fl.filing.upload'));
  return h(
    'form',
    {
      class: 'filing-file-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const file = input.files?.[0];
        if (!file) {
          replace(status, h('p', { class: 'field-error' }, t('ug.form.required')));
          return;
        }
        button.disabled = true;
        replace(status, loading(t('fl.filing.uploading')));
        try {
          const version = await filingsApi.fileUpload(call.id, file, { technology: technology?.value || undefined, operator: operatorParam(operator) });
          replace(status);
          filed(version);
        } catch (error) {
          replace(status, uploadError(error));
        } finally {
          button.disabled = false;
        }
      },
    },
    h('p', { class: 'field-hint' }, t(hint)),
    call.kind !== 'mobile_coverage'
      ? h(
          'p',
          { class: 'small' },
          h('a', { href: filingsApi.templateUrl(call.id, 'xlsx'), download: '', 'data-testid': 'template-xlsx' }, t('fl.filing.template')),
          ' · ',
          h('a', { href: filingsApi.templateUrl(call.id, 'csv'), download: '' }, t('fl.filing.templateCsv')),
        )
      : null,
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'filing-file' }, t('fl.filing.file')), input),
    technology ? h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'filing-technology' }, t('fl.filing.technology')), technology) : null,
    status,
    h('div', { class: 'form-actions' }, button),
  );
}

/** A refused file: the problems of the whole file, worded. */
function uploadError(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.details.length > 0) {
    return h(
      'div',
      { class: 'notice notice-error', role: 'alert', 'data-testid': 'upload-error' },
      h('p', {}, describeError(error)),
      h('ul', {}, error.details.map((d) => h('li', {}, `${fieldLabel(d.field)}: ${problemWords(d)}`))),
    );
  }
  return h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'upload-error' }, h('p', {}, describeError(error)));
}

/** A number as typed (either decimal sign); the text itself when it is not one, so the server names the problem. */
function typed(text: string): number | string | null {
  if (text.trim() === '') return null;
  const n = parseNumber(text);
  return Number.isNaN(n) ? text.trim() : n;
}

function formEditor(call: Call, operator: string, latest: Version | null, filed: (version: Version) => void): HTMLElement {
  const root = h('div', { class: 'form-editor' }, loading(t('app.loading')));
  void filingsApi
    .choices(call.id)
    .then((choices) => replace(root, call.kind === 'fixed_broadband' ? fixedEditor(call, operator, choices, latest, filed) : planEditor(call, operator, choices, latest, filed)))
    .catch((error: unknown) => replace(root, h('p', { class: 'notice notice-error' }, describeError(error))));
  return root;
}

function textInput(name: string, value: unknown, label: string, numeric = false): HTMLInputElement {
  return h('input', {
    type: 'text',
    name,
    value: value === null || value === undefined ? '' : typeof value === 'number' ? String(value).replace('.', ',') : String(value),
    inputmode: numeric ? 'decimal' : null,
    'aria-label': label,
    class: numeric ? 'input-number' : null,
  });
}

async function sendRows(call: Call, operator: string, rows: Record<string, unknown>[], status: HTMLElement, button: HTMLButtonElement, filed: (version: Version) => void) {
  button.disabled = true;
  replace(status, loading(t('fl.filing.uploading')));
  try {
    const version = await filingsApi.fileForm(call.id, rows, operatorParam(operator));
    replace(status);
    filed(version);
  } catch (error) {
    replace(status, uploadError(error));
  } finally {
    button.disabled = false;
  }
}

/** One row per neighbourhood unit, pre-filled from the latest version. */
function fixedEditor(call: Call, operator: string, choices: FormChoices, latest: Version | null, filed: (version: Version) => void): HTMLElement {
  if (choices.units.length === 0) return h('p', { class: 'notice notice-warning', 'data-testid': 'no-units' }, t('fl.filing.noUnits'));
  const previous = new Map<number, Record<string, unknown>>();
  for (const row of latest?.rows ?? []) if (typeof row.unit_id === 'number') previous.set(row.unit_id, row);
  const fields = ['households_passed', 'households_subscribed', 'max_speed_mbps'];
  const inputs = choices.units.map((unit) => ({ unit, cells: fields.map((f) => textInput(`${f}-${unit.id}`, previous.get(unit.id)?.[f], `${unit.name}: ${fieldLabel(f)}`, true)) }));
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'form-save' }, t('fl.filing.saveForm'));
  return h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        const rows = inputs
          .filter(({ cells }) => cells.some((c) => c.value.trim() !== ''))
          .map(({ unit, cells }) => {
            const row: Record<string, unknown> = { unit: unit.code ?? unit.name, unit_name: unit.name };
            fields.forEach((f, i) => (row[f] = typed(cells[i]?.value ?? '')));
            return row;
          });
        void sendRows(call, operator, rows, status, button, filed);
      },
    },
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table form-table', 'data-testid': 'fixed-form' },
        h('thead', {}, h('tr', {}, h('th', {}, fieldLabel('unit')), h('th', { class: 'number' }, t('fl.form.households')), fields.map((f) => h('th', {}, fieldLabel(f))))),
        h(
          'tbody',
          {},
          inputs.map(({ unit, cells }) => h('tr', {}, h('td', {}, unit.name), h('td', { class: 'number' }, count(unit.households)), cells.map((c) => h('td', {}, c)))),
        ),
      ),
    ),
    status,
    h('div', { class: 'form-actions' }, button),
  );
}

/** Rows of next year's plan: item, description, quantity, unit, quarter. */
function planEditor(call: Call, operator: string, choices: FormChoices, latest: Version | null, filed: (version: Version) => void): HTMLElement {
  const body = h('tbody', {});
  const addRow = (initial: Record<string, unknown> = {}) => {
    const item = h(
      'select',
      { name: 'item', 'aria-label': fieldLabel('item') },
      PLAN_ITEMS.map((value) => h('option', { value, selected: initial.item === value }, t(`fl.item.${value}` as MessageKey))),
    );
    const description = textInput('description', initial.description, fieldLabel('description'));
    const quantity = textInput('quantity', initial.quantity, fieldLabel('quantity'), true);
    const unit = h(
      'select',
      { name: 'unit', 'aria-label': fieldLabel('unit') },
      h('option', { value: '' }, t('fl.filing.chooseUnit')),
      choices.units.map((u) => h('option', { value: u.code ?? u.name, selected: initial.unit_id === u.id }, u.name)),
    );
    const quarter = h(
      'select',
      { name: 'quarter', 'aria-label': fieldLabel('quarter') },
      h('option', { value: '' }, t('common.empty')),
      [1, 2, 3, 4].map((q) => h('option', { value: String(q), selected: initial.quarter === q }, `${t('fl.field.quarter')} ${q}`)),
    );
    const row = h(
      'tr',
      { class: 'plan-row' },
      [item, description, quantity, unit, quarter].map((c) => h('td', {}, c)),
      h('td', {}, h('button', { type: 'button', class: 'button button-small', title: t('fl.filing.removeRow'), onclick: () => row.remove() }, '×')),
    );
    body.appendChild(row);
  };
  const previous = latest?.rows ?? [];
  if (previous.length > 0) previous.forEach((r) => addRow(r));
  else addRow();
  const status = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'form-save' }, t('fl.filing.saveForm'));
  return h(
    'form',
    {
      onsubmit: (event: Event) => {
        event.preventDefault();
        const rows = [...body.querySelectorAll<HTMLTableRowElement>('tr.plan-row')].map((tr) => {
          const value = (name: string) => tr.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`)?.value ?? '';
          const row: Record<string, unknown> = { item: value('item'), description: value('description').trim() || null, quantity: typed(value('quantity')) };
          if (value('unit')) row.unit = value('unit');
          if (value('quarter')) row.quarter = Number(value('quarter'));
          return row;
        });
        void sendRows(call, operator, rows, status, button, filed);
      },
    },
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data-table form-table', 'data-testid': 'plan-form' },
        h('thead', {}, h('tr', {}, ['item', 'description', 'quantity', 'unit', 'quarter'].map((f) => h('th', {}, fieldLabel(f))), h('th', {}, ''))),
        body,
      ),
    ),
    h('p', {}, h('button', { type: 'button', class: 'button button-small', 'data-testid': 'plan-add-row', onclick: () => addRow() }, t('fl.filing.addRow'))),
    status,
    h('div', { class: 'form-actions' }, button),
  );
}
