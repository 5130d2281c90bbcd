// The registry's export menu: the assets the table shows — the same filters,
// search and (when ticked) map extent — as a file in GeoJSON, CSV, XLSX,
// GeoPackage or zipped Shapefile, in WGS84 or a VN-2000 zone. Beside it, for
// those who may register assets, a way to import a file of the same kind.

import type { ListQuery } from '../api/client';
import { downloadExport, EXPORT_FORMATS, exportUrl, type ExportFormat, type ExportLabels } from '../api/imports';
import type { Collection } from '../api/types';
import type { App } from '../app';
import { readableKinds } from '../domain/access';
import { canEdit, currentSession } from '../domain/session';
import { t } from '../i18n';
import { crsChoiceOf, crsSelect } from '../ui/crsSelect';
import { h, replace } from '../ui/dom';
import { describeError, toast } from '../ui/messages';

/** The list API's filter parameters of a query (as `GET /api/v1/{kind}` takes them). */
export function listParams(query: ListQuery): URLSearchParams {
  const params = new URLSearchParams();
  if (query.bbox) params.set('bbox', query.bbox.map((n) => n.toFixed(6)).join(','));
  if (query.operator) params.set('operator', query.operator);
  if (query.status && query.status.length > 0) params.set('status', query.status.join(','));
  if (query.ward) params.set('ward', query.ward);
  if (query.shared !== undefined) params.set('shared', String(query.shared));
  if (query.q) params.set('q', query.q);
  return params;
}

/** Saves a blob as a file through a temporary link. */
function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The export button with its menu, and the import link where allowed. */
export function transferTools(app: App, collection: Collection, query: () => ListQuery): HTMLElement {
  let format: ExportFormat = 'geojson';
  let running: AbortController | null = null;
  const id = `export-${collection}`;
  const crs = crsSelect(app.reference, { id: `${id}-crs`, testId: 'export-crs' });
  const summary = h('p', { class: 'muted small', 'data-testid': 'export-summary' });
  const status = h('div', { 'aria-live': 'polite' });
  const formats = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-label': t('export.format') },
    EXPORT_FORMATS.map((f) =>
      h(
        'button',
        {
          type: 'button',
          role: 'radio',
          'aria-checked': String(f === format),
          class: f === format ? 'active' : '',
          'data-format': f,
          'data-testid': `export-format-${f}`,
          onclick: (event: Event) => {
            format = f;
            for (const box of alsoBoxes) box.disabled = f !== 'gpkg' && f !== 'xlsx';
            labels.disabled = f === 'shp';
            for (const b of Array.from(formats.children)) {
              const on = (b as HTMLElement).dataset.format === f;
              b.classList.toggle('active', on);
              b.setAttribute('aria-checked', String(on));
            }
            event.preventDefault();
          },
        },
        t(`export.formatName.${f}`),
      ),
    ),
  );
  // Headers and values: the format's default (Vietnamese in Excel, codes elsewhere), or chosen.
  const labels = h(
    'select',
    { id: `${id}-labels`, 'data-testid': 'export-labels' },
    h('option', { value: '' }, t('export.labels.default')),
    h('option', { value: 'vi' }, t('export.labels.vi')),
    h('option', { value: 'en' }, t('export.labels.en')),
    h('option', { value: 'codes' }, t('export.labels.codes')),
  );
  // Other kinds into the same file (GeoPackage layers, XLSX sheets).
  const others = readableKinds().filter((k) => k.collection !== collection);
  const alsoBoxes = others.map((k) => h('input', { type: 'checkbox', value: k.collection, disabled: true, 'data-testid': `export-also-${k.collection}` }));
  const alsoField = h(
    'fieldset',
    { class: 'field export-also' },
    h('legend', { class: 'field-label' }, t('export.also')),
    h('div', { class: 'checks' }, alsoBoxes.map((box, i) => h('label', { class: 'check' }, box, t(`kind.${others[i]?.collection ?? 'towers'}`)))),
    h('p', { class: 'field-hint' }, t('export.alsoHint')),
  );
  const publicOnlyTowers = !currentSession().user && collection !== 'towers';
  const download = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      disabled: publicOnlyTowers,
      'data-testid': 'export-download',
      onclick: async () => {
        running?.abort();
        running = new AbortController();
        const also = alsoBoxes.filter((b) => b.checked).map((b) => b.value as Collection);
        const url = exportUrl(collection, format, crsChoiceOf(crs.value), listParams(query()), { labels: (labels.value || null) as ExportLabels | null, also });
        download.disabled = true;
        replace(status, h('p', { class: 'loading small' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), t('export.preparing')));
        try {
          const { blob, fileName } = await downloadExport(url, running.signal);
          save(blob, fileName);
          replace(status, h('p', { class: 'small saved', 'data-testid': 'export-done' }, t('export.done', { name: fileName })));
        } catch (error) {
          if (running?.signal.aborted) return;
          replace(status, h('p', { class: 'field-error' }, describeError(error)));
          toast(describeError(error), 'error');
        } finally {
          download.disabled = publicOnlyTowers;
        }
      },
    },
    t('export.download'),
  );
  const panel = h(
    'div',
    { class: 'popover export-panel', role: 'dialog', 'aria-label': t('export.title'), hidden: true, id: `${id}-panel`, 'data-testid': 'export-panel' },
    h('h3', {}, t('export.title', { kind: t(`kind.${collection}`) })),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('export.format')), formats),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: `${id}-crs` }, t('export.crs')), crs),
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: `${id}-labels` }, t('export.labels')), labels),
    others.length > 0 ? alsoField : null,
    summary,
    publicOnlyTowers ? h('p', { class: 'field-error' }, t('export.loginFirst')) : null,
    h('div', { class: 'form-row-actions' }, download),
    status,
  );
  const describe = () => {
    const q = query();
    const parts: string[] = [];
    if (q.bbox) parts.push(t('export.inExtent'));
    if (q.operator) parts.push(t('export.ofOperator', { operator: app.reference.operatorLabel(q.operator) }));
    if (q.status && q.status.length > 0) parts.push(t('export.withStatus', { count: q.status.length }));
    if (q.ward) parts.push(t('export.inWard', { ward: app.reference.wards.find((w) => w.properties.gso_code === q.ward)?.properties.name ?? q.ward }));
    if (q.shared !== undefined) parts.push(q.shared ? t('filter.sharedYes') : t('filter.sharedNo'));
    if (q.q) parts.push(t('export.matching', { q: q.q }));
    replace(summary, parts.length > 0 ? t('export.selection', { what: parts.join(', ') }) : t('export.everything'));
  };
  const toggle = h(
    'button',
    { type: 'button', class: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', 'aria-controls': panel.id, 'data-testid': 'export-open' },
    t('export.open'),
    h('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'),
  );
  const root = h('div', { class: 'transfer-tools' });
  const setOpen = (open: boolean) => {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    if (open) {
      describe();
      replace(status);
      document.addEventListener('click', outside, true);
    } else {
      document.removeEventListener('click', outside, true);
    }
  };
  const outside = (event: Event) => {
    // The download link's own (programmatic, untrusted) click must not close the menu.
    if (event.isTrusted && (!root.contains(event.target as Node) || !root.isConnected)) setOpen(false);
  };
  toggle.addEventListener('click', () => setOpen(panel.hidden));
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      setOpen(false);
      toggle.focus();
    }
  });
  replace(
    root,
    h('div', { class: 'popover-anchor' }, toggle, panel),
    canEdit() ? h('a', { href: `/import?kind=${collection}`, class: 'button', 'data-testid': 'registry-import' }, t('export.importLink')) : null,
  );
  return root;
}
