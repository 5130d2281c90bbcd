// The overlays' part of the layer switcher: a checkbox per overlay with its
// legend below it while it is shown, and what is happening (loading, an
// error). The analysis endpoints need a login, so a visitor is told so.

import type { App } from '../../app';
import { signedIn } from '../../domain/undergrounding';
import { t } from '../../i18n';
import { h, replace } from '../../ui/dom';
import { describeError } from '../../ui/messages';
import { OVERLAYS, overlaysOf } from './index';

export function overlayPanel(app: App): HTMLElement {
  const overlays = overlaysOf(app);
  const section = h('section', { class: 'panel-section overlay-panel', 'aria-labelledby': 'overlay-title', 'data-testid': 'overlay-panel' });

  const render = () => {
    const allowed = signedIn();
    replace(
      section,
      h('h2', { id: 'overlay-title', class: 'panel-title' }, t('ug.layer.title')),
      allowed ? null : h('p', { class: 'note' }, t('ug.layer.loginFirst')),
      h(
        'ul',
        { class: 'layer-list' },
        [...OVERLAYS].reverse().map((overlay) => {
          const status = overlays.status(overlay.id);
          const checkbox = h('input', {
            type: 'checkbox',
            checked: overlays.isVisible(overlay.id),
            disabled: !allowed,
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
