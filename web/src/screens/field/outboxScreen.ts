// The outbox (`/hang-doi`): what was made in the field and is waiting to be
// sent, being sent, sent, or refused — with the reason, and for a finding on
// an asset changed meanwhile what changed, so the person decides. Below it,
// the map of an area kept for offline use.

import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { formatDateTime, t, type MessageKey } from '../../i18n';
import { TILE_LAYERS } from '../../map/layers';
import { mayReadTileLayer } from '../../domain/access';
import { discard, flush, items, keepDespiteChange, onOutboxChange, retry, type OutboxItem } from '../../offline/queue';
import { MAX_TILES, clearTiles, keepTiles, keptTileCount, tileUrls } from '../../offline/tiles';
import type { Screen } from '../../router';
import { h, replace } from '../../ui/dom';
import { confirmDialog } from '../../ui/dialog';
import { badge, offlineNotice, page } from './common';
import { problemWords, wordedProblem } from '../../i18n/problems';

function stateBadge(item: OutboxItem): HTMLElement {
  const tone = item.state === 'sent' ? 'good' : item.state === 'failed' || item.state === 'conflict' ? 'bad' : item.state === 'login' ? 'warn' : 'info';
  return badge(t(`outbox.state.${item.state}` as MessageKey), tone, 'outbox-state');
}

export function outboxScreen(app: App): Screen {
  let unsubscribe: (() => void) | null = null;
  return {
    async render(root) {
      const list = h('div', { class: 'field-list', 'data-testid': 'outbox-list' });
      const draw = async () => {
        const all = (await items()).reverse();
        replace(
          list,
          all.length === 0
            ? h('p', { class: 'muted' }, t('outbox.empty'))
            : all.map((item) =>
                h(
                  'div',
                  { class: 'field-card', 'data-testid': 'outbox-item', 'data-state': item.state, 'data-kind': item.kind },
                  h('div', { class: 'field-card-head' }, h('strong', {}, item.label), stateBadge(item)),
                  h('div', { class: 'muted small' }, [formatDateTime(item.created_at), item.photos.length ? t('outbox.photos', { count: item.photos.length }) : null, item.result?.reference || null].filter(Boolean).join(' · ')),
                  item.state === 'login' ? h('p', { class: 'small' }, t('outbox.loginHint')) : null,
                  item.error && item.state !== 'login' ? h('p', { class: 'small field-error' }, wordedProblem(item.reason, item.params) ?? problemWords({ problem: item.error })) : null,
                  item.state === 'conflict' ? h('p', { class: 'small' }, t('outbox.conflictLead')) : null,
                  item.details?.length ? h('ul', { class: 'small', 'data-testid': 'outbox-details' }, item.details.map((d) => h('li', {}, `${d.field}: ${problemWords(d)}`))) : null,
                  h(
                    'div',
                    { class: 'field-actions' },
                    item.state === 'conflict' ? h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'outbox-keep', onclick: () => void keepDespiteChange(item.id) }, t('outbox.keep')) : null,
                    item.state === 'failed' || item.state === 'login' ? h('button', { type: 'button', class: 'button', onclick: () => void retry(item.id) }, t('outbox.retry')) : null,
                    item.state !== 'sent' && item.state !== 'sending'
                      ? h('button', { type: 'button', class: 'button', 'data-testid': 'outbox-discard', onclick: async () => {
                          if (await confirmDialog({ title: t('outbox.discard'), message: t('outbox.discardConfirm'), confirm: t('outbox.discard'), danger: true })) await discard(item.id);
                        } }, t('outbox.discard'))
                      : null,
                    item.result?.href ? h('a', { href: item.result.href, class: 'button', 'data-testid': 'outbox-open' }, t('outbox.open')) : null,
                  ),
                ),
              ),
        );
      };
      unsubscribe?.();
      unsubscribe = onOutboxChange(() => void draw());
      const mapArea = h('div', { class: 'field-map' });
      const mapStatus = h('p', { class: 'small', 'aria-live': 'polite', 'data-testid': 'offline-map-status' });
      const showKept = async () => (mapStatus.textContent = t('outbox.mapKept', { count: await keptTileCount() }));
      const save = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'offline-map-save', onclick: async () => {
        // The layers the person may have, as the map asks for them.
        const layers = TILE_LAYERS.filter((layer) => mayReadTileLayer(layer));
        const urls = tileUrls(`${location.origin}/tiles/${layers.join(',')}/{z}/{x}/{y}`, app.view.extent(), Math.max(12, app.view.map.getZoom() - 1));
        if (urls.length > MAX_TILES) {
          mapStatus.textContent = t('outbox.mapTooMany', { count: urls.length });
          return;
        }
        save.disabled = true;
        const kept = await keepTiles(urls, (done, total) => (mapStatus.textContent = t('outbox.mapSaving', { done, total })));
        mapStatus.textContent = t('outbox.mapSaved', { count: kept });
        save.disabled = false;
      } }, t('outbox.mapSave'));
      page(
        root,
        'outbox-screen',
        h('h1', {}, t('outbox.title')),
        h('p', { class: 'muted' }, t('outbox.lead')),
        offlineNotice(),
        h('div', { class: 'field-actions' }, h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'outbox-send', onclick: () => void flush() }, t('outbox.sendNow'))),
        list,
        h('section', {}, h('h2', {}, t('outbox.mapTitle')), h('p', { class: 'muted small' }, t('outbox.mapLead')), mapArea, h('div', { class: 'field-actions' }, save, h('button', { type: 'button', class: 'button', onclick: async () => {
          await clearTiles();
          await showKept();
        } }, t('outbox.mapClear'))), mapStatus),
      );
      app.view.mountIn(mapArea);
      app.view.map.resize();
      await draw();
      await showKept();
    },
    leave() {
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}
