// A small helper to build DOM elements in code, so screens stay plain
// TypeScript without a framework. Text is always set as text (never HTML).

type Child = Node | string | number | null | undefined | false;
/** Children may be nested arrays (a list of rows of cells, say); they are flattened. */
type Children = Child | Children[];
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * `h('a', {href: '/x', class: 'link', onclick: fn}, 'text', child)`.
 * Attributes starting with `on` are event listeners; `true` sets an empty
 * attribute, `false`/`null`/`undefined` leave it out.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Children[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Children[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(parent, ...child);
    else if (child === null || child === undefined || child === false) continue;
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `parent`. */
export function replace(parent: Element, ...children: Children[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** A spinner with a label, for anything that takes a moment. */
export function loading(label: string): HTMLElement {
  return h('div', { class: 'loading', role: 'status', 'aria-live': 'polite' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), label);
}
