// What the undergrounding screens share: their tabs, the ward picker, and
// the notice for a page that needs a login.

import { ApiError } from '../../api/client';
import type { WardFeature } from '../../api/types';
import { currentAccess, mayReadUndergrounding } from '../../domain/access';
import type { Reference } from '../../domain/reference';
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';

export type SectionTab = 'dashboard' | 'tables' | 'projects' | 'works';

const TABS: [SectionTab, string, MessageKey][] = [
  ['dashboard', '/ngam-hoa', 'ug.nav.dashboard'],
  ['tables', '/ngam-hoa/bang', 'ug.nav.tables'],
  ['projects', '/ngam-hoa/du-an', 'ug.nav.projects'],
  ['works', '/ngam-hoa/cong-trinh', 'ug.nav.works'],
];

/** The tabs of the undergrounding section, above each of its pages. */
export function sectionTabs(active: SectionTab, wardCode?: string | null): HTMLElement {
  // Projects and civil works are for people signed in; the public has the dashboard and its table.
  const offered = TABS.filter(([tab]) => tab === 'dashboard' || tab === 'tables' || currentAccess().analysis);
  return h(
    'nav',
    { class: 'tabs section-tabs', 'aria-label': t('ug.nav.section') },
    offered.map(([tab, href, label]) =>
      h(
        'a',
        {
          href: tab === 'dashboard' && wardCode ? `${href}?ward=${wardCode}` : href,
          class: tab === active ? 'tab active' : 'tab',
          'aria-current': tab === active ? 'page' : null,
          'data-testid': `ug-tab-${tab}`,
        },
        t(label),
      ),
    ),
  );
}

/**
 * Wards in force today with a GSO code, by province then name; with `readable`, only those
 * whose undergrounding figures the person may read (the public: wards that publish them).
 */
export function currentWards(reference: Reference, options: { readable?: boolean } = {}): WardFeature[] {
  return reference.wards
    .filter((w) => w.properties.gso_code && w.properties.valid_to === null)
    .filter((w) => !options.readable || mayReadUndergrounding(w.properties.gso_code))
    .sort((a, b) => a.properties.province_name.localeCompare(b.properties.province_name, 'vi') || a.properties.name.localeCompare(b.properties.name, 'vi'));
}

/** A ward picker grouped by province; `withAll` adds "all wards" (empty value). */
export function wardPicker(reference: Reference, selected: string | null, onChange: (code: string | null) => void, options: { withAll?: boolean; id?: string; readable?: boolean } = {}): HTMLElement {
  const wards = currentWards(reference, { readable: options.readable });
  const provinces = [...new Set(wards.map((w) => w.properties.province_name))];
  const id = options.id ?? 'ward-picker';
  const select = h(
    'select',
    { id, 'data-testid': id, onchange: (event: Event) => onChange((event.target as HTMLSelectElement).value || null) },
    options.withAll ? h('option', { value: '' }, t('ug.allWards')) : null,
    provinces.map((province) =>
      h(
        'optgroup',
        { label: province },
        wards
          .filter((w) => w.properties.province_name === province)
          .map((w) => h('option', { value: w.properties.gso_code ?? '', selected: w.properties.gso_code === selected }, `${w.properties.name} (${w.properties.gso_code})`)),
      ),
    ),
  );
  return h('div', { class: 'field ward-field' }, h('label', { class: 'field-label', for: id }, t('filter.ward')), select);
}

/**
 * For a section's `error` (ui/async.ts): a 401 says that the page needs a login and offers it;
 * anything else gets the usual error box with "try again".
 */
export function loginNeeded(what: MessageKey = 'ug.loginNeeded'): (error: unknown) => HTMLElement | null {
  return (error) => {
    if (!(error instanceof ApiError && error.status === 401)) return null;
    const next = encodeURIComponent(location.pathname + location.search);
    return h(
      'div',
      { class: 'notice notice-info', role: 'alert', 'data-testid': 'login-needed' },
      h('p', {}, t(what)),
      h('a', { href: `/login?next=${next}`, class: 'button button-primary' }, t('auth.login')),
    );
  };
}

/** The download links of a table: the same address with `format=csv` or `format=xlsx`. */
export function downloadLinks(csv: string, xlsx: string): HTMLElement {
  return h(
    'div',
    { class: 'downloads' },
    h('span', { class: 'muted small' }, t('ug.download')),
    h('a', { href: csv, download: '', class: 'button button-small', 'data-testid': 'download-csv' }, 'CSV'),
    h('a', { href: xlsx, download: '', class: 'button button-small', 'data-testid': 'download-xlsx' }, 'XLSX'),
  );
}
