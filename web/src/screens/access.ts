// What the tool screens show to someone who may not use them: a way to sign
// in, or a plain refusal. The server refuses anyway; this only spares a
// request that would certainly fail.

import type { User } from '../api/types';
import { currentSession } from '../domain/session';
import { t } from '../i18n';
import { h, replace } from '../ui/dom';

/**
 * The signed-in user if `allowed` accepts them; otherwise draws a notice in
 * `root` and returns null.
 */
export function requireUser(root: HTMLElement, allowed: (user: User) => boolean = () => true): User | null {
  const session = currentSession();
  const user = session.user;
  if (user && allowed(user)) return user;
  root.className = 'screen screen-page';
  const next = encodeURIComponent(location.pathname + location.search);
  replace(
    root,
    h(
      'div',
      { class: 'page page-narrow' },
      user
        ? h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'access-denied' }, t('error.forbidden'))
        : h(
            'div',
            { class: 'notice notice-info', 'data-testid': 'access-login' },
            h('p', {}, t('tools.loginFirst')),
            h('a', { href: `/login?next=${next}`, class: 'button button-primary' }, t('auth.login')),
          ),
    ),
  );
  return null;
}

/** A role's name, with the operator of a member. */
export function roleLabel(role: string, operator: string | null): string {
  switch (role) {
    case 'admin':
      return t('role.admin');
    case 'reviewer':
      return t('role.reviewer');
    case 'planner':
      return t('role.planner');
    case 'operator_member':
      return operator ? t('role.operator', { operator }) : t('role.operatorMember');
    default:
      return role;
  }
}
