// What the field screens share: names of states and types in the UI
// language, badges, the photo picker (scaled down, EXIF read), a page shell,
// and sending a step now or, without a network, through the outbox.

import { ApiError } from '../../api/client';
import type { Clock, IncidentState, IncidentType } from '../../api/field';
import { formatDate, lang, t, type MessageKey } from '../../i18n';
import { preparePhoto, type PreparedPhoto } from '../../offline/photos';
import { enqueue } from '../../offline/queue';
import { h, replace } from '../../ui/dom';
import { toast } from '../../ui/messages';
import './field.css';

export function incidentStateName(state: IncidentState | string): string {
  return t(`incident.state.${state}` as MessageKey);
}

export function typeName(type: Pick<IncidentType, 'name_vi' | 'name_en'> | { type_name_vi: string; type_name_en: string }): string {
  if ('name_vi' in type) return lang() === 'vi' ? type.name_vi : type.name_en;
  return lang() === 'vi' ? type.type_name_vi : type.type_name_en;
}

export function badge(text: string, tone: 'neutral' | 'good' | 'warn' | 'bad' | 'info' = 'neutral', testId?: string): HTMLElement {
  return h('span', { class: `field-badge field-badge-${tone}`, 'data-testid': testId ?? null }, text);
}

export function incidentStateBadge(state: IncidentState): HTMLElement {
  const tone = state === 'closed' ? 'good' : state === 'fixed' ? 'info' : state === 'new' || state === 'reopened' ? 'warn' : 'neutral';
  return badge(incidentStateName(state), tone, 'incident-state');
}

export function clockBadge(clock: Clock): HTMLElement | null {
  if (clock.status === 'none' || clock.working_days_left === null) return null;
  const left = clock.working_days_left;
  const text = left < 0 ? t('incident.overdue', { days: -left }) : t('incident.left', { days: left });
  const tone = clock.status === 'breached' ? 'bad' : clock.status === 'at_risk' ? 'warn' : 'good';
  return h('span', { class: 'field-clock' }, badge(text, tone, 'incident-clock'), clock.due ? h('span', { class: 'muted small' }, ` ${t('incident.due', { date: formatDate(clock.due) })}`) : null);
}

/** A page in the field section: a narrow column that fits a phone. */
export function page(root: HTMLElement, testId: string, ...children: (Node | null)[]): HTMLElement {
  root.className = 'screen screen-page';
  const body = h('div', { class: 'page field-page', 'data-testid': testId }, ...children);
  replace(root, body);
  return body;
}

export function offlineNotice(): HTMLElement {
  const notice = h('div', { class: 'notice notice-warn field-offline', role: 'status', 'data-testid': 'offline-notice', hidden: navigator.onLine }, t('field.offline'));
  const update = () => (notice.hidden = navigator.onLine);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  return notice;
}

/** A photo picker: camera or files, scaled down, with previews and what EXIF said. */
export function photoPicker(testId: string, label: string, onAdded?: (photo: PreparedPhoto) => void): { element: HTMLElement; photos: () => PreparedPhoto[]; clear: () => void } {
  const chosen: PreparedPhoto[] = [];
  const previews = h('div', { class: 'field-photos', 'data-testid': `${testId}-previews` });
  const input = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true, class: 'field-file', id: `${testId}-input`, 'data-testid': testId });
  input.addEventListener('change', async () => {
    for (const file of Array.from(input.files ?? [])) {
      try {
        const photo = await preparePhoto(file);
        chosen.push(photo);
        const remove = h('button', { type: 'button', class: 'field-photo-remove', 'aria-label': '×' }, '×');
        const figure = h('figure', { class: 'field-photo' }, h('img', { src: photo.preview, alt: '' }), remove);
        remove.addEventListener('click', () => {
          chosen.splice(chosen.indexOf(photo), 1);
          figure.remove();
        });
        previews.append(figure);
        onAdded?.(photo);
      } catch {
        toast(t('report.photoFailed', { name: file.name }), 'error');
      }
    }
    input.value = '';
  });
  const element = h('div', { class: 'field-photo-picker' }, h('label', { for: `${testId}-input`, class: 'button field-big-button' }, label), input, previews);
  return {
    element,
    photos: () => [...chosen],
    clear: () => {
      chosen.length = 0;
      previews.replaceChildren();
    },
  };
}

/**
 * Sends a step now; without a network it goes through the outbox (with its
 * idempotency key). Resolves with the server's answer, or null when queued.
 */
export async function sendOrQueue<T>(
  send: () => Promise<T>,
  queued: { kind: 'incident_step' | 'violation_step'; url: string; data: Record<string, unknown>; photos: PreparedPhoto[]; label: string },
): Promise<T | null> {
  if (navigator.onLine) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 0) throw error;
    }
  }
  await enqueue({
    kind: queued.kind,
    url: queued.url,
    part: 'data',
    data: queued.data,
    photos: queued.photos.map((p) => p.blob),
    taken: queued.photos.map((p) => p.taken),
    label: queued.label,
    public: false,
  });
  toast(t('incident.queuedStep'), 'info');
  return null;
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('div', { class: 'field-row' }, h('label', { for: control.id || null }, label), control, hint ? h('p', { class: 'muted small' }, hint) : null);
}
