// The form for an asset's attributes, built from the server's OpenAPI
// description: the core fields every asset has, then the fields of its kind
// (`components.schemas.Tower`, `.Pole`, ...), with their types, coded values
// and which are required. Server validation problems appear under the field
// they name.

import type { Collection, FieldProblem } from '../api/types';
import { assetPicker, type AssetPicker, type AssetPickerOptions } from '../ui/assetPicker';
import type { JsonSchema, OpenApiDocument } from '../api/client';
import type { KindInfo } from '../domain/kinds';
import { STATUSES } from '../domain/kinds';
import type { Reference } from '../domain/reference';
import { fieldName, formatNumberPlain, parseNumber, t, valueName } from '../i18n';
import { h, replace } from '../ui/dom';
import { problemText } from '../i18n/problems';

/** How one field is edited. */
type Control =
  | { type: 'text'; multiline?: boolean; maxLength?: number }
  | { type: 'number'; integer: boolean }
  | { type: 'select'; values: string[]; labels?: Record<string, string> }
  | { type: 'multi'; values: string[] }
  | { type: 'ids' }
  | { type: 'assets'; multiple: boolean };

interface FieldSpec {
  name: string;
  control: Control;
  required: boolean;
  nullable: boolean;
  description?: string;
}

/**
 * Fields that hold ids of other assets, chosen by code and name (search or map), and the
 * kinds each may name: a cable is carried by poles and towers overhead, by ducts, trenches
 * and manholes underground (what `cables/mod.rs` accepts); a duct bank joins two manholes.
 */
const REFERENCES: Record<string, { multiple: boolean; collections(values: (name: string) => unknown): Collection[] }> = {
  carried_by: { multiple: true, collections: (value) => (value('placement') === 'underground' ? ['ducts', 'trenches', 'manholes'] : ['poles', 'towers']) },
  from_manhole_id: { multiple: false, collections: () => ['manholes'] },
  to_manhole_id: { multiple: false, collections: () => ['manholes'] },
};

/** Fields the server computes: never in the form. */
const READ_ONLY = new Set(['kind', 'operator_name', 'ward_code', 'ward_name', 'tenant_count', 'shared', 'free_capacity', 'version', 'created_at', 'updated_at', 'tenants']);
/** Fields edited elsewhere (the state of each pipe: through the API for now). */
const NOT_IN_FORM = new Set(['pipes']);

function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')]);
  if (schema.oneOf) {
    const concrete = schema.oneOf.find((s) => s.type !== 'null');
    return { ...resolve(doc, concrete), nullable: true, description: schema.description ?? concrete?.description };
  }
  return schema;
}

function isNullable(schema: JsonSchema): boolean {
  return schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
}

function baseType(schema: JsonSchema): string | undefined {
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return schema.type;
}

function controlFor(doc: OpenApiDocument, raw: JsonSchema): Control {
  const schema = resolve(doc, raw);
  if (schema.enum) return { type: 'select', values: schema.enum.filter((v): v is string => typeof v === 'string') };
  const type = baseType(schema);
  if (type === 'array') {
    const items = resolve(doc, schema.items);
    if (items.enum) return { type: 'multi', values: items.enum.filter((v): v is string => typeof v === 'string') };
    return { type: 'ids' };
  }
  if (type === 'integer') return { type: 'number', integer: true };
  if (type === 'number') return { type: 'number', integer: false };
  return { type: 'text', maxLength: schema.maxLength };
}

/** The fields of a kind's form: core ones first, then the kind's own. */
export function formFields(doc: OpenApiDocument, kind: KindInfo): FieldSpec[] {
  const specs: FieldSpec[] = [];
  const add = (schemaName: string) => {
    const schema = doc.components.schemas[schemaName];
    if (!schema?.properties) return;
    const required = new Set(schema.required ?? []);
    for (const [name, raw] of Object.entries(schema.properties)) {
      if (raw.readOnly || READ_ONLY.has(name) || NOT_IN_FORM.has(name)) continue;
      const resolved = resolve(doc, raw);
      const reference = REFERENCES[name];
      specs.push({
        name,
        control: reference
          ? { type: 'assets', multiple: reference.multiple }
          : name === 'note'
            ? { type: 'text', multiline: true, maxLength: resolved.maxLength }
            : controlFor(doc, raw),
        required: required.has(name),
        nullable: isNullable(raw) || isNullable(resolved),
        description: raw.description ?? resolved.description,
      });
    }
  };
  add('CoreProperties');
  add(kind.schema);
  // The owner is chosen from the registered operators.
  const operator = specs.find((s) => s.name === 'operator');
  if (operator) operator.control = { type: 'select', values: [] };
  const status = specs.find((s) => s.name === 'status');
  if (status && status.control.type !== 'select') status.control = { type: 'select', values: [...STATUSES] };
  return specs;
}

