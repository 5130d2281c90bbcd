// Form fields with a label, a hint and a place for the server's problem, and
// a way to put each problem the API reports (`details[].field`) under its
// field.

import { ApiError } from '../api/client';
import { problemText } from '../i18n/problems';
import { h, replace } from './dom';
import { describeError } from './messages';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

export interface Field {
  element: HTMLElement;
  control: Control;
  /** Shows a problem under the field (or clears it with null). */
  setError(message: string | null): void;
}

export function field(name: string, label: string, control: Control, options: { hint?: string; required?: boolean; class?: string } = {}): Field {
  if (!control.id) control.id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const error = h('p', { class: 'field-error', 'data-testid': `error-${name}`, hidden: true, id: `${control.id}-error` });
  const element = h(
    'div',
    { class: `field${options.class ? ` ${options.class}` : ''}`, 'data-field': name },
    h('label', { class: 'field-label', for: control.id }, label, options.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null),
    control,
    options.hint ? h('p', { class: 'field-hint' }, options.hint) : null,
    error,
  );
  // A problem goes away as soon as the person changes the value.
  const clear = () => {
    if (!error.hidden) {
      element.classList.remove('invalid');
      error.hidden = true;
      control.removeAttribute('aria-describedby');
    }
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  return {
    element,
    control,
    setError(message) {
      element.classList.toggle('invalid', message !== null);
      error.hidden = message === null;
      error.textContent = message ?? '';
      if (message) control.setAttribute('aria-describedby', error.id);
      else control.removeAttribute('aria-describedby');
    },
  };
}

/**
 * Puts the problems of a 422 under their fields; anything else (or a problem
 * of no known field) goes in `general`. Returns whether some field got one.
 */
export function showProblems(error: unknown, fields: Record<string, Field>, general: HTMLElement): void {
  for (const f of Object.values(fields)) f.setError(null);
  replace(general);
  const leftOver: string[] = [];
  if (error instanceof ApiError && error.details.length > 0) {
    const byField = new Map<string, string[]>();
    for (const detail of error.details) {
      const target = fields[detail.field] ? detail.field : null;
      const text = problemText(detail);
      if (target) byField.set(target, [...(byField.get(target) ?? []), text]);
      else leftOver.push(`${detail.field}: ${text}`);
    }
    for (const [name, texts] of byField) fields[name]?.setError(texts.join(' · '));
    const first = [...byField.keys()][0];
    if (first) fields[first]?.control.focus();
  } else {
    leftOver.push(describeError(error));
  }
  if (leftOver.length > 0) {
    replace(
      general,
      h(
        'div',
        { class: 'notice notice-error', role: 'alert' },
        leftOver.length === 1
          ? leftOver[0]
          : h(
              'ul',
              {},
              leftOver.map((l) => h('li', {}, l)),
            ),
      ),
    );
  }
}

export function clearProblems(fields: Record<string, Field>, general: HTMLElement): void {
  for (const f of Object.values(fields)) f.setError(null);
  replace(general);
}
