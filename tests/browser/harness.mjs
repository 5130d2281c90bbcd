// @ts-check
// What every browser test file imports: the run's server, the file's Chromium, a
// fresh browser context per test, and helpers for the map and for screenshots.
//
// The shape of a test (see README.md):
//
//   browserTest('an operator draws a pole …', { viewport: 'phone' }, async ({ page, server, shot }) => {
//     const member = await newMember();          // its own data, through the API (fixtures.mjs)
//     await signIn(page, member);
//     await page.goto(server.url + '/');
//     …
//     await shot('app-04-new-pole');             // test-artifacts/app-04-new-pole.png
//   });
//
// Under run.mjs (`npm test`) every file shares the one server the run started
// (HATANG_TEST_SERVER); each file has its own Chromium. A file run on its own
// (`node --test app.test.mjs`) starts its own server, and stops it when it ends.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SERVER_ENV, artifactPath, buildAll, launchBrowser, startServer } from './server.mjs';

export { artifactPath } from './server.mjs';

/** @typedef {{ username: string, password: string, role?: string }} Login */
/** @typedef {{ url: string, logins: Login[] }} Server */

/** Screen sizes the tests use: a desktop, a laptop, a tablet (portrait) and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  laptop: { width: 1366, height: 768 },
  tablet: { width: 768, height: 1024 },
  phone: { width: 390, height: 844 },
};

/** @type {Promise<Server> | null} */
let serverPromise = null;
/** @type {Awaited<ReturnType<typeof startServer>> | null} */
let ownServer = null;
/** @type {Promise<import('playwright-core').Browser> | null} */
let browserPromise = null;

/** The server this run tests: the one run.mjs started, or (a file run alone) this process's own. */
export function hatang() {
  serverPromise ??= (async () => {
    const shared = process.env.HATANG_TEST_SERVER;
    if (shared) return /** @type {Server} */ (JSON.parse(shared));
    buildAll();
    ownServer = await startServer(SERVER_ENV);
    return { url: ownServer.url, logins: ownServer.logins };
  })();
  return serverPromise;
}

/**
 * This file's Chromium. Each test file has its own (the run's files are separate processes):
 * WebGL on SwiftShader runs in one GPU process per browser, and one shared by every file
 * would make the maps of all of them wait on each other.
 */
function browser() {
  browserPromise ??= launchBrowser();
  return browserPromise;
}

// The file's Chromium closes when its tests are done; a file run on its own also stops its server.
after(async () => {
  const launched = await browserPromise?.catch(() => null);
  await launched?.close().catch(() => undefined);
  await ownServer?.stop();
});

/**
 * A test with a fresh browser context (its own cookies, storage and screen
 * size): `body` gets the page, the server and `shot(name)`. The test fails on
 * any uncaught error in the page; when it fails, a screenshot of the moment
 * goes to test-artifacts/failed-….png.
 * @param {string} name
 * `serviceWorkers: 'block'` keeps the app's service worker out (page.route does not see the requests a
 * service worker makes, so a test that fakes the server's answers needs it).
 * @param {{ viewport?: keyof typeof VIEWPORTS | { width: number, height: number }, serviceWorkers?: 'allow' | 'block', timeout?: number, skip?: boolean, only?: boolean }} options
 * @param {(fixtures: { page: import('playwright-core').Page, context: import('playwright-core').BrowserContext, server: Server, shot: (name: string, options?: { fullPage?: boolean }) => Promise<void> }) => Promise<void>} body
 */
export function browserTest(name, options, body) {
  const { viewport = 'desktop', serviceWorkers = 'allow', ...testOptions } = options;
  test(name, { timeout: 240_000, ...testOptions }, async () => {
    const server = await hatang();
    const size = typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport;
    const touch = typeof viewport === 'string' && viewport !== 'desktop' && viewport !== 'laptop';
    const context = await (await browser()).newContext({
      viewport: size,
      isMobile: viewport === 'phone',
      hasTouch: touch,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
      acceptDownloads: true,
      // `page.goto('/registry')` and `page.request.get('/api/v1/…')` go to the run's server.
      baseURL: server.url,
      serviceWorkers,
    });
    context.setDefaultTimeout(45_000);
    const page = await context.newPage();
    /** @type {string[]} */
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      // A 401 is how the app learns that nobody is signed in; other errors are worth reading.
      if (message.type() === 'error' && !/\b401\b/.test(message.text())) console.log(`[browser console: ${name}] ${message.text()}`);
    });
    try {
      await body({ page, context, server, shot: (file, shotOptions = {}) => shot(page, file, shotOptions) });
      assert.deepEqual(errors, [], `the page threw: ${errors.join('\n')}`);
    } catch (error) {
      await page.screenshot({ path: artifactPath(`failed-${slug(name)}.png`) }).catch(() => undefined);
      throw error;
    } finally {
      await context.close().catch(() => undefined);
    }
  });
}

