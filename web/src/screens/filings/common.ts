// What the screens of this section share: their tabs and the notice for a
// page that needs a login.

import { ApiError } from '../../api/client';
import { t, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { describeError } from '../../ui/messages';

export type Tab = 'calls' | 'challenges';

const TABS: [Tab, string, MessageKey][] = [
  ['calls', '/filings', 'fl.nav.calls'],
  ['challenges', '/challenges', 'fl.nav.challenges'],
];

export function sectionTabs(active: Tab): HTMLElement {
  return h(
    'nav',
    { class: 'tabs section-tabs', 'aria-label': t('fl.nav.title') },
    TABS.map(([tab, href, label]) =>
      h('a', { href, class: tab === active ? 'tab active' : 'tab', 'aria-current': tab === active ? 'page' : null, 'data-testid': `fl-tab-${tab}` }, t(label)),
    ),
  );
}

/** The page's error: a login link for 401, the error otherwise. */
export function pageError(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 401) {
    return h(
      'div',
      { class: 'notice notice-info' },
      h('p', {}, t('fl.calls.loginNeeded')),
      h('a', { href: `/login?next=${encodeURIComponent(location.pathname)}`, class: 'button button-primary' }, t('auth.login')),
    );
  }
  return h('div', { class: 'notice notice-error', role: 'alert' }, h('p', {}, describeError(error)));
}

export function pageHeader(eyebrow: string, title: string, lead: string | null, ...actions: (HTMLElement | null)[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', { class: 'page-heading' }, h('div', {}, h('p', { class: 'eyebrow' }, eyebrow), h('h1', { class: 'page-title' }, title), lead ? h('p', { class: 'subtitle' }, lead) : null)),
    h('div', { class: 'page-actions' }, actions),
  );
}
