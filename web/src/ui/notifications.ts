// The bell in the header: how many notifications are unread, and a panel
// listing them (in the UI language, newest unread first, each with a link to
// its application), to mark one or all as read. It asks the server when the
// header is drawn (at every change of screen) and every minute.

import { permitsApi, type Notification } from '../api/permits';
import { localMessage } from '../domain/permits';
import { currentSession } from '../domain/session';
import { formatDateTime, t } from '../i18n';
import '../screens/permits/permits.css';
import { h, loading, replace } from './dom';
import { describeError } from './messages';

const POLL_MS = 60_000;

class Bell {
  readonly element: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly count: HTMLElement;
  private readonly panel: HTMLElement;
  private notifications: Notification[] = [];
  private timer: number | undefined;
  private go: (path: string) => void = (path) => location.assign(path);

  constructor() {
    this.count = h('span', { class: 'bell-count', 'data-testid': 'bell-count', hidden: true });
    this.button = h(
      'button',
      { type: 'button', class: 'bell', 'aria-haspopup': 'true', 'aria-expanded': 'false', 'data-testid': 'bell', onclick: () => this.toggle() },
      bellIcon(),
      this.count,
    );
    this.panel = h('div', { class: 'bell-panel', role: 'dialog', 'data-testid': 'notifications', hidden: true });
    this.element = h('div', { class: 'bell-wrap' }, this.button, this.panel);
    document.addEventListener('click', (event) => {
      if (!this.panel.hidden && !this.element.contains(event.target as Node)) this.close();
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.panel.hidden) this.close();
    });
  }

  /** The bell as the header shows it; `go` navigates inside the app. */
  mount(go: (path: string) => void): HTMLElement {
    this.go = go;
    this.button.title = t('notify.title');
    this.button.setAttribute('aria-label', t('notify.title'));
    if (!this.panel.hidden) this.renderPanel();
    void this.refresh();
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => void this.refresh(), POLL_MS);
    return this.element;
  }

  async refresh(): Promise<void> {
    if (!currentSession().user) return;
    try {
      this.notifications = await permitsApi.notifications();
    } catch {
      return; // the bell stays as it was; the panel says so when opened
    }
    this.renderCount();
    if (!this.panel.hidden) this.renderPanel();
  }

  private unread(): number {
    return this.notifications.filter((n) => n.read_at === null).length;
  }

  private renderCount(): void {
    const unread = this.unread();
    this.count.hidden = unread === 0;
    this.count.textContent = unread > 99 ? '99+' : String(unread);
    this.button.classList.toggle('bell-unread', unread > 0);
    this.button.title = unread > 0 ? t('notify.unread', { count: unread }) : t('notify.title');
  }

  private toggle(): void {
    if (this.panel.hidden) {
      this.panel.hidden = false;
      this.button.setAttribute('aria-expanded', 'true');
      replace(this.panel, loading(t('app.loading')));
      void this.refresh().then(() => this.renderPanel());
    } else {
      this.close();
    }
  }

  private close(): void {
    this.panel.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  private async markRead(notification: Notification): Promise<void> {
    if (notification.read_at !== null) return;
    await permitsApi.markRead(notification.id);
    notification.read_at = new Date().toISOString();
    this.renderCount();
  }

  private renderPanel(): void {
    const unread = this.unread();
    const list =
      this.notifications.length === 0
        ? h('p', { class: 'empty bell-empty' }, t('notify.none'))
        : h(
            'ul',
            { class: 'bell-list' },
            this.notifications.map((n) => {
              const target = n.application_id ? `/permits/${n.application_id}` : (n.link ?? null);
              const open = target
                ? h(
                    'a',
                    {
                      href: target,
                      class: 'bell-open',
                      'data-testid': 'notification-open',
                      onclick: (event: Event) => {
                        event.preventDefault();
                        event.stopPropagation();
                        void this.markRead(n).catch(() => undefined);
                        this.close();
                        this.go(target);
                      },
                    },
                    t('notify.open'),
                  )
                : null;
              const read =
                n.read_at === null
                  ? h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-button',
                        'data-testid': 'notification-read',
                        onclick: async (event: Event) => {
                          event.stopPropagation();
                          try {
                            await this.markRead(n);
                            this.renderPanel();
                          } catch (error) {
                            replace(this.panel, h('div', { class: 'notice notice-error' }, describeError(error)));
                          }
                        },
                      },
                      t('notify.markRead'),
                    )
                  : null;
              return h(
                'li',
                { class: n.read_at === null ? 'bell-item unread' : 'bell-item', 'data-testid': 'notification', 'data-kind': n.kind },
                h('p', { class: 'bell-message' }, localMessage(n)),
                h('div', { class: 'bell-meta' }, h('span', { class: 'muted small' }, formatDateTime(n.created_at)), open, read),
              );
            }),
          );
    replace(
      this.panel,
      h(
        'div',
        { class: 'bell-head' },
        h('h2', {}, t('notify.title')),
        unread > 0
          ? h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                'data-testid': 'notifications-read-all',
                onclick: async (event: Event) => {
                  event.stopPropagation();
                  try {
                    await permitsApi.markAllRead();
                    const now = new Date().toISOString();
                    for (const n of this.notifications) n.read_at ??= now;
                    this.renderCount();
                    this.renderPanel();
                  } catch (error) {
                    replace(this.panel, h('div', { class: 'notice notice-error' }, describeError(error)));
                  }
                },
              },
              t('notify.markAll'),
            )
          : null,
      ),
      list,
    );
  }
}

function bellIcon(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '20');
  svg.setAttribute('height', '20');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z');
  path.setAttribute('fill', 'currentColor');
  svg.appendChild(path);
  return svg;
}

let bell: Bell | null = null;

/** The header's bell for the signed-in person (one for the whole page). */
export function notificationBell(go: (path: string) => void): HTMLElement | null {
  if (!currentSession().user) return null;
  bell ??= new Bell();
  return bell.mount(go);
}
