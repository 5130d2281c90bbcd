// The addresses of the undergrounding section, in Vietnamese (`/ngam-hoa/…`,
// what the app links to) and in English (`/undergrounding/…`). The screens
// load on first use (their own chunk), so the map opens no slower.

import type { App } from '../../app';
import type { Route, Screen } from '../../router';
import { t } from '../../i18n';
import { loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';

const BASE = '(?:ngam-hoa|undergrounding)';

type Screens = typeof import('./screens');
let screens: Promise<Screens> | null = null;

/** A screen whose module is loaded when it is first drawn. */
function lazy(make: (module: Screens) => Screen): Screen {
  let inner: Screen | null = null;
  let left = false;
  return {
    async render(root, signal) {
      root.className = 'screen screen-page';
      replace(root, loading(t('app.loading')));
      try {
        screens ??= import('./screens');
        const module = await screens;
        if (left) return;
        inner = make(module);
        await inner.render(root, signal);
      } catch (error) {
        screens = null;
        replace(root, errorBox(error, () => void this.render(root, signal)));
      }
    },
    leave() {
      left = true;
      inner?.leave?.();
    },
  };
}

export function undergroundingRoutes(app: App): Route[] {
  return [
    { pattern: new RegExp(`^/${BASE}/?$`), screen: (_m, query) => lazy((s) => s.dashboardScreen(app, query)) },
    { pattern: new RegExp(`^/${BASE}/(?:bang|tables)/?$`), screen: (_m, query) => lazy((s) => s.tablesScreen(app, query)) },
    { pattern: new RegExp(`^/${BASE}/(?:du-an|projects)/?$`), screen: () => lazy((s) => s.projectsScreen(app)) },
    { pattern: new RegExp(`^/${BASE}/(?:du-an|projects)/(\\d+)/?$`), screen: (m) => lazy((s) => s.projectScreen(app, Number(m[1]))) },
    { pattern: new RegExp(`^/${BASE}/(?:cong-trinh|civil-works)/?$`), screen: () => lazy((s) => s.civilWorksScreen(app)) },
    { pattern: new RegExp(`^/${BASE}/(?:cong-trinh|civil-works)/(\\d+)/?$`), screen: (m) => lazy((s) => s.civilWorkScreen(app, Number(m[1]))) },
  ];
}

/** Whether a path belongs to the section (for the header's active link). */
export function isUndergroundingPath(path: string): boolean {
  return new RegExp(`^/${BASE}(/|$)`).test(path);
}
