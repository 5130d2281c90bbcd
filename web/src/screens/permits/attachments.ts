// Attachments of an application: the list with download links, and (while the
// person may add documents) a file picker that uploads each chosen file as
// multipart form data. The server reads the type from the content; what it
// refuses (422: wrong type, a name that does not match; 413: too large) is
// said next to the picker, file by file.

import { ApiError } from '../../api/client';
import { permitLinks, permitsApi, type Attachment } from '../../api/permits';
import { formatDateTime, formatNumber, t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { describeError, reasonText } from '../../ui/messages';
import { problemText } from '../../i18n/problems';

/** Largest file the server accepts (server/src/permits/attachments.rs). */
const MAX_BYTES = 20 * 1024 * 1024;

/** 850 B, 12,4 KB, 3,2 MB. */
function fileSize(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  if (bytes < 1024 * 1024) return t('permit.attachments.size', { size: formatNumber(bytes / 1024, 1) });
  return `${formatNumber(bytes / (1024 * 1024), 1)} MB`;
}

export function attachmentsSection(applicationId: number, initial: Attachment[], canUpload: boolean): HTMLElement {
  const attachments = [...initial];
  const list = h('div', {});
  const messages = h('div', { class: 'upload-messages', 'aria-live': 'polite', 'data-testid': 'upload-messages' });

  const renderList = () => {
    replace(
      list,
      attachments.length === 0
        ? h('p', { class: 'empty' }, t('permit.attachments.empty'))
        : h(
            'ul',
            { class: 'attachment-list', 'data-testid': 'attachments' },
            attachments.map((a) =>
              h(
                'li',
                { class: 'attachment' },
                h('span', { class: 'attachment-type' }, a.media_type === 'application/pdf' ? 'PDF' : a.media_type.replace('image/', '').toUpperCase()),
                h(
                  'div',
                  { class: 'attachment-body' },
                  h('a', { href: permitLinks.attachment(applicationId, a.id), download: a.filename, 'data-testid': 'attachment-link' }, a.filename),
                  h('div', { class: 'muted small' }, `${fileSize(a.size_bytes)} · ${formatDateTime(a.uploaded_at)} · SHA-256 ${a.sha256.slice(0, 12)}…`),
                ),
              ),
            ),
          ),
    );
  };
  renderList();

  const upload = async (file: File) => {
    const line = h('p', { class: 'muted small' }, t('permit.attachments.uploading', { name: file.name }));
    messages.appendChild(line);
    if (file.size > MAX_BYTES) {
      line.replaceWith(h('p', { class: 'field-error', role: 'alert', 'data-testid': 'upload-error' }, t('permit.attachments.tooLarge', { name: file.name })));
      return;
    }
    try {
      const saved = await permitsApi.attach(applicationId, file);
      attachments.push(saved);
      renderList();
      line.replaceWith(h('p', { class: 'upload-ok small' }, t('permit.attachments.uploaded', { name: saved.filename })));
    } catch (error) {
      let text: string;
      if (error instanceof ApiError && error.status === 413) text = t('permit.attachments.tooLarge', { name: file.name });
      else if (error instanceof ApiError && error.code === 'validation_failed') text = t('permit.attachments.refused', { name: file.name, problem: error.details.map((d) => problemText(d)).join(' ') || problemText(error.message) });
      else if (error instanceof ApiError && error.status === 409) text = t('permit.attachments.refused', { name: file.name, problem: reasonText(error) });
      else text = `${file.name}: ${describeError(error)}`;
      line.replaceWith(h('p', { class: 'field-error', role: 'alert', 'data-testid': 'upload-error' }, text));
    }
  };

  const input = h('input', {
    type: 'file',
    id: `attach-${applicationId}`,
    multiple: true,
    accept: '.pdf,.png,.jpg,.jpeg,.tif,.tiff,application/pdf,image/png,image/jpeg,image/tiff',
    'data-testid': 'attachment-input',
    class: 'file-input',
    onchange: async () => {
      const files = [...(input.files ?? [])];
      input.value = '';
      messages.replaceChildren();
      for (const file of files) await upload(file);
    },
  });

  return h(
    'div',
    { class: 'attachments' },
    list,
    canUpload
      ? h(
          'div',
          { class: 'field upload' },
          h('label', { class: 'button', for: input.id }, `+ ${t('permit.attachments.add')}`),
          input,
          h('p', { class: 'muted small' }, t('permit.attachments.hint')),
          messages,
        )
      : null,
  );
}
