// The frame of a page screen (everything but the map): a header with the
// title, an optional eyebrow above it and a lead below, the page's actions on
// the right (under the title on a phone), then the content. Every page screen
// is built with it, so they line up and reflow the same way.
//
//   const { element, body } = pageShell({ title: t('permit.inboxTitle'), lead, actions: [newButton] });
//   replace(root, element);
//   append(body, toolbar, list.element);

import { h } from './dom';

type Item = Node | string | null | undefined | false;
type Content = Item | Item[];

export interface PageOptions {
  title: Content;
  /** A small line above the title (the section of the app). */
  eyebrow?: string;
  /** A sentence under the title. */
  lead?: Content;
  /** Buttons and links for the whole page. */
  actions?: Content[];
  /** Something the header holds below the title (tabs, a ward picker). */
  below?: Content;
  /** Something above the header (the tabs of a section of the app). */
  above?: Content;
  /** `narrow` for a form (sign in), `wide` for tables; medium by default. */
  width?: 'narrow' | 'medium' | 'wide';
  class?: string;
  testId?: string;
  /** Attributes of the title element (a test id, say). */
  titleTestId?: string;
}

export interface Page {
  /** The page: put it in the screen's root. */
  element: HTMLElement;
  /** Where the content goes. */
  body: HTMLElement;
  /** The header's actions, to change later (after a load, say). */
  actions: HTMLElement;
}

/** Makes a page screen's root ready for a page (scrolls, no map). */
export function pageRoot(root: HTMLElement): void {
  root.className = 'screen screen-page';
}

export function pageShell(options: PageOptions): Page {
  const width = options.width === 'narrow' ? ' page-narrow' : options.width === 'wide' ? ' page-wide' : '';
  const actions = h('div', { class: 'page-actions' }, ...(options.actions ?? []));
  const body = h('div', { class: 'page-body' });
  const element = h(
    'div',
    { class: `page${width}${options.class ? ` ${options.class}` : ''}`, 'data-testid': options.testId },
    options.above ?? null,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        { class: 'page-heading' },
        h(
          'div',
          { class: 'page-heading-text' },
          options.eyebrow ? h('p', { class: 'eyebrow' }, options.eyebrow) : null,
          h('h1', { class: 'page-title', 'data-testid': options.titleTestId }, options.title),
          options.lead ? h('p', { class: 'subtitle' }, options.lead) : null,
        ),
      ),
      actions,
      options.below ? h('div', { class: 'page-header-below' }, options.below) : null,
    ),
    body,
  );
  return { element, body, actions };
}
