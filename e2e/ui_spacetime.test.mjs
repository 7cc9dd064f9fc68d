// The space-time diagram against the built app: lifelines and RPC-coloured arrows,
// clicking an event seeks the run there (and the cluster view shows that moment), a
// message in flight ends on the now line and a dropped one in an ✕, each tab keeps
// its stage, the SVG export is a standalone file that renders on its own,
// zoom/pan/follow and keyboard, the 2PC tab's lanes and state marks, a 390 px phone,
// and speed at event 100 000.
import { readFileSync } from 'node:fs';

import { assert, button, clickButton, count, gotoApp, test, text, texts, waitFor, waitUntil } from './lib.mjs';

async function eventNo(page) {
  return Number(await text(page, '[data-testid=event-counter]'));
}

async function pause(page) {
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  await button(page, 'Play').waitFor();
}

/** Show the space-time diagram in the stage and wait for its lifelines. */
async function openDiagram(page) {
  await clickButton(page, 'Space-time');
  await waitFor(page, '.st__svg [data-lane]');
}

/** Run (fast) until the counter passes `n`, then pause. */
async function runPast(page, n) {
  await page.locator('input[aria-label=Speed]').fill('2');
  if (await button(page, 'Play').count()) await clickButton(page, 'Play');
  await waitUntil(async () => (await eventNo(page)) > n, { message: `event > ${n}` });
  await pause(page);
}

/** The end point (last coordinate pair) of an SVG path `d`. */
function pathEnd(d) {
  const nums = d.match(/-?\d+(\.\d+)?/g).map(Number);
  return { x: nums[nums.length - 2], y: nums[nums.length - 1] };
}

/**
 * A clickable element of the diagram matching `sel` whose centre is really on top
 * (not covered by another element), as `{ event, msg, x, y }` in page coordinates.
 */
async function clickable(page, sel, { before } = {}) {
  return page.evaluate(
    ({ sel, before }) => {
      const box = document.querySelector('.st-viewport').getBoundingClientRect();
      for (const el of [...document.querySelectorAll(sel)].reverse()) {
        const event = Number(el.getAttribute('data-spacetime-event'));
        if (before !== undefined && !(event < before)) continue;
        const r = el.getBoundingClientRect();
        const x = r.x + r.width / 2;
        const y = r.y + r.height / 2;
        if (x < box.left + 2 || x > box.right - 2 || y < box.top + 60 || y > box.bottom - 2) continue;
        const hit = document.elementFromPoint(x, y)?.closest('[data-spacetime-event]');
        if (hit && Number(hit.getAttribute('data-spacetime-event')) === event) {
          return { event, msg: el.getAttribute('data-spacetime-msg'), x, y };
        }
      }
      return null;
    },
    { sel, before },
  );
}

test('spacetime: lifelines, RPC-coloured arrows, and a click seeks the run there', async ({ page, url }) => {
  await gotoApp(page, url);
  await runPast(page, 60);
  await openDiagram(page);
  assert.deepEqual(await page.locator('[data-lane]').evaluateAll((els) => els.map((e) => e.dataset.lane)), ['1', '2', '3', '4', '5']);
  assert.equal(await count(page, '.st__life'), 5, 'one lifeline per node');
  const rpcs = await page.locator('.st__arrow[data-rpc]').evaluateAll((els) => els.map((e) => e.dataset.rpc));
  assert.ok(rpcs.length > 0, 'arrows are drawn');
  const legend = await texts(page, '.legend li');
  for (const r of new Set(rpcs)) assert.ok(legend.includes(r), `RPC ${r} is in the legend (${legend})`);
  // Coloured like the cluster view: the arrow carries the RPC's palette class.
  const cls = await page.locator('.st__arrow[data-rpc="AppendEntries"]').first().getAttribute('class');
  assert.match(cls, /\brpc-1\b/);
  assert.ok((await count(page, '.st__arrow.st__arrow--reply')) > 0, 'replies are told apart');
  assert.equal(await page.getAttribute('.st__svg', 'data-spacetime-cursor'), String(await eventNo(page)));

  // Click the send of an earlier message: the run goes there.
  const cursor = await eventNo(page);
  const target = await clickable(page, '.st__send:not(.st__future-item)', { before: cursor - 2 });
  assert.ok(target, 'an earlier send is visible and clickable');
  await page.mouse.click(target.x, target.y);
  await waitUntil(async () => (await eventNo(page)) === target.event, { message: `seek to ${target.event}` });
  assert.equal(await page.locator('input[aria-label=Timeline]').inputValue(), String(target.event));
  assert.match((await page.getAttribute(`.st__arrow[data-spacetime-msg="${target.msg}"]`, 'class')) ?? '', /st__current/);
  assert.equal(await page.getAttribute(`.st__arrow[data-spacetime-msg="${target.msg}"]`, 'data-end'), 'in-flight');
  // Later events are still drawn, faintly, and can be clicked to go forward.
  assert.ok((await count(page, '.st__arrow.st__future-item')) > 0, 'the future is drawn');
  // The cluster view shows that moment: the message just sent is in flight.
  await clickButton(page, 'Cluster');
  await waitFor(page, `[data-msg="${target.msg}"]`);
});

