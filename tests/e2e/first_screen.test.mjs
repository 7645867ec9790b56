// The first screen (issue 20, docs/performance.md "Bundle size"): the drop zone works before the page's
// WebAssembly has arrived — it is held back here until files were picked and dropped —, and the app takes
// those files when it starts: their cards and figures are the engine's (the CLI on the same files). The
// bytes the first screen needs are budgeted by scripts/bundle-size.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { App, BASE, FIXTURES, engineReport, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const US_AFF = path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv');

test('files picked and dropped before the WebAssembly has loaded are imported when it has', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1366, height: 768 } });
  // No service worker: it would fetch the module itself, past the gate below.
  await ctx.route('**/sw.js', (route) => route.fulfill({ status: 404, body: '' }));
  let release;
  const gate = new Promise((ok) => { release = ok; });
  const held = [];
  await ctx.route('**/*.wasm', async (route) => { held.push(route.request().url()); await gate; await route.continue(); });
  // Every import shows one progress bar (a new element per import): counted from the very start, so a
  // file imported twice (once from the first screen, once more from the browser's kept copy) shows.
  await ctx.addInitScript(() => {
    window.__imports = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.addedNodes) {
        if (n.nodeType !== 1) continue;
        window.__imports += (n.matches('[data-testid=import-progress]') ? 1 : 0) + n.querySelectorAll('[data-testid=import-progress]').length;
      }
    }).observe(document, { subtree: true, childList: true });
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const fetched = [];
  page.on('requestfinished', (r) => fetched.push(r.url()));
  try {
    await page.goto(env.origin + BASE);
    await page.waitForSelector('#boot .dropzone');
    for (let i = 0; i < 100 && held.length === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
    assert.equal(await page.locator('nav a[data-view]').count(), 0, 'the app has not mounted: its module is held back');
    // Picked…
    await page.setInputFiles('#boot-input', [US]);
    await page.waitForFunction(() => document.getElementById('boot-status').textContent.startsWith('1 file waiting'));
    // …and dropped.
    const b64 = fs.readFileSync(US_AFF).toString('base64');
    const dt = await page.evaluateHandle(([name, b64]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
      return dt;
    }, [path.basename(US_AFF), b64]);
    const taken = await page.evaluate((dt) => !document.querySelector('#boot .dropzone')
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true })), dt);
    assert.ok(taken, 'the drop is taken by the page, not by the browser');
    await page.waitForFunction(() => document.getElementById('boot-status').textContent.startsWith('2 files waiting'));
    assert.ok(held.length > 0, 'the page asked for its module');
    assert.ok(!fetched.some((u) => u.endsWith('.wasm')), 'no module has arrived yet');
    release();
    // The app starts, takes both files and shows the engine's figures for them.
    await page.waitForSelector('nav a[data-view]');
    assert.equal(await page.locator('#boot').count(), 0, 'the first screen is gone once the app is up');
    await page.waitForSelector('[data-kpi=net_sales]');
    const app = new App(env, page, ctx, env.origin);
    await app.idle();
    const want = engineReport([US, US_AFF]);
    for (const k of ['net_sales', 'cm2']) assert.equal(await app.kpi(k), want.totals[k], k);
    await app.gotoView('files');
    const cards = await page.locator('.card[data-file]').evaluateAll((cs) => cs.map((c) => c.dataset.file).sort());
    assert.deepEqual(cards, [path.basename(US_AFF), path.basename(US)]);
    assert.equal(await page.evaluate(() => window.__imports), 2, 'each file is imported once');
    assert.deepEqual(errors, []);
  } finally {
    release();
    await ctx.close();
  }
});
