// End-to-end harness: the real `ballast serve` on a free loopback port with a fresh SQLite store in a
// temp directory, users admin, trader and viewer (added with `ballast user add`; passwords below), and Debian's Chromium driven
// headless by playwright-core. Used by the *.test.mjs files (node --test).
//
// Environment: BALLAST_BIN (default build/release/apps/ballast/ballast), BALLAST_MOCK_BINANCE (the Binance
// mocks as a process, tests/tools/mock_binance_serve.cpp; default build/release/tests/ballast_mock_binance),
// CHROMIUM (default /usr/bin/chromium), BALLAST_E2E_ARTIFACTS (screenshots; default web/e2e-artifacts).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
const bin = process.env.BALLAST_BIN || path.join(repoRoot, 'build/release/apps/ballast/ballast');
const mockBinanceBin = process.env.BALLAST_MOCK_BINANCE || path.join(repoRoot, 'build/release/tests/ballast_mock_binance');
const artifacts = process.env.BALLAST_E2E_ARTIFACTS || path.join(repoRoot, 'web/e2e-artifacts');

export const passwords = { admin: 'admin-password-e2e', trader: 'trader-password-e2e', viewer: 'viewer-password-e2e' };

function addUser(dataDir, name, role) {
  const r = spawnSync(bin, ['user', 'add', name, '--role', role, '--password-stdin', '--data-dir', dataDir], {
    cwd: repoRoot,
    input: `${passwords[name]}\n`,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`ballast user add ${name} failed: ${r.stderr || r.stdout}`);
}

// Starts a server; resolves once it printed its URL. `env` adds BALLAST_* settings; `config` is the text of a
// ballast.toml (for what only the file can say, such as [[venues]]).
export async function startServer(env = {}, { config } = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ballast-e2e-'));
  addUser(dataDir, 'admin', 'admin');
  addUser(dataDir, 'trader', 'trader');
  addUser(dataDir, 'viewer', 'viewer');
  const args = ['--log-level', 'warn', 'serve', '--port', '0', '--data-dir', dataDir];
  if (config !== undefined) {
    const file = path.join(dataDir, 'ballast.toml');
    writeFileSync(file, config);
    args.push('--config', file);
  }
  const child = spawn(bin, args, {
    cwd: repoRoot,
    env: { ...process.env, BALLAST_PAPER_SPEED: '5', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 30 s:\n${output}`)), 30000);
    const onData = (chunk) => {
      output += chunk.toString();
      const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dataDir,
    output: () => output,
    async stop() {
      child.removeAllListeners('exit');
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The Binance USDⓈ-M mock exchange and market-stream mock on 127.0.0.1, in a process of their own; resolves
// with {rest_url, user_stream_url, stream_url, api_key, api_secret, stop()} once they listen.
export async function startMockBinance() {
  const child = spawn(mockBinanceBin, [], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Binance mock did not start within 10 s:\n${output}`)), 10000);
    child.stdout.on('data', (chunk) => {
      output += chunk.toString();
      const complete = output.split('\n').slice(0, -1); // lines ended by a newline
      const line = complete.find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.stderr.on('data', (chunk) => (output += chunk.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${mockBinanceBin}: ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the Binance mock exited with ${code}:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return {
    ...ready,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end(); // the mock stops when its stdin closes
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

// A REST call as `user` (for test set-up and for checking the UI against the API).
export async function apiAs(server, user, password) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  if (!login.ok) throw new Error(`login ${user}: ${login.status} ${await login.text()}`);
  const { access_token: token } = await login.json();
  return async (method, route, body) => {
    const r = await fetch(`${server.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

// A page at 1280×800 that records console errors and failed requests (a test asserts there are none).
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { page, problems, close: () => context.close() };
}

export async function login(page, server, user, password) {
  await page.goto(server.url + '/');
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('current-user').waitFor();
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves with the first truthy value of `fn` (polled every 250 ms), or fails after `ms` naming `what`.
export async function until(fn, ms = 30000, what = 'condition') {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}
