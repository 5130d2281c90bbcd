// Printing the map (issue 12): what a ward attaches to a document. A sheet of
// paper (A4 or A3, portrait or landscape) laid out at its real size in
// millimetres: the title the person types, the map as it is on the map screen
// (the same layers, filters and colours; dragged and zoomed in its frame), a
// north arrow, a scale bar and the scale on paper, the legend of the layers
// drawn, the date (dd/MM/yyyy), the coordinate system with the centre in
// VN-2000, and the source. "In / Lưu PDF" opens the browser's print dialog;
// `@page` has the sheet's size, so "Save as PDF" gives a one-page PDF of it.
//
// Address: `/ban-do/in?size=A4&orientation=landscape&title=…#map=17/15.11/108.80`
// (also `/map/print`); the controls keep it up to date, so the address of a
// print view opens the same sheet again.

import type { App } from '../app';
import { formatDate, formatFixed, formatMeridian, formatNumber, t, type MessageKey } from '../i18n';
import { legendEntries, type ColourMode } from '../map/colours';
import { toVn2000Tm3, wardAt } from '../map/coords';
import { MAP_LAYERS } from '../map/layers';
import { basemapName } from '../map/legend';
import { legendShape } from '../map/symbols';
import { followInHash, viewFromHash } from '../map/viewHash';
import type { Screen } from '../router';
import { h, replace } from '../ui/dom';
import '../styles/print.css';

type Size = 'A4' | 'A3';
type Orientation = 'portrait' | 'landscape';

/** Paper sizes in millimetres, portrait (width, height). */
const PAPER: Record<Size, [number, number]> = { A4: [210, 297], A3: [297, 420] };
/** A CSS pixel on paper: 1/96 inch. */
const MM_PER_PX = 25.4 / 96;
const NEUTRAL = '#546e7a';
const COLOUR_MODE_LABEL: Record<ColourMode, MessageKey> = {
  operator: 'legend.byOperator',
  status: 'legend.byStatus',
  sharing: 'legend.bySharing',
};

