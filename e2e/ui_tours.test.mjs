// Guided tours against the built app. Every tour in crates/sim/tours/ runs end to end:
// open it from the Tours menu, press Next through every stop checking that the caption
// is the stop's and that the page shows what the stop claims (its `expect`: data-role,
// data-state, data-up of the nodes, the violation banner), then Previous goes back and
// Exit leaves. Also: the N/P keys, leaving the tour by acting on the run, a tour link,
// a phone-sized viewport, and a tour file that is slow, missing or broken (the page
// fetches tours/<name>.json when a tour opens). Any console error fails a test (the
// runner).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, button, clickButton, gotoApp, test, text, waitFor, waitUntil } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const toursDir = path.join(here, '..', 'crates', 'sim', 'tours');
const tours = readdirSync(toursDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ''), ...JSON.parse(readFileSync(path.join(toursDir, f), 'utf8')) }));

const card = (name) => `[data-tour="${name}"]`;

/** Open the Tours menu and start tour `name`; wait for its card at stop 1. */
async function startTour(page, name) {
  await clickButton(page, 'Tours');
  await page.locator(`[data-tour-item="${name}"]`).click();
  await waitFor(page, `${card(name)}[data-tour-stop="1"]`);
}

async function caption(page) {
  return text(page, '[data-testid=tour-caption]');
}

/** Wait until the card shows stop `k` (1-based) with `want` as its caption. */
async function atStop(page, name, k, want) {
  await waitUntil(
    async () => (await page.getAttribute(card(name), 'data-tour-stop')) === String(k) && (await caption(page)) === want,
    { message: `${name}: stop ${k} with its caption` },
  );
}

/** The page shows what the stop claims: node attributes and the violation banner. */
async function checkClaims(page, tour, k) {
  const expect = tour.stops[k].expect;
  if (!expect) return;
  const where = `${tour.name} stop ${k + 1}`;
  for (const [node, claims] of Object.entries(expect.nodes ?? {})) {
    const sel = `[data-node="${node}"]`;
    const attrs = { role: 'data-role', state: 'data-state', up: 'data-up' };
    for (const [key, attr] of Object.entries(attrs)) {
      if (!(key in claims)) continue;
      const want = String(claims[key]).toLowerCase();
      await waitUntil(async () => ((await page.getAttribute(sel, attr)) ?? '').toLowerCase() === want, {
        message: `${where}: ${sel} ${attr}=${want}`,
      });
    }
  }
  for (const inv of expect.violations ?? []) {
    await waitFor(page, `.violations [data-invariant="${inv}"]`);
  }
}

for (const tour of tours) {
  test(`tours: ${tour.name} runs end to end`, async ({ page, url }) => {
    await gotoApp(page, url);
    await startTour(page, tour.name);
    const tabName = tour.protocol === 'raft' ? 'Raft' : '2PC';
    assert.equal(await page.getByRole('tab', { name: tabName, exact: true }).getAttribute('aria-selected'), 'true');
    assert.equal(await text(page, '[data-testid=tour-count]'), `Stop 1 of ${tour.stops.length}`);
    assert.equal(await button(page, 'Previous').isDisabled(), true);
    // Paused at each stop.
    await button(page, 'Play').waitFor();
    let previous = '';
    for (let k = 0; k < tour.stops.length; k++) {
      await atStop(page, tour.name, k + 1, tour.stops[k].caption);
      assert.notEqual(tour.stops[k].caption, previous, 'the caption changes');
      previous = tour.stops[k].caption;
      if (tour.stops[k].title) assert.equal(await text(page, '[data-testid=tour-stop-title]'), tour.stops[k].title);
      await checkClaims(page, tour, k);
      if (k + 1 < tour.stops.length) await clickButton(page, 'Next');
    }
    assert.equal(await button(page, 'Next').isDisabled(), true, 'Next stops at the last stop');
    if (tour.violation) {
      // An as-submitted tour ends on the violation its counterexample found.
      await waitFor(page, `.violations [data-invariant="${tour.violation}"]`);
    }
    if (tour.stops.length > 1) {
      await clickButton(page, 'Previous');
      const k = tour.stops.length - 2;
      await atStop(page, tour.name, k + 1, tour.stops[k].caption);
      await checkClaims(page, tour, k);
    }
    await clickButton(page, 'Exit tour');
    await page.locator('[data-tour]').waitFor({ state: 'detached' });
  });
}

test('tours: the menu lists every tour under its protocol', async ({ page, url }) => {
  await gotoApp(page, url);
  await clickButton(page, 'Tours');
  for (const t of tours) {
    const group = t.protocol === 'raft' ? 'Raft tours' : '2PC tours';
    const item = page.getByRole('region', { name: group }).locator(`[data-tour-item="${t.name}"]`);
    assert.equal(await item.count(), 1, t.name);
    assert.ok((await item.textContent()).includes(t.title), t.name);
  }
  assert.equal(await page.getAttribute('button[aria-controls=tour-list]', 'aria-expanded'), 'true');
  await clickButton(page, 'Tours');
  await page.locator('#tour-list').waitFor({ state: 'detached' });
  // A click outside the list closes it too.
  await clickButton(page, 'Tours');
  await waitFor(page, '#tour-list');
  await page.mouse.click(20, 700);
  await page.locator('#tour-list').waitFor({ state: 'detached' });
});

