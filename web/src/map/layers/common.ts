// Building blocks shared by the asset layer modules.

import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl';
import { shapeImage, type Shape } from '../symbols';
import type { StyleContext } from './types';

/** True for cluster features (points grouped at low zooms). */
export const IS_CLUSTER: ExpressionSpecification = ['==', ['get', 'cluster'], true];
export const NOT_CLUSTER: ExpressionSpecification = ['!=', ['get', 'cluster'], true];

/** `all` of the given conditions, leaving out the missing ones. */
export function allOf(...conditions: (ExpressionSpecification | null | undefined)[]): FilterSpecification {
  const present = conditions.filter((c): c is ExpressionSpecification => c !== null && c !== undefined);
  if (present.length === 0) return ['literal', true] as unknown as FilterSpecification;
  if (present.length === 1) return present[0] as FilterSpecification;
  return ['all', ...present] as FilterSpecification;
}

/**
 * A point asset layer: single assets as coloured shapes, clusters as
 * counted badges. Clusters carry no attributes, so when a filter is set
 * they are hidden rather than shown unfiltered.
 */
export function pointLayers(
  id: string,
  shape: Shape,
  context: StyleContext,
  options: { minzoom: number; size?: ExpressionSpecification | number },
): LayerSpecification[] {
  const size = options.size ?? ['interpolate', ['linear'], ['zoom'], options.minzoom, 0.7, 16, 1, 19, 1.3];
  const layers: LayerSpecification[] = [
    {
      id,
      type: 'symbol',
      source: context.source,
      'source-layer': id,
      minzoom: options.minzoom,
      filter: allOf(NOT_CLUSTER, context.filter),
      layout: {
        'icon-image': shapeImage(shape, context.colour) as ExpressionSpecification,
        'icon-size': size,
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    },
  ];
  if (!context.filter) {
    layers.push({
      id: `${id}-clusters`,
      type: 'symbol',
      source: context.source,
      'source-layer': id,
      minzoom: options.minzoom,
      filter: IS_CLUSTER,
      layout: {
        'icon-image': ['concat', 'cluster-', ['to-string', ['coalesce', ['get', 'count'], ['get', 'point_count'], 0]]],
        'icon-allow-overlap': true,
        'icon-ignore-placement': true,
      },
    });
  }
  return layers;
}

/** Line width growing with the zoom, from `low` at z12 to `high` at z18. */
export function widthByZoom(low: number, high: number): ExpressionSpecification {
  return ['interpolate', ['exponential', 1.5], ['zoom'], 12, low, 18, high];
}