test('spacetime: a message in flight ends on the now line, a dropped one in an ✕', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await openDiagram(page);
  // Step until a message has been on its way for a while (its arrow has a length).
  const flying = async () =>
    page.evaluate(() => {
      for (const a of document.querySelectorAll('.st__arrow[data-end="in-flight"]')) {
        const n = a.querySelector('.st__shaft').getAttribute('d').match(/-?\d+(\.\d+)?/g).map(Number);
        if (Math.hypot(n[2] - n[0], n[3] - n[1]) > 20) return a.getAttribute('data-spacetime-msg');
      }
      return null;
    });
  let id = null;
  for (let i = 0; i < 300 && !(id = await flying()); i++) await clickButton(page, 'Step');
  assert.ok(id, 'a message is in flight');
  const arrow = `.st__arrow[data-spacetime-msg="${id}"]`;
  const end = pathEnd(await page.getAttribute(`${arrow} .st__shaft`, 'd'));
  const nowY = Number(await page.getAttribute('.st__now line', 'y1'));
  assert.ok(Math.abs(end.y - nowY) < 0.2, `open end at y=${end.y}, now line at ${nowY}`);
  assert.equal(await count(page, `${arrow} .st__head`), 1);

  // Drop it from the cluster view; the diagram shows where it died.
  await clickButton(page, 'Cluster');
  await page.locator(`[data-msg="${id}"]`).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Drop', exact: true }).click();
  await waitUntil(async () => (await count(page, `[data-msg="${id}"]`)) === 0, { message: 'dropped' });
  await openDiagram(page);
  await waitFor(page, `.st__drop[data-spacetime-msg="${id}"]`);
  assert.equal(await page.getAttribute(`.st__drop[data-spacetime-msg="${id}"]`, 'data-reason'), 'user');
  assert.equal(await page.getAttribute(arrow, 'data-end'), 'dropped');
  assert.equal(await count(page, `${arrow} .st__head`), 0, 'a cross, no head');
});

test('spacetime: Export SVG downloads a standalone drawing', async ({ page, url }) => {
  await gotoApp(page, url);
  await runPast(page, 40);
  await openDiagram(page);
  const download = page.waitForEvent('download');
  await clickButton(page, 'Export SVG');
  const file = await download;
  assert.match(file.suggestedFilename(), /^faultlab-raft-seed1-event\d+-spacetime\.svg$/);
  const svg = readFileSync(await file.path(), 'utf8');
  assert.ok(svg.startsWith('<?xml'), svg.slice(0, 60));
  assert.match(svg, /<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/class="st__life[ "]/g) ?? []).length, 5, 'five lifelines');
  assert.match(svg, /data-lane="3"/);
  const style = svg.match(/<style><!\[CDATA\[([\s\S]*?)\]\]><\/style>/)?.[1] ?? '';
  for (const rule of ['.st__shaft', '.st__life', '.rpc-1', '--rpc-1:', '--sans:']) assert.ok(style.includes(rule), `inlined styles have ${rule}`);
  assert.ok(!style.includes('.st-bar') && !style.includes('@media'), 'only the drawing\'s rules');
  assert.doesNotMatch(svg, /&nbsp;/);
  // It parses as XML and renders on its own, in colour (the inlined styles apply).
  const verdict = await page.evaluate(async (text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    if (doc.querySelector('parsererror')) return `parse error: ${doc.querySelector('parsererror').textContent}`;
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(text)))}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    let orange = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] > 150 && px[i] - px[i + 2] > 100) orange++;
    return orange > 30 ? 'ok' : `only ${orange} AppendEntries-coloured pixels in ${c.width}x${c.height}`;
  }, svg);
  assert.equal(verdict, 'ok');
});

