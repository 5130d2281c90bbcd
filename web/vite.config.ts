import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes the service worker (sw/sw.template.js) into the build with this
 * build's files to keep and a version named after them, so every build has
 * its own cache and the old one is deleted when the new worker takes over.
 */
function serviceWorker(): Plugin {
  return {
    name: 'hatang-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((name) => !name.endsWith('.map'));
      const precache = ['/index.html', ...files.filter((f) => f !== 'index.html').map((f) => `/${f}`), '/favicon.svg', '/manifest.webmanifest', '/icon-192.png', '/icon-512.png'];
      const version = createHash('sha256').update(files.sort().join('\n')).digest('hex').slice(0, 12);
      const template = readFileSync(new URL('./sw/sw.template.js', import.meta.url), 'utf8');
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: template.replace('__VERSION__', version).replace('__PRECACHE__', JSON.stringify(precache)),
      });
    },
  };
}

// The app is served by the Hatang server from one origin (web/dist). During
// `npm run dev`, API and tile requests go to a server started on port 8080.
export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    target: 'es2022',
    // Not `assets/`: the app's own addresses use /assets/{id} for asset pages.
    assetsDir: 'static',
    // MapLibre alone is most of the main chunk; the tool screens load on demand.
    chunkSizeWarningLimit: 1700,
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8080',
      '/tiles': 'http://127.0.0.1:8080',
      '/health': 'http://127.0.0.1:8080',
    },
  },
});
