// The free-path tracer (dò tuyến ống trống): pick two manholes on the map;
// the server finds the shortest route through duct banks with a free pipe all
// the way, or, when there is none, the first duct that blocks the shortest
// route. The route is drawn green, or grey with the blocking duct in red.

import { Marker, type MapMouseEvent, type PointLike } from 'maplibre-gl';
import { api, ApiError } from '../../api/client';
import { undergroundingApi, type FreePath, type PathDuct } from '../../api/undergrounding';
import type { GeoJsonGeometry } from '../../api/types';
import { metres } from '../../domain/undergrounding';
import { formatNumber, t } from '../../i18n';
import { h, loading, replace } from '../../ui/dom';
import { describeError } from '../../ui/messages';
import { coordinatesOf } from '../mapView';
import { toolHeading, type RunningTool, type ToolHost } from './index';
import { ToolLayer, type ToolRole } from './toolLayer';

interface PickedManhole {
  id: number;
  code: string;
  at: [number, number];
}

export function pathTool(host: ToolHost): RunningTool {
  const { app } = host;
  const { view, reference } = app;
  const layer = new ToolLayer(view);
  const markers: Marker[] = [];
  let from: PickedManhole | null = null;
  let to: PickedManhole | null = null;
  let running: AbortController | null = null;
  const hint = h('p', { class: 'draw-hint', 'data-testid': 'path-hint' });
  const ends = h('dl', { class: 'path-ends' });
  const result = h('div', { class: 'tool-result', 'data-testid': 'path-result', 'aria-live': 'polite' });

  view.editing = true;
  view.closePopup();

  const renderEnds = () => {
    const end = (label: string, picked: PickedManhole | null, testId: string) => [
      h('dt', {}, h('span', { class: 'end-badge' }, label)),
      h('dd', { 'data-testid': testId }, picked ? h('a', { href: `/assets/${picked.id}` }, picked.code) : h('span', { class: 'muted' }, t('ug.path.notChosen'))),
    ];
    replace(ends, end('A', from, 'path-from'), end('B', to, 'path-to'));
    hint.textContent = !from ? t('ug.path.pickFrom') : !to ? t('ug.path.pickTo') : t('ug.path.again');
    hint.classList.toggle('draw-hint-waiting', !from || !to);
  };

  const drawPicked = (features: GeoJSON.Feature[] = []) => {
    for (const marker of markers.splice(0)) marker.remove();
    for (const [label, picked] of [['A', from], ['B', to]] as const) {
      if (!picked) continue;
      markers.push(new Marker({ element: h('div', { class: 'end-marker' }, label), anchor: 'bottom', offset: [0, -10] }).setLngLat(picked.at).addTo(view.map));
    }
    const picks = [from, to].filter((p): p is PickedManhole => p !== null);
    layer.show([...features, ...picks.map((p) => feature({ type: 'Point', coordinates: p.at }, 'manhole'))]);
  };

  const reset = () => {
    running?.abort();
    from = null;
    to = null;
    replace(result);
    renderEnds();
    drawPicked();
  };

  const trace = async (a: PickedManhole, b: PickedManhole) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    replace(result, loading(t('ug.path.tracing')));
    try {
      const path = await undergroundingApi.freePath(a.id, b.id, controller.signal);
      // The answer names the ducts; their lines come from the registry.
      const geometries = new Map<number, GeoJsonGeometry>();
      await Promise.all(
        path.ducts.map(async (d) => {
          const { feature: duct } = await api.getAsset('ducts', d.duct_id);
          geometries.set(d.duct_id, duct.geometry);
        }),
      );
      if (controller.signal.aborted) return;
      const blockingId = path.blocking?.duct_id;
      const features = path.ducts.flatMap((d) => {
        const geometry = geometries.get(d.duct_id);
        if (!geometry) return [];
        const role: ToolRole = path.status === 'free' ? 'route' : d.duct_id === blockingId ? 'blocking' : 'blocked-route';
        return [feature(geometry, role)];
      });
      drawPicked(features);
      const all = [...geometries.values()].flatMap(coordinatesOf);
      if (all.length > 1) view.zoomTo({ type: 'LineString', coordinates: all }, 18);
      replace(result, describe(path));
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(result, h('div', { class: 'notice notice-error', role: 'alert' }, error instanceof ApiError && error.status === 422 ? t('ug.path.notManhole') : describeError(error)));
    } finally {
      if (running === controller) running = null;
    }
  };

  const ductRow = (d: PathDuct, blocking: boolean) =>
    h(
      'li',
      { class: blocking ? 'duct-blocking' : '', 'data-testid': blocking ? 'path-blocking' : 'path-duct' },
      h('a', { href: `/assets/${d.duct_id}` }, d.code),
      h('span', { class: 'muted' }, ` · ${reference.operatorLabel(d.operator)} · ${metres(d.length_m)} · `),
      h('span', { class: d.free_pipes > 0 ? 'pipes-free' : 'pipes-full' }, t('ug.path.freePipes', { free: d.free_pipes, total: d.pipe_count })),
    );

  const describe = (path: FreePath): HTMLElement => {
    if (path.status === 'free') {
      return h(
        'div',
        {},
        h('div', { class: 'notice notice-success', role: 'status', 'data-status': 'free' }, h('strong', {}, t('ug.path.free')), h('p', {}, t('ug.path.freeDetail', { count: path.ducts.length, length: metres(path.length_m ?? 0) }))),
        h('ol', { class: 'duct-list' }, path.ducts.map((d) => ductRow(d, false))),
      );
    }
    if (path.status === 'blocked' && path.blocking) {
      const b = path.blocking;
      return h(
        'div',
        {},
        h(
          'div',
          { class: 'notice notice-error', role: 'alert', 'data-status': 'blocked' },
          h('strong', {}, t('ug.path.blocked')),
          h('p', {}, t('ug.path.blockedDetail', { code: b.code, operator: reference.operatorLabel(b.operator), free: b.free_pipes, total: b.pipe_count })),
        ),
        h('ol', { class: 'duct-list' }, path.ducts.map((d) => ductRow(d, d.duct_id === b.duct_id))),
        h('p', { class: 'legend-inline small' }, h('span', { class: 'line-sample line-blocking' }), t('ug.path.legendBlocking'), h('span', { class: 'line-sample line-blocked' }), t('ug.path.legendRest')),
      );
    }
    return h('div', { class: 'notice notice-warning', role: 'status', 'data-status': 'no_route' }, t('ug.path.noRoute'));
  };

  const onClick = (event: MapMouseEvent) => {
    const box: [PointLike, PointLike] = [
      [event.point.x - 8, event.point.y - 8],
      [event.point.x + 8, event.point.y + 8],
    ];
    const layers = ['manholes', 'manholes-clusters'].filter((id) => view.map.getLayer(id));
    const hits = layers.length > 0 ? view.map.queryRenderedFeatures(box, { layers }) : [];
    const hit = hits.find((f) => f.properties.cluster !== true);
    if (!hit) {
      hint.textContent = hits.length > 0 ? t('ug.path.zoomIn') : t('ug.path.notOnManhole');
      return;
    }
    const coordinates = hit.geometry.type === 'Point' ? (hit.geometry.coordinates as [number, number]) : event.lngLat.toArray();
    const picked = { id: Number(hit.properties.id ?? hit.id), code: String(hit.properties.code ?? hit.id), at: coordinates as [number, number] };
    if (!from || (from && to)) {
      from = picked;
      to = null;
      replace(result);
    } else if (picked.id === from.id) {
      return;
    } else {
      to = picked;
    }
    renderEnds();
    drawPicked();
    if (from && to) void trace(from, to);
  };
  view.map.on('click', onClick);

  replace(
    host.panel,
    h(
      'section',
      { class: 'panel-section tool', 'data-testid': 'path-tool' },
      toolHeading(t('ug.tool.path'), host),
      h('p', { class: 'panel-lead' }, t('ug.path.lead')),
      hint,
      ends,
      h('div', { class: 'form-actions' }, h('button', { type: 'button', class: 'button', 'data-testid': 'path-reset', onclick: reset }, t('ug.path.reset'))),
      result,
      h('p', { class: 'note' }, t('ug.path.note', { distance: formatNumber(2) })),
    ),
  );
  renderEnds();

  return {
    dispose() {
      running?.abort();
      view.map.off('click', onClick);
      for (const marker of markers.splice(0)) marker.remove();
      layer.dispose();
      view.editing = false;
    },
  };
}

function feature(geometry: GeoJsonGeometry, role: ToolRole): GeoJSON.Feature {
  return { type: 'Feature', geometry: geometry as GeoJSON.Geometry, properties: { role } };
}
