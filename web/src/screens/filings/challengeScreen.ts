// One challenge: where (on the map), what the sender says and shows, which
// operators' filings claim service there, what happened so far, and what the
// person may do now — staff forward, reject, uphold or dismiss; the operator
// concerned accepts or disputes with evidence. Address: `/challenges/{id}`.

import { Marker } from 'maplibre-gl';
import { ApiError } from '../../api/client';
import { filingsApi, type Challenge, type ChallengeAction } from '../../api/filings';
import type { App } from '../../app';
import { challengeKind, challengeStateName } from '../../domain/filings';
import { formatDate, formatDateTime, formatFixed, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { describeError, toast } from '../../ui/messages';
import { pageError, pageHeader, sectionTabs } from './common';
import { problemText } from '../../i18n/problems';

/** What each action asks for. */
const NEEDS: Record<ChallengeAction, { note: 'none' | 'optional' | 'required'; operator?: boolean; evidence?: boolean }> = {
  forward: { note: 'optional', operator: true },
  reject: { note: 'required' },
  accept: { note: 'optional' },
  dispute: { note: 'required', evidence: true },
  uphold: { note: 'required' },
  dismiss: { note: 'required' },
};

function timeline(c: Challenge): HTMLElement {
  const step = (label: string, at: string | null, note: string | null) =>
    at ? h('li', {}, h('strong', {}, label), ` · ${formatDateTime(at)}`, note ? h('p', { class: 'small' }, note) : null) : null;
  return h(
    'ol',
    { class: 'timeline', 'data-testid': 'challenge-timeline' },
    step(t('fl.ch.detail.received'), c.created_at, c.description),
    step(t('fl.ch.detail.triaged', { by: c.triaged_by ?? '' }), c.triaged_at, c.triage_note),
    step(t('fl.ch.detail.responded', { by: c.responded_by ?? '' }), c.responded_at, c.response_note),
    step(t('fl.ch.detail.decided', { by: c.decided_by ?? '' }), c.decided_at, c.decision_note),
    step(t('fl.ch.detail.corrected'), c.corrected_at, null),
  );
}

function actionForm(app: App, c: Challenge, action: ChallengeAction, done: () => void): HTMLElement {
  const need = NEEDS[action];
  const operators = [...new Set([...c.claimed_by.map((x) => x.operator), ...app.reference.operators.filter((o) => o.sector === 'telecom').map((o) => o.code)])];
  const operator = need.operator
    ? h(
        'select',
        { name: 'operator', 'data-testid': 'action-operator', 'aria-label': t('fl.ch.action.operator') },
        operators.map((code) => h('option', { value: code }, app.reference.operatorLabel(code))),
      )
    : null;
  const note =
    need.note !== 'none'
      ? h('textarea', {
          name: 'note',
          rows: 2,
          'data-testid': `action-note-${action}`,
          'aria-label': action === 'dispute' ? t('fl.ch.action.evidence') : need.note === 'required' ? t('fl.ch.action.reason') : t('fl.ch.action.note'),
          placeholder: action === 'dispute' ? t('fl.ch.action.evidence') : need.note === 'required' ? t('fl.ch.action.reason') : t('fl.ch.action.note'),
        })
      : null;
  const evidence = need.evidence ? h('input', { type: 'file', accept: '.pdf,.png,.jpg,.jpeg', 'data-testid': 'action-evidence', 'aria-label': t('fl.ch.action.evidenceFile') }) : null;
  const error = h('p', { class: 'field-error', hidden: true });
  const button = h('button', { type: 'submit', class: action === 'reject' || action === 'dismiss' ? 'button' : 'button button-primary', 'data-testid': `action-${action}` }, t(`fl.ch.action.${action}` as MessageKey));
  return h(
    'form',
    {
      class: `challenge-action action-${action}`,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.hidden = true;
        if (need.note === 'required' && !note?.value.trim()) {
          error.textContent = t('ug.form.required');
          error.hidden = false;
          note?.focus();
          return;
        }
        button.disabled = true;
        try {
          await filingsApi.act(c.id, action, { version: c.version, operator: operator?.value, note: note?.value.trim() || undefined }, evidence?.files?.[0] ?? null);
          toast(t('fl.ch.action.done'), 'success');
          done();
        } catch (e) {
          button.disabled = false;
          error.textContent = e instanceof ApiError && e.details.length > 0 ? e.details.map((d) => problemText(d)).join(' ') : describeError(e);
          error.hidden = false;
        }
      },
    },
    action === 'accept' ? h('p', { class: 'small muted' }, t('fl.ch.action.acceptHint')) : null,
    operator ? h('label', { class: 'field-label' }, t('fl.ch.action.operator'), operator) : null,
    note,
    evidence ? h('label', { class: 'field-label' }, t('fl.ch.action.evidenceFile'), evidence) : null,
    error,
    button,
  );
}

