// The overlays' part of the layer switcher: a checkbox per overlay with its
// legend below it while it is shown, and what is happening (loading, an
// error). Only the overlays the person may read are offered.

import type { App } from '../../app';
import { t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { describeError } from '../../ui/messages';
import { OVERLAYS, overlaysOf } from './index';

export function overlayPanel(app: App): HTMLElement | null {
  const overlays = overlaysOf(app);
  // Only the overlays the person may read are offered (the public: flagged streets of wards that publish them).
  const offered = OVERLAYS.filter((overlay) => overlay.available());
  if (offered.length === 0) return null;
  const section = h('section', { class: 'panel-section overlay-panel', 'aria-labelledby': 'overlay-title', 'data-testid': 'overlay-panel' });

  const render = () => {
    replace(
      section,
      h('h2', { id: 'overlay-title', class: 'panel-title' }, t('ug.layer.title')),
      h(
        'ul',
        { class: 'layer-list' },
        [...offered].reverse().map((overlay) => {
          const status = overlays.status(overlay.id);
          const checkbox = h('input', {
            type: 'checkbox',
            checked: overlays.isVisible(overlay.id),
            'data-testid': `layer-${overlay.id}`,
            onchange: (event: Event) => overlays.setVisible(overlay.id, (event.target as HTMLInputElement).checked),
          });
          return h(
            'li',
            { class: 'overlay-item' },
            h(
              'label',
              { class: 'layer-item' },
              checkbox,
              h('span', {}, t(overlay.label)),
              status === 'loading' ? h('span', { class: 'spinner spinner-small', role: 'status', 'aria-label': t('app.loading') }) : null,
            ),
            status === 'error' ? h('p', { class: 'field-error' }, describeError(overlays.error(overlay.id))) : null,
            status === 'ready' || status === 'loading' ? overlays.legend(overlay) : null,
          );
        }),
      ),
    );
  };
  render();
  const unsubscribe = overlays.onChange(() => {
    // Panels are drawn again often; one that has left the page stops listening.
    if (!section.isConnected) {
      unsubscribe();
      return;
    }
    render();
  });
  return section;
}
