// One civil work: who digs where and when, the no-dig period after it, the
// operators it was matched with (a planned route nearby, an application at
// about the same time, or overhead cable along it) and those who registered
// interest in co-building. An operator registers its interest here, with a
// note. Ward staff see every match; an operator sees its own.
//
// Address: `/ngam-hoa/cong-trinh/{id}`.

import '../../styles/everyday.css';
import { ApiError } from '../../api/client';
import { undergroundingApi, type CivilWork, type MatchReason } from '../../api/undergrounding';
import type { App } from '../../app';
import { canAnnounceWorks, memberOperator, sectorName, workPhase } from '../../domain/undergrounding';
import { formatDate, formatDateTime, t } from '../../i18n';
import { phaseSample } from '../../map/overlays/civilWorks';
import type { Screen } from '../../router';
import { asyncSection, type AsyncSection } from '../../ui/async';
import { formDialog } from '../../ui/dialog';
import { append, h, replace } from '../../ui/dom';
import { simpleForm } from '../../ui/form';
import { pageRoot, pageShell } from '../../ui/page';
import { describeError, toast } from '../../ui/messages';
import { loginNeeded, sectionTabs } from './common';

export function civilWorkScreen(app: App, id: number): Screen {
  return {
    render(root, signal) {
      pageRoot(root);
      const section: AsyncSection<CivilWork> = asyncSection({
        signal,
        testId: 'civil-work-page',
        load: (signal) => undergroundingApi.civilWork(id, signal),
        render: (work): HTMLElement => workPage(app, work, () => void section.load()),
        error: (error) =>
          error instanceof ApiError && error.status === 404
            ? h(
                'div',
                { class: 'page page-wide' },
                sectionTabs('works'),
                h('div', { class: 'notice notice-error', role: 'alert' }, t('ug.work.notFound', { id })),
                h('a', { href: '/ngam-hoa/cong-trinh', class: 'button' }, t('ug.works.back')),
              )
            : loginNeeded()(error),
      });
      replace(root, section.element);
      return section.load();
    },
    leave() {
      app.view.highlight(null);
    },
  };
}

function reasonText(reason: MatchReason): string {
  switch (reason.source) {
    case 'permit':
      return t('ug.work.reason.permit', { ref: reason.ref, title: reason.title ?? '' });
    case 'planned':
      return t('ug.work.reason.planned', { ref: reason.ref, title: reason.title ?? '' });
    case 'overhead':
      return t('ug.work.reason.overhead', { ref: reason.ref });
    default:
      return reason.ref;
  }
}

