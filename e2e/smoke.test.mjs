// The built app loads cleanly: no console errors, no page errors, nothing fetched
// from another host (the runner checks those), and the shell is there.
import { assert, button, gotoApp, screenshot, test } from './lib.mjs';

test('smoke: page loads with the control bar', async ({ page, url }) => {
  await gotoApp(page, url);

  const title = await page.title();
  assert.match(title, /faultlab/i, `title ${JSON.stringify(title)} should contain "faultlab"`);

  // Play and Pause are the same toggle; whichever is showing must be there.
  await button(page, /^(Play|Pause)$/).first().waitFor({ state: 'visible' });
  await button(page, 'Step').first().waitFor({ state: 'visible' });

  await screenshot(page, 'smoke');
});
