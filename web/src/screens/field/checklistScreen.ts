// The checklist rules (`/kiem-tra/danh-muc`): what each kind of asset is
// checked for at inspections, with its legal basis, whether a failure opens a
// violation and the working days to put it right. Anyone signed in reads them
// (operators see what they are held to); administrators add and change them.
// A rule is never deleted and its key never changes: it is retired with an
// end date, so findings keep their answers.

import { ApiError } from '../../api/client';
import { fieldApi, type ChecklistRule, type ChecklistRuleInput } from '../../api/field';
import { currentSession } from '../../domain/session';
import { formatDate, formatNumber, lang, t, todayInVietnam, type MessageKey } from '../../i18n';
import { problemWords } from '../../i18n/problems';
import type { Screen } from '../../router';
import { dateInput } from '../../ui/dateField';
import { h, loading, replace } from '../../ui/dom';
import { describeError, errorBox, toast } from '../../ui/messages';
import { badge, field, page } from './common';

const KINDS = ['pole', 'cable', 'tower', 'manhole', 'duct', 'trench', 'cabinet'] as const;
const COLLECTION: Record<string, string> = { pole: 'poles', cable: 'cables', tower: 'towers', manhole: 'manholes', duct: 'ducts', trench: 'trenches', cabinet: 'cabinets' };

function kindName(kind: string): string {
  return COLLECTION[kind] ? t(`kind.one.${COLLECTION[kind]}` as MessageKey) : kind;
}

function inForce(rule: ChecklistRule, today: string): boolean {
  return rule.valid_from <= today && (rule.valid_to === null || rule.valid_to >= today);
}

function ruleCard(rule: ChecklistRule, today: string, edit: (() => void) | null): HTMLElement {
  const title = lang() === 'vi' ? rule.title_vi : rule.title_en;
  return h(
    'div',
    { class: 'field-card', 'data-testid': 'checklist-rule', 'data-rule-key': rule.rule_key },
    h(
      'div',
      { class: 'field-card-head' },
      h('strong', {}, title),
      inForce(rule, today) ? null : badge(rule.valid_from > today ? t('checklist.future') : t('checklist.retired'), 'neutral', 'checklist-retired'),
    ),
    h('div', { class: 'muted small' }, h('code', {}, rule.rule_key), ' · ', rule.asset_kinds.map(kindName).join(', ')),
    h(
      'div',
      { class: 'small' },
      rule.severity === 'violation' ? badge(t('checklist.opensViolation', { days: rule.fix_days }), 'warn') : badge(t('checklist.advice'), 'info'),
      ' ',
      rule.provisional ? badge(t('checklist.provisional'), 'warn', 'checklist-provisional') : null,
    ),
    h('div', { class: 'small' }, t('checklist.basis'), ': ', rule.citation),
    rule.guidance_vi ? h('div', { class: 'muted small' }, rule.guidance_vi) : null,
    h(
      'div',
      { class: 'muted small' },
      [`${formatDate(rule.valid_from)} – ${rule.valid_to ? formatDate(rule.valid_to) : t('checklist.openEnded')}`, t('checklist.answers', { count: formatNumber(rule.answers, 0) })].join(' · '),
    ),
    edit ? h('button', { type: 'button', class: 'button', 'data-testid': 'checklist-edit', onclick: edit }, t('checklist.edit')) : null,
  );
}

