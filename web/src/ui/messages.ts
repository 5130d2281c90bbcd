// Errors and notices in words a person understands, in their language.

import { ApiError } from '../api/client';
import { t } from '../i18n';
import { problemText, wordedProblem } from '../i18n/problems';
import { h } from './dom';

/** What to tell a person about an error from the API or the network. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    // The server's reason, worded from its code and params (a 403 says which rule refused, a 409 what changed).
    const reason = error.reason && error.reason !== 'invalid' ? wordedProblem(error.reason, error.params) : null;
    if (reason) return reason;
    switch (error.code) {
      case 'network':
        return t('error.network');
      case 'timeout':
        return t('error.timeout');
      case 'not_found':
        return t('error.notFound');
      case 'unauthorized':
        return t('error.unauthorized');
      case 'forbidden':
        return t('error.forbidden');
      case 'validation_failed':
        return t('edit.invalid');
      case 'malformed_request':
        return t('error.malformed', { message: error.message });
      case 'internal_error':
        return t('error.server');
    }
    if (error.status === 401) return t('error.unauthorized');
    if (error.status === 403) return t('error.forbidden');
    if (error.status === 404) return t('error.notFound');
    if (error.status >= 500) return t('error.server');
    return t('error.generic', { message: problemText(error.message) });
  }
  if (error instanceof Error) return t('error.generic', { message: error.message });
  return t('error.generic', { message: String(error) });
}

/** Why the server refused, in the person's language: its reason worded from the code, else its words (a 409's "why"). */
export function reasonText(error: ApiError): string {
  const reason = error.reason && error.reason !== 'invalid' ? wordedProblem(error.reason, error.params) : null;
  return reason ?? problemText(error.message);
}

/** An error box with an optional "try again" button. */
export function errorBox(error: unknown, retry?: () => void): HTMLElement {
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert' },
    h('p', {}, describeError(error)),
    retry ? h('button', { type: 'button', class: 'button', 'data-testid': 'retry', onclick: () => retry() }, t('common.retry')) : null,
  );
}

let toastArea: HTMLElement | null = null;

/** A short message at the bottom of the screen that goes away by itself. */
export function toast(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
  if (!toastArea) {
    toastArea = h('div', { class: 'toasts', 'aria-live': 'polite' });
    document.body.appendChild(toastArea);
  }
  const item = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  toastArea.appendChild(item);
  setTimeout(() => item.remove(), kind === 'error' ? 9000 : 5000);
}