test('spacetime: zoom, scroll back, follow again, and keyboard', async ({ page, url }) => {
  await gotoApp(page, url);
  await runPast(page, 120);
  await openDiagram(page);
  assert.equal(await text(page, '.st-zoom'), '1 px/ms');
  await clickButton(page, 'Zoom in');
  await waitUntil(async () => (await text(page, '.st-zoom')) === '2 px/ms', { message: 'zoomed in' });
  assert.ok(await button(page, 'Follow the cursor').isDisabled(), 'following the cursor');
  const earliest = async () =>
    Math.min(...(await page.locator('[data-spacetime-event]').evaluateAll((els) => els.map((e) => Number(e.dataset.spacetimeEvent)))));
  const before = await earliest();
  await clickButton(page, 'Earlier');
  await waitUntil(async () => (await earliest()) < before, { message: 'earlier events shown' });
  assert.ok(await button(page, 'Follow the cursor').isEnabled());
  await clickButton(page, 'Follow the cursor');
  await waitUntil(async () => (await earliest()) === before, { message: 'back at the cursor' });
  // Keys on the focused drawing: Page Up scrolls back, "-" zooms out, End follows.
  await page.locator('.st-viewport').focus();
  await page.keyboard.press('PageUp');
  await waitUntil(async () => (await earliest()) < before, { message: 'Page Up' });
  await page.keyboard.press('-');
  await waitUntil(async () => (await text(page, '.st-zoom')) === '1 px/ms', { message: '- zooms out' });
  await page.keyboard.press('End');
  await waitUntil(async () => await button(page, 'Follow the cursor').isDisabled(), { message: 'End follows' });
  // The wheel scrolls too.
  const box = await page.locator('.st-viewport').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -400);
  await waitUntil(async () => await button(page, 'Follow the cursor').isEnabled(), { message: 'wheel scrolls' });
  // So does dragging (down shows earlier times), and the drag is not a click.
  await clickButton(page, 'Follow the cursor');
  await waitUntil(async () => await button(page, 'Follow the cursor').isDisabled(), { message: 'following again' });
  const base = await earliest();
  const topTime = async () => Math.min(...(await page.locator('.st__axis text').allTextContents()).map(Number));
  const baseTop = await topTime();
  const at = await eventNo(page);
  await page.mouse.move(box.x + box.width / 2, box.y + 120);
  await page.mouse.down();
  for (let dy = 20; dy <= 300; dy += 20) await page.mouse.move(box.x + box.width / 2, box.y + 120 + dy);
  await page.mouse.up();
  await waitUntil(async () => (await earliest()) < base, { message: 'dragging scrolls back' });
  // The whole drag counts (300 px: a couple of heartbeat rounds), not just its start.
  await waitUntil(async () => baseTop - (await topTime()) > 1.0, { message: 'dragged 300 px back' });
  assert.equal(await eventNo(page), at, 'a drag does not seek');
  // Scrolling back while the run plays pauses it there.
  await clickButton(page, 'Follow the cursor');
  await clickButton(page, 'Play');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await button(page, 'Play').waitFor();
  assert.ok(await button(page, 'Follow the cursor').isEnabled(), 'still scrolled back');
});

