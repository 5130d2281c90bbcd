// Sign in (accounts, issue 4): `POST /api/v1/auth/login` sets a session
// cookie and returns the CSRF token later writes send back.
//
// Address: `/login?next=/somewhere`.

import { api, ApiError } from '../api/client';
import type { App } from '../app';
import { t } from '../i18n';
import type { Screen } from '../router';
import { append, h, replace } from '../ui/dom';
import { pageRoot, pageShell } from '../ui/page';
import { describeError } from '../ui/messages';

export function loginScreen(_app: App, next: string | null): Screen {
  return {
    render(root) {
      pageRoot(root);
      const message = h('div', { role: 'alert' });
      const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, 'data-testid': 'login-username' });
      const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'login-password' });
      const submit = h('button', { type: 'submit', class: 'button button-primary button-block', 'data-testid': 'login-submit' }, t('auth.submit'));
      const form = h(
        'form',
        {
          class: 'login-form card',
          onsubmit: async (event: Event) => {
            event.preventDefault();
            submit.disabled = true;
            replace(message);
            try {
              await api.login(username.value.trim(), password.value);
              // Start again with the new rights: reference data and the map load
              // what this person may see.
              location.assign(next && next.startsWith('/') && !next.startsWith('//') ? next : '/');
            } catch (error) {
              const text = error instanceof ApiError && (error.status === 401 || error.status === 422) ? t('auth.failed') : describeError(error);
              replace(message, h('div', { class: 'notice notice-error' }, text));
            } finally {
              submit.disabled = false;
            }
          },
        },
        message,
        h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-username' }, t('auth.username')), username),
        h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'login-password' }, t('auth.password')), password),
        submit,
      );
      const shell = pageShell({ width: 'narrow', class: 'login-page', title: t('auth.title'), lead: t('auth.lead') });
      append(shell.body, form);
      replace(root, shell.element);
      username.focus();
    },
  };
}
