// Keeps the map tiles of an area for offline use: the tiles of the view's
// bounds from its zoom (at least 12) to 16, the deepest zoom of Hatang's
// tiles (beyond it the map draws the zoom-16 tiles larger). The service
// worker serves them from this cache when there is no network.

export const TILE_CACHE = 'hatang-tiles';
export const MAX_TILES = 600;

function tileX(lon: number, z: number): number {
  return Math.floor(((lon + 180) / 360) * 2 ** z);
}

function tileY(lat: number, z: number): number {
  const rad = (lat * Math.PI) / 180;
  return Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z);
}

/** The tile URLs of `bbox` (minLon, minLat, maxLon, maxLat) for zooms `from`..16, from a `{z}/{x}/{y}` template. */
export function tileUrls(template: string, bbox: [number, number, number, number], from: number): string[] {
  const urls: string[] = [];
  for (let z = Math.max(10, Math.min(16, Math.floor(from))); z <= 16; z++) {
    const [x0, x1] = [tileX(bbox[0], z), tileX(bbox[2], z)];
    const [y0, y1] = [tileY(bbox[3], z), tileY(bbox[1], z)];
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) urls.push(template.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)));
  }
  return urls;
}

/** Downloads and keeps the tiles; reports progress; resolves with the number kept. */
export async function keepTiles(urls: string[], progress: (done: number, total: number) => void): Promise<number> {
  const cache = await caches.open(TILE_CACHE);
  let done = 0;
  let kept = 0;
  const queue = [...urls];
  const worker = async () => {
    for (let url = queue.shift(); url; url = queue.shift()) {
      try {
        const response = await fetch(url, { credentials: 'same-origin' });
        if (response.ok) {
          await cache.put(url, response);
          kept += 1;
        }
      } catch {
        // a tile that fails is skipped; the others are kept
      }
      done += 1;
      progress(done, urls.length);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return kept;
}

export async function keptTileCount(): Promise<number> {
  if (!('caches' in window)) return 0;
  return (await (await caches.open(TILE_CACHE)).keys()).length;
}

export async function clearTiles(): Promise<void> {
  await caches.delete(TILE_CACHE);
}
