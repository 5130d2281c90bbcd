// The app starts here: settings, reference data and the session, then the
// header, the map and the screens.

// The UI font ships with the app (latin, latin-ext and Vietnamese subsets): no font CDN.
import '@fontsource/be-vietnam-pro/400.css';
import '@fontsource/be-vietnam-pro/500.css';
import '@fontsource/be-vietnam-pro/600.css';
import './styles.css';

import type { App } from './app';
import { loadConfig } from './config';
import { mapPrintScreen } from './screens/mapPrint';
import { defaultCollection, loadAccess } from './domain/access';
import { currentReference, reference } from './domain/reference';
import { currentSession, loadSession, onSessionChange } from './domain/session';
import { lang, onLangChange, setLang, t } from './i18n';
import { MapView } from './map/mapView';
import { Router } from './router';
import { assetScreen } from './screens/assetScreen';
import { loginScreen } from './screens/loginScreen';
import { mapScreen } from './screens/mapScreen';
import { registryScreen } from './screens/registryScreen';
import { applicationFormScreen } from './screens/permits/applicationFormScreen';
import { applicationScreen } from './screens/permits/applicationScreen';
import { inboxScreen } from './screens/permits/inboxScreen';
import { statsScreen } from './screens/permits/statsScreen';
import { reportScreen, reportStartScreen } from './screens/reports/reportScreen';
import { fieldRoutes, isFieldPath } from './screens/field/routes';
import { registerServiceWorker } from './offline/register';
import { startOutbox } from './offline/queue';
import { toolRoutes, userMenu } from './screens/toolsNav';
import { isPlanPath, planRoutes } from './screens/plans/routes';
import { filingRoutes, isFilingsPath } from './screens/filings/routes';
import { isUndergroundingPath, undergroundingRoutes } from './screens/undergrounding/routes';
import { h, loading, replace } from './ui/dom';
import { errorBox } from './ui/messages';
import { pageRoot, pageShell } from './ui/page';
import { notificationBell } from './ui/notifications';

declare global {
  interface Window {
    __hatangRoutes?: string[];
  }
}

const body = document.body;
document.documentElement.lang = lang();
document.title = `${t('app.name')} — ${t('app.subtitle')}`;

const header = h('header', { class: 'topbar' });
/** Navigation inside the app, once the router exists (the header's bell links through it). */
let navigate = (path: string) => location.assign(path);
const main = h('main', { class: 'screen', id: 'screen' });
replace(body, header, main);

function roleName(role: string, operator: string | null): string {
  switch (role) {
    case 'admin':
      return t('role.admin');
    case 'reviewer':
      return t('role.reviewer');
    case 'planner':
      return t('role.planner');
    case 'operator_member':
      return t('role.operator', { operator: operator ?? '' });
    default:
      return role;
  }
}

function renderHeader(path: string): void {
  header.classList.remove('nav-open');
  const session = currentSession();
  const navLink = (href: string, label: string, active: boolean, testId: string) =>
    h('a', { href, class: active ? 'nav-link active' : 'nav-link', 'aria-current': active ? 'page' : null, 'data-testid': testId }, label);
  const user = session.user
    ? userMenu(session.user, roleName(session.user.role, session.user.operator), path)
    : h('a', { href: `/login?next=${encodeURIComponent(location.pathname + location.search)}`, class: 'nav-link', 'data-testid': 'login-link' }, t('auth.login'));
  replace(
    header,
    h('a', { href: '/', class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, 'HT'), h('span', { class: 'brand-name' }, t('app.name')), h('span', { class: 'brand-sub' }, t('app.subtitle'))),
    // On a narrow screen the links fold into a menu under this button.
    h(
      'button',
      {
        type: 'button',
        class: 'nav-toggle',
        'aria-controls': 'main-nav',
        'aria-expanded': 'false',
        'aria-label': t('nav.menu'),
        'data-testid': 'nav-toggle',
        onclick: (event: Event) => {
          const open = header.classList.toggle('nav-open');
          (event.currentTarget as HTMLElement).setAttribute('aria-expanded', String(open));
        },
      },
      h('span', { class: 'nav-toggle-bars', 'aria-hidden': 'true' }),
    ),
    h(
      'nav',
      { class: 'nav', id: 'main-nav', 'aria-label': t('nav.main') },
      navLink('/', t('nav.map'), path === '/', 'nav-map'),
      navLink(`/registry/${defaultCollection()}`, t('nav.registry'), path.startsWith('/registry'), 'nav-registry'),
      navLink(session.user ? '/permits' : '/thong-ke-cap-phep', t('nav.permits'), path.startsWith('/permits') || path === '/thong-ke-cap-phep', 'nav-permits'),
      navLink('/ngam-hoa', t('ug.nav.title'), isUndergroundingPath(path), 'nav-undergrounding'),
      session.user ? navLink('/ke-hoach', t('plan.nav.title'), isPlanPath(path), 'nav-plans') : null,
      session.user ? navLink('/filings', t('fl.nav.title'), isFilingsPath(path), 'nav-filings') : null,
      navLink('/hien-truong', t('field.nav'), isFieldPath(path), 'nav-field'),
    ),
    h('div', { class: 'topbar-spacer' }),
    notificationBell((target) => navigate(target)),
    user,
    h(
      'button',
      { type: 'button', class: 'lang-toggle', title: t('lang.switchTitle'), lang: lang() === 'vi' ? 'en' : 'vi', 'data-testid': 'lang-toggle', onclick: () => setLang(lang() === 'vi' ? 'en' : 'vi') },
      t('lang.switch'),
    ),
  );
}