test('tours: N and P move between stops; the buttons are focusable', async ({ page, url }) => {
  const t = tours.find((x) => x.name === 'raft-election');
  await gotoApp(page, url);
  await startTour(page, t.name);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('n');
  await atStop(page, t.name, 2, t.stops[1].caption);
  await page.keyboard.press('n');
  await atStop(page, t.name, 3, t.stops[2].caption);
  await page.keyboard.press('p');
  await atStop(page, t.name, 2, t.stops[1].caption);
  // Tab order reaches Previous and Next; Enter on a focused Next moves on.
  const next = button(page, 'Next');
  await next.focus();
  assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Next ›');
  await page.keyboard.press('Enter');
  await atStop(page, t.name, 3, t.stops[2].caption);
});

test('tours: acting on the run leaves the tour; Restart brings it back', async ({ page, url }) => {
  const t = tours.find((x) => x.name === 'raft-election');
  await gotoApp(page, url);
  await startTour(page, t.name);
  await clickButton(page, 'Next');
  await atStop(page, t.name, 2, t.stops[1].caption);
  // Stepping does not leave it, and the card offers the way back.
  await clickButton(page, 'Step');
  await clickButton(page, 'Back to this stop');
  await waitUntil(async () => (await page.locator('.tour__away').count()) === 0, { message: 'back at the stop' });
  // Crashing a node forks the run: the card says the run has left the tour.
  await page.locator('[data-node="2"]').click();
  const dialog = page.getByRole('dialog', { name: 'Node 2' });
  await dialog.getByRole('button', { name: 'Crash', exact: true }).click();
  await waitFor(page, `${card(t.name)}[data-tour-left="true"]`);
  assert.match(await caption(page), /left the tour/);
  assert.equal(await button(page, 'Next').count(), 0, 'no stale Next');
  await clickButton(page, 'Restart tour');
  await atStop(page, t.name, 1, t.stops[0].caption);
  assert.equal(await page.getAttribute(card(t.name), 'data-tour-left'), 'false');
  assert.equal(await page.getAttribute('[data-node="2"]', 'data-up'), 'true', 'the tour run again');
});

test('tours: a link reopens the tour at its stop', async ({ page, url }) => {
  const t = tours.find((x) => x.name === '2pc-blocking');
  await gotoApp(page, url);
  await startTour(page, t.name);
  await clickButton(page, 'Next');
  await clickButton(page, 'Next');
  await atStop(page, t.name, 3, t.stops[2].caption);
  await waitUntil(async () => page.url().includes('#s='), { message: 'the URL carries the run' });
  await page.reload();
  await atStop(page, t.name, 3, t.stops[2].caption);
  await checkClaims(page, t, 2);
});

test('tours: the card stays readable on a 390 px phone', async ({ page, url }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const t = tours.find((x) => x.name === '2pc-blocking');
  await gotoApp(page, url);
  await startTour(page, t.name);
  for (let k = 1; k < 6; k++) await clickButton(page, 'Next');
  await atStop(page, t.name, 6, t.stops[5].caption);
  const box = await page.locator(card(t.name)).boundingBox();
  assert.ok(box && box.width <= 390 && box.x >= 0, `the card fits the width: ${JSON.stringify(box)}`);
  for (const name of ['Previous', 'Next', 'Exit tour']) {
    const b = await button(page, name).boundingBox();
    assert.ok(b && b.x >= 0 && b.x + b.width <= 390 && b.height >= 24, `${name} is reachable: ${JSON.stringify(b)}`);
  }
  const fontPx = await page.locator('[data-testid=tour-caption]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(fontPx >= 13, `caption font ${fontPx}px`);
});

test('tours: a tour file loads on demand; a missing or broken one is a notice', async ({ page, url, problems }) => {
  await gotoApp(page, url);
  // The default run plays; a tour that fails to load must leave it playing.
  await button(page, 'Pause').waitFor();
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  await page.route('**/tours/raft-election.json', async (route) => {
    await held;
    await route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' });
  });
  await page.route('**/tours/raft-figure8.json', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: '{ "format": ' }),
  );
  await clickButton(page, 'Tours');
  await page.locator('[data-tour-item="raft-election"]').click();
  await waitFor(page, `${card('raft-election')}[data-tour-loading="true"]`);
  assert.equal(await caption(page), 'Loading tour…');
  release();
  const notice = '.notice--error .notice__text';
  await waitUntil(async () => /HTTP 404/.test((await page.textContent(notice).catch(() => null)) ?? ''), {
    message: 'a notice names the 404',
  });
  assert.match(await text(page, notice), /Raft: leader election/);
  await page.locator('[data-tour]').waitFor({ state: 'detached' });
  await button(page, 'Pause').waitFor();
  // Chromium logs the 404 on the console: that one is expected here.
  const rest = problems.filter((p) => !/status of 404/.test(p));
  problems.splice(0, problems.length, ...rest);

  await clickButton(page, 'Tours');
  await page.locator('[data-tour-item="raft-figure8"]').click();
  await waitUntil(async () => /not a valid tour/.test((await page.textContent(notice).catch(() => null)) ?? ''), {
    message: 'a notice names the broken file',
  });
  assert.match(await text(page, notice), /tours\/raft-figure8\.json/);
  assert.equal(await page.locator('[data-tour]').count(), 0);
  await button(page, 'Pause').waitFor();
});
