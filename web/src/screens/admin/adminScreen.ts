// Administration (admins only): accounts, operators, what each ward
// publishes, the rules with legal force, the holiday calendar, and the check
// of the history's hash chain. One tab per concern, each in its own module.
//
// Address: `/admin/{tab}` — users, operators, publication, rules, holidays, history-check.

import type { App } from '../../app';
import { t } from '../../i18n';
import type { Screen } from '../../router';
import { append, h, replace } from '../../ui/dom';
import { pageRoot, pageShell } from '../../ui/page';
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

/** A tab draws into its container; `signal` is aborted when the person leaves the screen. */
const TABS: Record<AdminTab, (container: HTMLElement, app: App, signal: AbortSignal) => void> = {
  users: usersTab,
  operators: operatorsTab,
  publication: publicationTab,
  rules: rulesTab,
  holidays: holidaysTab,
  'history-check': chainTab,
};

export function adminScreen(app: App, tab: AdminTab): Screen {
  return {
    render(root, signal) {
      if (!requireUser(root, (user) => user.role === 'admin')) return;
      pageRoot(root);
      const content = h('div', { class: 'admin-content', 'data-testid': `admin-${tab}` });
      const shell = pageShell({
        width: 'wide',
        testId: 'admin-page',
        class: 'admin-page',
        eyebrow: t('admin.eyebrow'),
        title: t('admin.title'),
        below: h(
          'nav',
          { class: 'tabs admin-tabs', 'aria-label': t('admin.title') },
          ADMIN_TABS.map((name) =>
            h('a', { href: `/admin/${name}`, class: name === tab ? 'tab active' : 'tab', 'aria-current': name === tab ? 'page' : null, 'data-testid': `admin-tab-${name}` }, t(`admin.tab.${name}`)),
          ),
        ),
      });
      append(shell.body, content);
      replace(root, shell.element);
      TABS[tab](content, app, signal);
    },
  };
}