/** The form to add a rule (`rule` null) or change one; `done` gets the saved rule. */
function ruleForm(rule: ChecklistRule | null, done: (saved: ChecklistRule) => void, cancel: () => void): HTMLElement {
  const input = (id: string, value: string, attrs: Record<string, unknown> = {}) => {
    const element = h('input', { id, type: 'text', 'data-testid': id, ...attrs }) as HTMLInputElement;
    element.value = value;
    return element;
  };
  const area = (id: string, value: string) => {
    const element = h('textarea', { id, rows: 3, 'data-testid': id }) as HTMLTextAreaElement;
    element.value = value;
    return element;
  };
  const key = input('checklist-key', rule?.rule_key ?? '', { disabled: rule !== null, autocapitalize: 'off', spellcheck: 'false', placeholder: 'cable.owner_label' });
  const titleVi = input('checklist-title-vi', rule?.title_vi ?? '', { maxlength: 300 });
  const titleEn = input('checklist-title-en', rule?.title_en ?? '', { maxlength: 300 });
  const guidance = area('checklist-guidance', rule?.guidance_vi ?? '');
  const citation = area('checklist-citation', rule?.citation ?? '');
  const kinds = KINDS.map((kind) => {
    const box = h('input', { type: 'checkbox', value: kind, checked: rule?.asset_kinds.includes(kind) ?? false, 'data-testid': `checklist-kind-${kind}` }) as HTMLInputElement;
    return { kind, box, label: h('label', { class: 'check' }, box, ' ', kindName(kind)) };
  });
  const severity = h(
    'select',
    { id: 'checklist-severity', 'data-testid': 'checklist-severity' },
    h('option', { value: 'violation', selected: (rule?.severity ?? 'violation') === 'violation' }, t('checklist.severity.violation')),
    h('option', { value: 'advice', selected: rule?.severity === 'advice' }, t('checklist.severity.advice')),
  ) as HTMLSelectElement;
  const fixDays = input('checklist-days', String(rule?.fix_days ?? 10), { type: 'number', min: 1, max: 365, inputmode: 'numeric' });
  const sort = input('checklist-sort', rule ? String(rule.sort) : '', { type: 'number', min: 0, inputmode: 'numeric' });
  const from = dateInput({ id: 'checklist-from', value: rule?.valid_from ?? todayInVietnam(), required: true, testId: 'checklist-from' });
  const to = dateInput({ id: 'checklist-to', value: rule?.valid_to ?? null, testId: 'checklist-to' });
  const provisional = h('input', { type: 'checkbox', checked: rule?.provisional ?? true, 'data-testid': 'checklist-provisional-box' }) as HTMLInputElement;
  const problems = h('div', { class: 'notice notice-error', hidden: true, role: 'alert', 'data-testid': 'checklist-problems' });
  const labels: Record<string, string> = {
    rule_key: t('checklist.key'),
    title_vi: t('checklist.titleVi'),
    title_en: t('checklist.titleEn'),
    guidance_vi: t('checklist.guidance'),
    citation: t('checklist.basis'),
    asset_kinds: t('checklist.kinds'),
    severity: t('checklist.severity'),
    fix_days: t('checklist.days'),
    sort: t('checklist.sort'),
    valid_from: t('checklist.from'),
    valid_to: t('checklist.to'),
  };
  const save = h('button', { type: 'submit', class: 'button button-primary field-big-button', 'data-testid': 'checklist-save' }, rule ? t('checklist.save') : t('checklist.add'));
  const form = h(
    'form',
    { class: 'field-form', novalidate: true, 'data-testid': 'checklist-form' },
    h('h2', {}, rule ? t('checklist.editTitle') : t('checklist.newTitle')),
    field(labels.rule_key!, key, rule ? t('checklist.keyFixed') : t('checklist.keyHint')),
    field(labels.title_vi!, titleVi),
    field(labels.title_en!, titleEn),
    h('fieldset', { class: 'field-row' }, h('legend', {}, labels.asset_kinds!), h('div', { class: 'field-checks' }, kinds.map((k) => k.label))),
    field(labels.citation!, citation, t('checklist.basisHint')),
    field(labels.guidance_vi!, guidance),
    field(labels.severity!, severity),
    field(labels.fix_days!, fixDays),
    field(labels.sort!, sort, t('checklist.sortHint')),
    field(labels.valid_from!, from.input),
    field(labels.valid_to!, to.input, t('checklist.toHint')),
    h('label', { class: 'check' }, provisional, ' ', t('checklist.provisionalBox')),
    problems,
    h('div', { class: 'field-actions' }, save, h('button', { type: 'button', class: 'button', onclick: cancel }, t('checklist.cancel'))),
  ) as HTMLFormElement;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problems.hidden = true;
    const validFrom = from.value();
    const validTo = to.value();
    const local: string[] = [];
    if (!validFrom) local.push(`${labels.valid_from}: ${t('date.invalid')}`);
    if (validTo === null) local.push(`${labels.valid_to}: ${t('date.invalid')}`);
    if (local.length > 0) {
      problems.hidden = false;
      replace(problems, local.map((p) => h('p', {}, p)));
      return;
    }
    const body: ChecklistRuleInput = {
      rule_key: rule ? undefined : key.value.trim(),
      asset_kinds: kinds.filter((k) => k.box.checked).map((k) => k.kind),
      title_vi: titleVi.value.trim(),
      title_en: titleEn.value.trim(),
      guidance_vi: guidance.value.trim() || null,
      citation: citation.value.trim(),
      provisional: provisional.checked,
      severity: severity.value as 'violation' | 'advice',
      fix_days: Number(fixDays.value),
      sort: sort.value.trim() === '' ? null : Number(sort.value),
      valid_from: validFrom || null,
      valid_to: validTo || null,
    };
    save.disabled = true;
    try {
      done(rule ? await fieldApi.changeChecklistRule(rule.rule_key, body) : await fieldApi.addChecklistRule(body));
    } catch (error) {
      problems.hidden = false;
      replace(
        problems,
        error instanceof ApiError && error.details.length
          ? error.details.map((d) => h('p', {}, `${labels[d.field] ?? d.field}: ${problemWords(d)}`))
          : h('p', {}, describeError(error)),
      );
    } finally {
      save.disabled = false;
    }
  });
  return form;
}

