// The value of a rule edited as a form of its kind, not as raw JSON: a
// deadline's days and whether they are working days, the tower classes an
// exemption covers, the heights that make a mast non-bulky, a province's
// spacing distances (with bands by class and height). Members of a value the
// form does not know are kept as they were. A key without a form (a new one
// the server knows and the app not yet) falls back to JSON.

import { formatNumberPlain, parseNumber, t, type MessageKey } from '../../i18n';
import { h, replace } from '../../ui/dom';

export interface RuleValueEditor {
  element: HTMLElement;
  /** The value to send, or the problem to show under the field. */
  read(): { value: Record<string, unknown> } | { problem: string };
}

type Value = Record<string, unknown>;

const CLASSES = ['A1', 'A1a', 'A1b', 'A2a', 'A2b'];

/** A labelled control inside a rule's value. */
function row(label: MessageKey, control: HTMLElement, hint?: MessageKey): HTMLElement {
  return h('label', { class: 'field rule-value-field' }, h('span', { class: 'field-label' }, t(label)), control, hint ? h('span', { class: 'field-hint' }, t(hint)) : null);
}

function numberInput(testId: string, value: unknown): HTMLInputElement {
  return h('input', { type: 'text', inputmode: 'decimal', 'data-testid': testId, value: typeof value === 'number' ? formatNumberPlain(value) : '' }) as HTMLInputElement;
}

/** A number typed in either decimal sign, within [min, max]; null when empty and allowed. */
function readNumber(input: HTMLInputElement, label: MessageKey, min: number, max: number, options: { integer?: boolean; optional?: boolean } = {}): number | null | string {
  const text = input.value.trim();
  if (text === '') return options.optional ? null : t('rules.form.required', { field: t(label) });
  const n = parseNumber(text);
  if (Number.isNaN(n) || (options.integer && !Number.isInteger(n))) return t('rules.form.notNumber', { field: t(label) });
  if (n < min || n > max) return t('rules.form.range', { field: t(label), min: formatNumberPlain(min), max: formatNumberPlain(max) });
  return n;
}

function classChecks(testId: string, chosen: unknown): { element: HTMLElement; value(): string[] } {
  const set = new Set(Array.isArray(chosen) ? (chosen as string[]) : []);
  const boxes = CLASSES.map((c) => h('input', { type: 'checkbox', value: c, checked: set.has(c), 'data-testid': `${testId}-${c}` }) as HTMLInputElement);
  return {
    element: h('div', { class: 'checks' }, boxes.map((box, i) => h('label', { class: 'check' }, box, CLASSES[i] ?? ''))),
    value: () => boxes.filter((b) => b.checked).map((b) => b.value),
  };
}

/** Days of a deadline, working or calendar. */
function deadline(value: Value, member: 'days' | 'max_days'): RuleValueEditor {
  const days = numberInput('rule-value-days', value[member]);
  const unit = h('select', { 'data-testid': 'rule-value-unit' }, h('option', { value: 'working', selected: value.unit !== 'calendar' }, t('rules.form.working')), h('option', { value: 'calendar', selected: value.unit === 'calendar' }, t('rules.form.calendar')));
  return {
    element: h('div', { class: 'rule-value-form' }, row(member === 'days' ? 'rules.form.days' : 'rules.form.maxDays', days), row('rules.form.unit', unit)),
    read: () => {
      const n = readNumber(days, member === 'days' ? 'rules.form.days' : 'rules.form.maxDays', 1, 365, { integer: true });
      if (typeof n === 'string') return { problem: n };
      return { value: { ...value, [member]: n, unit: unit.value } };
    },
  };
}

function exemption(value: Value): RuleValueEditor {
  const classes = classChecks('rule-value-class', value.classes);
  const outside = h('input', { type: 'checkbox', checked: value.outside_urban_when_in_plan === true, 'data-testid': 'rule-value-outside' }) as HTMLInputElement;
  return {
    element: h('div', { class: 'rule-value-form' }, row('rules.form.exemptClasses', classes.element, 'rules.form.exemptClassesHint'), h('label', { class: 'check' }, outside, t('rules.form.outsideUrban'))),
    read: () => {
      const chosen = classes.value();
      if (chosen.length === 0) return { problem: t('rules.form.chooseClass') };
      return { value: { ...value, classes: chosen, outside_urban_when_in_plan: outside.checked } };
    },
  };
}

function nonBulky(value: Value): RuleValueEditor {
  const height = numberInput('rule-value-max-height', value.max_height_m);
  const share = numberInput('rule-value-share', typeof value.max_share_of_building === 'number' ? value.max_share_of_building * 100 : undefined);
  const reach = numberInput('rule-value-reach', value.max_reach_m);
  return {
    element: h('div', { class: 'rule-value-form' }, row('rules.form.maxHeight', height), row('rules.form.share', share, 'rules.form.shareHint'), row('rules.form.reach', reach)),
    read: () => {
      const m = readNumber(height, 'rules.form.maxHeight', 0.1, 100);
      if (typeof m === 'string') return { problem: m };
      const p = readNumber(share, 'rules.form.share', 1, 100);
      if (typeof p === 'string') return { problem: p };
      const r = readNumber(reach, 'rules.form.reach', 0, 10, { optional: true });
      if (typeof r === 'string') return { problem: r };
      return { value: { ...value, max_height_m: m, max_share_of_building: (p ?? 0) / 100, ...(r === null ? {} : { max_reach_m: r }) } };
    },
  };
}

