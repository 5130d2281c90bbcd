// Rules with legal force — permit deadlines, exemptions, tower spacing —
// each nationally or for one province, for a period, citing its document.
// Rules not yet checked against the legal text are marked provisional
// ("chưa đối chiếu") and stand out in the list until someone checks them.

import { adminApi, RULE_KEYS, type Rule, type RuleInput } from '../../api/admin';
import type { App } from '../../app';
import { formatDate, formatNumber, t, todayInVietnam } from '../../i18n';
import { dateInput } from '../../ui/dateField';
import { formDialog } from '../../ui/dialog';
import { asyncSection, type AsyncSection } from '../../ui/async';
import { h, replace } from '../../ui/dom';
import { clearProblems, field, showProblems } from '../../ui/form';
import { toast } from '../../ui/messages';
import { dataTable, type Column } from '../../ui/table';
import { mountRuleValue } from './ruleValueForm';

const KEYS = Object.keys(RULE_KEYS);

function ruleName(key: string): string {
  return KEYS.includes(key) ? t(`rules.key.${key}` as 'rules.key.deadline.completeness') : key;
}

function inForce(rule: Rule, day: string): boolean {
  return rule.valid_from <= day && (rule.valid_to === null || rule.valid_to >= day);
}

export function rulesTab(container: HTMLElement, app: App, signal: AbortSignal): void {
  const provinceName = (code: string | null) => (code === null ? t('rules.national') : (app.reference.provinces.find((p) => p.gso_code === code)?.name ?? code));
  const today = todayInVietnam();
  let onlyProvisional = false;

  const columns: Column<Rule>[] = [
    {
      key: 'rule',
      label: t('rules.rule'),
      phone: 'title',
      sortValue: (rule) => ruleName(rule.rule_key),
      cell: (rule) => [
        h('strong', {}, ruleName(rule.rule_key)),
        h('div', { class: 'muted small' }, h('code', {}, rule.rule_key)),
        rule.provisional ? h('span', { class: 'badge badge-warning', 'data-testid': 'rule-provisional', title: t('rules.provisionalHint') }, t('rules.provisional')) : null,
      ],
    },
    { key: 'scope', label: t('rules.scope'), sortValue: (rule) => provinceName(rule.province_code) },
    {
      key: 'validity',
      label: t('rules.validity'),
      nowrap: true,
      sortValue: (rule) => rule.valid_from,
      cell: (rule) => [
        `${formatDate(rule.valid_from)} – ${rule.valid_to ? formatDate(rule.valid_to) : t('rules.openEnded')}`,
        inForce(rule, today)
          ? h('div', {}, h('span', { class: 'badge state-on' }, t('rules.inForce')))
          : rule.valid_from > today
            ? h('div', {}, h('span', { class: 'badge' }, t('rules.future')))
            : h('div', {}, h('span', { class: 'badge state-off' }, t('rules.expired'))),
      ],
    },
    { key: 'value', label: t('rules.value'), class: 'rule-value-cell', cell: (rule) => ruleValueText(rule.rule_key, rule.value) },
    { key: 'citation', label: t('rules.citation'), class: 'citation', sortValue: (rule) => rule.citation, cell: (rule) => [rule.citation, rule.note ? h('div', { class: 'muted small' }, rule.note) : null] },
    { key: 'actions', label: '', phone: 'actions', cell: (rule) => h('button', { type: 'button', class: 'button button-small', 'data-testid': 'rule-edit', onclick: () => openForm(rule) }, t('common.edit')) },
  ];

  const list: AsyncSection<Rule[]> = asyncSection({
    signal,
    keepWhileLoading: true,
    load: (signal) => adminApi.rules(signal),
    render: (rules): HTMLElement => {
      const provisional = rules.filter((r) => r.provisional).length;
      replace(count, provisional > 0 ? h('span', { class: 'badge badge-warning' }, t('rules.provisionalCount', { count: provisional })) : '');
      return dataTable<Rule>({
        testId: 'rules-table',
        class: 'rules-table',
        empty: t('rules.none'),
        rows: onlyProvisional ? rules.filter((r) => r.provisional) : rules,
        rowAttributes: (rule) => ({ class: rule.provisional ? 'provisional' : null, 'data-rule-id': rule.id }),
        columns,
      }).element;
    },
  });
  const load = () => list.load();
  const renderTable = () => {
    if (list.data) list.show(list.data);
  };

  const openForm = (rule: Rule | null) => {
    const form = ruleForm(app, rule, async (saved) => {
      dialog.close();
      toast(t('rules.saved', { name: ruleName(saved.rule_key) }), 'success');
      await load();
    });
    const dialog = formDialog(rule ? t('rules.editTitle', { name: ruleName(rule.rule_key) }) : t('rules.newTitle'), form, undefined, 'rule-dialog');
  };

  const count = h('span', {});
  replace(
    container,
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', {}, t('rules.title')),
        count,
        h(
          'label',
          { class: 'check' },
          h('input', { type: 'checkbox', onchange: (e: Event) => ((onlyProvisional = (e.target as HTMLInputElement).checked), renderTable()) }),
          t('rules.onlyProvisional'),
        ),
        h('div', { class: 'toolbar-spacer' }),
        h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'rule-new', onclick: () => openForm(null) }, t('rules.new')),
      ),
      h('p', { class: 'muted' }, t('rules.lead')),
      list.element,
    ),
  );
  void load();
}

