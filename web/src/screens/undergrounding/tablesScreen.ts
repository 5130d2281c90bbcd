// The tables behind the undergrounding and sharing figures, each sortable by
// any column and downloadable as CSV or XLSX (the same API address with
// `format=csv|xlsx`): flagged street segments, the sharing ratio by ward or by
// operator, and free capacity on towers and in duct banks.
//
// Address: `/ngam-hoa/bang?tab=flags|ratio-ward|ratio-operator|towers|ducts&ward=21031`.

import { tableUrls, undergroundingApi, type CapacityRow, type RatioRow, type SegmentProperties } from '../../api/undergrounding';
import type { App } from '../../app';
import { currentAccess } from '../../domain/access';
import { km, percent } from '../../domain/undergrounding';
import { formatNumber, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { dataTable, type Column } from '../../ui/table';
import { downloadLinks, loginNeeded, sectionTabs, wardPicker } from './common';

type Tab = 'flags' | 'ratio-ward' | 'ratio-operator' | 'towers' | 'ducts';
const TABS: [Tab, MessageKey][] = [
  ['flags', 'ug.tables.flags'],
  ['ratio-ward', 'ug.tables.ratioWard'],
  ['ratio-operator', 'ug.tables.ratioOperator'],
  ['towers', 'ug.tables.towers'],
  ['ducts', 'ug.tables.ducts'],
];

export function tablesScreen(app: App, query: URLSearchParams): Screen {
  return {
    render(root, signal) {
      const { reference } = app;
      pageRoot(root);
      // The public reads the flagged streets of wards that publish them; the sharing tables are for people signed in.
      const offered = TABS.filter(([id]) => id === 'flags' || currentAccess().analysis);
      const tab: Tab = offered.some(([id]) => id === query.get('tab')) ? (query.get('tab') as Tab) : 'flags';
      const ward = query.get('ward');
      const address = (next: { tab?: Tab; ward?: string | null }) => {
        const params = new URLSearchParams({ tab: next.tab ?? tab });
        const w = next.ward === undefined ? ward : next.ward;
        if (w) params.set('ward', w);
        return `/ngam-hoa/bang?${params}`;
      };
      const withWard = tab === 'flags' || tab === 'towers' || tab === 'ducts';
      const tools = h('div', { class: 'table-tools' });
      if (withWard) tools.append(wardPicker(reference, ward, (code) => app.go(address({ ward: code })), { withAll: true, id: 'table-ward', readable: tab === 'flags' }));
      const body = asyncSection({
        signal,
        class: 'table-body',
        load: async (signal): Promise<{ table: HTMLElement; csv: string; xlsx: string }> => {
          if (tab === 'flags') {
            const features = (await undergroundingApi.flags(ward, signal)).features;
            return { table: h('div', {}, flagsTable(app, features.map((f) => f.properties)), h('p', { class: 'muted small', 'data-testid': 'segments-definition' }, t('ug.segments.definition'))), csv: tableUrls.flags(ward, 'csv'), xlsx: tableUrls.flags(ward, 'xlsx') };
          }
          if (tab === 'ratio-ward' || tab === 'ratio-operator') {
            const by = tab === 'ratio-ward' ? 'ward' : 'operator';
            return { table: ratioTable(app, by, await undergroundingApi.ratio(by, signal)), csv: tableUrls.ratio(by, 'csv'), xlsx: tableUrls.ratio(by, 'xlsx') };
          }
          return { table: capacityTable(app, tab, await undergroundingApi.capacity(tab, ward, signal)), csv: tableUrls.capacity(tab, ward, 'csv'), xlsx: tableUrls.capacity(tab, ward, 'xlsx') };
        },
        render: ({ table, csv, xlsx }) => {
          tools.querySelector('.downloads')?.remove();
          tools.append(downloadLinks(csv, xlsx));
          return table;
        },
        error: loginNeeded(),
      });
      const shell = pageShell({
        width: 'wide',
        testId: 'tables',
        above: sectionTabs('tables', ward),
        eyebrow: t('ug.dashboard.eyebrow'),
        title: t('ug.tables.title'),
        below: h(
          'nav',
          { class: 'segmented table-switch', 'aria-label': t('ug.tables.title') },
          offered.map(([id, label]) => h('a', { href: address({ tab: id }), class: id === tab ? 'active' : '', 'aria-current': id === tab ? 'page' : null, 'data-testid': `table-tab-${id}` }, t(label))),
        ),
      });
      append(shell.body, tools, body.element);
      replace(root, shell.element);
      return body.load();
    },
  };
}

function flagsTable(app: App, rows: SegmentProperties[]): HTMLElement {
  const { reference } = app;
  const all: Column<SegmentProperties>[] = [
    { key: 'segment_name', label: t('ug.table.segment'), sortValue: (r) => r.segment_name },
    { key: 'area_name', label: t('ug.table.area'), sortValue: (r) => r.area_name, cell: (r) => (r.area_type === 'zone' ? `${r.area_name} (${t('ug.areas.zone')})` : r.area_name) },
    { key: 'ward_name', label: t('filter.ward'), sortValue: (r) => r.ward_name },
    { key: 'target_year', label: t('ug.table.targetYear'), numeric: true, sortValue: (r) => r.target_year, cell: (r) => String(r.target_year) },
    { key: 'overhead_km', label: t('ug.table.overheadKm'), numeric: true, sortValue: (r) => r.overhead_km, cell: (r) => km(r.overhead_km) },
    { key: 'cable_count', label: t('ug.table.cables'), numeric: true, sortValue: (r) => r.cable_count, cell: (r) => formatNumber(r.cable_count) },
    { key: 'debt_km', label: t('ug.table.debtKm'), numeric: true, sortValue: (r) => r.debt_km, cell: (r) => km(r.debt_km) },
    {
      key: 'by_operator',
      label: t('ug.table.byOperator'),
      sortValue: (r) => Object.keys(r.by_operator).length,
      cell: (r) =>
        h(
          'span',
          { class: 'operator-chips' },
          Object.entries(r.by_operator)
            .sort((a, b) => b[1] - a[1])
            .map(([code, value]) => h('span', { class: 'chip' }, h('span', { class: 'swatch', style: `background:${reference.operatorColour(code)}` }), `${reference.operatorLabel(code)} ${km(value)}`)),
        ),
    },
    { key: 'source_doc', label: t('ug.table.source'), sortValue: (r) => r.source_doc, cell: (r) => h('span', { class: 'source-doc' }, r.source_doc) },
  ];
  // The public sees the progress, not who owns the cable.
  const columns = all.filter((column) => column.key !== 'by_operator' || currentAccess().owners_in_figures);
  return dataTable({ columns, rows, testId: 'table-flags', empty: t('ug.tables.empty'), initialSort: { key: 'overhead_km', ascending: false } }).element;
}

function ratioTable(app: App, by: 'ward' | 'operator', rows: RatioRow[]): HTMLElement {
  const { reference } = app;
  const columns: Column<RatioRow>[] = [
    {
      key: 'name',
      label: by === 'ward' ? t('filter.ward') : t('filter.operator'),
      sortValue: (r) => r.name,
      cell: (r) =>
        by === 'operator' && r.code
          ? h('span', {}, h('span', { class: 'swatch', style: `background:${reference.operatorColour(r.code)}` }), r.name)
          : r.code
            ? h('a', { href: `/ngam-hoa?ward=${r.code}` }, r.name)
            : r.name,
    },
    { key: 'towers', label: t('ug.table.towers'), numeric: true, sortValue: (r) => r.towers, cell: (r) => formatNumber(r.towers) },
    { key: 'shared_towers', label: t('ug.table.sharedTowers'), numeric: true, sortValue: (r) => r.shared_towers, cell: (r) => formatNumber(r.shared_towers) },
    { key: 'poles', label: t('ug.table.poles'), numeric: true, sortValue: (r) => r.poles, cell: (r) => formatNumber(r.poles) },
    { key: 'shared_poles', label: t('ug.table.sharedPoles'), numeric: true, sortValue: (r) => r.shared_poles, cell: (r) => formatNumber(r.shared_poles) },
    {
      key: 'ratio',
      label: t('ug.table.ratio'),
      numeric: true,
      sortValue: (r) => r.ratio,
      cell: (r) => h('span', { class: 'ratio-cell' }, h('span', { class: 'ratio-bar' }, h('span', { style: `width:${(r.ratio * 100).toFixed(1)}%` })), percent(r.ratio)),
    },
  ];
  return dataTable({ columns, rows, testId: `table-ratio-${by}`, empty: t('ug.tables.empty'), initialSort: { key: 'ratio', ascending: false } }).element;
}

function capacityTable(app: App, kind: 'towers' | 'ducts', rows: CapacityRow[]): HTMLElement {
  const { reference } = app;
  const columns: Column<CapacityRow>[] = [
    { key: 'code', label: t('ug.table.code'), sortValue: (r) => r.code, cell: (r) => h('a', { href: `/assets/${r.id}` }, r.code) },
    { key: 'operator', label: t('filter.operator'), sortValue: (r) => reference.operatorLabel(r.operator), cell: (r) => h('span', {}, h('span', { class: 'swatch', style: `background:${reference.operatorColour(r.operator)}` }), reference.operatorLabel(r.operator)) },
    { key: 'ward_name', label: t('filter.ward'), sortValue: (r) => r.ward_name },
    { key: 'capacity', label: kind === 'towers' ? t('ug.table.slots') : t('ug.table.pipes'), numeric: true, sortValue: (r) => r.capacity, cell: (r) => (r.capacity === null ? t('common.empty') : formatNumber(r.capacity)) },
    {
      key: 'free',
      label: t('ug.table.free'),
      numeric: true,
      sortValue: (r) => r.free,
      cell: (r) => (r.free === null ? t('common.empty') : h('span', { class: r.free > 0 ? 'pipes-free' : 'pipes-full' }, formatNumber(r.free))),
    },
    { key: 'tenant_count', label: t('ug.table.tenants'), numeric: true, sortValue: (r) => r.tenant_count, cell: (r) => (r.tenant_count === null ? t('common.empty') : formatNumber(r.tenant_count)) },
  ];
  return dataTable({ columns, rows, testId: `table-${kind}`, empty: t('ug.tables.empty'), initialSort: { key: 'free', ascending: false } }).element;
}
