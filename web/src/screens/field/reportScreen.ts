// Reporting a problem in the street (`/phan-anh/moi`): the type in big
// buttons, the place from the phone's GPS, the map or the photo's EXIF,
// photos scaled down on the phone, a description and an optional contact.
// Everything goes through the outbox: sent at once when there is a network,
// kept on the phone and sent later when there is not. Anyone may report;
// without an account the outbox solves the server's proof of work at send
// time. `/phan-anh/{code}` is the public status page, with no personal data.

import { fieldApi, type IncidentType, type PublicReport } from '../../api/field';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { formatDate, formatFixed, formatNumber, t } from '../../i18n';
import { enqueue, flush, items } from '../../offline/queue';
import type { Taken } from '../../offline/photos';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { errorBox } from '../../ui/messages';
import { badge, field, incidentStateBadge, incidentStateName, offlineNotice, page, photoPicker, typeName } from './common';

interface Place {
  lon: number;
  lat: number;
  source: 'gps' | 'map' | 'photo';
  accuracy?: number;
}

export function reportScreen(app: App): Screen {
  let watch: number | null = null;
  return {
    async render(root, signal) {
      const body = page(root, 'report-screen', h('h1', {}, t('report.title')), h('p', { class: 'muted' }, t('report.lead')), offlineNotice());
      const holder = h('div', {}, loading(t('app.loading')));
      body.append(holder);
      let types: IncidentType[];
      try {
        types = await fieldApi.types();
      } catch (error) {
        replace(holder, errorBox(error, () => void this.render(root, signal)));
        return;
      }
      let chosenType: string | null = null;
      let place: Place | null = null;

      const typeButtons = types.map((type) =>
        h(
          'button',
          {
            type: 'button',
            class: 'field-type',
            'aria-pressed': 'false',
            'data-testid': `report-type-${type.code}`,
            onclick: (event: Event) => {
              chosenType = type.code;
              for (const b of typeButtons) b.setAttribute('aria-pressed', String(b === event.currentTarget));
            },
          },
          h('span', { class: 'field-type-name' }, typeName(type)),
          type.safety ? badge(t('report.safety'), 'bad') : null,
        ),
      );

      const placeText = h('p', { class: 'field-place', 'data-testid': 'report-place', 'aria-live': 'polite' }, t('report.noLocation'));
      const showPlace = () => {
        if (!place) {
          placeText.textContent = t('report.noLocation');
          return;
        }
        const lat = formatFixed(place.lat, 6);
        const lon = formatFixed(place.lon, 6);
        placeText.textContent =
          place.source === 'gps'
            ? t('report.located', { lat, lon, accuracy: formatNumber(place.accuracy ?? 0, 0) })
            : place.source === 'photo'
              ? t('report.locatedPhoto', { lat, lon })
              : t('report.locatedMap', { lat, lon });
      };
      const gps = h('button', {
        type: 'button',
        class: 'button button-primary field-big-button',
        'data-testid': 'report-gps',
        onclick: () => {
          if (!('geolocation' in navigator)) return;
          placeText.textContent = t('report.gpsWaiting');
          navigator.geolocation.getCurrentPosition(
            (position) => {
              place = { lon: position.coords.longitude, lat: position.coords.latitude, source: 'gps', accuracy: position.coords.accuracy };
              showPlace();
              app.view.map.jumpTo({ center: [place.lon, place.lat], zoom: Math.max(app.view.map.getZoom(), 17) });
            },
            (error) => (placeText.textContent = t('report.gpsFailed', { message: error.message })),
            { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
          );
        },
      }, t('report.gps'));
      const mapArea = h('div', { class: 'field-map' }, h('div', { class: 'field-crosshair', 'aria-hidden': 'true' }, '+'));
      const pick = h('button', {
        type: 'button',
        class: 'button field-big-button',
        'data-testid': 'report-map-pick',
        onclick: () => {
          const centre = app.view.map.getCenter();
          place = { lon: centre.lng, lat: centre.lat, source: 'map' };
          showPlace();
        },
      }, t('report.mapPick'));

      const pictures = photoPicker('report-photo', t('report.addPhoto'), (photo) => {
        // The photo knows where it was taken: use it if nothing better is known.
        const taken: Taken = photo.taken;
        if (!place && taken.lon !== undefined && taken.lat !== undefined) {
          place = { lon: taken.lon, lat: taken.lat, source: 'photo' };
          showPlace();
        }
      });
      const description = h('textarea', { id: 'report-description', rows: 4, maxlength: 4000, 'data-testid': 'report-description' });
      const address = h('input', { id: 'report-address', type: 'text', maxlength: 500, 'data-testid': 'report-address', autocomplete: 'street-address' });
      const name = h('input', { id: 'report-name', type: 'text', maxlength: 200, autocomplete: 'name', 'data-testid': 'report-name' });
      const phone = h('input', { id: 'report-phone', type: 'tel', maxlength: 50, autocomplete: 'tel', 'data-testid': 'report-phone' });
      const email = h('input', { id: 'report-email', type: 'email', maxlength: 200, autocomplete: 'email', 'data-testid': 'report-email' });
      // The honeypot: hidden from people (and from screen readers), filled by bots.
      const website = h('input', { id: 'report-website', name: 'website', type: 'text', tabindex: -1, autocomplete: 'off', 'aria-hidden': 'true' });
      const problems = h('div', { class: 'notice notice-error', role: 'alert', hidden: true, 'data-testid': 'report-problems' });
      const done = h('div', { 'data-testid': 'report-done', 'aria-live': 'polite' });
      const submit = h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'report-submit' }, t('report.submit'));

      const form = h(
        'form',
        { class: 'field-form', novalidate: true },
        h('fieldset', {}, h('legend', {}, t('report.type')), h('div', { class: 'field-types' }, typeButtons)),
        h('fieldset', {}, h('legend', {}, t('report.where')), gps, mapArea, h('p', { class: 'muted small' }, t('report.mapHint')), pick, placeText),
        h('fieldset', {}, h('legend', {}, t('report.photos')), pictures.element),
        field(t('report.description'), description, t('report.descriptionHint')),
        field(t('report.address'), address),
        h('fieldset', {}, h('legend', {}, t('report.contact')), h('p', { class: 'muted small' }, t('report.contactHint')), field(t('report.name'), name), field(t('report.phone'), phone), field(t('report.email'), email)),
        h('div', { class: 'field-honeypot', 'aria-hidden': 'true' }, h('label', { for: 'report-website' }, 'Website'), website),
        problems,
        submit,
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const missing: string[] = [];
        if (!chosenType) missing.push(t('report.needType'));
        if (!place) missing.push(t('report.needLocation'));
        if (!description.value.trim() && pictures.photos().length === 0) missing.push(t('report.needWhat'));
        problems.hidden = missing.length === 0;
        replace(problems, missing.map((m) => h('p', {}, m)));
        if (missing.length > 0 || !place || !chosenType) return;
        submit.disabled = true;
        const photos = pictures.photos();
        const data: Record<string, unknown> = {
          incident_type: chosenType,
          description: description.value.trim(),
          lon: place.lon,
          lat: place.lat,
          location_source: place.source,
          accuracy_m: place.accuracy ?? null,
          address: address.value.trim() || null,
          contact_name: name.value.trim() || null,
          contact_phone: phone.value.trim() || null,
          contact_email: email.value.trim() || null,
          website: website.value,
        };
        const type = types.find((x) => x.code === chosenType);
        const item = await enqueue({
          kind: 'incident',
          url: '/api/v1/incidents',
          part: 'report',
          data,
          photos: photos.map((p) => p.blob),
          taken: photos.map((p) => p.taken),
          label: `${type ? typeName(type) : chosenType} — ${description.value.trim().slice(0, 60)}`,
          public: currentSession().user === null,
        });
        replace(done, h('p', { class: 'notice notice-info' }, navigator.onLine ? t('report.checking') : t('report.queued')));
        await flush();
        const sent = (await items()).find((i) => i.id === item.id);
        if (sent?.state === 'sent' && sent.result?.reference) {
          replace(
            done,
            h('div', { class: 'notice notice-success', 'data-testid': 'report-sent' }, h('p', {}, t('report.sent', { code: sent.result.reference })), h('a', { href: sent.result.href ?? `/phan-anh/${sent.result.reference}`, class: 'button' }, t('report.follow'))),
          );
        } else {
          replace(done, h('div', { class: 'notice notice-info', 'data-testid': 'report-queued' }, h('p', {}, t('report.queued')), h('a', { href: '/hang-doi', class: 'button' }, t('field.outbox'))));
        }
        // A clean form for the next report.
        chosenType = null;
        for (const b of typeButtons) b.setAttribute('aria-pressed', 'false');
        description.value = '';
        pictures.clear();
        submit.disabled = false;
        done.scrollIntoView({ block: 'nearest' });
      });
      replace(holder, form, done, h('p', {}, h('a', { href: '/phan-anh' }, t('field.track'))));
      app.view.mountIn(mapArea);
      app.view.map.resize();
    },
    leave() {
      if (watch !== null) navigator.geolocation.clearWatch(watch);
      watch = null;
    },
  };
}

