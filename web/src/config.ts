// Settings of a deployment. By default the app needs nothing but the Hatang
// server: no basemap, no fonts or scripts from elsewhere. A deployment with a
// basemap sets its MapLibre style URL in `config.json` (beside index.html in
// web/dist) or a person adds `?basemap=<style URL>` to the address
// (`?basemap=none` turns it off, `?basemap=` goes back to config.json); the
// choice from the address is kept in this browser.

export interface AppConfig {
  /** A MapLibre style JSON URL drawn below Hatang's layers, or null for a plain background. */
  basemapStyleUrl: string | null;
}

const BASEMAP_KEY = 'hatang.basemap';

interface ConfigFile {
  basemap_style_url?: string | null;
}

async function readConfigFile(): Promise<ConfigFile> {
  try {
    const response = await fetch('/config.json', { headers: { Accept: 'application/json' } });
    if (!response.ok || !(response.headers.get('Content-Type') ?? '').includes('json')) return {};
    return (await response.json()) as ConfigFile;
  } catch {
    return {};
  }
}

export async function loadConfig(): Promise<AppConfig> {
  const file = await readConfigFile();
  const fromAddress = new URLSearchParams(location.search).get('basemap');
  if (fromAddress !== null) {
    if (fromAddress === '') localStorage.removeItem(BASEMAP_KEY);
    else localStorage.setItem(BASEMAP_KEY, fromAddress);
  }
  const chosen = localStorage.getItem(BASEMAP_KEY) ?? file.basemap_style_url ?? null;
  return { basemapStyleUrl: chosen === 'none' ? null : chosen };
}
