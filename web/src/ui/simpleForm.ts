// Small forms for the undergrounding, sharing and dig-once tools: text,
// numbers (either decimal sign), dates typed as dd/MM/yyyy, choices, check
// lists and files. Values are read in the API's terms (numbers, ISO dates);
// problems, the form's own or the server's, show under their field.

import type { FieldProblem } from '../api/types';
import { formatDate, formatNumberPlain, parseNumber, t } from '../i18n';
import { h, replace } from './dom';

export type FieldControl =
  | { type: 'text'; multiline?: boolean; maxLength?: number; placeholder?: string }
  | { type: 'number'; integer?: boolean; min?: number; max?: number }
  | { type: 'date' }
  | { type: 'select'; options: [string, string][]; placeholder?: string }
  | { type: 'checks'; options: [string, string][] }
  | { type: 'file'; accept: string };

export interface FieldDefinition {
  name: string;
  label: string;
  control: FieldControl;
  required?: boolean;
  hint?: string;
  initial?: unknown;
}

export type FormProblem = FieldProblem & { local?: boolean };

export interface SimpleForm {
  element: HTMLElement;
  /** The values in the API's terms, and the problems found before sending. */
  read(): { values: Record<string, unknown>; problems: FormProblem[] };
  /** Shows problems under their fields; those naming no field go at the top. */
  showProblems(problems: FormProblem[]): void;
  clearProblems(): void;
}

