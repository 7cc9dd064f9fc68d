#!/usr/bin/env node
// Regenerate the README's screenshots (docs/screenshot-raft.png, docs/screenshot-2pc.png,
// 1400x900) from the page at FAULTLAB_URL (default http://127.0.0.1:8080/), e.g. a
// served release build. Not a test: run by hand after a visible UI change.
//
// Raft: a crashed leader (node 1, holding an entry nobody else has) and a follower that
// missed several entries, both just restarted under the term-2 leader, with heartbeats
// in flight. 2PC: the seed's delete-2pc demo in its voting phase.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const url = (process.env.FAULTLAB_URL || 'http://127.0.0.1:8080/').replace(/#.*$/, '');
const docs = path.join(here, '..', 'docs');

const raft = {
  format: 'faultlab-scenario/1',
  protocol: 'raft',
  mode: 'textbook',
  seed: 3,
  nodes: 5,
  until_ms: 10100,
  steps: [
    { at_ms: 2500, client: { node: '2', op: 'add', id: 't1', title: 'So What', artist: 'Miles Davis', duration: 545 } },
    { at_ms: 3000, client: { node: '3', op: 'add', id: 't2', title: 'Naima', artist: 'John Coltrane', duration: 261 } },
    { at_ms: 3400, crash: '4' },
    { at_ms: 4000, client: { node: '1', op: 'vote', id: 't2', up: true } },
    { at_ms: 4600, client: { node: '5', op: 'add', id: 't3', title: 'Take Five', artist: 'Dave Brubeck', duration: 324 } },
    { at_ms: 5200, client: { node: '2', op: 'play' } },
    { at_ms: 6100, client: { node: '1', op: 'add', id: 't4', title: 'Blue in Green', artist: 'Miles Davis', duration: 337 } },
    { at_ms: 6101, crash: '1' },
    { at_ms: 9500, client: { node: '3', op: 'add', id: 't5', title: 'Footprints', artist: 'Wayne Shorter', duration: 443 } },
    { at_ms: 9900, restart: '4' },
    { at_ms: 9950, restart: '1' },
  ],
};

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && console.error('console error:', m.text()));

  await page.goto(`${url}#s=${Buffer.from(JSON.stringify(raft)).toString('base64url')}`);
  await page.waitForSelector('[data-role=leader]');
  for (let i = 0; i < 300 && (await page.locator('[data-msg]').count()) < 4; i++) await page.keyboard.press('ArrowRight');
  // Let the heartbeats get half-way (0.01x for about a second of real time).
  await page.locator('input[aria-label=Speed]').fill('-2');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(1100);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(docs, 'screenshot-raft.png') });

  await page.goto(url);
  await page.reload();
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const voting = async () => (await page.locator('[data-state=READY]').count()) >= 2 && (await page.locator('[data-msg]').count()) >= 2;
  for (let i = 0; i < 400 && !(await voting()); i++) await page.keyboard.press('ArrowRight');
  await page.evaluate(() => document.activeElement.blur());
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(docs, 'screenshot-2pc.png') });
  console.error('wrote docs/screenshot-raft.png and docs/screenshot-2pc.png');
} finally {
  await browser.close();
}
