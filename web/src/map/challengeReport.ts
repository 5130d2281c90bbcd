// The public challenge form on the map: anyone, signed in or not, marks a
// point where there is no 4G/5G or no fibre, with an optional photo and a way
// to be reached. Before sending, the browser asks for a ticket and does the
// small proof of work it asks (SHA-256, a fraction of a second), so that the
// ward's form needs no third-party CAPTCHA.

import { Marker, type MapMouseEvent } from 'maplibre-gl';
import { ApiError } from '../api/client';
import { filingsApi, solveTicket } from '../api/filings';
import type { App } from '../app';
import { formatFixed, t } from '../i18n';
import { h, loading, replace } from '../ui/dom';
import { describeError } from '../ui/messages';
import { challenges } from './layers/challenges';
import { problemText } from '../i18n/problems';

const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The button in the side panel that opens the form. */
export function challengeReportButton(app: App, side: HTMLElement, back: () => void): HTMLElement {
  return h(
    'div',
    { class: 'panel-section' },
    h('button', { type: 'button', class: 'button button-block challenge-report-button', 'data-testid': 'challenge-report', onclick: () => openForm(app, side, back) }, t('fl.ch.report')),
  );
}

/** `/?layer=challenges` shows the challenges layer. */
export function followLayerQuery(app: App, query: URLSearchParams): void {
  if (query.get('layer') === 'challenges') app.view.setVisible(challenges, true);
}

function openForm(app: App, side: HTMLElement, back: () => void): void {
  const view = app.view;
  const map = view.map;
  let point: [number, number] | null = null;
  let marker: Marker | null = null;
  const where = h('p', { class: 'small', 'data-testid': 'challenge-point' }, t('fl.ch.pointHint'));
  const onClick = (event: MapMouseEvent) => {
    point = [event.lngLat.lng, event.lngLat.lat];
    marker ??= new Marker({ color: '#c62828', draggable: true }).setLngLat(point).addTo(map);
    marker.setLngLat(point);
    marker.on('dragend', () => {
      const at = marker?.getLngLat();
      if (at) point = [at.lng, at.lat];
      showPoint();
    });
    showPoint();
  };
  const showPoint = () => {
    where.textContent = point ? t('fl.ch.pointSet', { lat: formatFixed(point[1], 5), lon: formatFixed(point[0], 5) }) : t('fl.ch.pointHint');
  };
  const close = () => {
    map.off('click', onClick);
    marker?.remove();
    view.editing = false;
    map.getCanvas().style.cursor = '';
    back();
  };
  view.editing = true;
  view.closePopup();
  map.on('click', onClick);
  map.getCanvas().style.cursor = 'crosshair';

  const choice = (value: string, label: string, checked = false) =>
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'what', value, checked, 'data-testid': `challenge-what-${value}` }), label);
  const address = h('input', { type: 'text', id: 'challenge-address', maxlength: 300, 'data-testid': 'challenge-address' });
  const description = h('textarea', { id: 'challenge-description', rows: 3, maxlength: 2000, 'data-testid': 'challenge-description' });
  const contact = h('input', { type: 'text', id: 'challenge-contact', maxlength: 200, autocomplete: 'tel', 'data-testid': 'challenge-contact' });
  const photo = h('input', { type: 'file', id: 'challenge-photo', accept: 'image/jpeg,image/png,image/webp', 'data-testid': 'challenge-photo' });
  // People do not see this field; bots fill it in.
  const honeypot = h('input', { type: 'text', name: 'website', tabindex: -1, autocomplete: 'off', style: 'position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden', 'aria-hidden': 'true' });
  const status = h('div', { 'aria-live': 'polite', 'data-testid': 'challenge-status' });
  const send = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'challenge-send' }, t('fl.ch.send'));
  const field = (id: string, label: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { class: 'field-label', for: id }, label), control);

  const form = h(
    'form',
    {
      class: 'challenge-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const what = form.querySelector<HTMLInputElement>('input[name="what"]:checked')?.value ?? 'no_5g';
        if (!point) {
          replace(status, h('p', { class: 'field-error' }, t('fl.ch.pointMissing')));
          return;
        }
        const file = photo.files?.[0] ?? null;
        if (file && file.size > MAX_PHOTO_BYTES) {
          replace(status, h('p', { class: 'field-error' }, t('fl.ch.photoTooLarge')));
          return;
        }
        send.disabled = true;
        replace(status, loading(t('fl.ch.sending')));
        try {
          const ticket = await filingsApi.ticket();
          const nonce = await solveTicket(ticket);
          const data = new FormData();
          data.set('kind', what === 'no_fibre' ? 'no_fibre' : 'no_mobile');
          if (what !== 'no_fibre') data.set('technology', what === 'no_4g' ? '4G' : '5G');
          data.set('lon', String(point[0]));
          data.set('lat', String(point[1]));
          if (address.value.trim()) data.set('address', address.value.trim());
          if (description.value.trim()) data.set('description', description.value.trim());
          if (contact.value.trim()) data.set('contact', contact.value.trim());
          data.set('challenge', ticket.challenge);
          data.set('nonce', nonce);
          data.set('website', honeypot.value);
          if (file) data.set('photo', file, file.name);
          const sent = await filingsApi.sendChallenge(data);
          map.off('click', onClick);
          view.editing = false;
          map.getCanvas().style.cursor = '';
          replace(
            status,
            h('div', { class: 'notice notice-info', 'data-testid': 'challenge-sent' }, h('p', {}, t('fl.ch.sent', { id: sent.id, ward: sent.ward ?? '' }))),
          );
          form.querySelectorAll<HTMLInputElement | HTMLButtonElement | HTMLTextAreaElement>('input, textarea, button[type="submit"]').forEach((c) => (c.disabled = true));
        } catch (error) {
          send.disabled = false;
          const text =
            error instanceof ApiError && error.status === 429
              ? t('fl.ch.tooMany')
              : error instanceof ApiError && error.details.length > 0
                ? error.details.map((d) => problemText(d)).join(' ')
                : describeError(error);
          replace(status, h('p', { class: 'field-error', role: 'alert' }, text));
        }
      },
    },
    h(
      'fieldset',
      { class: 'field' },
      h('legend', { class: 'field-label' }, t('fl.ch.what')),
      choice('no_4g', t('fl.ch.what.no_4g')),
      choice('no_5g', t('fl.ch.what.no_5g'), true),
      choice('no_fibre', t('fl.ch.what.no_fibre')),
    ),
    h('div', { class: 'field' }, h('span', { class: 'field-label' }, t('fl.ch.point')), where),
    field('challenge-address', t('fl.ch.address'), address),
    field('challenge-description', t('fl.ch.description'), description),
    field('challenge-contact', t('fl.ch.contact'), contact),
    field('challenge-photo', t('fl.ch.photo'), photo),
    honeypot,
    status,
    h('div', { class: 'form-actions' }, send, h('button', { type: 'button', class: 'button', 'data-testid': 'challenge-close', onclick: close }, t('fl.ch.cancel'))),
  );
  replace(
    side,
    h(
      'section',
      { class: 'panel-section challenge-panel', 'data-testid': 'challenge-form' },
      h('h2', { class: 'panel-title' }, t('fl.ch.reportTitle')),
      h('p', { class: 'small' }, t('fl.ch.reportLead')),
      form,
    ),
  );
}
