// The nemesis faults on the page: pausing a node freezes it (data-paused, a "paused"
// label, nothing lost) and Resume continues; a clock skew is shown on the node; a
// message can be delayed from its panel, and the delay lands in the shared link,
// so the link replays it.
import { assert, clickButton, count, gotoApp, test, waitFor, waitUntil, pauseRun as pause, stepUntilMessage } from './lib.mjs';

test('ui: pausing a node freezes it and resuming brings it back', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await page.locator('[data-node="3"]').click();
  const dialog = page.getByRole('dialog', { name: 'Node 3' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="3"]', 'data-paused')) === 'true', { message: 'paused' });
  assert.equal(await page.getAttribute('[data-node="3"]', 'data-up'), 'true', 'a pause is not a crash');
  assert.match((await page.getAttribute('[data-node="3"]', 'aria-label')) ?? '', /paused/);
  await dialog.getByRole('button', { name: 'Resume', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="3"]', 'data-paused')) === null, { message: 'resumed' });
  // A skewed clock is drawn on the node; back on true time it is not.
  await dialog.getByRole('button', { name: 'Clock ×2', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="3"]', 'data-skew')) === 'clock ×2', { message: 'skewed' });
  await dialog.getByRole('button', { name: 'Clock ×1', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute('[data-node="3"]', 'data-skew')) === null, { message: 'true time' });
});

test('ui: a delayed message arrives later and the link replays the delay', async ({ page, context, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await stepUntilMessage(page);
  const id = await page.getAttribute('[data-msg]', 'data-msg');
  await page.locator(`[data-msg="${id}"]`).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Delay 3 s', exact: true }).click();
  // Step a few events: the held message is still in flight while its peers land.
  for (let i = 0; i < 10; i++) await clickButton(page, 'Step');
  assert.equal(await count(page, `[data-msg="${id}"]`), 1, 'still in flight');
  const shared = page.url();
  const other = await context.newPage();
  await gotoApp(other, shared);
  await waitFor(other, '[data-node="1"]');
  await waitUntil(async () => (await count(other, `[data-msg="${id}"]`)) === 1, { message: 'the link replays the held message' });
  await other.close();
});

test('ui: slowing a link draws it on the cluster and Heal restores it', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  await page.locator('[data-node="1"]').click();
  const dialog = page.getByRole('dialog', { name: 'Node 1' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Slow link to 2', exact: true }).click();
  await waitUntil(async () => (await count(page, '[data-slow-link="1-2"][data-extra-ms="3000"]')) === 1, { message: 'slow link drawn' });
  assert.equal(await dialog.getByRole('button', { name: 'Slow link to 2', exact: true }).getAttribute('aria-pressed'), 'true');
  await clickButton(page, 'Heal');
  await waitUntil(async () => (await count(page, '[data-slow-link]')) === 0, { message: 'healed' });
});
