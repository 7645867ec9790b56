// The first hour as a seller (issue 19): a drop anywhere imports, a reload keeps the exports, the demo
// clears in one step, and a UK export without VAT in its tax columns asks whether the shop is
// VAT-registered. Expected figures come from the engine through the CLI on the same files and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, FIXTURES, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const US_AFF = path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv');
const UK = path.join(FIXTURES, 'uk_orders_2026-05-17.csv');

/** A DataTransfer holding files (paths), built in the page. */
async function transfer(page, files) {
  const payload = files.map((f) => ({ name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }));
  return page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) {
      const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, payload);
}

/** The cards of the Files view, by file name. */
async function cards(app) {
  await app.gotoView('files');
  return app.page.locator('.card[data-file]').evaluateAll((cs) => cs.map((c) => c.dataset.file).sort());
}

test('a file dropped on the middle of the Overview is imported; the overlay shows while dragging; the tab never navigates', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([US]);
  await app.gotoView('overview');
  await page.waitForSelector('[data-kpi=net_sales]');
  const url = page.url();
  const dt = await transfer(page, [US_AFF]);
  // Drag over the element in the middle of the window (a chart, a table or a tile: whatever is there).
  const target = await page.evaluateHandle(() => document.elementFromPoint(innerWidth / 2, innerHeight / 2));
  assert.ok(await target.evaluate((el) => el && !el.closest('.dropzone')), 'the middle of the overview is not a drop zone');
  const entered = await page.evaluate(([el, dt]) => {
    el.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    return !el.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [target, dt]);
  assert.ok(entered, 'dragover is taken (the browser would otherwise refuse the drop and open the file)');
  await page.waitForSelector('[data-testid=drop-overlay].visible');
  await page.screenshot({ path: path.join(ARTIFACTS, 'drop-overlay.png') });
  const prevented = await page.evaluate(([el, dt]) => !el.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true })), [target, dt]);
  assert.ok(prevented, 'the drop is taken by the page, never by the browser');
  await page.waitForSelector('[data-testid=drop-overlay]:not(.visible)', { state: 'attached' });
  await app.idle();
  assert.deepEqual(await cards(app), ['us_affiliate_orders_2026-05.csv', 'us_orders_2026-05-17.csv']);
  // The figures are the engine's for both files.
  const want = engineReport([US, US_AFF]);
  for (const k of ['net_sales', 'cm2']) assert.equal(await app.kpi(k), want.totals[k], k);
  assert.equal(page.url().split('#')[0], url.split('#')[0]);
  assert.deepEqual(errors, []);
  await app.close();
});

test('a reload restores the dropped exports, their cards and the same figures; Forget all files empties the browser', async () => {
  const app = await env.open();
  const { page, requests, errors } = app;
  await app.dropFiles([US, US_AFF]);
  const want = engineReport([US, US_AFF]);
  const before = {};
  for (const k of ['gmv', 'net_sales', 'net_revenue', 'cm2']) {
    before[k] = await app.kpi(k);
    assert.equal(before[k], want.totals[k], k);
  }
  // The bytes are kept in IndexedDB, never in localStorage (which holds the workspace only).
  const local = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join(''));
  assert.ok(!local.includes('577'), 'no order of the export in localStorage');

  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await page.waitForSelector('[data-kpi=net_sales]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=import-progress]').length === 0);
  await app.idle();
  for (const [k, v] of Object.entries(before)) assert.equal(await app.kpi(k), v, `after reload: ${k}`);
  assert.deepEqual(await cards(app), ['us_affiliate_orders_2026-05.csv', 'us_orders_2026-05-17.csv']);
  await page.screenshot({ path: path.join(ARTIFACTS, 'files-after-reload.png'), fullPage: true });

  // Forget all files: no card now, none after a reload; nothing was uploaded.
  await page.click('[data-testid=forget-all]');
  await page.waitForFunction(() => document.querySelectorAll('.card[data-file]').length === 0);
  await page.waitForTimeout(300);
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await page.waitForTimeout(800);
  await app.idle();
  assert.deepEqual(await cards(app), []);
  assert.deepEqual(requests.filter((r) => r.method !== 'GET'), []);
  assert.deepEqual(errors, []);
  await app.close();
});

