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
import { asyncSection } from '../ui/async';
import { append, h, loading, replace } from '../ui/dom';
import { errorBox } from '../ui/messages';
import { dataTable, type Column } from '../ui/table';

/** The address of a list's next page, if there is one. */
function nextOf(page: AssetPage): string | null {
  return page.links.find((l) => l.rel === 'next')?.href ?? null;
}

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
  let sort: { key: string; ascending: boolean } | null = null;
  let q = '';
  let moveTimer: ReturnType<typeof setTimeout> | undefined;

  return {
    render(root, signal) {
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

      const cell = (feature: AssetFeature, column: string): Node | string | (Node | string)[] => {
        const p = feature.properties as Record<string, unknown>;
        const value = p[column];
        if (column === 'code') return h('a', { href: `/assets/${feature.id}`, 'data-testid': 'registry-code' }, String(value ?? feature.id));
        if (column === 'operator') {
          const code = String(value ?? '');
          return [h('span', { class: 'swatch', style: `background:${reference.operatorColour(code)}` }), reference.operatorLabel(code)];
        }
        if (column === 'status') return h('span', { class: `badge status-${String(value)}` }, valueName('status', String(value ?? '')));
        if (column === 'updated_at') return formatDate(value as string);
        if (typeof value === 'number') return formatNumber(value);
        if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
        if (value === null || value === undefined || value === '') return h('span', { class: 'muted' }, t('common.empty'));
        return valueName(column, String(value));
      };

      const sortValue = (feature: AssetFeature, column: string): string | number => {
        const value = (feature.properties as Record<string, unknown>)[column];
        if (typeof value === 'number') return value;
        if (column === 'operator') return reference.operatorLabel(String(value ?? ''));
        if (column === 'status' || kind.columns.includes(column)) return valueName(column, String(value ?? ''));
        return String(value ?? '');
      };

      const tableColumns: Column<AssetFeature>[] = columns.map((column) => ({
        key: column,
        label: fieldName(column),
        phone: column === 'code' ? 'title' : undefined,
        nowrap: column === 'updated_at',
        numeric: kind.columns.includes(column) && column.endsWith('_m'),
        sortValue: (feature) => sortValue(feature, column),
        cell: (feature) => cell(feature, column),
      }));

      // The first page through the section (a new search or extent aborts the one before);
      // "more" appends the next page (keyset) and draws again.
      const list = asyncSection<{ rows: AssetFeature[]; next: string | null }>({
        signal,
        load: async (signal) => {
          const page = await api.listAssets(
            kind.collection as Collection,
            { ...filterQuery(filters()), q: q || undefined, bbox: inExtent ? view.extent() : undefined, limit: PAGE_SIZE },
            signal,
          );
          return { rows: page.features, next: nextOf(page) };
        },
        render: ({ rows, next }, section) => {
          replace(
            status,
            h('span', {}, next ? t('registry.loadedMore', { count: rows.length }) : t('registry.loaded', { count: rows.length })),
            h('span', { class: 'muted' }, ` · ${t('registry.sortHint')}`),
          );
          if (rows.length === 0) return h('p', { class: 'empty' }, t('registry.empty'));
          const more = h('div', { class: 'load-more-row' });
          const loadMore = async (href: string) => {
            replace(more, loading(t('app.loading')));
            try {
              const page = await api.nextPage(href, signal);
              section.show({ rows: [...rows, ...page.features], next: nextOf(page) });
            } catch (error) {
              if (!signal.aborted) replace(more, errorBox(error, () => void loadMore(href)));
            }
          };
          if (next) replace(more, h('button', { type: 'button', class: 'button load-more', 'data-testid': 'registry-more', onclick: () => void loadMore(next) }, t('registry.loadMore')));
          return [
            dataTable<AssetFeature>({
              testId: 'registry-table',
              empty: t('registry.empty'),
              rows,
              columns: tableColumns,
              initialSort: sort ?? undefined,
              onSort: (chosen) => (sort = chosen),
              rowAttributes: (feature) => ({
                'data-id': feature.id,
                onmouseenter: () => view.highlight(feature.geometry),
                onmouseleave: () => view.highlight(null),
              }),
            }).element,
            more,
          ];
        },
      });
      append(tableArea, list.element);
      const load = () => list.load();

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
      clearTimeout(moveTimer);
      app.view.highlight(null);
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
