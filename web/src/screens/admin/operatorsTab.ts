// Operators: telecom operators and the power and lighting utilities whose
// poles carry cable. Admins register them and keep their contacts current;
// the code never changes (assets, tokens and history refer to it).

import { adminApi, SECTORS, type OperatorInput } from '../../api/admin';
import type { Operator } from '../../api/types';
import type { App } from '../../app';
import { formatNumber, t } from '../../i18n';
import { formDialog } from '../../ui/dialog';
import { refreshOperators, type Reference } from '../../domain/reference';
import { asyncSection, type AsyncSection } from '../../ui/async';
import { h, replace } from '../../ui/dom';
import { clearProblems, field, showProblems } from '../../ui/form';
import { toast } from '../../ui/messages';
import { dataTable } from '../../ui/table';

function sectorName(sector: string): string {
  return (SECTORS as readonly string[]).includes(sector) ? t(`sector.${sector as (typeof SECTORS)[number]}`) : sector;
}

export function operatorsTab(container: HTMLElement, _app: App, signal: AbortSignal): void {
  // The list comes through the reference store: the rest of the app (selects, labels, the
  // map's colours) sees a newly registered operator too.
  const list: AsyncSection<Reference> = asyncSection({
    signal,
    keepWhileLoading: true,
    load: (signal) => refreshOperators(signal),
    render: (reference): HTMLElement =>
      dataTable<Operator>({
        testId: 'operators-table',
        empty: t('operators.none'),
        rows: [...reference.operators],
        rowAttributes: (o) => ({ 'data-code': o.code }),
        search: { placeholder: t('operators.search'), testId: 'operators-search', text: (o) => `${o.code} ${o.short_name ?? ''} ${o.legal_name}` },
        pageSize: 50,
        columns: [
          { key: 'code', label: t('operators.code'), sortValue: (o) => o.code, cell: (o) => [h('span', { class: 'swatch', style: `background:${reference.operatorColour(o.code)}` }), h('code', {}, o.code)] },
          { key: 'short_name', label: t('operators.shortName'), phone: 'title', sortValue: (o) => o.short_name ?? '' },
          { key: 'legal_name', label: t('operators.legalName'), sortValue: (o) => o.legal_name },
          { key: 'sector', label: t('operators.sector'), sortValue: (o) => sectorName(o.sector) },
          {
            key: 'contact',
            label: t('operators.contact'),
            class: 'small',
            cell: (o) => [
              o.contact_name ? h('div', {}, o.contact_name) : null,
              o.contact_phone ? h('div', {}, h('a', { href: `tel:${o.contact_phone}` }, o.contact_phone)) : null,
              o.contact_email ? h('div', {}, h('a', { href: `mailto:${o.contact_email}` }, o.contact_email)) : null,
              !o.contact_name && !o.contact_phone && !o.contact_email ? h('span', { class: 'muted' }, t('operators.noContact')) : null,
            ],
          },
          { key: 'asset_count', label: t('operators.assets'), numeric: true, sortValue: (o) => o.asset_count, cell: (o) => formatNumber(o.asset_count) },
          { key: 'actions', label: '', phone: 'actions', cell: (o) => h('button', { type: 'button', class: 'button button-small', 'data-testid': 'operator-edit', onclick: () => openForm(o) }, t('common.edit')) },
        ],
      }).element,
  });
  const load = () => list.load();

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
      list.element,
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
