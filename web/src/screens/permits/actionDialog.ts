// The dialog of each action on an application: what the action needs (a
// written reason, the days of an extension, the conditions of a permit, a
// date), sent with the version the person saw. A 422 shows under the field it
// names; a 409 (the action is not possible now, or someone acted meanwhile)
// shows the server's own words and offers to reload.

import { ApiError } from '../../api/client';
import type { ActionInput, Application, PermitAction } from '../../api/permits';
import { actionName, fieldToIso, isMessageKey, isoToField, worksName } from '../../domain/permits';
import { fieldName, t, todayInVietnam, type MessageKey } from '../../i18n';
import { h } from '../../ui/dom';
import { describeError, reasonText } from '../../ui/messages';
import { problemText } from '../../i18n/problems';

/** Longest extension the law allows (Construction Law Art. 102); the server checks the rule in force. */
const MAX_EXTENSION_DAYS = 10;

/** Actions that need a written reason, and the label of that reason. */
const REASON_REQUIRED: Partial<Record<PermitAction, MessageKey>> = {
  request_supplement: 'permit.dialog.reasonSupplement',
  refuse: 'permit.dialog.reasonRefuse',
  request_modification: 'permit.dialog.reasonModification',
  extend: 'permit.dialog.reasonExtend',
};

/** Actions whose note is optional. */
const REASON_OPTIONAL = new Set<PermitAction>(['withdraw', 'resubmit']);

const DANGER = new Set<PermitAction>(['refuse', 'withdraw', 'lapse']);

interface Field {
  wrapper: HTMLElement;
  error: HTMLElement;
}

/**
 * Opens the dialog of `action` on `application`; `onDone` gets the
 * application as the server returns it after the action, `onStale` is called
 * when the person chooses to reload after a 409.
 */
