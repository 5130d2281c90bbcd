// The layer switcher with its legend: a checkbox per layer with its symbol,
// the colour mode (operator, status, sharing) and the colours it uses.

import { currentAccess } from '../domain/access';
import type { Basemap } from '../config';
import type { Reference } from '../domain/reference';
import { lang, t } from '../i18n';
import { h } from '../ui/dom';
import { legendEntries, type ColourMode } from './colours';
import { MAP_LAYERS } from './layers';
import type { MapView } from './mapView';
import { legendShape } from './symbols';

const NEUTRAL = '#546e7a';

export function legendPanel(view: MapView, reference: Reference): HTMLElement {
  const modes: [ColourMode, Parameters<typeof t>[0]][] = [
    ['operator', 'legend.byOperator'],
    ['status', 'legend.byStatus'],
    // The public's tiles say nothing about sharing.
    ...(currentAccess().sharing ? [['sharing', 'legend.bySharing'] as [ColourMode, Parameters<typeof t>[0]]] : []),
  ];
  const modeSwitch = h(
    'div',
    { class: 'segmented', role: 'radiogroup', 'aria-label': t('legend.colourBy') },
    modes.map(([mode, label]) =>
      h(
        'button',
        {
          type: 'button',
          role: 'radio',
          'aria-checked': String(view.getColourMode() === mode),
          class: view.getColourMode() === mode ? 'active' : '',
          'data-testid': `colour-${mode}`,
          onclick: () => view.setColourMode(mode),
        },
        t(label),
      ),
    ),
  );

  const colours = h(
    'ul',
    { class: 'legend-colours' },
    legendEntries(view.getColourMode(), reference).map((entry) =>
      h('li', {}, h('span', { class: 'swatch', style: `background:${entry.colour}` }), entry.label),
    ),
  );

  const layers = h(
    'ul',
    { class: 'layer-list' },
    [...MAP_LAYERS]
      .reverse()
      .filter((layer) => view.offered(layer))
      .map((layer) => {
        const checkbox = h('input', {
          type: 'checkbox',
          checked: view.isVisible(layer),
          'data-testid': `layer-${layer.id}`,
          onchange: (event: Event) => view.setVisible(layer, (event.target as HTMLInputElement).checked),
        });
        return h(
          'li',
          {},
          h('label', { class: 'layer-item' }, checkbox, legendShape(layer.symbol, NEUTRAL), h('span', {}, t(layer.label))),
          layer.legend && view.isVisible(layer) ? layer.legend() : null,
        );
      }),
  );

  return h(
    'section',
    { class: 'panel-section', 'aria-labelledby': 'legend-title' },
    h('h2', { id: 'legend-title', class: 'panel-title' }, t('layer.title')),
    layers,
    h('div', { class: 'legend-cluster' }, legendShape('cluster', NEUTRAL), h('span', {}, t('layer.cluster'))),
    basemapChoice(view),
    h('h3', { class: 'panel-subtitle' }, t('legend.colourBy')),
    modeSwitch,
    colours,
  );
}

/** The basemap's name in the current language. */
export function basemapName(basemap: Basemap): string {
  return lang() === 'en' && basemap.nameEn ? basemap.nameEn : basemap.name;
}

/** The basemaps the deployment offers, the plain background first (the default); none offered, no choice. */
function basemapChoice(view: MapView): HTMLElement | null {
  const basemaps = view.basemaps();
  if (basemaps.length === 0) return null;
  const current = view.basemap()?.id ?? '';
  const select = h(
    'select',
    {
      id: 'basemap-choice',
      'data-testid': 'basemap-choice',
      onchange: (event: Event) => view.setBasemap((event.target as HTMLSelectElement).value || null),
    },
    h('option', { value: '', selected: current === '' }, t('basemap.none')),
    basemaps.map((b) => h('option', { value: b.id, selected: current === b.id }, basemapName(b))),
  );
  return h('div', { class: 'basemap-choice' }, h('label', { for: 'basemap-choice', class: 'panel-subtitle' }, t('basemap.label')), select);
}
