// A table whose headings sort its rows (click again to reverse), for the
// undergrounding and sharing tables. Rows are plain data; each column says
// how to show a cell and what value to sort by.

import { locale } from '../i18n';
import { h, replace } from './dom';

export interface Column<Row> {
  key: string;
  label: string;
  /** The value rows are sorted by (numbers sort as numbers, text by the language's collation). */
  sortValue(row: Row): number | string | null;
  /** What the cell shows; by default the sort value as text. */
  cell?(row: Row): Node | string;
  numeric?: boolean;
}

export interface SortableTable<Row> {
  element: HTMLElement;
  setRows(rows: Row[]): void;
}

export function sortableTable<Row>(options: {
  columns: Column<Row>[];
  rows: Row[];
  testId: string;
  /** Shown when there are no rows. */
  empty: string;
  initialSort?: { key: string; ascending: boolean };
  caption?: string;
}): SortableTable<Row> {
  let rows = options.rows;
  let sort = options.initialSort ?? null;
  const element = h('div', { class: 'table-scroll' });
  const collator = new Intl.Collator(locale(), { numeric: true });

  const sorted = (): Row[] => {
    if (!sort) return rows;
    const column = options.columns.find((c) => c.key === sort?.key);
    if (!column) return rows;
    const direction = sort.ascending ? 1 : -1;
    return [...rows].sort((a, b) => {
      const x = column.sortValue(a);
      const y = column.sortValue(b);
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * direction;
      return collator.compare(String(x), String(y)) * direction;
    });
  };

  const render = () => {
    const head = h(
      'tr',
      {},
      options.columns.map((column) => {
        const active = sort?.key === column.key;
        return h(
          'th',
          { 'aria-sort': active ? (sort?.ascending ? 'ascending' : 'descending') : 'none', class: column.numeric ? 'number' : null },
          h(
            'button',
            {
              type: 'button',
              class: 'sort',
              'data-testid': `sort-${column.key}`,
              onclick: () => {
                // Numbers start with the largest, text from A.
                sort = active ? { key: column.key, ascending: !sort?.ascending } : { key: column.key, ascending: !column.numeric };
                render();
              },
            },
            column.label,
            active ? h('span', { class: 'sort-mark', 'aria-hidden': 'true' }, sort?.ascending ? '▲' : '▼') : null,
          ),
        );
      }),
    );
    const body =
      rows.length === 0
        ? h('tr', {}, h('td', { colspan: options.columns.length, class: 'empty' }, options.empty))
        : sorted().map((row) =>
            h(
              'tr',
              {},
              options.columns.map((column) => {
                const content = column.cell ? column.cell(row) : String(column.sortValue(row) ?? '');
                return h('td', { class: column.numeric ? 'number' : null }, content);
              }),
            ),
          );
    replace(
      element,
      h(
        'table',
        { class: 'data-table', 'data-testid': options.testId },
        options.caption ? h('caption', { class: 'visually-hidden' }, options.caption) : null,
        h('thead', {}, head),
        h('tbody', {}, body),
      ),
    );
  };
  render();
  return {
    element,
    setRows(next) {
      rows = next;
      render();
    },
  };
}