/** A province's spacing: required or suggested, distances in and outside towns, bands by class and height. */
function spacing(value: Value): RuleValueEditor {
  const mode = h('select', { 'data-testid': 'rule-value-mode' }, h('option', { value: 'required', selected: value.mode === 'required' }, t('rules.form.required.mode')), h('option', { value: 'suggested', selected: value.mode !== 'required' }, t('rules.form.suggested')));
  const urban = numberInput('rule-value-urban', value.urban_m);
  const rural = numberInput('rule-value-rural', value.rural_m);
  const bandsList = h('div', { class: 'rule-bands', 'data-testid': 'rule-value-bands' });
  type Band = { element: HTMLElement; read(): Value | string };
  const bands: Band[] = [];
  const addBand = (band: Value) => {
    const classes = classChecks(`rule-band-${bands.length}-class`, band.classes);
    const max = numberInput(`rule-band-${bands.length}-max`, band.max_height_m);
    const bu = numberInput(`rule-band-${bands.length}-urban`, band.urban_m);
    const br = numberInput(`rule-band-${bands.length}-rural`, band.rural_m);
    const element = h(
      'fieldset',
      { class: 'rule-band' },
      h('legend', {}, t('rules.form.band')),
      row('rules.form.classes', classes.element),
      h('div', { class: 'form-grid' }, row('rules.form.bandMaxHeight', max), row('rules.form.urban', bu), row('rules.form.rural', br)),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button small',
          onclick: () => {
            const i = bands.indexOf(entry);
            if (i >= 0) bands.splice(i, 1);
            element.remove();
          },
        },
        t('rules.form.removeBand'),
      ),
    );
    const entry: Band = {
      element,
      read: () => {
        const c = classes.value();
        if (c.length === 0) return t('rules.form.chooseClass');
        const m = readNumber(max, 'rules.form.bandMaxHeight', 0, 300, { optional: true });
        const u = readNumber(bu, 'rules.form.urban', 0, 10_000, { optional: true });
        const r = readNumber(br, 'rules.form.rural', 0, 10_000, { optional: true });
        for (const n of [m, u, r]) if (typeof n === 'string') return n;
        if (u === null && r === null) return t('rules.form.bandDistance');
        return { classes: c, ...(m === null ? {} : { max_height_m: m }), ...(u === null ? {} : { urban_m: u }), ...(r === null ? {} : { rural_m: r }) };
      },
    };
    bands.push(entry);
    bandsList.append(element);
  };
  for (const band of Array.isArray(value.bands) ? (value.bands as Value[]) : []) addBand(band);
  return {
    element: h(
      'div',
      { class: 'rule-value-form' },
      row('rules.form.mode', mode),
      h('div', { class: 'form-grid' }, row('rules.form.urban', urban), row('rules.form.rural', rural)),
      h('p', { class: 'field-hint' }, t('rules.form.bandsHint')),
      bandsList,
      h('button', { type: 'button', class: 'button button-small', 'data-testid': 'rule-band-add', onclick: () => addBand({}) }, `+ ${t('rules.form.addBand')}`),
    ),
    read: () => {
      const u = readNumber(urban, 'rules.form.urban', 0, 10_000, { optional: true });
      if (typeof u === 'string') return { problem: u };
      const r = readNumber(rural, 'rules.form.rural', 0, 10_000, { optional: true });
      if (typeof r === 'string') return { problem: r };
      const read: Value[] = [];
      for (const band of bands) {
        const b = band.read();
        if (typeof b === 'string') return { problem: b };
        read.push(b);
      }
      if (u === null && r === null && read.length === 0) return { problem: t('rules.form.spacingDistance') };
      const next: Value = { ...value, mode: mode.value };
      delete next.urban_m;
      delete next.rural_m;
      delete next.bands;
      return { value: { ...next, ...(u === null ? {} : { urban_m: u }), ...(r === null ? {} : { rural_m: r }), ...(read.length > 0 ? { bands: read } : {}) } };
    },
  };
}

/** JSON, for a rule key the app has no form for. */
function json(value: Value): RuleValueEditor {
  const box = h('textarea', { rows: 5, spellcheck: 'false', class: 'code-input', 'data-testid': 'rule-value' }) as HTMLTextAreaElement;
  box.value = JSON.stringify(value, null, 2);
  return {
    element: box,
    read: () => {
      try {
        const parsed: unknown = JSON.parse(box.value);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: t('rules.notObject') };
        return { value: parsed as Value };
      } catch (error) {
        return { problem: t('rules.notJson', { message: error instanceof Error ? error.message : String(error) }) };
      }
    },
  };
}

/** The editor of a rule's value for its key, starting from `value`. */
export function ruleValueEditor(key: string, value: unknown): RuleValueEditor {
  const v = (value && typeof value === 'object' && !Array.isArray(value) ? value : {}) as Value;
  switch (key) {
    case 'deadline.completeness':
    case 'deadline.decision':
    case 'deadline.as_built_copies':
    case 'deadline.warning':
      return deadline(v, 'days');
    case 'deadline.extension':
      return deadline(v, 'max_days');
    case 'exemption.towers':
      return exemption(v);
    case 'tower_class.a1':
      return nonBulky(v);
    case 'sharing.spacing':
      return spacing(v);
    default:
      return json(v);
  }
}

/** Mounts the editor of `key` in `slot`, replacing what was there. */
export function mountRuleValue(slot: HTMLElement, key: string, value: unknown): RuleValueEditor {
  const editor = ruleValueEditor(key, value);
  replace(slot, editor.element);
  return editor;
}
