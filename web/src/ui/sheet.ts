// On a phone, the side panel of a map screen (layers, filters, the editor,
// the tools, the application form) is a bottom sheet over the map: a strip at
// the bottom with a handle, pulled up to read or fill it, down to see the map.
// Focusing a field opens it, so the on-screen keyboard never hides what is
// typed into. On a wider screen the handle is hidden and the panel is the
// column beside the map (styles.css decides which).

import { t } from '../i18n';
import { h } from './dom';

export interface Sheet {
  /** The panel, with the handle on top: put it where the side panel goes. */
  element: HTMLElement;
  /** Where the panel's content goes (screens replace what is in it). */
  content: HTMLElement;
  open(open: boolean): void;
}

export function bottomSheet(attributes: { class: string; label: string }): Sheet {
  const content = h('div', { class: 'sheet-content' });
  const handle = h(
    'button',
    { type: 'button', class: 'sheet-handle', 'aria-expanded': 'false', 'data-testid': 'sheet-toggle', title: t('sheet.toggle') },
    h('span', { class: 'sheet-grip', 'aria-hidden': 'true' }),
    h('span', { class: 'sheet-label' }, attributes.label),
  );
  const element = h('aside', { class: `side-panel sheet ${attributes.class}`, 'aria-label': attributes.label }, handle, content);
  const open = (value: boolean) => {
    element.classList.toggle('sheet-open', value);
    handle.setAttribute('aria-expanded', String(value));
  };
  handle.addEventListener('click', () => open(!element.classList.contains('sheet-open')));
  element.addEventListener('focusin', (event) => {
    const target = event.target as HTMLElement;
    if (!target.matches('input, select, textarea')) return;
    open(true);
    // Once the keyboard has taken its half of the screen, keep the field in sight.
    window.setTimeout(() => target.scrollIntoView({ block: 'center', behavior: 'smooth' }), 300);
  });
  return { element, content, open };
}
