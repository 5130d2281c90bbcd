// The one table of the app. Rows are plain data; each column says how to
// show a cell and, if the table may be sorted by it, the value to sort by
// (click a heading to sort, again to reverse). Optionally a search box that
// filters the rows, and pages of a fixed size.
//
// On a phone the table reflows into cards: each row a card, each cell a line
// with its column's name (styles.css, `.data-table.reflow`). A table whose
// columns must stay side by side (a calendar, a comparison) scrolls sideways
// inside its own box instead (`layout: 'scroll'`), never the page.

import { locale, t } from '../i18n';
import { h, replace } from './dom';

type Cell = Node | string | null | (Node | string | null)[];
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export interface Column<Row> {
  key: string;
  /** The heading (and on a phone, the label in front of the value). */
  label: string;
  /** The value rows are sorted by (numbers as numbers, text by the language's collation); absent for a column that does not sort. */
  sortValue?(row: Row): number | string | null;
  /** What the cell shows; by default the sort value as text. */
  cell?(row: Row): Cell;
  numeric?: boolean;
  /** No wrapping (dates, codes). */
  nowrap?: boolean;
  /**
   * On a phone: `title` makes the cell the card's heading (no label), `hide` leaves it out
   * (details the card has elsewhere), `actions` puts it at the card's foot.
   */
  phone?: 'title' | 'hide' | 'actions';
  /** The cell names its row (`<th scope="row">`), as a ward's name heads the ward's figures. */
  rowHeader?: boolean;
  /** Extra classes for the heading and the cells. */
  class?: string;
}

export interface TableOptions<Row> {
  columns: Column<Row>[];
  rows: Row[];
  /** The table element's test id. */
  testId: string;
  /** Shown when there are no rows (or none match the search). */
  empty: string;
  initialSort?: { key: string; ascending: boolean };
  /** Told when a heading is clicked, so that a screen can keep the order across reloads. */
  onSort?(sort: { key: string; ascending: boolean }): void;
  caption?: string;
  /** Attributes of a row's `<tr>` (a test id, data-* for tests, a class, a click handler). */
  rowAttributes?(row: Row): Attributes;
  /** A search box over the rows: the text of a row that the search matches. */
  search?: { text(row: Row): string; placeholder: string; testId?: string };
  /** Rows per page; all rows at once when absent. */
  pageSize?: number;
  /** More attributes of the `<table>` (data-* that tests or styles read). */
  tableAttributes?: Attributes;
  /** A last row under the rows (totals), a cell per column. */
  footer?(rows: Row[]): Cell[];
  /** `cards` (default): rows become cards on a phone; `scroll`: the table scrolls sideways in its box. */
  layout?: 'cards' | 'scroll';
  class?: string;
}

export interface DataTable<Row> {
  element: HTMLElement;
  setRows(rows: Row[]): void;
  /** The rows as shown now (sorted and filtered). */
  visibleRows(): Row[];
}

/** Folds case and Vietnamese diacritics, so that "cho lon" finds "Chợ Lớn". */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

