// Shops (issue 15): the real US and UK exports and a third shop made from the US export with other order and
// SKU IDs load as three shops; the Portfolio lists them with each shop's own figures (the CLI's report of
// the same files, shops[]), a click opens the views on that shop, and two shops compare side by side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, CLI, FIXTURES, ROOT, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const f = (n) => path.join(FIXTURES, n);
const FILES = [f('us_orders_2026-05-17.csv'), f('us_affiliate_orders_2026-05.csv'), f('uk_orders_2026-05-17.csv'), f('uk_affiliate_orders_2026-05.csv')];

/**
 * The US Orders export with every ID field's first digit made 9 (IDs are written as long digit runs ending in
 * a tab, e.g. "577394966090191553\t"): another shop's Order and SKU IDs, the same amounts. Quoted fields span
 * lines in this export, so the text is rewritten whole rather than split into lines.
 */
function thirdShop() {
  const text = fs.readFileSync(FILES[0], 'utf8');
  const out = text.replace(/(^|,)\d(\d{15,19}\t)/gm, (_, before, rest) => `${before}9${rest}`);
  assert.notEqual(out, text);
  const p = path.join(ARTIFACTS, `third_shop_orders-${process.pid}.csv`);
  fs.writeFileSync(p, out);
  return p;
}

test('three shops: the Portfolio lists each with its own figures, a click opens it, two compare side by side', async () => {
  const third = thirdShop();
  const files = [...FILES, third];
  const want = engineReport(files);
  assert.deepEqual(want.shops.map((s) => s.name), ['US shop 1', 'GB shop 1', 'US shop 2']);
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files);
  await page.waitForSelector('nav a[data-view=portfolio]:visible');
  await app.gotoView('portfolio');
  await page.waitForSelector('[data-table=portfolio] tbody tr');
  const shown = await page.locator('[data-table=portfolio] tbody tr').evaluateAll((rs) => rs.map((r) => r.dataset.shop).sort());
  assert.deepEqual(shown, ['GB shop 1', 'US shop 1', 'US shop 2']);
  for (const s of want.shops) {
    const row = `[data-table=portfolio] tr[data-shop="${s.name}"]`;
    for (const k of ['net_sales', 'cm2', 'orders']) {
      assert.equal(plain(await app.text(`${row} [data-metric=${k}]`)), String(s.report.totals[k]), `${s.name} ${k}`);
    }
  }
  // The two USD shops are apart: each shows the US export's net sales, not their sum.
  assert.equal(plain(await app.text('tr[data-shop="US shop 2"] [data-metric=net_sales]')), '6955.62');
  await page.screenshot({ path: path.join(ARTIFACTS, 'portfolio-1366x768.png'), fullPage: true });

  // A click opens the Overview on that shop, with the shop chosen in the switcher.
  await page.click('[data-open-shop="US shop 2"]');
  await page.waitForFunction(() => location.hash.startsWith('#/overview'));
  await page.waitForFunction(() => document.querySelector('[data-input=shop] option:checked')?.dataset.shop === 'US shop 2');
  await app.idle();
  assert.equal(await app.kpi('net_sales'), want.shops[2].report.totals.net_sales);
  // The switcher moves to the UK shop.
  await page.selectOption('[data-input=shop]', { label: 'GB shop 1 (GBP)' });
  await page.waitForFunction(() => document.querySelector('[data-kpi=net_sales]')?.textContent.includes('£'));
  await app.idle();
  assert.equal(await app.kpi('net_sales'), want.shops[1].report.totals.net_sales);

  // Compare: the first two shops' figures side by side.
  await app.gotoView('portfolio');
  await page.waitForSelector('[data-table=compare]');
  await page.selectOption('[data-input=compare-b]', { index: 2 });
  const cells = await page.locator('[data-table=compare] tr[data-metric=orders] td').allTextContents();
  assert.equal(cells.length, 2);

  // A shop renamed keeps its name after a reload (kept with the settings under the shop's smallest SKU ID),
  // and the views stay on it (a shop is chosen by its key, not its name).
  await page.click('[data-open-shop="US shop 2"]');
  await page.waitForFunction(() => document.querySelector('[data-input=shop] option:checked')?.dataset.shop === 'US shop 2');
  await app.gotoView('portfolio');
  await page.click('[data-testid=shop-names] summary');
  await page.fill('[data-input=shop-name][data-shop="US shop 2"]', 'Acme Tea');
  await page.press('[data-input=shop-name][data-shop="US shop 2"]', 'Tab');
  await page.waitForSelector('[data-table=portfolio] tr[data-shop="Acme Tea"]');
  await page.waitForFunction(() => document.querySelector('[data-input=shop] option:checked')?.dataset.shop === 'Acme Tea');
  await page.waitForTimeout(500);
  await page.reload();
  await page.waitForSelector('[data-table=portfolio] tr[data-shop="Acme Tea"]', { timeout: 20000 });
  assert.equal(plain(await app.text('tr[data-shop="Acme Tea"] [data-metric=net_sales]')), '6955.62');
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(third, { force: true });
});

