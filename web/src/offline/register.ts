// Installs the service worker (sw/sw.template.js, built as /sw.js) so the
// app opens and the chosen map area shows without a network. Not in
// development (`npm run dev` has no sw.js).

export function registerServiceWorker(): void {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
