// The registry: one table per kind of asset, filtered like the map and, by
// default, limited to what the map shows (the list follows as the map moves).
// Pages come from the API by keyset (`next` link); the headings sort the rows
// already loaded.
//
// Address: `/registry/{collection}`, e.g. /registry/poles.

import { api } from '../api/client';
import type { App } from '../app';
import type { AssetFeature, AssetPage, Collection } from '../api/types';
import { filterQuery, filters, onFiltersChange } from '../domain/filters';
import { readableKinds } from '../domain/access';
import { KINDS, kindInfo, type KindInfo } from '../domain/kinds';
import { fieldName, formatDate, formatNumber, t, valueName } from '../i18n';
import { filterPanel } from '../map/filterPanel';
import { transferTools } from './exportMenu';
import type { Screen } from '../router';
import { h, loading, replace } from '../ui/dom';
import { errorBox } from '../ui/messages';

const PAGE_SIZE = 200;
const COMMON_COLUMNS = ['code', 'operator', 'status', 'ward_name', 'tenant_count'];
const TRAILING_COLUMNS = ['updated_at'];

let inExtent = true;

export function registryScreen(app: App, collection: string): Screen {
  // A kind the person may not list (the public: all but towers) opens the first one they may.
  const readable = readableKinds();
  const asked = kindInfo(collection);
  const kind: KindInfo = asked && readable.includes(asked) ? asked : (readable[0] ?? (KINDS[0] as KindInfo));
  const cleanups: (() => void)[] = [];
  let rows: AssetFeature[] = [];
  let next: string | null = null;
  let sort: { column: string; ascending: boolean } | null = null;
  let q = '';
  let running: AbortController | null = null;
  let moveTimer: ReturnType<typeof setTimeout> | undefined;

  return {
    render(root) {
      const { view, reference } = app;
      if (kind.collection !== collection) history.replaceState(history.state, '', `/registry/${kind.collection}`);
      root.className = 'screen screen-registry';
      const mapArea = h('div', { class: 'registry-map' });
      const tableArea = h('div', { class: 'registry-table', 'aria-live': 'polite' });
      const status = h('div', { class: 'registry-status', 'data-testid': 'registry-status' });
      const filtersArea = h('div', { class: 'registry-filters' });

      const tabs = h(
        'nav',
        { class: 'tabs', 'aria-label': t('filter.kind') },
        readable.map((k) =>
          h('a', { href: `/registry/${k.collection}`, class: k.collection === kind.collection ? 'tab active' : 'tab', 'aria-current': k.collection === kind.collection ? 'page' : null }, t(`kind.${k.collection}`)),
        ),
      );
      const search = h('input', {
        type: 'search',
        class: 'registry-search',
        placeholder: t('registry.search'),
        'aria-label': t('registry.search'),
        value: q,
        'data-testid': 'registry-search',
      });
      let searchTimer: ReturnType<typeof setTimeout> | undefined;
      search.addEventListener('input', () => {
        clearTimeout(searchTimer);
        searchTimer = setTimeout(() => {
          q = search.value.trim();
          void load();
        }, 300);
      });
      const extentBox = h('input', {
        type: 'checkbox',
        checked: inExtent,
        'data-testid': 'registry-in-extent',
        onchange: (event: Event) => {
          inExtent = (event.target as HTMLInputElement).checked;
          void load();
        },
      });

      replace(
        root,
        h(
          'div',
          { class: 'registry-head' },
          h('h1', { class: 'page-title' }, t('registry.title', { kind: t(`kind.${kind.collection}`) })),
          tabs,
        ),
        h('div', { class: 'registry-body' }, mapArea, h('div', { class: 'registry-list' }, h('div', { class: 'registry-tools' }, search, h('label', { class: 'check' }, extentBox, t('registry.inExtent')), transferTools(app, kind.collection, () => ({ ...filterQuery(filters()), q: q || undefined, bbox: inExtent ? view.extent() : undefined }))), filtersArea, status, tableArea)),
      );
      view.mountIn(mapArea);
      view.showOnly(kind.collection);
      cleanups.push(() => view.showOnly(null));

      const renderFilters = () => replace(filtersArea, filterPanel(reference, { withKind: false, onWard: (w) => w.properties.bbox && view.zoomTo(w.properties.bbox, 17) }));
      renderFilters();

      const columns = [...COMMON_COLUMNS, ...kind.columns, ...TRAILING_COLUMNS];

      const cell = (feature: AssetFeature, column: string): HTMLElement => {
        const p = feature.properties as Record<string, unknown>;
        const value = p[column];
        if (column === 'code') {
          return h('td', {}, h('a', { href: `/assets/${feature.id}`, 'data-testid': 'registry-code' }, String(value ?? feature.id)));
        }
        if (column === 'operator') {
          const code = String(value ?? '');
          return h('td', {}, h('span', { class: 'swatch', style: `background:${reference.operatorColour(code)}` }), reference.operatorLabel(code));
        }
        if (column === 'status') return h('td', {}, h('span', { class: `badge status-${String(value)}` }, valueName('status', String(value ?? ''))));
        if (column === 'updated_at') return h('td', { class: 'nowrap' }, formatDate(value as string));
        if (typeof value === 'number') return h('td', { class: 'number' }, formatNumber(value));
        if (typeof value === 'boolean') return h('td', {}, value ? t('common.yes') : t('common.no'));
        if (value === null || value === undefined || value === '') return h('td', { class: 'muted' }, t('common.empty'));
        return h('td', {}, valueName(column, String(value)));
      };

      const sortValue = (feature: AssetFeature, column: string): string | number => {
        const value = (feature.properties as Record<string, unknown>)[column];
        if (typeof value === 'number') return value;
        if (column === 'operator') return reference.operatorLabel(String(value ?? ''));
        if (column === 'status' || kind.columns.includes(column)) return valueName(column, String(value ?? ''));
        return String(value ?? '');
      };

      const renderTable = () => {
        if (rows.length === 0) {
          replace(tableArea, h('p', { class: 'empty' }, t('registry.empty')));
          return;
        }
        const sorted = [...rows];
        if (sort) {
          const { column, ascending } = sort;
          const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });
          sorted.sort((a, b) => {
            const x = sortValue(a, column);
            const y = sortValue(b, column);
            const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
            return ascending ? order : -order;
          });
        }
        const head = h(
          'tr',
          {},
          columns.map((column) => {
            const active = sort?.column === column;
            return h(
              'th',
              { scope: 'col', 'aria-sort': active ? (sort?.ascending ? 'ascending' : 'descending') : 'none' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'sort',
                  'data-testid': `sort-${column}`,
                  onclick: () => {
                    sort = active && sort?.ascending ? { column, ascending: false } : { column, ascending: true };
                    renderTable();
                  },
                },
                fieldName(column),
                h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort?.ascending ? '▲' : '▼') : ''),
              ),
            );
          }),
        );
        const body = sorted.map((feature) =>
          h(
            'tr',
            {
              'data-id': feature.id,
              onmouseenter: () => view.highlight(feature.geometry),
              onmouseleave: () => view.highlight(null),
            },
            columns.map((column) => cell(feature, column)),
          ),
        );
        replace(
          tableArea,
          h('table', { class: 'data-table', 'data-testid': 'registry-table' }, h('thead', {}, head), h('tbody', {}, body)),
          next
            ? h('button', { type: 'button', class: 'button load-more', 'data-testid': 'registry-more', onclick: () => void loadMore() }, t('registry.loadMore'))
            : null,
        );
      };

      const renderStatus = () => {
        replace(
          status,
          h('span', {}, next ? t('registry.loadedMore', { count: rows.length }) : t('registry.loaded', { count: rows.length })),
          h('span', { class: 'muted' }, ` · ${t('registry.sortHint')}`),
        );
      };

      const fetchPage = async (page: () => Promise<AssetPage>, append: boolean) => {
        running?.abort();
        const controller = new AbortController();
        running = controller;
        if (!append) replace(tableArea, loading(t('app.loading')));
        try {
          const result = await page();
          if (controller.signal.aborted) return;
          rows = append ? [...rows, ...result.features] : result.features;
          next = result.links.find((l) => l.rel === 'next')?.href ?? null;
          renderStatus();
          renderTable();
        } catch (error) {
          if (controller.signal.aborted) return;
          replace(tableArea, errorBox(error, () => void load()));
        }
      };

      const load = () =>
        fetchPage(
          () =>
            api.listAssets(
              kind.collection as Collection,
              { ...filterQuery(filters()), q: q || undefined, bbox: inExtent ? view.extent() : undefined, limit: PAGE_SIZE },
              running?.signal,
            ),
          false,
        );
      const loadMore = () => {
        const href = next;
        if (href) void fetchPage(() => api.nextPage(href, running?.signal), true);
      };

      const onMove = () => {
        if (!inExtent) return;
        clearTimeout(moveTimer);
        moveTimer = setTimeout(() => void load(), 350);
      };
      view.map.on('moveend', onMove);
      cleanups.push(() => view.map.off('moveend', onMove));
      cleanups.push(
        onFiltersChange(() => {
          renderFilters();
          void load();
        }),
      );
      void view.ready.then(() => load());
    },
    leave() {
      running?.abort();
      clearTimeout(moveTimer);
      app.view.highlight(null);
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