export function mapPrintScreen(app: App, query: URLSearchParams): Screen {
  const cleanups: (() => void)[] = [];
  let size: Size = query.get('size')?.toUpperCase() === 'A3' ? 'A3' : 'A4';
  let orientation: Orientation = query.get('orientation') === 'portrait' ? 'portrait' : 'landscape';
  let title = query.get('title') ?? t('print.titleDefault');

  return {
    render(root) {
      const { view } = app;
      const map = view.map;
      root.className = 'screen screen-page screen-print';
      document.documentElement.classList.add('printing-map');
      cleanups.push(() => document.documentElement.classList.remove('printing-map'));
      const pageStyle = h('style', { id: 'print-page-size' });
      document.head.appendChild(pageStyle);
      cleanups.push(() => pageStyle.remove());

      // The sheet.
      const titleElement = h('h1', { class: 'print-title', 'data-testid': 'print-title' });
      const snapshot = h('img', { class: 'print-snapshot', alt: '' });
      const scaleBar = h('div', { class: 'print-scale-bar-line' });
      const scaleLength = h('span', { 'data-testid': 'print-scale-bar' });
      const scaleText = h('span', { class: 'print-scale-text', 'data-testid': 'print-scale' });
      const north = northArrow();
      const frame = h(
        'div',
        { class: 'print-map-frame', 'data-testid': 'print-map' },
        snapshot,
        north,
        h('div', { class: 'print-scale', 'aria-label': t('print.scale', { n: '' }) }, scaleBar, h('div', { class: 'print-scale-labels' }, h('span', {}, '0'), scaleLength), scaleText),
      );
      const legend = h('aside', { class: 'print-legend', 'data-testid': 'print-legend' });
      const footer = h('footer', { class: 'print-footer', 'data-testid': 'print-footer' });
      const sheet = h(
        'div',
        { class: 'print-sheet', 'data-testid': 'print-sheet' },
        h('header', { class: 'print-header' }, titleElement),
        h('div', { class: 'print-body' }, frame, legend),
        footer,
      );
      const stage = h('div', { class: 'print-stage' }, sheet);

      // The controls (not printed).
      const titleInput = h('input', { type: 'text', id: 'print-title-input', 'data-testid': 'print-title-input', maxlength: 160, value: title });
      titleInput.value = title;
      titleInput.addEventListener('input', () => {
        title = titleInput.value;
        update();
      });
      const sizeSelect = h(
        'select',
        { id: 'print-size', 'data-testid': 'print-size' },
        (['A4', 'A3'] as const).map((s) => h('option', { value: s, selected: s === size }, s)),
      );
      sizeSelect.addEventListener('change', () => {
        size = sizeSelect.value === 'A3' ? 'A3' : 'A4';
        update(true);
      });
      const orientationSelect = h(
        'select',
        { id: 'print-orientation', 'data-testid': 'print-orientation' },
        h('option', { value: 'landscape', selected: orientation === 'landscape' }, t('print.landscape')),
        h('option', { value: 'portrait', selected: orientation === 'portrait' }, t('print.portrait')),
      );
      orientationSelect.addEventListener('change', () => {
        orientation = orientationSelect.value === 'portrait' ? 'portrait' : 'landscape';
        update(true);
      });
      const toolbar = h(
        'div',
        { class: 'print-toolbar' },
        h('a', { href: `/${location.hash}`, class: 'button', 'data-testid': 'print-back' }, t('print.back')),
        h('label', { class: 'print-field print-field-title' }, h('span', {}, t('print.titleLabel')), titleInput),
        h('label', { class: 'print-field' }, h('span', {}, t('print.size')), sizeSelect),
        h('label', { class: 'print-field' }, h('span', {}, t('print.orientation')), orientationSelect),
        h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'print-button', onclick: () => window.print() }, t('print.print')),
        h('p', { class: 'print-hint muted small' }, t('print.hint')),
      );
      replace(root, toolbar, stage);

      const paper = (): [number, number] => {
        const [w, hgt] = PAPER[size];
        return orientation === 'portrait' ? [w, hgt] : [hgt, w];
      };

      /** Fits the sheet in the window on screen (it is printed at its real size). */
      const fitToWindow = () => {
        const [w, hgt] = paper();
        const available = stage.clientWidth - 16;
        const factor = Math.min(1, available / (w / MM_PER_PX));
        sheet.style.transform = factor < 1 ? `scale(${factor})` : '';
        // Scaled down, the map's zoom buttons would be too small to tap: pinch or scroll instead.
        sheet.classList.toggle('print-scaled', factor < 1);
        stage.style.height = `${(hgt / MM_PER_PX) * factor + 24}px`;
      };

      const updateScale = () => {
        const centre = map.getCenter();
        // Metres per CSS pixel at the centre (MapLibre's 512 px tiles), and so on paper.
        const metresPerPx = (40_075_016.686 * Math.cos((centre.lat * Math.PI) / 180)) / (512 * 2 ** map.getZoom());
        const denominator = metresPerPx / (MM_PER_PX / 1000);
        scaleText.textContent = `${t('print.scale', { n: roundScale(denominator) })} ${t('print.scaleNote', { size: `${size} ${t(orientation === 'portrait' ? 'print.portrait' : 'print.landscape').toLocaleLowerCase()}` })}`;
        // A round length no longer than 30 mm on paper.
        const metres = niceLength((30 / MM_PER_PX) * metresPerPx);
        scaleBar.style.width = `${metres / metresPerPx}px`;
        scaleLength.textContent = metres >= 1000 ? `${formatNumber(metres / 1000)} km` : `${formatNumber(metres)} m`;
        updateFooter();
      };

      const updateFooter = () => {
        const { lng, lat } = map.getCenter();
        const ward = wardAt(app.reference.wards, lng, lat);
        const lines: (string | HTMLElement)[] = [
          h('span', { 'data-testid': 'print-date' }, t('print.date', { date: formatDate(new Date()) })),
          h('span', { 'data-testid': 'print-crs' }, t('print.crs')),
          h('span', {}, t('print.centreWgs', { lat: formatFixed(lat, 5), lng: formatFixed(lng, 5) })),
        ];
        if (ward && ward.properties.tm3_meridian !== null) {
          const { x, y } = toVn2000Tm3(lng, lat, ward.properties.tm3_meridian);
          lines.push(h('span', {}, t('print.centreVn2000', { meridian: formatMeridian(ward.properties.tm3_meridian), x: formatFixed(x, 1), y: formatFixed(y, 1) })));
        }
        const units = wardsShown(app, ward);
        lines.push(h('span', { 'data-testid': 'print-source' }, units ? t('print.source', { units }) : t('print.sourceAll')));
        const basemap = view.basemap();
        if (basemap) lines.push(h('span', {}, t('print.basemap', { name: [basemapName(basemap), basemap.attribution].filter(Boolean).join(' — ') })));
        replace(footer, lines);
      };

      const updateLegend = () => {
        const drawn = [...MAP_LAYERS].reverse().filter((layer) => view.shown(layer));
        const colours = drawn.some((layer) => layer.collection)
          ? h(
              'div',
              { class: 'print-legend-colours' },
              h('h3', {}, t('print.coloursBy', { mode: t(COLOUR_MODE_LABEL[view.getColourMode()]) })),
              h(
                'ul',
                {},
                legendEntries(view.getColourMode(), app.reference).map((entry) =>
                  h('li', {}, h('span', { class: 'swatch', style: `background:${entry.colour}` }), entry.label),
                ),
              ),
            )
          : null;
        replace(
          legend,
          h('h2', {}, t('print.legend')),
          drawn.length === 0
            ? h('p', { class: 'muted' }, t('print.noLayers'))
            : h(
                'ul',
                { class: 'print-legend-layers' },
                drawn.map((layer) =>
                  h(
                    'li',
                    { 'data-testid': 'print-legend-entry', 'data-layer': layer.id },
                    h('span', { class: 'print-legend-item' }, legendShape(layer.symbol, NEUTRAL), h('span', {}, t(layer.label))),
                    layer.legend?.() ?? null,
                  ),
                ),
              ),
          colours,
        );
      };

      /** Keeps a copy of the drawn map, printed instead of the live canvas (WebGL does not always print). */
      const takeSnapshot = () => {
        try {
          snapshot.src = map.getCanvas().toDataURL('image/png');
          frame.classList.add('has-snapshot');
        } catch {
          frame.classList.remove('has-snapshot'); // a basemap without CORS: the canvas is printed as it is
        }
      };

      function update(relayout = false) {
        const [w, hgt] = paper();
        titleElement.textContent = title.trim() || t('print.titleDefault');
        sheet.style.width = `${w}mm`;
        // A hair under the page, so that rounding never makes a second page.
        sheet.style.height = `${hgt - 0.5}mm`;
        sheet.classList.toggle('print-portrait', orientation === 'portrait');
        pageStyle.textContent = `@page { size: ${size} ${orientation}; margin: 0; }`;
        const address = new URLSearchParams({ size, orientation, title });
        history.replaceState(history.state, '', `${location.pathname}?${address.toString()}${location.hash}`);
        if (relayout) {
          fitToWindow();
          map.resize();
        }
        updateScale();
      }

      view.mountIn(frame);
      const hashView = viewFromHash();
      if (hashView) map.jumpTo(hashView);
      update(true);
      updateLegend();
      requestAnimationFrame(() => {
        fitToWindow();
        map.resize();
        updateScale();
      });

      map.on('move', updateScale);
      map.on('idle', takeSnapshot);
      window.addEventListener('resize', fitToWindow);
      cleanups.push(
        () => map.off('move', updateScale),
        () => map.off('idle', takeSnapshot),
        () => window.removeEventListener('resize', fitToWindow),
        view.onChange(updateLegend),
        followInHash(map),
      );
      void view.ready.then(() => {
        map.resize();
        updateScale();
        updateLegend();
      });
    },
    leave() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}

