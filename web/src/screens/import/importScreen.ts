// Importing a file of assets, as a wizard: (1) the kind, the operator and the
// file are uploaded; (2) the preview shows the file's columns, the CRS and the
// proposed mapping of columns to attributes, which the person corrects;
// (3) every row is checked; (4) the rows are written in one transaction.
// Steps 3 and 4 run on the server (202) and the page follows their progress.
// Each job has its own address, so a reload or a bookmark comes back to it.
//
// Addresses: `/import?kind=poles` (a new file), `/import/{job id}`.

import { ApiError } from '../../api/client';
import { importApi } from '../../api/imports';
import type { Collection } from '../../api/types';
import type { App } from '../../app';
import { KINDS } from '../../domain/kinds';
import { currentSession } from '../../domain/session';
import { formatNumber, t } from '../../i18n';
import { problemText } from '../../i18n/problems';
import type { Screen } from '../../router';
import { crsChoiceOf, crsSelect } from '../../ui/crsSelect';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
import { describeError } from '../../ui/messages';
import { requireUser } from '../access';
import { jobView } from './jobView';
import { stepper } from './steps';

/** Extensions the server reads (server/src/import/source.rs). */
export const IMPORT_EXTENSIONS = ['.geojson', '.json', '.csv', '.xlsx', '.zip', '.gpkg', '.kml'];

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, 1)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

/** An upload error in the person's words: size and row limits above all. */
export function uploadErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) {
      const limit = Number(error.message.match(/(\d+) bytes/)?.[1]);
      return limit > 0 ? t('import.tooLarge', { limit: formatBytes(limit) }) : t('import.tooLargeNoLimit');
    }
    if (error.status === 422 && error.details.length > 0) return error.details.map((d) => problemText(d)).join(' · ');
  }
  return describeError(error);
}

