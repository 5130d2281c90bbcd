// Small SVG charts drawn by hand, so the app needs no chart library: a line
// chart over dates (km remaining over time) and horizontal bars (km per
// operator, sharing ratio per operator). Text is SVG text in the app's font;
// each chart has a title for screen readers, and every point a tooltip.

import { formatDate } from '../i18n';

const NS = 'http://www.w3.org/2000/svg';

type Attributes = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/** A round number at or above `value` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^n), for the top of an axis. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (value <= step * power + 1e-9) return step * power;
  }
  return 10 * power;
}

/** Days since the epoch of a `YYYY-MM-DD` date (no time zone involved). */
function dayNumber(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 86_400_000;
}

export interface LineSeries {
  label: string;
  colour: string;
  dashed?: boolean;
  points: { day: string; value: number }[];
}

export interface LineChartOptions {
  title: string;
  series: LineSeries[];
  /** How a value is written on the axis and in tooltips (`12,5 km`). */
  format: (value: number) => string;
  testId?: string;
}

/**
 * A line chart of values over days. With a single day the point sits in the
 * middle, so a ward with one snapshot still shows where it stands.
 */
export function lineChart(options: LineChartOptions): SVGSVGElement {
  const width = 560;
  const height = 230;
  const margin = { top: 14, right: 18, bottom: 30, left: 64 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;

  const days = options.series.flatMap((s) => s.points.map((p) => dayNumber(p.day)));
  const values = options.series.flatMap((s) => s.points.map((p) => p.value));
  let first = Math.min(...days);
  let last = Math.max(...days);
  if (!Number.isFinite(first)) first = last = 0;
  if (first === last) {
    first -= 15;
    last += 15;
  }
  const top = niceCeiling(Math.max(0, ...values) * 1.05);
  const x = (day: number) => margin.left + ((day - first) / (last - first)) * innerW;
  const y = (value: number) => margin.top + innerH - (value / top) * innerH;

  const chart = svg('svg', {
    class: 'chart chart-line',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': options.title,
    ...(options.testId ? { 'data-testid': options.testId } : {}),
  });
  chart.append(svg('title', {}, options.title));

  // Horizontal grid and the value axis.
  const grid = svg('g', { class: 'chart-grid' });
  for (let i = 0; i <= 4; i++) {
    const value = (top / 4) * i;
    grid.append(
      svg('line', { x1: margin.left, x2: width - margin.right, y1: y(value), y2: y(value) }),
      svg('text', { x: margin.left - 8, y: y(value) + 4, 'text-anchor': 'end', class: 'chart-tick' }, options.format(value)),
    );
  }
  chart.append(grid);

  // Date ticks: the distinct days, at most five of them, evenly picked.
  const distinct = [...new Set(options.series.flatMap((s) => s.points.map((p) => p.day)))].sort();
  const shown = distinct.length <= 5 ? distinct : [0, 1, 2, 3, 4].map((i) => distinct[Math.round((i * (distinct.length - 1)) / 4)] ?? '');
  const axis = svg('g', { class: 'chart-axis' });
  axis.append(svg('line', { x1: margin.left, x2: width - margin.right, y1: margin.top + innerH, y2: margin.top + innerH }));
  for (const day of new Set(shown)) {
    const at = x(dayNumber(day));
    // Labels at the ends of the axis stay inside the chart.
    const anchor = at - margin.left < 40 ? 'start' : width - margin.right - at < 40 ? 'end' : 'middle';
    axis.append(
      svg('line', { x1: at, x2: at, y1: margin.top + innerH, y2: margin.top + innerH + 4 }),
      svg('text', { x: anchor === 'start' ? at - 4 : anchor === 'end' ? at + 4 : at, y: height - 8, 'text-anchor': anchor, class: 'chart-tick' }, formatDate(day)),
    );
  }
  chart.append(axis);

  for (const series of options.series) {
    const sorted = [...series.points].sort((a, b) => a.day.localeCompare(b.day));
    const group = svg('g', { class: 'chart-series' });
    if (sorted.length > 1) {
      const d = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(dayNumber(p.day)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
      group.append(
        svg('path', {
          d,
          fill: 'none',
          stroke: series.colour,
          'stroke-width': 2.5,
          'stroke-linejoin': 'round',
          ...(series.dashed ? { 'stroke-dasharray': '6 4' } : {}),
        }),
      );
    }
    for (const p of sorted) {
      group.append(
        svg(
          'circle',
          { class: 'chart-point', cx: x(dayNumber(p.day)).toFixed(1), cy: y(p.value).toFixed(1), r: 4, fill: '#fff', stroke: series.colour, 'stroke-width': 2.5, 'data-value': p.value },
          svg('title', {}, `${series.label}, ${formatDate(p.day)}: ${options.format(p.value)}`),
        ),
      );
    }
    chart.append(group);
  }
  return chart;
}

export interface Bar {
  label: string;
  value: number;
  colour: string;
  /** Written at the end of the bar. */
  text: string;
  /** A part of the value drawn darker inside the bar (debt within overhead km). */
  part?: { value: number; colour: string };
  /** Tooltip. */
  title?: string;
}

export interface BarChartOptions {
  title: string;
  bars: Bar[];
  /** The value of a full bar; by default a round number above the largest. */
  max?: number;
  testId?: string;
}

/** Horizontal bars, one row per item, labelled on the left and valued on the right. */
export function barChart(options: BarChartOptions): SVGSVGElement {
  const rowHeight = 30;
  const width = 560;
  const labelWidth = 140;
  // About 7.5 px a character at 12 px: longer names are cut, whole in the tooltip.
  const maxChars = Math.floor((labelWidth - 14) / 7.5);
  const fit = (label: string) => (label.length > maxChars ? `${label.slice(0, maxChars - 1)}…` : label);
  const valueWidth = 130;
  const height = Math.max(1, options.bars.length) * rowHeight + 8;
  const max = options.max ?? niceCeiling(Math.max(0, ...options.bars.map((b) => b.value)));
  const barArea = width - labelWidth - valueWidth;
  const scale = (value: number) => (max > 0 ? Math.max(0, Math.min(1, value / max)) * barArea : 0);

  const chart = svg('svg', {
    class: 'chart chart-bars',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': options.title,
    ...(options.testId ? { 'data-testid': options.testId } : {}),
  });
  chart.append(svg('title', {}, options.title));
  options.bars.forEach((bar, i) => {
    const top = 4 + i * rowHeight;
    const row = svg('g', { class: 'chart-bar' });
    row.append(
      svg('text', { x: labelWidth - 10, y: top + rowHeight / 2 + 4, 'text-anchor': 'end', class: 'chart-label' }, fit(bar.label)),
      svg('rect', { x: labelWidth, y: top + 6, width: barArea, height: rowHeight - 12, rx: 3, class: 'chart-track' }),
      svg('rect', { x: labelWidth, y: top + 6, width: scale(bar.value).toFixed(1), height: rowHeight - 12, rx: 3, fill: bar.colour, 'data-value': bar.value }),
    );
    if (bar.part && bar.part.value > 0) {
      row.append(svg('rect', { x: labelWidth, y: top + 6, width: scale(bar.part.value).toFixed(1), height: rowHeight - 12, rx: 3, fill: bar.part.colour }));
    }
    row.append(svg('text', { x: labelWidth + barArea + 10, y: top + rowHeight / 2 + 4, class: 'chart-value' }, bar.text));
    row.append(svg('title', {}, bar.title ?? `${bar.label}: ${bar.text}`));
    chart.append(row);
  });
  return chart;
}
