// One permit application, for both sides: the site on the map with what the
// pre-checks found, each finding with its outcome, message and the rule it
// cites; the clock with its due dates; the timeline; the attachments; the
// buttons for exactly the actions the server offers the person now; and, once
// granted, the permit's number with its print view, PDF and public check.
//
// Address: `/permits/{id}`.

import { assetLinks } from '../../domain/assetNames';
import { ApiError } from '../../api/client';
import { permitLinks, permitsApi, type Application, type Finding, type PermitAction } from '../../api/permits';
import type { App } from '../../app';
import { collectionOfKind } from '../../domain/kinds';
import { currentSession } from '../../domain/session';
import { actionName, checkName, isMessageKey, isOpen, clockBadge, localMessage, outcomeName, stateBadge, stateName, worksName } from '../../domain/permits';
import { fieldName, formatDate, formatDateTime, formatNumber, t, valueName, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { asyncSection } from '../../ui/async';
import { append, h, replace } from '../../ui/dom';
import { describeError, errorBox, toast } from '../../ui/messages';
import { pageRoot, pageShell } from '../../ui/page';
import { openActionDialog } from './actionDialog';
import { attachmentsSection } from './attachments';
import { featureLabel, showSite } from './siteMap';
import './permits.css';

/** The order actions are offered in: the one that moves the file on first, the ones that end it last. */
const ACTION_ORDER: PermitAction[] = [
  'submit',
  'resubmit',
  'begin_check',
  'accept',
  'grant',
  'report_start',
  'report_completion',
  'request_supplement',
  'request_modification',
  'extend',
  'refuse',
  'lapse',
  'withdraw',
];
const PRIMARY = new Set<PermitAction>(['submit', 'resubmit', 'begin_check', 'accept', 'grant', 'report_start', 'report_completion']);
const DANGER = new Set<PermitAction>(['refuse', 'withdraw', 'lapse']);

export function applicationScreen(app: App, id: number): Screen {
  let removeSite: (() => void) | null = null;
  let left = false;

  return {
    render(root, signal) {
      pageRoot(root);
      const section = asyncSection({
        signal,
        testId: 'permit-page',
        class: 'permit-page-frame',
        load: (signal) => permitsApi.get(id, signal),
        render: (application) => drawPage(application),
        shown: (application) => {
          if (left) return;
          // Drawn again after an action: the previous overlay goes first.
          removeSite?.();
          app.view.mountIn(mapBox);
          removeSite = showSite(app.view, application);
        },
        error: (error, retry) =>
          error instanceof ApiError && (error.status === 404 || error.status === 403)
            ? h('div', { class: 'page' }, h('div', { class: 'notice notice-error', role: 'alert' }, t('permit.notFound', { id })), h('a', { href: '/permits', class: 'button' }, t('permit.back')))
            : h('div', { class: 'page' }, errorBox(error, retry)),
      });
      replace(root, section.element);
      let mapBox = h('div');
      const drawPage = (application: Application): HTMLElement => {
        const a = application;
        const reload = () => void section.load();

        // ---- Actions -------------------------------------------------------------
        const act = (action: PermitAction) =>
          openActionDialog(
            a,
            action,
            (input) => permitsApi.act(a.id, action, input, a.version),
            (updated) => {
              toast(t('permit.done.other', { reference: updated.reference, state: stateName(updated.state) }), 'success');
              app.view.reloadLayer('permits');
              reload();
            },
            reload,
          );
        const actions = ACTION_ORDER.filter((action) => a.actions.includes(action));
        const editable = ['draft', 'supplement_requested', 'modification_requested'].includes(a.state) && (a.actions.includes('submit') || a.actions.includes('resubmit'));
        const actionBar = h(
          'div',
          { class: 'page-actions permit-actions', 'data-testid': 'permit-actions' },
          editable ? h('a', { href: `/permits/${a.id}/edit`, class: 'button', 'data-testid': 'permit-edit' }, t('permit.action.edit')) : null,
          actions.map((action) =>
            h(
              'button',
              { type: 'button', class: `button ${PRIMARY.has(action) ? 'button-primary' : DANGER.has(action) ? 'button-danger' : ''}`, 'data-testid': `action-${action}`, onclick: () => act(action) },
              actionName(action),
            ),
          ),
        );

        // ---- The decision ----------------------------------------------------------
        const decision = a.permit_number
          ? h(
              'section',
              { class: 'card permit-granted', 'data-testid': 'permit-granted' },
              h('div', { class: 'permit-granted-head' }, h('span', { class: 'seal', 'aria-hidden': 'true' }, '✓'), h('div', {}, h('p', { class: 'eyebrow' }, t('permit.section.permit')), h('h2', { 'data-testid': 'permit-number' }, t('permit.granted.title', { number: a.permit_number })))),
              h(
                'dl',
                { class: 'attributes' },
                h('dt', {}, t('permit.field.conditions')),
                h('dd', { 'data-testid': 'permit-conditions' }, a.conditions ?? t('common.empty')),
                h('dt', {}, t('permit.field.validity_end')),
                h('dd', {}, formatDate(a.validity_end)),
                a.verification ? [h('dt', {}, t('permit.granted.codeLabel')), h('dd', { class: 'mono', 'data-testid': 'permit-code' }, a.verification.code)] : null,
              ),
              h(
                'div',
                { class: 'page-actions' },
                h('a', { href: permitLinks.printView(a.id), target: '_blank', rel: 'noopener', class: 'button button-primary', 'data-testid': 'permit-print' }, t('permit.granted.print')),
                h('a', { href: permitLinks.pdf(a.id), target: '_blank', rel: 'noopener', class: 'button', 'data-testid': 'permit-pdf' }, t('permit.granted.pdf')),
                h('a', { href: permitLinks.docx(a.id), class: 'button', 'data-testid': 'permit-docx' }, t('permit.granted.docx')),
                a.verification ? h('a', { href: a.verification.path, target: '_blank', rel: 'noopener', class: 'button', 'data-testid': 'permit-verify' }, t('permit.granted.verify')) : null,
              ),
            )
          : null;
        // What the ward asked for or decided, in its own words.
        const supplementNote = a.state === 'supplement_requested' ? [...a.timeline].reverse().find((e) => e.action === 'request_supplement')?.note : null;
        const reasons =
          a.decision_reasons && (a.state === 'refused' || a.state === 'modification_requested')
            ? h('div', { class: `notice ${a.state === 'refused' ? 'notice-error' : 'notice-warning'}`, 'data-testid': 'permit-reasons' }, h('h3', {}, t(a.state === 'refused' ? 'permit.refused.title' : 'permit.modification.title')), h('p', {}, a.decision_reasons))
            : supplementNote
              ? h('div', { class: 'notice notice-warning', 'data-testid': 'permit-reasons' }, h('h3', {}, t('permit.supplement.title')), h('p', {}, supplementNote))
              : null;

        // ---- The site, the checks -----------------------------------------------------
        mapBox = h('div', { class: 'permit-map', 'data-testid': 'permit-map' });
        const checksArea = h('div', {}, checksList(a.checks));
        const rerun = async (button: HTMLButtonElement) => {
          button.disabled = true;
          try {
            const findings = await permitsApi.rerunChecks(a.id);
            a.checks = findings;
            replace(checksArea, checksList(findings));
            removeSite?.();
            removeSite = showSite(app.view, a);
            toast(t('permit.checksRerun'), 'success');
          } catch (error) {
            toast(describeError(error), 'error');
          } finally {
            button.disabled = false;
          }
        };
        // The checks matter while the file is open; the applicant or the ward re-runs them (the server decides).
        const mayRerun = isOpen(a) && (a.state !== 'draft' || a.actions.includes('submit')) && currentSession().user?.role !== 'planner';
        const rerunButton: HTMLButtonElement | null = mayRerun
          ? h('button', { type: 'button', class: 'button button-small', 'data-testid': 'permit-rerun-checks', onclick: () => void rerun(rerunButton!) }, t('permit.rerunChecks'))
          : null;

        const shell = pageShell({
          class: 'permit-page',
          eyebrow: `${worksName(a.works_type)} · ${app.reference.operatorLabel(a.operator)}${a.ward_name ? ` · ${a.ward_name}` : ''}`,
          title: [h('span', { 'data-testid': 'permit-reference' }, a.reference), ' ', stateBadge(a.state, 'permit-state'), ' ', a.clock.status !== 'none' ? clockBadge(a.clock) : null],
          lead: h('span', { 'data-testid': 'permit-title' }, a.title),
          actions: [h('a', { href: '/permits', class: 'button button-quiet back-link' }, `← ${t('permit.back')}`), actionBar],
        });
        append(
          shell.body,
          actions.length === 0 && !editable ? h('p', { class: 'muted small' }, t('permit.noActions')) : null,
          a.exempt ? h('div', { class: 'notice notice-info' }, t('permit.exemptNotice')) : null,
          reasons,
          decision,
          h(
            'div',
            { class: 'permit-grid' },
            h('section', { class: 'card card-map' }, h('div', { class: 'card-title-row' }, h('h2', {}, t('permit.section.site')), rerunButton), mapBox, mapLegend()),
            h(
              'div',
              { class: 'permit-side' },
              h('section', { class: 'card', 'data-testid': 'permit-clock' }, h('h2', {}, t('permit.section.clock')), clockCard(a)),
              h('section', { class: 'card' }, h('h2', {}, t('permit.section.details')), detailsCard(a)),
            ),
          ),
          h('section', { class: 'card', 'data-testid': 'permit-checks' }, h('h2', {}, t('permit.section.checks')), checksArea),
          h(
            'div',
            { class: 'page-grid' },
            h('section', { class: 'card' }, h('h2', {}, t('permit.section.timeline')), timeline(a)),
            h('section', { class: 'card' }, h('h2', {}, t('permit.section.attachments')), attachmentsSection(a.id, a.attachments, editable)),
          ),
        );
        return shell.element;
      };
      return section.load();
    },
    leave() {
      left = true;
      removeSite?.();
      removeSite = null;
    },
  };
}

function mapLegend(): HTMLElement {
  const item = (cls: string, label: string) => h('li', {}, h('span', { class: `legend-mark ${cls}`, 'aria-hidden': 'true' }), label);
  return h(
    'ul',
    { class: 'permit-map-legend' },
    item('mark-site', t('permit.site')),
    item('mark-ring', t('permit.legendRing')),
    item('mark-blocking', outcomeName('blocking')),
    item('mark-warning', outcomeName('warning')),
    item('mark-info', outcomeName('info')),
  );
}

function checksList(findings: Finding[]): HTMLElement {
  if (findings.length === 0) return h('p', { class: 'empty' }, t('permit.noChecks'));
  return h(
    'ul',
    { class: 'finding-list', 'data-testid': 'findings' },
    findings.map((f) =>
      h(
        'li',
        { class: `finding finding-${f.outcome}`, 'data-testid': 'finding', 'data-check': f.check_key, 'data-outcome': f.outcome },
        h('div', { class: 'finding-head' }, h('span', { class: `badge outcome outcome-${f.outcome}`, 'data-testid': 'finding-outcome' }, outcomeName(f.outcome)), h('strong', {}, checkName(f.check_key))),
        h('p', { class: 'finding-message', 'data-testid': 'finding-message' }, localMessage(f)),
        h('p', { class: 'finding-citation muted small', 'data-testid': 'finding-citation' }, f.citation ? t('permit.citation', { citation: f.citation }) : t('permit.noCitation')),
        typeof f.details.radius_m === 'number' ? h('p', { class: 'muted small' }, t('permit.radius', { radius: f.details.radius_m })) : null,
        (f.details.features ?? []).length > 0
          ? h(
              'ul',
              { class: 'finding-features' },
              (f.details.features ?? []).map((feature) => {
                const bits: string[] = [];
                if (feature.operator) bits.push(String(feature.operator));
                if (typeof feature.distance_m === 'number') bits.push(t('permit.distance', { distance: feature.distance_m }));
                if (typeof feature.free_capacity === 'number') bits.push(t('permit.freeSlots', { count: feature.free_capacity }));
                if (typeof feature.target_year === 'number') bits.push(t('permit.targetYear', { year: String(feature.target_year) }));
                const name = featureLabel(feature);
                const link = f.check_key === 'sharing' && typeof feature.id === 'number' ? h('a', { href: `/assets/${feature.id}` }, name) : typeof feature.reference === 'string' ? h('a', { href: `/permits/${String(feature.id)}` }, name) : h('span', {}, name);
                const secondary = feature.name && feature.name !== name ? String(feature.name) : feature.title && feature.title !== name ? String(feature.title) : null;
                return h('li', {}, link, secondary ? h('span', { class: 'muted' }, ` — ${secondary}`) : null, bits.length ? h('span', { class: 'muted' }, ` · ${bits.join(' · ')}`) : null);
              }),
            )
          : null,
      ),
    ),
  );
}

function clockCard(a: Application): HTMLElement {
  const c = a.clock;
  const row = (label: MessageKey, value: Node | string | null, testId?: string) => (value === null ? null : [h('dt', {}, t(label)), h('dd', { 'data-testid': testId ?? null }, value)]);
  const date = (d: string | null) => (d ? formatDate(d) : null);
  return h(
    'div',
    {},
    isMessageKey(`permit.clock.phase.${c.phase}`) ? h('p', { class: 'muted small' }, t(`permit.clock.phase.${c.phase}`)) : null,
    c.status !== 'none' ? h('p', {}, clockBadge(c)) : null,
    h(
      'dl',
      { class: 'attributes clock-dates' },
      row('permit.clock.submitted_on', date(c.submitted_on)),
      row('permit.clock.completeness_due', date(c.completeness_due), 'completeness-due'),
      row('permit.clock.complete_on', date(c.complete_on)),
      row('permit.clock.decision_due', date(c.decision_due), 'decision-due'),
      row('permit.clock.decided_on', date(c.decided_on)),
      c.paused_working_days > 0 ? row('permit.clock.paused', t('permit.clock.workingDays', { days: c.paused_working_days })) : null,
      c.extension_working_days > 0 ? row('permit.clock.extension', t('permit.clock.workingDays', { days: c.extension_working_days })) : null,
      c.processing_working_days !== null ? row('permit.clock.processing', t('permit.clock.workingDays', { days: c.processing_working_days })) : null,
    ),
  );
}

function detailsCard(a: Application): HTMLElement {
  const rows: [MessageKey, Node | string][] = [
    ['permit.field.works_type', worksName(a.works_type)],
    ['permit.field.operator', a.operator],
    ['permit.field.ward', a.ward_name ? `${a.ward_name} (${a.ward_code ?? ''})` : t('common.empty')],
    ['permit.field.planned_start', formatDate(a.planned_start)],
    ['permit.field.planned_end', formatDate(a.planned_end)],
  ];
  if (a.tower) {
    const tw = a.tower;
    const parts = [`${fieldName('tower_class')} ${tw.tower_class}`, t('common.metres', { value: tw.height_m }), valueName('placement', tw.placement)];
    if (tw.host_building_height_m != null) parts.push(`${t('permit.form.host_building_height_m')}: ${formatNumber(tw.host_building_height_m)}`);
    rows.push(['permit.field.tower', parts.join(' · ')]);
  }
  if (a.proposed_assets.length > 0) {
    rows.push([
      'permit.field.proposed_assets',
      a.proposed_assets
        .map((p) => {
          const props = ((p.feature as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
          const collection = collectionOfKind(p.kind);
          return `${String(props.code ?? '')} (${collection ? t(`kind.one.${collection}`) : p.kind})`;
        })
        .join(', '),
    ]);
  }
  if (a.works_started_on) rows.push(['permit.field.works_started_on', formatDate(a.works_started_on)]);
  if (a.works_completed_on) rows.push(['permit.field.works_completed_on', formatDate(a.works_completed_on)]);
  if (a.registered_assets.length > 0) {
    rows.push(['permit.field.registered_assets', assetLinks(a.registered_assets, { testId: 'registered-assets' })]);
  }
  return h(
    'div',
    {},
    h('dl', { class: 'attributes' }, rows.map(([label, value]) => [h('dt', {}, t(label)), h('dd', {}, value)])),
    a.description ? h('p', { class: 'note' }, a.description) : null,
  );
}

function timeline(a: Application): HTMLElement {
  if (a.timeline.length === 0) return h('p', { class: 'empty' }, t('permit.timeline.empty'));
  return h(
    'ol',
    { class: 'timeline', 'data-testid': 'timeline' },
    [...a.timeline].reverse().map((event) =>
      h(
        'li',
        { class: 'timeline-item', 'data-action': event.action },
        h('div', { class: 'timeline-when' }, formatDate(event.day), h('span', { class: 'muted small' }, formatDateTime(event.at).split(' ')[1] ?? '')),
        h(
          'div',
          { class: 'timeline-body' },
          h('strong', {}, actionName(event.action)),
          event.from_state !== event.to_state ? h('span', { class: 'muted' }, ` → ${stateName(event.to_state)}`) : null,
          h('div', { class: 'muted small' }, event.actor.replace(/^user:/, '')),
          event.note ? h('p', { class: 'timeline-note' }, event.note) : null,
          typeof event.data?.permit_number === 'string' ? h('p', { class: 'small' }, `${t('permit.field.permit_number')}: ${event.data.permit_number}`) : null,
          typeof event.data?.days === 'number' ? h('p', { class: 'small' }, `${t('permit.clock.extension')}: ${t('permit.clock.workingDays', { days: event.data.days })}`) : null,
        ),
      ),
    ),
  );
}
