// Operators: telecom operators and the power and lighting utilities whose
// poles carry cable. Admins register them and keep their contacts current;
// the code never changes (assets, tokens and history refer to it).

import { adminApi, SECTORS, type OperatorInput } from '../../api/admin';
import type { Operator } from '../../api/types';
import type { App } from '../../app';
import { formatNumber, t } from '../../i18n';
import { formDialog } from '../../ui/dialog';
import { h, loading, replace } from '../../ui/dom';
import { clearProblems, field, showProblems } from '../../ui/form';
import { errorBox, toast } from '../../ui/messages';

function sectorName(sector: string): string {
  return (SECTORS as readonly string[]).includes(sector) ? t(`sector.${sector as (typeof SECTORS)[number]}`) : sector;
}

export function operatorsTab(container: HTMLElement, app: App): void {
  const tableArea = h('div', { class: 'table-scroll' }, loading(t('app.loading')));

  const load = async () => {
    try {
      const operators = await adminApi.operators();
      // The rest of the app (selects, labels) sees a newly registered operator too.
      app.reference.operators.splice(0, app.reference.operators.length, ...operators);
      replace(
        tableArea,
        h(
          'table',
          { class: 'data-table', 'data-testid': 'operators-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [t('operators.code'), t('operators.shortName'), t('operators.legalName'), t('operators.sector'), t('operators.contact'), t('operators.assets'), ''].map((c) =>
                h('th', { scope: 'col' }, c),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            operators.map((o) =>
              h(
                'tr',
                { 'data-code': o.code },
                h('td', {}, h('span', { class: 'swatch', style: `background:${app.reference.operatorColour(o.code)}` }), h('code', {}, o.code)),
                h('td', {}, o.short_name ?? ''),
                h('td', {}, o.legal_name),
                h('td', {}, sectorName(o.sector)),
                h(
                  'td',
                  { class: 'small' },
                  o.contact_name ? h('div', {}, o.contact_name) : null,
                  o.contact_phone ? h('div', {}, h('a', { href: `tel:${o.contact_phone}` }, o.contact_phone)) : null,
                  o.contact_email ? h('div', {}, h('a', { href: `mailto:${o.contact_email}` }, o.contact_email)) : null,
                  !o.contact_name && !o.contact_phone && !o.contact_email ? h('span', { class: 'muted' }, t('operators.noContact')) : null,
                ),
                h('td', { class: 'number' }, formatNumber(o.asset_count)),
                h('td', {}, h('button', { type: 'button', class: 'button button-small', 'data-testid': 'operator-edit', onclick: () => openForm(o) }, t('common.edit'))),
              ),
            ),
          ),
        ),
      );
    } catch (error) {
      replace(
        tableArea,
        errorBox(error, () => void load()),
      );
    }
  };

  const openForm = (operator: Operator | null) => {
    const form = operatorForm(operator, async (saved) => {
      dialog.close();
      toast(operator ? t('operators.saved', { code: saved.code }) : t('operators.created', { code: saved.code }), 'success');
      await load();
    });
    const dialog = formDialog(operator ? t('operators.editTitle', { code: operator.code }) : t('operators.newTitle'), form, undefined, 'operator-dialog');
  };

  replace(
    container,
    h(
      'section',
      { class: 'card' },
      h(
        'div',
        { class: 'toolbar' },
        h('h2', {}, t('operators.title')),
        h('p', { class: 'muted small' }, t('operators.lead')),
        h('div', { class: 'toolbar-spacer' }),
        h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'operator-new', onclick: () => openForm(null) }, t('operators.new')),
      ),
      tableArea,
    ),
  );
  void load();
}

function operatorForm(operator: Operator | null, done: (saved: Operator) => void): HTMLElement {
  const general = h('div');
  const text = (name: string, value: string | null | undefined, attributes: Record<string, string | number | boolean> = {}) =>
    h('input', { type: 'text', value: value ?? '', 'data-testid': `operator-${name}`, ...attributes });
  const fields = {
    code: field('code', t('operators.code'), text('code', operator?.code, { required: true, maxlength: 20, disabled: operator !== null, spellcheck: 'false' }), {
      required: true,
      hint: operator ? t('operators.codeFixed') : t('operators.codeHint'),
    }),
    short_name: field('short_name', t('operators.shortName'), text('short_name', operator?.short_name, { required: true, maxlength: 100 }), { required: true }),
    legal_name: field('legal_name', t('operators.legalName'), text('legal_name', operator?.legal_name, { required: true, maxlength: 300 }), { required: true, class: 'span-2' }),
    sector: field(
      'sector',
      t('operators.sector'),
      h(
        'select',
        { 'data-testid': 'operator-sector' },
        SECTORS.map((s) => h('option', { value: s, selected: (operator?.sector ?? 'telecom') === s }, sectorName(s))),
      ),
      { required: true },
    ),
    contact_name: field('contact_name', t('operators.contactName'), text('contact_name', operator?.contact_name, { maxlength: 200 })),
    contact_phone: field('contact_phone', t('operators.contactPhone'), text('contact_phone', operator?.contact_phone, { type: 'tel', maxlength: 50 })),
    contact_email: field('contact_email', t('operators.contactEmail'), text('contact_email', operator?.contact_email, { type: 'email', maxlength: 200 })),
  };
  const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'operator-save' }, operator ? t('edit.save') : t('operators.register'));
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'dialog-body',
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        clearProblems(fields, general);
        const value = (name: keyof typeof fields) => fields[name].control.value.trim();
        const optional = (name: keyof typeof fields) => value(name) || null;
        const input: OperatorInput = {
          code: value('code').toUpperCase(),
          legal_name: value('legal_name'),
          short_name: value('short_name'),
          sector: value('sector'),
          contact_name: optional('contact_name'),
          contact_phone: optional('contact_phone'),
          contact_email: optional('contact_email'),
        };
        let ok = true;
        for (const name of ['code', 'short_name', 'legal_name'] as const) {
          if (!input[name]) {
            fields[name].setError(t('account.required'));
            ok = false;
          }
        }
        if (!ok) return;
        submit.disabled = true;
        try {
          if (operator) {
            const { code: _code, ...patch } = input;
            done(await adminApi.updateOperator(operator.code, patch));
          } else {
            done(await adminApi.createOperator(input));
          }
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
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'button', onclick: () => form.closest('dialog')?.close() }, t('edit.cancel')), submit),
  );
  return form;
}
