// Administrative units over time: provinces, districts (until 30/6/2025),
// communes and wards, and their neighbourhood units, with their codes,
// parents, validity, reorganisations and boundaries. Admins add, rename,
// merge and end units and import boundaries; ward staff do it for their
// neighbourhood units and import the ward's statistics sheet.
//
// Address: `/don-vi-hanh-chinh?level=&parent=&current=1` (`/admin-units`).

import { LEVELS, UNIT_TYPES, unitsApi, type BoundaryOutcome, type ImportOutcome, type Level, type Unit } from '../../api/plans';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { fieldName, formatDate, formatNumber, t, todayInVietnam, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { formDialog } from '../../ui/dialog';
import { h, loading, replace } from '../../ui/dom';
import { pageShell } from '../../ui/page';
import { dataTable } from '../../ui/table';
import { describeError, toast } from '../../ui/messages';
import { parseDate } from '../../ui/dateField';
import { pageError, unitTitle } from './common';
import { problemText } from '../../i18n/problems';

function staff(): boolean {
  const role = currentSession().user?.role;
  return role === 'admin' || role === 'reviewer' || role === 'planner';
}

function admin(): boolean {
  return currentSession().user?.role === 'admin';
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control);
}

function problemsOf(error: unknown): HTMLElement {
  const details = (error as { details?: { field: string; problem: string; code?: string | null; params?: unknown }[] }).details ?? [];
  return h('div', { class: 'form-problems', role: 'alert' }, h('p', {}, describeError(error)), details.length ? h('ul', {}, details.map((d) => h('li', {}, `${fieldName(d.field)}: ${problemText(d)}`))) : null);
}

export function adminUnitsScreen(app: App, query: URLSearchParams): Screen {
  return {
    async render(root) {
      root.className = 'screen screen-page';
      const page = h('article', { class: 'page page-wide', 'data-testid': 'admin-units' }, loading(t('app.loading')));
      replace(root, page);
      const level = (LEVELS as string[]).includes(query.get('level') ?? '') ? (query.get('level') as Level) : null;
      const parent = Number(query.get('parent')) || null;
      const onlyCurrent = query.get('current') === '1';
      const q = query.get('q') ?? '';
      const today = todayInVietnam();
      let units: Unit[];
      try {
        units = await unitsApi.list({ level, parent, q: q || null, at: onlyCurrent ? today : null });
      } catch (error) {
        replace(page, pageError(error));
        return;
      }
      const go = (changes: Record<string, string | null>) => {
        const next = new URLSearchParams(query);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        app.go(`/don-vi-hanh-chinh?${next.toString()}`);
      };
      const search = h('input', { type: 'search', value: q, placeholder: t('unit.filter.search'), 'data-testid': 'units-search', onchange: (e: Event) => go({ q: (e.target as HTMLInputElement).value.trim() || null }) });
      const filters = h(
        'div',
        { class: 'toolbar units-filters' },
        field(
          t('unit.filter.level'),
          h('select', { 'data-testid': 'units-level', onchange: (e: Event) => go({ level: (e.target as HTMLSelectElement).value || null, parent: null }) }, h('option', { value: '' }, t('unit.filter.all')), LEVELS.map((l) => h('option', { value: l, selected: l === level }, t(`unit.level.${l}` as MessageKey)))),
        ),
        field(t('unit.filter.search'), search),
        h('label', { class: 'check' }, h('input', { type: 'checkbox', checked: onlyCurrent, 'data-testid': 'units-current', onchange: (e: Event) => go({ current: (e.target as HTMLInputElement).checked ? '1' : null }) }), t('unit.filter.current')),
      );
      const actions = [
        staff() ? h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'unit-add', onclick: () => addDialog(app, units, parent) }, t('unit.action.add')) : null,
        staff() ? h('button', { type: 'button', class: 'button', 'data-testid': 'unit-boundaries', onclick: () => boundariesDialog(app, level ?? 'ward', parent) }, t('unit.action.boundaries')) : null,
      ];
      const byId = new Map(units.map((u) => [u.id, u]));
      const shell = pageShell({ title: t('unit.title'), lead: t('unit.lead'), actions, width: 'wide', testId: 'admin-units' });
      replace(shell.body, filters, unitsTable(app, units, byId));
      replace(root, shell.element);
    },
  };
}

