// Helpers for faultlab's end-to-end tests. Dependency-free apart from playwright-core.
//
// A test file registers its tests with `test(name, fn)`; `run.mjs` imports every
// `*.test.mjs` file and runs them, each in a fresh Chromium, with
//   fn({ page, context, url, problems })
// where `url` is the app's address (FAULTLAB_URL) and `problems` is the list of
// console errors / page errors / foreign requests collected so far (the runner
// fails the test if it is non-empty at the end).

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import assert from 'node:assert/strict';

export { assert };

const here = path.dirname(fileURLToPath(import.meta.url));

/** Where failure screenshots and other artifacts go (gitignored). */
export const ARTIFACTS_DIR = process.env.E2E_ARTIFACTS_DIR || path.join(here, '..', 'test-results');

export const CHROMIUM_PATH = process.env.CHROMIUM || '/usr/bin/chromium';

/** Flags that keep Chromium quiet on a closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Default timeout (ms) of the waiting helpers below and of Playwright actions. */
export const DEFAULT_TIMEOUT = 15_000;

// ------------------------------------------------------------------ registry

/** @type {{name: string, file: string, fn: Function}[]} */
export const registry = [];
let currentFile = '';

/** Used by run.mjs while importing test files. */
export function setCurrentFile(file) {
  currentFile = file;
}

/** Register a test: `test('controls step', async ({ page, url }) => { ... })`. */
export function test(name, fn) {
  if (typeof name !== 'string' || typeof fn !== 'function') {
    throw new TypeError('test(name: string, fn: async ({page, url}) => void)');
  }
  if (registry.some((t) => t.name === name)) throw new Error(`duplicate test name: ${name}`);
  registry.push({ name, file: currentFile, fn });
}

// ------------------------------------------------------------------ network policy

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** True if loading `u` does not leave this machine (data:, blob:, about: count as local). */
export function isLocalUrl(u) {
  let parsed;
  try {
    parsed = new URL(u);
  } catch {
    return false;
  }
  if (['data:', 'blob:', 'about:', 'chrome-error:'].includes(parsed.protocol)) return true;
  return LOCAL_HOSTS.has(parsed.hostname);
}

// ------------------------------------------------------------------ page helpers

/** Open the app and wait until it has rendered (`#app` or `main` visible). */
export async function gotoApp(page, url, { timeout = DEFAULT_TIMEOUT } = {}) {
  const response = await page.goto(url, { waitUntil: 'load', timeout });
  if (!response || !response.ok()) {
    throw new Error(`GET ${url} -> ${response ? response.status() : 'no response'}`);
  }
  await waitFor(page, '#app, main', { timeout });
  return response;
}

/**
 * Wait for the first element matching `selector` to reach `state`
 * ('visible' by default; also 'attached', 'detached', 'hidden').
 * Returns its Playwright locator.
 */
export async function waitFor(page, selector, { timeout = DEFAULT_TIMEOUT, state = 'visible' } = {}) {
  const loc = page.locator(selector).first();
  try {
    await loc.waitFor({ state, timeout });
  } catch (e) {
    throw new Error(`waitFor(${JSON.stringify(selector)}, state=${state}) timed out after ${timeout} ms`, { cause: e });
  }
  return loc;
}

/**
 * Poll `fn` (sync or async) until it returns a truthy value; returns that value.
 * `message` is used in the timeout error.
 */
export async function waitUntil(fn, { timeout = DEFAULT_TIMEOUT, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : ` (last value: ${JSON.stringify(last)})`;
      throw new Error(`waitUntil(${message}) timed out after ${timeout} ms${detail}`);
    }
    await sleep(interval);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Attribute `name` of the first element matching `sel` (null if absent). */
export async function attr(page, sel, name, { timeout = DEFAULT_TIMEOUT } = {}) {
  return page.locator(sel).first().getAttribute(name, { timeout });
}

/** Trimmed text content of the first element matching `sel`. */
export async function text(page, sel, { timeout = DEFAULT_TIMEOUT } = {}) {
  return ((await page.locator(sel).first().textContent({ timeout })) ?? '').trim();
}

/** Trimmed text contents of all elements matching `sel`. */
export async function texts(page, sel) {
  return (await page.locator(sel).allTextContents()).map((s) => s.trim());
}

/** Number of elements matching `sel` right now. */
export async function count(page, sel) {
  return page.locator(sel).count();
}

/** Locator for the button whose accessible name is exactly `name` (string) or matches `name` (RegExp). */
export function button(page, name) {
  return page.getByRole('button', typeof name === 'string' ? { name, exact: true } : { name });
}

/** Wait for the button named `name` to be visible and click it. */
export async function clickButton(page, name, { timeout = DEFAULT_TIMEOUT } = {}) {
  const b = button(page, name).first();
  await b.waitFor({ state: 'visible', timeout });
  await b.click({ timeout });
  return b;
}

/** Locator for the tab whose accessible name is exactly `name`. */
export function tab(page, name) {
  return page.getByRole('tab', { name, exact: true });
}

/** Save a full-page screenshot to test-results/<name>.png and return its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${slug(name)}.png`);
  await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
  return file;
}

export function slug(s) {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'test';
}

/** Pause the run (if it plays) and wait until Play is offered. */
export async function pauseRun(page) {
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  await button(page, 'Play').waitFor();
}

/** Step until at least one message is in flight. */
export async function stepUntilMessage(page, { steps = 400 } = {}) {
  for (let i = 0; i < steps && (await count(page, '[data-msg]')) === 0; i++) await clickButton(page, 'Step');
  assert.ok((await count(page, '[data-msg]')) > 0, 'a message should be in flight');
}
