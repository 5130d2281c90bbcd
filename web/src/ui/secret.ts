// A secret the server shows only once (a new password, an API token): in a
// read-only box with a copy button and a warning that it will not be shown
// again.

import { t } from '../i18n';
import { h } from './dom';
import { toast } from './messages';

/** Copies text to the clipboard; falls back to a selection copy where the Clipboard API is not allowed (plain HTTP). */
export async function copyText(text: string, fallbackFrom?: HTMLInputElement | HTMLTextAreaElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection copy
  }
  if (fallbackFrom) {
    fallbackFrom.focus();
    fallbackFrom.select();
    // execCommand is deprecated but is what works without a secure context.
    return document.execCommand('copy');
  }
  return false;
}

export interface SecretOptions {
  label: string;
  value: string;
  /** What to tell the person: it is shown only now. */
  warning: string;
  testId?: string;
}

export function oneTimeSecret(options: SecretOptions): HTMLElement {
  const id = `secret-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', {
    id,
    class: 'secret-value',
    readonly: true,
    value: options.value,
    spellcheck: 'false',
    autocomplete: 'off',
    'data-testid': options.testId ?? 'secret-value',
    onfocus: (event: Event) => (event.target as HTMLInputElement).select(),
  });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'button button-primary',
      'data-testid': 'secret-copy',
      onclick: async () => {
        const done = await copyText(options.value, input);
        if (done) {
          copy.textContent = t('secret.copied');
          setTimeout(() => (copy.textContent = t('secret.copy')), 2500);
        } else {
          toast(t('secret.copyFailed'), 'error');
        }
      },
    },
    t('secret.copy'),
  );
  return h(
    'div',
    { class: 'secret', role: 'status' },
    h('label', { class: 'field-label', for: id }, options.label),
    h('div', { class: 'secret-row' }, input, copy),
    h('p', { class: 'secret-warning' }, h('strong', {}, '⚠ '), options.warning),
  );
}
