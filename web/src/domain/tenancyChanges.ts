// What a tenancy change changed, from the asset's snapshots before and after
// (their `tenancies` lists): a tenant added or removed, and for a tenancy
// that stayed, each term that moved ("FPT: đến ngày — → 02/12/2026"), in the
// person's language. The history, the asset page and an edit's conflict
// notice all say it this way instead of "đã thay đổi".

import { formatDate, formatNumber, t } from '../i18n';

interface TenancySnapshot {
  id?: number;
  tenant?: string;
  since?: string | null;
  until?: string | null;
  capacity_used?: number | null;
  contract_ref?: string | null;
  monthly_fee_vnd?: number | null;
  note?: string | null;
}

const TERMS = ['since', 'until', 'capacity_used', 'contract_ref', 'monthly_fee_vnd', 'note'] as const;

function list(value: unknown): TenancySnapshot[] {
  return Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as TenancySnapshot[]) : [];
}

function key(tenancy: TenancySnapshot): string {
  return tenancy.id !== undefined ? `id:${tenancy.id}` : `${tenancy.tenant ?? ''}:${tenancy.since ?? ''}`;
}

function term(name: (typeof TERMS)[number], value: unknown): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (name === 'since' || name === 'until') return formatDate(String(value));
  if (name === 'monthly_fee_vnd') return t('common.vnd', { value: formatNumber(Number(value), 0) });
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

function termName(name: (typeof TERMS)[number]): string {
  return t(`tenancyChange.${name}`);
}

/** One line per change of the tenancies between two snapshots' lists. */
export function tenancyChanges(before: unknown, after: unknown): string[] {
  const old = new Map(list(before).map((x) => [key(x), x]));
  const now = new Map(list(after).map((x) => [key(x), x]));
  const lines: string[] = [];
  for (const [k, tenancy] of now) {
    const was = old.get(k);
    const tenant = tenancy.tenant ?? '?';
    if (!was) {
      lines.push(
        t('tenancyChange.added', {
          tenant,
          since: term('since', tenancy.since),
          until: tenancy.until ? term('until', tenancy.until) : t('tenancy.openEnded'),
          capacity: term('capacity_used', tenancy.capacity_used),
        }),
      );
      continue;
    }
    for (const name of TERMS) {
      // A term the reader may not see is absent from both: nothing to say.
      if (!(name in tenancy) && !(name in was)) continue;
      if (JSON.stringify(was[name] ?? null) !== JSON.stringify(tenancy[name] ?? null)) {
        lines.push(t('tenancyChange.changed', { tenant, term: termName(name), before: term(name, was[name]), after: term(name, tenancy[name]) }));
      }
    }
  }
  for (const [k, tenancy] of old) {
    if (!now.has(k)) lines.push(t('tenancyChange.removed', { tenant: tenancy.tenant ?? '?' }));
  }
  return lines;
}