function slug(text) {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 80);
}

/**
 * A screenshot in test-artifacts/`name`.png. `fullPage` takes the whole
 * screen however long (the app scrolls inside #screen, so a plain full-page
 * shot would stop at the window).
 * @param {import('playwright-core').Page} page
 * @param {string} name
 * @param {{ fullPage?: boolean }} options
 */
export async function shot(page, name, options = {}) {
  const path = artifactPath(name.endsWith('.png') ? name : `${name}.png`);
  if (!options.fullPage) {
    await page.screenshot({ path });
    return;
  }
  const size = page.viewportSize();
  assert.ok(size);
  const height = await page.evaluate(() => {
    const screen = document.getElementById('screen');
    const header = document.querySelector('header');
    return Math.min(3000, (header?.getBoundingClientRect().height ?? 0) + Math.max(screen?.scrollHeight ?? 0, window.innerHeight));
  });
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

/** Session cookies by username, so that one process signs each person in once. */
const cookies = new Map();

/**
 * Signs the page's browser context in as `who` (through the API, without the
 * login screen: that screen has its own test). Load a page after this.
 * @param {import('playwright-core').Page} page
 * @param {Login} who
 */
export async function signIn(page, who) {
  const server = await hatang();
  let value = cookies.get(who.username);
  if (!value) {
    const response = await fetch(server.url + '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: who.username, password: who.password }),
    });
    assert.equal(response.status, 200, `${who.username} signs in: ${await response.text()}`);
    value = (response.headers.get('set-cookie') ?? '').match(/hatang_session=([^;]+)/)?.[1];
    assert.ok(value, 'the login sets the session cookie');
    cookies.set(who.username, value);
  }
  await page.context().addCookies([{ name: 'hatang_session', value, url: server.url, httpOnly: true, sameSite: 'Strict' }]);
}

/**
 * Waits until the map has drawn every tile it wants and stands still.
 * @param {import('playwright-core').Page} page
 */
export async function mapIdle(page) {
  await page.waitForFunction(
    () => {
      const map = window.__hatangMap;
      return !!map && map.loaded() && map.areTilesLoaded() && !map.isMoving();
    },
    undefined,
    { timeout: 60_000, polling: 200 },
  );
}

/**
 * The map screen's address at a place (`/#map=zoom/lat/lng`), so that a test opens the map
 * where it works instead of loading the default view and moving.
 * @param {number[]} lngLat
 * @param {number} zoom
 * @param {string} [search] a query, e.g. `?tool=path`
 */
export function mapAt(lngLat, zoom, search = '') {
  return `/${search}#map=${zoom}/${lngLat[1]?.toFixed(6)}/${lngLat[0]?.toFixed(6)}`;
}

/**
 * Features MapLibre has drawn on the given style layers (optionally filtered).
 * @param {import('playwright-core').Page} page
 * @param {string[]} layers
 * @param {unknown} [filter]
 */
export async function renderedFeatures(page, layers, filter) {
  return page.evaluate(
    ({ layers, filter }) => {
      const map = window.__hatangMap;
      if (!map) return [];
      const present = layers.filter((id) => map.getLayer(id));
      if (present.length === 0) return [];
      const options = filter ? { layers: present, filter } : { layers: present };
      return map.queryRenderedFeatures(options).map((f) => ({
        id: f.properties.id,
        code: f.properties.code,
        operator: f.properties.operator,
        kind: f.properties.kind,
        cluster: f.properties.cluster === true,
        layer: f.layer.id,
        coordinates: f.geometry.type === 'Point' ? f.geometry.coordinates : null,
      }));
    },
    { layers, filter },
  );
}

/**
 * Where on the page a longitude/latitude is drawn now.
 * @param {import('playwright-core').Page} page
 * @param {number[]} lngLat
 */