function unitsTable(app: App, units: Unit[], byId: Map<number, Unit>): HTMLElement {
  const editable = (u: Unit) => admin() || (staff() && u.level === 'neighbourhood');
  return dataTable<Unit>({
    testId: 'units-table',
    empty: t('unit.none'),
    rows: units,
    rowAttributes: (u) => ({ 'data-testid': 'unit-row', 'data-unit': u.id, 'data-name': u.name, class: u.current ? null : 'unit-ended' }),
    columns: [
      {
        key: 'name',
        label: t('unit.col.name'),
        phone: 'title',
        cell: (u) => [h('a', { href: `/don-vi-hanh-chinh?parent=${u.id}` }, unitTitle(u.unit_type, u.name)), u.children > 0 ? h('span', { class: 'small muted' }, ` (${formatNumber(u.children)})`) : null],
      },
      { key: 'code', label: t('unit.col.code'), nowrap: true, cell: (u) => u.gso_code ?? t('common.empty') },
      { key: 'parent', label: t('unit.col.parent'), cell: (u) => (u.parent ? unitTitle(u.parent.unit_type, u.parent.name) : t('common.empty')) },
      {
        key: 'validity',
        label: t('unit.col.validity'),
        nowrap: true,
        cell: (u) => [validity(u.valid_from, u.valid_to), h('br', {}), h('span', { class: u.current ? 'badge status-operational' : 'badge status-decommissioned' }, u.current ? t('unit.current') : t('unit.ended'))],
      },
      {
        key: 'lineage',
        label: t('unit.col.lineage'),
        cell: (u) => {
          const lineage = [
            u.predecessors.length ? t('unit.replaced', { list: u.predecessors.map((p) => `${p.name}${p.whole === false ? ` ${t('unit.part')}` : ''}`).join(', ') }) : null,
            u.successors.length ? t('unit.replacedBy', { list: u.successors.map((s) => s.name).join(', ') }) : null,
          ].filter(Boolean);
          if (lineage.length === 0 && !u.ended_by && !u.established_by) return t('common.empty');
          return h('div', { class: 'small' }, lineage.join(' · '), u.ended_by || u.established_by ? h('p', { class: 'small muted' }, u.ended_by ?? u.established_by) : null);
        },
      },
      {
        key: 'boundary',
        label: t('unit.col.boundary'),
        cell: (u) => h('span', { class: 'small' }, u.has_boundary ? `${formatNumber(u.area_km2 ?? 0, 2)} km² · ${u.boundary_quality ? t(`unit.quality.${u.boundary_quality}` as MessageKey) : ''}` : t('unit.noBoundary')),
      },
      {
        key: 'population',
        label: t('unit.col.population'),
        numeric: true,
        cell: (u) => {
          const population = u.population as { households?: number | null; population?: number | null; synthetic?: boolean } | null;
          return h('span', { class: 'small' }, population ? `${formatNumber(population.households ?? 0, 0)} / ${formatNumber(population.population ?? 0, 0)}` : t('common.empty'));
        },
      },
      {
        key: 'actions',
        label: t('unit.col.actions'),
        phone: 'actions',
        cell: (u) =>
          h(
            'div',
            { class: 'row-actions' },
            editable(u) ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'unit-rename', onclick: () => renameDialog(app, u) }, t('unit.action.rename')) : null,
            editable(u) && u.current ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'unit-end', onclick: () => endDialog(app, u) }, t('unit.action.end')) : null,
            editable(u) && u.current ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'unit-merge', onclick: () => mergeDialog(app, u, [...byId.values()]) }, t('unit.action.merge')) : null,
            staff() && u.level === 'ward' ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'unit-population', onclick: () => populationDialog(app, u) }, t('unit.action.population')) : null,
          ),
      },
    ],
  }).element;
}

function reload(app: App): void {
  app.go(location.pathname + location.search);
}

