// What the person may read, as the server says (`GET /api/v1/access`), so the
// app asks only for what it will be given: the public's search asks for the
// kinds it may list, its map for the layers it may have, and no tab, layer or
// link leads it to a login error. The server refuses anyway; this spares the
// person a refusal they could not have avoided.

import { api } from '../api/client';
import type { Access } from '../api/types';
import type { Collection } from '../api/types';
import { KINDS, type KindInfo } from './kinds';

/** Until the server has answered: nothing beyond what is public. */
const PUBLIC: Access = {
  signed_in: false,
  collections: ['towers'],
  tile_layers: ['towers', 'wards', 'streets'],
  history: false,
  permits: false,
  analysis: false,
  undergrounding_wards: [],
  owners_in_figures: false,
  sharing: false,
};

let access: Access = PUBLIC;

/** Asks the server what the person may read (with the session, at start and after signing in or out). */
export async function loadAccess(): Promise<void> {
  access = await api.access();
}

export function currentAccess(): Readonly<Access> {
  return access;
}

/** Whether the person may list assets of the collection. */
export function mayReadCollection(collection: string): boolean {
  return access.collections.includes(collection as Collection);
}

/** The kinds the person may list, in the app's order. */
export function readableKinds(): KindInfo[] {
  return KINDS.filter((k) => mayReadCollection(k.collection));
}

/** Whether the person may have the tile layer (`poles`, `cables_overhead`, `wards`, ...). */
export function mayReadTileLayer(layer: string): boolean {
  return access.tile_layers.includes(layer);
}

/** Whether the person may read the undergrounding figures of a ward (by GSO code). */
export function mayReadUndergrounding(wardCode: string | null): boolean {
  const wards = access.undergrounding_wards;
  if (wards === null || wards === undefined) return true;
  return wardCode !== null && wards.includes(wardCode);
}

/** Whether any ward's undergrounding figures are readable. */
export function mayReadAnyUndergrounding(): boolean {
  const wards = access.undergrounding_wards;
  return wards === null || wards === undefined || wards.length > 0;
}

/** The registry's first table: poles, the most numerous kind, for those who may list them. */
export function defaultCollection(): Collection {
  return mayReadCollection('poles') ? 'poles' : (readableKinds()[0]?.collection ?? 'towers');
}
