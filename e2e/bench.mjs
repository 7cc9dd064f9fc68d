#!/usr/bin/env node
// Web benchmarks of the built page (run by `./x bench` against the release build).
//
// Contract: reads FAULTLAB_URL (default http://127.0.0.1:8080/), prints progress on
// stderr and exactly one JSON object on stdout:
//   wasm_engine_events_per_sec  the native bench's heavy workload (5 demo nodes, pings
//                               every 1-4 ms, 1-10 ms bus, trace recorded) in the
//                               page's wasm engine, through window.wasmBindings
//   frame_ms_p50, frame_ms_p95  requestAnimationFrame deltas over ~10 s of a 9-node Raft
//                               run with >= 200 messages in flight, at the top speed,
//                               after 2 s of warm-up (past the first frames of a busy
//                               bus, which run slow); served cross-origin isolated, so the clock
//                               reads to 5 us instead of Chromium's 0.1 ms rounding
//   frame_warmup_work_ms_p95    frame_work_ms_p95 over the 2 s of warm-up, for honesty
//   cross_origin_isolated       whether the page got the fine clock (tools/serve.py)
//   frames_missed_pct           share of those frames longer than 25 ms (a missed vsync)
//   frame_work_ms_p50, _p95     main-thread time of each of those frames: from the
//                               frame's start (the rAF timestamp) to a message posted
//                               from rAF, which runs once the frame's scripts, style,
//                               layout, paint and commit are done (the headroom under
//                               16.7 ms; rAF deltas only say whether a vsync was missed)
//   messages_in_flight          median number of messages drawn per frame in that run
//   step_back_100k_ms           ArrowLeft near event 100,000 of a long run -> new frame (median)
//   scrub_100k_ms               timeline moved near event 100,000 -> new frame (median)
//   page_ready_ms               navigation start -> first node drawn (median of 3)
//   bundle_gzip_kb, _bytes      gzip -9 size (node zlib) of dist/*.wasm, *.js, *.css, in KiB
//                               and in bytes
//   hunt_fps, hunt_frame_ms_p95 frames per second and p95 frame interval while "Find a
//                               bug" sweeps textbook Raft (target >= 30 fps)
//   hunt_seeds_per_sec          chaos seeds (60 s runs) the page's hunt gets through per
//                               second of real time, rendering included
// Env: BENCH_EVENTS (engine events, default 3000000), BENCH_FRAME_SECONDS (10),
//      FAULTLAB_DIST (dist/), CHROMIUM.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const url = process.env.FAULTLAB_URL || 'http://127.0.0.1:8080/';
const engineEvents = Number(process.env.BENCH_EVENTS || 3_000_000);
const frameSeconds = Number(process.env.BENCH_FRAME_SECONDS || 10);
const warmSeconds = 2;
const dist = process.env.FAULTLAB_DIST || path.join(here, '..', 'dist');

const log = (...a) => console.error('bench:', ...a);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};
const round = (x, d = 2) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

/** A shared-link fragment for a scenario value (the page's `#s=` format). */
const link = (scenario) => `${url.replace(/#.*$/, '')}#s=${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`;

/**
 * 9 Raft nodes, a 40 ms heartbeat over a 400-800 ms bus (no loss, no duplicates):
 * about 8 peers x 2 directions x 600/40 = 240 messages in flight, at about 800
 * engine events per virtual second, so that at the top speed (100x) the frame time
 * measures the page rather than the engine.
 */
const busy = (extra = {}) => ({
  format: 'faultlab-scenario/1',
  protocol: 'raft',
  seed: 1,
  nodes: 9,
  until_ms: 1,
  config: { heartbeat_ms: 40 },
  steps: [{ at_ms: 0, latency_ms: [400, 800] }],
  ...extra,
});

const out = {};
const problems = [];
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return page;
}

