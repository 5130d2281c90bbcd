// Hatang's service worker: the app opens without a network, keeps the map
// tiles of the area a person chose, and never hands signed-in staff stale
// data. Built by vite.config.ts, which fills in the version and the list of
// the build's files.
//
// - The app's files (this build's, named by content) are kept in a cache
//   named after the build; a new build's worker deletes the older caches.
// - Pages: the network first, the kept index.html when there is none.
// - Map tiles: the network first (fresh when online); without a network the
//   tiles kept for the chosen area (`hatang-tiles`, filled by the app).
// - A few reference answers (operators, wards, provinces, the report types,
//   the checklists, who is signed in and what they may read) are kept so the app can start offline;
//   they are always asked of the network first and only used without one.
// - Everything else of the API goes to the network untouched: never cached.

const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const APP = `hatang-app-${VERSION}`;
const TILES = 'hatang-tiles';
const DATA = 'hatang-data';
const KEPT = [
  /^\/api\/v1\/(operators|provinces|incidents\/types|inspections\/checklists|auth\/me|access)$/,
  /^\/api\/v1\/wards$/,
  /^\/config\.json$/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(APP).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('hatang-app-') && name !== APP) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

async function networkFirst(request, cacheName, keep) {
  try {
    const response = await fetch(request);
    if (keep && response.ok) {
      const copy = response.clone();
      void caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { cacheName });
    if (kept) return kept;
    throw error;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    if (url.pathname === '/api/v1/auth/logout' || url.pathname === '/api/v1/auth/login') {
      // Who is signed in changes: forget the kept answer.
      void caches.open(DATA).then((cache) => Promise.all([cache.delete('/api/v1/auth/me'), cache.delete('/api/v1/access')]));
    }
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match('/index.html', { cacheName: APP })) ?? Response.error()),
    );
    return;
  }
  if (url.pathname.startsWith('/tiles/')) {
    event.respondWith(
      (async () => {
        try {
          const response = await fetch(request);
          if (response.ok) {
            const cache = await caches.open(TILES);
            // Tiles of the chosen area stay current while online.
            if (await cache.match(request, { ignoreSearch: true })) void cache.put(request, response.clone());
          }
          return response;
        } catch (error) {
          const kept = await caches.match(request, { cacheName: TILES, ignoreVary: true, ignoreSearch: true });
          if (kept) return kept;
          throw error;
        }
      })(),
    );
    return;
  }
  if (KEPT.some((pattern) => pattern.test(url.pathname))) {
    event.respondWith(networkFirst(request, DATA, true));
    return;
  }
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/ogc') || url.pathname === '/health') return;
  event.respondWith(
    (async () => (await caches.match(request, { cacheName: APP })) ?? fetch(request))(),
  );
});
