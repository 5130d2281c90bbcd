// Forms: a field is a label, a control, a hint and a place for its problem.
// Problems — the form's own, found before sending, or the server's 422
// (`details[].field`) — go under their field, all at once; the rest at the
// top of the form.
//
// Two ways to build one, on the same fields:
// - `field(name, label, control)` around a control made by hand, with
//   `showProblems(error, fields, general)` for the server's answer;
// - `simpleForm([{ name, label, control: { type: 'number', … } }])` from a
//   description: text, numbers (either decimal sign), dates typed as
//   dd/MM/yyyy, choices, check lists and files, read back in the API's terms
//   (numbers, ISO dates) with the problems found on the way.

import { ApiError } from '../api/client';
import type { FieldProblem } from '../api/types';
import { formatDate, formatNumberPlain, parseNumber, t } from '../i18n';
import { problemText } from '../i18n/problems';
import { parseDate } from './dateField';
import { h, replace } from './dom';
import { describeError } from './messages';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field<C extends HTMLElement = Control> {
  element: HTMLElement;
  control: C;
  /** Shows a problem under the field (or clears it with null). */
  setError(message: string | null): void;
}

export interface FieldOptions {
  hint?: string;
  required?: boolean;
  class?: string;
  /** The control is a group of inputs (check boxes): the label names the group instead of pointing at one input. */
  group?: boolean;
}

