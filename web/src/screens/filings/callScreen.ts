// One data call: what it asks, as of when, due when (the effective due date
// after weekends and holidays, and the working days left). Staff see where
// every operator stands and may change the due date or cancel the call; an
// operator sees its own filing and files there.
//
// Addresses: `/filings/calls/{id}` (the call), `/filings/{id}` (one operator's filing).

import { ApiError } from '../../api/client';
import { filingsApi, type Call, type CallRecipient, type Filing } from '../../api/filings';
import type { App } from '../../app';
import { isStaff, ownOperator, statusBadge, timeLeft } from '../../domain/filings';
import { formatDate, formatDateTime, formatNumber, t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, loading, replace } from '../../ui/dom';
import { describeError, toast } from '../../ui/messages';
import { parseDate } from '../../ui/dateField';
import { dataTable } from '../../ui/table';
import { pageError, pageHeader, sectionTabs } from './common';
import { filingPanel, type FilingPanel } from './filingPanel';
import { problemText } from '../../i18n/problems';

function facts(call: Call): HTMLElement {
  const moved = call.effective_due_on !== call.due_on;
  return h(
    'div',
    { class: 'call-facts', 'data-testid': 'call-facts' },
    h(
      'dl',
      { class: 'attributes' },
      h('dt', {}, t('fl.col.unit')),
      h('dd', {}, call.unit.name),
      h('dt', {}, t('fl.col.asOf')),
      h('dd', {}, formatDate(call.as_of)),
      call.plan_year ? [h('dt', {}, t('fl.form.planYear')), h('dd', {}, String(call.plan_year))] : null,
      h('dt', {}, t('fl.form.opensOn')),
      h('dd', {}, formatDate(call.opens_on)),
      h('dt', {}, t('fl.col.due')),
      h('dd', { 'data-testid': 'call-due' }, t('fl.call.effectiveDue', { due: formatDate(call.effective_due_on), left: timeLeft(call) })),
      h('dt', {}, t('fl.col.state')),
      h('dd', {}, h('span', { class: `badge call-state call-state-${call.state}`, 'data-testid': 'call-state' }, t(`fl.state.${call.state}` as MessageKey))),
    ),
    moved ? h('p', { class: 'small muted', 'data-testid': 'due-moved' }, t('fl.call.dueMoved', { due: formatDate(call.due_on), effective: formatDate(call.effective_due_on) })) : null,
    call.reminder_working_days > 0 ? h('p', { class: 'small muted' }, t('fl.call.reminder', { days: call.reminder_working_days })) : null,
    call.state === 'cancelled' ? h('p', { class: 'notice notice-warning' }, t('fl.call.cancelled', { reason: call.cancel_reason ?? '' })) : null,
    call.state === 'scheduled' ? h('p', { class: 'notice notice-info' }, t('fl.call.scheduled', { date: formatDate(call.opens_on) })) : null,
    call.instructions ? h('div', { class: 'call-instructions' }, h('h2', { class: 'subsection-title' }, t('fl.call.instructions')), h('p', {}, call.instructions)) : null,
  );
}

function recipientsTable(call: Call): HTMLElement {
  return dataTable<CallRecipient>({
    testId: 'recipients-table',
    empty: t('fl.calls.none'),
    rows: call.operators,
    initialSort: { key: 'operator', ascending: true },
    columns: [
      { key: 'operator', label: t('fl.col.operator'), sortValue: (r) => r.operator_name },
      {
        key: 'status',
        label: t('fl.col.status'),
        sortValue: (r) => r.status,
        cell: (r) => h('span', { 'data-testid': `recipient-${r.operator}` }, statusBadge(r.status, r.submitted_late), r.draft_pending ? h('span', { class: 'muted small' }, ` · ${t('fl.draftPending')}`) : null),
      },
      { key: 'version', label: t('fl.col.version'), numeric: true, sortValue: (r) => r.latest_version, cell: (r) => (r.latest_version === null ? t('common.empty') : String(r.latest_version)) },
      { key: 'errors', label: t('fl.col.errors'), numeric: true, sortValue: (r) => r.latest_errors, cell: (r) => (r.latest_errors === null ? t('common.empty') : formatNumber(r.latest_errors)) },
      { key: 'submitted', label: t('fl.col.submittedAt'), sortValue: (r) => r.submitted_at, cell: (r) => (r.submitted_at ? formatDateTime(r.submitted_at) : t('common.empty')) },
      {
        key: 'open',
        label: '',
        sortValue: () => null,
        cell: (r) => (r.filing_id ? h('a', { href: `/filings/${r.filing_id}`, 'data-testid': `open-filing-${r.operator}` }, t('fl.call.openFiling')) : ''),
      },
    ],
  }).element;
}

