// A small router over the History API: each path pattern names a screen.
// The server answers every non-API path with index.html, so addresses like
// /assets/123 can be bookmarked and reloaded.

export interface Screen {
  /**
   * Draws the screen into `root`. `signal` is aborted when another screen
   * replaces this one: requests the screen makes with it (see ui/async.ts)
   * stop when the person moves on.
   */
  render(root: HTMLElement, signal: AbortSignal): void | Promise<void>;
  /** Releases what the screen holds (listeners, timers) when another replaces it. */
  leave?(): void;
}

export interface Route {
  pattern: RegExp;
  screen(match: RegExpMatchArray, query: URLSearchParams): Screen;
}

export class Router {
  private current: Screen | null = null;
  private leaving: AbortController | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly routes: Route[],
    private readonly notFound: () => Screen,
    private readonly onNavigate: (path: string) => void,
  ) {
    window.addEventListener('popstate', () => void this.render());
    document.addEventListener('click', (event) => {
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      const href = anchor.getAttribute('href');
      if (!href || !href.startsWith('/') || href.startsWith('/api') || anchor.target === '_blank') return;
      event.preventDefault();
      this.go(href);
    });
  }

  /** The patterns of the addresses the app has (the browser tests visit each). */
  patterns(): string[] {
    return this.routes.map((route) => route.pattern.source);
  }

  /** Goes to `path` (adding to the browser history) and draws its screen. */
  go(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    void this.render();
  }

  /** Draws the screen of the current address again (after a language change). */
  async render(): Promise<void> {
    this.leaving?.abort();
    this.current?.leave?.();
    const leaving = new AbortController();
    this.leaving = leaving;
    const path = location.pathname;
    const query = new URLSearchParams(location.search);
    let screen: Screen | null = null;
    for (const route of this.routes) {
      const match = path.match(route.pattern);
      if (match) {
        screen = route.screen(match, query);
        break;
      }
    }
    this.current = screen ?? this.notFound();
    this.root.replaceChildren();
    this.onNavigate(path);
    await this.current.render(this.root, leaving.signal);
  }
}
