// Drawing a street line or a zone polygon for the planning tools (areas,
// project routes, civil works), with Terra Draw. Its layers are prefixed
// `td-sketch` so the map keeps them above its own. One sketch at a time; the
// asset editor (../editor.ts) has its own.

import { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawSelectMode } from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import type { GeoJsonGeometry } from '../../api/types';
import type { MapView } from '../mapView';

export type SketchShape = 'linestring' | 'polygon';

const COLOUR = '#6a1b9a';

/** A random id for Terra Draw (plain http has no crypto.randomUUID). */
function uuid(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class Sketch {
  private draw: TerraDraw | null = null;
  private featureId: string | null = null;
  /** A geometry Terra Draw cannot edit (multi-part) is kept as it is. */
  private fixed: GeoJsonGeometry | null = null;

  constructor(
    private readonly view: MapView,
    /** Called when a shape is finished or changed. */
    private readonly onChange: () => void,
  ) {}

  /** Starts drawing a new shape, or editing `initial`. */
  start(shape: SketchShape, initial?: GeoJsonGeometry | null): void {
    const draw = this.ensure();
    this.view.editing = true;
    this.view.closePopup();
    this.view.map.doubleClickZoom.disable();
    if (!draw.enabled) draw.start();
    draw.clear();
    this.featureId = null;
    this.fixed = null;
    if (initial && (initial.type === 'LineString' || initial.type === 'Polygon')) {
      const id = uuid();
      draw.addFeatures([{ id, type: 'Feature', geometry: initial, properties: { mode: initial.type === 'LineString' ? 'linestring' : 'polygon' } }]);
      this.featureId = id;
      draw.setMode('select');
      draw.selectFeature(id);
    } else if (initial) {
      this.fixed = initial;
      this.view.highlight(initial);
      draw.setMode('select');
    } else {
      draw.setMode(shape);
    }
  }

  /** Whether a shape has been drawn (or given). */
  hasShape(): boolean {
    return this.featureId !== null || this.fixed !== null;
  }

  geometry(): GeoJsonGeometry | null {
    if (this.fixed) return this.fixed;
    if (!this.featureId || !this.draw) return null;
    const feature = this.draw.getSnapshotFeature(this.featureId);
    if (!feature) return null;
    const g = feature.geometry;
    const pair = (c: number[]): [number, number] => [c[0] ?? 0, c[1] ?? 0];
    if (g.type === 'LineString') return { type: 'LineString', coordinates: g.coordinates.map(pair) };
    if (g.type === 'Polygon') return { type: 'Polygon', coordinates: g.coordinates.map((ring) => ring.map(pair)) };
    return null;
  }

  /** Holds the drawing still (clicks go elsewhere, to a picker); returns the way to go on. */
  pause(): () => void {
    const draw = this.draw?.enabled ? this.draw : null;
    if (!draw) return () => undefined;
    const mode = draw.getMode();
    draw.setMode('static');
    return () => {
      if (!draw.enabled || draw.getMode() !== 'static') return;
      draw.setMode(mode);
      if (mode === 'select' && this.featureId) draw.selectFeature(this.featureId);
    };
  }

  stop(): void {
    this.view.editing = false;
    this.view.map.doubleClickZoom.enable();
    this.view.highlight(null);
    this.featureId = null;
    this.fixed = null;
    if (this.draw?.enabled) this.draw.stop();
  }

  private ensure(): TerraDraw {
    if (this.draw) return this.draw;
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.view.map, prefixId: 'td-sketch' }),
      modes: [
        new TerraDrawLineStringMode({ styles: { lineStringColor: COLOUR, lineStringWidth: 4 } }),
        new TerraDrawPolygonMode({ styles: { fillColor: COLOUR, fillOpacity: 0.15, outlineColor: COLOUR, outlineWidth: 3 } }),
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          styles: {
            selectedLineStringColor: COLOUR,
            selectedLineStringWidth: 4,
            selectedPolygonColor: COLOUR,
            selectedPolygonFillOpacity: 0.15,
            selectedPolygonOutlineColor: COLOUR,
            selectedPolygonOutlineWidth: 3,
            selectionPointColor: '#ffffff',
            selectionPointOutlineColor: COLOUR,
            midPointColor: COLOUR,
          },
          flags: {
            linestring: { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } },
            polygon: { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } },
          },
        }),
      ],
    });
    this.draw.on('finish', (id) => {
      if (!this.draw) return;
      const mode = this.draw.getMode();
      if (mode === 'linestring' || mode === 'polygon') {
        this.featureId = String(id);
        this.draw.setMode('select');
        this.draw.selectFeature(id);
      }
      this.onChange();
    });
    return this.draw;
  }
}
