// A date typed as dd/MM/yyyy, whatever the browser's locale (a native date
// input shows mm/dd/yyyy in an American browser). The value is kept as the
// API's YYYY-MM-DD.

import { t } from '../i18n';
import { h } from './dom';

/** `dd/MM/yyyy` (or `d/M/yyyy`, or `yyyy-MM-dd`) → `yyyy-MM-dd`; null when it is not a real day; '' for an empty text. */
export function parseDate(text: string): string | null {
  const value = text.trim();
  if (value === '') return '';
  let match = value.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  let [day, month, year] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match) {
    match = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
    if (!match) return null;
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `yyyy-MM-dd` → `dd/MM/yyyy` for a text box. */
export function showDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return y && m && d ? `${d}/${m}/${y}` : iso;
}

export interface DateField {
  input: HTMLInputElement;
  /** `yyyy-MM-dd`, '' when empty, null when what is typed is not a date. */
  value(): string | null;
}

export function dateInput(attributes: { id: string; value?: string | null; required?: boolean; testId?: string; label?: string }): DateField {
  const input = h('input', {
    id: attributes.id,
    type: 'text',
    inputmode: 'numeric',
    class: 'date-input',
    placeholder: t('date.placeholder'),
    pattern: '\\d{1,2}/\\d{1,2}/\\d{4}',
    title: t('date.hint'),
    value: showDate(attributes.value),
    required: attributes.required ?? false,
    'aria-label': attributes.label ?? null,
    'data-testid': attributes.testId ?? null,
  });
  input.addEventListener('change', () => {
    const parsed = parseDate(input.value);
    input.setCustomValidity(parsed === null ? t('date.invalid') : '');
    if (parsed) input.value = showDate(parsed);
  });
  return {
    input,
    value: () => parseDate(input.value),
  };
}
