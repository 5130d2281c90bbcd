// Assets and streets by code and name wherever a screen holds only their ids
// (a cable's supports, a duct bank's manholes, the assets a permit created, the
// cables a project took down): ids are asked for in one request
// (`GET /api/v1/assets?ids=`, `GET /api/v1/streets?ids=`) and kept for the
// page's life, so a person reads "VNPT-CL-P0280 · Cột số 280", never "#280".

import { api, request } from '../api/client';
import type { AssetFeature, AssetPage, StreetFeature } from '../api/types';
import { t, valueName } from '../i18n';
import { h } from '../ui/dom';

/** An asset as a screen names it. */
export interface AssetRef {
  id: number;
  code: string;
  name: string | null;
  kind: string;
  feature: AssetFeature;
}

const assets = new Map<number, Promise<AssetRef | null>>();
const streets = new Map<number, Promise<StreetFeature | null>>();

export function refOf(feature: AssetFeature): AssetRef {
  const p = feature.properties;
  return { id: feature.id, code: String(p.code ?? feature.id), name: typeof p.name === 'string' && p.name ? p.name : null, kind: String(p.kind ?? ''), feature };
}

/** Remembers an asset already at hand (a search result, a picked feature). */
export function rememberAsset(feature: AssetFeature): AssetRef {
  const ref = refOf(feature);
  assets.set(ref.id, Promise.resolve(ref));
  return ref;
}

/** The assets with these ids, as far as the person may see them (one request for those not known yet). */
export async function assetRefs(ids: number[]): Promise<Map<number, AssetRef>> {
  const unknown = [...new Set(ids)].filter((id) => !assets.has(id));
  if (unknown.length > 0) {
    const batch = request<AssetPage>(`/api/v1/assets?ids=${unknown.join(',')}`).then(
      (answer) => new Map(answer.data.features.map((f) => [f.id, refOf(f)])),
      () => new Map<number, AssetRef>(),
    );
    for (const id of unknown) assets.set(id, batch.then((found) => found.get(id) ?? null));
  }
  const found = new Map<number, AssetRef>();
  await Promise.all(
    ids.map(async (id) => {
      const ref = await assets.get(id);
      if (ref) found.set(id, ref);
    }),
  );
  return found;
}

/** "VNPT-CL-P0280 · Cột số 280" (or the code alone). */
export function assetLabel(ref: AssetRef): string {
  return ref.name ? `${ref.code} · ${ref.name}` : ref.code;
}

/** "Cột treo cáp VNPT-CL-P0280 · Cột số 280", with its kind. */
export function assetLabelWithKind(ref: AssetRef): string {
  return `${valueName('kind', ref.kind)} ${assetLabel(ref)}`;
}

/**
 * Links to the assets with these ids, written by code and name as soon as the
 * registry answers; an asset the person may not see keeps a neutral label.
 */
export function assetLinks(ids: number[], options: { testId?: string } = {}): HTMLElement {
  const links = h('span', { class: 'id-links', 'data-testid': options.testId ?? null });
  if (ids.length === 0) {
    links.textContent = t('common.empty');
    return links;
  }
  const anchors = ids.map((id) => h('a', { href: `/assets/${id}`, 'data-asset-id': id, class: 'asset-ref' }, t('names.loading')));
  anchors.forEach((a, i) => {
    if (i > 0) links.append(', ');
    links.append(a);
  });
  void assetRefs(ids).then((found) => {
    anchors.forEach((a, i) => {
      const ref = found.get(ids[i] ?? 0);
      a.textContent = ref ? assetLabel(ref) : t('names.hidden', { id: ids[i] ?? 0 });
      if (ref) a.title = valueName('kind', ref.kind);
    });
  });
  return links;
}

/** The streets with these ids. */
export async function streetRefs(ids: number[]): Promise<Map<number, StreetFeature>> {
  const unknown = [...new Set(ids)].filter((id) => !streets.has(id));
  if (unknown.length > 0) {
    const batch = api.streets({ ids: unknown, limit: 200 }).then(
      (features) => new Map(features.map((f) => [f.id, f])),
      () => new Map<number, StreetFeature>(),
    );
    for (const id of unknown) streets.set(id, batch.then((found) => found.get(id) ?? null));
  }
  const found = new Map<number, StreetFeature>();
  await Promise.all(
    ids.map(async (id) => {
      const street = await streets.get(id);
      if (street) found.set(id, street);
    }),
  );
  return found;
}