export function field<C extends HTMLElement = Control>(name: string, label: string, control: C, options: FieldOptions = {}): Field<C> {
  if (!control.id) control.id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const error = h('p', { class: 'field-error', 'data-testid': `error-${name}`, hidden: true, id: `${control.id}-error`, 'aria-live': 'polite' });
  const labelId = `${control.id}-label`;
  const required = options.required ? h('span', { class: 'required', title: t('edit.required'), 'aria-hidden': 'true' }, ' *') : null;
  const labelElement = options.group ? h('span', { class: 'field-label', id: labelId }, label, required) : h('label', { class: 'field-label', for: control.id }, label, required);
  if (options.group) {
    control.setAttribute('role', 'group');
    control.setAttribute('aria-labelledby', labelId);
  }
  const element = h('div', { class: `field${options.class ? ` ${options.class}` : ''}`, 'data-field': name }, labelElement, control, options.hint ? h('p', { class: 'field-hint' }, options.hint) : null, error);
  const setError = (message: string | null) => {
    element.classList.toggle('invalid', message !== null);
    error.hidden = message === null;
    error.textContent = message ?? '';
    if (message) control.setAttribute('aria-describedby', error.id);
    else control.removeAttribute('aria-describedby');
    control.toggleAttribute('aria-invalid', message !== null);
  };
  // A problem goes away as soon as the person changes the value.
  const clear = () => {
    if (!error.hidden) setError(null);
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  return { element, control, setError };
}

/** A problem of a form: a server's `FieldProblem`, or one the form found itself (`local`, already in words). */
export type FormProblem = FieldProblem & { local?: boolean };

/** The field a problem's path names: `properties.height_m` → `height_m`'s field, `pipes[2].state` → `pipes`. */
function fieldOf(path: string, fields: Record<string, Field<HTMLElement>>): string | null {
  if (fields[path]) return path;
  const first = path.split(/[.[]/)[0] ?? path;
  if (fields[first]) return first;
  const last = path.split('.').pop() ?? path;
  return fields[last] ? last : null;
}

/** A problem in the person's words. */
function problemWords(problem: FormProblem): string {
  return problem.local ? problem.problem : problemText(problem);
}

/**
 * Puts problems under their fields, all at once, and focuses the first; the
 * ones of no known field go in `general`. `error` is what a request threw (a
 * 422 with details, or anything else, said in words) or a list of problems.
 */
export function showProblems(error: unknown, fields: Record<string, Field<HTMLElement>>, general: HTMLElement): void {
  clearProblems(fields, general);
  const problems: FormProblem[] = Array.isArray(error) ? (error as FormProblem[]) : error instanceof ApiError ? error.details : [];
  const leftOver: string[] = [];
  const byField = new Map<string, string[]>();
  for (const problem of problems) {
    const target = fieldOf(problem.field, fields);
    if (target) byField.set(target, [...(byField.get(target) ?? []), problemWords(problem)]);
    else leftOver.push(`${problem.field}: ${problemWords(problem)}`);
  }
  if (problems.length === 0) leftOver.push(describeError(error));
  for (const [name, texts] of byField) fields[name]?.setError(texts.join(' · '));
  const first = [...byField.keys()][0];
  if (first) {
    const control = fields[first]?.control;
    (control?.matches('input, select, textarea') ? control : control?.querySelector<HTMLElement>('input, select, textarea'))?.focus();
  }
  if (leftOver.length > 0) {
    general.hidden = false;
    replace(general, h('div', { class: 'notice notice-error', role: 'alert' }, leftOver.length === 1 ? leftOver[0] : h('ul', {}, leftOver.map((l) => h('li', {}, l)))));
  }
}

export function clearProblems(fields: Record<string, Field<HTMLElement>>, general: HTMLElement): void {
  for (const f of Object.values(fields)) f.setError(null);
  replace(general);
}

// ---- Forms from a description ----

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

export interface SimpleForm {
  element: HTMLElement;
  /** The values in the API's terms, and the problems found before sending. */
  read(): { values: Record<string, unknown>; problems: FormProblem[] };
  /** Shows problems under their fields; those naming no field go at the top. */
  showProblems(problems: FormProblem[] | unknown): void;
  clearProblems(): void;
}

type Reader = () => { value: unknown; problem?: string };

/** A control for a description, and how to read it. */
function controlFor(definition: FieldDefinition, id: string): { control: HTMLElement; read: Reader } {
  const common = { id, name: definition.name, 'data-testid': id, required: definition.required ?? false };
  const c = definition.control;
  switch (c.type) {
    case 'text': {
      const value = typeof definition.initial === 'string' ? definition.initial : '';
      const input = c.multiline
        ? h('textarea', { ...common, rows: 3, maxlength: c.maxLength, placeholder: c.placeholder }, value)
        : h('input', { ...common, type: 'text', value, maxlength: c.maxLength, placeholder: c.placeholder });
      return { control: input, read: () => ({ value: input.value.trim() === '' ? null : input.value.trim() }) };
    }
    case 'number': {
      const input = h('input', { ...common, type: 'text', inputmode: c.integer ? 'numeric' : 'decimal', value: typeof definition.initial === 'number' ? formatNumberPlain(definition.initial) : '' });
      return {
        control: input,
        read: () => {
          if (input.value.trim() === '') return { value: null };
          const n = parseNumber(input.value);
          if (Number.isNaN(n)) return { value: null, problem: t('edit.notNumber') };
          if (c.integer && !Number.isInteger(n)) return { value: null, problem: t('edit.notInteger') };
          if ((c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) {
            return { value: null, problem: t('ug.form.range', { min: formatNumberPlain(c.min ?? 0), max: formatNumberPlain(c.max ?? 0) }) };
          }
          return { value: n };
        },
      };
    }
    case 'date': {
      const input = h('input', {
        ...common,
        type: 'text',
        inputmode: 'numeric',
        placeholder: t('ug.form.datePlaceholder'),
        autocomplete: 'off',
        value: typeof definition.initial === 'string' && definition.initial ? formatDate(definition.initial) : '',
      });
      return {
        control: input,
        read: () => {
          if (input.value.trim() === '') return { value: null };
          const iso = parseDate(input.value);
          return iso ? { value: iso } : { value: null, problem: t('ug.form.notDate') };
        },
      };
    }
    case 'select': {
      const select = h(
        'select',
        common,
        c.placeholder !== undefined ? h('option', { value: '' }, c.placeholder) : null,
        c.options.map(([value, label]) => h('option', { value, selected: definition.initial === value }, label)),
      );
      return { control: select, read: () => ({ value: select.value === '' ? null : select.value }) };
    }
    case 'checks': {
      const chosen = new Set(Array.isArray(definition.initial) ? (definition.initial as string[]) : []);
      const boxes = c.options.map(([value]) => h('input', { type: 'checkbox', name: definition.name, value, checked: chosen.has(value), 'data-testid': `${id}-${value}` }));
      return {
        control: h('div', { class: 'checks', id }, boxes.map((box, i) => h('label', { class: 'check' }, box, c.options[i]?.[1] ?? ''))),
        read: () => ({ value: boxes.filter((b) => b.checked).map((b) => b.value) }),
      };
    }
    case 'file': {
      const input = h('input', { ...common, type: 'file', accept: c.accept });
      return { control: input, read: () => ({ value: input.files?.[0] ?? null }) };
    }
  }
}

export function simpleForm(definitions: FieldDefinition[], options: { idPrefix?: string } = {}): SimpleForm {
  const prefix = options.idPrefix ?? 'field';
  const fields: Record<string, Field<HTMLElement>> = {};
  const readers = new Map<string, Reader>();
  for (const definition of definitions) {
    const { control, read } = controlFor(definition, `${prefix}-${definition.name}`);
    readers.set(definition.name, read);
    fields[definition.name] = field(definition.name, definition.label, control, {
      hint: definition.hint,
      required: definition.required,
      class: `field-${definition.control.type}`,
      group: definition.control.type === 'checks',
    });
  }
  const general = h('div', { class: 'form-problems', hidden: true, 'data-testid': 'form-problems' });
  const element = h('div', { class: 'simple-form' }, general, Object.values(fields).map((f) => f.element));

  return {
    element,
    read() {
      const values: Record<string, unknown> = {};
      const problems: FormProblem[] = [];
      for (const definition of definitions) {
        const read = readers.get(definition.name)?.();
        if (!read) continue;
        values[definition.name] = read.value;
        const empty = read.value === null || (Array.isArray(read.value) && read.value.length === 0);
        if (read.problem) problems.push({ field: definition.name, problem: read.problem, local: true });
        else if (definition.required && empty) problems.push({ field: definition.name, problem: t('ug.form.required'), local: true });
      }
      return { values, problems };
    },
    showProblems(problems) {
      showProblems(problems, fields, general);
    },
    clearProblems() {
      clearProblems(fields, general);
      general.hidden = true;
    },
  };
}