/** A problem with a field: from the server, or found by the form itself (`local`, already in the person's language). */
export type FormProblem = FieldProblem & { local?: boolean };

export interface AssetForm {
  element: HTMLElement;
  /** The values typed, as API properties, or the problems found before sending. */
  read(): { properties: Record<string, unknown>; problems: FormProblem[] };
  /** Shows the server's (or the form's own) problems next to their fields; returns those that name no field. */
  showProblems(problems: FormProblem[]): FormProblem[];
  clearProblems(): void;
  /** Ends any picking on the map (the form is closed). */
  dispose(): void;
}

/** The field a problem is about: `properties.height_m` or `pipes[2].state` → `height_m`, `pipes`. */
export function problemField(field: string): string {
  return field.replace(/^properties\./, '').split(/[.[]/)[0] ?? field;
}

export function buildAssetForm(
  doc: OpenApiDocument,
  kind: KindInfo,
  reference: Reference,
  initial: Record<string, unknown>,
  /** The owners the person may choose; null for any registered operator. */
  operators: string[] | null = null,
  /** Picking assets on the map, for the fields that name other assets. */
  pickOnMap?: AssetPickerOptions['pickOnMap'],
): AssetForm {
  const specs = formFields(doc, kind);
  const pickers: AssetPicker[] = [];
  const inputs = new Map<string, () => { value: unknown; problem?: string }>();
  const errorSlots = new Map<string, HTMLElement>();
  const wrappers = new Map<string, HTMLElement>();

  const fieldsets = specs.map((spec) => {
    const id = `field-${spec.name}`;
    const current = initial[spec.name];
    const error = h('p', { class: 'field-error', id: `${id}-error`, 'data-testid': `error-${spec.name}`, hidden: true });
    errorSlots.set(spec.name, error);
    let control: HTMLElement;
    const control_ = spec.control;
    switch (control_.type) {
      case 'select': {
        const values =
          spec.name === 'operator' ? (operators ?? reference.operators.map((o) => o.code)) : control_.values;
        const label = (v: string) => (spec.name === 'operator' ? reference.operatorLabel(v) : valueName(spec.name, v));
        const select = h(
          'select',
          { id, name: spec.name, 'data-testid': id, 'aria-describedby': `${id}-error`, required: spec.required },
          !spec.required || current === undefined || current === null
            ? h('option', { value: '' }, spec.required ? t('edit.choose') : t('edit.none'))
            : null,
          values.map((v) => h('option', { value: v, selected: current === v }, label(v))),
        );
        inputs.set(spec.name, () => ({ value: select.value === '' ? null : select.value }));
        control = select;
        break;
      }
      case 'multi': {
        const chosen = new Set(Array.isArray(current) ? (current as string[]) : []);
        const boxes = control_.values.map((v) =>
          h('input', { type: 'checkbox', name: spec.name, value: v, checked: chosen.has(v), 'data-testid': `${id}-${v}` }),
        );
        inputs.set(spec.name, () => ({ value: boxes.filter((b) => b.checked).map((b) => b.value) }));
        control = h(
          'div',
          { class: 'checks', id, role: 'group' },
          boxes.map((box, i) => h('label', { class: 'check' }, box, valueName(spec.name, control_.values[i] ?? ''))),
        );
        break;
      }
      case 'number': {
        const input = h('input', {
          id,
          name: spec.name,
          type: 'text',
          inputmode: control_.integer ? 'numeric' : 'decimal',
          value: typeof current === 'number' ? formatNumberPlain(current) : '',
          'data-testid': id,
          'aria-describedby': `${id}-error`,
          required: spec.required,
          title: control_.integer ? t('edit.notInteger') : t('edit.numberHint'),
        });
        inputs.set(spec.name, () => {
          if (input.value.trim() === '') return { value: null };
          const n = parseNumber(input.value);
          if (Number.isNaN(n)) return { value: null, problem: t('edit.notNumber') };
          if (control_.integer && !Number.isInteger(n)) return { value: null, problem: t('edit.notInteger') };
          return { value: n };
        });
        control = input;
        break;
      }
      case 'assets': {
        const ids = (Array.isArray(current) ? current : typeof current === 'number' ? [current] : []) as number[];
        const picker = assetPicker({
          id,
          multiple: control_.multiple,
          initial: ids,
          collections: () => REFERENCES[spec.name]?.collections((name) => inputs.get(name)?.().value) ?? [],
          pickOnMap,
        });
        pickers.push(picker);
        inputs.set(spec.name, () => ({ value: control_.multiple ? picker.value() : (picker.value()[0] ?? null) }));
        control = picker.element;
        break;
      }
      case 'ids': {
        const input = h('input', {
          id,
          name: spec.name,
          type: 'text',
          inputmode: 'numeric',
          value: Array.isArray(current) ? (current as number[]).join(', ') : '',
          placeholder: t('edit.idsHint'),
          'data-testid': id,
          'aria-describedby': `${id}-error`,
        });
        inputs.set(spec.name, () => {
          const parts = input.value.split(/[,\s;]+/).filter(Boolean);
          if (parts.some((p) => !/^\d+$/.test(p))) return { value: [], problem: t('edit.idsHint') };
          return { value: parts.map(Number) };
        });
        control = input;
        break;
      }
      case 'text': {
        const attributes = {
          id,
          name: spec.name,
          maxlength: control_.maxLength,
          'data-testid': id,
          'aria-describedby': `${id}-error`,
          required: spec.required,
          spellcheck: spec.name === 'note' || spec.name === 'name' ? 'true' : 'false',
        };
        const text = typeof current === 'string' ? current : '';
        const input = control_.multiline ? h('textarea', { ...attributes, rows: 3 }, text) : h('input', { ...attributes, type: 'text', value: text });
        inputs.set(spec.name, () => ({ value: input.value.trim() === '' ? null : input.value.trim() }));
        control = input;
        break;
      }
    }
    const wrapper = h(
      'div',
      { class: `field field-${control_.type}` },
      h(
        'label',
        { class: 'field-label', for: id },
        fieldName(spec.name),
        spec.required ? h('span', { class: 'required', title: t('edit.required') }, ' *') : null,
      ),
      control,
      error,
    );
    wrappers.set(spec.name, wrapper);
    return wrapper;
  });

  const general = h('div', { class: 'form-problems', role: 'alert', hidden: true });
  const notes = kind.collection === 'ducts' ? h('p', { class: 'note' }, t('edit.pipesNote')) : null;
  const element = h('div', { class: 'asset-form' }, general, fieldsets, notes);

  const clearProblems = () => {
    for (const [name, slot] of errorSlots) {
      slot.hidden = true;
      slot.textContent = '';
      wrappers.get(name)?.classList.remove('invalid');
    }
    general.hidden = true;
    general.replaceChildren();
  };

  return {
    element,
    read() {
      const properties: Record<string, unknown> = {};
      const problems: FormProblem[] = [];
      for (const spec of specs) {
        const read = inputs.get(spec.name)?.();
        if (!read) continue;
        if (read.problem) problems.push({ field: spec.name, problem: read.problem, local: true });
        properties[spec.name] = read.value;
      }
      return { properties, problems };
    },
    showProblems(problems) {
      clearProblems();
      const unplaced: FormProblem[] = [];
      for (const problem of problems) {
        const field = problemField(problem.field);
        const slot = errorSlots.get(field);
        if (!slot) {
          unplaced.push(problem);
          continue;
        }
        slot.hidden = false;
        // The server's problems worded from their codes (problems.ts), after a lead in the person's language.
        const text = problem.local ? problem.problem : t('edit.problem', { problem: problemText(problem) });
        slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
        wrappers.get(field)?.classList.add('invalid');
      }
      const first = problems.map((p) => wrappers.get(problemField(p.field))).find(Boolean);
      first?.querySelector<HTMLElement>('input, select, textarea')?.focus();
      const others = unplaced.filter((p) => p.field !== 'geometry');
      if (others.length > 0) {
        general.hidden = false;
        replace(general, h('ul', {}, others.map((p) => h('li', {}, `${fieldName(problemField(p.field))}: ${p.local ? p.problem : problemText(p)}`))));
      }
      return unplaced;
    },
    clearProblems,
    dispose: () => {
      for (const picker of pickers) picker.stop();
    },
  };
}