export function importScreen(app: App, jobId: number | null, query: URLSearchParams): Screen {
  let leaveJob: (() => void) | null = null;
  let upload: AbortController | null = null;
  return {
    render(root) {
      if (!requireUser(root, (u) => u.role === 'admin' || u.role === 'operator_member')) return;
      pageRoot(root);
      if (jobId !== null) {
        leaveJob = jobView(root, app, jobId);
        return;
      }
      const user = currentSession().user;
      const isAdmin = user?.role === 'admin';
      const wanted = query.get('kind');
      const kind = h(
        'select',
        { id: 'import-kind', 'data-testid': 'import-kind', required: true },
        KINDS.map((k) => h('option', { value: k.collection, selected: k.collection === (wanted ?? 'poles') }, t(`kind.${k.collection}`))),
      );
      const operator = isAdmin
        ? h(
            'select',
            { id: 'import-operator', 'data-testid': 'import-operator', required: true },
            h('option', { value: '' }, t('edit.choose')),
            app.reference.operators.map((o) => h('option', { value: o.code, selected: query.get('operator') === o.code }, `${o.short_name ?? o.code} — ${o.legal_name}`)),
          )
        : null;
      const file = h('input', { id: 'import-file', type: 'file', accept: IMPORT_EXTENSIONS.join(','), class: 'file-input', 'data-testid': 'import-file' });
      const chosen = h('p', { class: 'file-chosen', 'data-testid': 'import-file-chosen' }, t('import.noFile'));
      const drop = h(
        'label',
        { class: 'drop-zone', for: 'import-file' },
        h('span', { class: 'drop-icon', 'aria-hidden': 'true' }, '⇪'),
        h('strong', {}, t('import.dropTitle')),
        h('span', { class: 'muted small' }, t('import.dropFormats')),
        chosen,
      );
      const showChosen = () => {
        const f = file.files?.[0];
        drop.classList.toggle('has-file', !!f);
        replace(chosen, f ? [h('strong', {}, f.name), ` · ${formatBytes(f.size)}`] : t('import.noFile'));
      };
      file.addEventListener('change', showChosen);
      drop.addEventListener('dragover', (event) => {
        event.preventDefault();
        drop.classList.add('dragging');
      });
      drop.addEventListener('dragleave', () => drop.classList.remove('dragging'));
      drop.addEventListener('drop', (event) => {
        event.preventDefault();
        drop.classList.remove('dragging');
        if (event.dataTransfer?.files.length) {
          file.files = event.dataTransfer.files;
          showChosen();
        }
      });
      const crs = crsSelect(app.reference, { id: 'import-crs', automatic: t('import.crsAutomatic'), testId: 'import-crs' });
      const message = h('div', { 'aria-live': 'polite' });
      const bar = h('progress', { max: 100, value: 0, class: 'progress', hidden: true, 'data-testid': 'upload-progress' });
      const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'import-upload' }, t('import.upload'));

      const form = h(
        'form',
        {
          class: 'card import-form',
          novalidate: true,
          onsubmit: async (event: Event) => {
            event.preventDefault();
            replace(message);
            const f = file.files?.[0];
            const operatorCode = operator ? operator.value : (user?.operator ?? '');
            if (!operatorCode) {
              replace(message, h('div', { class: 'notice notice-error', role: 'alert' }, t('import.chooseOperator')));
              operator?.focus();
              return;
            }
            if (!f) {
              replace(message, h('div', { class: 'notice notice-error', role: 'alert' }, t('import.chooseFile')));
              return;
            }
            const extension = f.name.slice(f.name.lastIndexOf('.')).toLowerCase();
            if (!IMPORT_EXTENSIONS.includes(extension)) {
              replace(message, h('div', { class: 'notice notice-error', role: 'alert' }, t('import.unknownFormat', { name: f.name })));
              return;
            }
            submit.disabled = true;
            bar.hidden = false;
            bar.value = 0;
            upload = new AbortController();
            try {
              const job = await importApi.upload(
                { kind: kind.value as Collection, operator: operatorCode, file: f, ...crsChoiceOf(crs.value) },
                (sent, total) => {
                  bar.value = total > 0 ? Math.round((sent / total) * 100) : 0;
                  replace(submit, sent >= total ? t('import.reading') : t('import.uploading', { percent: bar.value }));
                },
                upload.signal,
              );
              app.go(`/import/${job.id}`);
            } catch (error) {
              if (upload?.signal.aborted) return;
              replace(
                message,
                h(
                  'div',
                  { class: 'notice notice-error', role: 'alert', 'data-testid': 'import-upload-error' },
                  h('strong', {}, t('import.uploadFailed')),
                  ' ',
                  uploadErrorText(error),
                ),
              );
              bar.hidden = true;
              replace(submit, t('import.upload'));
            } finally {
              submit.disabled = false;
            }
          },
        },
        h('h2', {}, t('import.chooseTitle')),
        message,
        h(
          'div',
          { class: 'form-grid' },
          h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'import-kind' }, t('import.kind')), kind),
          operator
            ? h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'import-operator' }, t('import.operator')), operator)
            : h(
                'div',
                { class: 'field' },
                h('span', { class: 'field-label' }, t('import.operator')),
                h('p', { class: 'static-value', 'data-testid': 'import-operator-fixed' }, app.reference.operatorLabel(user?.operator ?? '')),
              ),
        ),
        h('div', { class: 'field' }, file, drop),
        h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'import-crs' }, t('import.crs')), crs, h('p', { class: 'field-hint' }, t('import.crsHint'))),
        h('div', { class: 'form-row-actions' }, submit, bar),
      );

      const shell = pageShell({ testId: 'import-page', eyebrow: t('import.eyebrow'), title: t('import.title'), below: stepper(0) });
      append(
        shell.body,
        h(
          'div',
          { class: 'page-grid import-grid' },
          form,
          h(
            'aside',
            { class: 'card help' },
            h('h2', {}, t('import.helpTitle')),
            h(
              'ul',
              {},
              h('li', {}, t('import.helpFormats')),
              h('li', {}, t('import.helpColumns')),
              h('li', {}, t('import.helpVn2000')),
              h('li', {}, t('import.helpUpdate')),
              h('li', {}, t('import.helpAtomic')),
            ),
          ),
        ),
      );
      replace(root, shell.element);
    },
    leave() {
      upload?.abort();
      leaveJob?.();
    },
  };
}
