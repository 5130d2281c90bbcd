// The co-location finder (tìm cột để dùng chung): choose the class of tower
// to be built and click where; the server applies the province's spacing
// rule (distance by class, urban or rural) and answers the towers within it
// that still have free slots. The ring of that distance and the candidates
// are drawn on the map and listed with owner, distance and free slots.

import type { MapMouseEvent } from 'maplibre-gl';
import { undergroundingApi, type Colocation, type TowerCandidate } from '../../api/undergrounding';
import { metres } from '../../domain/undergrounding';
import { formatNumber, parseNumber, t } from '../../i18n';
import { h, loading, replace } from '../../ui/dom';
import { describeError } from '../../ui/messages';
import { toolHeading, type RunningTool, type ToolHost } from './index';
import { circle, ToolLayer } from './toolLayer';

const CLASSES = ['A1', 'A1b', 'A2a', 'A2b'] as const;

export function colocationTool(host: ToolHost): RunningTool {
  const { app } = host;
  const { view, reference } = app;
  const layer = new ToolLayer(view);
  let site: [number, number] | null = null;
  let running: AbortController | null = null;

  view.editing = true;
  view.closePopup();

  const towerClass = h(
    'select',
    { id: 'colocation-class', 'data-testid': 'colocation-class', onchange: () => site && void search(site) },
    CLASSES.map((c) => h('option', { value: c, selected: c === 'A2b' }, t(`ug.colocation.class.${c}`))),
  );
  const height = h('input', { id: 'colocation-height', type: 'text', inputmode: 'decimal', 'data-testid': 'colocation-height', placeholder: t('ug.colocation.heightHint') });
  height.addEventListener('change', () => site && void search(site));
  const hint = h('p', { class: 'draw-hint draw-hint-waiting', 'data-testid': 'colocation-hint' }, t('ug.colocation.click'));
  const result = h('div', { class: 'tool-result', 'data-testid': 'colocation-result', 'aria-live': 'polite' });

  const candidateRow = (c: TowerCandidate) =>
    h(
      'li',
      { 'data-testid': 'colocation-candidate' },
      h(
        'button',
        { type: 'button', class: 'candidate', onclick: () => view.zoomTo(c.geometry, 18) },
        h('span', { class: 'candidate-name' }, h('span', { class: 'swatch', style: `background:${reference.operatorColour(c.operator)}` }), c.code, c.name ? h('span', { class: 'muted' }, ` · ${c.name}`) : null),
        h(
          'span',
          { class: 'candidate-facts' },
          `${reference.operatorLabel(c.operator)} · ${c.tower_class ?? '?'}${c.height_m ? ` · ${metres(c.height_m)}` : ''} · ${t('ug.colocation.distance', { distance: metres(c.distance_m) })}`,
        ),
        h(
          'span',
          { class: 'candidate-slots' },
          c.free_capacity === null ? t('ug.colocation.slotsUnknown') : t('ug.colocation.slots', { free: c.free_capacity }),
          ' · ',
          t('sharing.tenants', { count: c.tenant_count ?? 0 }),
        ),
      ),
      h('a', { href: `/assets/${c.id}`, class: 'small' }, t('popup.open')),
    );

  const describe = (answer: Colocation): HTMLElement => {
    if (!answer.rule || answer.radius_m === null) {
      return h('div', { class: 'notice notice-warning', role: 'status' }, answer.rule ? t('ug.colocation.noDistance') : t('ug.colocation.noRule'));
    }
    const rule = answer.rule;
    const lead = rule.mode === 'required' ? t('ug.colocation.required', { radius: metres(answer.radius_m) }) : t('ug.colocation.suggested', { radius: metres(answer.radius_m) });
    return h(
      'div',
      {},
      h('p', { class: 'rule', 'data-testid': 'colocation-rule' }, h('strong', {}, lead), h('br'), h('span', { class: 'muted small' }, rule.citation, rule.provisional ? ` (${t('ug.colocation.provisional')})` : '')),
      answer.candidates.length === 0
        ? h('div', { class: 'notice notice-info', role: 'status', 'data-testid': 'colocation-none' }, t('ug.colocation.none', { radius: metres(answer.radius_m) }))
        : [
            h('p', { class: 'small' }, t('ug.colocation.found', { count: formatNumber(answer.candidates.length) })),
            h('ul', { class: 'candidate-list' }, answer.candidates.map(candidateRow)),
          ],
    );
  };

  const search = async (at: [number, number]) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    hint.textContent = t('ug.colocation.again');
    hint.classList.remove('draw-hint-waiting');
    layer.show([{ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { role: 'site' } }]);
    replace(result, loading(t('ug.colocation.searching')));
    const typed = height.value.trim() === '' ? null : parseNumber(height.value);
    try {
      const answer = await undergroundingApi.colocation(at[0], at[1], towerClass.value, typed !== null && !Number.isNaN(typed) ? typed : null, controller.signal);
      if (controller.signal.aborted) return;
      const features: GeoJSON.Feature[] = [];
      if (answer.radius_m) features.push({ type: 'Feature', geometry: circle(at, answer.radius_m), properties: { role: 'ring' } });
      for (const c of answer.candidates) features.push({ type: 'Feature', geometry: c.geometry as GeoJSON.Geometry, properties: { role: 'candidate', code: c.code } });
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { role: 'site' } });
      layer.show(features);
      if (answer.radius_m) view.zoomTo(circle(at, answer.radius_m * 1.2) as never, 18);
      replace(result, describe(answer));
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(result, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
    } finally {
      if (running === controller) running = null;
    }
  };

  const onClick = (event: MapMouseEvent) => {
    site = event.lngLat.toArray() as [number, number];
    void search(site);
  };
  view.map.on('click', onClick);

  replace(
    host.panel,
    h(
      'section',
      { class: 'panel-section tool', 'data-testid': 'colocation-tool' },
      toolHeading(t('ug.tool.colocation'), host),
      h('p', { class: 'panel-lead' }, t('ug.colocation.lead')),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'colocation-class' }, t('ug.colocation.towerClass')), towerClass),
      h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'colocation-height' }, t('ug.colocation.height')), height),
      hint,
      result,
    ),
  );

  return {
    dispose() {
      running?.abort();
      view.map.off('click', onClick);
      layer.dispose();
      view.editing = false;
    },
  };
}
