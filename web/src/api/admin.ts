// Administration endpoints (admins only): accounts, operators, what wards
// publish, rules, the holiday calendar, and the history's hash-chain check.
// Request bodies come from the OpenAPI description (schema.d.ts); the answers
// it does not describe yet are written here.

import { request } from './client';
import type { components } from './schema';
import type { Operator } from './types';

type Schemas = components['schemas'];

/** An account as `GET /api/v1/users` lists it. */
export interface UserRecord {
  id: number;
  username: string;
  display_name: string;
  role: UserRole;
  operator: string | null;
  /** GSO codes of the wards and provinces of a reviewer or planner. */
  scope: string[];
  disabled: boolean;
  created_at: string;
  version: number;
}

export type UserRole = Schemas['Role'];
export const USER_ROLES: readonly UserRole[] = ['admin', 'reviewer', 'planner', 'operator_member'];

export type NewUser = Schemas['NewUser'];
export type UserChange = Schemas['UserChange'];

/** A created or reset account comes back with its generated password, once. */
export type UserWithPassword = UserRecord & { password?: string };

export type OperatorInput = Schemas['OperatorInput'];

export const SECTORS = ['telecom', 'power', 'lighting', 'other'] as const;

/** What a ward shows the public. */
export type Publication = Schemas['Publication'];

export interface Rule {
  id: number;
  rule_key: string;
  province_code: string | null;
  valid_from: string;
  valid_to: string | null;
  value: unknown;
  citation: string;
  note: string | null;
  provisional: boolean;
}

export type RuleInput = Omit<Rule, 'id'>;

/** The rule keys the server reads, and the members their value must have (see server/src/rules). */
export const RULE_KEYS: Record<string, { fields: string[]; example: unknown }> = {
  'deadline.completeness': { fields: ['days'], example: { days: 7, unit: 'working' } },
  'deadline.decision': { fields: ['days'], example: { days: 20, unit: 'working' } },
  'deadline.extension': { fields: ['max_days'], example: { max_days: 10, unit: 'working' } },
  'deadline.as_built_copies': { fields: ['days'], example: { days: 7, unit: 'working' } },
  'deadline.warning': { fields: ['days'], example: { days: 2, unit: 'working' } },
  'exemption.towers': { fields: ['classes'], example: { classes: ['A1'], outside_urban_when_in_plan: true } },
  'sharing.spacing': { fields: ['mode'], example: { mode: 'suggested', urban_m: 200, rural_m: 500 } },
  'tower_class.a1': { fields: ['max_height_m', 'max_share_of_building'], example: { max_height_m: 3, max_share_of_building: 0.2, max_reach_m: 0.5 } },
};

export interface Holiday {
  day: string;
  name: string;
  /** false: a Saturday or Sunday that is worked. */
  day_off: boolean;
}

/** `GET /api/v1/calendar`. */
export interface CalendarYears {
  years: { year: number; days: number; citation: string | null; provisional: boolean; note: string | null }[];
  /** Next year starts within 92 days with no holidays (`missing`) or only worked-out ones (`provisional`). */
  warning: { year: number; problem: 'missing' | 'provisional'; days_left: number } | null;
}

export interface ChainReport {
  entries: number;
  head_hash: string | null;
  intact: boolean;
  first_broken: { chain_seq: number; history_id: number; problem: string } | null;
}

export const adminApi = {
  async users(signal?: AbortSignal): Promise<UserRecord[]> {
    return (await request<UserRecord[]>('/api/v1/users', { signal })).data;
  },
  async createUser(user: NewUser): Promise<UserWithPassword> {
    return (await request<UserWithPassword>('/api/v1/users', { method: 'POST', body: user })).data;
  },
  async updateUser(id: number, change: UserChange): Promise<UserWithPassword> {
    return (await request<UserWithPassword>(`/api/v1/users/${id}`, { method: 'PATCH', body: change })).data;
  },

  async operators(signal?: AbortSignal): Promise<Operator[]> {
    return (await request<Operator[]>('/api/v1/operators', { signal })).data;
  },
  async createOperator(input: OperatorInput): Promise<Operator> {
    return (await request<Operator>('/api/v1/operators', { method: 'POST', body: input })).data;
  },
  async updateOperator(code: string, patch: Partial<OperatorInput>): Promise<Operator> {
    return (await request<Operator>(`/api/v1/operators/${encodeURIComponent(code)}`, { method: 'PATCH', body: patch })).data;
  },

  async publication(ward: string, signal?: AbortSignal): Promise<Publication> {
    return (await request<Publication>(`/api/v1/wards/${encodeURIComponent(ward)}/publication`, { signal })).data;
  },
  async setPublication(ward: string, publication: Publication): Promise<Publication> {
    return (await request<Publication>(`/api/v1/wards/${encodeURIComponent(ward)}/publication`, { method: 'PUT', body: publication })).data;
  },

  async rules(signal?: AbortSignal): Promise<Rule[]> {
    return (await request<Rule[]>('/api/v1/rules', { signal })).data;
  },
  async createRule(rule: RuleInput): Promise<Rule> {
    return (await request<Rule>('/api/v1/rules', { method: 'POST', body: rule })).data;
  },
  async updateRule(id: number, rule: Partial<RuleInput>): Promise<Rule> {
    return (await request<Rule>(`/api/v1/rules/${id}`, { method: 'PATCH', body: rule })).data;
  },

  async holidays(year: number, signal?: AbortSignal): Promise<Holiday[]> {
    return (await request<Holiday[]>(`/api/v1/calendar/${year}`, { signal })).data;
  },
  /** The years the calendar holds, with their authority, and the warning about next year. */
  async calendarYears(): Promise<CalendarYears> {
    return (await request<CalendarYears>('/api/v1/calendar')).data;
  },
  /** Saves a year's days, and with `authority` the notice they come from. */
  async setHolidays(year: number, holidays: Holiday[], authority?: { citation: string; provisional: boolean; note: string | null }): Promise<Holiday[]> {
    const body = authority ? { holidays, ...authority } : holidays;
    return (await request<Holiday[]>(`/api/v1/calendar/${year}`, { method: 'PUT', body })).data;
  },

  async verifyHistory(signal?: AbortSignal): Promise<ChainReport> {
    return (await request<ChainReport>('/api/v1/history/verify', { signal })).data;
  },
};