try {
  // (d) page ready: navigation start to the first node on screen.
  const ready = [];
  for (let i = 0; i < 3; i++) {
    const page = await freshPage();
    await page.addInitScript(() => {
      const seen = () => {
        if (document.querySelector('[data-node]')) {
          window.__readyAt = performance.now();
          return true;
        }
        return false;
      };
      new MutationObserver((_, obs) => seen() && obs.disconnect()).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.__readyAt !== undefined);
    ready.push(await page.evaluate(() => window.__readyAt));
    await page.close();
  }
  out.page_ready_ms = round(median(ready), 1);
  log(`page ready ${ready.map((x) => x.toFixed(0)).join(', ')} ms`);

  // (a) the engine in wasm.
  {
    const page = await freshPage();
    await page.goto(url);
    await page.waitForFunction(() => window.wasmBindings && typeof window.wasmBindings.bench_engine === 'function');
    // Pause the page's own run so that it does not compete.
    await page.getByRole('button', { name: 'Pause', exact: true }).click();
    log(`engine: ${engineEvents} events…`);
    const eps = await page.evaluate((n) => window.wasmBindings.bench_engine(n), engineEvents);
    out.wasm_engine_events_per_sec = Math.round(eps);
    log(`engine: ${Math.round(eps).toLocaleString('en')} events/s`);
    await page.close();
  }

  // (b) frame times with 9 nodes and a busy bus, at the top speed.
  {
    const page = await freshPage();
    await page.goto(link(busy()));
    await page.waitForSelector('[data-node="9"]');
    await page.locator('input[aria-label=Speed]').fill('2');
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    // Warm up past the first election.
    await page.waitForFunction(() => document.querySelectorAll('[data-msg]').length >= 200, null, { timeout: 30_000 });
    out.cross_origin_isolated = await page.evaluate(() => window.crossOriginIsolated);
    const frames = (seconds) =>
      page.evaluate(
        (s) =>
          new Promise((resolve) => {
            const deltas = [];
            const msgs = [];
            const work = [];
            const after = new MessageChannel();
            let started = 0;
            after.port1.onmessage = () => work.push(performance.now() - started);
            let last = performance.now();
            const end = last + s * 1000;
            const frame = (t) => {
              deltas.push(t - last);
              last = t;
              started = t;
              after.port2.postMessage(0);
              msgs.push(document.querySelectorAll('[data-msg]').length);
              if (t < end) requestAnimationFrame(frame);
              else resolve({ deltas: deltas.slice(1), msgs, work: work.slice(1) });
            };
            requestAnimationFrame(frame);
          }),
        seconds,
      );
    const warm = await frames(warmSeconds);
    out.frame_warmup_work_ms_p95 = round(pct(warm.work, 95), 1);
    const r = await frames(frameSeconds);
    out.frame_ms_p50 = round(pct(r.deltas, 50));
    out.frame_ms_p95 = round(pct(r.deltas, 95));
    // A frame that took longer than 1.5 vsync periods missed one: the honest count of
    // jank, since rAF deltas sit on the 16.7 ms vsync grid (give or take 0.1 ms when
    // the page is not cross-origin isolated and the clock is coarsened).
    out.frames_missed_pct = round((100 * r.deltas.filter((d) => d > 25).length) / Math.max(1, r.deltas.length), 2);
    out.frame_work_ms_p50 = round(pct(r.work, 50), 1);
    out.frame_work_ms_p95 = round(pct(r.work, 95), 1);
    out.messages_in_flight = median(r.msgs);
    out.frames_measured = r.deltas.length;
    log(`frames: ${r.deltas.length} (isolated: ${out.cross_origin_isolated}, warm-up work p95 ${out.frame_warmup_work_ms_p95} ms), p50 ${out.frame_ms_p50} ms, p95 ${out.frame_ms_p95} ms, missed ${out.frames_missed_pct}%, work p50 ${out.frame_work_ms_p50} / p95 ${out.frame_work_ms_p95} ms, ${out.messages_in_flight} messages in flight`);
    await page.close();
  }

  // (c) step back and scrub at event 100,000 of a long run (opened paused there).
  {
    const page = await freshPage();
    const target = 100_000;
    const t0 = Date.now();
    await page.goto(link(busy({ _event: target })));
    await page.waitForFunction((n) => document.querySelector('[data-testid=event-counter]')?.textContent.trim() === String(n), target, {
      timeout: 120_000,
    });
    log(`long run: opened at event ${target} in ${Date.now() - t0} ms`);
    // Time from the input to the frame that shows the new event.
    const toFrame = (action, expect) =>
      page.evaluate(
        ([action, expect]) =>
          new Promise((resolve) => {
            const counter = document.querySelector('[data-testid=event-counter]');
            const start = performance.now();
            if (action === 'back') {
              document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
            } else {
              const tl = document.querySelector('input[aria-label=Timeline]');
              tl.value = String(expect);
              tl.dispatchEvent(new Event('input', { bubbles: true }));
            }
            const check = () => {
              if (counter.textContent.trim() === String(expect)) {
                // The frame that paints the new state.
                requestAnimationFrame(() => resolve(performance.now() - start));
              } else requestAnimationFrame(check);
            };
            check();
          }),
        [action, expect],
      );
    // Two warm-up steps (the first frames after a load are slower), then 10 of each.
    await toFrame('back', target - 1);
    await toFrame('back', target - 2);
    const back = [];
    for (let i = 3; i <= 12; i++) back.push(await toFrame('back', target - i));
    const scrub = [];
    for (const n of [99_000, 97_531, 95_000, 92_468, 90_001, 98_765, 96_000, 93_333, 91_234, 99_500]) {
      scrub.push(await toFrame('scrub', n));
    }
    out.step_back_100k_ms = round(median(back), 1);
    out.step_back_100k_ms_max = round(Math.max(...back), 1);
    out.scrub_100k_ms = round(median(scrub), 1);
    out.scrub_100k_ms_max = round(Math.max(...scrub), 1);
    log(`step back ${back.map((x) => x.toFixed(1)).join(', ')} ms; scrub ${scrub.map((x) => x.toFixed(1)).join(', ')} ms`);
    await page.close();
  }

  // (f) frame rate while "Find a bug" sweeps textbook Raft (it finds nothing, so it
  // runs for its whole budget).
  {
    const page = await freshPage();
    await page.goto(url);
    await page.waitForSelector('[data-node]');
    await page.getByRole('button', { name: 'Find a bug', exact: true }).click();
    await page.waitForSelector('[data-hunt=running]');
    const r = await page.evaluate(
      (seconds) =>
        new Promise((resolve) => {
          const deltas = [];
          let last = performance.now();
          const end = last + seconds * 1000;
          const frame = (t) => {
            deltas.push(t - last);
            last = t;
            if (t < end && document.querySelector('[data-hunt=running]')) requestAnimationFrame(frame);
            else resolve(deltas.slice(1));
          };
          requestAnimationFrame(frame);
        }),
      Math.min(frameSeconds, 3),
    );
    const bar = page.locator('[data-hunt]');
    const tried = Number(await bar.getAttribute('data-tried'));
    const elapsed = Number(await bar.getAttribute('data-elapsed-ms'));
    const total = r.reduce((a, b) => a + b, 0);
    out.hunt_fps = round((r.length / total) * 1000, 1);
    out.hunt_frame_ms_p95 = round(pct(r, 95));
    out.hunt_seeds_per_sec = round(tried / (elapsed / 1000), 1);
    log(`hunt: ${r.length} frames, ${out.hunt_fps} fps, p95 ${out.hunt_frame_ms_p95} ms, ${out.hunt_seeds_per_sec} seeds/s`);
    await page.close();
  }
} finally {
  await browser.close();
}

// (e) the release bundle.
{
  let bytes = 0;
  for (const f of readdirSync(dist)) {
    if (/\.(wasm|js|css)$/.test(f)) bytes += gzipSync(readFileSync(path.join(dist, f)), { level: 9 }).length;
  }
  out.bundle_gzip_kb = round(bytes / 1024, 1);
  out.bundle_gzip_bytes = bytes;
  log(`bundle: ${out.bundle_gzip_kb} KiB gzip (${dist})`);
}

if (problems.length) {
  out.console_errors = problems.slice(0, 5);
  log(`console errors: ${problems.length}`);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
process.exitCode = problems.length ? 1 : 0;
