// Language, messages and formatting. Vietnamese is the default; the choice is
// kept in localStorage. Dates are dd/MM/yyyy and times are Vietnam's
// (Asia/Ho_Chi_Minh) whatever the browser's zone; numbers use Intl.

import { en } from './en';
import { fieldNames, valueNames } from './fields';
import { vi, type MessageKey } from './vi';

export type Lang = 'vi' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'hatang.lang';
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'vi';
}

let current: Lang = initialLang();
const listeners = new Set<(lang: Lang) => void>();

export function lang(): Lang {
  return current;
}

/** The BCP 47 locale used for Intl formatting. */
export function locale(): string {
  return current === 'vi' ? 'vi-VN' : 'en-GB';
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  for (const listener of listeners) listener(next);
}

/** Calls `listener` after each change of language; returns the unsubscribe. */
export function onLangChange(listener: (lang: Lang) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A message in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const template: string = current === 'vi' ? vi[key] : en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(value) : value;
  });
}

/** The name of an API field (`height_m` → "Chiều cao (m)"). */
export function fieldName(field: string): string {
  return fieldNames[field]?.[current] ?? field;
}

/** The name of a coded value of a field (`material`, `concrete` → "Bê tông"). */
export function valueName(field: string, value: string): string {
  return valueNames[field]?.[value]?.[current] ?? value;
}

export function formatNumber(value: number, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits }).format(value);
}

/** A number with exactly `digits` decimals (coordinates). */
export function formatFixed(value: number, digits: number): string {
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

/** A number for an input box: no grouping, the language's decimal sign. */
export function formatNumberPlain(value: number): string {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 6, useGrouping: false }).format(value);
}

/**
 * Reads a number typed by a person: a comma or a point is the decimal sign,
 * spaces are ignored. Returns NaN when it is not a number.
 */
export function parseNumber(text: string): number {
  const compact = text.trim().replace(/[\s\u00a0]/g, '');
  if (compact === '') return NaN;
  let normal = compact;
  if (compact.includes(',')) {
    // 1.234,5 (Vietnamese) or 8,5: points group thousands, the comma is decimal.
    normal = compact.replace(/\./g, '').replace(',', '.');
  }
  return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(normal) ? Number(normal) : NaN;
}

function toDate(value: string | Date): Date | null {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Today's date in Vietnam as `YYYY-MM-DD`, wherever the browser's clock is set (not the UTC date,
 * which is still yesterday from midnight to 07:00 in Hà Nội). */
export function todayInVietnam(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** dd/MM/yyyy. A plain `YYYY-MM-DD` date is shown as that day, with no time zone shift. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}/${m}/${y}`;
  }
  const date = toDate(value);
  if (!date) return String(value);
  return new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
}

/** dd/MM/yyyy HH:mm, in Vietnam's time. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return t('common.empty');
  const date = toDate(value);
  if (!date) return String(value);
  const time = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hour12: false }).format(date);
  return `${formatDate(date)} ${time}`;
}

/** Degrees as 108°00′ (central meridians). */
export function formatMeridian(degrees: number): string {
  const whole = Math.trunc(degrees);
  const minutes = Math.round((Math.abs(degrees) - Math.abs(whole)) * 60);
  return `${whole}°${String(minutes).padStart(2, '0')}′`;
}