async function start(): Promise<void> {
  renderHeader(location.pathname);
  replace(main, loading(t('app.loading')));
  let config;
  try {
    // What the person may read decides which tabs, layers and searches are offered.
    [config] = await Promise.all([loadConfig(), reference(), loadSession(), loadAccess()]);
  } catch (error) {
    // Never guess: without knowing who is signed in, no screen is shown (least of all an editing one).
    main.className = 'screen screen-page';
    replace(main, h('div', { class: 'page page-narrow', 'data-testid': 'start-failed' }, h('p', { class: 'lead' }, t('app.startFailed')), errorBox(error, () => void start())));
    return;
  }
  const view = new MapView(config);
  const app: App = {
    config,
    get reference() {
      return currentReference();
    },
    view,
    go: (path) => router.go(path),
  };
  const router = new Router(
    main,
    [
      { pattern: /^\/$/, screen: (_m, query) => mapScreen(app, query) },
      { pattern: /^\/(?:ban-do\/in|map\/print)\/?$/, screen: (_m, query) => mapPrintScreen(app, query) },
      { pattern: /^\/registry\/?$/, screen: () => registryScreen(app, defaultCollection()) },
      { pattern: /^\/registry\/([a-z]+)\/?$/, screen: (m) => registryScreen(app, m[1] ?? 'poles') },
      { pattern: /^\/assets\/(\d+)\/?$/, screen: (m) => assetScreen(app, Number(m[1])) },
      { pattern: /^\/login\/?$/, screen: (_m, query) => loginScreen(app, query.get('next')) },
      { pattern: /^\/permits\/?$/, screen: (_m, query) => inboxScreen(app, query) },
      { pattern: /^\/permits\/new\/?$/, screen: () => applicationFormScreen(app, null) },
      { pattern: /^\/(permits\/stats|thong-ke-cap-phep)\/?$/, screen: () => statsScreen(app) },
      { pattern: /^\/permits\/(\d+)\/edit\/?$/, screen: (m) => applicationFormScreen(app, Number(m[1])) },
      { pattern: /^\/permits\/(\d+)\/?$/, screen: (m) => applicationScreen(app, Number(m[1])) },
      { pattern: /^\/bao-cao-nam\/?$/, screen: (_m, query) => reportStartScreen(app, query) },
      { pattern: /^\/bao-cao-nam\/(\d+)\/?$/, screen: (m) => reportScreen(app, Number(m[1])) },
      ...toolRoutes(app),
      ...undergroundingRoutes(app),
      ...planRoutes(app),
      ...filingRoutes(app),
      ...fieldRoutes(app),
    ],
    () => ({
      render: (root) => {
        pageRoot(root);
        const shell = pageShell({ width: 'narrow', title: t('error.pageNotFound'), actions: [h('a', { href: '/', class: 'button' }, t('nav.map'))] });
        replace(root, shell.element);
      },
    }),
    renderHeader,
  );
  navigate = (path) => router.go(path);
  // For the browser tests: every address the app has must fit a phone (tests/browser/fit.test.mjs).
  window.__hatangRoutes = router.patterns();
  onLangChange(() => {
    document.title = `${t('app.name')} — ${t('app.subtitle')}`;
    void router.render();
  });
  onSessionChange(() => void router.render());
  await router.render();
  // In the field: send what was made offline, and keep the app for offline use.
  startOutbox();
}

registerServiceWorker();

void start();