test('spacetime: the 2PC tab, its state marks, and a mark reached by keyboard', async ({ page, url }) => {
  await gotoApp(page, url);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  // The tab opens on the seed's delete-2pc demo: 20 events.
  await runPast(page, 15);
  await openDiagram(page);
  const lanes = await page.locator('[data-lane]').evaluateAll((els) => els.map((e) => e.dataset.lane));
  assert.ok(lanes.includes('http-node1') && lanes.some((l) => l.startsWith('grpc-node')), `lanes: ${lanes}`);
  await waitFor(page, '[data-mark=state]', { state: 'attached' });
  const states = await page.locator('[data-mark=state] .st__label').allTextContents();
  assert.ok(states.some((s) => /^(WAIT|READY|COMMIT|ABORT)$/.test(s)), `state marks: ${states}`);
  // Marks are focusable: Enter on one goes to its event.
  const mark = page.locator('[data-mark=state]:not(.st__future-item)').first();
  const event = Number(await mark.getAttribute('data-spacetime-event'));
  await mark.focus();
  await page.keyboard.press('Enter');
  await waitUntil(async () => (await eventNo(page)) === event, { message: `Enter seeks to ${event}` });
  // The mark keeps the focus through the redraw.
  await waitUntil(async () => page.evaluate((e) => document.activeElement?.getAttribute('data-spacetime-event') === String(e), event), {
    message: 'focus stays on the mark',
  });
});

test('spacetime: each tab keeps its stage (diagram or cluster) across tab switches', async ({ page, url }) => {
  await gotoApp(page, url);
  await openDiagram(page);
  // The 2PC tab was never switched: it shows its cluster.
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  await waitFor(page, '[data-node]');
  assert.equal(await count(page, '.st__svg'), 0, '2PC opens on its cluster');
  // Back on Raft: still the diagram, still switchable.
  await page.getByRole('tab', { name: 'Raft', exact: true }).click();
  await waitFor(page, '.st__svg [data-lane]');
  assert.equal(await count(page, '.cluster [data-node]'), 0, 'Raft kept its diagram');
  await clickButton(page, 'Cluster');
  await waitFor(page, '.cluster [data-node]');
  assert.equal(await count(page, '.st__svg'), 0, 'the switch still works');
});

test('spacetime: fits a 390 px phone', async ({ page, url }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await gotoApp(page, url);
  await runPast(page, 40);
  await openDiagram(page);
  const box = await page.locator('.st__svg').boundingBox();
  assert.ok(box.width <= 390 && box.width > 300 && box.height > 300, `drawing ${box.width}x${box.height}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  // The cluster view fits as well (the stage had collapsed in one column).
  await clickButton(page, 'Cluster');
  const cluster = await page.locator('svg.cluster').boundingBox();
  assert.ok(cluster.width > 300 && cluster.height > 300 && cluster.x + cluster.width <= 390, `cluster ${JSON.stringify(cluster)}`);
  await openDiagram(page);
  assert.ok(overflow <= 390, `page is ${overflow} px wide`);
  const xs = await page.locator('[data-lane] .st__name').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().right));
  assert.ok(xs.every((x) => x <= box.x + box.width), 'every lane name is on screen');
  for (const name of ['Zoom in', 'Earlier', 'Export SVG']) assert.ok(await button(page, name).isVisible(), name);
});

test('spacetime: stays fast at event 100 000', async ({ page, url }) => {
  const scenario = {
    format: 'faultlab-scenario/1',
    protocol: 'raft',
    seed: 5,
    until_ms: 1000,
    config: { heartbeat_ms: 50 },
    steps: [],
    _event: 100000,
  };
  await gotoApp(page, `${url}#s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`);
  await waitUntil(async () => (await eventNo(page)) === 100000, { timeout: 30_000, message: 'at event 100 000' });
  await openDiagram(page);
  assert.ok((await count(page, '.st__arrow')) < 400, 'only what is visible is drawn');
  const ms = await page.evaluate(async () => {
    const back = document.querySelector('button[aria-label="Step back"]');
    const times = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      back.click();
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[10];
  });
  console.log(`    space-time diagram at event 100 000: ${ms.toFixed(1)} ms per step back (median)`);
  assert.ok(ms < 250, `a step back takes ${ms} ms`);
  // The diagram followed every step.
  await waitUntil(async () => (await page.getAttribute('.st__svg', 'data-spacetime-cursor')) === String(await eventNo(page)), {
    message: 'the diagram is at the cursor',
  });
  assert.equal(await eventNo(page), 100000 - 20);
});
