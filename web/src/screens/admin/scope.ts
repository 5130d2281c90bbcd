// The wards and provinces a reviewer or planner works in, chosen by name or
// GSO code from the reference data (current units only: the server refuses
// others). Shown as removable chips.

import type { Reference } from '../../domain/reference';
import { t } from '../../i18n';
import { h, replace } from '../../ui/dom';

export interface ScopeOption {
  code: string;
  label: string;
  level: 'province' | 'ward';
}

const today = () => new Date().toISOString().slice(0, 10);

/** Every current province and ward, provinces first. */
export function scopeOptions(reference: Reference): ScopeOption[] {
  const now = today();
  const provinces = reference.provinces
    .filter((p) => p.valid_from <= now && (p.valid_to === null || p.valid_to >= now))
    .map((p) => ({ code: p.gso_code, label: p.name, level: 'province' as const }));
  const wards = reference.wards
    .filter((w) => w.properties.gso_code)
    .map((w) => ({ code: w.properties.gso_code ?? '', label: `${w.properties.name} (${w.properties.province_name})`, level: 'ward' as const }));
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
    placeholder: t('users.scopePlaceholder'),
    'data-testid': 'scope-input',
  });
  const datalist = h(
    'datalist',
    { id: listId },
    options.map((o) => h('option', { value: o.code }, `${o.level === 'province' ? t('users.province') : t('users.ward')}: ${o.label}`)),
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
    // A code, or a name typed in full.
    const option = options.find((o) => o.code === text) ?? options.find((o) => o.label.toLowerCase() === text.toLowerCase());
    if (!option) {
      message.hidden = false;
      message.textContent = t('users.unknownScope', { text });
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
    value: () => [...chosen],
  };
}
