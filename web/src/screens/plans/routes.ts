// The addresses of plans and administrative units, in Vietnamese
// (`/ke-hoach/…`, `/don-vi-hanh-chinh`, what the app links to) and in English
// (`/plans/…`, `/admin-units`). The screens load on first use (their own
// chunk), so the map opens no slower.

import type { App } from '../../app';
import type { Route, Screen } from '../../router';
import { t } from '../../i18n';
import { loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';

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

export function planRoutes(app: App): Route[] {
  return [
    { pattern: /^\/(?:ke-hoach|plans)\/?$/, screen: () => lazy((s) => s.plansListScreen(app)) },
    { pattern: /^\/(?:ke-hoach|plans)\/(\d+)\/?$/, screen: (m, query) => lazy((s) => s.planScreen(app, Number(m[1]), query)) },
    { pattern: /^\/(?:don-vi-hanh-chinh|admin-units)\/?$/, screen: (_m, query) => lazy((s) => s.adminUnitsScreen(app, query)) },
  ];
}

/** Whether a path belongs to the section (for the header's active link). */
export function isPlanPath(path: string): boolean {
  return /^\/(?:ke-hoach|plans|don-vi-hanh-chinh|admin-units)(\/|$)/.test(path);
}
