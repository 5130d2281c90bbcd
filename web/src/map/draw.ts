// Drawing on the map with Terra Draw and its MapLibre adapter, shared by the
// asset editor (points and lines) and the permit application form (points,
// lines and, for excavations, areas): one look for what is being drawn, one
// way to read back what was drawn.

import { TerraDraw, TerraDrawLineStringMode, TerraDrawPointMode, TerraDrawPolygonMode, TerraDrawSelectMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { GeoJsonGeometry } from '../api/types';

const RED = '#d50000';

/** A random id for Terra Draw (works on plain http too, unlike crypto.randomUUID). */
export function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A Terra Draw on `map` with point, line and select modes (and polygon mode
 * when asked); its style layers are prefixed `td`, which the map view keeps on top.
 */
export function createTerraDraw(map: MapLibreMap, options: { polygon?: boolean } = {}): TerraDraw {
  const selected = { selectedPointColor: RED, selectedLineStringColor: RED, selectionPointColor: '#ffffff', selectionPointOutlineColor: RED } as const;
  const editable = { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } as const;
  return new TerraDraw({
    adapter: new TerraDrawMapLibreGLAdapter({ map, prefixId: 'td' }),
    modes: [
      new TerraDrawPointMode({ styles: { pointColor: RED, pointWidth: 7, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 } }),
      new TerraDrawLineStringMode({ styles: { lineStringColor: RED, lineStringWidth: 4 } }),
      ...(options.polygon ? [new TerraDrawPolygonMode({ styles: { fillColor: RED, fillOpacity: 0.2, outlineColor: RED, outlineWidth: 3 } })] : []),
      new TerraDrawSelectMode({
        allowManualDeselection: false,
        styles: { ...selected, selectedPointWidth: 8, selectedLineStringWidth: 4, selectedPolygonColor: RED, selectedPolygonOutlineColor: RED, selectedPolygonFillOpacity: 0.2 },
        flags: {
          point: { feature: { draggable: true } },
          linestring: { feature: editable },
          ...(options.polygon ? { polygon: { feature: editable } } : {}),
        },
      }),
    ],
  });
}

/** The Terra Draw mode that draws a geometry type. */
export function modeFor(type: 'Point' | 'LineString' | 'Polygon'): 'point' | 'linestring' | 'polygon' {
  return type === 'Point' ? 'point' : type === 'LineString' ? 'linestring' : 'polygon';
}

/** What is drawn as feature `id`, as plain GeoJSON; null when nothing is. */
export function drawnGeometry(draw: TerraDraw, id: string): GeoJsonGeometry | null {
  const feature = draw.getSnapshotFeature(id);
  if (!feature) return null;
  const geometry = feature.geometry;
  const pair = (c: number[]): [number, number] => [c[0] ?? 0, c[1] ?? 0];
  if (geometry.type === 'Point') return { type: 'Point', coordinates: pair(geometry.coordinates) };
  if (geometry.type === 'LineString') return { type: 'LineString', coordinates: geometry.coordinates.map(pair) };
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map((ring) => ring.map(pair)) };
  return null;
}
