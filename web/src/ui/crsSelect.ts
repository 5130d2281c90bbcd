// Choosing the coordinate system of a file (import) or of an export: WGS84,
// VN-2000 geographic or UTM, or a VN-2000 TM-3 zone — by province (the
// province's central meridian, from /api/v1/provinces) or by meridian
// (every quarter degree from 102°00′ to 109°30′).

import type { CrsChoice } from '../api/imports';
import type { Reference } from '../domain/reference';
import { formatMeridian, t, todayInVietnam } from '../i18n';
import { h } from './dom';

const fixed = (): [string, string][] => [
  ['crs:EPSG:4326', t('crs.wgs84')],
  ['crs:EPSG:4756', t('crs.vn2000Geographic')],
  ['crs:EPSG:3405', 'VN-2000 / UTM 48N (EPSG:3405)'],
  ['crs:EPSG:3406', 'VN-2000 / UTM 49N (EPSG:3406)'],
];

/** A CRS label of the server ("WGS84 longitude/latitude (EPSG:4326)") in the person's language. */
export function crsLabel(label: string): string {
  if (/^WGS84 longitude\/latitude/.test(label)) return t('crs.wgs84');
  if (/^VN-2000 longitude\/latitude/.test(label)) return t('crs.vn2000Geographic');
  return label.replace(', before 1/7/2025', `, ${t('crs.before2025')}`);
}

/** The choice a select's value stands for (`''` → none: as the file says, or WGS84). */
export function crsChoiceOf(value: string): CrsChoice {
  if (value.startsWith('crs:')) return { crs: value.slice(4) };
  if (value.startsWith('tm3:')) return { tm3: value.slice(4) };
  return {};
}

/**
 * A select of coordinate systems. `automatic` labels the empty choice (for an
 * import: "as the file declares"); without it WGS84 is the first choice.
 */
export function crsSelect(reference: Reference, options: { id: string; automatic?: string; testId?: string; selected?: string }): HTMLSelectElement {
  const now = todayInVietnam();
  const provinces = reference.provinces.filter((p) => p.tm3_meridian !== null).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const current = provinces.filter((p) => p.valid_to === null || p.valid_to >= now);
  const former = provinces.filter((p) => p.valid_to !== null && p.valid_to < now);
  const meridians: number[] = [];
  for (let m = 102; m <= 109.5; m += 0.25) meridians.push(m);
  const option = (value: string, label: string) => h('option', { value, selected: options.selected === value }, label);
  const provinceOption = (p: (typeof provinces)[number]) => option(`tm3:${p.gso_code}`, `VN-2000 / TM-3 ${p.name} — ${formatMeridian(p.tm3_meridian ?? 0)}`);
  return h(
    'select',
    { id: options.id, 'data-testid': options.testId ?? null },
    options.automatic ? option('', options.automatic) : null,
    h(
      'optgroup',
      { label: t('crs.common') },
      fixed().map(([value, label]) => option(value, label)),
    ),
    current.length > 0 ? h('optgroup', { label: t('crs.tm3Province') }, current.map(provinceOption)) : null,
    former.length > 0 ? h('optgroup', { label: t('crs.tm3FormerProvince') }, former.map(provinceOption)) : null,
    h(
      'optgroup',
      { label: t('crs.tm3Meridian') },
      meridians.map((m) => option(`crs:TM3:${m}`, `VN-2000 / TM-3 ${formatMeridian(m)}`)),
    ),
  );
}