function ruleForm(app: App, rule: Rule | null, done: (saved: Rule) => void): HTMLElement {
  const general = h('div');
  const keySelect = h(
    'select',
    { required: true, 'data-testid': 'rule-key' },
    KEYS.map((key) => h('option', { value: key, selected: (rule?.rule_key ?? KEYS[0]) === key }, `${ruleName(key)} (${key})`)),
  );
  const now = todayInVietnam();
  const current = app.reference.provinces.filter((p) => p.valid_to === null || p.valid_to >= now).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const former = app.reference.provinces.filter((p) => p.valid_to !== null && p.valid_to < now).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const provinceSelect = h(
    'select',
    { 'data-testid': 'rule-province' },
    h('option', { value: '' }, t('rules.national')),
    h(
      'optgroup',
      { label: t('rules.currentProvinces') },
      current.map((p) => h('option', { value: p.gso_code, selected: rule?.province_code === p.gso_code }, `${p.name} (${p.gso_code})`)),
    ),
    former.length > 0
      ? h(
          'optgroup',
          { label: t('rules.formerProvinces') },
          former.map((p) => h('option', { value: p.gso_code, selected: rule?.province_code === p.gso_code }, `${p.name} (${p.gso_code})`)),
        )
      : null,
  );
  const from = dateInput({ id: 'rule-from', value: rule?.valid_from ?? null, required: true, testId: 'rule-from' });
  const to = dateInput({ id: 'rule-to', value: rule?.valid_to ?? null, testId: 'rule-to' });
  // The value as a form of the rule's kind (days, classes, heights, distances), not raw JSON.
  const valueSlot = h('div', { class: 'rule-value-slot', 'data-testid': 'rule-value-form' });
  let editor = mountRuleValue(valueSlot, keySelect.value, rule?.value ?? RULE_KEYS[keySelect.value]?.example ?? {});
  const provisional = h('input', { type: 'checkbox', checked: rule?.provisional ?? true, 'data-testid': 'rule-provisional-box' });
  const fields = {
    rule_key: field('rule_key', t('rules.rule'), keySelect, { required: true }),
    province_code: field('province_code', t('rules.scope'), provinceSelect),
    valid_from: field('valid_from', t('rules.validFrom'), from.input, { required: true, hint: t('date.hint') }),
    valid_to: field('valid_to', t('rules.validTo'), to.input, { hint: t('rules.validToHint') }),
    value: field('value', t('rules.value'), h('input', { type: 'hidden' }), { required: true, class: 'span-2' }),
    citation: field('citation', t('rules.citation'), h('textarea', { rows: 2, required: true, 'data-testid': 'rule-citation' }), {
      required: true,
      class: 'span-2',
      hint: t('rules.citationHint'),
    }),
    note: field('note', t('rules.note'), h('textarea', { rows: 2, 'data-testid': 'rule-note' }), { class: 'span-2' }),
  };
  // The value field shows the form of the rule's kind, not the hidden input.
  fields.value.control.replaceWith(valueSlot);
  (fields.citation.control as HTMLTextAreaElement).value = rule?.citation ?? '';
  (fields.note.control as HTMLTextAreaElement).value = rule?.note ?? '';
  const checkValue = () => {
    const parsed = editor.read();
    fields.value.setError('problem' in parsed ? parsed.problem : null);
    return parsed;
  };
  // Another kind of rule has another value: its form, with its example.
  keySelect.addEventListener('change', () => {
    editor = mountRuleValue(valueSlot, keySelect.value, RULE_KEYS[keySelect.value]?.example ?? {});
    fields.value.setError(null);
  });

  const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'rule-save' }, rule ? t('edit.save') : t('rules.add'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'dialog-body',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearProblems(fields, general);
        let ok = true;
        const parsed = checkValue();
        if ('problem' in parsed) ok = false;
        const validFrom = from.value();
        const validTo = to.value();
        if (!validFrom) {
          fields.valid_from.setError(validFrom === '' ? t('account.required') : t('date.invalid'));
          ok = false;
        }
        if (validTo === null) {
          fields.valid_to.setError(t('date.invalid'));
          ok = false;
        } else if (validTo && validFrom && validTo < validFrom) {
          fields.valid_to.setError(t('rules.toBeforeFrom'));
          ok = false;
        }
        const citation = fields.citation.control.value.trim();
        if (!citation) {
          fields.citation.setError(t('rules.citationRequired'));
          ok = false;
        }
        if (!ok || 'problem' in parsed || !validFrom) return;
        const input: RuleInput = {
          rule_key: keySelect.value,
          province_code: provinceSelect.value || null,
          valid_from: validFrom,
          valid_to: validTo || null,
          value: parsed.value,
          citation,
          note: fields.note.control.value.trim() || null,
          provisional: provisional.checked,
        };
        submit.disabled = true;
        try {
          done(rule ? await adminApi.updateRule(rule.id, input) : await adminApi.createRule(input));
        } catch (error) {
          showProblems(error, fields, general);
        } finally {
          submit.disabled = false;
        }
      },
    },
    general,
    h(
      'div',
      { class: 'form-grid' },
      Object.values(fields).map((f) => f.element),
    ),
    h('label', { class: 'check provisional-check' }, provisional, t('rules.provisionalBox')),
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'button', onclick: () => form.closest('dialog')?.close() }, t('edit.cancel')), submit),
  );
  return form;
}

