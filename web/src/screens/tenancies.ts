// Sharing on the asset page (sử dụng chung): the operators using the asset,
// and for those who may declare it — the owner's members and admins, as
// `policy.rs` says — adding a tenant, changing a tenancy and ending
// it. The API's rules hold here too, because the API decides: one tenancy per
// tenant and period, not the owner itself, no more slots than the asset has;
// its problems show under their fields, a stale version (409) says so and
// offers to reload. Lease terms (contract, monthly fee) are shown only to
// those the server gives them to: admins, the owner and the tenant.
//
// `POST /api/v1/assets/{id}/tenancies`, `PATCH …/tenancies/{tid}`, both with
// `If-Match` of the asset's version.

import { ApiError, request } from '../api/client';
import type { AssetFeature, Tenancy } from '../api/types';
import type { App } from '../app';
import { formatDate, formatNumber, t, todayInVietnam } from '../i18n';
import '../styles/everyday.css';
import { formDialog } from '../ui/dialog';
import { h, replace } from '../ui/dom';
import { describeError, toast } from '../ui/messages';
import { simpleForm, type FieldDefinition } from '../ui/form';

export interface TenancyPanelOptions {
  app: App;
  feature: AssetFeature;
  /** The asset's version as read (`If-Match`). */
  etag: string | null;
  /** Whether the person may declare tenancies on this asset. */
  mayManage: boolean;
  /** Reads the asset again after a change. */
  reload(): void;
}

type TenancyBody = Partial<Omit<Tenancy, 'id' | 'active' | 'tenant_name'>>;

async function save(assetId: number, tenancyId: number | null, body: TenancyBody, etag: string | null): Promise<void> {
  const headers: Record<string, string> = etag ? { 'If-Match': etag } : {};
  const path = tenancyId === null ? `/api/v1/assets/${assetId}/tenancies` : `/api/v1/assets/${assetId}/tenancies/${tenancyId}`;
  await request<Tenancy>(path, { method: tenancyId === null ? 'POST' : 'PATCH', body, headers, contentType: tenancyId === null ? 'application/json' : 'application/merge-patch+json' });
}

/** A lease term: its value, "—" when empty, or "not for you" when the server kept it back. */
function leaseTerm(tenancy: Tenancy, field: 'contract_ref' | 'monthly_fee_vnd'): HTMLElement {
  if (!(field in tenancy)) return h('td', { class: 'muted', title: t('tenancy.hiddenTitle'), 'data-testid': `tenancy-${field}` }, t('tenancy.hidden'));
  const value = tenancy[field];
  if (value === null || value === undefined) return h('td', { class: 'muted', 'data-testid': `tenancy-${field}` }, t('common.empty'));
  if (field === 'monthly_fee_vnd') return h('td', { class: 'number nowrap', 'data-testid': `tenancy-${field}` }, t('common.vnd', { value: formatNumber(Number(value), 0) }));
  return h('td', { 'data-testid': `tenancy-${field}` }, String(value));
}