export function openActionDialog(
  application: Application,
  action: PermitAction,
  act: (input: ActionInput) => Promise<Application>,
  onDone: (updated: Application) => void,
  onStale: () => void,
): void {
  const fields = new Map<string, Field>();
  const field = (name: string, label: string, control: HTMLElement, hint?: string): HTMLElement => {
    const error = h('p', { class: 'field-error', 'data-testid': `dialog-error-${name}`, hidden: true });
    const wrapper = h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, label), control, hint ? h('p', { class: 'muted small' }, hint) : null, error);
    fields.set(name, { wrapper, error });
    return wrapper;
  };

  const body: HTMLElement[] = [];
  const lead = `permit.dialog.lead.${action}`;
  if (isMessageKey(lead)) body.push(h('p', { class: 'dialog-lead' }, t(lead)));

  let reason: HTMLTextAreaElement | null = null;
  const requiredReason = REASON_REQUIRED[action];
  if (requiredReason || REASON_OPTIONAL.has(action)) {
    reason = h('textarea', { id: 'dialog-reason', rows: 4, 'data-testid': 'dialog-reason', required: requiredReason ? true : null });
    body.push(field('reason', t(requiredReason ?? 'permit.dialog.reasonOptional'), reason));
  }
  let days: HTMLInputElement | null = null;
  if (action === 'extend') {
    days = h('input', { id: 'dialog-days', type: 'number', min: 1, max: MAX_EXTENSION_DAYS, step: 1, inputmode: 'numeric', 'data-testid': 'dialog-days', required: true });
    body.unshift(field('days', t('permit.dialog.days', { max: MAX_EXTENSION_DAYS }), days));
  }
  let conditions: HTMLTextAreaElement | null = null;
  let validityEnd: HTMLInputElement | null = null;
  if (action === 'grant') {
    conditions = h('textarea', { id: 'dialog-conditions', rows: 4, 'data-testid': 'dialog-conditions' });
    validityEnd = h('input', { id: 'dialog-validity-end', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', 'data-testid': 'dialog-validity-end', autocomplete: 'off' });
    body.push(field('conditions', t('permit.dialog.conditions'), conditions, t('permit.dialog.conditionsHint')));
    body.push(field('validity_end', t('permit.dialog.validityEnd'), validityEnd));
  }
  let date: HTMLInputElement | null = null;
  let confirmAsBuilt: HTMLInputElement | null = null;
  if (action === 'report_start' || action === 'report_completion') {
    date = h('input', { id: 'dialog-date', type: 'text', inputmode: 'numeric', placeholder: 'dd/mm/yyyy', value: isoToField(todayInVietnam()), 'data-testid': 'dialog-date', autocomplete: 'off' });
    body.push(field('date', t(action === 'report_start' ? 'permit.dialog.dateStart' : 'permit.dialog.dateCompletion'), date));
  }
  if (action === 'report_completion') {
    const proposed = application.proposed_assets;
    if (proposed.length === 0) {
      body.push(h('p', { class: 'muted' }, t('permit.dialog.asBuiltNone')));
    } else {
      confirmAsBuilt = h('input', { type: 'checkbox', id: 'dialog-asbuilt', 'data-testid': 'dialog-confirm-asbuilt' });
      const error = h('p', { class: 'field-error', hidden: true });
      const wrapper = h(
        'div',
        { class: 'field' },
        h('p', {}, t('permit.dialog.asBuilt')),
        h(
          'ul',
          { class: 'asbuilt-list' },
          proposed.map((asset) => {
            const props = ((asset.feature as { properties?: Record<string, unknown> }).properties ?? {}) as Record<string, unknown>;
            return h('li', {}, h('strong', {}, String(props.code ?? '')), ` — ${worksName(application.works_type)}`);
          }),
        ),
        h('label', { class: 'check' }, confirmAsBuilt, t('permit.dialog.asBuiltConfirm')),
        error,
      );
      fields.set('as_built', { wrapper, error });
      body.push(wrapper);
    }
  }

  const notice = h('div', { 'aria-live': 'polite' });
  const confirm = h('button', { type: 'submit', class: `button ${DANGER.has(action) ? 'button-danger-solid' : 'button-primary'}`, 'data-testid': 'dialog-confirm' }, actionName(action));
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'dialog-cancel', onclick: () => dialog.close() }, t('permit.dialog.cancel'));

  const showProblem = (name: string, problem: string): boolean => {
    const target = fields.get(name) ?? fields.get(name.split(/[.[]/)[0] ?? '');
    if (!target) return false;
    target.wrapper.classList.add('invalid');
    target.error.textContent = problem;
    target.error.hidden = false;
    return true;
  };
  const clearProblems = () => {
    notice.replaceChildren();
    for (const f of fields.values()) {
      f.wrapper.classList.remove('invalid');
      f.error.hidden = true;
    }
  };

  const form = h(
    'form',
    {
      method: 'dialog',
      class: 'dialog-form',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearProblems();
        const input: ActionInput = {};
        let ok = true;
        const fail = (name: string, problem: string) => {
          showProblem(name, problem);
          ok = false;
        };
        if (reason) {
          const text = reason.value.trim();
          if (requiredReason && text === '') fail('reason', t('permit.dialog.needReason'));
          if (text) input.reason = text;
        }
        if (days) {
          const n = Number(days.value);
          if (!Number.isInteger(n) || n < 1 || n > MAX_EXTENSION_DAYS) fail('days', t('permit.dialog.needDays', { max: MAX_EXTENSION_DAYS }));
          else input.days = n;
        }
        if (conditions && conditions.value.trim()) input.conditions = conditions.value.trim();
        if (validityEnd && validityEnd.value.trim()) {
          const iso = fieldToIso(validityEnd.value);
          if (!iso) fail('validity_end', 'dd/mm/yyyy');
          else input.validity_end = iso;
        }
        if (date) {
          const iso = fieldToIso(date.value);
          if (!iso) fail('date', 'dd/mm/yyyy');
          else input.date = iso;
        }
        if (confirmAsBuilt && !confirmAsBuilt.checked) fail('as_built', t('permit.dialog.needConfirm'));
        if (!ok) return;
        confirm.disabled = true;
        try {
          const updated = await act(input);
          dialog.close();
          onDone(updated);
        } catch (error) {
          confirm.disabled = false;
          if (error instanceof ApiError && error.code === 'validation_failed') {
            const unplaced = error.details.filter((d) => !showProblem(d.field, problemText(d)));
            notice.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' }, t('permit.form.invalid'), unplaced.length ? h('ul', {}, unplaced.map((d) => h('li', {}, `${fieldName(d.field)}: ${problemText(d)}`))) : null));
          } else if (error instanceof ApiError && error.status === 409) {
            notice.replaceChildren(
              h(
                'div',
                { class: 'notice notice-warning', role: 'alert', 'data-testid': 'dialog-conflict' },
                h('p', {}, t('permit.conflict', { message: reasonText(error) })),
                // A stale version comes with what the application is now.
                error.details.length > 0 ? h('ul', {}, error.details.map((d) => h('li', {}, problemText(d)))) : null,
                h('button', { type: 'button', class: 'button', onclick: () => (dialog.close(), onStale()) }, t('permit.conflictReload')),
              ),
            );
          } else {
            notice.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
          }
        }
      },
    },
    h('h2', { class: 'dialog-title' }, actionName(action)),
    h('p', { class: 'muted small' }, `${application.reference} — ${application.title}`),
    body,
    notice,
    h('div', { class: 'dialog-actions' }, confirm, cancel),
  );

  const dialog = h('dialog', { class: 'permit-dialog', 'data-testid': 'action-dialog', 'data-action': action }, form);
  dialog.addEventListener('close', () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  (dialog.querySelector('textarea, input') as HTMLElement | null)?.focus();
}
