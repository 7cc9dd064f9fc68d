// The page's generic controls against the built app: nodes render, Play/Pause/Step/
// Step back work, step back restores the exact earlier state, dropping a message
// removes it, crashing a node marks it down, links reproduce a run, and a garbage
// link shows an error while a default simulation keeps running.
import { assert, button, clickButton, count, gotoApp, sleep, test, text, waitFor, waitUntil, pauseRun as pause, stepUntilMessage } from './lib.mjs';

/** Event counter as a number. */
async function eventNo(page) {
  return Number(await text(page, '[data-testid=event-counter]'));
}

/** Everything a test can see of the cluster: node attributes, messages in flight, counter. */
async function snapshot(page) {
  return page.evaluate(() => {
    const nodes = [...document.querySelectorAll('[data-node]')].map((n) =>
      ['data-node', 'data-up', 'data-role', 'data-state', 'aria-label'].map((a) => n.getAttribute(a)).join('|'),
    );
    const msgs = [...document.querySelectorAll('[data-msg]')].map((m) => `${m.dataset.msg}:${m.dataset.rpc}`).sort();
    const counter = document.querySelector('[data-testid=event-counter]')?.textContent;
    return JSON.stringify({ nodes, msgs, counter });
  });
}

test('ui: nodes render on the ring and the run plays', async ({ page, url }) => {
  await gotoApp(page, url);
  await waitFor(page, '[data-node="1"]');
  assert.equal(await count(page, '[data-node]'), 5);
  for (const n of ['1', '2', '3', '4', '5']) {
    assert.equal(await page.getAttribute(`[data-node="${n}"]`, 'data-up'), 'true');
    assert.ok(await page.getAttribute(`[data-node="${n}"]`, 'data-role'));
  }
  // Playing by default: the event counter moves (at the top speed: Raft's first
  // election timeout is 1.5 s of virtual time away).
  await page.locator('input[aria-label=Speed]').fill('2');
  const start = await eventNo(page);
  await waitUntil(async () => (await eventNo(page)) > start, { message: 'events advance while playing' });
  assert.equal(await page.getByRole('tab', { name: 'Raft', exact: true }).count(), 1);
  assert.equal(await page.getByRole('tab', { name: '2PC', exact: true }).count(), 1);
});

test('ui: pause stops the run, play resumes it, step advances one event', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  const paused = await eventNo(page);
  await sleep(400);
  assert.equal(await eventNo(page), paused, 'paused: no events');
  await clickButton(page, 'Step');
  assert.equal(await eventNo(page), paused + 1);
  await clickButton(page, 'Play');
  await waitUntil(async () => (await eventNo(page)) > paused + 1, { message: 'playing again' });
  // Keyboard: Space pauses, → steps, ← steps back.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Space');
  await button(page, 'Play').waitFor();
  const n = await eventNo(page);
  await page.keyboard.press('ArrowRight');
  await waitUntil(async () => (await eventNo(page)) === n + 1, { message: '→ steps' });
  await page.keyboard.press('ArrowLeft');
  await waitUntil(async () => (await eventNo(page)) === n, { message: '← steps back' });
});

test('ui: step back restores the exact earlier state', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await stepUntilMessage(page);
  const before = await snapshot(page);
  for (let i = 0; i < 5; i++) await clickButton(page, 'Step');
  assert.notEqual(await snapshot(page), before, 'five events change something');
  for (let i = 0; i < 5; i++) await clickButton(page, 'Step back');
  assert.equal(await snapshot(page), before);
  // The timeline scrubs to the same place too.
  const n = await eventNo(page);
  await page.locator('input[aria-label=Timeline]').fill(String(n + 3));
  await waitUntil(async () => (await eventNo(page)) === n + 3, { message: 'timeline seek' });
  await page.locator('input[aria-label=Timeline]').fill(String(n));
  await waitUntil(async () => (await snapshot(page)) === before, { message: 'timeline back' });
});

test('ui: dropping a message removes it', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await stepUntilMessage(page);
  const id = await page.getAttribute('[data-msg]', 'data-msg');
  await page.locator(`[data-msg="${id}"]`).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match((await dialog.getAttribute('aria-label')) ?? '', new RegExp(`^Message ${id}\\b`));
  await dialog.getByRole('button', { name: 'Drop', exact: true }).click();
  await waitUntil(async () => (await count(page, `[data-msg="${id}"]`)) === 0, { message: 'message gone' });
  // It died visibly where it was.
  assert.equal(await count(page, `[data-dropped="${id}"]`), 1);
});

test('ui: crashing a node marks it down, restarting brings it back', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await page.locator('[data-node="2"]').click();
  const dialog = page.getByRole('dialog', { name: 'Node 2' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Crash', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="2"]', 'data-up')) === 'false', { message: 'down' });
  await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="2"]', 'data-up')) === 'true', { message: 'up' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
});

