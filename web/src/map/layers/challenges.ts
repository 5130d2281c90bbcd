// Coverage challenges (phản ánh vùng phủ): points where someone reports no
// 4G/5G or no fibre, while they are open — coloured by who has to act (staff
// to triage, the operator to answer, the operator to correct its filing).
// Drawn from `GET /api/v1/challenges/map`: the public sees those staff have
// forwarded, staff also those still to triage. Hidden until switched on.

import type { ExpressionSpecification, MapGeoJSONFeature } from 'maplibre-gl';
import { filingsApi, type ChallengeState } from '../../api/filings';
import { CHALLENGE_COLOURS, challengeKind, challengeStateName, isStaff, ownOperator } from '../../domain/filings';
import { formatDate, t } from '../../i18n';
import { h } from '../../ui/dom';
import type { MapLayer } from './types';

const SOURCE = 'challenges';

const colour = [
  'match',
  ['get', 'state'],
  'submitted',
  CHALLENGE_COLOURS.waiting,
  ['forwarded', 'disputed'],
  CHALLENGE_COLOURS.operator,
  CHALLENGE_COLOURS.binding,
] as unknown as ExpressionSpecification;

export const challenges: MapLayer = {
  id: 'challenges',
  label: 'fl.ch.layer',
  symbol: 'circle',
  visibleByDefault: false,
  geojson: { source: SOURCE, load: (signal) => filingsApi.challengeMap(signal) },
  styleLayers: () => [
    {
      id: 'challenges-point',
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 5, 18, 11],
        'circle-color': colour,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'challenges-mark',
      type: 'circle',
      source: SOURCE,
      filter: ['==', ['get', 'kind'], 'no_fibre'],
      paint: { 'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, 1.5, 18, 3.5], 'circle-color': '#ffffff' },
    },
  ],
  assetLayerIds: ['challenges-point'],
  clusterLayerIds: [],
  legend: () =>
    h(
      'ul',
      { class: 'legend-colours', 'data-testid': 'challenges-legend' },
      (Object.keys(CHALLENGE_COLOURS) as (keyof typeof CHALLENGE_COLOURS)[]).map((group) =>
        h('li', {}, h('span', { class: 'swatch', style: `background:${CHALLENGE_COLOURS[group]};border-radius:50%` }), t(`fl.ch.legend.${group}`)),
      ),
    ),
  popup: (feature: MapGeoJSONFeature, open: (href: string) => void) => {
    const p = feature.properties;
    const id = Number(p.id ?? feature.id);
    const state = String(p.state ?? '') as ChallengeState;
    const technology = typeof p.technology === 'string' ? (p.technology as '4G' | '5G') : null;
    const kind = p.kind === 'no_fibre' ? 'no_fibre' : 'no_mobile';
    const mayOpen = isStaff() || (ownOperator() !== null && ownOperator() === p.operator);
    return h(
      'div',
      { class: 'popup', 'data-testid': 'challenge-popup' },
      h('div', { class: 'popup-kind' }, t('fl.ch.layer')),
      h('h3', { class: 'popup-title' }, `#${id} · ${challengeKind({ kind, technology })}`),
      h('p', { class: 'small' }, `${challengeStateName(state)} · ${formatDate(String(p.created_on ?? ''))}`),
      mayOpen
        ? h(
            'div',
            { class: 'popup-actions' },
            h('a', { href: `/challenges/${id}`, class: 'button button-primary', onclick: (event: Event) => (event.preventDefault(), open(`/challenges/${id}`)) }, t('fl.ch.open')),
          )
        : null,
    );
  },
};
