// Choosing a street of the registry's street table by name (with or without
// diacritics) or by clicking it on the map, instead of drawing its centre line
// by hand: an undergrounding street takes the street's line and name.

import '../styles/everyday.css';
import { api } from '../api/client';
import type { StreetFeature } from '../api/types';
import { t } from '../i18n';
import { h, replace } from './dom';

export interface StreetPickerOptions {
  id: string;
  /** Starts picking on the map: the id of each street clicked goes to `onPick`; returns the way to stop. */
  pickOnMap?(onPick: (id: number) => void): () => void;
  onChoose(street: StreetFeature): void;
}

export interface StreetPicker {
  element: HTMLElement;
  stop(): void;
}

export function streetPicker(options: StreetPickerOptions): StreetPicker {
  let stopPicking: (() => void) | null = null;
  const input = h('input', { id: options.id, type: 'search', class: 'picker-search', autocomplete: 'off', spellcheck: 'false', placeholder: t('picker.streetSearch'), 'data-testid': `${options.id}-search` });
  const results = h('div', { class: 'search-results picker-results', role: 'listbox', hidden: true, 'data-testid': `${options.id}-results` });
  const status = h('p', { class: 'field-hint picker-status', role: 'status', hidden: true }, t('picker.clickStreet'));
  const mapButton = h('button', { type: 'button', class: 'button button-small', 'data-testid': `${options.id}-map`, onclick: () => toggleMap() }, t('picker.onMap'));

  const choose = (street: StreetFeature) => {
    results.hidden = true;
    input.value = street.properties.name;
    if (stopPicking) toggleMap();
    options.onChoose(street);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | null = null;
  const search = async (q: string) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    results.hidden = false;
    replace(results, h('div', { class: 'search-status' }, t('search.searching')));
    try {
      const streets = await api.streets({ q, limit: 8 }, controller.signal);
      if (controller.signal.aborted) return;
      replace(
        results,
        streets.length === 0
          ? h('div', { class: 'search-status' }, t('search.none', { q }))
          : streets.map((street) =>
              h(
                'button',
                { type: 'button', class: 'search-item', role: 'option', onclick: () => choose(street) },
                h('strong', {}, street.properties.name),
                h('span', { class: 'muted' }, street.properties.ward_names.length > 0 ? ` · ${street.properties.ward_names.join(', ')}` : ''),
              ),
            ),
      );
    } catch {
      if (!controller.signal.aborted) replace(results, h('div', { class: 'search-status error' }, t('error.network')));
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
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
    stopPicking = options.pickOnMap((id) => {
      void api.streets({ ids: [id] }).then((found) => {
        const street = found[0];
        if (street) choose(street);
      });
    });
    mapButton.classList.add('active');
    mapButton.textContent = t('picker.stop');
    status.hidden = false;
  };

  const element = h(
    'div',
    { class: 'asset-picker street-picker', 'data-testid': options.id },
    h('div', { class: 'picker-tools' }, h('div', { class: 'search picker-box' }, input, results), options.pickOnMap ? mapButton : null),
    status,
  );
  return {
    element,
    stop: () => {
      if (stopPicking) toggleMap();
    },
  };
}