function addDialog(app: App, units: Unit[], parent: number | null): void {
  const level = h('select', { name: 'level', 'data-testid': 'unit-form-level' }, LEVELS.map((l) => h('option', { value: l, selected: l === 'neighbourhood' }, t(`unit.level.${l}` as MessageKey))));
  const type = h('select', { name: 'unit_type', 'data-testid': 'unit-form-type' });
  const fillTypes = () => replace(type, UNIT_TYPES[level.value as Level].map((u) => h('option', { value: u }, u)));
  level.addEventListener('change', fillTypes);
  fillTypes();
  const name = h('input', { name: 'name', required: true, 'data-testid': 'unit-form-name' });
  const code = h('input', { name: 'gso_code', inputmode: 'numeric', 'data-testid': 'unit-form-code' });
  const parentSelect = h(
    'select',
    { name: 'parent_id', 'data-testid': 'unit-form-parent' },
    h('option', { value: '' }, t('common.empty')),
    units.filter((u) => u.level !== 'neighbourhood').map((u) => h('option', { value: u.id, selected: u.id === parent }, `${unitTitle(u.unit_type, u.name)}${u.current ? '' : ` (${t('unit.ended')})`}`)),
  );
  const from = h('input', { name: 'valid_from', placeholder: 'dd/mm/yyyy', value: formatDate(new Date()), 'data-testid': 'unit-form-from' });
  const by = h('input', { name: 'established_by' });
  const problems = h('div', {});
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const created = await unitsApi.create({
            level: level.value,
            unit_type: type.value,
            name: name.value.trim(),
            gso_code: code.value.trim() || null,
            parent_id: parentSelect.value ? Number(parentSelect.value) : null,
            valid_from: parseDate(from.value) ?? from.value,
            established_by: by.value.trim() || null,
          });
          dialog.close();
          toast(t('unit.done.created', { name: created.name }), 'success');
          reload(app);
        } catch (error) {
          replace(problems, problemsOf(error));
        }
      },
    },
    field(t('unit.form.level'), level),
    field(t('unit.form.type'), type),
    field(t('unit.form.name'), name),
    field(t('unit.form.code'), code),
    field(t('unit.form.parent'), parentSelect),
    field(t('unit.form.validFrom'), from),
    field(t('unit.form.by'), by),
    problems,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'unit-form-submit' }, t('unit.form.submit'))),
  );
  const dialog = formDialog(t('unit.action.add'), form, undefined, 'unit-dialog');
}

function renameDialog(app: App, unit: Unit): void {
  const name = h('input', { name: 'name', value: unit.name, 'data-testid': 'unit-form-name' });
  const problems = h('div', {});
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const saved = await unitsApi.update(unit.id, { name: name.value.trim() });
          dialog.close();
          toast(t('unit.done.saved', { name: saved.name }), 'success');
          reload(app);
        } catch (error) {
          replace(problems, problemsOf(error));
        }
      },
    },
    field(t('unit.form.name'), name),
    problems,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'unit-form-submit' }, t('unit.form.submit'))),
  );
  const dialog = formDialog(`${t('unit.action.rename')}: ${unitTitle(unit.unit_type, unit.name)}`, form, undefined, 'unit-dialog');
}

function endDialog(app: App, unit: Unit): void {
  const to = h('input', { name: 'valid_to', placeholder: 'dd/mm/yyyy', 'data-testid': 'unit-form-to' });
  const by = h('input', { name: 'ended_by', 'data-testid': 'unit-form-by' });
  const problems = h('div', {});
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const saved = await unitsApi.update(unit.id, { valid_to: parseDate(to.value) ?? to.value, ended_by: by.value.trim() || null });
          dialog.close();
          toast(t('unit.done.saved', { name: saved.name }), 'success');
          reload(app);
        } catch (error) {
          replace(problems, problemsOf(error));
        }
      },
    },
    field(t('unit.form.validTo'), to),
    field(t('unit.form.by'), by),
    problems,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-danger', 'data-testid': 'unit-form-submit' }, t('unit.action.end'))),
  );
  const dialog = formDialog(`${t('unit.action.end')}: ${unitTitle(unit.unit_type, unit.name)}`, form, undefined, 'unit-dialog');
}

function mergeDialog(app: App, unit: Unit, listed: Unit[]): void {
  const candidates = listed.filter((u) => u.id !== unit.id && u.level === unit.level && u.valid_from < unit.valid_from);
  const options = (name: string) =>
    h('select', { multiple: true, size: Math.min(8, Math.max(3, candidates.length)), name, 'data-testid': `unit-form-${name}` }, candidates.map((u) => h('option', { value: u.id }, `${unitTitle(u.unit_type, u.name)}${u.gso_code ? ` (${u.gso_code})` : ''}`)));
  const whole = options('predecessors');
  const part = options('partly');
  const on = h('input', { name: 'on', placeholder: 'dd/mm/yyyy', value: formatDate(unit.valid_from), 'data-testid': 'unit-form-on' });
  const by = h('input', { name: 'by', 'data-testid': 'unit-form-by' });
  const union = h('input', { type: 'checkbox', checked: !unit.has_boundary });
  const problems = h('div', {});
  const selected = (select: HTMLSelectElement) => [...select.selectedOptions].map((o) => Number(o.value));
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        try {
          const outcome = await unitsApi.merge(unit.id, { predecessors: selected(whole), partly: selected(part), on: parseDate(on.value) ?? on.value, by: by.value.trim(), union_boundary: union.checked });
          dialog.close();
          toast(t('unit.done.merged', { ended: outcome.ended.length }), 'success');
          reload(app);
        } catch (error) {
          replace(problems, problemsOf(error));
        }
      },
    },
    field(t('unit.form.predecessors'), whole),
    field(t('unit.form.partly'), part),
    field(t('unit.form.on'), on),
    field(t('unit.form.by'), by),
    h('label', { class: 'check' }, union, t('unit.form.unionBoundary')),
    problems,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'unit-form-submit' }, t('unit.form.submit'))),
  );
  const dialog = formDialog(`${t('unit.action.merge')}: ${unitTitle(unit.unit_type, unit.name)}`, form, undefined, 'unit-dialog');
}

