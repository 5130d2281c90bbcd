// Opening a data call: what is asked, for which unit, as of which day, from
// when and by when, with how many working days' reminder, and of whom
// (default: every operator active in the unit). Address: `/filings/new`.

import { FILING_KINDS, filingsApi, type CallInput, type FilingKind } from '../../api/filings';
import type { App } from '../../app';
import { isStaff } from '../../domain/filings';
import { t, type MessageKey } from '../../i18n';
import type { Screen } from '../../router';
import { h, replace } from '../../ui/dom';
import { ApiError } from '../../api/client';
import { describeError, toast } from '../../ui/messages';
import { simpleForm, type FieldDefinition } from '../../ui/form';
import { currentWards } from '../undergrounding/common';
import { pageError, pageHeader, sectionTabs } from './common';

export function callFormScreen(app: App): Screen {
  return {
    render(root) {
      root.className = 'screen screen-page';
      if (!isStaff()) {
        replace(root, h('article', { class: 'page page-narrow' }, pageError(new ApiError(401, 'unauthorized', ''))));
        return;
      }
      const wards = currentWards(app.reference);
      const units: [string, string][] = [
        ...wards.map((w): [string, string] => [w.properties.gso_code ?? '', `${w.properties.name} — ${w.properties.province_name}`]),
        ...app.reference.provinces.filter((p) => p.valid_to === null).map((p): [string, string] => [p.gso_code, p.name]),
      ];
      const operators: [string, string][] = app.reference.operators.filter((o) => o.sector === 'telecom').map((o) => [o.code, o.short_name ?? o.code]);
      const nextYear = new Date().getFullYear() + 1;
      const fields: FieldDefinition[] = [
        { name: 'kind', label: t('fl.form.kind'), required: true, control: { type: 'select', options: FILING_KINDS.map((k) => [k, t(`fl.kind.${k}` as MessageKey)]) } },
        { name: 'title', label: t('fl.form.titleField'), required: true, control: { type: 'text', maxLength: 300 } },
        { name: 'unit', label: t('fl.form.unit'), required: true, control: { type: 'select', options: units, placeholder: t('fl.filing.chooseUnit') } },
        { name: 'as_of', label: t('fl.form.asOf'), required: true, control: { type: 'date' } },
        { name: 'opens_on', label: t('fl.form.opensOn'), hint: t('fl.form.opensHint'), control: { type: 'date' } },
        { name: 'due_on', label: t('fl.form.dueOn'), required: true, control: { type: 'date' } },
        { name: 'plan_year', label: t('fl.form.planYear'), initial: nextYear, control: { type: 'number', integer: true, min: 2000, max: 2100 } },
        { name: 'reminder_working_days', label: t('fl.form.reminder'), hint: t('fl.form.reminderHint'), initial: 3, control: { type: 'number', integer: true, min: 0, max: 30 } },
        { name: 'instructions', label: t('fl.form.instructions'), control: { type: 'text', multiline: true, maxLength: 4000 } },
        { name: 'operators', label: t('fl.form.operators'), hint: t('fl.form.operatorsHint'), control: { type: 'checks', options: operators } },
      ];
      const form = simpleForm(fields, { idPrefix: 'call' });
      const planYear = form.element.querySelector<HTMLElement>('#call-plan_year')?.closest<HTMLElement>('.field') ?? null;
      const kind = form.element.querySelector<HTMLSelectElement>('#call-kind');
      const showPlanYear = () => {
        if (planYear) planYear.hidden = kind?.value !== 'yearly_plan';
      };
      kind?.addEventListener('change', showPlanYear);
      showPlanYear();
      const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'call-submit' }, t('fl.form.submit'));
      const element = h(
        'form',
        {
          class: 'filing-form',
          novalidate: true,
          onsubmit: async (event: Event) => {
            event.preventDefault();
            const { values, problems } = form.read();
            if (problems.length > 0) return form.showProblems(problems);
            const chosenKind = values.kind as FilingKind;
            const input: CallInput = {
              kind: chosenKind,
              title: String(values.title),
              unit: String(values.unit),
              as_of: String(values.as_of),
              opens_on: (values.opens_on as string | null) ?? undefined,
              due_on: String(values.due_on),
              plan_year: chosenKind === 'yearly_plan' ? ((values.plan_year as number | null) ?? undefined) : undefined,
              reminder_working_days: (values.reminder_working_days as number | null) ?? undefined,
              instructions: (values.instructions as string | null) ?? undefined,
            };
            const chosen = values.operators as string[];
            if (chosen.length > 0) input.operators = chosen;
            submit.disabled = true;
            try {
              const call = await filingsApi.openCall(input);
              toast(t('fl.form.opened'), 'success');
              app.go(`/filings/calls/${call.id}`);
            } catch (error) {
              if (error instanceof ApiError && error.details.length > 0) form.showProblems(error.details);
              else toast(describeError(error), 'error');
            } finally {
              submit.disabled = false;
            }
          },
        },
        form.element,
        h('div', { class: 'form-actions' }, submit, h('a', { href: '/filings', class: 'button' }, t('fl.common.cancel'))),
      );
      replace(root, h('article', { class: 'page page-narrow', 'data-testid': 'call-form' }, sectionTabs('calls'), pageHeader(t('fl.calls.eyebrow'), t('fl.form.title'), null), element));
    },
  };
}