export async function pagePoint(page, lngLat) {
  const point = await page.evaluate((c) => window.__hatangMap?.project(/** @type {[number, number]} */ (c)), lngLat);
  const box = await page.locator('[data-testid=map]').boundingBox();
  assert.ok(point && box);
  return { x: box.x + point.x, y: box.y + point.y };
}

/**
 * Shows the given points on the map, as close as `maxZoom`.
 * @param {import('playwright-core').Page} page
 * @param {number[][]} points
 * @param {number} maxZoom
 */
export async function fitTo(page, points, maxZoom) {
  await page.evaluate(
    ([points, maxZoom]) => {
      const ps = /** @type {number[][]} */ (points);
      const xs = ps.map((p) => p[0] ?? 0);
      const ys = ps.map((p) => p[1] ?? 0);
      window.__hatangMap?.fitBounds(
        [
          [Math.min(...xs), Math.min(...ys)],
          [Math.max(...xs), Math.max(...ys)],
        ],
        { padding: 80, maxZoom: /** @type {number} */ (maxZoom), duration: 0 },
      );
    },
    [points, maxZoom],
  );
}

/**
 * Whether anything on the page is wider than the window (a phone would scroll sideways).
 * @param {import('playwright-core').Page} page
 */
export async function horizontalOverflow(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scroll = document.documentElement.scrollWidth;
    if (scroll <= width) return null;
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : ''} (${Math.round(e.getBoundingClientRect().right)} px)`);
    return { scrollWidth: scroll, innerWidth: width, wide };
  });
}

/**
 * The controls (buttons, links, fields) that are shown but cut off at the window's left or right
 * edge, so that a person cannot reach them: a page that does not scroll sideways may still hide
 * a header action under `overflow: hidden`. Controls inside a box that scrolls sideways (the tabs,
 * a wide table in its own box) are reachable by scrolling that box and are not counted.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export async function offScreenControls(page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const scrollsSideways = (/** @type {Element} */ element) => {
      for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
        const overflow = getComputedStyle(e).overflowX;
        if ((overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth) return true;
      }
      return false;
    };
    return [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, textarea, [role=button]')]
      .filter((e) => {
        const box = e.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || getComputedStyle(e).visibility === 'hidden') return false;
        // Far off to the left is hidden on purpose (a field only robots fill, a skip link).
        if (box.right <= 0) return false;
        return (box.left < -1 || box.right > width + 1) && !scrollsSideways(e);
      })
      .slice(0, 8)
      .map((e) => {
        const box = e.getBoundingClientRect();
        const name = e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? (e.textContent ?? '').trim().slice(0, 30);
        return `${e.tagName.toLowerCase()} "${name}" at ${Math.round(box.left)}–${Math.round(box.right)} px`;
      });
  });
}

/**
 * The controls shown on the page that are smaller than a finger: buttons, fields and tabs less
 * than `min` px (44 by default) high or wide; a check box or radio button counts with its label,
 * which takes the tap too. Links inside running text are not counted (they are words).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<string[]>}
 */
export async function smallTargets(page, min = 44) {
  return page.evaluate((min) => {
    const controls = document.querySelectorAll(
      'button, .button, select, textarea, input:not([type=hidden]), [role=tab], [role=button], .tab, .nav-link',
    );
    const seen = new Set();
    const small = [];
    for (const control of controls) {
      // A check box counts with its label; so does a field hidden behind its label (a file input
      // shown as a button).
      const own = control.getBoundingClientRect();
      const label = control instanceof HTMLInputElement ? (control.closest('label') ?? control.labels?.[0] ?? null) : null;
      const target = label && (control.matches('input[type=checkbox], input[type=radio]') || own.width < 2 || own.height < 2) ? label : control;
      if (seen.has(target)) continue;
      seen.add(target);
      const box = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden' || target.closest('[hidden], [aria-hidden=true]')) continue;
      // Outside the window (below the fold is fine: it is reached by scrolling, but not sideways).
      if (box.right < 0 || box.left > window.innerWidth) continue;
      if (box.height + 0.5 >= min && box.width + 0.5 >= min) continue;
      const name = control.getAttribute('data-testid') ?? control.getAttribute('aria-label') ?? control.getAttribute('title') ?? (target.textContent ?? '').trim().slice(0, 24);
      small.push(`${control.tagName.toLowerCase()}${control.className && typeof control.className === 'string' ? '.' + control.className.trim().split(/\s+/)[0] : ''} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return small;
  }, min);
}
