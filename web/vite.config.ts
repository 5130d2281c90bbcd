import { defineConfig } from 'vite';

// The app is served by the Hatang server from one origin (web/dist). During
// `npm run dev`, API and tile requests go to a server started on port 8080.
export default defineConfig({
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
