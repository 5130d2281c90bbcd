// The addresses of data calls, filings and challenges, in English (what the
// server's notifications link to) and, for calls and filings, in Vietnamese
// (`/so-lieu/…`). Challenges have no Vietnamese address: `/phan-anh/…` is the
// public's tracking of their field reports (screens/field, and the links the
// server sends). The screens load on first use, in their own chunk.

import type { App } from '../../app';
import { t } from '../../i18n';
import type { Route, Screen } from '../../router';
import { loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';

type Screens = typeof import('./screens');
let screens: Promise<Screens> | null = null;

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

const CALLS = '(?:filings|so-lieu)';
const CHALLENGES = 'challenges';

export function filingRoutes(app: App): Route[] {
  return [
    { pattern: new RegExp(`^/${CALLS}/?$`), screen: () => lazy((s) => s.callsScreen(app)) },
    { pattern: new RegExp(`^/${CALLS}/(?:new|mo-dot)/?$`), screen: () => lazy((s) => s.callFormScreen(app)) },
    { pattern: new RegExp(`^/${CALLS}/(?:calls|dot)/(\\d+)/?$`), screen: (m) => lazy((s) => s.callScreen(app, Number(m[1]))) },
    { pattern: new RegExp(`^/${CALLS}/(\\d+)/?$`), screen: (m) => lazy((s) => s.filingScreen(app, Number(m[1]))) },
    { pattern: new RegExp(`^/${CHALLENGES}/?$`), screen: (_m, query) => lazy((s) => s.challengesScreen(app, query)) },
    { pattern: new RegExp(`^/${CHALLENGES}/(\\d+)/?$`), screen: (m) => lazy((s) => s.challengeScreen(app, Number(m[1]))) },
  ];
}

/** Whether a path belongs to the section (for the header's active link). */
export function isFilingsPath(path: string): boolean {
  return new RegExp(`^/(${CALLS}|${CHALLENGES})(/|$)`).test(path);
}
