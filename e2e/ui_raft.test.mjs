// The Raft tab on the real protocol: a leader is elected, crashing it elects another,
// a client `add` sent through a follower reaches every live replica's queue (and the
// form refuses a bad field), and the log grid fills in. Plus 2PC's termination
// protocol: a participant crashed in READY asks its peers for the decision on restart.
// Runs are driven at the top speed so that each test takes a few real seconds.
import { assert, button, clickButton, count, gotoApp, test, text, waitFor, waitUntil } from './lib.mjs';

/** Top speed (100× real time). */
async function fast(page) {
  await page.locator('input[aria-label=Speed]').fill('2');
}

async function play(page) {
  if (await button(page, 'Play').count()) await clickButton(page, 'Play');
  await button(page, 'Pause').waitFor();
}

async function pause(page) {
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  await button(page, 'Play').waitFor();
}

/** The name of the one node that is leader now (waits for exactly one). */
async function leaderName(page, { not } = {}) {
  return waitUntil(
    async () => {
      const leaders = await page.$$eval('[data-node][data-role=leader][data-up=true]', (ns) => ns.map((n) => n.dataset.node));
      return leaders.length === 1 && leaders[0] !== not ? leaders[0] : null;
    },
    { message: not ? `a leader other than ${not}` : 'a leader' },
  );
}

test('ui: Raft elects a leader, shown with its term', async ({ page, url }) => {
  await gotoApp(page, url);
  await fast(page);
  const leader = await leaderName(page);
  const term = Number(await page.getAttribute(`[data-node="${leader}"]`, 'data-term'));
  assert.ok(term >= 1, `the leader's term is at least 1, got ${term}`);
  // Every node shows a role and a term; the leader's log row is marked.
  assert.equal(await count(page, '[data-node][data-role][data-term]'), 5);
  await waitFor(page, `[data-grid-node="${leader}"] .lg__crown`);
  // Heartbeats: AppendEntries from the leader keep its followers' commit indices up.
  await waitUntil(async () => (await count(page, '[data-grid-node] .lg__cell--committed')) >= 5, { message: 'the no-op commits everywhere' });
});

