#!/usr/bin/env node
// @ts-check
// One run of the browser tests: builds what is missing, empties
// test-artifacts/, starts ONE hatang server (embedded PostGIS, demo ward),
// then runs the test files at once with node's test runner
// (`--test-concurrency`), each file in its own process with its own Chromium,
// all against that server (HATANG_TEST_SERVER). Stops it at the end.
//
//   node run.mjs                  every *.test.mjs here
//   node run.mjs app.test.mjs     some files
//   HATANG_BROWSER_CONCURRENCY=1 node run.mjs   one file at a time
//
// Exits with the test runner's status.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SERVER_ENV, buildAll, resetArtifacts, startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
// A file at a time per core: the maps are drawn on the CPU (SwiftShader), and more files than
// cores make each of them wait on the others.
const concurrency = Number(process.env.HATANG_BROWSER_CONCURRENCY ?? Math.max(2, availableParallelism()));
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

buildAll();
resetArtifacts();
const server = await startServer(SERVER_ENV);
console.log(`browser tests: hatang at ${server.url} (${seconds()} s); ${files.length} files, ${concurrency} at once`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await server.stop().catch(() => undefined);
}

const child = spawn(process.execPath, ['--test', `--test-concurrency=${concurrency}`, ...files], {
  cwd: here,
  stdio: 'inherit',
  env: {
    ...process.env,
    HATANG_TEST_SERVER: JSON.stringify({ url: server.url, logins: server.logins }),
  },
});

// Whatever happens, the run ends: a hung browser or server must not hang CI.
const watchdog = setTimeout(() => {
  console.error(`browser tests: the run took longer than 40 minutes; stopping`);
  child.kill('SIGTERM');
}, 40 * 60_000);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    child.kill(signal);
  });
}

const code = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
clearTimeout(watchdog);
if (code !== 0) {
  const log = server.log().trim().split('\n');
  console.log(`\nthe server's last lines:\n${log.slice(-40).join('\n')}`);
}
await stop();
console.log(`browser tests: ${code === 0 ? 'passed' : 'FAILED'} in ${seconds()} s`);
process.exit(code);