export function dataTable<Row>(options: TableOptions<Row>): DataTable<Row> {
  let rows = options.rows;
  let sort = options.initialSort ?? null;
  let query = '';
  let page = 0;
  const collator = new Intl.Collator(locale(), { numeric: true });
  const layout = options.layout ?? 'cards';
  const tableArea = h('div', { class: layout === 'scroll' ? 'table-scroll' : 'table-frame' });
  const pager = h('nav', { class: 'table-pager', 'aria-label': t('table.pages'), hidden: true });
  const searchBox = options.search
    ? h('input', {
        type: 'search',
        class: 'table-search',
        placeholder: options.search.placeholder,
        'aria-label': options.search.placeholder,
        'data-testid': options.search.testId ?? `${options.testId}-search`,
        oninput: (event: Event) => {
          query = searchKey((event.target as HTMLInputElement).value.trim());
          page = 0;
          render();
        },
      })
    : null;
  const element = h('div', { class: `data-table-box${options.class ? ` ${options.class}` : ''}` }, searchBox ? h('div', { class: 'table-tools' }, searchBox) : null, tableArea, pager);

  const filtered = (): Row[] => {
    const search = options.search;
    if (!search || !query) return rows;
    return rows.filter((row) => searchKey(search.text(row)).includes(query));
  };

  const sorted = (list: Row[]): Row[] => {
    const column = sort ? options.columns.find((c) => c.key === sort?.key) : undefined;
    const value = column?.sortValue;
    if (!sort || !value) return list;
    const direction = sort.ascending ? 1 : -1;
    return [...list].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * direction;
      return collator.compare(String(x), String(y)) * direction;
    });
  };

  const classes = (column: Column<Row>): string | null =>
    [column.numeric ? 'number' : '', column.nowrap ? 'nowrap' : '', column.phone ? `phone-${column.phone}` : '', column.class ?? ''].filter(Boolean).join(' ') || null;

  let shown: Row[] = [];

  const render = () => {
    const all = sorted(filtered());
    const pages = options.pageSize ? Math.max(1, Math.ceil(all.length / options.pageSize)) : 1;
    page = Math.min(page, pages - 1);
    shown = options.pageSize ? all.slice(page * options.pageSize, (page + 1) * options.pageSize) : all;

    const head = h(
      'tr',
      {},
      options.columns.map((column) => {
        const active = sort?.key === column.key;
        const label = column.sortValue
          ? h(
              'button',
              {
                type: 'button',
                class: 'sort',
                'data-testid': `sort-${column.key}`,
                onclick: () => {
                  // Numbers start with the largest, text from A.
                  sort = active ? { key: column.key, ascending: !sort?.ascending } : { key: column.key, ascending: !column.numeric };
                  options.onSort?.(sort);
                  render();
                },
              },
              column.label,
              h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (sort?.ascending ? '▲' : '▼') : ''),
            )
          : column.label;
        return h('th', { scope: 'col', 'aria-sort': column.sortValue ? (active ? (sort?.ascending ? 'ascending' : 'descending') : 'none') : null, class: classes(column) }, label);
      }),
    );
    const body =
      shown.length === 0
        ? h('tr', { class: 'empty-row' }, h('td', { colspan: options.columns.length, class: 'empty' }, options.empty))
        : shown.map((row) =>
            h(
              'tr',
              options.rowAttributes?.(row) ?? {},
              options.columns.map((column) => {
                // One box per cell, so that a card on a phone lays out the label and the value as two.
                const content = h('div', { class: 'cell' }, column.cell ? column.cell(row) : String(column.sortValue?.(row) ?? ''));
                const label = column.phone === 'title' || column.phone === 'actions' ? null : column.label;
                return column.rowHeader
                  ? h('th', { scope: 'row', class: classes(column), 'data-label': label }, content)
                  : h('td', { class: classes(column), 'data-label': label }, content);
              }),
            ),
          );
    replace(
      tableArea,
      h(
        'table',
        { ...options.tableAttributes, class: `data-table${layout === 'cards' ? ' reflow' : ''}`, 'data-testid': options.testId },
        options.caption ? h('caption', { class: 'visually-hidden' }, options.caption) : null,
        h('thead', {}, head),
        h('tbody', {}, body),
        options.footer
          ? h(
              'tfoot',
              {},
              h(
                'tr',
                {},
                options.footer(all).map((content, i) => {
                  const column = options.columns[i];
                  return h('td', { class: column ? classes(column) : null, 'data-label': column && column.phone !== 'title' ? column.label : null }, content);
                }),
              ),
            )
          : null,
      ),
    );

    pager.hidden = pages <= 1;
    if (pages > 1) {
      const go = (to: number) => () => {
        page = to;
        render();
      };
      replace(
        pager,
        h('button', { type: 'button', class: 'button button-small', disabled: page === 0, onclick: go(page - 1), 'data-testid': `${options.testId}-prev` }, t('table.previous')),
        h('span', { class: 'muted small' }, t('table.page', { page: page + 1, pages, count: all.length })),
        h('button', { type: 'button', class: 'button button-small', disabled: page >= pages - 1, onclick: go(page + 1), 'data-testid': `${options.testId}-next` }, t('table.next')),
      );
    }
  };
  render();
  return {
    element,
    setRows(next) {
      rows = next;
      render();
    },
    visibleRows: () => shown,
  };
}
