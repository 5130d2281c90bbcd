// How asset features are coloured: by owner operator, by lifecycle status or
// by whether they are shared. Each mode gives a MapLibre expression over the
// tile properties and the entries of its legend.

import type { ExpressionSpecification } from 'maplibre-gl';
import { OTHER_OPERATOR_COLOUR, type Reference } from '../domain/reference';
import { t, valueName } from '../i18n';

export type ColourMode = 'operator' | 'status' | 'sharing';

export const STATUS_COLOURS: Record<string, string> = {
  operational: '#2e7d32',
  under_construction: '#f9a825',
  planned: '#1e88e5',
  proposed: '#8e24aa',
  inactive: '#757575',
  decommissioned: '#3e2723',
};

export const SHARING_COLOURS = { shared: '#00897b', notShared: '#e65100' } as const;

export interface LegendEntry {
  colour: string;
  label: string;
}

/** An expression giving `#rrggbb` for a feature in the given mode. */
export function colourExpression(mode: ColourMode, reference: Reference): ExpressionSpecification {
  switch (mode) {
    case 'operator': {
      const pairs = reference.operators.flatMap((o) => [o.code, reference.operatorColour(o.code)]);
      if (pairs.length === 0) return ['literal', OTHER_OPERATOR_COLOUR] as unknown as ExpressionSpecification;
      return ['match', ['get', 'operator'], ...pairs, OTHER_OPERATOR_COLOUR] as unknown as ExpressionSpecification;
    }
    case 'status':
      return [
        'match',
        ['get', 'status'],
        ...Object.entries(STATUS_COLOURS).flat(),
        OTHER_OPERATOR_COLOUR,
      ] as unknown as ExpressionSpecification;
    case 'sharing':
      return [
        'case',
        ['any', ['==', ['get', 'shared'], true], ['>', ['coalesce', ['get', 'tenant_count'], 0], 0]],
        SHARING_COLOURS.shared,
        SHARING_COLOURS.notShared,
      ];
  }
}

/** The legend of a colour mode, in the current language. */
export function legendEntries(mode: ColourMode, reference: Reference): LegendEntry[] {
  switch (mode) {
    case 'operator':
      return reference.operators.map((o) => ({ colour: reference.operatorColour(o.code), label: o.short_name ?? o.code }));
    case 'status':
      return Object.entries(STATUS_COLOURS)
        .filter(([status]) => status !== 'decommissioned') // not drawn on the map
        .map(([status, colour]) => ({ colour, label: valueName('status', status) }));
    case 'sharing':
      return [
        { colour: SHARING_COLOURS.shared, label: t('sharing.shared') },
        { colour: SHARING_COLOURS.notShared, label: t('sharing.notShared') },
      ];
  }
}
