// My account: who I am, changing my password, and — for staff of an
// operator — the API tokens their own systems use (`Authorization: Bearer`).
// A token's secret is shown once, when it is made; afterwards only its first
// characters identify it.
//
// Address: `/account`.

import { accountApi, type TokenView } from '../api/account';
import { ApiError } from '../api/client';
import type { User } from '../api/types';
import type { App } from '../app';
import { formatDateTime, t } from '../i18n';
import type { Screen } from '../router';
import { confirmDialog } from '../ui/dialog';
import { asyncSection, type AsyncSection } from '../ui/async';
import { append, h, replace } from '../ui/dom';
import { clearProblems, field, showProblems } from '../ui/form';
import { describeError, toast } from '../ui/messages';
import { pageRoot, pageShell } from '../ui/page';
import { dataTable } from '../ui/table';
import { oneTimeSecret } from '../ui/secret';
import { requireUser, roleLabel } from './access';

const EXPIRY_CHOICES = [null, 30, 90, 180, 365] as const;

export function accountScreen(app: App): Screen {
  return {
    render(root, signal) {
      const user = requireUser(root);
      if (!user) return;
      pageRoot(root);
      const operator = user.operator ? app.reference.operators.find((o) => o.code === user.operator) : undefined;
      const shell = pageShell({ testId: 'account-page', eyebrow: t('account.eyebrow'), title: t('account.title') });
      append(
        shell.body,
        h(
          'div',
          { class: 'page-grid' },
          h(
            'section',
            { class: 'card' },
            h('h2', {}, t('account.profile')),
            h(
              'dl',
              { class: 'attributes' },
              h('dt', {}, t('account.displayName')),
              h('dd', {}, user.display_name),
              h('dt', {}, t('auth.username')),
              h('dd', {}, h('code', {}, user.username)),
              h('dt', {}, t('account.role')),
              h('dd', {}, roleLabel(user.role, user.operator)),
              user.operator ? [h('dt', {}, t('account.operator')), h('dd', {}, operator ? `${operator.short_name ?? operator.code} — ${operator.legal_name}` : user.operator)] : null,
            ),
          ),
          passwordCard(user),
        ),
        user.role === 'operator_member' && user.operator ? tokensCard(user.operator, signal) : null,
      );
      replace(root, shell.element);
    },
  };
}

function passwordCard(user: User): HTMLElement {
  const general = h('div', { 'aria-live': 'polite' });
  const fields = {
    current_password: field(
      'current_password',
      t('account.currentPassword'),
      h('input', { type: 'password', autocomplete: 'current-password', required: true, 'data-testid': 'current-password' }),
      { required: true },
    ),
    new_password: field(
      'new_password',
      t('account.newPassword'),
      h('input', { type: 'password', autocomplete: 'new-password', required: true, minlength: 10, 'data-testid': 'new-password' }),
      {
        required: true,
        hint: t('account.passwordRules'),
      },
    ),
    confirm: field('confirm', t('account.confirmPassword'), h('input', { type: 'password', autocomplete: 'new-password', required: true, 'data-testid': 'confirm-password' }), {
      required: true,
    }),
  };
  const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'password-submit' }, t('account.changePassword'));
  const form = h(
    'form',
    {
      class: 'card',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearProblems(fields, general);
        const current = fields.current_password.control.value;
        const next = fields.new_password.control.value;
        const confirm = fields.confirm.control.value;
        // The same rules as the server, said before sending.
        let ok = true;
        if (current === '') {
          fields.current_password.setError(t('account.required'));
          ok = false;
        }
        if ([...next].length < 10) {
          fields.new_password.setError(t('account.tooShort'));
          ok = false;
        } else if (next.toLowerCase().includes(user.username.toLowerCase())) {
          fields.new_password.setError(t('account.containsUsername'));
          ok = false;
        } else if (next === current) {
          fields.new_password.setError(t('account.samePassword'));
          ok = false;
        }
        if (ok && confirm !== next) {
          fields.confirm.setError(t('account.mismatch'));
          ok = false;
        }
        if (!ok) return;
        submit.disabled = true;
        try {
          await accountApi.changePassword(current, next);
          form.reset();
          replace(general, h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'password-changed' }, t('account.passwordChanged')));
        } catch (error) {
          showProblems(error, fields, general);
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', {}, t('account.passwordTitle')),
    general,
    fields.current_password.element,
    fields.new_password.element,
    fields.confirm.element,
    h('div', { class: 'form-row-actions' }, submit),
  );
  return form;
}