test('ui: a shared link reproduces the run', async ({ page, context, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await page.locator('[data-node="4"]').click();
  await page.getByRole('dialog', { name: 'Node 4' }).getByRole('button', { name: 'Crash', exact: true }).click();
  for (let i = 0; i < 12; i++) await clickButton(page, 'Step');
  const shared = page.url();
  assert.match(shared, /#s=/);
  const before = await snapshot(page);
  const other = await context.newPage();
  await gotoApp(other, shared);
  await waitFor(other, '[data-node="4"]');
  await button(other, 'Play').waitFor();
  assert.equal(await snapshot(other), before);
  assert.equal(await other.getAttribute('[data-node="4"]', 'data-up'), 'false');
  await other.close();
});

test('ui: a garbage link shows an error and a default run keeps going', async ({ page, url }) => {
  await gotoApp(page, `${url}#s=not-a-run!!`);
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  assert.match(await alert.textContent(), /link/i);
  assert.equal(await count(page, '[data-node]'), 5);
  await button(page, 'Pause').waitFor();
  await page.locator('input[aria-label=Speed]').fill('2');
  const n = await eventNo(page);
  await waitUntil(async () => (await eventNo(page)) > n, { message: 'the default run plays' });
  // A scenario that parses but is wrong names the field.
  const bad = Buffer.from(JSON.stringify({ format: 'faultlab-scenario/1', protocol: 'raft', steps: [{ at_ms: 5, crash: '42' }] })).toString('base64url');
  await page.goto(`${url}#s=${bad}`);
  await page.reload();
  await waitUntil(async () => /steps\[0\]/.test((await page.getByRole('alert').first().textContent()) ?? ''), { message: 'field named' });
});

test('ui: tabs keep their own runs', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  for (let i = 0; i < 7; i++) await clickButton(page, 'Step');
  const raft = await eventNo(page);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  await pause(page);
  const twopc = await eventNo(page);
  await clickButton(page, 'Step');
  await page.getByRole('tab', { name: 'Raft', exact: true }).click();
  assert.equal(await eventNo(page), raft);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  assert.equal(await eventNo(page), twopc + 1);
});

test('ui: a busy bus plays on a canvas, keeps its hooks, and a click on a dot selects that message', async ({ page, url }) => {
  // 9 nodes, heartbeats every 40 ms, 400-800 ms latency: a few hundred messages in flight.
  const busy = { format: 'faultlab-scenario/1', protocol: 'raft', seed: 1, nodes: 9, until_ms: 1, config: { heartbeat_ms: 40 }, steps: [{ at_ms: 0, latency_ms: [400, 800] }] };
  await gotoApp(page, `${url}#s=${Buffer.from(JSON.stringify(busy)).toString('base64url')}`);
  await waitFor(page, '[data-node="9"]');
  await page.locator('input[aria-label=Speed]').fill('0');
  if (await button(page, 'Play').count()) await clickButton(page, 'Play');
  await waitUntil(async () => (await count(page, '.cluster__hooks [data-msg]')) >= 100, { timeout: 30_000, message: 'a busy bus' });
  // 0.1x from here: still playing (the canvas), but a dot found on it is
  // still there, give or take a pixel, when the click lands.
  await page.locator('input[aria-label=Speed]').fill('-1');
  // While it plays: every message in flight keeps its hook, the dots are on the canvas.
  assert.equal(await count(page, '.cluster__msgs [data-msg]'), 0);
  assert.ok(await page.locator('canvas.cluster__bus').isVisible());
  const rpcs = await page.evaluate(() => [...document.querySelectorAll('.cluster__hooks [data-msg]')].map((m) => m.dataset.rpc));
  assert.ok(rpcs.every((r) => ['AppendEntries', 'RequestVote'].includes(r)), rpcs.join());
  // A dot on the canvas: the centre of a painted pixel run, in page coordinates, well
  // clear of the nodes (a dot that is leaving or reaching one lies over its circle,
  // and a click there is the node's).
  const at = await page.evaluate(() => {
    const c = document.querySelector('canvas.cluster__bus');
    const { data, width, height } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const lit = (x, y) => data[(y * width + x) * 4 + 3] > 200;
    const r = c.getBoundingClientRect();
    const page = (x, y) => ({ x: r.left + (x * r.width) / width, y: r.top + (y * r.height) / height });
    const nearNode = ({ x, y }) =>
      [...document.querySelectorAll('.cluster [data-node]')].some((n) => {
        const b = n.getBoundingClientRect();
        return x > b.left - 24 && x < b.right + 24 && y > b.top - 24 && y < b.bottom + 24;
      });
    for (let y = 4; y < height - 4; y++)
      for (let x = 4; x < width - 4; x++)
        if (lit(x, y) && lit(x - 3, y) && lit(x + 3, y) && lit(x, y - 3) && lit(x, y + 3) && !nearNode(page(x, y))) return page(x, y);
    return null;
  });
  assert.ok(at, 'a dot is painted');
  await page.mouse.click(at.x, at.y);
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match((await dialog.getAttribute('aria-label')) ?? '', /^Message \d+/);
  // Paused, each dot is its own element again and the canvas is hidden.
  await pause(page);
  await waitUntil(async () => (await count(page, '.cluster__msgs [data-msg]')) >= 65, { message: 'dots as elements' });
  assert.equal(await count(page, '.cluster__hooks [data-msg]'), 0);
  assert.equal(await page.locator('canvas.cluster__bus').isVisible(), false);
});