export function challengeScreen(app: App, id: number): Screen {
  let marker: Marker | null = null;
  let left = false;
  const screen: Screen = {
    async render(root, signal) {
      root.className = 'screen screen-page';
      marker?.remove();
      const page = h('article', { class: 'page page-wide', 'data-testid': 'challenge' }, sectionTabs('challenges'), loading(t('app.loading')));
      replace(root, page);
      let c: Challenge;
      try {
        c = await filingsApi.challenge(id);
      } catch (error) {
        replace(page, sectionTabs('challenges'), pageError(error));
        return;
      }
      if (left) return;
      const mapBox = h('div', { class: 'challenge-map' });
      const refresh = () => void screen.render(root, signal);
      replace(
        page,
        sectionTabs('challenges'),
        pageHeader(challengeKind(c), t('fl.ch.detail.title', { id: c.id }), [c.address, c.ward_name].filter(Boolean).join(', ') || null),
        h(
          'div',
          { class: 'challenge-layout' },
          h(
            'div',
            { class: 'challenge-main' },
            h(
              'dl',
              { class: 'attributes' },
              h('dt', {}, t('fl.ch.col.state')),
              h('dd', {}, h('span', { class: `badge challenge-state challenge-state-${c.state}`, 'data-testid': 'challenge-state' }, challengeStateName(c.state))),
              h('dt', {}, t('fl.ch.point')),
              h('dd', {}, `${formatFixed(c.lat, 5)}, ${formatFixed(c.lon, 5)}`),
              c.operator_name ? [h('dt', {}, t('fl.ch.col.operator')), h('dd', {}, c.operator_name)] : null,
              c.response_due_on ? [h('dt', {}, t('fl.ch.col.due')), h('dd', {}, formatDate(c.response_due_on), c.response_overdue ? h('span', { class: 'badge filing-status-late' }, t('fl.ch.overdue')) : null)] : null,
              c.reporter_contact ? [h('dt', {}, t('fl.ch.detail.contact')), h('dd', { 'data-testid': 'challenge-contact' }, c.reporter_contact)] : null,
            ),
            c.has_photo ? h('img', { src: filingsApi.challengePhotoUrl(c.id), alt: t('fl.ch.photo'), class: 'challenge-photo', 'data-testid': 'challenge-photo' }) : null,
            c.has_evidence ? h('p', {}, h('a', { href: filingsApi.challengeEvidenceUrl(c.id), download: '' }, `${t('fl.ch.detail.evidence')}: ${c.evidence_name ?? ''}`)) : null,
            h('h2', { class: 'section-title' }, t('fl.ch.detail.timeline')),
            timeline(c),
            c.actions.length > 0 || c.claimed_by.length > 0 || c.state === 'submitted'
              ? h(
                  'section',
                  { class: 'challenge-claims' },
                  h('h2', { class: 'section-title' }, t('fl.ch.detail.claimedBy')),
                  c.claimed_by.length > 0
                    ? h('ul', { 'data-testid': 'challenge-claims' }, c.claimed_by.map((x) => h('li', {}, h('a', { href: `/filings/${x.filing_id}` }, `${x.operator_name} · ${t('fl.filing.latest', { number: x.version })}`))))
                    : h('p', { class: 'muted' }, t('fl.ch.detail.noClaim')),
                )
              : null,
            c.actions.length > 0 ? h('section', { class: 'challenge-actions', 'data-testid': 'challenge-actions' }, c.actions.map((a) => actionForm(app, c, a, refresh))) : null,
          ),
          mapBox,
        ),
      );
      app.view.mountIn(mapBox);
      await app.view.ready;
      if (left) return;
      marker = new Marker({ color: '#c62828' }).setLngLat([c.lon, c.lat]).addTo(app.view.map);
      app.view.zoomTo({ type: 'Point', coordinates: [c.lon, c.lat] }, 17);
    },
    leave() {
      left = true;
      marker?.remove();
    },
  };
  return screen;
}