/** The wards whose data the frame shows, as they are written ("phường Cẩm Thành"), the centre's first. */
function wardsShown(app: App, atCentre: ReturnType<typeof wardAt>): string | null {
  const [west, south, east, north] = app.view.extent();
  const inFrame = app.reference.wards.filter((w) => {
    const box = w.properties.bbox;
    return box && box[0] <= east && box[2] >= west && box[1] <= north && box[3] >= south;
  });
  const wards = [...new Set([...(atCentre ? [atCentre] : []), ...inFrame])].slice(0, 4);
  if (wards.length === 0) return null;
  return wards.map((w) => writtenName(w.properties.unit_type, w.properties.name)).join(', ');
}

function writtenName(unitType: string, name: string): string {
  const type = unitType.toLocaleLowerCase('vi');
  return name.toLocaleLowerCase('vi').startsWith(type) ? name : `${type} ${name}`;
}

/** 1, 2 or 5 times a power of ten, the largest not over `metres`. */
function niceLength(metres: number): number {
  const power = 10 ** Math.floor(Math.log10(metres));
  const first = metres / power;
  return (first >= 5 ? 5 : first >= 2 ? 2 : 1) * power;
}

/** A scale as maps write it: 1:2.500, 1:10.000 (two significant digits, at least). */
function roundScale(denominator: number): number {
  const power = 10 ** Math.max(0, Math.floor(Math.log10(denominator)) - 1);
  return Math.round(denominator / power) * power;
}

function northArrow(): HTMLElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 40 56');
  svg.setAttribute('aria-hidden', 'true');
  const left = document.createElementNS(ns, 'path');
  left.setAttribute('d', 'M20 16 L8 50 L20 42 Z');
  left.setAttribute('fill', '#111');
  const right = document.createElementNS(ns, 'path');
  right.setAttribute('d', 'M20 16 L32 50 L20 42 Z');
  right.setAttribute('fill', '#fff');
  right.setAttribute('stroke', '#111');
  right.setAttribute('stroke-width', '1.5');
  const letter = document.createElementNS(ns, 'text');
  letter.setAttribute('x', '20');
  letter.setAttribute('y', '13');
  letter.setAttribute('text-anchor', 'middle');
  letter.setAttribute('font-size', '13');
  letter.setAttribute('font-weight', '700');
  letter.textContent = t('print.north');
  svg.append(left, right, letter);
  return h('div', { class: 'print-north', title: t('print.northTitle'), 'data-testid': 'print-north' }, svg);
}
