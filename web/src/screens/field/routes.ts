// The addresses of the field section, in Vietnamese (what the app links to):
// /hien-truong (start), /phan-anh/moi (report), /phan-anh/{code} (public
// status), /su-co (reports to handle), /kiem-tra (inspections), /vi-pham
// (violations), /phat-hien (detection lists), /hang-doi (outbox),
// /kiem-tra/danh-muc (the checklist rules).

import type { App } from '../../app';
import type { Route, Screen } from '../../router';
import { t } from '../../i18n';
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

export function fieldRoutes(app: App): Route[] {
  return [
    { pattern: /^\/hien-truong\/?$/, screen: () => lazy((s) => s.hubScreen()) },
    { pattern: /^\/phan-anh\/moi\/?$/, screen: () => lazy((s) => s.reportScreen(app)) },
    { pattern: /^\/phan-anh\/?$/, screen: () => lazy((s) => s.trackScreen(null)) },
    { pattern: /^\/phan-anh\/([A-Za-z0-9-]+)\/?$/, screen: (m) => lazy((s) => s.trackScreen(decodeURIComponent(m[1] ?? ''))) },
    { pattern: /^\/su-co\/?$/, screen: (_m, query) => lazy((s) => s.incidentsScreen(app, query)) },
    { pattern: /^\/su-co\/(\d+)\/?$/, screen: (m) => lazy((s) => s.incidentScreen(app, Number(m[1]))) },
    { pattern: /^\/kiem-tra\/?$/, screen: () => lazy((s) => s.roundsScreen(app)) },
    { pattern: /^\/kiem-tra\/thong-ke\/?$/, screen: () => lazy((s) => s.statsScreen()) },
    { pattern: /^\/kiem-tra\/danh-muc\/?$/, screen: () => lazy((s) => s.checklistScreen()) },
    { pattern: /^\/kiem-tra\/(\d+)\/?$/, screen: (m) => lazy((s) => s.roundScreen(app, Number(m[1]))) },
    { pattern: /^\/vi-pham\/?$/, screen: (_m, query) => lazy((s) => s.violationsScreen(app, query)) },
    { pattern: /^\/vi-pham\/(\d+)\/?$/, screen: (m) => lazy((s) => s.violationScreen(app, Number(m[1]))) },
    { pattern: /^\/phat-hien\/?$/, screen: () => lazy((s) => s.detectionScreen()) },
    { pattern: /^\/hang-doi\/?$/, screen: () => lazy((s) => s.outboxScreen(app)) },
  ];
}

/** Whether a path is in the section (for the header's active link). */
export function isFieldPath(path: string): boolean {
  return /^\/(hien-truong|phan-anh|su-co|kiem-tra|vi-pham|phat-hien|hang-doi)(\/|$)/.test(path);
}