/** A rule's value as a person reads it: "7 ngày làm việc", "A1, A1a · ngoài đô thị theo quy hoạch", "100 m đô thị, 500 m nông thôn". */
function ruleValueText(key: string, value: unknown): string {
  const v = (value ?? {}) as Record<string, unknown>;
  const days = (n: unknown) => t(v.unit === 'calendar' ? 'rules.text.calendarDays' : 'rules.text.workingDays', { days: formatNumber(Number(n)) });
  const metres = (n: unknown) => (typeof n === 'number' ? `${formatNumber(n)} m` : null);
  switch (key) {
    case 'deadline.completeness':
    case 'deadline.decision':
    case 'deadline.as_built_copies':
    case 'deadline.warning':
      return days(v.days);
    case 'deadline.extension':
      return t('rules.text.atMost', { what: days(v.max_days) });
    case 'exemption.towers':
      return [Array.isArray(v.classes) ? v.classes.join(', ') : '', v.outside_urban_when_in_plan ? t('rules.text.outsideUrban') : null].filter(Boolean).join(' · ');
    case 'tower_class.a1':
      return t('rules.text.nonBulky', { height: formatNumber(Number(v.max_height_m)), share: formatNumber(Number(v.max_share_of_building) * 100) });
    case 'sharing.spacing': {
      const parts = [v.mode === 'required' ? t('rules.form.required.mode') : t('rules.form.suggested')];
      const u = metres(v.urban_m);
      const r = metres(v.rural_m);
      if (u) parts.push(t('rules.text.urban', { m: u }));
      if (r) parts.push(t('rules.text.rural', { m: r }));
      if (Array.isArray(v.bands)) parts.push(t('rules.text.bands', { count: v.bands.length }));
      return parts.join(' · ');
    }
    default:
      return JSON.stringify(value);
  }
}
