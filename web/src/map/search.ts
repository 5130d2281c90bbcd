// Search by asset code (GET /api/v1/{kind}?q=) or ward name
// (GET /api/v1/wards?q=). Choosing a result zooms the map to it.

import { api } from '../api/client';
import type { AssetFeature, WardFeature } from '../api/types';
import { KINDS } from '../domain/kinds';
import { t, valueName } from '../i18n';
import { h, replace } from '../ui/dom';
import { describeError } from '../ui/messages';

export interface SearchActions {
  showWard(ward: WardFeature): void;
  showAsset(asset: AssetFeature): void;
}

const PER_KIND = 4;

export function searchBox(actions: SearchActions): HTMLElement {
  const input = h('input', {
    type: 'search',
    class: 'search-input',
    placeholder: t('search.placeholder'),
    'aria-label': t('search.label'),
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'search',
  });
  const results = h('div', { class: 'search-results', role: 'listbox', hidden: true });
  const root = h('div', { class: 'search' }, input, results);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | null = null;

  const close = () => {
    results.hidden = true;
  };

  const run = async (q: string) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    results.hidden = false;
    replace(results, h('div', { class: 'search-status' }, t('search.searching')));
    try {
      const [wards, ...assetPages] = await Promise.all([
        api.wards(q, controller.signal),
        ...KINDS.map((k) => api.listAssets(k.collection, { q, limit: PER_KIND }, controller.signal)),
      ]);
      if (controller.signal.aborted) return;
      const assets = assetPages.flatMap((page) => page.features);
      const items: HTMLElement[] = [];
      if (wards.length > 0) {
        items.push(h('div', { class: 'search-group' }, t('search.wards')));
        for (const ward of wards) {
          items.push(
            h(
              'button',
              { type: 'button', class: 'search-item', role: 'option', onclick: () => (close(), actions.showWard(ward)) },
              h('strong', {}, ward.properties.name),
              h('span', { class: 'muted' }, ` · ${ward.properties.province_name}`),
            ),
          );
        }
      }
      if (assets.length > 0) {
        items.push(h('div', { class: 'search-group' }, t('search.assets')));
        for (const asset of assets) {
          items.push(
            h(
              'button',
              { type: 'button', class: 'search-item', role: 'option', onclick: () => (close(), actions.showAsset(asset)) },
              h('strong', {}, asset.properties.code),
              h('span', { class: 'muted' }, ` · ${valueName('kind', String(asset.properties.kind ?? ''))} · ${asset.properties.ward_name ?? ''}`),
            ),
          );
        }
      }
      replace(results, items.length > 0 ? items : h('div', { class: 'search-status' }, t('search.none', { q })));
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(results, h('div', { class: 'search-status error' }, describeError(error)));
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) {
      running?.abort();
      close();
      return;
    }
    timer = setTimeout(() => void run(q), 250);
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
    if (event.key === 'Enter') {
      const first = results.querySelector<HTMLButtonElement>('.search-item');
      first?.click();
    }
  });
  document.addEventListener('click', (event) => {
    if (!root.contains(event.target as Node)) close();
  });
  return root;
}