/** `23/11/2026` (or `2026-11-23`) → `2026-11-23`; null when it is no real date. */
export function parseDate(text: string): string | null {
  const trimmed = text.trim();
  let day: number, month: number, year: number;
  const vn = trimmed.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  const iso = trimmed.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (vn) [day, month, year] = [Number(vn[1]), Number(vn[2]), Number(vn[3])];
  else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function simpleForm(fields: FieldDefinition[], options: { idPrefix?: string } = {}): SimpleForm {
  const prefix = options.idPrefix ?? 'field';
  const readers = new Map<string, () => { value: unknown; problem?: string }>();
  const slots = new Map<string, HTMLElement>();
  const wrappers = new Map<string, HTMLElement>();

  const elements = fields.map((field) => {
    const id = `${prefix}-${field.name}`;
    const described = `${id}-error`;
    const common = { id, name: field.name, 'data-testid': id, 'aria-describedby': described, required: field.required ?? false };
    let control: HTMLElement;
    const c = field.control;
    switch (c.type) {
      case 'text': {
        const value = typeof field.initial === 'string' ? field.initial : '';
        const input = c.multiline
          ? h('textarea', { ...common, rows: 3, maxlength: c.maxLength, placeholder: c.placeholder }, value)
          : h('input', { ...common, type: 'text', value, maxlength: c.maxLength, placeholder: c.placeholder });
        readers.set(field.name, () => ({ value: input.value.trim() === '' ? null : input.value.trim() }));
        control = input;
        break;
      }
      case 'number': {
        const input = h('input', {
          ...common,
          type: 'text',
          inputmode: c.integer ? 'numeric' : 'decimal',
          value: typeof field.initial === 'number' ? formatNumberPlain(field.initial) : '',
        });
        readers.set(field.name, () => {
          if (input.value.trim() === '') return { value: null };
          const n = parseNumber(input.value);
          if (Number.isNaN(n)) return { value: null, problem: t('edit.notNumber') };
          if (c.integer && !Number.isInteger(n)) return { value: null, problem: t('edit.notInteger') };
          if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) {
            return { value: null, problem: t('ug.form.range', { min: formatNumberPlain(c.min ?? 0), max: formatNumberPlain(c.max ?? 0) }) };
          }
          return { value: n };
        });
        control = input;
        break;
      }
      case 'date': {
        const input = h('input', {
          ...common,
          type: 'text',
          inputmode: 'numeric',
          placeholder: t('ug.form.datePlaceholder'),
          autocomplete: 'off',
          value: typeof field.initial === 'string' && field.initial ? formatDate(field.initial) : '',
        });
        readers.set(field.name, () => {
          if (input.value.trim() === '') return { value: null };
          const iso = parseDate(input.value);
          return iso ? { value: iso } : { value: null, problem: t('ug.form.notDate') };
        });
        control = input;
        break;
      }
      case 'select': {
        const select = h(
          'select',
          common,
          c.placeholder !== undefined ? h('option', { value: '' }, c.placeholder) : null,
          c.options.map(([value, label]) => h('option', { value, selected: field.initial === value }, label)),
        );
        readers.set(field.name, () => ({ value: select.value === '' ? null : select.value }));
        control = select;
        break;
      }
      case 'checks': {
        const chosen = new Set(Array.isArray(field.initial) ? (field.initial as string[]) : []);
        const boxes = c.options.map(([value]) => h('input', { type: 'checkbox', name: field.name, value, checked: chosen.has(value), 'data-testid': `${id}-${value}` }));
        readers.set(field.name, () => ({ value: boxes.filter((b) => b.checked).map((b) => b.value) }));
        control = h('div', { class: 'checks', id, role: 'group', 'aria-describedby': described }, boxes.map((box, i) => h('label', { class: 'check' }, box, c.options[i]?.[1] ?? '')));
        break;
      }
      case 'file': {
        const input = h('input', { ...common, type: 'file', accept: c.accept });
        readers.set(field.name, () => ({ value: input.files?.[0] ?? null }));
        control = input;
        break;
      }
    }
    const error = h('p', { class: 'field-error', id: described, 'data-testid': `error-${field.name}`, hidden: true });
    slots.set(field.name, error);
    const wrapper = h(
      'div',
      { class: `field field-${c.type}` },
      h('label', { class: 'field-label', for: c.type === 'checks' ? null : id }, field.label, field.required ? h('span', { class: 'required', title: t('edit.required') }, ' *') : null),
      control,
      field.hint ? h('p', { class: 'field-hint' }, field.hint) : null,
      error,
    );
    wrappers.set(field.name, wrapper);
    return wrapper;
  });

  const general = h('div', { class: 'form-problems', role: 'alert', hidden: true, 'data-testid': 'form-problems' });
  const element = h('div', { class: 'simple-form' }, general, elements);

  const clearProblems = () => {
    for (const [name, slot] of slots) {
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
      const values: Record<string, unknown> = {};
      const problems: FormProblem[] = [];
      for (const field of fields) {
        const read = readers.get(field.name)?.();
        if (!read) continue;
        values[field.name] = read.value;
        const empty = read.value === null || (Array.isArray(read.value) && read.value.length === 0);
        if (read.problem) problems.push({ field: field.name, problem: read.problem, local: true });
        else if (field.required && empty) problems.push({ field: field.name, problem: t('ug.form.required'), local: true });
      }
      return { values, problems };
    },
    showProblems(problems) {
      clearProblems();
      const unplaced: FormProblem[] = [];
      for (const problem of problems) {
        const name = problem.field.split(/[.[]/)[0] ?? problem.field;
        const slot = slots.get(name);
        if (!slot) {
          unplaced.push(problem);
          continue;
        }
        const text = problem.local ? problem.problem : t('edit.problem', { problem: problem.problem });
        slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
        slot.hidden = false;
        wrappers.get(name)?.classList.add('invalid');
      }
      const first = problems.map((p) => wrappers.get(p.field.split(/[.[]/)[0] ?? '')).find(Boolean);
      first?.querySelector<HTMLElement>('input, select, textarea')?.focus();
      if (unplaced.length > 0) {
        general.hidden = false;
        replace(general, h('ul', {}, unplaced.map((p) => h('li', {}, p.local ? p.problem : t('edit.problem', { problem: `${p.field}: ${p.problem}` })))));
      }
    },
    clearProblems,
  };
}
