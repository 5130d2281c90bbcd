// The filter controls (operator, status, kind, shared, ward), and the ward
// picker that zooms the map to a ward. The same filters drive the registry.

import type { Collection, WardFeature } from '../api/types';
import { filters, isFiltered, NO_FILTERS, setFilters } from '../domain/filters';
import { currentAccess, readableKinds } from '../domain/access';
import { STATUSES } from '../domain/kinds';
import type { Reference } from '../domain/reference';
import { t, valueName } from '../i18n';
import { h } from '../ui/dom';

function select(
  label: string,
  testId: string,
  options: [string, string][],
  value: string,
  onChange: (value: string) => void,
): HTMLElement {
  const element = h(
    'select',
    { 'data-testid': testId, onchange: (event: Event) => onChange((event.target as HTMLSelectElement).value) },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)),
  );
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), element);
}

export interface FilterPanelOptions {
  /** Show the kind selector (the map does; a registry table is one kind already). */
  withKind: boolean;
  /** Called when a ward is chosen in the filter, to zoom to it. */
  onWard?: (ward: WardFeature) => void;
  /** Map-only note on clusters. */
  clusterNote?: boolean;
}

export function filterPanel(reference: Reference, options: FilterPanelOptions): HTMLElement {
  const f = filters();
  // A ward without a GSO code (a new 2025 ward) cannot be filtered on.
  const wards = reference.wards.filter((w) => w.properties.gso_code).sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'vi'));

  const statusBoxes = h(
    'div',
    { class: 'checks' },
    STATUSES.filter((s) => s !== 'decommissioned').map((status) =>
      h(
        'label',
        { class: 'check' },
        h('input', {
          type: 'checkbox',
          value: status,
          checked: f.statuses.includes(status),
          'data-testid': `status-${status}`,
          onchange: (event: Event) => {
            const box = event.target as HTMLInputElement;
            const next = new Set(filters().statuses);
            if (box.checked) next.add(status);
            else next.delete(status);
            setFilters({ statuses: [...next] });
          },
        }),
        valueName('status', status),
      ),
    ),
  );

  return h(
    'section',
    { class: 'panel-section', 'aria-labelledby': 'filter-title' },
    h(
      'div',
      { class: 'panel-title-row' },
      h('h2', { id: 'filter-title', class: 'panel-title' }, t('filter.title')),
      isFiltered(f)
        ? h('button', { type: 'button', class: 'link-button', 'data-testid': 'filter-clear', onclick: () => setFilters({ ...NO_FILTERS }) }, t('filter.clear'))
        : null,
    ),
    select(
      t('filter.operator'),
      'filter-operator',
      [['', t('filter.all')], ...reference.operators.map((o): [string, string] => [o.code, o.short_name ?? o.code])],
      f.operator ?? '',
      (v) => setFilters({ operator: v || null }),
    ),
    options.withKind && readableKinds().length > 1
      ? select(
          t('filter.kind'),
          'filter-kind',
          [['', t('filter.all')], ...readableKinds().map((k): [string, string] => [k.collection, t(`kind.${k.collection}`)])],
          f.kind ?? '',
          (v) => setFilters({ kind: (v || null) as Collection | null }),
        )
      : null,
    // The public's tiles say nothing about sharing.
    currentAccess().sharing
      ? select(
          t('filter.shared'),
          'filter-shared',
          [
            ['', t('filter.all')],
            ['true', t('filter.sharedYes')],
            ['false', t('filter.sharedNo')],
          ],
          f.shared === null ? '' : String(f.shared),
          (v) => setFilters({ shared: v === '' ? null : v === 'true' }),
        )
      : null,
    select(
      t('filter.ward'),
      'filter-ward',
      [['', t('filter.all')], ...wards.map((w): [string, string] => [w.properties.gso_code ?? '', `${w.properties.name} (${w.properties.province_name})`])],
      f.ward ?? '',
      (v) => {
        setFilters({ ward: v || null });
        const ward = wards.find((w) => w.properties.gso_code === v);
        if (ward) options.onWard?.(ward);
      },
    ),
    h('fieldset', { class: 'field' }, h('legend', { class: 'field-label' }, t('filter.status')), statusBoxes),
    options.clusterNote && isFiltered(f) ? h('p', { class: 'note' }, t('filter.clusterNote')) : null,
  );
}
