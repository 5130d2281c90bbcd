// The wards and provinces a reviewer or planner works in, chosen by name or
// GSO code from the reference data (current units only: the server refuses
// others). Shown as removable chips.

import type { Reference } from '../../domain/reference';
import { t, todayInVietnam } from '../../i18n';
import { h, replace } from '../../ui/dom';

export interface ScopeOption {
  code: string;
  label: string;
  /** The unit's own name ("Chánh Lộ"), as people type it. */
  name: string;
  level: 'province' | 'ward';
}

/** A name as people type it: no diacritics, lower case, without "phường", "xã", "tỉnh"… in front. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(phuong|xa|thi tran|dac khu|tinh|thanh pho|tp\.?) /, '');
}

/** The units a typed text names: by code, by name (with or without diacritics), or by "name (province)". */
export function matchScope(options: ScopeOption[], text: string): ScopeOption[] {
  const typed = text.trim();
  const byCode = options.filter((o) => o.code === typed);
  if (byCode.length > 0) return byCode;
  const folded = foldName(typed);
  const whole = options.filter((o) => foldName(o.label) === folded);
  if (whole.length > 0) return whole;
  return options.filter((o) => foldName(o.name) === folded);
}

const today = todayInVietnam;

/** Every current province and ward, provinces first. */
export function scopeOptions(reference: Reference): ScopeOption[] {
  const now = today();
  const provinces = reference.provinces
    .filter((p) => p.valid_from <= now && (p.valid_to === null || p.valid_to >= now))
    .map((p) => ({ code: p.gso_code, label: p.name, name: p.name, level: 'province' as const }));
  const wards = reference.wards
    .filter((w) => w.properties.gso_code)
    .map((w) => ({ code: w.properties.gso_code ?? '', label: `${w.properties.name} (${w.properties.province_name})`, name: w.properties.name, level: 'ward' as const }));
  return [...provinces.sort((a, b) => a.label.localeCompare(b.label, 'vi')), ...wards.sort((a, b) => a.label.localeCompare(b.label, 'vi'))];
}

/** "Phường Chánh Lộ (Quảng Ngãi)" for a code, or the code itself when unknown. */
export function scopeLabel(options: ScopeOption[], code: string): string {
  const option = options.find((o) => o.code === code);
  return option ? option.label : code;
}

export interface ScopePicker {
  element: HTMLElement;
  value(): string[];
}

export function scopePicker(options: ScopeOption[], initial: string[], inputId: string): ScopePicker {
  let chosen = [...initial];
  const chips = h('ul', { class: 'chips', 'data-testid': 'scope-chips' });
  const listId = `${inputId}-options`;
  const input = h('input', {
    id: inputId,
    type: 'text',
    list: listId,
    autocomplete: 'off',
    placeholder: t('users.scopeNamePlaceholder'),
    'data-testid': 'scope-input',
  });
  const datalist = h(
    'datalist',
    { id: listId },
    // The name is what the list offers and fills in; the code is said beside it.
    options.map((o) => h('option', { value: o.label }, `${o.level === 'province' ? t('users.province') : t('users.ward')} · ${o.code}`)),
  );
  const message = h('p', { class: 'field-error', hidden: true });

  const renderChips = () =>
    replace(
      chips,
      chosen.length === 0
        ? h('li', { class: 'muted small' }, t('users.noScope'))
        : chosen.map((code) =>
            h(
              'li',
              { class: 'chip' },
              h('span', {}, h('code', {}, code), ' ', scopeLabel(options, code)),
              h(
                'button',
                {
                  type: 'button',
                  class: 'chip-remove',
                  'aria-label': t('users.removeScope', { name: scopeLabel(options, code) }),
                  onclick: () => ((chosen = chosen.filter((c) => c !== code)), renderChips()),
                },
                '×',
              ),
            ),
          ),
    );

  const add = () => {
    const text = input.value.trim();
    if (!text) return;
    // A code, or a name ("Chánh Lộ", "phường chanh lo", "Chánh Lộ (Quảng Ngãi)").
    const found = matchScope(options, text);
    const option = found.length === 1 ? found[0] : undefined;
    if (!option) {
      message.hidden = false;
      message.textContent =
        found.length > 1
          ? t('users.ambiguousScope', { text, units: found.map((o) => `${o.label} (${o.code})`).join(', ') })
          : t('users.unknownScope', { text });
      return;
    }
    message.hidden = true;
    if (!chosen.includes(option.code)) chosen.push(option.code);
    input.value = '';
    renderChips();
  };
  input.addEventListener('change', add);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  });
  renderChips();
  return {
    element: h(
      'div',
      { class: 'scope-picker' },
      chips,
      h('div', { class: 'scope-add' }, input, h('button', { type: 'button', class: 'button', 'data-testid': 'scope-add', onclick: add }, t('users.addScope'))),
      datalist,
      message,
    ),
    // A name typed but not yet added counts, as the person meant it.
    value: () => {
      if (input.value.trim()) add();
      return [...chosen];
    },
  };
}
