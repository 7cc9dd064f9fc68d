// Sharing and bad input: importing garbage shows an error and leaves the run alone,
// an exported scenario imports back to the same run, the picker starts a scenario,
// and the help overlay opens with "?".
import { assert, button, clickButton, count, gotoApp, test, text, waitFor, waitUntil } from './lib.mjs';

async function pause(page) {
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  await button(page, 'Play').waitFor();
}

test('ui: a garbage import shows an error and leaves the run untouched', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  for (let i = 0; i < 5; i++) await clickButton(page, 'Step');
  const before = await text(page, '[data-testid=event-counter]');
  const input = page.locator('input[type=file][aria-label="Import scenario or trace"]');
  await input.setInputFiles({ name: 'junk.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "nope"') });
  const alert = page.getByRole('alert').first();
  await alert.waitFor();
  assert.match(await alert.textContent(), /not valid JSON/);
  await input.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'faultlab-scenario/1', protocol: 'raft', seed: -3 })),
  });
  await waitUntil(async () => /seed/.test((await page.getByRole('alert').first().textContent()) ?? ''), { message: 'names seed' });
  assert.equal(await text(page, '[data-testid=event-counter]'), before);
});

test('ui: an exported scenario imports back to the same run', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await page.locator('[data-node="5"]').click();
  await page.getByRole('dialog', { name: 'Node 5' }).getByRole('button', { name: 'Isolate', exact: true }).click();
  for (let i = 0; i < 9; i++) await clickButton(page, 'Step');
  const download = page.waitForEvent('download');
  await clickButton(page, 'Export scenario');
  const file = await (await download).path();
  const counter = await text(page, '[data-testid=event-counter]');
  await clickButton(page, 'Reset');
  await page.locator('input[type=file][aria-label="Import scenario or trace"]').setInputFiles(file);
  await waitUntil(async () => /Opened Raft scenario/.test((await page.locator('.notice').first().textContent()) ?? ''), { message: 'opened' });
  // A file starts from time 0 and plays; its steps replay the isolation.
  await page.locator('input[aria-label=Speed]').fill('2');
  await waitUntil(async () => Number(await text(page, '[data-testid=event-counter]')) >= Number(counter), { message: 'replays' });
  assert.ok((await count(page, '.hull')) >= 2, 'the isolation shows as partition groups');
});

test('ui: the scenario picker starts a scenario and explains it', async ({ page, url }) => {
  await gotoApp(page, url);
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  const options = await picker.locator('option').allTextContents();
  assert.ok(options.length >= 2, `options: ${options}`);
  await picker.selectOption({ index: 1 });
  // Its file is fetched first ("Loading scenario…"), then it opens and is explained.
  await waitUntil(async () => /What should happen/.test((await page.textContent('.scenario__body').catch(() => null)) ?? ''), {
    message: 'explained',
  });
});

test('ui: a scenario file loads when chosen; a missing one is a notice', async ({ page, url, problems }) => {
  await gotoApp(page, url);
  // The default run plays; a scenario that fails to load must leave it playing.
  await button(page, 'Pause').waitFor();
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  await page.route('**/scenarios/raft/figure8.json', async (route) => {
    await held;
    await route.fulfill({ status: 404, contentType: 'text/plain', body: 'gone' });
  });
  const picker = page.getByRole('combobox', { name: 'Scenario' });
  await picker.selectOption({ label: 'Raft Figure 8 (§5.4.2): the commit rule' });
  await waitFor(page, '[data-testid=scenario-loading]');
  assert.equal(await text(page, '[data-testid=scenario-loading]'), 'Loading scenario…');
  release();
  const notice = '.notice--error .notice__text';
  await waitUntil(async () => /HTTP 404/.test((await page.textContent(notice).catch(() => null)) ?? ''), {
    message: 'a notice names the 404',
  });
  assert.match(await text(page, notice), /Raft Figure 8/);
  assert.match(await text(page, notice), /scenarios\/raft\/figure8\.json|404/);
  await page.locator('[data-testid=scenario-loading]').waitFor({ state: 'detached' });
  await button(page, 'Pause').waitFor();
  assert.equal(await picker.inputValue(), '', 'the picker shows the run as it is (free play)');
  // Chromium logs the 404 on the console: that one is expected here.
  const rest = problems.filter((p) => !/status of 404/.test(p));
  problems.splice(0, problems.length, ...rest);
  // A served file opens.
  await picker.selectOption({ label: 'TC1: heartbeat timeout' });
  await waitUntil(async () => /Opened Raft scenario "TC1/.test((await page.locator('.notice').first().textContent()) ?? ''), { message: 'opened' });
  assert.match(await text(page, '.scenario__body'), /What should happen/);
});

test('ui: "?" opens the keyboard help', async ({ page, url }) => {
  await gotoApp(page, url);
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await help.getByRole('button', { name: 'Close', exact: true }).click();
  await help.waitFor({ state: 'detached' });
});
