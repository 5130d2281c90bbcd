// Flagged streets (tuyến phố phải hạ ngầm): each street segment of an
// undergrounding area as its corridor (±15 m, where the poles stand),
// coloured by the overhead cable still standing on it or by how many cables
// crowd it (the density index). The popup gives km per operator, the target
// year and the plan the street comes from.

import { currentAccess, mayReadAnyUndergrounding } from '../../domain/access';
import type { ExpressionSpecification } from 'maplibre-gl';
import { undergroundingApi, type SegmentFeature } from '../../api/undergrounding';
import { canPlan, FLAG_CLASSES, FLAG_PROPERTY, flagClassLabels, km, type FlagMode } from '../../domain/undergrounding';
import { formatNumber, t } from '../../i18n';
import { h } from '../../ui/dom';
import type { Overlay } from './types';

let mode: FlagMode = 'overhead';

export function flagMode(): FlagMode {
  return mode;
}

function colour(): ExpressionSpecification {
  const classes = FLAG_CLASSES[mode];
  const steps = classes.slice(1).flatMap((c) => [c.from, c.colour]);
  return ['step', ['coalesce', ['get', FLAG_PROPERTY[mode]], 0], classes[0]?.colour ?? '#757575', ...steps] as unknown as ExpressionSpecification;
}

export const flags: Overlay<SegmentFeature> = {
  id: 'ug-flags',
  label: 'ug.layer.flags',
  available: mayReadAnyUndergrounding,
  load: async (signal) => (await undergroundingApi.flags(null, signal)).features,
  styleLayers: () => [
    {
      id: 'ug-flags-fill',
      type: 'fill',
      source: 'ug-flags',
      paint: { 'fill-color': colour(), 'fill-opacity': 0.38 },
    },
    {
      id: 'ug-flags-outline',
      type: 'line',
      source: 'ug-flags',
      layout: { 'line-join': 'round' },
      // Wide enough to see and click at city zooms, where a 30 m corridor is a hair.
      paint: { 'line-color': colour(), 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 3, 15, 2, 18, 1.5], 'line-opacity': 0.95 },
    },
  ],
  interactiveLayerIds: ['ug-flags-fill', 'ug-flags-outline'],

  legend(context) {
    const modes: [FlagMode, string][] = [
      ['overhead', t('ug.flags.byOverhead')],
      ['density', t('ug.flags.byDensity')],
    ];
    const labels = flagClassLabels(mode);
    return h(
      'div',
      { class: 'overlay-legend' },
      h(
        'div',
        { class: 'segmented segmented-small', role: 'radiogroup', 'aria-label': t('legend.colourBy') },
        modes.map(([m, label]) =>
          h(
            'button',
            {
              type: 'button',
              role: 'radio',
              'aria-checked': String(mode === m),
              class: mode === m ? 'active' : '',
              'data-testid': `flags-mode-${m}`,
              onclick: () => {
                mode = m;
                context.restyle();
              },
            },
            label,
          ),
        ),
      ),
      h(
        'ul',
        { class: 'legend-classes' },
        FLAG_CLASSES[mode].map((c, i) => h('li', {}, h('span', { class: 'swatch', style: `background:${c.colour}` }), labels[i] ?? '')),
      ),
    );
  },

  popup(feature, _rendered, context) {
    const p = feature.properties;
    const { reference } = context.app;
    const operators = Object.entries(p.by_operator).sort((a, b) => b[1] - a[1]);
    const largest = Math.max(0.001, ...operators.map(([, value]) => value));
    const owners = currentAccess().owners_in_figures;
    return h(
      'div',
      { class: 'popup flag-popup', 'data-testid': 'flag-popup' },
      h('div', { class: 'popup-kind' }, p.area_type === 'zone' ? t('ug.flags.inZone', { zone: p.area_name }) : t('ug.flags.street'), p.ward_name ? ` · ${p.ward_name}` : ''),
      h('h3', { class: 'popup-title' }, p.segment_name),
      h(
        'div',
        { class: 'popup-figures' },
        h('div', {}, h('strong', { 'data-testid': 'flag-overhead', 'data-value': p.overhead_km }, km(p.overhead_km)), h('span', {}, t('ug.flags.overhead'))),
        h('div', {}, h('strong', {}, formatNumber(p.cable_count)), h('span', {}, t('ug.flags.cableCount'))),
        h('div', {}, h('strong', {}, km(p.debt_km)), h('span', {}, t('ug.flags.debt'))),
      ),
      h(
        'p',
        { class: 'popup-source small' },
        h('span', { 'data-testid': 'flag-target-year' }, t('ug.flags.targetLine', { year: String(p.target_year) })),
        ' · ',
        h('span', { class: 'muted', 'data-testid': 'flag-source' }, p.source_doc),
      ),
      // The public sees the progress, not who owns the cable.
      owners ? h('h4', { class: 'popup-subtitle' }, t('ug.flags.byOperator')) : null,
      !owners
        ? null
        : operators.length === 0
          ? h('p', { class: 'muted small' }, t('ug.flags.noneLeft'))
          : h(
              'ul',
              { class: 'operator-km', 'data-testid': 'flag-operators' },
              operators.map(([operator, value]) =>
                h(
                  'li',
                  { 'data-testid': 'flag-operator', 'data-operator': operator, 'data-value': value },
                  h('span', { class: 'operator-km-name', title: reference.operatorLabel(operator) }, h('span', { class: 'swatch', style: `background:${reference.operatorColour(operator)}` }), reference.operatorLabel(operator)),
                  h('span', { class: 'operator-km-bar' }, h('span', { style: `width:${((value / largest) * 100).toFixed(1)}%;background:${reference.operatorColour(operator)}` })),
                  h('span', { class: 'number' }, km(value)),
                ),
              ),
            ),
      h(
        'div',
        { class: 'popup-actions' },
        p.ward_code ? h('a', { href: `/ngam-hoa?ward=${p.ward_code}`, class: 'button button-primary', onclick: () => context.closePopup() }, t('ug.flags.dashboard')) : null,
        canPlan() ? h('a', { href: `/?tool=areas&area=${p.area_id}`, class: 'button', onclick: () => context.closePopup() }, t('ug.areas.edit')) : null,
      ),
    );
  },
};
