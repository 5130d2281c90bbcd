// The map's view in the address (`/#map=17/15.11280/108.80520`: zoom,
// latitude, longitude, as OpenStreetMap writes it), so that a link or a
// reload opens the map where it was. Only the map screen reads and writes it.

import type { Map as MapLibreMap } from 'maplibre-gl';

const PATTERN = /(?:^#|&)map=(\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)/;

/** The view the address asks for, if it names one that makes sense. */
export function viewFromHash(hash = location.hash): { center: [number, number]; zoom: number } | null {
  const match = hash.match(PATTERN);
  if (!match) return null;
  const [zoom, lat, lng] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!(zoom >= 0 && zoom <= 22 && Math.abs(lat) <= 85 && Math.abs(lng) <= 180)) return null;
  return { center: [lng, lat], zoom };
}

/** Keeps the address in step with the map as it moves (replacing, not adding, history entries); returns the stop. */
export function followInHash(map: MapLibreMap): () => void {
  const write = () => {
    const { lng, lat } = map.getCenter();
    const hash = `#map=${map.getZoom().toFixed(2).replace(/\.?0+$/, '')}/${lat.toFixed(5)}/${lng.toFixed(5)}`;
    if (location.hash !== hash) history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);
  };
  map.on('moveend', write);
  return () => map.off('moveend', write);
}
