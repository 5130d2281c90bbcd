// Reference data loaded once: operators (with their map colour), provinces
// (with their VN-2000 TM-3 meridian) and wards (with boundary and bbox). It is
// one store: screens read `currentReference()` (or `app.reference`), and a
// change (an operator registered) is a refresh that makes a new value and
// tells the listeners, never an edit of the arrays in place.

import { api } from '../api/client';
import type { Operator, Province, WardFeature } from '../api/types';

/**
 * Colours for operators on the map and in legends. Known operators get a
 * colour near their brand's but distinct from each other; others take the
 * spare colours in order of their code.
 */
const KNOWN_COLOURS: Record<string, string> = {
  VNPT: '#1565c0',
  VIETTEL: '#d32f2f',
  MOBIFONE: '#00897b',
  FPT: '#ef6c00',
  EVNCPC: '#6d4c41',
  'QNG-CSDT': '#8e24aa',
  CMC: '#c0ca33',
};
const SPARE_COLOURS = ['#3949ab', '#5d4037', '#00acc1', '#7cb342', '#f06292', '#546e7a'];
export const OTHER_OPERATOR_COLOUR = '#757575';

export interface Reference {
  readonly operators: readonly Operator[];
  readonly provinces: readonly Province[];
  readonly wards: readonly WardFeature[];
  operatorColour(code: string): string;
  operatorLabel(code: string): string;
}

let loaded: Promise<Reference> | null = null;
let current: Reference | null = null;
const listeners = new Set<(reference: Reference) => void>();

/** Loads reference data once for the whole app. */
export function reference(): Promise<Reference> {
  loaded ??= load().then(
    (reference) => (current = reference),
    (error: unknown) => {
      loaded = null; // let the next call try again
      throw error;
    },
  );
  return loaded;
}

/** The reference data as it is now (once `reference()` has loaded it). Never changed in place: a refresh makes a new one. */
export function currentReference(): Reference {
  if (!current) throw new Error('reference data used before it was loaded');
  return current;
}

/**
 * Asks the server again for the operators (after an admin registered or renamed one), and tells
 * everyone who listens — the map's colours and legend, the selects of the screens drawn next.
 */
export async function refreshOperators(signal?: AbortSignal): Promise<Reference> {
  const before = current ?? (await reference());
  const operators = await api.operators(signal);
  current = build(operators, before.provinces, before.wards);
  loaded = Promise.resolve(current);
  for (const listener of listeners) listener(current);
  return current;
}

/** Calls `listener` with the new reference data after each refresh; returns the unsubscribe. */
export function onReferenceChange(listener: (reference: Reference) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function load(): Promise<Reference> {
  const [operators, provinces, wards] = await Promise.all([api.operators(), api.provinces(), api.wards()]);
  return build(operators, provinces, wards);
}

function build(operators: Operator[], provinces: readonly Province[], wards: readonly WardFeature[]): Reference {
  const colours = new Map<string, string>();
  let spare = 0;
  for (const operator of [...operators].sort((a, b) => a.code.localeCompare(b.code))) {
    const known = KNOWN_COLOURS[operator.code];
    colours.set(operator.code, known ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length] ?? OTHER_OPERATOR_COLOUR);
  }
  const labels = new Map(operators.map((o) => [o.code, o.short_name ?? o.code]));
  return Object.freeze({
    operators: Object.freeze([...operators]),
    provinces,
    wards,
    operatorColour: (code: string) => colours.get(code) ?? OTHER_OPERATOR_COLOUR,
    operatorLabel: (code: string) => labels.get(code) ?? code,
  });
}