test('a total across shops only in a reporting currency with rates; the client report and the print hold one shop', async () => {
  const third = thirdShop();
  const files = [...FILES, third];
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files);
  await app.gotoView('portfolio');
  await page.waitForSelector('[data-table=portfolio] tbody tr');
  // Three shops in two currencies: no total until a reporting currency and rates are given.
  assert.equal(await page.locator('[data-testid=portfolio-total]').count(), 0);
  await page.waitForSelector('[data-testid=no-portfolio-total]');
  await app.gotoView('settings');
  await page.fill('[data-input=agency]', 'Acme Agency');
  await page.press('[data-input=agency]', 'Tab');
  await page.fill('[data-input=fx_rates]', 'GBP=1.27');
  await page.fill('[data-input=reporting_currency]', 'USD');
  await page.press('[data-input=reporting_currency]', 'Tab');
  await app.gotoView('portfolio');
  await page.waitForSelector('[data-table=converted] tr[data-shop=total]');
  await app.idle();
  // By hand: 22931.17 × 1.27 = 29122.5859 → 29122.59; 6955.62 + 29122.59 + 6955.62 = 43033.83.
  assert.equal(plain(await app.text('[data-table=converted] tr[data-shop="GB shop 1"] [data-metric=net_sales]')), '29122.59');
  assert.equal(plain(await app.text('[data-table=converted] tr[data-shop=total] [data-metric=net_sales]')), '43033.83');
  assert.match(await app.text('[data-table=converted] tr[data-shop="GB shop 1"] [data-metric=rate]'), /1 GBP = 1\.27/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'portfolio-total-1366x768.png'), fullPage: true });

  // The client report of "US shop 2": that shop only, prepared by the agency.
  await page.click('[data-open-shop="US shop 2"]');
  await page.waitForFunction(() => document.querySelector('[data-input=shop] option:checked')?.dataset.shop === 'US shop 2');
  await app.idle();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=client-report]')]);
  const html = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(download.suggestedFilename(), 'US_shop_2-report.html');
  assert.ok(html.includes('Prepared by Acme Agency'));
  assert.ok(html.includes('<h1 data-shop="US shop 2">US shop 2</h1>'));
  assert.ok(html.includes('$6,955.62'));
  for (const other of ['US shop 1', 'GB shop 1', '£']) assert.ok(!html.includes(other), other);

  // Printed: the page as paper shows the shop's name and no other shop's (the switcher is not printed).
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => document.body.innerText);
  assert.ok(printed.includes('US shop 2'));
  for (const other of ['US shop 1', 'GB shop 1']) assert.ok(!printed.includes(other), `printed: ${other}`);
  await page.pdf({ path: path.join(ARTIFACTS, 'us-shop-2-print.pdf') }).catch(() => {});
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(third, { force: true });
});