function workPage(app: App, work: CivilWork, reload: () => void): HTMLElement {
  const { reference } = app;
  const phase = workPhase(work);
  const mine = memberOperator();
  const shell = pageShell({
    width: 'wide',
    above: sectionTabs('works'),
    eyebrow: `${t('ug.work.kind')} · ${sectorName(work.sector)}`,
    title: work.title,
    titleTestId: 'work-title',
    lead: h('span', { class: 'phase' }, phaseSample(phase), t(`ug.work.phase.${phase}`)),
    actions: [
      h('a', { href: '/ngam-hoa/cong-trinh', class: 'button button-quiet back-link' }, `← ${t('ug.works.back')}`),
      h('a', { href: `/?focus=work:${work.id}`, class: 'button' }, t('ug.dashboard.onMap')),
      // Ward staff change the work (its route on the map) or cancel it, with a reason.
      canAnnounceWorks() && !work.cancelled_at ? h('a', { href: `/?tool=civil-work&work=${work.id}`, class: 'button button-primary', 'data-testid': 'work-edit' }, t('common.edit')) : null,
      canAnnounceWorks() && !work.cancelled_at ? h('button', { type: 'button', class: 'button button-danger', 'data-testid': 'work-cancel', onclick: () => cancelDialog(work, reload) }, t('ug.work.cancel')) : null,
    ],
  });
  const cancelled = work.cancelled_at
    ? h(
        'div',
        { class: 'notice notice-warning', role: 'status', 'data-testid': 'work-cancelled' },
        h('strong', {}, t('ug.work.cancelledAt', { at: formatDateTime(work.cancelled_at) })),
        work.cancel_reason ? h('p', {}, work.cancel_reason) : null,
      )
    : null;
  // Where the work is: the app's map, small, with the work drawn on it.
  const mapArea = h('div', { class: 'work-map', 'data-testid': 'work-map' });
  app.view.mountIn(mapArea);
  app.view.highlight(work.geometry);
  void app.view.ready.then(() => {
    app.view.map.resize();
    app.view.zoomTo(work.geometry, 17);
  });
  const where = h('section', { class: 'card work-map-card' }, h('h2', {}, work.ward_name ? t('ug.work.whereWard', { ward: work.ward_name }) : t('ug.work.where')), mapArea);
  const facts: [string, string][] = [
    [t('ug.work.dates'), `${formatDate(work.starts_on)} – ${formatDate(work.ends_on)}`],
    [t('ug.work.noDigUntil'), work.no_dig_until ? formatDate(work.no_dig_until) : t('common.empty')],
    [t('ug.work.owner'), work.owner_org],
    [t('ug.work.contact'), work.contact ?? t('common.empty')],
    [t('ug.work.sourceDoc'), work.source_doc ?? t('common.empty')],
  ];
  const about = h('section', { class: 'card' }, h('h2', {}, t('ug.work.about')), h('dl', { class: 'attributes' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));

  const matches = h(
    'section',
    { class: 'card', 'data-testid': 'work-matches' },
    h('h2', {}, mine ? t('ug.work.yourMatch') : t('ug.work.matched')),
    work.matches.length === 0
      ? h('p', { class: 'empty' }, mine ? t('ug.work.notMatched') : t('ug.work.matchedNone'))
      : h(
          'ul',
          { class: 'match-list' },
          work.matches.map((m) =>
            h(
              'li',
              { 'data-operator': m.operator },
              h('strong', {}, h('span', { class: 'swatch', style: `background:${reference.operatorColour(m.operator)}` }), reference.operatorLabel(m.operator)),
              h('ul', { class: 'reasons small' }, m.reasons.slice(0, 6).map((r) => h('li', {}, reasonText(r))), m.reasons.length > 6 ? h('li', { class: 'muted' }, t('ug.work.moreReasons', { count: m.reasons.length - 6 })) : null),
            ),
          ),
        ),
  );

  const interests = h(
    'section',
    { class: 'card', 'data-testid': 'work-interests' },
    h('h2', {}, t('ug.work.interests')),
    work.interests.length === 0
      ? h('p', { class: 'empty' }, t('ug.work.noInterests'))
      : h(
          'ul',
          { class: 'match-list' },
          work.interests.map((i) =>
            h(
              'li',
              { 'data-operator': i.operator },
              h('strong', {}, h('span', { class: 'swatch', style: `background:${reference.operatorColour(i.operator)}` }), reference.operatorLabel(i.operator)),
              h('span', { class: 'muted small' }, ` · ${formatDateTime(i.created_at)}`),
              i.note ? h('p', { class: 'small' }, i.note) : null,
            ),
          ),
        ),
    mine ? interestForm(work, mine, reload) : null,
  );
  append(shell.body, cancelled, h('div', { class: 'page-grid' }, about, where), h('div', { class: 'page-grid' }, matches, interests));
  return shell.element;
}

/** Cancelling asks why; the work stays on record, marked cancelled. */
function cancelDialog(work: CivilWork, reload: () => void): void {
  const form = simpleForm([{ name: 'reason', label: t('ug.work.cancelReason'), control: { type: 'text', multiline: true, maxLength: 2000 }, required: true }], { idPrefix: 'work-cancel' });
  const notice = h('div', {});
  const dialog = formDialog(
    t('ug.work.cancelTitle', { title: work.title }),
    h(
      'form',
      {
        novalidate: true,
        onsubmit: async (event: Event) => {
          event.preventDefault();
          const { values, problems } = form.read();
          if (problems.length > 0) return form.showProblems(problems);
          try {
            await undergroundingApi.cancelCivilWork(work.id, String(values.reason));
            dialog.close();
            toast(t('ug.work.cancelled'), 'success');
            reload();
          } catch (error) {
            if (error instanceof ApiError && error.code === 'validation_failed') form.showProblems(error.details);
            else replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
          }
        },
      },
      h('p', {}, t('ug.work.cancelLead')),
      notice,
      form.element,
      h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button-danger', 'data-testid': 'work-cancel-confirm' }, t('ug.work.cancel')), h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, t('edit.cancel'))),
    ),
    undefined,
    'work-cancel-dialog',
  );
}

function interestForm(work: CivilWork, operator: string, reload: () => void): HTMLElement {
  const already = work.interests.find((i) => i.operator === operator);
  const note = h('textarea', { id: 'interest-note', rows: 3, maxlength: 2000, 'data-testid': 'interest-note', placeholder: t('ug.work.interestHint') }, already?.note ?? '');
  const notice = h('div', {});
  return h(
    'form',
    {
      class: 'interest-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        replace(notice);
        try {
          await undergroundingApi.registerInterest(work.id, note.value.trim() || null);
          toast(t('ug.work.interestSaved'), 'success');
          reload();
        } catch (error) {
          replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
        }
      },
    },
    h('h3', {}, already ? t('ug.work.interestUpdate') : t('ug.work.interestTitle')),
    notice,
    h('div', { class: 'field' }, h('label', { class: 'field-label', for: 'interest-note' }, t('ug.work.interestNote')), note),
    h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'interest-save' }, already ? t('ug.work.interestUpdate') : t('ug.work.coBuild')),
  );
}