function tokensCard(operator: string, signal: AbortSignal): HTMLElement {
  const createdArea = h('div', { 'aria-live': 'polite' });
  const general = h('div');
  const expiry = h(
    'select',
    { 'data-testid': 'token-expiry' },
    EXPIRY_CHOICES.map((days) => h('option', { value: days === null ? '' : String(days) }, days === null ? t('tokens.never') : t('tokens.days', { days }))),
  );
  const fields = {
    name: field('name', t('tokens.name'), h('input', { type: 'text', maxlength: 100, required: true, placeholder: t('tokens.namePlaceholder'), 'data-testid': 'token-name' }), {
      required: true,
      class: 'grow',
    }),
    expires_in_days: field('expires_in_days', t('tokens.expiry'), expiry),
  };
  const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'token-create' }, t('tokens.create'));

  const list: AsyncSection<TokenView[]> = asyncSection({
    signal,
    keepWhileLoading: true,
    load: (signal) => accountApi.tokens(undefined, signal),
    render: (tokens): HTMLElement => tokenTable(tokens, () => list.load()),
  });
  const load = () => list.load();

  const form = h(
    'form',
    {
      class: 'token-form',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearProblems(fields, general);
        const name = fields.name.control.value.trim();
        if (name === '') {
          fields.name.setError(t('account.required'));
          fields.name.control.focus();
          return;
        }
        submit.disabled = true;
        try {
          const created = await accountApi.createToken(name, expiry.value ? Number(expiry.value) : null);
          form.reset();
          replace(
            createdArea,
            h(
              'div',
              { class: 'notice notice-warning token-created', 'data-testid': 'token-created' },
              h('h3', {}, t('tokens.createdTitle', { name: created.name })),
              oneTimeSecret({ label: t('tokens.secretLabel'), value: created.token, warning: t('tokens.onceWarning'), testId: 'token-secret' }),
              h('p', { class: 'small' }, t('tokens.usage'), ' ', h('code', {}, 'Authorization: Bearer hat_…')),
              h('button', { type: 'button', class: 'button', 'data-testid': 'token-created-close', onclick: () => replace(createdArea) }, t('tokens.stored')),
            ),
          );
          await load();
        } catch (error) {
          showProblems(error, fields, general);
        } finally {
          submit.disabled = false;
        }
      },
    },
    general,
    h('div', { class: 'form-inline' }, fields.name.element, fields.expires_in_days.element, h('div', { class: 'field field-action' }, submit)),
  );
  void load();
  return h(
    'section',
    { class: 'card', 'data-testid': 'tokens' },
    h('h2', {}, t('tokens.title', { operator })),
    h('p', { class: 'muted' }, t('tokens.lead')),
    form,
    createdArea,
    list.element,
  );
}

function tokenState(token: TokenView): { label: string; cls: string } {
  if (token.revoked_at) return { label: t('tokens.revokedOn', { at: formatDateTime(token.revoked_at) }), cls: 'state-off' };
  if (token.expires_at && new Date(token.expires_at).getTime() < Date.now()) return { label: t('tokens.expired'), cls: 'state-off' };
  return { label: t('tokens.active'), cls: 'state-on' };
}

function tokenTable(tokens: TokenView[], reload: () => Promise<void>): HTMLElement {
  if (tokens.length === 0) return h('p', { class: 'empty' }, t('tokens.none'));
  const revoke = async (token: TokenView) => {
    const ok = await confirmDialog({
      title: t('tokens.revokeTitle'),
      message: t('tokens.revokeConfirm', { name: token.name, prefix: token.prefix }),
      confirm: t('tokens.revoke'),
      danger: true,
    });
    if (!ok) return;
    try {
      await accountApi.revokeToken(token.id);
      toast(t('tokens.revoked', { name: token.name }), 'success');
      await reload();
    } catch (error) {
      toast(error instanceof ApiError ? describeError(error) : String(error), 'error');
    }
  };
  return dataTable<TokenView>({
    testId: 'token-table',
    empty: t('tokens.none'),
    rows: tokens,
    rowAttributes: (token) => ({ 'data-token-id': token.id, class: token.revoked_at ? 'inactive' : null }),
    columns: [
      { key: 'name', label: t('tokens.name'), phone: 'title', sortValue: (token) => token.name, cell: (token) => [token.name, token.created_by ? h('div', { class: 'muted small' }, t('tokens.by', { user: token.created_by })) : null] },
      { key: 'prefix', label: t('tokens.prefix'), cell: (token) => h('code', {}, `${token.prefix}…`) },
      { key: 'created_at', label: t('tokens.createdAt'), nowrap: true, sortValue: (token) => token.created_at, cell: (token) => formatDateTime(token.created_at) },
      { key: 'expires_at', label: t('tokens.expiresAt'), nowrap: true, sortValue: (token) => token.expires_at, cell: (token) => (token.expires_at ? formatDateTime(token.expires_at) : t('tokens.never')) },
      { key: 'last_used_at', label: t('tokens.lastUsed'), nowrap: true, sortValue: (token) => token.last_used_at, cell: (token) => (token.last_used_at ? formatDateTime(token.last_used_at) : h('span', { class: 'muted' }, t('tokens.notUsed'))) },
      {
        key: 'state',
        label: t('tokens.state'),
        cell: (token) => {
          const state = tokenState(token);
          return h('span', { class: `badge ${state.cls}`, 'data-testid': 'token-state' }, state.label);
        },
      },
      {
        key: 'actions',
        label: '',
        phone: 'actions',
        cell: (token) =>
          token.revoked_at ? null : h('button', { type: 'button', class: 'button button-small button-danger', 'data-testid': 'token-revoke', onclick: () => void revoke(token) }, t('tokens.revoke')),
      },
    ],
  }).element;
}
