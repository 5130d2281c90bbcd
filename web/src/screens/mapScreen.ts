// The map screen: the shared-infrastructure map with search, layers and
// legend, filters, cursor coordinates, popups, and editing for operators.
//
// Addresses: `/` ; `/?asset=123` opens on an asset ; `/?edit=poles:123`
// starts editing an asset (from its page) ; `/?bbox=w,s,e,n` opens on a box
// (the rows of an import) ; `/#map=17/15.1128/108.8052` opens at that zoom,
// latitude and longitude (the address follows the map).

import { api } from '../api/client';
import type { App } from '../app';
import type { AssetFeature, StreetFeature, WardFeature } from '../api/types';
import { onFiltersChange } from '../domain/filters';
import { canEdit, canEditAsset, currentSession } from '../domain/session';
import { t } from '../i18n';
import { challengeReportButton, followLayerQuery } from '../map/challengeReport';
import { coordinateReadout } from '../map/coords';
import { Editor } from '../map/editor';
import { filterPanel } from '../map/filterPanel';
import { legendPanel } from '../map/legend';
import { searchBox } from '../map/search';
import { undergroundingOnMap } from '../map/undergroundingOnMap';
import { followInHash, viewFromHash } from '../map/viewHash';
import type { Screen } from '../router';
import { h, replace } from '../ui/dom';
import { bottomSheet } from '../ui/sheet';
import { describeError, toast } from '../ui/messages';

export function mapScreen(app: App, query: URLSearchParams): Screen {
  const cleanups: (() => void)[] = [];
  let editor: Editor | null = null;
  let left = false;

  return {
    render(root) {
      const { view, reference } = app;
      // The panel beside the map; on a phone a bottom sheet over it.
      const sheet = bottomSheet({ class: 'map-sheet', label: t('sheet.map') });
      const side = sheet.content;
      const mapArea = h('div', { class: 'map-area' });
      const coords = coordinateReadout(view.map, reference);
      root.className = 'screen screen-map';
      replace(root, sheet.element, mapArea);
      view.mountIn(mapArea);
      mapArea.appendChild(coords.element);
      cleanups.push(() => coords.dispose());

      // On a phone the sheet goes down, so that what was found shows on the map.
      const showWard = (ward: WardFeature) => {
        sheet.open(false);
        if (ward.properties.bbox) view.zoomTo(ward.properties.bbox, 17);
      };
      const showAsset = (asset: AssetFeature) => {
        sheet.open(false);
        view.highlight(asset.geometry);
        view.zoomTo(asset.geometry, 18);
      };
      const showStreet = (street: StreetFeature) => {
        view.highlight(street.geometry);
        view.zoomTo(street.geometry, 17);
      };

      const panels = h('div', { class: 'side-panels' });
      const editorPanel = h('div', { class: 'side-panels' });
      // Undergrounding overlays and tools (their own modules); `showPanels` is defined below.
      const underground = undergroundingOnMap(app, side, () => showPanels());
      cleanups.push(() => underground.dispose());
      const renderPanels = () => {
        if (editor?.isActive() || underground.isActive()) return;
        const addButton = canEdit()
          ? h('button', { type: 'button', class: 'button button-primary button-block', 'data-testid': 'add-asset', onclick: () => chooseKind() }, `+ ${t('edit.add')}`)
          : currentSession().user
            ? null // reviewers and planners read; operators and admins edit
            : h('a', { href: `/login?next=${encodeURIComponent('/')}`, class: 'button button-block', 'data-testid': 'login-to-edit' }, t('edit.loginFirst'));
        replace(
          panels,
          h('div', { class: 'panel-section' }, searchBox({ showWard, showAsset, showStreet }), addButton),
          challengeReportButton(app, side, () => showPanels()),
          legendPanel(view, app.reference),
          h('div', { class: 'panel-section' }, h('a', { href: '/ban-do/in', class: 'button button-block', 'data-testid': 'print-map' }, t('print.open'))),
          underground.panels(),
          filterPanel(app.reference, { withKind: true, onWard: showWard, clusterNote: true }),
        );
      };
      const showPanels = () => {
        replace(side, panels);
        renderPanels();
      };
      editor = new Editor(view, reference, showPanels);
      const chooseKind = () => {
        replace(side, editorPanel);
        replace(editorPanel, h('section', { class: 'panel-section' }, h('h2', { class: 'panel-title' }, t('edit.add')), editor!.kindChooser((kind) => void editor!.startNew(kind, editorPanel))));
      };
      view.popupActions = {
        open: (href) => app.go(href),
        edit: (collection, id) => {
          view.closePopup();
          replace(side, editorPanel);
          void editor!.startEdit(collection, id, editorPanel);
        },
        mayEdit: canEditAsset,
      };

      showPanels();
      cleanups.push(view.onChange(renderPanels));
      cleanups.push(onFiltersChange(renderPanels));

      void view.ready.then(async () => {
        followLayerQuery(app, query);
        const assetId = Number(query.get('asset'));
        const edit = query.get('edit');
        if (edit && canEdit()) {
          const [collection, id] = edit.split(':');
          replace(side, editorPanel);
          await editor!.startEdit(collection ?? '', Number(id), editorPanel);
        } else if (bbox(query.get('bbox'))) {
          // `?bbox=w,s,e,n`: what another screen wants shown (the rows of an import).
          view.map.resize();
          view.zoomTo(bbox(query.get('bbox'))!, 18);
          initialViewDone = true;
        } else if (Number.isInteger(assetId) && assetId > 0) {
          try {
            showAsset(await api.getAnyAsset(assetId));
          } catch (error) {
            toast(describeError(error), 'error');
          }
        } else if (viewFromHash()) {
          initialViewDone = true;
          view.map.resize();
          view.map.jumpTo(viewFromHash() ?? {});
        } else if (!initialViewDone) {
          initialViewDone = true;
          const busiest = [...reference.wards].sort((a, b) => b.properties.asset_count - a.properties.asset_count)[0];
          // The container has just been laid out: measure it before fitting.
          view.map.resize();
          if (busiest?.properties.bbox) view.map.fitBounds(busiest.properties.bbox, { padding: 40, duration: 0, maxZoom: 16 });
        }
        await underground.follow(query);
        if (!left) cleanups.push(followInHash(view.map));
      });
    },
    leave() {
      left = true;
      if (editor?.isActive()) editor.cancel();
      for (const cleanup of cleanups.splice(0)) cleanup();
      app.view.closePopup();
      app.view.popupActions = { open: (href) => app.go(href) };
    },
  };
}

/** `w,s,e,n` from an address, when it is four numbers that make a box. */
function bbox(text: string | null): [number, number, number, number] | null {
  const numbers = (text ?? '').split(',').map(Number);
  if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n))) return null;
  const [w, s, e, n] = numbers as [number, number, number, number];
  return w <= e && s <= n ? [w, s, e, n] : null;
}

/** The first visit opens on the ward with the most assets; later visits keep the view. */
let initialViewDone = false;
