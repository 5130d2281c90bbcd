// Map symbols drawn in the browser, so the map needs no sprite file and no
// font server: one shape per kind of point asset (triangle for towers, circle
// for poles, square for manholes, diamond for cabinets) in any colour, and
// round cluster badges with their count written by the canvas.
//
// Image ids carry what to draw: `shape-triangle-#1565c0`, `cluster-27`. The
// map asks for an id the first time a feature needs it.

import type { Map as MapLibreMap } from 'maplibre-gl';

export type Shape = 'triangle' | 'circle' | 'square' | 'diamond';

const PIXEL_RATIO = 2;
const SHAPE_SIZE: Record<Shape, number> = { triangle: 20, circle: 11, square: 12, diamond: 14 };

/** The icon-image id of a shape in a colour; `colour` may be an expression giving `#rrggbb`. */
export function shapeImage(shape: Shape, colour: unknown): unknown {
  return ['concat', `shape-${shape}-`, colour];
}

function canvas(size: number): [HTMLCanvasElement, CanvasRenderingContext2D] {
  const element = document.createElement('canvas');
  element.width = size * PIXEL_RATIO;
  element.height = size * PIXEL_RATIO;
  const context = element.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.scale(PIXEL_RATIO, PIXEL_RATIO);
  return [element, context];
}

/** Traces a shape centred in a square of `size` CSS pixels. */
export function traceShape(context: CanvasRenderingContext2D, shape: Shape, size: number): void {
  const c = size / 2;
  const r = size / 2 - 1.5;
  context.beginPath();
  switch (shape) {
    case 'triangle':
      context.moveTo(c, c - r);
      context.lineTo(c + r * 0.95, c + r * 0.8);
      context.lineTo(c - r * 0.95, c + r * 0.8);
      context.closePath();
      break;
    case 'circle':
      context.arc(c, c, r, 0, Math.PI * 2);
      break;
    case 'square':
      context.rect(c - r * 0.85, c - r * 0.85, r * 1.7, r * 1.7);
      break;
    case 'diamond':
      context.moveTo(c, c - r);
      context.lineTo(c + r, c);
      context.lineTo(c, c + r);
      context.lineTo(c - r, c);
      context.closePath();
      break;
  }
}

function drawShape(shape: Shape, colour: string): ImageData {
  const size = SHAPE_SIZE[shape];
  const [element, context] = canvas(size);
  traceShape(context, shape, size);
  context.fillStyle = colour;
  context.fill();
  context.lineWidth = shape === 'circle' ? 1.5 : 1.75;
  context.strokeStyle = '#ffffff';
  context.stroke();
  return context.getImageData(0, 0, element.width, element.height);
}

function drawCluster(count: number): ImageData {
  const label = count >= 1000 ? `${Math.round(count / 100) / 10}k` : String(count);
  // Small groups stay small, so a street of grouped poles does not shout.
  const size = count < 10 ? 17 : count < 100 ? 21 : count < 1000 ? 26 : 30;
  const [element, context] = canvas(size);
  context.beginPath();
  context.arc(size / 2, size / 2, size / 2 - 1.5, 0, Math.PI * 2);
  context.fillStyle = 'rgba(38, 50, 56, 0.88)';
  context.fill();
  context.lineWidth = 1.5;
  context.strokeStyle = '#ffffff';
  context.stroke();
  context.fillStyle = '#ffffff';
  context.font = `600 ${size < 21 ? 10 : 11}px "Be Vietnam Pro", system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  context.fillText(label, size / 2, size / 2 + 0.5);
  return context.getImageData(0, 0, element.width, element.height);
}

/** Makes the map draw symbol images on demand. */
export function installSymbols(map: MapLibreMap): void {
  map.setMissingStyleImageResolver((id: string) => {
    const shape = /^shape-(triangle|circle|square|diamond)-(#[0-9a-fA-F]{6})$/.exec(id);
    if (shape) {
      map.addImage(id, drawShape(shape[1] as Shape, shape[2] ?? '#757575'), { pixelRatio: PIXEL_RATIO });
      return;
    }
    const cluster = /^cluster-(\d+)$/.exec(id);
    if (cluster) {
      map.addImage(id, drawCluster(Number(cluster[1])), { pixelRatio: PIXEL_RATIO });
    }
  });
}

/** A small inline SVG of a shape, for legends. */
export function legendShape(shape: Shape | 'line' | 'dashed' | 'duct' | 'trench' | 'cluster' | 'ward' | 'street', colour: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '16');
  svg.setAttribute('viewBox', '0 0 22 16');
  svg.setAttribute('aria-hidden', 'true');
  const add = (tag: string, attributes: Record<string, string>) => {
    const element = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) element.setAttribute(k, v);
    svg.appendChild(element);
  };
  const stroke = { stroke: '#ffffff', 'stroke-width': '1.5' };
  switch (shape) {
    case 'triangle':
      add('polygon', { points: '11,1 19,14 3,14', fill: colour, ...stroke });
      break;
    case 'circle':
      add('circle', { cx: '11', cy: '8', r: '5', fill: colour, ...stroke });
      break;
    case 'square':
      add('rect', { x: '6', y: '3', width: '10', height: '10', fill: colour, ...stroke });
      break;
    case 'diamond':
      add('polygon', { points: '11,1 18,8 11,15 4,8', fill: colour, ...stroke });
      break;
    case 'line':
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: colour, 'stroke-width': '2.5' });
      break;
    case 'dashed':
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: colour, 'stroke-width': '2.5', 'stroke-dasharray': '4 3' });
      break;
    case 'duct':
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: '#263238', 'stroke-width': '7' });
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: colour, 'stroke-width': '4' });
      break;
    case 'trench':
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: colour, 'stroke-width': '9' });
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: '#ffffff', 'stroke-width': '4' });
      break;
    case 'cluster':
      add('circle', { cx: '11', cy: '8', r: '7', fill: 'rgba(38,50,56,0.88)', ...stroke });
      break;
    case 'ward':
      add('rect', { x: '2', y: '2', width: '18', height: '12', fill: 'rgba(63,81,181,0.06)', stroke: '#5c6bc0', 'stroke-width': '1.5', 'stroke-dasharray': '4 2' });
      break;
    case 'street':
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: '#cfd8dc', 'stroke-width': '6' });
      add('line', { x1: '1', y1: '8', x2: '21', y2: '8', stroke: '#ffffff', 'stroke-width': '4' });
      break;
  }
  return svg;
}