function outcomeView(outcome: BoundaryOutcome | ImportOutcome): HTMLElement {
  const matched = 'matched' in outcome ? outcome.matched.length : outcome.recorded;
  return h(
    'div',
    { class: outcome.written ? 'notice notice-info' : 'notice notice-warning', 'data-testid': 'import-outcome', 'data-written': String(outcome.written) },
    h('p', {}, t('unit.import.rows', { rows: outcome.rows, matched, problems: outcome.problems.length }), ' ', outcome.written ? t('unit.import.written') : t('unit.import.notWritten')),
    outcome.problems.length ? h('ul', {}, outcome.problems.slice(0, 50).map((p) => h('li', {}, `${t('unit.import.row', { row: p.row })} · ${fieldName(p.field)}: ${problemText(p)}`))) : null,
  );
}

function boundariesDialog(app: App, level: Level, parent: number | null): void {
  const file = h('input', { type: 'file', accept: '.gpkg,.zip,.geojson,.json', required: true, 'data-testid': 'boundary-file' });
  const levelSelect = h('select', {}, LEVELS.map((l) => h('option', { value: l, selected: l === level }, t(`unit.level.${l}` as MessageKey))));
  const quality = h('select', {}, ['official', 'surveyed', 'approximate', 'synthetic'].map((q) => h('option', { value: q }, t(`unit.quality.${q}` as MessageKey))));
  const dry = h('input', { type: 'checkbox', checked: true });
  const result = h('div', {});
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return;
        try {
          const outcome = await unitsApi.importBoundaries(chosen, levelSelect.value as Level, parent, dry.checked, quality.value);
          replace(result, outcomeView(outcome));
          if (outcome.written) reload(app);
        } catch (error) {
          replace(result, problemsOf(error));
        }
      },
    },
    field(t('unit.form.file'), file),
    field(t('unit.form.level'), levelSelect),
    field(t('unit.form.quality'), quality),
    h('label', { class: 'check' }, dry, t('unit.form.dryRun')),
    result,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'boundary-submit' }, t('unit.form.check'))),
  );
  formDialog(t('unit.action.boundaries'), form, undefined, 'unit-dialog');
}

function populationDialog(app: App, ward: Unit): void {
  const file = h('input', { type: 'file', accept: '.xlsx,.csv', required: true, 'data-testid': 'population-file' });
  const asOf = h('input', { placeholder: 'dd/mm/yyyy', 'data-testid': 'population-as-of' });
  const create = h('input', { type: 'checkbox' });
  const dry = h('input', { type: 'checkbox', checked: true });
  const result = h('div', {});
  const form = h(
    'form',
    {
      class: 'form-grid',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const chosen = file.files?.[0];
        if (!chosen) return;
        try {
          const outcome = await unitsApi.importPopulation(ward.id, chosen, parseDate(asOf.value), create.checked, dry.checked);
          replace(result, outcomeView(outcome));
          if (outcome.written) reload(app);
        } catch (error) {
          replace(result, problemsOf(error));
        }
      },
    },
    field(t('unit.form.file'), file),
    field(t('unit.form.asOf'), asOf),
    h('label', { class: 'check' }, create, t('unit.form.createMissing')),
    h('label', { class: 'check' }, dry, t('unit.form.dryRun')),
    result,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'population-submit' }, t('unit.form.check'))),
  );
  formDialog(`${t('unit.action.population')}: ${unitTitle(ward.unit_type, ward.name)}`, form, undefined, 'unit-dialog');
}

/** The schema's default start (1900-01-01) stands for "not known". */
const UNKNOWN_START = '1900-01-01';

/** `01/07/2025 – …`, `từ 01/07/2025`, or `đến 30/06/2025` when the start is not known. */
function validity(from: string, to: string | null | undefined): string {
  const known = from > UNKNOWN_START;
  if (to) return known ? t('unit.validRange', { from: formatDate(from), to: formatDate(to) }) : t('unit.validUntil', { to: formatDate(to) });
  return known ? t('unit.validFrom', { from: formatDate(from) }) : t('unit.validUnknown');
}
