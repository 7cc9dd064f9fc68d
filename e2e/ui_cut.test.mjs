// Partitioning by drawing a cut across the cluster view: the nodes on each side become
// a group (hulls drawn, the Heal button enabled), nodes across the cut stop hearing
// each other, a short drag does nothing, and Heal restores one network.
import { assert, button, clickButton, count, gotoApp, test, waitFor, waitUntil } from './lib.mjs';

/** Page coordinates of the cluster SVG's view point (x, y) (the view is 600 x 600). */
async function viewToPage(page, x, y) {
  const box = await page.locator('svg.cluster').boundingBox();
  const scale = Math.min(box.width, box.height) / 600;
  return {
    x: box.x + (box.width - 600 * scale) / 2 + x * scale,
    y: box.y + (box.height - 600 * scale) / 2 + y * scale,
  };
}

async function drag(page, from, to) {
  const a = await viewToPage(page, from[0], from[1]);
  const b = await viewToPage(page, to[0], to[1]);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 4 });
  await page.mouse.move(b.x, b.y, { steps: 4 });
  return b;
}

test('ui: dragging a line across the cluster partitions it; Heal undoes it', async ({ page, url }) => {
  await gotoApp(page, url);
  await waitFor(page, '[data-node="1"]');
  await clickButton(page, 'Pause');
  assert.equal(await count(page, '.hull'), 0, 'one network at first');
  assert.ok(await button(page, 'Heal').isDisabled(), 'nothing to heal yet');

  // A short drag is a click: no partition.
  await drag(page, [20, 20], [30, 25]);
  await page.mouse.up();
  assert.equal(await count(page, '.hull'), 0, 'a short drag must not partition');

  // A vertical cut just right of the centre: node 1 (top) and 4, 5 on one side,
  // 2 and 3 on the other. While dragging, the line and the sides are previewed.
  await drag(page, [305, 5], [305, 595]);
  await waitFor(page, 'line[data-cutline="true"]', { state: 'attached' });
  assert.equal(await count(page, '.node--side-a'), 2, 'two nodes previewed on one side');
  assert.equal(await count(page, '.node--side-b'), 3, 'three on the other');
  await page.mouse.up();
  await waitUntil(async () => (await count(page, '.hull')) === 2, { message: 'two partition groups drawn' });
  assert.equal(await count(page, 'line[data-cutline]'), 0, 'the cut line goes away on release');
  assert.ok(!(await button(page, 'Heal').isDisabled()), 'Heal is offered');
  // The cut is an input of the run: the shared link carries it.
  assert.ok((await page.evaluate(() => location.hash)).length > 3);

  // The node panel agrees: node 2 is cut off from the other side.
  await page.locator('[data-node="2"]').click();
  await waitFor(page, '[role=dialog]');
  // Its links to nodes 1, 4 and 5 (across the cut) say so; the one to node 3 does not.
  assert.equal(await count(page, '[role=dialog] [title*="another partition group"]'), 3);
  await page.keyboard.press('Escape');
  await waitUntil(async () => (await count(page, '[role=dialog]')) === 0, { message: 'Esc closes the panel' });

  await clickButton(page, 'Heal');
  await waitUntil(async () => (await count(page, '.hull')) === 0, { message: 'healed: one network again' });
});

test('ui: at 1000 px and on a 390 px phone the cluster is drawn and nothing scrolls sideways', async ({ page, url }) => {
  for (const [width, height] of [
    [1000, 800],
    [390, 844],
  ]) {
    await page.setViewportSize({ width, height });
    await gotoApp(page, url);
    await waitFor(page, '[data-node="1"]');
    const m = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      cluster: document.querySelector('svg.cluster').getBoundingClientRect(),
    }));
    assert.ok(m.scroll <= width, `${width} px: the page is ${m.scroll} px wide`);
    assert.ok(m.cluster.height > 250 && m.cluster.width > 250, `${width} px: cluster ${m.cluster.width} x ${m.cluster.height}`);
  }
});
