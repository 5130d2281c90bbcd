// @ts-check
// Each test prepares its own data through the API, so that no test depends on
// another and all of them can run at once against one server: its own
// operator, its own people, its own assets. Names are unique in the run
// (`unique()`), so a test finds what it made by name. The demo data (the
// Chánh Lộ ward, its assets, plans and streets) is there to be read, never
// changed.

import assert from 'node:assert/strict';
import { hatang } from './harness.mjs';

/** @typedef {import('./harness.mjs').Login} Login */

/** The centre of the demo's assets (former Chánh Lộ, in phường Cẩm Thành since 1/7/2025, Quảng Ngãi), where tests put their assets. */
export const CHANH_LO = [108.8052, 15.1128];

let counter = 0;
const run = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`.toUpperCase();

/** A name no other test of this run uses: `prefix` + upper-case letters and digits. */
export function unique(prefix = '') {
  counter += 1;
  return `${prefix}${run}${counter.toString(36).toUpperCase()}`;
}

/** A point near `centre`, a few metres to some tens of metres away, different on every call. */
export function nearby(centre = CHANH_LO, metres = 150) {
  const angle = Math.random() * 2 * Math.PI;
  const distance = (0.2 + 0.8 * Math.random()) * metres;
  return [centre[0] + (Math.cos(angle) * distance) / 107_500, centre[1] + (Math.sin(angle) * distance) / 110_600];
}

/**
 * The API as `who` sees it, with a session of their own (cookie and CSRF token).
 * `call` answers whatever the server says; `get`, `post`, … fail the test
 * unless it succeeds and give the JSON body.
 * @param {Login} who
 */
export async function apiAs(who) {
  const server = await hatang();
  const login = await fetch(server.url + '/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: who.username, password: who.password }),
  });
  assert.equal(login.status, 200, `${who.username} signs in: ${await login.clone().text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { csrf_token } = await login.json();

  /**
   * @param {string} method
   * @param {string} path
   * @param {{ body?: unknown, headers?: Record<string, string>, contentType?: string }} [options]
   */
  async function call(method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf_token, Accept: 'application/json, application/geo+json', ...(options.headers ?? {}) };
    let body;
    if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(server.url + path, { method, headers, body });
    const text = await response.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, body: parsed, etag: response.headers.get('etag'), headers: response.headers };
  }

  /** @param {string} method */
  const ok = (method) => async (/** @type {string} */ path, /** @type {unknown} */ body, /** @type {Record<string, string>} */ headers = {}) => {
    const answer = await call(method, path, { body, headers });
    assert.ok(answer.status < 300, `${method} ${path} as ${who.username}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  return { who, call, get: ok('GET'), post: ok('POST'), put: ok('PUT'), patch: ok('PATCH'), delete: ok('DELETE') };
}

/**
 * A demo login by role (and username prefix): only for reading the demo's own
 * data as the person it belongs to. Tests that change anything make their own people.
 * @param {string} role
 * @param {string} [prefix]
 */
export async function demoLogin(role, prefix = '') {
  const server = await hatang();
  const login = server.logins.find((l) => l.role === role && l.username.startsWith(prefix));
  assert.ok(login, `the server lists a demo ${role} ${prefix}`);
  return login;
}

/** @type {ReturnType<typeof apiAs> | null} */
let adminApi = null;

/** The API as the demo admin, who makes the tests' operators and people. */
export function admin() {
  adminApi ??= demoLogin('admin').then(apiAs);
  return adminApi;
}

/**
 * A new operator of the test's own.
 * @param {{ short_name?: string, legal_name?: string }} [fields]
 */
export async function newOperator(fields = {}) {
  const code = unique('T');
  const short_name = fields.short_name ?? `Nhà mạng ${code}`;
  const operator = await (await admin()).post('/api/v1/operators', {
    code,
    short_name,
    legal_name: fields.legal_name ?? `Công ty Viễn thông thử nghiệm ${code}`,
    sector: 'telecom',
    contact_name: 'Nguyễn Văn Thử',
    contact_phone: '0255 3 123 456',
    contact_email: `${code.toLowerCase()}@example.vn`,
  });
  return { code: operator.code, short_name: operator.short_name };
}

/**
 * A new person: `role` is admin, reviewer, planner or operator_member; a
 * reviewer or planner works in `scope` (GSO codes; Cẩm Thành, which took over Chánh Lộ on 1/7/2025, by default).
 * @param {{ role: string, operator?: string, scope?: string[], display_name?: string }} options
 */
export async function newUser(options) {
  const username = unique(`${options.role.replace('_member', '')}.`).toLowerCase();
  const password = `Mat-khau-thu-${Math.random().toString(36).slice(2, 10)}`;
  const scope = options.scope ?? (options.role === 'reviewer' || options.role === 'planner' ? ['21025'] : []);
  const display_name = options.display_name ?? `Người thử ${username}`;
  await (await admin()).post('/api/v1/users', {
    username,
    display_name,
    role: options.role,
    operator: options.operator ?? null,
    scope,
    password,
  });
  return { username, password, role: options.role, display_name, operator: options.operator ?? null };
}

/**
 * A new operator with one member, who registers that operator's assets.
 * @param {{ short_name?: string }} [fields]
 */
export async function newMember(fields = {}) {
  const operator = await newOperator(fields);
  const user = await newUser({ role: 'operator_member', operator: operator.code, display_name: `${operator.short_name} – kỹ thuật` });
  return { ...user, operator };
}

/**
 * A pole of the member's operator near the demo ward's centre (or `at`).
 * @param {Awaited<ReturnType<typeof apiAs>>} api
 * @param {{ operator: string, at?: number[], properties?: Record<string, unknown> }} options
 */
export async function newPole(api, options) {
  const code = unique(`${options.operator}-P`);
  return api.post('/api/v1/poles', {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: options.at ?? nearby() },
    properties: { code, operator: options.operator, status: 'operational', material: 'concrete', height_m: 8.5, ...(options.properties ?? {}) },
  });
}

/** The id of the ward (valid today) with the GSO code `code` (Cẩm Thành, 21025, by default). */
export async function wardId(code = '21025') {
  const wards = await (await admin()).get('/api/v1/wards');
  const ward = wards.features.find((/** @type {any} */ f) => f.properties.gso_code === code && f.properties.valid_to === null);
  assert.ok(ward, `a ward ${code} valid today`);
  return /** @type {number} */ (ward.id);
}

/** The title every plan a test makes begins with, so that the plans list can tell them from the demo's five. */
export const TEST_PLAN_TITLE = 'Kế hoạch thử nghiệm';

/**
 * A plan of the test's own (made by the demo admin) for Cẩm Thành (21025) by default, never one of
 * the demo's five seed units: its title begins with TEST_PLAN_TITLE and is unique in the run.
 * @param {{ unit?: string, targets?: unknown[], tasks?: unknown[], duties?: unknown[], number?: string, period_from?: number, period_to?: number, issued_on?: string }} [fields]
 */
export async function newPlan(fields = {}) {
  const year = new Date().getFullYear();
  const { unit = '21025', ...rest } = fields;
  return (await admin()).post('/api/v1/plans', {
    number: `${unique('')}/KH-UBND`,
    issued_on: `${year - 1}-03-10`,
    issuer: 'UBND phường',
    title: `${TEST_PLAN_TITLE} ${unique()}`,
    unit_id: await wardId(unit),
    period_from: year - 1,
    period_to: 2030,
    targets: [],
    tasks: [],
    duties: [],
    ...rest,
  });
}
