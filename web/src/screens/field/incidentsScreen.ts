// Reports of incidents for the ward's staff (their wards', most urgent
// first) and for operators (those assigned to them): `/su-co`, with filters
// and the CSV/Excel export; and one report, `/su-co/{id}`, with its photos,
// timeline and the steps the person may take.

import { ApiError } from '../../api/client';
import { INCIDENT_STATES, fieldApi, type Candidate, type Incident, type IncidentAction, type IncidentDetail, type IncidentType } from '../../api/field';
import type { App } from '../../app';
import { currentSession } from '../../domain/session';
import { formatDate, formatDateTime, formatNumber, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { describeError, errorBox, toast } from '../../ui/messages';
import { clockBadge, field, incidentStateBadge, incidentStateName, offlineNotice, page, photoPicker, sendOrQueue, typeName } from './common';
import { problemWords } from '../../i18n/problems';

function loginFirst(root: HTMLElement, next: string): void {
  page(root, 'login-first', h('div', { class: 'notice notice-info' }, t('error.unauthorized')), h('a', { href: `/login?next=${encodeURIComponent(next)}`, class: 'button button-primary' }, t('auth.login')));
}

export function incidentsScreen(_app: App, query: URLSearchParams): Screen {
  return {
    async render(root, signal) {
      const user = currentSession().user;
      if (!user) return loginFirst(root, '/su-co');
      let state = query.get('state') ?? 'open';
      let type = query.get('type') ?? '';
      let q = query.get('q') ?? '';
      const list = h('div', { class: 'field-list', 'data-testid': 'incident-list' }, loading(t('app.loading')));
      const stateSelect = h(
        'select',
        { id: 'incident-state', 'data-testid': 'incident-filter-state' },
        h('option', { value: 'open' }, t('incident.filterOpen')),
        h('option', { value: '' }, t('incident.filterAll')),
        INCIDENT_STATES.map((s) => h('option', { value: s }, incidentStateName(s))),
      );
      stateSelect.value = state;
      const typeSelect = h('select', { id: 'incident-type', 'data-testid': 'incident-filter-type' }, h('option', { value: '' }, t('incident.allTypes')));
      const search = h('input', { id: 'incident-search', type: 'search', placeholder: t('incident.search'), value: q, 'data-testid': 'incident-search' });
      const csv = h('a', { class: 'button', 'data-testid': 'incident-export-csv', download: '' }, t('incident.exportCsv'));
      const xlsx = h('a', { class: 'button', 'data-testid': 'incident-export-xlsx', download: '' }, t('incident.exportXlsx'));
      const load = async () => {
        const filters = { state, incident_type: type || undefined, q: q || undefined };
        csv.setAttribute('href', fieldApi.exportUrl('csv', filters));
        xlsx.setAttribute('href', fieldApi.exportUrl('xlsx', filters));
        replace(list, loading(t('app.loading')));
        try {
          const incidents = await fieldApi.incidents(filters);
          replace(list, incidents.length === 0 ? h('p', { class: 'muted' }, t('incident.empty')) : incidents.map(card));
        } catch (error) {
          replace(list, errorBox(error, () => void load()));
        }
      };
      stateSelect.addEventListener('change', () => {
        state = stateSelect.value;
        void load();
      });
      typeSelect.addEventListener('change', () => {
        type = typeSelect.value;
        void load();
      });
      let timer: number | undefined;
      search.addEventListener('input', () => {
        window.clearTimeout(timer);
        timer = window.setTimeout(() => {
          q = search.value.trim();
          void load();
        }, 300);
      });
      page(
        root,
        'incident-inbox',
        h('h1', {}, t('incident.inboxTitle')),
        h('p', { class: 'muted' }, user.role === 'operator_member' ? t('incident.inboxLeadOperator') : t('incident.inboxLeadStaff')),
        offlineNotice(),
        h('div', { class: 'field-filters' }, field(t('track.status'), stateSelect), field(t('report.type'), typeSelect), field(t('incident.search'), search)),
        h('div', { class: 'field-actions' }, h('a', { href: '/phan-anh/moi', class: 'button button-primary' }, t('field.report')), csv, xlsx),
        list,
      );
      void fieldApi.types().then((types: IncidentType[]) => {
        for (const k of types) typeSelect.append(h('option', { value: k.code }, typeName(k)));
        typeSelect.value = type;
      }).catch(() => undefined);
      await load();
    },
  };
}

function card(incident: Incident): HTMLElement {
  return h(
    'a',
    { href: `/su-co/${incident.id}`, class: 'field-card', 'data-testid': 'incident-card', 'data-reference': incident.reference },
    h('div', { class: 'field-card-head' }, h('strong', {}, incident.reference), incidentStateBadge(incident.state)),
    h('div', {}, typeName(incident), incident.safety ? h('span', { class: 'field-safety' }, ` · ${t('report.safety')}`) : null),
    h('div', { class: 'muted small' }, [incident.ward_name, incident.operator, t(`incident.channel.${incident.channel}` as MessageKey)].filter(Boolean).join(' · ')),
    clockBadge(incident.clock),
  );
}

export function incidentScreen(app: App, id: number): Screen {
  return {
    async render(root, signal) {
      const body = page(root, 'incident-page', loading(t('app.loading')));
      let detail: IncidentDetail;
      let etag: string | null;
      try {
        ({ incident: detail, etag } = await fieldApi.incident(id));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return loginFirst(root, `/su-co/${id}`);
        replace(body, errorBox(error, () => void this.render(root, signal)));
        return;
      }
      const i = detail;
      const contact = [i.contact_name, i.contact_phone, i.contact_email].filter(Boolean).join(' · ');
      const actions = h('div', { class: 'field-step-buttons' });
      const stepArea = h('div', { 'data-testid': 'incident-step' });
      for (const action of i.actions) {
        actions.append(
          h('button', { type: 'button', class: action === 'fix' || action === 'assign' || action === 'triage' ? 'button button-primary field-big-button' : 'button field-big-button', 'data-testid': `incident-action-${action}`, onclick: () => void openStep(action) }, t(`incident.action.${action}` as MessageKey)),
        );
      }
      const openStep = async (action: IncidentAction) => {
        const note = h('textarea', { id: 'step-note', rows: 3, 'data-testid': 'step-note' });
        const rows: HTMLElement[] = [];
        let operator: HTMLSelectElement | null = null;
        let pictures: ReturnType<typeof photoPicker> | null = null;
        if (action === 'assign') {
          operator = h('select', { id: 'step-operator', 'data-testid': 'step-operator' });
          let near: Candidate[] = [];
          try {
            near = await fieldApi.candidates(id);
          } catch {
            near = [];
          }
          const codes = [...new Set([...(i.proposed_operator ? [i.proposed_operator] : []), ...near.map((c) => c.operator), ...app.reference.operators.map((o) => o.code)])];
          for (const code of codes) operator.append(h('option', { value: code }, app.reference.operators.find((o) => o.code === code)?.short_name ?? code));
          if (i.proposed_operator) operator.value = i.proposed_operator;
          rows.push(field(t('incident.operator'), operator, i.proposed_operator ? t('incident.proposed', { operator: i.proposed_operator }) : undefined));
          if (near.length) rows.push(h('ul', { class: 'muted small' }, near.slice(0, 5).map((c) => h('li', {}, t('incident.near', { code: c.code, kind: c.kind, operator: c.operator, distance: formatNumber(c.distance_m, 0) })))));
        }
        if (action === 'fix') {
          pictures = photoPicker('step-photo', t('incident.photo'));
          rows.push(pictures.element);
        }
        rows.push(field(t('incident.note'), note));
        const send = h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'step-submit' }, t(`incident.action.${action}` as MessageKey));
        const problems = h('div', { class: 'notice notice-error', hidden: true, role: 'alert', 'data-testid': 'step-problems' });
        const form = h('form', { class: 'field-form' }, h('h2', {}, t(`incident.action.${action}` as MessageKey)), rows, problems, send);
        form.addEventListener('submit', async (event) => {
          event.preventDefault();
          send.disabled = true;
          const data: Record<string, unknown> = {};
          if (note.value.trim()) data.note = note.value.trim();
          if (operator) data.operator = operator.value;
          const photos = pictures?.photos() ?? [];
          data.photos = photos.map((p) => p.taken);
          try {
            const after = await sendOrQueue(() => fieldApi.step(id, action, data, photos.map((p) => p.blob), etag), {
              kind: 'incident_step',
              url: `/api/v1/incidents/${id}/actions/${action}`,
              data,
              photos,
              label: `${i.reference}: ${t(`incident.action.${action}` as MessageKey)}`,
            });
            if (after) {
              toast(`${after.reference}: ${incidentStateName(after.state)}`, 'success');
              app.view.reloadLayer('incidents');
              await this.render(root, signal);
            }
          } catch (error) {
            send.disabled = false;
            problems.hidden = false;
            if (error instanceof ApiError && error.details.length) replace(problems, error.details.map((d) => h('p', {}, `${d.field}: ${problemWords(d)}`)));
            else replace(problems, h('p', {}, describeError(error)));
          }
        });
        replace(stepArea, form);
        form.scrollIntoView({ block: 'nearest' });
      };
      replace(
        body,
        h('h1', {}, i.reference),
        offlineNotice(),
        h('div', { class: 'field-card-head' }, incidentStateBadge(i.state), clockBadge(i.clock)),
        h(
          'dl',
          { class: 'field-facts' },
          h('dt', {}, t('report.type')),
          h('dd', {}, typeName(i)),
          h('dt', {}, t('report.where')),
          h('dd', {}, [i.address, i.ward_name].filter(Boolean).join(', ') || `${i.lat.toFixed(6)}, ${i.lon.toFixed(6)}`),
          h('dt', {}, t('track.received')),
          h('dd', {}, `${formatDate(i.received_on)} · ${t(`incident.channel.${i.channel}` as MessageKey)}`),
          i.operator ? [h('dt', {}, t('incident.operator')), h('dd', { 'data-testid': 'incident-operator' }, i.operator)] : null,
          i.asset_code ? [h('dt', {}, 'Tài sản'), h('dd', {}, h('a', { href: `/assets/${i.asset_id}` }, i.asset_code))] : null,
          contact ? [h('dt', {}, t('incident.reporter')), h('dd', { 'data-testid': 'incident-contact' }, contact)] : null,
        ),
        h('p', { class: 'field-description' }, i.description),
        i.photos.length ? h('div', { class: 'field-photos', 'data-testid': 'incident-photos' }, i.photos.map((p) => h('figure', { class: 'field-photo' }, h('a', { href: p.href, target: '_blank' }, h('img', { src: p.href, alt: p.purpose }))))) : null,
        actions,
        stepArea,
        h('h2', {}, t('incident.timeline')),
        h('ol', { class: 'field-timeline' }, i.timeline.map((e) => h('li', {}, h('span', { class: 'muted' }, formatDateTime(e.at)), ' ', t(`incident.action.${e.action}` as MessageKey), ' → ', incidentStateName(e.to_state), ` (${e.actor})`, e.note ? h('div', { class: 'small' }, e.note) : null))),
        h('p', {}, h('a', { href: i.tracking_url }, t('incident.public'))),
      );
    },
  };
}
