// The signed-in person's menu in the header (their account, the change
// history, imports, administration, signing out) and the addresses of those
// screens. Kept apart from main.ts so that the header and the router take
// them in one line each.

import { api } from '../api/client';
import type { User } from '../api/types';
import type { App } from '../app';
import { canEdit } from '../domain/session';
import { t } from '../i18n';
import type { Route, Screen } from '../router';
import { h, loading, replace } from '../ui/dom';
import { errorBox } from '../ui/messages';
import './tools.css';

/** The admin tabs, as in `/admin/{tab}` (admin/adminScreen.ts draws them). */
const ADMIN_TABS = ['users', 'operators', 'publication', 'rules', 'holidays', 'history-check'] as const;

/**
 * A screen whose module is loaded when it is first shown: these screens are
 * for few people, so the map does not wait for them.
 */
function lazy(load: () => Promise<Screen>): Screen {
  let inner: Screen | null = null;
  let left = false;
  return {
    async render(root, signal) {
      root.className = 'screen screen-page';
      replace(root, h('div', { class: 'page' }, loading(t('app.loading'))));
      try {
        inner = await load();
      } catch (error) {
        replace(
          root,
          h(
            'div',
            { class: 'page page-narrow' },
            errorBox(error, () => location.reload()),
          ),
        );
        return;
      }
      if (!left) await inner.render(root, signal);
    },
    leave() {
      left = true;
      inner?.leave?.();
    },
  };
}

/** The screens of this menu, for the router. */
export function toolRoutes(app: App): Route[] {
  const admin = (tab: string) =>
    lazy(async () => (await import('./admin/adminScreen')).adminScreen(app, (ADMIN_TABS as readonly string[]).includes(tab) ? (tab as (typeof ADMIN_TABS)[number]) : 'users'));
  return [
    { pattern: /^\/account\/?$/, screen: () => lazy(async () => (await import('./accountScreen')).accountScreen(app)) },
    { pattern: /^\/history\/?$/, screen: (_m, query) => lazy(async () => (await import('./auditScreen')).auditScreen(app, query)) },
    { pattern: /^\/import\/?$/, screen: (_m, query) => lazy(async () => (await import('./import/importScreen')).importScreen(app, null, query)) },
    { pattern: /^\/import\/(\d+)\/?$/, screen: (m, query) => lazy(async () => (await import('./import/importScreen')).importScreen(app, Number(m[1]), query)) },
    { pattern: /^\/admin\/?$/, screen: () => admin('users') },
    { pattern: /^\/admin\/([a-z-]+)\/?$/, screen: (m) => admin(m[1] ?? 'users') },
  ];
}

/** "VNPT Quảng Ngãi" → "VN": the first letters of the first and last words. */
function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? '?';
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? '') : (words[0]?.[1] ?? '');
  return (first + last).toUpperCase();
}

/** The menu under the signed-in person's name. */
export function userMenu(user: User, roleLabel: string, path: string): HTMLElement {
  const item = (href: string, label: string, testId: string) =>
    h('a', { href, role: 'menuitem', class: path.startsWith(href) ? 'menu-item active' : 'menu-item', 'data-testid': testId }, label);
  const list = h(
    'div',
    { class: 'menu-list', role: 'menu', hidden: true, id: 'user-menu-list' },
    h('div', { class: 'menu-head' }, h('strong', {}, user.display_name), h('span', { class: 'muted small' }, `${user.username} · ${roleLabel}`)),
    item('/account', t('menu.account'), 'menu-account'),
    item('/history', t('menu.history'), 'menu-history'),
    canEdit() ? item('/import', t('menu.import'), 'menu-import') : null,
    user.role === 'admin' ? item('/admin', t('menu.admin'), 'menu-admin') : null,
    h(
      'button',
      {
        type: 'button',
        role: 'menuitem',
        class: 'menu-item menu-logout',
        'data-testid': 'logout',
        onclick: async () => {
          await api.logout().catch(() => undefined);
          location.assign('/');
        },
      },
      t('auth.logout'),
    ),
  );
  const button = h(
    'button',
    {
      type: 'button',
      class: 'user-button',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': 'user-menu-list',
      'data-testid': 'user-menu',
    },
    h('span', { class: 'user-initials', 'aria-hidden': 'true' }, initials(user.display_name)),
    h('span', { class: 'user-name', 'data-testid': 'user-name' }, t('auth.signedInAs', { name: user.display_name }), h('span', { class: 'user-role' }, roleLabel)),
    h('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'),
  );
  const root = h('div', { class: 'user user-menu' }, button, list);
  const setOpen = (open: boolean) => {
    list.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      document.addEventListener('click', outside, true);
      document.addEventListener('keydown', onKey);
    } else {
      document.removeEventListener('click', outside, true);
      document.removeEventListener('keydown', onKey);
    }
  };
  const outside = (event: Event) => {
    if (!root.contains(event.target as Node)) setOpen(false);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      setOpen(false);
      button.focus();
    }
  };
  button.addEventListener('click', () => setOpen(list.hidden));
  // Following a link closes the menu (the router keeps the header).
  list.addEventListener('click', (event) => {
    if ((event.target as Element).closest('a')) setOpen(false);
  });
  return root;
}
