// @ts-check
// What the browser tests run against: the real `hatang` binary (debug build)
// on a free port with a fresh data folder — so its own embedded PostgreSQL
// with PostGIS and the demo ward — serving the built web app, and Debian's
// Chromium driven by playwright-core. Everything has a time limit.
//
// This module starts those processes: run.mjs the server, once per run;
// harness.mjs (what the tests import) a Chromium per test file.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.HATANG_CHROMIUM ?? '/usr/bin/chromium';
/** Another hatang binary to test against (a release build, say); by default the debug build. */
const BINARY = process.env.HATANG_BINARY ?? join(ROOT, 'target', 'debug', 'hatang');

/**
 * What the run's server is started with: small import limits, so that the
 * import tests can show them being enforced (run.mjs uses the same).
 */
/** The run's server: small import limits, the test basemap's host allowed by the CSP (basemap.test.mjs), and room for the public reports that every test sends from one address. */
export const SERVER_ENV = { HATANG_IMPORT_MAX_MB: '1', HATANG_IMPORT_MAX_ROWS: '40', HATANG_CSP_EXTRA_ORIGINS: 'https://basemap.hatang.test', HATANG_PUBLIC_REPORTS_PER_HOUR: '1000' };

/** Runs a command to completion (inheriting output), failing the run if it fails. */
function run(command, args, options) {
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 30 * 60_000, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`})`);
  }
}

/** Builds what the tests need unless it is there already (make test builds both first). */
export function buildAll() {
  if (!process.env.HATANG_BINARY) run('cargo', ['build', '--locked', '--bin', 'hatang'], { cwd: ROOT });
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    if (!existsSync(join(ROOT, 'web', 'node_modules'))) run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: join(ROOT, 'web') });
    run('npm', ['run', 'build'], { cwd: join(ROOT, 'web') });
  }
}

/**
 * Starts hatang on port 0 with a new data folder; resolves with its address
 * once it has printed its banner ("is running at http://127.0.0.1:PORT/" …
 * "Stop with Ctrl+C"), and with the demo logins the banner lists (user
 * accounts, issue 4), if any.
 * @returns {Promise<{url: string, stop: () => Promise<void>, log: () => string, logins: {username: string, password: string, role: string}[]}>}
 */
export async function startServer(extraEnv = {}) {
  const dataDir = join(tmpdir(), `hatang-browser-${process.pid}-${Date.now()}`);
  const binary = BINARY;
  const env = { ...process.env, HATANG_WEB_DIR: join(ROOT, 'web', 'dist'), RUST_LOG: process.env.RUST_LOG ?? 'warn', ...extraEnv };
  delete env.DATABASE_URL; // always the embedded cluster
  delete env.HATANG_PORT;
  delete env.HATANG_DATA_DIR;
  const child = spawn(binary, ['serve', '--port', '0', '--data-dir', dataDir], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`hatang did not start within 180 s; output:\n${output}`)), 180_000);
    let bannerTimer;
    const onData = (chunk) => {
      output += chunk.toString();
      const match = output.match(/is running at (http:\/\/[^\s/]+)\//);
      if (!match) return;
      // The banner goes on with the demo logins; take them too.
      const done = () => {
        clearTimeout(timer);
        clearTimeout(bannerTimer);
        resolvePromise(match[1]);
      };
      if (/Stop with Ctrl\+C/.test(output)) done();
      else bannerTimer ??= setTimeout(done, 10_000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hatang exited (${code}) before it was ready; output:\n${output}`));
    });
  });
  child.removeAllListeners('exit');

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const logins = [...output.matchAll(/^ {4}(\S+)\s+(\S+)\s+(admin|reviewer|planner|operator_member)\b/gm)].map((m) => ({
    username: m[1],
    password: m[2],
    role: m[3],
  }));
  return { url: String(url), stop, log: () => output, logins };
}

/** How Debian's Chromium is started: headless, no background traffic, WebGL on the CPU. */
export const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  timeout: 60_000,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // WebGL on the CPU: MapLibre draws with SwiftShader in a headless browser.
    '--enable-unsafe-swiftshader',
    '--use-angle=swiftshader',
  ],
};

/** A Chromium for this process alone. */
export async function launchBrowser() {
  return chromium.launch(CHROMIUM_OPTIONS);
}

/** Empties test-artifacts/, so every screenshot there is from this run. */
export function resetArtifacts() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
}

export function artifactPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}
