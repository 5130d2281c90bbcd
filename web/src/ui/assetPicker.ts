// Choosing assets by code and name instead of typing ids: the chosen ones as
// chips ("VNPT-CL-P0280 · Cột số 280 ×"), a search box that asks the kinds
// that may be chosen (code or name), and "Chọn trên bản đồ", which lets the
// person click the assets on the map. Used for a cable's supports (poles and
// towers overhead; ducts, trenches and manholes underground) and a duct
// bank's manholes.

import { api } from '../api/client';
import type { AssetFeature, Collection } from '../api/types';
import { assetLabel, assetRefs, rememberAsset, type AssetRef } from '../domain/assetNames';
import { t, valueName } from '../i18n';
import '../styles/everyday.css';
import { h, replace } from './dom';

export interface AssetPickerOptions {
  /** The control's id (and test id prefix). */
  id: string;
  multiple: boolean;
  initial: number[];
  /** The kinds that may be chosen now (a cable's depend on its placement). */
  collections(): Collection[];
  /** Starts picking on the map: each asset clicked is given to `onPick`; returns the way to stop. */
  pickOnMap?(collections: Collection[], onPick: (feature: AssetFeature | number) => void): () => void;
  /** Called after each change of the choice. */
  onChange?(): void;
}

export interface AssetPicker {
  element: HTMLElement;
  /** The chosen ids, in order. */
  value(): number[];
  /** Stops picking on the map (when the form goes away). */
  stop(): void;
}

const PER_KIND = 6;

export function assetPicker(options: AssetPickerOptions): AssetPicker {
  let chosen: number[] = [...options.initial];
  const known = new Map<number, AssetRef>();
  let stopPicking: (() => void) | null = null;

  const chips = h('ul', { class: 'picker-chips', 'data-testid': `${options.id}-chosen` });
  const input = h('input', {
    id: options.id,
    type: 'search',
    class: 'picker-search',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: t('picker.search'),
    'data-testid': `${options.id}-search`,
  });
  const results = h('div', { class: 'search-results picker-results', role: 'listbox', hidden: true, 'data-testid': `${options.id}-results` });
  const mapButton = h('button', { type: 'button', class: 'button button-small', 'data-testid': `${options.id}-map`, onclick: () => toggleMap() }, t('picker.onMap'));
  const status = h('p', { class: 'field-hint picker-status', role: 'status', hidden: true });

  const changed = () => {
    renderChips();
    options.onChange?.();
  };

  const add = (ref: AssetRef) => {
    known.set(ref.id, ref);
    if (options.multiple) {
      if (!chosen.includes(ref.id)) chosen.push(ref.id);
    } else {
      chosen = [ref.id];
      if (stopPicking) toggleMap();
    }
    changed();
  };

  const renderChips = () => {
    replace(
      chips,
      chosen.map((id, index) => {
        const ref = known.get(id);
        return h(
          'li',
          { class: 'chip picker-chip', 'data-asset-id': id },
          options.multiple && chosen.length > 1 ? h('span', { class: 'picker-order' }, `${index + 1}.`) : null,
          h('span', { class: 'picker-label', title: ref ? valueName('kind', ref.kind) : '' }, ref ? assetLabel(ref) : t('names.loading')),
          h(
            'button',
            {
              type: 'button',
              class: 'chip-remove',
              'aria-label': t('picker.remove', { label: ref ? assetLabel(ref) : String(id) }),
              onclick: () => {
                chosen = chosen.filter((x) => x !== id);
                changed();
              },
            },
            '×',
          ),
        );
      }),
    );
    if (chosen.length === 0) chips.append(h('li', { class: 'muted small' }, t('picker.none')));
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | null = null;
  const search = async (q: string) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    results.hidden = false;
    replace(results, h('div', { class: 'search-status' }, t('search.searching')));
    const answers = await Promise.allSettled(options.collections().map((c) => api.listAssets(c, { q, limit: PER_KIND }, controller.signal)));
    if (controller.signal.aborted) return;
    const found = answers.flatMap((a) => (a.status === 'fulfilled' ? a.value.features : []));
    replace(
      results,
      found.length === 0
        ? h('div', { class: 'search-status' }, t('search.none', { q }))
        : found.map((feature) => {
            const ref = rememberAsset(feature);
            return h(
              'button',
              {
                type: 'button',
                class: 'search-item',
                role: 'option',
                onclick: () => {
                  results.hidden = true;
                  input.value = '';
                  add(ref);
                },
              },
              h('strong', {}, ref.code),
              h('span', { class: 'muted' }, `${ref.name ? ` ${ref.name}` : ''} · ${valueName('kind', ref.kind)}`),
            );
          }),
    );
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      running?.abort();
      results.hidden = true;
      return;
    }
    timer = setTimeout(() => void search(q), 250);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') results.hidden = true;
    if (event.key === 'Enter') {
      event.preventDefault();
      results.querySelector<HTMLButtonElement>('.search-item')?.click();
    }
  });

  const toggleMap = () => {
    if (stopPicking) {
      stopPicking();
      stopPicking = null;
      mapButton.classList.remove('active');
      mapButton.textContent = t('picker.onMap');
      status.hidden = true;
      return;
    }
    if (!options.pickOnMap) return;
    const kinds = options.collections();
    stopPicking = options.pickOnMap(kinds, (picked) => {
      if (typeof picked === 'number') {
        void assetRefs([picked]).then((found) => {
          const ref = found.get(picked);
          if (ref) add(ref);
        });
      } else add(rememberAsset(picked));
    });
    mapButton.classList.add('active');
    mapButton.textContent = t('picker.stop');
    status.hidden = false;
    status.textContent = t('picker.clickOnMap', { kinds: kinds.map((k) => t(`kind.${k}`)).join(', ') });
  };

  renderChips();
  if (chosen.length > 0) {
    void assetRefs(chosen).then((found) => {
      for (const [id, ref] of found) known.set(id, ref);
      renderChips();
    });
  }

  const element = h(
    'div',
    { class: 'asset-picker', 'data-testid': options.id },
    chips,
    h('div', { class: 'picker-tools' }, h('div', { class: 'search picker-box' }, input, results), options.pickOnMap ? mapButton : null),
    status,
  );
  return {
    element,
    value: () => [...chosen],
    stop: () => {
      if (stopPicking) toggleMap();
    },
  };
}