export function tenancyPanel(options: TenancyPanelOptions): HTMLElement {
  const { app, feature, mayManage } = options;
  const p = feature.properties;
  const tenants = (p.tenants ?? []) as Tenancy[];
  const today = todayInVietnam();
  const body = h('div', { class: 'table-scroll' });

  const table = () => {
    if (tenants.length === 0) return h('p', { class: 'empty', 'data-testid': 'no-tenants' }, t('asset.noTenants'));
    return h(
      'table',
      { class: 'data-table', 'data-testid': 'tenants' },
      h(
        'thead',
        {},
        h('tr', {}, [t('asset.tenant'), t('asset.since'), t('asset.until'), t('asset.capacityUsed'), t('asset.contract'), t('asset.fee'), mayManage ? '' : null].filter((c) => c !== null).map((c) => h('th', { scope: 'col' }, c))),
      ),
      h(
        'tbody',
        {},
        tenants.map((tenancy) => {
          const ended = tenancy.until !== null && tenancy.until < today;
          return h(
            'tr',
            { class: tenancy.active ? '' : 'inactive', 'data-tenant': tenancy.tenant, 'data-testid': 'tenancy-row' },
            h('td', {}, h('span', { class: 'swatch', style: `background:${app.reference.operatorColour(tenancy.tenant)}` }), tenancy.tenant_name ?? tenancy.tenant, tenancy.active ? null : h('span', { class: 'badge' }, ended ? t('asset.ended') : t('tenancy.future'))),
            h('td', { class: 'nowrap' }, formatDate(tenancy.since)),
            h('td', { class: 'nowrap' }, tenancy.until ? formatDate(tenancy.until) : t('tenancy.openEnded')),
            h('td', { class: 'number' }, tenancy.capacity_used === null ? t('common.empty') : formatNumber(tenancy.capacity_used)),
            leaseTerm(tenancy, 'contract_ref'),
            leaseTerm(tenancy, 'monthly_fee_vnd'),
            mayManage
              ? h(
                  'td',
                  { class: 'row-actions nowrap' },
                  h('button', { type: 'button', class: 'button button-small', 'data-testid': 'tenancy-edit', onclick: () => openForm(tenancy) }, t('common.edit')),
                  ended ? null : h('button', { type: 'button', class: 'button button-small', 'data-testid': 'tenancy-end', onclick: () => openEnd(tenancy) }, t('tenancy.end')),
                )
              : null,
          );
        }),
      ),
    );
  };

  /** The form of a new tenancy (`existing` null) or of a change. */
  const openForm = (existing: Tenancy | null) => {
    const owner = String(p.operator ?? '');
    const operators = app.reference.operators.filter((o) => o.code !== owner);
    const free = typeof p.free_capacity === 'number' ? p.free_capacity : null;
    const fields: FieldDefinition[] = [
      existing
        ? { name: 'tenant', label: t('asset.tenant'), control: { type: 'select', options: [[existing.tenant, existing.tenant_name ?? existing.tenant]] }, initial: existing.tenant, hint: t('tenancy.tenantFixed') }
        : { name: 'tenant', label: t('asset.tenant'), control: { type: 'select', options: operators.map((o) => [o.code, o.short_name ?? o.code]), placeholder: t('edit.choose') }, required: true },
      { name: 'since', label: t('asset.since'), control: { type: 'date' }, required: true, initial: existing?.since ?? today },
      { name: 'until', label: t('asset.until'), control: { type: 'date' }, initial: existing?.until ?? null, hint: t('tenancy.untilHint') },
      {
        name: 'capacity_used',
        label: t('asset.capacityUsed'),
        control: { type: 'number', integer: true, min: 0, max: 1000 },
        required: true,
        initial: existing?.capacity_used ?? 1,
        hint: free !== null ? t('tenancy.freeSlots', { free: formatNumber(free), capacity: formatNumber(Number(p.capacity ?? 0)) }) : undefined,
      },
      // The owner's members and admins declare tenancies, and they see the lease terms.
      { name: 'contract_ref', label: t('asset.contract'), control: { type: 'text', maxLength: 200 }, initial: existing?.contract_ref ?? null },
      { name: 'monthly_fee_vnd', label: t('tenancy.feeLabel'), control: { type: 'number', integer: true, min: 0, max: 1e12 }, initial: existing?.monthly_fee_vnd ?? null },
      { name: 'note', label: t('tenancy.note'), control: { type: 'text', multiline: true, maxLength: 4000 }, initial: existing?.note ?? null },
    ];
    const form = simpleForm(fields, { idPrefix: 'tenancy' });
    const notice = h('div', {});
    const submit = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'tenancy-save' }, t('edit.save'));
    const dialog = formDialog(
      existing ? t('tenancy.editTitle', { tenant: existing.tenant_name ?? existing.tenant }) : t('tenancy.addTitle'),
      h(
        'form',
        {
          novalidate: true,
          onsubmit: async (event: Event) => {
            event.preventDefault();
            form.clearProblems();
            replace(notice);
            const { values, problems } = form.read();
            if (problems.length > 0) return form.showProblems(problems);
            const input: TenancyBody = {
              since: values.since as string,
              until: (values.until as string | null) ?? null,
              capacity_used: values.capacity_used as number,
              contract_ref: (values.contract_ref as string | null) ?? null,
              monthly_fee_vnd: (values.monthly_fee_vnd as number | null) ?? null,
              note: (values.note as string | null) ?? null,
            };
            if (!existing) input.tenant = values.tenant as string;
            submit.disabled = true;
            try {
              await save(feature.id, existing?.id ?? null, input, options.etag);
              dialog.close();
              toast(existing ? t('tenancy.saved') : t('tenancy.added'), 'success');
              app.view.refreshTiles();
              options.reload();
            } catch (error) {
              submit.disabled = false;
              showError(error, notice, form.showProblems, dialog.close);
            }
          },
        },
        notice,
        form.element,
        h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, t('edit.cancel'))),
      ),
      undefined,
      'tenancy-dialog',
    );
  };

  /** Ends a tenancy on a day (today by default): its `until`. */
  const openEnd = (tenancy: Tenancy) => {
    const form = simpleForm([{ name: 'until', label: t('tenancy.endOn'), control: { type: 'date' }, required: true, initial: today, hint: t('tenancy.endHint') }], { idPrefix: 'tenancy-end' });
    const notice = h('div', {});
    const submit = h('button', { type: 'submit', class: 'button button-danger', 'data-testid': 'tenancy-end-confirm' }, t('tenancy.end'));
    const dialog = formDialog(
      t('tenancy.endTitle', { tenant: tenancy.tenant_name ?? tenancy.tenant }),
      h(
        'form',
        {
          novalidate: true,
          onsubmit: async (event: Event) => {
            event.preventDefault();
            form.clearProblems();
            replace(notice);
            const { values, problems } = form.read();
            if (problems.length > 0) return form.showProblems(problems);
            submit.disabled = true;
            try {
              await save(feature.id, tenancy.id, { until: values.until as string }, options.etag);
              dialog.close();
              toast(t('tenancy.ended'), 'success');
              app.view.refreshTiles();
              options.reload();
            } catch (error) {
              submit.disabled = false;
              showError(error, notice, form.showProblems, dialog.close);
            }
          },
        },
        notice,
        form.element,
        h('div', { class: 'form-actions' }, submit, h('button', { type: 'button', class: 'button', onclick: () => dialog.close() }, t('edit.cancel'))),
      ),
      undefined,
      'tenancy-end-dialog',
    );
  };

  /** 422: under the fields; 409 (someone changed the asset): say so and offer to reload; others: the server's words. */
  const showError = (error: unknown, notice: HTMLElement, showProblems: (problems: ApiError['details']) => void, close: () => void) => {
    if (error instanceof ApiError && error.code === 'validation_failed') {
      showProblems(error.details);
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert', 'data-testid': 'tenancy-invalid' }, t('edit.invalid')));
    } else if (error instanceof ApiError && error.status === 409) {
      replace(
        notice,
        h(
          'div',
          { class: 'notice notice-warning', role: 'alert', 'data-testid': 'tenancy-conflict' },
          h('p', {}, t('tenancy.conflict')),
          h('button', { type: 'button', class: 'button button-primary', onclick: () => (close(), options.reload()) }, t('edit.conflictReload')),
        ),
      );
    } else {
      replace(notice, h('div', { class: 'notice notice-error', role: 'alert' }, describeError(error)));
    }
  };

  replace(body, table());
  return h(
    'section',
    { class: 'card', 'data-testid': 'tenancy-panel' },
    h(
      'div',
      { class: 'card-title-row' },
      h('h2', {}, t('asset.tenants')),
      mayManage && p.status !== 'decommissioned' ? h('button', { type: 'button', class: 'button button-small button-primary', 'data-testid': 'tenancy-add', onclick: () => openForm(null) }, `+ ${t('tenancy.add')}`) : null,
    ),
    body,
  );
}
