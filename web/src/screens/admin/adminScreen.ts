// Administration (admins only): accounts, operators, what each ward
// publishes, the rules with legal force, the holiday calendar, and the check
// of the history's hash chain. One tab per concern, each in its own module.
//
// Address: `/admin/{tab}` — users, operators, publication, rules, holidays, history-check.

import type { App } from '../../app';
import { t } from '../../i18n';
import type { Screen } from '../../router';
import { h, replace } from '../../ui/dom';
import { requireUser } from '../access';
import { chainTab } from './chainTab';
import { holidaysTab } from './holidaysTab';
import { operatorsTab } from './operatorsTab';
import { publicationTab } from './publicationTab';
import { rulesTab } from './rulesTab';
import { usersTab } from './usersTab';

/** Keep in step with ADMIN_TABS in ../toolsNav.ts (the router's copy, which does not load this module). */
export const ADMIN_TABS = ['users', 'operators', 'publication', 'rules', 'holidays', 'history-check'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

const TABS: Record<AdminTab, (container: HTMLElement, app: App) => void> = {
  users: usersTab,
  operators: operatorsTab,
  publication: publicationTab,
  rules: rulesTab,
  holidays: holidaysTab,
  'history-check': chainTab,
};

export function adminScreen(app: App, tab: AdminTab): Screen {
  return {
    render(root) {
      if (!requireUser(root, (user) => user.role === 'admin')) return;
      root.className = 'screen screen-page';
      const content = h('div', { class: 'admin-content', 'data-testid': `admin-${tab}` });
      replace(
        root,
        h(
          'div',
          { class: 'page page-wide', 'data-testid': 'admin-page' },
          h(
            'header',
            { class: 'page-header admin-header' },
            h('div', { class: 'page-heading' }, h('div', {}, h('p', { class: 'eyebrow' }, t('admin.eyebrow')), h('h1', { class: 'page-title' }, t('admin.title')))),
            h(
              'nav',
              { class: 'tabs admin-tabs', 'aria-label': t('admin.title') },
              ADMIN_TABS.map((name) =>
                h(
                  'a',
                  { href: `/admin/${name}`, class: name === tab ? 'tab active' : 'tab', 'aria-current': name === tab ? 'page' : null, 'data-testid': `admin-tab-${name}` },
                  t(`admin.tab.${name}`),
                ),
              ),
            ),
          ),
          content,
        ),
      );
      TABS[tab](content, app);
    },
  };
}