test("a client's workspace file holds that shop's costs only, and importing it keeps the other shops' costs", async () => {
  const third = thirdShop();
  const files = [...FILES, third];
  const want = engineReport(files);
  const [sku1, sku2] = [want.shops[0].report.skus[0].sku_id, want.shops[2].report.skus[0].sku_id];
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files);
  const pick = async (name) => {
    await app.gotoView('overview');
    await page.selectOption('[data-input=shop]', { label: `${name} (USD)` });
    await page.waitForFunction((n) => document.querySelector('[data-input=shop] option:checked')?.dataset.shop === n, name);
    await app.idle();
  };
  await pick('US shop 2');
  await app.setUnitCost(sku2, '3.10');
  await pick('US shop 1');
  await app.setUnitCost(sku1, '4.20');
  await app.gotoView('settings');
  await page.selectOption('[data-input=workspace-shop]', { label: 'US shop 2' });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=workspace-export]')]);
  const saved = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.ok(saved.shop, 'marked as one shop\'s file');
  assert.deepEqual(saved.costs.entries.map((e) => [e.sku, e.unit_cost]), [[sku2, '3.10']]);
  assert.ok(!JSON.stringify(saved).includes(sku1), 'nothing of US shop 1');
  // Imported back with another cost: shop 2's cost changes, shop 1's stays.
  saved.costs.entries[0].unit_cost = '3.50';
  await page.setInputFiles('[data-testid=workspace-import]', [{ name: 'acme.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(saved)) }]);
  await app.idle();
  assert.equal(await app.unitCost(sku1), '4.20');
  await pick('US shop 2');
  assert.equal(await app.unitCost(sku2), '3.50');
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(third, { force: true });
});

test('an ads export with no order or SKU ID and two shops in its currency: the page asks which shop, and the answer decides', async () => {
  // A second USD shop: a generated Orders export (its own IDs).
  const other = path.join(ARTIFACTS, `other_shop_${process.pid}.csv`);
  execFileSync(CLI, ['generate', 'orders', '--market', 'us', '--seed', '5', '--days', '10', '--orders', '40', '--out', other]);
  const gmv = path.join(ROOT, 'tests', 'fixtures', 'handmade', 'gmv_max_campaign.xlsx');
  const alone = engineReport([FILES[0], gmv]);
  assert.equal(alone.totals.ad_spend, '67.75');
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([FILES[0], other, gmv]);
  const notice = page.locator('[data-testid=unassigned-files] li[data-file="gmv_max_campaign.xlsx"]');
  await notice.waitFor();
  assert.match(await notice.textContent(), /2 shops could own it/);
  // No shop has its spend yet: the US shop's CM2 is the US export's alone.
  assert.equal(await app.kpi('cm2'), engineReport([FILES[0]]).totals.cm2);
  await page.selectOption('[data-testid=unassigned-files] [data-input=file-shop]', { label: 'US shop 1' });
  await page.waitForSelector('[data-testid=unassigned-files]', { state: 'detached' });
  await app.idle();
  // The US shop now has the export's spend (67.75): the engine's report of those two files.
  for (const k of ['cm2', 'blended_cpo']) assert.equal(await app.kpi(k), alone.totals[k], k);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(other, { force: true });
});

test('a shop given its own settings uses them; the other shops keep the shared ones', async () => {
  const third = thirdShop();
  const files = [...FILES, third];
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files);
  await app.gotoView('settings');
  await page.selectOption('[data-input=settings-scope]', { label: 'US shop 2' });
  await page.click('[data-testid=own-settings]');
  await page.waitForSelector('[data-testid=shared-settings]');
  await page.fill('[data-input=fulfillment_per_unit]', '0.50');
  await page.press('[data-input=fulfillment_per_unit]', 'Tab');
  await app.idle();
  // US shop 2 has the US export's lines: its CM2 is the CLI's for that file with 0.50 a unit.
  const global = path.join(ARTIFACTS, `fulfil-${process.pid}.json`);
  fs.writeFileSync(global, '{"fulfillment_per_unit":"0.50"}');
  const own = engineReport([third], null, ['--settings', global]).totals;
  const shared = engineReport([FILES[0], FILES[1]]).totals;
  await app.gotoView('portfolio');
  await page.waitForFunction((v) => document.querySelector('tr[data-shop="US shop 2"] [data-metric=cm2]')?.textContent.replace(/[^0-9.\-]/g, '') === v, own.cm2);
  assert.equal(plain(await app.text('tr[data-shop="US shop 1"] [data-metric=cm2]')), shared.cm2);
  assert.notEqual(own.cm2, engineReport([third]).totals.cm2);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(third, { force: true });
  fs.rmSync(global, { force: true });
});