/** Changing the due date, or cancelling, as staff. */
function staffActions(call: Call, refresh: () => void): HTMLElement | null {
  if (call.state === 'cancelled') return null;
  const due = h('input', { type: 'text', inputmode: 'numeric', value: formatDate(call.due_on), 'aria-label': t('fl.call.changeDue'), 'data-testid': 'call-due-input', class: 'date-input' });
  const reason = h('input', { type: 'text', 'aria-label': t('fl.call.cancelReason'), placeholder: t('fl.call.cancelReason'), 'data-testid': 'call-cancel-reason' });
  const send = async (change: Record<string, unknown>) => {
    try {
      await filingsApi.changeCall(call.id, { version: call.version, ...change });
      toast(t('fl.call.saved'), 'success');
      refresh();
    } catch (error) {
      toast(error instanceof ApiError && error.details[0] ? `${describeError(error)} ${problemText(error.details[0])}` : describeError(error), 'error');
    }
  };
  return h(
    'div',
    { class: 'call-actions' },
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          const iso = parseDate(due.value);
          if (!iso) return toast(t('ug.form.notDate'), 'error');
          void send({ due_on: iso });
        },
      },
      due,
      h('button', { type: 'submit', class: 'button button-small' }, t('fl.call.changeDue')),
    ),
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (event: Event) => {
          event.preventDefault();
          if (!reason.value.trim()) return toast(t('ug.form.required'), 'error');
          void send({ cancel: reason.value.trim() });
        },
      },
      reason,
      h('button', { type: 'submit', class: 'button button-small button-danger', 'data-testid': 'call-cancel' }, t('fl.call.cancel')),
    ),
  );
}

export function callScreen(app: App, id: number): Screen {
  let panel: FilingPanel | null = null;
  let left = false;
  const screen: Screen = {
    async render(root, signal) {
      root.className = 'screen screen-page';
      panel?.leave();
      panel = null;
      const page = h('article', { class: 'page page-wide', 'data-testid': 'call' }, sectionTabs('calls'), loading(t('app.loading')));
      replace(root, page);
      let call: Call;
      let filing: Filing | null = null;
      try {
        call = await filingsApi.call(id);
        const own = ownOperator();
        const mine = own ? call.operators.find((r) => r.operator === own) : undefined;
        if (mine?.filing_id) filing = await filingsApi.filing(mine.filing_id);
      } catch (error) {
        replace(page, sectionTabs('calls'), pageError(error));
        return;
      }
      if (left) return;
      const refresh = () => void screen.render(root, signal);
      const staff = isStaff() && call.counts !== null;
      const own = ownOperator();
      const mine = own ? call.operators.find((r) => r.operator === own) : undefined;
      if (mine) panel = filingPanel(app, call, filing, { mayFile: true, operator: own ?? '', onChange: refresh });
      replace(
        page,
        sectionTabs('calls'),
        pageHeader(t(`fl.kind.${call.kind}` as MessageKey), call.title, null),
        facts(call),
        staff
          ? h(
              'section',
              { class: 'call-operators' },
              h('h2', { class: 'section-title' }, t('fl.call.operators')),
              call.counts
                ? h(
                    'p',
                    { class: 'status-counts', 'data-testid': 'status-counts' },
                    (['submitted', 'draft', 'not_started', 'late'] as const).map((s) => h('span', { class: 'status-count' }, statusBadge(s), ` ${formatNumber(call.counts?.[s] ?? 0)}`)),
                  )
                : null,
              recipientsTable(call),
              staffActions(call, refresh),
            )
          : null,
        panel?.element ?? null,
      );
    },
    leave() {
      left = true;
      panel?.leave();
    },
  };
  return screen;
}

/** One operator's filing, as staff (or the operator) look at it. */
export function filingScreen(app: App, id: number): Screen {
  let panel: FilingPanel | null = null;
  let left = false;
  const screen: Screen = {
    async render(root, signal) {
      root.className = 'screen screen-page';
      panel?.leave();
      const page = h('article', { class: 'page page-wide', 'data-testid': 'filing' }, sectionTabs('calls'), loading(t('app.loading')));
      replace(root, page);
      let filing: Filing;
      try {
        filing = await filingsApi.filing(id);
      } catch (error) {
        replace(page, sectionTabs('calls'), pageError(error));
        return;
      }
      if (left) return;
      const call = filing.call;
      const mayFile = ownOperator() === filing.operator;
      panel = filingPanel(app, call, filing, { mayFile, operator: filing.operator, onChange: () => void screen.render(root, signal) });
      replace(
        page,
        sectionTabs('calls'),
        pageHeader(t(`fl.kind.${call.kind}` as MessageKey), call.title, null, h('a', { href: `/filings/calls/${call.id}`, class: 'button' }, t('fl.calls.title'))),
        facts(call),
        panel.element,
      );
    },
    leave() {
      left = true;
      panel?.leave();
    },
  };
  return screen;
}
