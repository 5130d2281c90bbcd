// A part of a screen that loads something: it shows a spinner while the
// request runs, what came back when it is done, and the error (with "try
// again") when it failed. Loading again aborts the request before; leaving the
// screen (the router's signal) aborts whatever is still running, so a late
// answer never draws into a screen that is gone.
//
//   const list = asyncSection({
//     signal,                                   // the screen's, from render(root, signal)
//     load: (signal) => permitsApi.list(query, signal),
//     render: (applications) => table(applications),
//   });
//   replace(page, header, list.element);
//   void list.load();

import { t } from '../i18n';
import { h, loading, replace } from './dom';
import { errorBox } from './messages';

type Content = Node | string | null | (Node | string | null)[];

export interface AsyncSection<T> {
  readonly element: HTMLElement;
  /** Loads (again), aborting a load still running. Resolves when the section shows the outcome. */
  load(): Promise<void>;
  /** What the last load gave, if it succeeded. */
  readonly data: T | undefined;
  /** Draws `data` again (after a change made on the page, say) without asking the server. */
  show(data: T): void;
}

export interface AsyncOptions<T> {
  /** The request; it must pass the signal on (to `fetch` through the API client). */
  load(signal: AbortSignal): Promise<T>;
  /** What the section shows once the data is there. */
  render(data: T, section: AsyncSection<T>): Content;
  /** Called once what `render` made is on the page (to put the map into it, say). */
  shown?(data: T): void;
  /** The screen's signal: aborted when the person leaves the screen. */
  signal?: AbortSignal;
  /** What to show for an error instead of the usual box with "try again"; null for the usual. */
  error?(error: unknown, retry: () => void): Content;
  /** The spinner's words; "Loading…" by default. */
  loadingLabel?: string;
  /** When reloading, keep showing the old content (marked busy) instead of the spinner. */
  keepWhileLoading?: boolean;
  class?: string;
  testId?: string;
}

/** Whether an error is the abort of a request (the person moved on), which is nobody's problem. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function asyncSection<T>(options: AsyncOptions<T>): AsyncSection<T> {
  const element = h('div', { class: `async-section${options.class ? ` ${options.class}` : ''}`, 'data-testid': options.testId, 'aria-live': 'polite' });
  let running: AbortController | null = null;
  let data: T | undefined;

  const section: AsyncSection<T> = {
    element,
    get data() {
      return data;
    },
    show(next) {
      data = next;
      element.removeAttribute('aria-busy');
      const content = options.render(next, section);
      replace(element, ...(Array.isArray(content) ? content : [content]));
      options.shown?.(next);
    },
    async load() {
      running?.abort();
      if (options.signal?.aborted) return;
      const controller = new AbortController();
      running = controller;
      const signal = options.signal ? AbortSignal.any([options.signal, controller.signal]) : controller.signal;
      if (options.keepWhileLoading && data !== undefined) element.setAttribute('aria-busy', 'true');
      else replace(element, loading(options.loadingLabel ?? t('app.loading')));
      try {
        const result = await options.load(signal);
        if (signal.aborted) return;
        section.show(result);
      } catch (error) {
        if (signal.aborted || isAbort(error)) return;
        element.removeAttribute('aria-busy');
        const retry = () => void section.load();
        const custom = options.error?.(error, retry) ?? null;
        const content = custom ?? errorBox(error, retry);
        replace(element, ...(Array.isArray(content) ? content : [content]));
      } finally {
        if (running === controller) running = null;
      }
    },
  };
  options.signal?.addEventListener('abort', () => running?.abort(), { once: true });
  return section;
}
