// Reported incidents (phản ánh sự cố) the signed-in person may see — the
// ward's staff their wards', an operator those assigned to it — coloured by
// how urgent they are. Drawn from `GET /api/v1/incidents?format=geojson`, not
// from the tiles, so it is always current; hidden until switched on.

import type { ExpressionSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import { fieldApi } from '../../api/field';
import { currentSession } from '../../domain/session';
import { lang, t } from '../../i18n';
import { h } from '../../ui/dom';
import type { MapLayer } from './types';

const SOURCE = 'field-incidents';
const COLOURS = { breached: '#c62828', at_risk: '#ef6c00', on_time: '#1565c0', none: '#607d8b' } as const;

function colour(): ExpressionSpecification {
  return ['match', ['get', 'clock_status'], 'breached', COLOURS.breached, 'at_risk', COLOURS.at_risk, 'on_time', COLOURS.on_time, COLOURS.none] as unknown as ExpressionSpecification;
}

export const incidents: MapLayer = {
  id: 'incidents',
  label: 'incident.layer',
  symbol: 'circle',
  visibleByDefault: false,
  geojson: { source: SOURCE, load: (signal) => fieldApi.geojson(signal) },
  available: () => currentSession().user !== null,
  styleLayers: () => [
    {
      id: 'incidents-point',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 6, 18, 12],
        'circle-color': colour(),
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': ['case', ['get', 'safety'], 3, 1.5],
      },
    },
  ],
  assetLayerIds: [],
  clusterLayerIds: [],
  legend: () =>
    h(
      'ul',
      { class: 'legend-classes' },
      (['breached', 'at_risk', 'on_time', 'none'] as const).map((k) =>
        h('li', {}, h('span', { class: 'swatch', style: `background:${COLOURS[k]}` }), t(k === 'breached' ? 'incident.legendBreached' : k === 'at_risk' ? 'incident.legendAtRisk' : k === 'on_time' ? 'incident.legendOnTime' : 'incident.legendNone')),
      ),
    ),
  popup: (feature: MapGeoJSONFeature, open) => {
    const p = feature.properties as { id: number; reference: string; type_name_vi: string; type_name_en: string; state: string };
    return h(
      'div',
      { class: 'popup' },
      h('strong', {}, p.reference),
      h('div', {}, lang() === 'vi' ? p.type_name_vi : p.type_name_en),
      h('div', { class: 'muted small' }, t(`incident.state.${p.state}` as Parameters<typeof t>[0])),
      h('a', { href: `/su-co/${p.id}`, onclick: (event: Event) => {
        event.preventDefault();
        open(`/su-co/${p.id}`);
      } }, t('outbox.open')),
    );
  },
};
