// Reference data loaded once: operators (with their map colour), provinces
// (with their VN-2000 TM-3 meridian) and wards (with boundary and bbox).

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
  operators: Operator[];
  provinces: Province[];
  wards: WardFeature[];
  operatorColour(code: string): string;
  operatorLabel(code: string): string;
}

let loaded: Promise<Reference> | null = null;

/** Loads reference data once for the whole app. */
export function reference(): Promise<Reference> {
  loaded ??= load().catch((error: unknown) => {
    loaded = null; // let the next call try again
    throw error;
  });
  return loaded;
}

async function load(): Promise<Reference> {
  const [operators, provinces, wards] = await Promise.all([api.operators(), api.provinces(), api.wards()]);
  const colours = new Map<string, string>();
  let spare = 0;
  for (const operator of [...operators].sort((a, b) => a.code.localeCompare(b.code))) {
    const known = KNOWN_COLOURS[operator.code];
    colours.set(operator.code, known ?? SPARE_COLOURS[spare++ % SPARE_COLOURS.length] ?? OTHER_OPERATOR_COLOUR);
  }
  const labels = new Map(operators.map((o) => [o.code, o.short_name ?? o.code]));
  return {
    operators,
    provinces,
    wards,
    operatorColour: (code) => colours.get(code) ?? OTHER_OPERATOR_COLOUR,
    operatorLabel: (code) => labels.get(code) ?? code,
  };
}