test('"Clear demo" removes every demo file and the demo costs, and leaves a clean page after a reload too', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.gotoView('files');
  await app.loadDemo();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=import-progress]').length === 0);
  await app.idle();
  assert.ok((await cards(app)).length >= 6, 'the demo files and costs sheets have cards');
  await page.click('[data-testid=clear-demo]');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 0);
  assert.equal(await page.locator('[data-testid=demo-banner]').count(), 0);
  // The demo's costs are gone with it: the workspace saved holds no demo SKU.
  await page.waitForTimeout(400);
  const saved = await page.evaluate(() => localStorage.getItem('margin-lab.workspace.v2') || '');
  const costs = JSON.parse(saved).costs;
  assert.deepEqual(costs.entries ?? [], [], 'no cost left from the demo');
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await page.waitForTimeout(800);
  assert.deepEqual(await cards(app), []);
  assert.equal(await page.locator('[data-kpi]').count(), 0);
  assert.deepEqual(errors, []);
  await app.close();
});

test('a UK export whose tax columns are 0 asks once whether the shop is VAT-registered; the answer is the engine\'s VAT', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([UK]);
  await page.waitForSelector('[data-testid=vat-question][data-market=GB]');
  assert.equal(await page.locator('[data-testid=vat-question] [data-input=vat_rate]').inputValue(), '20');
  assert.ok(await page.locator('[data-testid=vat-question] [data-input=vat_registered]').isChecked(), 'registered by default');
  // Unanswered: no VAT, as the engine computes without the setting.
  const without = engineReport([UK]);
  assert.equal(await app.kpi('net_revenue'), without.totals.net_revenue);
  // The waterfall shows VAT either way: a zero step before the answer.
  await page.waitForSelector('[data-testid=waterfall] .mark[data-label="VAT"]');
  assert.equal(Number(await page.locator('[data-testid=waterfall] .mark[data-label="VAT"]').getAttribute('data-value')), 0);
  await page.click('[data-testid=vat-save]');
  await page.waitForSelector('[data-testid=vat-question]', { state: 'detached' });
  const settings = path.join(ARTIFACTS, `vat-settings-${process.pid}.json`);
  fs.writeFileSync(settings, JSON.stringify({ vat: [{ market: 'GB', registered: true, rate: '0.2' }] }));
  const withVat = engineReport([UK], null, ['--settings', settings]);
  assert.notEqual(withVat.totals.output_vat, '0.00');
  await page.waitForFunction((v) => document.querySelector('[data-kpi=net_revenue]')?.textContent.replace(/[^0-9.\-]/g, '') === v, withVat.totals.net_revenue);
  // The waterfall shows the VAT step.
  const vat = await page.locator('[data-testid=waterfall] .mark[data-label="VAT"]').getAttribute('data-value');
  assert.equal(Number(vat), -Number(withVat.totals.output_vat));
  // Asked once: a reload restores the file and does not ask again.
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await page.waitForSelector('[data-kpi=net_revenue]');
  await app.idle();
  assert.equal(await app.kpi('net_revenue'), withVat.totals.net_revenue);
  assert.equal(await page.locator('[data-testid=vat-question]').count(), 0);
  assert.deepEqual(errors, []);
  await app.close();
});

test('a browser whose storage for the page is full says so once; the file stays loaded for this visit', async () => {
  const app = await env.open();
  const { page, errors } = app;
  // Chromium's own quota, made small for this origin (DevTools protocol): the write fails for real.
  const cdp = await app.ctx.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: app.origin, quotaSize: 4096 });
  assert.ok(fs.statSync(US).size > 4096);
  await app.importFiles([US]);
  const notice = page.locator('.notice[role=status]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /us_orders_2026-05-17\.csv could not be kept in this browser for your next visit: its storage for this page is full/);
  // Loaded all the same: the card and the figures, the engine's.
  assert.deepEqual(await cards(app), ['us_orders_2026-05-17.csv']);
  assert.equal(await app.kpi('net_sales'), engineReport([US]).totals.net_sales);
  assert.deepEqual(errors, []);
  await app.close();
});
