// What each ward shows the public (people who are not signed in): tower
// locations, undergrounding progress, planned civil works. Nothing is public
// until the ward decides; ducts, leases and tenants never are.

import { adminApi, type Publication } from '../../api/admin';
import type { WardFeature } from '../../api/types';
import type { App } from '../../app';
import { formatNumber, t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { describeError, toast } from '../../ui/messages';
import { dataTable } from '../../ui/table';

const TOPICS = ['towers', 'undergrounding', 'planned_works'] as const;
type Topic = (typeof TOPICS)[number];

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export function publicationTab(container: HTMLElement, app: App, signal: AbortSignal): void {
  const wards = app.reference.wards.filter((w) => w.properties.gso_code);
  const provinces = [...new Map(wards.map((w) => [w.properties.province_code, w.properties.province_name])).entries()].sort((a, b) => a[1].localeCompare(b[1], 'vi'));
  // First the province with the most assets (where the registry's work is), not the first by name.
  const assets = new Map<string, number>();
  for (const w of wards) assets.set(w.properties.province_code, (assets.get(w.properties.province_code) ?? 0) + (w.properties.asset_count ?? 0));
  let province = [...provinces].sort((a, b) => (assets.get(b[0]) ?? 0) - (assets.get(a[0]) ?? 0))[0]?.[0] ?? '';
  const tableArea = h('div');
  const summary = h('p', { class: 'muted small', 'data-testid': 'publication-summary' });
  let loadToken = 0;
  let shownRows: { published(): boolean }[] = [];
  const updateSummary = () => replace(summary, t('publication.summary', { count: shownRows.length, published: shownRows.filter((r) => r.published()).length }));

  const provinceSelect = h(
    'select',
    { 'aria-label': t('publication.province'), 'data-testid': 'publication-province', class: 'compact-select' },
    provinces.map(([code, name]) => h('option', { value: code, selected: code === province }, name)),
  );
  provinceSelect.addEventListener('change', () => {
    province = provinceSelect.value;
    void render();
  });

  const row = (ward: WardFeature) => {
    const code = ward.properties.gso_code ?? '';
    const boxes = {} as Record<Topic, HTMLInputElement>;
    const state = h('span', { class: 'muted small', 'aria-live': 'polite' }, t('app.loading'));
    const save = async () => {
      const publication = Object.fromEntries(TOPICS.map((topic) => [topic, boxes[topic].checked])) as unknown as Publication;
      for (const box of Object.values(boxes)) box.disabled = true;
      replace(state, t('publication.saving'));
      try {
        await adminApi.setPublication(code, publication);
        replace(state, h('span', { class: 'saved' }, t('publication.saved')));
        updateSummary();
      } catch (error) {
        toast(describeError(error), 'error');
        replace(state, h('span', { class: 'field-error' }, t('publication.notSaved')));
      } finally {
        for (const box of Object.values(boxes)) box.disabled = false;
      }
    };
    for (const topic of TOPICS) {
      boxes[topic] = h('input', {
        type: 'checkbox',
        class: 'switch',
        disabled: true,
        'aria-label': `${t(`publication.${topic}`)} — ${ward.properties.name}`,
        'data-testid': `publish-${topic}`,
        onchange: () => void save(),
      });
    }
    // The controls live with the row, so that sorting or searching the table keeps them as they are.
    return {
      ward,
      code,
      boxes,
      state,
      async load() {
        try {
          const publication = await adminApi.publication(code, signal);
          for (const topic of TOPICS) {
            boxes[topic].checked = publication[topic];
            boxes[topic].disabled = false;
          }
          replace(state);
        } catch (error) {
          if (!signal.aborted) replace(state, h('span', { class: 'field-error' }, describeError(error)));
        }
      },
      published: () => TOPICS.some((topic) => boxes[topic].checked),
    };
  };

  const render = async () => {
    const token = ++loadToken;
    const inProvince = wards.filter((w) => w.properties.province_code === province).sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'vi'));
    const rows = inProvince.map(row);
    shownRows = rows;
    replace(
      tableArea,
      dataTable<(typeof rows)[number]>({
        testId: 'publication-table',
        class: 'publication-table',
        empty: t('publication.none'),
        rows,
        rowAttributes: (r) => ({ 'data-ward': r.code }),
        search: { placeholder: t('publication.search'), testId: 'publication-search', text: (r) => `${r.ward.properties.name} ${r.code}` },
        columns: [
          { key: 'ward', label: t('filter.ward'), phone: 'title', sortValue: (r) => r.ward.properties.name, cell: (r) => [r.ward.properties.name, h('div', { class: 'muted small' }, h('code', {}, r.code))] },
          { key: 'assets', label: t('publication.assets'), numeric: true, sortValue: (r) => r.ward.properties.asset_count, cell: (r) => formatNumber(r.ward.properties.asset_count) },
          ...TOPICS.map((topic) => ({ key: topic, label: t(`publication.${topic}`), class: 'center', cell: (r: (typeof rows)[number]) => h('label', { class: 'switch-label' }, r.boxes[topic]) })),
          { key: 'state', label: '', phone: 'actions' as const, cell: (r) => r.state },
        ],
      }).element,
    );
    replace(summary, t('publication.count', { count: rows.length }));
    await eachLimited(rows, 6, (r) => r.load());
    if (token !== loadToken || signal.aborted) return;
    updateSummary();
  };

  replace(
    container,
    h(
      'section',
      { class: 'card' },
      h('div', { class: 'toolbar' }, h('h2', {}, t('publication.title')), provinceSelect, h('div', { class: 'toolbar-spacer' }), summary),
      h('p', { class: 'muted' }, t('publication.lead')),
      tableArea,
    ),
  );
  void render();
}
