// Modal dialogs on the browser's own <dialog> element (focus is trapped and
// Escape closes it): a confirmation that answers yes or no, and a dialog that
// holds a form.

import { t } from '../i18n';
import { h } from './dom';

export interface ConfirmOptions {
  title: string;
  message: string;
  /** The label of the button that goes ahead. */
  confirm: string;
  /** A red button, for what cannot be undone. */
  danger?: boolean;
}

/** Asks before going ahead; resolves true when the person confirms. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': 'dialog-title', 'data-testid': 'confirm-dialog' },
      h('h2', { id: 'dialog-title', class: 'dialog-title' }, options.title),
      h('p', { class: 'dialog-message' }, options.message),
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button', 'data-testid': 'confirm-cancel', onclick: () => dialog.close() }, t('edit.cancel')),
        h(
          'button',
          {
            type: 'button',
            class: options.danger ? 'button button-danger-solid' : 'button button-primary',
            'data-testid': 'confirm-ok',
            onclick: () => {
              answer = true;
              dialog.close();
            },
          },
          options.confirm,
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

export interface FormDialog {
  dialog: HTMLDialogElement;
  close(): void;
}

/** Shows `body` (a form, usually) in a modal with a title; `onClose` runs however it closes. */
export function formDialog(title: string, body: HTMLElement, onClose?: () => void, testId = 'form-dialog'): FormDialog {
  const dialog = h(
    'dialog',
    { class: 'dialog dialog-wide', 'aria-labelledby': 'form-dialog-title', 'data-testid': testId },
    h(
      'div',
      { class: 'dialog-head' },
      h('h2', { id: 'form-dialog-title', class: 'dialog-title' }, title),
      h('button', { type: 'button', class: 'dialog-close', 'aria-label': t('common.close'), onclick: () => dialog.close() }, '×'),
    ),
    body,
  );
  dialog.addEventListener('close', () => {
    dialog.remove();
    onClose?.();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  return { dialog, close: () => dialog.close() };
}
