// Counterexamples as runs, and "Find a bug": an explorer counterexample's link (made
// by the CLI during the test) opens on its violation and steps back through its
// choices; "Find a bug" in as-submitted 2PC opens the first failing chaos seed at its
// violation, and the CLI command it shows reproduces it; a textbook hunt can be
// cancelled and finishes clean. Screenshots of a hunt and of an opened counterexample
// go to test-results/.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assert, button, clickButton, count, gotoApp, screenshot, tab, test, text, waitFor, waitUntil } from './lib.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Run faultlab-cli (built by cargo if needed) and parse its one JSON object. */
function cli(args) {
  const r = spawnSync('cargo', ['run', '-q', '--locked', '-p', 'faultlab-cli', '--', ...args, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: 50_000,
  });
  if (r.status !== 0) throw new Error(`faultlab-cli ${args.join(' ')} failed (${r.status}): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

/** The test server's page for a link printed by the CLI (same fragment, our origin). */
const onServer = (url, link) => `${url.replace(/#.*$/, '')}${new URL(link).hash}`;

const counter = async (page) => Number(await text(page, '[data-testid=event-counter]'));

test('ui: an explorer counterexample opens on its violation and steps back through its choices', async ({ page, url }) => {
  const started = Date.now();
  const report = cli(['explore', '--protocol', '2pc', '--mode', 'as-submitted', '--nodes', '3']);
  console.log(`    (explore: ${Date.now() - started} ms, ${report.counterexamples.length} counterexamples)`);
  const cx = report.counterexamples.find((c) => c.invariant === 'durability') ?? report.counterexamples[0];
  assert.ok(cx, 'as-submitted 2PC has a counterexample');
  assert.ok(cx.gap_ms > 0, 'it is laid out on a timeline');

  await gotoApp(page, onServer(url, cx.url));
  await tab(page, '2PC').and(page.locator('[aria-selected=true]')).waitFor();
  const banner = await waitFor(page, `.violation[data-invariant="${cx.invariant}"]`);
  assert.match(await banner.textContent(), new RegExp(`Invariant violated: ${cx.invariant}`));
  const event = Number(await banner.getAttribute('data-event'));
  // Landed on the violation, paused, at the scenario's last step.
  await button(page, 'Play').waitFor();
  assert.equal(await counter(page), event);
  assert.equal(await text(page, '[data-testid=virtual-time]'), `${(cx.scenario.until_ms / 1000).toFixed(3)} s`);
  assert.match(await banner.getAttribute('class'), /violation--here/);
  assert.ok((await count(page, `.timeline-mark[data-event="${event}"]`)) >= 1, "marked on the timeline");
  assert.match(await text(page, '.notice__text'), new RegExp(`shortest run that violates ${cx.invariant}`));
  await screenshot(page, 'hunt-explorer-counterexample');

  // Step back to the start: every choice is its own event at its own time.
  const times = new Set();
  let inFlight = 0;
  while ((await counter(page)) > 0) {
    await clickButton(page, 'Step back');
    times.add(await text(page, '[data-testid=virtual-time]'));
    inFlight = Math.max(inFlight, await count(page, '[data-msg]'));
  }
  assert.equal(await count(page, '.violation--here'), 0);
  assert.ok(times.size >= cx.depth, `choices at distinct times: ${[...times]}`);
  assert.ok(inFlight > 0, 'messages are drawn in flight on the way');
  // The banner still names it, and jumps back to it.
  await clickButton(page, `Jump to event ${event}`);
  await waitUntil(async () => (await counter(page)) === event, { message: 'jumped to the violation' });
  await waitFor(page, `.violation--here[data-invariant="${cx.invariant}"]`);
});

test('ui: Find a bug in as-submitted 2PC opens the first failing seed at its violation', async ({ page, url }) => {
  await gotoApp(page, url);
  await tab(page, '2PC').click();
  await page.getByRole('combobox', { name: 'Mode', exact: true }).selectOption('as-submitted');
  await clickButton(page, 'Find a bug');
  const bar = page.locator('[data-hunt]');
  await waitUntil(async () => (await bar.getAttribute('data-hunt')) === 'found', { timeout: 30_000, message: 'a failing seed' });
  const result = await text(page, '.hunt__result');
  const [, seed, invariant] = result.match(/Seed (\d+) violates (\w+)/) ?? [];
  assert.ok(seed !== undefined, result);
  // Opened in the 2PC tab, paused on the violation, the banner naming it.
  await tab(page, '2PC').and(page.locator('[aria-selected=true]')).waitFor();
  const banner = await waitFor(page, `.violation[data-invariant="${invariant}"]`);
  assert.equal(await counter(page), Number(await banner.getAttribute('data-event')));
  await waitFor(page, '.violation--here');
  assert.equal(await page.locator('#seed-input').inputValue(), seed);
  await screenshot(page, 'hunt-found-2pc');
  // The page's answer is the CLI's: its command reruns the seed to the same violation.
  const command = await text(page, '.hunt__cmd code');
  const run = cli(command.split(/\s+/).slice(1));
  assert.ok(
    run.violations.some((v) => v.invariant === invariant),
    `${command} -> ${JSON.stringify(run.violations.map((v) => v.invariant))}`,
  );
  const sweep = cli(['chaos', '--protocol', '2pc', '--mode', 'as-submitted', '--nodes', command.match(/--nodes (\d+)/)[1], '--seeds', `0..${Number(seed) + 1}`]);
  assert.equal(sweep.first_failing_seed, Number(seed), 'the same first failing seed as faultlab-cli chaos');
});

test('ui: a failing chaos seed from the CLI opens at its first violation with the end-of-run findings', async ({ page, url }) => {
  const sweep = cli(['chaos', '--protocol', '2pc', '--mode', 'as-submitted', '--seeds', '0..1']);
  const failing = sweep.failing[0];
  assert.ok(failing?.url, 'the first failing seed carries a link');
  await gotoApp(page, onServer(url, failing.url));
  await tab(page, '2PC').and(page.locator('[aria-selected=true]')).waitFor();
  await waitFor(page, '.violation');
  const shown = await page.locator('.violation').evaluateAll((vs) => vs.map((v) => v.dataset.invariant));
  assert.deepEqual([...shown].sort(), [...failing.invariants].sort(), 'every invariant the CLI reported, end-of-run ones included');
  const first = Math.min(...(await page.locator('.violation').evaluateAll((vs) => vs.map((v) => Number(v.dataset.event)))));
  assert.equal(await counter(page), first, 'shown at the first violation');
  assert.match(await text(page, '.notice__text'), new RegExp(`Chaos seed ${failing.seed}`));
});

test('ui: a textbook hunt shows its progress, can be cancelled, and sweeps clean', async ({ page, url }) => {
  await gotoApp(page, url);
  await clickButton(page, 'Find a bug');
  const bar = page.locator('[data-hunt]');
  await waitUntil(async () => /^[1-9]\d* \/ \d+ seeds/.test(await text(page, '[data-testid=hunt-progress]')), { message: 'seeds tried' });
  assert.ok(await button(page, 'Find a bug').isDisabled(), 'one hunt at a time');
  // It stays responsive while it hunts: animation frames keep coming.
  const frames = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const deltas = [];
        let last = performance.now();
        const end = last + 1000;
        const f = (t) => {
          deltas.push(t - last);
          last = t;
          if (t < end && document.querySelector('[data-hunt=running]')) requestAnimationFrame(f);
          else resolve(deltas.slice(1));
        };
        requestAnimationFrame(f);
      }),
  );
  const sorted = [...frames].sort((a, b) => a - b);
  const p95 = sorted[Math.floor(0.95 * (sorted.length - 1))];
  console.log(`    (${frames.length} frames in 1 s of hunting, p95 ${p95?.toFixed(1)} ms)`);
  assert.ok(frames.length >= 10, `the page keeps drawing while it hunts: ${frames.length} frames in 1 s`);
  await screenshot(page, 'hunt-in-progress');
  await clickButton(page, 'Cancel');
  await waitUntil(async () => (await bar.getAttribute('data-hunt')) === 'cancelled', { message: 'cancelled' });
  const stopped = await text(page, '.hunt__result');
  await page.waitForTimeout(300);
  assert.equal(await text(page, '.hunt__result'), stopped, 'nothing runs after a cancel');
  assert.equal(await count(page, '.violation'), 0);
  // Again, to the end of its budget.
  await clickButton(page, 'Find a bug');
  await waitUntil(async () => (await bar.getAttribute('data-hunt')) === 'clean', { timeout: 45_000, message: 'a clean sweep' });
  assert.match(await text(page, '.hunt__result'), /No violation in \d+ seeds/);
  await clickButton(page, 'Dismiss hunt');
  await waitUntil(async () => (await bar.getAttribute('data-hunt')) === 'idle', { message: 'dismissed' });
});
