#!/usr/bin/env node
// Tiny e2e runner: node e2e/run.mjs [substring ...]
//
// Imports every e2e/*.test.mjs (which register tests with `test()` from lib.mjs),
// keeps the tests whose "file: name" contains any of the given substrings, and runs
// each in a fresh headless Chromium. A test fails if it throws, exceeds the per-test
// timeout, or the page logs a console error, throws an uncaught error, or requests
// anything from a host other than 127.0.0.1/localhost.
//
// Env: FAULTLAB_URL (default http://127.0.0.1:8080/), E2E_TEST_TIMEOUT_MS (60000),
//      CHROMIUM (/usr/bin/chromium), E2E_ARTIFACTS_DIR (test-results/).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  DEFAULT_TIMEOUT,
  isLocalUrl,
  registry,
  screenshot,
  setCurrentFile,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const url = process.env.FAULTLAB_URL || 'http://127.0.0.1:8080/';
const testTimeout = Number(process.env.E2E_TEST_TIMEOUT_MS || 60_000);
const filters = process.argv.slice(2);

for (const file of readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort()) {
  setCurrentFile(file.replace(/\.test\.mjs$/, ''));
  await import(pathToFileURL(path.join(here, file)).href);
}

const selected = registry.filter(
  (t) => filters.length === 0 || filters.some((f) => `${t.file}: ${t.name}`.includes(f)),
);

console.log(`e2e: running ${selected.length} test(s) against ${url}`);
let passed = 0;
let failed = 0;
for (const t of selected) {
  const started = Date.now();
  try {
    await runOne(t);
    passed++;
    console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${t.name} (${Date.now() - started} ms)`);
    console.log(indent(errorText(e)));
    if (e?.problems?.length) console.log(indent(`page problems:\n${e.problems.join('\n')}`));
    if (e?.screenshot) console.log(`  screenshot: ${path.relative(process.cwd(), e.screenshot)}`);
  }
}
if (selected.length === 0) {
  console.log(filters.length ? `no test matches ${JSON.stringify(filters)}` : 'no tests found');
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || selected.length === 0 ? 1 : 0;

async function runOne(t) {
  const problems = [];
  let browser;
  let page;
  let timer;
  const body = async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    context.setDefaultTimeout(DEFAULT_TIMEOUT);
    context.on('request', (req) => {
      if (!isLocalUrl(req.url())) problems.push(`request to a non-local host: ${req.method()} ${req.url()}`);
    });
    context.on('page', (p) => watchPage(p, problems));
    page = await context.newPage();
    await t.fn({ page, context, url, problems });
  };
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${testTimeout / 1000} s`)), testTimeout);
  });
  try {
    await Promise.race([body(), timeout]);
    if (problems.length > 0) {
      const e = new Error('the page reported problems');
      e.stack = e.message; // the runner's own frames are noise
      throw e;
    }
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    // Errors seen by the page usually explain a failed assertion or a timeout.
    err.problems = [...problems];
    err.screenshot = await screenshotOnFailure(page, t.name);
    throw err;
  } finally {
    clearTimeout(timer);
    await browser?.close().catch(() => {});
  }
}

function watchPage(page, problems) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location();
    const where = loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '';
    problems.push(`console error: ${msg.text()}${where}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack || err.message || err}`));
  page.on('crash', () => problems.push('page crashed'));
}

async function screenshotOnFailure(page, name) {
  if (!page || page.isClosed()) return undefined;
  try {
    return await screenshot(page, `failed-${name}`);
  } catch {
    return undefined; // best effort
  }
}

function errorText(e) {
  if (!(e instanceof Error)) return String(e);
  // Keep the message (Playwright's includes a useful call log, capped) and only the
  // stack frames that point into the test files and helpers.
  const message = (e.stack || e.message).split('\n').filter((l) => !/^\s+at /.test(l));
  const frames = (e.stack || '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l) && l.includes(here) && !l.includes('node_modules') && !l.includes('run.mjs'));
  const lines = message.length > 25 ? [...message.slice(0, 25), '...'] : message;
  const text = [...lines, ...frames].join('\n');
  return e.cause ? `${text}\ncaused by: ${errorText(e.cause)}` : text;
}

function indent(s) {
  return s
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