/** The public status of a report, or a form to look one up by code. */
export function trackScreen(code: string | null): Screen {
  return {
    async render(root, signal) {
      const lookup = h('input', { id: 'track-code', type: 'text', placeholder: 'PA-2026-000123', value: code ?? '', 'data-testid': 'track-code', autocapitalize: 'characters' });
      const form = h('form', { class: 'field-form field-inline' }, field(t('field.trackCode'), lookup), h('button', { type: 'submit', class: 'button button-primary' }, t('field.trackGo')));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (lookup.value.trim()) location.assign(`/phan-anh/${encodeURIComponent(lookup.value.trim().toUpperCase())}`);
      });
      if (!code) {
        page(root, 'track-screen', h('h1', {}, t('field.track')), form, h('p', {}, h('a', { href: '/phan-anh/moi', class: 'button button-primary field-big-button' }, t('field.report'))));
        return;
      }
      const body = page(root, 'track-screen', h('h1', {}, t('track.title', { code })), loading(t('app.loading')));
      let report: PublicReport;
      try {
        report = await fieldApi.track(code);
      } catch (error) {
        replace(body, h('h1', {}, t('track.title', { code })), errorBox(error), form);
        return;
      }
      replace(
        body,
        h('h1', {}, t('track.title', { code: report.reference })),
        h(
          'dl',
          { class: 'field-facts' },
          h('dt', {}, t('report.type')),
          h('dd', {}, typeName({ type_name_vi: report.type_name_vi, type_name_en: report.type_name_en })),
          h('dt', {}, t('track.status')),
          h('dd', {}, incidentStateBadge(report.state)),
          h('dt', {}, t('track.received')),
          h('dd', {}, formatDate(report.received_on)),
          report.ward_name ? [h('dt', {}, t('report.where')), h('dd', {}, report.ward_name)] : null,
          report.operator ? [h('dt', {}, t('track.operator')), h('dd', {}, report.operator)] : null,
        ),
        report.description !== null ? h('p', { class: 'field-description', 'data-testid': 'track-description' }, report.description) : h('p', { class: 'muted small' }, t('track.notYet')),
        report.photos.length ? h('div', { class: 'field-photos' }, report.photos.map((href) => h('figure', { class: 'field-photo' }, h('img', { src: href, alt: '' })))) : null,
        h('h2', {}, t('track.steps')),
        h('ol', { class: 'field-timeline' }, report.timeline.map((step) => h('li', {}, h('span', { class: 'muted' }, formatDate(step.day)), ' ', incidentStateName(step.state)))),
        h('p', {}, h('a', { href: '/phan-anh/moi', class: 'button' }, t('report.another'))),
      );
    },
  };
}