export function checklistScreen(): Screen {
  return {
    async render(root) {
      if (!currentSession().user) {
        page(root, 'login-first', h('a', { href: '/login?next=/kiem-tra/danh-muc', class: 'button button-primary' }, t('auth.login')));
        return;
      }
      const admin = currentSession().user?.role === 'admin';
      const today = todayInVietnam();
      const list = h('div', { class: 'field-list', 'data-testid': 'checklist-list' }, loading(t('app.loading')));
      const formArea = h('div', {});
      let rules: ChecklistRule[] = [];
      let showRetired = false;
      const closeForm = () => replace(formArea);
      const saved = (rule: ChecklistRule) => {
        closeForm();
        toast(t('checklist.saved', { key: rule.rule_key }), 'success');
        void load();
      };
      const render = () => {
        const shown = rules.filter((r) => showRetired || inForce(r, today) || r.valid_from > today);
        replace(
          list,
          shown.length === 0
            ? h('p', { class: 'muted' }, t('checklist.empty'))
            : shown.map((rule) =>
                ruleCard(rule, today, admin ? () => {
                  replace(formArea, ruleForm(rule, saved, closeForm));
                  formArea.scrollIntoView({ block: 'start' });
                } : null),
              ),
        );
      };
      const load = async () => {
        try {
          rules = await fieldApi.checklistRules();
          render();
        } catch (error) {
          replace(list, errorBox(error, () => void load()));
        }
      };
      const retired = h('input', { type: 'checkbox', 'data-testid': 'checklist-show-retired', onchange: (e: Event) => ((showRetired = (e.target as HTMLInputElement).checked), render()) });
      page(
        root,
        'checklist-screen',
        h('h1', {}, t('checklist.title')),
        h('p', { class: 'muted' }, admin ? t('checklist.leadAdmin') : t('checklist.lead')),
        h(
          'div',
          { class: 'field-actions' },
          admin ? h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'checklist-new', onclick: () => replace(formArea, ruleForm(null, saved, closeForm)) }, t('checklist.new')) : null,
          h('label', { class: 'check' }, retired, ' ', t('checklist.showRetired')),
        ),
        formArea,
        list,
      );
      await load();
    },
  };
}
