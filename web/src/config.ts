// Settings of a deployment. By default the app needs nothing but the Hatang
// server: no basemap, no fonts or scripts from elsewhere. A deployment may
// offer external basemaps in `config.json` (beside index.html in web/dist):
//
//   "basemaps": [
//     { "id": "osm", "name": "OpenStreetMap", "type": "xyz",
//       "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
//       "attribution": "© OpenStreetMap contributors", "max_zoom": 19 },
//     { "id": "tinh", "name": "Bản đồ tỉnh", "name_en": "Province map", "type": "style",
//       "url": "https://maps.example.gov.vn/style.json", "attribution": "© Sở TN&MT" }
//   ]
//
// Each is off until a person chooses it in the layer switcher (the choice is
// kept in this browser); the plain offline background stays the default. The
// hosts must be allowed by the server's `--csp-extra-origins` (README).
//
// Older settings still work: `basemap_style_url` is one more entry of the list,
// chosen by default as it was; `?basemap=<style URL>` in the address adds one
// for this browser, `?basemap=<id>` chooses an entry, `?basemap=none` the
// plain background, `?basemap=` forgets the choice.

export interface Basemap {
  id: string;
  /** The name in the layer switcher (Vietnamese), and in English when given. */
  name: string;
  nameEn?: string;
  /** `xyz`: a raster tile template ({z}/{x}/{y}); `style`: a MapLibre style JSON URL. */
  type: 'xyz' | 'style';
  url: string;
  attribution: string;
  tileSize: number;
  maxZoom: number;
}

export interface AppConfig {
  /** The basemaps a person may choose (none by default). */
  basemaps: Basemap[];
  /** The id of the basemap drawn when the app opens, or null for the plain background. */
  basemap: string | null;
}

const BASEMAP_KEY = 'hatang.basemap';
const LEGACY_ID = 'configured';
const ADDRESS_ID = 'address';

interface BasemapEntry {
  id?: unknown;
  name?: unknown;
  name_en?: unknown;
  type?: unknown;
  url?: unknown;
  attribution?: unknown;
  tile_size?: unknown;
  max_zoom?: unknown;
}

interface ConfigFile {
  basemap_style_url?: string | null;
  basemaps?: BasemapEntry[];
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

/** The entries of the file that make a basemap; the others are left out (with a word to developers). */
export function basemapsOf(file: ConfigFile): Basemap[] {
  const list: Basemap[] = [];
  for (const entry of Array.isArray(file.basemaps) ? file.basemaps : []) {
    const type = entry.type === 'style' ? 'style' : entry.type === 'xyz' || entry.type === undefined ? 'xyz' : null;
    if (typeof entry.id !== 'string' || !entry.id || typeof entry.url !== 'string' || !entry.url || !type || list.some((b) => b.id === entry.id)) {
      console.error('config.json: a basemap needs a unique id, a url and the type xyz or style', entry);
      continue;
    }
    list.push({
      id: entry.id,
      name: typeof entry.name === 'string' && entry.name ? entry.name : entry.id,
      nameEn: typeof entry.name_en === 'string' && entry.name_en ? entry.name_en : undefined,
      type,
      url: entry.url,
      attribution: typeof entry.attribution === 'string' ? entry.attribution : '',
      tileSize: entry.tile_size === 512 ? 512 : 256,
      maxZoom: typeof entry.max_zoom === 'number' ? entry.max_zoom : 19,
    });
  }
  if (file.basemap_style_url) {
    list.push({ id: LEGACY_ID, name: 'Bản đồ nền', nameEn: 'Basemap', type: 'style', url: file.basemap_style_url, attribution: '', tileSize: 512, maxZoom: 22 });
  }
  return list;
}

export async function loadConfig(): Promise<AppConfig> {
  const file = await readConfigFile();
  const basemaps = basemapsOf(file);
  const fromAddress = new URLSearchParams(location.search).get('basemap');
  if (fromAddress !== null) {
    if (fromAddress === '') localStorage.removeItem(BASEMAP_KEY);
    else localStorage.setItem(BASEMAP_KEY, fromAddress);
  }
  const kept = localStorage.getItem(BASEMAP_KEY);
  // A style URL from the address (the older way): one more entry, for this browser.
  if (kept && /^https?:\/\//.test(kept)) {
    basemaps.push({ id: ADDRESS_ID, name: 'Bản đồ nền (địa chỉ)', nameEn: 'Basemap (address)', type: 'style', url: kept, attribution: '', tileSize: 512, maxZoom: 22 });
  }
  let basemap: string | null;
  if (kept === 'none') basemap = null;
  else if (kept && /^https?:\/\//.test(kept)) basemap = ADDRESS_ID;
  else if (kept && basemaps.some((b) => b.id === kept)) basemap = kept;
  else basemap = file.basemap_style_url ? LEGACY_ID : null;
  return { basemaps, basemap };
}

/** Keeps a person's choice of basemap (an id, or null for none) in this browser. */
export function rememberBasemap(config: AppConfig, id: string | null): void {
  config.basemap = id;
  const entry = config.basemaps.find((b) => b.id === id);
  localStorage.setItem(BASEMAP_KEY, id === null ? 'none' : entry?.id === ADDRESS_ID ? entry.url : (id ?? 'none'));
}
