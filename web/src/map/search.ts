// Search by asset code or name (GET /api/v1/{kind}?q=), ward name
// (GET /api/v1/wards?q=) and street name (GET /api/v1/streets?q=). It asks
// only for the kinds the person may list, and each question stands alone: one
// that fails is named under the results of the others. Choosing a result
// zooms the map to it.

import { api } from '../api/client';
import type { AssetFeature, StreetFeature, WardFeature } from '../api/types';
import { readableKinds } from '../domain/access';
import { t, valueName } from '../i18n';
import { h, replace } from '../ui/dom';
import { describeError } from '../ui/messages';

export interface SearchActions {
  showWard(ward: WardFeature): void;
  showAsset(asset: AssetFeature): void;
  showStreet(street: StreetFeature): void;
}

const PER_KIND = 4;
const STREETS = 5;

/** One question of a search: what it asks, and how its answers are listed. */
interface Question<T> {
  label: string;
  ask(q: string, signal: AbortSignal): Promise<T[]>;
  item(result: T, choose: () => void): HTMLElement;
  choose(result: T): void;
}

function option(onclick: () => void, title: string, detail: string): HTMLElement {
  return h('button', { type: 'button', class: 'search-item', role: 'option', onclick }, h('strong', {}, title), h('span', { class: 'muted' }, detail));
}

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
  const results = h('div', { class: 'search-results', role: 'listbox', hidden: true, 'data-testid': 'search-results' });
  const root = h('div', { class: 'search' }, input, results);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: AbortController | null = null;

  const close = () => {
    results.hidden = true;
  };

  const wards: Question<WardFeature> = {
    label: t('search.wards'),
    ask: (q, signal) => api.wards(q, signal),
    item: (ward, choose) => option(choose, ward.properties.name, ` · ${ward.properties.province_name}`),
    choose: (ward) => actions.showWard(ward),
  };
  const streets: Question<StreetFeature> = {
    label: t('search.streets'),
    ask: (q, signal) => api.streets({ q, limit: STREETS }, signal),
    item: (street, choose) => option(choose, street.properties.name, street.properties.ward_names.length > 0 ? ` · ${street.properties.ward_names.join(', ')}` : ''),
    choose: (street) => actions.showStreet(street),
  };
  const assets: Question<AssetFeature>[] = readableKinds().map((kind) => ({
    label: t(`kind.${kind.collection}`),
    ask: async (q, signal) => (await api.listAssets(kind.collection, { q, limit: PER_KIND }, signal)).features,
    item: (asset, choose) => {
      const p = asset.properties;
      const name = typeof p.name === 'string' && p.name ? ` ${p.name}` : '';
      return option(choose, String(p.code), `${name} · ${valueName('kind', String(p.kind ?? ''))}${p.ward_name ? ` · ${p.ward_name}` : ''}`);
    },
    choose: (asset) => actions.showAsset(asset),
  }));

  const run = async (q: string) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    results.hidden = false;
    replace(results, h('div', { class: 'search-status' }, t('search.searching')));
    const questions = [wards, streets, ...assets] as Question<unknown>[];
    const answers = await Promise.allSettled(questions.map((question) => question.ask(q, controller.signal)));
    if (controller.signal.aborted) return;
    const items: HTMLElement[] = [];
    const failed: string[] = [];
    let assetsHeading = false;
    answers.forEach((answer, index) => {
      const question = questions[index]!;
      if (answer.status === 'rejected') {
        failed.push(`${question.label}: ${describeError(answer.reason)}`);
        return;
      }
      if (answer.value.length === 0) return;
      const isAsset = index >= 2;
      if (!isAsset) items.push(h('div', { class: 'search-group' }, question.label));
      else if (!assetsHeading) {
        assetsHeading = true;
        items.push(h('div', { class: 'search-group' }, t('search.assets')));
      }
      for (const result of answer.value) items.push(question.item(result, () => (close(), question.choose(result))));
    });
    if (items.length === 0 && failed.length === 0) items.push(h('div', { class: 'search-status' }, t('search.none', { q })));
    if (failed.length > 0) {
      items.push(h('div', { class: 'search-status search-partial', role: 'status', 'data-testid': 'search-partial' }, t('search.partial'), h('ul', {}, failed.map((f) => h('li', {}, f)))));
    }
    replace(results, items);
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
