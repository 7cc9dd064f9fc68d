// The 2PC tab: the seed's demo (delete-2pc of demo.png) commits and the picture
// disappears from every gallery; participants show READY on the way.
import { assert, button, clickButton, count, gotoApp, test, waitUntil } from './lib.mjs';

test('ui: 2PC delete-2pc commits and the picture disappears from every gallery', async ({ page, url }) => {
  await gotoApp(page, url);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  // Step until the picture is on every participant and a participant is READY.
  let sawReady = false;
  for (let i = 0; i < 400 && !sawReady; i++) {
    await clickButton(page, 'Step');
    sawReady = (await count(page, '[data-state=READY]')) > 0;
  }
  assert.ok(sawReady, 'a participant reaches READY');
  assert.ok((await count(page, '.pic__name:text-is("demo.png")')) >= 3, 'demo.png is on the participants');
  assert.ok((await count(page, '.pic--locked')) >= 1, 'a READY participant holds the lock');
  await page.locator('input[aria-label=Speed]').fill('2');
  await clickButton(page, 'Play');
  await waitUntil(async () => (await count(page, '[data-state=COMMIT]')) >= 4, { message: 'coordinator and participants commit' });
  await waitUntil(async () => (await count(page, '.pic__name:text-is("demo.png")')) === 0, { message: 'demo.png gone' });
  for (const n of ['grpc-node1', 'grpc-node2', 'grpc-node3', 'http-node1']) {
    assert.equal(await page.getAttribute(`[data-node="${n}"]`, 'data-state'), 'COMMIT', n);
  }
  assert.equal(await count(page, '.violation'), 0);
});

test('ui: a 2PC link reproduces the run', async ({ page, context, url }) => {
  await gotoApp(page, url);
  await page.getByRole('tab', { name: '2PC', exact: true }).click();
  if (await button(page, 'Pause').count()) await clickButton(page, 'Pause');
  for (let i = 0; i < 15; i++) await clickButton(page, 'Step');
  const snap = (p) =>
    p.evaluate(() =>
      JSON.stringify({
        nodes: [...document.querySelectorAll('[data-node]')].map((n) => `${n.dataset.node}:${n.dataset.up}:${n.dataset.state}`),
        msgs: [...document.querySelectorAll('[data-msg]')].map((m) => m.dataset.msg).sort(),
        pics: [...document.querySelectorAll('.pic__name')].map((x) => x.textContent),
        counter: document.querySelector('[data-testid=event-counter]').textContent,
      }),
    );
  const before = await snap(page);
  const other = await context.newPage();
  await gotoApp(other, page.url());
  await other.getByRole('tab', { name: '2PC', exact: true, selected: true }).waitFor();
  await button(other, 'Play').waitFor();
  assert.equal(await snap(other), before);
  await other.close();
});