test('ui: crashing the Raft leader elects a new one', async ({ page, url }) => {
  await gotoApp(page, url);
  await fast(page);
  const first = await leaderName(page);
  await page.locator(`[data-node="${first}"]`).click();
  const dialog = page.getByRole('dialog', { name: `Node ${first}` });
  await dialog.getByRole('button', { name: 'Crash', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute(`[data-node="${first}"]`, 'data-up')) === 'false', { message: 'old leader down' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await play(page);
  const second = await leaderName(page, { not: first });
  assert.notEqual(second, first);
  const t1 = Number(await page.getAttribute(`[data-node="${second}"]`, 'data-term'));
  assert.ok(t1 >= 2, `the new leader has a newer term, got ${t1}`);
  // R restarts the crashed node.
  await page.keyboard.press('r');
  await waitUntil(async () => (await page.getAttribute(`[data-node="${first}"]`, 'data-up')) === 'true', { message: 'R restarted it' });
});

test('ui: a client add through a follower reaches every live queue', async ({ page, url }) => {
  await gotoApp(page, url);
  await fast(page);
  const leader = await leaderName(page);
  await pause(page);
  const follower = ['1', '2', '3', '4', '5'].find((n) => n !== leader);
  // Crash one other follower: the add must still reach every live replica.
  const crashed = ['5', '4', '3', '2', '1'].find((n) => n !== leader && n !== follower);
  await page.locator(`[data-node="${crashed}"]`).click();
  await page.getByRole('dialog', { name: `Node ${crashed}` }).getByRole('button', { name: 'Crash', exact: true }).click();
  await page.locator(`[data-node="${follower}"]`).click();
  const dialog = page.getByRole('dialog', { name: `Node ${follower}` });
  const form = dialog.getByRole('form', { name: 'Client request' });
  await form.getByRole('combobox', { name: 'Operation' }).selectOption('add');
  // Field validation: an empty title and a zero duration are refused with a message.
  await form.locator('input[name=title]').fill('');
  await form.getByRole('button', { name: 'Send request' }).click();
  assert.match(await text(form, '.field-error'), /Title: must not be empty/);
  await form.locator('input[name=title]').fill('So What');
  await form.locator('input[name=duration]').fill('0');
  await form.getByRole('button', { name: 'Send request' }).click();
  assert.match(await text(form, '.field-error'), /Duration \(s\): must be a positive whole number/);
  await form.locator('input[name=duration]').fill('545');
  await form.locator('input[name=id]').fill('e2e-1');
  await form.getByRole('button', { name: 'Send request' }).click();
  // The request is listed as pending, carried to the leader by a forwarded message.
  const row = page.locator('.req[data-outcome]').first();
  assert.equal(await row.getAttribute('data-outcome'), 'pending');
  await waitUntil(async () => (await count(page, '[data-msg][data-request][data-rpc=AddTrack]')) === 1, { message: 'the forward is in flight' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await play(page);
  await waitUntil(async () => (await row.getAttribute('data-outcome')) === 'ok', { message: 'the add answers ok' });
  const live = ['1', '2', '3', '4', '5'].filter((n) => n !== crashed);
  await waitUntil(
    async () => {
      for (const n of live) {
        if ((await count(page, `[data-queue-node="${n}"] .mq__list:not(.mq__list--history) .mq__id:text-is("e2e-1")`)) !== 1) return false;
      }
      return true;
    },
    { message: 'e2e-1 in every live queue' },
  );
  assert.equal(await count(page, `[data-queue-node="${crashed}"] .mq__id:text-is("e2e-1")`), 0, 'not on the crashed node');
  assert.equal(await count(page, '.violation'), 0);
});

test('ui: 2PC participant crashed in READY asks for the decision on restart', async ({ page, url }) => {
  await gotoApp(page, url);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  await pause(page);
  let ready = null;
  for (let i = 0; i < 400 && !ready; i++) {
    await page.keyboard.press('ArrowRight');
    ready = await page.$$eval('[data-node][data-state=READY]', (ns) => ns[0]?.dataset.node ?? null);
  }
  assert.ok(ready, 'a participant reaches READY');
  await page.locator(`[data-node="${ready}"]`).click();
  const dialog = page.getByRole('dialog', { name: `Node ${ready}` });
  await dialog.getByRole('button', { name: 'Crash', exact: true }).click();
  await waitUntil(async () => (await page.getAttribute(`[data-node="${ready}"]`, 'data-up')) === 'false', { message: 'down' });
  // Let the rest of the transaction run on, then restart it: its write-ahead log says
  // READY, so it is in doubt and runs the termination protocol (DecisionRequest).
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  await dialog.getByRole('button', { name: 'Restart', exact: true }).click();
  await waitUntil(async () => (await count(page, `[data-rpc=DecisionRequest]`)) > 0, { message: 'DecisionRequest in flight' });
  assert.equal(await page.getAttribute(`[data-node="${ready}"]`, 'data-state'), 'READY', 'in doubt after the restart');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await fast(page);
  await play(page);
  await waitUntil(
    async () => ['COMMIT', 'ABORT'].includes(await page.getAttribute(`[data-node="${ready}"]`, 'data-state')),
    { message: 'the participant learns the decision' },
  );
});

test('ui: a Raft candidate shows its ballot, one dot per peer', async ({ page, url }) => {
  await gotoApp(page, url);
  await pause(page);
  for (let i = 0; i < 200 && (await count(page, '[data-role=candidate]')) === 0; i++) await page.keyboard.press('ArrowRight');
  const candidate = page.locator('[data-node][data-role=candidate]').first();
  await candidate.waitFor();
  assert.equal(await candidate.locator('[data-vote]').count(), 4, 'one dot per peer');
  // Its RequestVotes are in flight; stepping on, some peer grants its vote.
  assert.ok((await candidate.locator('[data-vote=in-flight]').count()) >= 1);
  for (let i = 0; i < 100 && (await count(page, '[data-role=candidate] [data-vote=granted]')) === 0 && (await count(page, '[data-role=leader]')) === 0; i++) {
    await page.keyboard.press('ArrowRight');
  }
  assert.ok((await count(page, '[data-role=candidate] [data-vote=granted]')) + (await count(page, '[data-role=leader]')) > 0);
});
