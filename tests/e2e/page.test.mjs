// End-to-end tests of the Trunk-built page in real headless Chromium (Debian's), driven by playwright-core
// through the shared harness (harness.mjs: dist/ served under its sub-path on 127.0.0.1, the browser, the
// page's common steps). Expected figures come from the engine itself through the CLI
// (`margin-lab report --json` on the same files), so the page is checked against the engine, not itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ARTIFACTS, CLI, FIXTURES, ROOT, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const UK = path.join(FIXTURES, 'uk_orders_2026-05-17.csv');

async function checkAgainstEngine(app, report) {
  const { page } = app;
  // KPI tiles, on the overview.
  await app.gotoView('overview');
  await page.waitForSelector('[data-kpi=net_sales]');
  for (const k of ['gmv', 'net_sales', 'net_revenue', 'gross_profit', 'cm2', 'net_profit']) {
    assert.equal(plain(await app.kpiText(k)), report.totals[k], `KPI ${k}`);
  }
  for (const k of ['orders', 'units_sold']) {
    assert.equal(Number(plain(await app.kpiText(k))), report.totals[k], `KPI ${k}`);
  }
  for (const [k, json] of [['aov', 'aov'], ['blended_cpo', 'blended_cpo']]) {
    const text = await app.kpiText(k);
    if (report.totals[json] === null) assert.equal(text, '—', k);
    else assert.equal(plain(text), report.totals[json], `KPI ${k}`);
  }
  // Percentages: the page shows one decimal, the JSON two, both rounded from the same exact ratio.
  for (const [k, json] of [['cm2_pct', 'cm2_pct'], ['gross_margin_pct', 'gross_margin_pct'], ['return_rate', 'return_rate'], ['affiliate_share', 'affiliate_share']]) {
    const text = await app.kpiText(k);
    if (report.totals[json] === null || report.totals[json] === undefined) continue;
    assert.ok(Math.abs(parseFloat(text) - parseFloat(report.totals[json])) <= 0.055, `KPI ${k}: ${text} vs ${report.totals[json]}`);
  }
  // Every SKU row, every money and count cell, in the SKUs view.
  await app.gotoView('skus');
  await page.waitForSelector('[data-table=skus] tr[data-sku]');
  assert.equal(await page.locator('[data-table=skus] tr[data-sku]').count(), report.skus.length, 'one row per SKU');
  for (const s of report.skus) {
    for (const m of ['gmv', 'refunds', 'net_sales', 'net_revenue', 'cogs', 'gross_profit', 'platform_fees', 'affiliate_commission', 'cm1', 'cm2', 'net_profit']) {
      assert.equal(plain(await app.skuCell(s.sku_id, m)), s[m], `${s.sku_id} ${m}`);
    }
    assert.equal(Number(plain(await app.skuCell(s.sku_id, 'units_sold'))), s.units_sold, `${s.sku_id} units_sold`);
    for (const m of ['gross_margin_pct', 'cm2_pct']) {
      const pct = await app.skuCell(s.sku_id, m);
      if (s[m] === null) assert.equal(pct, '—');
      else assert.ok(Math.abs(parseFloat(pct) - parseFloat(s[m])) <= 0.055, `${s.sku_id} ${m} ${pct} vs ${s[m]}`);
    }
  }
}

test('a real Orders export through the file input shows the engine figures; a cost edit updates CM2 and survives reload', async () => {
  const app = await env.open();
  const { page, requests, errors } = app;
  await app.importFiles([US]);
  // The first files in open the overview.
  await page.waitForSelector('[data-kpi=net_sales]');
  assert.ok((await page.evaluate(() => location.hash)).startsWith('#/overview'));
  await app.gotoView('files');
  assert.equal(await page.locator('[data-testid=file-kind]').first().textContent(), 'Orders export');
  assert.equal(await page.locator('[data-testid=file-rows]').first().textContent(), '349 of 349 rows used');
  await checkAgainstEngine(app, engineReport([US]));

  // Type a unit cost for the best seller: COGS, CM2 and every total follow, as the engine computes with that cost.
  const sku = '1731877424524333233';
  const input = page.locator(`[data-table=skus] [data-sku="${sku}"] [data-input="unit_cost"]`);
  await input.fill('6.50');
  await input.press('Enter');
  const withCost = engineReport([US], `SKU ID,Unit cost\n${sku},6.50\n`);
  const want = withCost.skus.find((x) => x.sku_id === sku);
  await page.waitForFunction(([s, want]) => document.querySelector(`[data-table=skus] [data-sku="${s}"] [data-metric="cm2"]`)?.textContent.replace(/[^0-9.\-]/g, '') === want, [sku, want.cm2]);
  await checkAgainstEngine(app, withCost);

  // A bad cost is refused in place and changes nothing.
  const again = page.locator(`[data-table=skus] [data-sku="${sku}"] [data-input="unit_cost"]`);
  await again.fill('abc');
  await again.blur();
  assert.equal(await again.getAttribute('aria-invalid'), 'true');
  await app.idle();
  await checkAgainstEngine(app, withCost);

  // Reload: the cost is kept (the saved workspace) and the export comes back by itself (kept in this
  // browser's IndexedDB, issue 19).
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await app.gotoView('skus');
  await page.waitForSelector('[data-table=skus] tr[data-sku]');
  assert.equal(await page.locator(`[data-table=skus] [data-sku="${sku}"] [data-input="unit_cost"]`).inputValue(), '6.50');
  await checkAgainstEngine(app, withCost);

  // Privacy: every request went to the page's own origin.
  assert.deepEqual(requests.filter((r) => !r.url.startsWith(env.origin)), []);
  assert.deepEqual(errors, []);
  await app.close();
});

const FOUR = ['us_orders_2026-05-17.csv', 'us_affiliate_orders_2026-05.csv', 'uk_orders_2026-05-17.csv', 'uk_affiliate_orders_2026-05.csv'];

async function checkFour(app) {
  const { page } = app;
  await app.gotoView('files');
  assert.equal(await page.locator('.card').count(), 4);
  for (const n of FOUR) assert.equal(await page.locator(`.card[data-file="${n}"]`).count(), 1, n);
  const f = (n) => path.join(FIXTURES, n);
  // Two currencies: the page shows one at a time (never adds dollars to pounds).
  await app.gotoView('overview');
  await page.selectOption('[data-input=currency]', 'USD');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('$'));
  await app.idle();
  await checkAgainstEngine(app, engineReport([f(FOUR[0]), f(FOUR[1])]));
  await app.gotoView('overview');
  await page.selectOption('[data-input=currency]', 'GBP');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('£'));
  await app.idle();
  const uk = engineReport([f(FOUR[2]), f(FOUR[3])]);
  await checkAgainstEngine(app, uk);
  // Creators: the engine's creator P&L, row by row.
  await app.gotoView('creators');
  await page.waitForSelector('[data-table=creators] tr[data-creator]');
  assert.equal(await page.locator('[data-table=creators] tr[data-creator]').count(), uk.creators.length);
  for (const c of uk.creators) {
    const cell = (m) => app.metric(`[data-table=creators] [data-creator="${c.creator}"]`, m);
    assert.equal(plain(await cell('net_revenue')), c.net_revenue, `${c.creator} net_revenue`);
    assert.equal(plain(await cell('commission')), c.commission, `${c.creator} commission`);
    assert.equal(plain(await cell('net_after_commission')), c.net_after_commission, `${c.creator} net_after_commission`);
    assert.equal(plain(await cell('cm')), c.cm, `${c.creator} cm`);
    const eff = await cell('efficiency');
    if (c.efficiency === null) assert.equal(eff, '—');
    else assert.ok(Math.abs(parseFloat(eff) - parseFloat(c.efficiency)) <= 0.0051, `${c.creator} efficiency ${eff} vs ${c.efficiency}`);
  }
}

test('the four real exports at once through the file input: a card each, figures per currency and per creator', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(FOUR.map((n) => path.join(FIXTURES, n)));
  await checkFour(app);
  assert.deepEqual(errors, []);
  await app.close();
});

test('the four real exports dropped at once, with a bad file: the good ones load, the bad one says why', async () => {
  const app = await env.open();
  const { page, errors } = app;
  const payload = FOUR.map((n) => ({ name: n, mimeType: 'text/csv', buffer: fs.readFileSync(path.join(FIXTURES, n)) }));
  payload.push({ name: 'excel-resaved.csv', mimeType: 'text/csv', buffer: Buffer.from('Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n5.77E+17,Shipped,1,1,1,0,05/17/2026 9:00:00 PM,05/17/2026 9:00:00 PM\n') });
  await app.dropFiles(payload);
  await page.waitForSelector('[data-testid=import-error]');
  const err = await page.locator('[data-testid=import-error]').textContent();
  assert.match(err, /^excel-resaved\.csv, row 2, column "Order ID": /);
  await checkFour(app);
  // The error stays on every view until dismissed.
  assert.equal(await page.locator('[data-testid=import-error]').count(), 1);
  await page.screenshot({ path: path.join(ARTIFACTS, 'creators-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

test('demo data loads in one click; the report exports as JSON and the SKU table as CSV and XLSX', async () => {
  const app = await env.open();
  const { page, requests, errors } = app;
  await app.loadDemo();
  await app.gotoView('files');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 6);
  const demo = path.join(ROOT, 'public', 'demo');
  const want = engineReport([path.join(demo, 'demo_us_orders.csv'), path.join(demo, 'demo_us_affiliate_orders.csv')], fs.readFileSync(path.join(demo, 'demo_us_costs.csv'), 'utf8') + fs.readFileSync(path.join(demo, 'demo_uk_costs.csv'), 'utf8').split('\n').slice(1).join('\n'));
  await app.gotoView('overview');
  await page.selectOption('[data-input=currency]', 'USD');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('$'));
  await app.idle();
  await checkAgainstEngine(app, want);
  await app.gotoView('overview');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
  assert.equal(download.suggestedFilename(), 'margin-lab-report.json');
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.totals.net_sales, want.totals.net_sales);

  await app.gotoView('skus');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=skus-csv]')]);
  assert.equal(csv.suggestedFilename(), 'margin-lab-skus.csv');
  const text = fs.readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = text.trim().split(/\r?\n/);
  assert.equal(lines.length, want.skus.length + 1, 'a header and a line per SKU');
  assert.match(lines[0], /^ID,Product,Unit cost \(USD\)/);
  for (const s of want.skus) assert.ok(lines.some((l) => l.startsWith(s.sku_id + ',') && l.includes(',' + s.net_sales + ',')), `${s.sku_id} net sales ${s.net_sales} in the CSV`);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=skus-xlsx]')]);
  assert.equal(xlsx.suggestedFilename(), 'margin-lab-skus.xlsx');
  assert.equal(fs.readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');
  // Read back by the engine's own XLSX reader? It is not a costs sheet; the engine tests check the writer.

  assert.deepEqual(requests.filter((r) => !r.url.startsWith(env.origin)), []);
  assert.deepEqual(errors, []);
  await app.close();
});

test('the period picker, search and sort live in the URL: a reload opens the same view', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([US]);
  const all = engineReport([US]);
  // Last 7 days counts back from the last day with orders.
  const last = new Date(all.period.to + 'T00:00:00Z');
  const from = new Date(last.getTime() - 6 * 86400e3).toISOString().slice(0, 10);
  const week = engineReport([US], null, ['--from', from, '--to', all.period.to]);
  await app.gotoView('overview');
  await page.selectOption('[data-input=period]', 'last-7');
  await page.waitForFunction((f) => document.querySelector('[data-testid=period]')?.textContent.includes(f), from);
  await app.idle();
  await checkAgainstEngine(app, week);
  // The worker keeps the lines' figures between requests (report::prepare): a cost edit must replace
  // them, and a period change after it must sum the new ones.
  const costed = '1731877424524333233';
  await app.gotoView('skus');
  const cost = page.locator(`[data-table=skus] [data-sku="${costed}"] [data-input="unit_cost"]`);
  await cost.fill('4.25');
  await cost.press('Enter');
  const costs = `SKU ID,Unit cost\n${costed},4.25\n`;
  const weekCost = engineReport([US], costs, ['--from', from, '--to', all.period.to]);
  await page.waitForFunction(([s, want]) => document.querySelector(`[data-table=skus] [data-sku="${s}"] [data-metric="cm2"]`)?.textContent.replace(/[^0-9.\-]/g, '') === want,
    [costed, weekCost.skus.find((x) => x.sku_id === costed).cm2]);
  await checkAgainstEngine(app, weekCost);
  await app.gotoView('overview');
  await page.selectOption('[data-input=period]', 'all');
  await page.waitForFunction((f) => document.querySelector('[data-testid=period]')?.textContent.includes(f), all.period.from);
  await app.idle();
  await checkAgainstEngine(app, engineReport([US], costs));
  await app.gotoView('overview');
  await page.selectOption('[data-input=period]', 'last-7');
  await page.waitForFunction((f) => document.querySelector('[data-testid=period]')?.textContent.includes(f), from);
  await app.idle();
  await checkAgainstEngine(app, weekCost);
  // Search and sort on the SKUs view.
  await page.fill('[data-testid=skus-search]', '1731877424524333233');
  await page.waitForFunction(() => document.querySelectorAll('[data-table=skus] tr[data-sku]').length === 1);
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#\/skus\?period=last-7&skus\.q=1731877424524333233$/);
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  assert.equal(await page.evaluate(() => location.hash), hash);
  await app.importFiles([US]);
  await app.gotoView('skus');
  await page.waitForFunction(() => document.querySelectorAll('[data-table=skus] tr[data-sku]').length === 1);
  assert.equal(await page.inputValue('[data-testid=skus-search]'), '1731877424524333233');
  assert.equal(await page.inputValue('[data-input=period]'), 'last-7');
  // Sorting by a header: CM2 lowest first.
  await page.fill('[data-testid=skus-search]', '');
  await page.click('[data-table=skus] thead th:has-text("CM2 %") button');
  await page.click('[data-table=skus] thead th:has-text("CM2 %") button');
  await page.waitForFunction(() => location.hash.includes('skus.sort=cm2_pct%3Aasc') || location.hash.includes('skus.sort=cm2_pct:asc'));
  const ids = await page.locator('[data-table=skus] tr[data-sku]').evaluateAll((rows) => rows.map((r) => r.dataset.sku));
  const pcts = weekCost.skus.map((s) => [s.sku_id, s.cm2_pct === null ? Infinity : parseFloat(s.cm2_pct)]).sort((a, b) => a[1] - b[1]);
  assert.equal(ids[0], pcts[0][0], 'the lowest CM2 % first');
  assert.deepEqual(errors, []);
  await app.close();
});

test('keyboard: arrows move between cells, Enter edits, Escape cancels', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([US]);
  await app.gotoView('skus');
  const first = page.locator('[data-table=skus] tbody tr[data-sku]').first();
  await first.locator('th').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.querySelector('input')?.dataset.input), 'unit_cost');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.input), 'unit_cost');
  const before = await page.evaluate(() => document.activeElement.value);
  await page.keyboard.type('99');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'TD', 'focus back on the cell');
  assert.equal(await first.locator('[data-input=unit_cost]').inputValue(), before, 'Escape restored the value');
  await page.keyboard.press('ArrowDown');
  const row = await page.evaluate(() => document.activeElement.closest('tr').dataset.sku);
  const second = await page.locator('[data-table=skus] tbody tr[data-sku]').nth(1).getAttribute('data-sku');
  assert.equal(row, second);
  assert.deepEqual(errors, []);
  await app.close();
});

test('every view at 1366×768 (screenshots kept as build artifacts)', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.loadDemo();
  for (const v of ['files', 'overview', 'skus', 'creators', 'content', 'ads', 'cash', 'what-if', 'settings']) {
    await app.gotoView(v);
    await page.waitForTimeout(300);
    // No horizontal overflow of the page itself (wide tables scroll inside their own box).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${v}: the page is ${overflow}px wider than the window`);
    await page.screenshot({ path: path.join(ARTIFACTS, `view-${v}-1366x768.png`) });
  }
  // The charts are SVG drawn by the app, named for screen readers.
  await app.gotoView('overview');
  for (const id of ['trend-money', 'trend-orders', 'waterfall']) {
    const fig = page.locator(`[data-testid=${id}]`);
    // The view renders after the hash changes; on a loaded CI machine that can be after gotoView returns.
    await fig.locator('svg').first().waitFor({ timeout: 10000 });
    assert.equal(await fig.locator('svg').count(), 1, id);
    assert.ok((await fig.locator('svg title').first().textContent()).length > 3, `${id} has a title`);
  }
  assert.deepEqual(errors, []);
  await app.close();
});

test('exported cells that could run as formulas are neutralised; names with HTML render as text', async () => {
  const app = await env.open();
  const { page, errors, dialogs } = app;
  const csv = 'Order ID,Order Status,SKU ID,Seller SKU,Product Name,Variation,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n' +
    '576000000000000001,Shipped,1001,=HYPERLINK("http://x"),<img src=x onerror=alert(1)>,@SUM(A1),1,10.00,0,05/03/2026 10:00:00 AM,05/03/2026 10:00:05 AM\n';
  await app.importFiles([{ name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await app.gotoView('skus');
  await page.waitForSelector('[data-table=skus] tr[data-sku="1001"]');
  assert.equal(await page.locator('main img').count(), 0, 'no element from the data');
  assert.match(await page.locator('[data-table=skus] tr[data-sku="1001"] th').textContent(), /<img src=x onerror=alert\(1\)>/);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=skus-csv]')]);
  const text = fs.readFileSync(await dl.path(), 'utf8');
  assert.ok(text.includes("'=HYPERLINK"), text);
  assert.ok(!/(^|,)"?=HYPERLINK/m.test(text), 'no cell starts with =');
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await app.close();
});

test('unreadable saved storage is reported, kept for download and reset; a v1 costs table is migrated', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await page.evaluate(() => localStorage.setItem('margin-lab.workspace.v2', '{"schema": 2, "costs": [oops'));
  await page.reload();
  await page.waitForSelector('.notice');
  assert.equal(await page.locator('.notice', { hasText: /The saved workspace could not be read/ }).count(), 1);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('text=download it')]);
  assert.equal(fs.readFileSync(await dl.path(), 'utf8'), '{"schema": 2, "costs": [oops');
  await app.importFiles([UK]);
  await checkAgainstEngine(app, engineReport([UK]));

  // The first page version kept a bare costs table under another key: it becomes the workspace.
  const sku = engineReport([UK]).skus[0].sku_id;
  await page.evaluate((s) => {
    localStorage.clear();
    localStorage.setItem('margin-lab.costs.v1', JSON.stringify({ entries: [{ sku: s, effective_from: null, unit_cost: '2.25' }], skus: [] }));
  }, sku);
  await page.reload();
  await page.waitForSelector('nav a[data-view=files]');
  await app.importFiles([UK]);
  await checkAgainstEngine(app, engineReport([UK], `SKU ID,Unit cost\n${sku},2.25\n`));
  assert.equal(await page.evaluate(() => localStorage.getItem('margin-lab.costs.v1')), null, 'the old key is gone');
  assert.ok(await page.evaluate(() => JSON.parse(localStorage.getItem('margin-lab.workspace.v2')).schema === 2));
  assert.deepEqual(errors, []);
  await app.close();
});

test('one file of each kind, CSV and XLSX, through the worker: a card each with its import report', async () => {
  const F = path.join(ROOT, 'tests', 'fixtures');
  const files = [
    [path.join(FIXTURES, 'us_orders_2026-05-17.csv'), 'Orders export', 'UTF-8'],
    [path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv'), 'Affiliate orders export', 'UTF-8'],
    [path.join(F, 'handmade', 'finance_income_order_details.xlsx'), 'Finance income export', 'xlsx'],
    [path.join(F, 'handmade', 'gmv_max_campaign.xlsx'), 'GMV Max campaign report', 'xlsx'],
    [path.join(F, 'handmade', 'ads_manager_cost.xlsx'), 'Ads Manager cost report', 'xlsx'],
    [path.join(F, 'costs_for_fixtures.csv'), 'Costs sheet', 'UTF-8'],
  ];
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files.map(([f]) => f));
  await app.gotoView('files');
  await page.waitForFunction((n) => document.querySelectorAll('.card').length === n, files.length);
  assert.equal(await page.locator('[data-testid=import-error]').count(), 0);
  // The page's figures are in USD (the first file's currency): the Affiliate card counts the rows joined to
  // the loaded US orders, as the engine does over the same files (docs/metrics.md §8: files[].joined_rows).
  const usd = engineReport(files.slice(0, 2).map(([f]) => f));
  for (const [f, label, encoding] of files) {
    const name = path.basename(f);
    const want = engineReport([f]).files.find((x) => x.name === name);
    const card = page.locator(`.card[data-file="${name}"]`);
    assert.equal(await card.locator('[data-testid=file-kind]').textContent(), label, name);
    if (label === 'Affiliate orders export') {
      const joined = usd.files.find((x) => x.name === name).joined_rows;
      assert.ok(joined > 0 && joined < want.rows, `${name}: ${joined} of ${want.rows} joined`);
      const text = `${joined} of ${want.rows} rows joined to loaded orders`;
      await page.waitForFunction(([n, t]) => document.querySelector(`.card[data-file="${n}"] [data-testid=file-rows]`)?.textContent === t, [name, text]);
      assert.equal(await card.locator('[data-testid=file-rows]').getAttribute('data-joined'), String(joined), name);
      continue;
    }
    assert.equal(await card.locator('[data-testid=file-rows]').textContent(), `${want.used_rows} of ${want.rows} rows used`, name);
    const readAs = await card.locator('[data-testid=file-read-as]').textContent();
    assert.ok(readAs.startsWith(`Read as ${encoding}`), `${name}: ${readAs}`);
    if (label !== 'Costs sheet') assert.ok(readAs.length > `Read as ${encoding}`.length + 3, `${name}: evidence in "${readAs}"`);
    assert.match(await card.locator('details summary').textContent(), /^\d+ columns used, \d+ ignored$/, name);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'every-kind-1366x768.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await app.close();
});

test('a ~36 MB Orders export is imported in the worker with a progress bar, and the page stays responsive', async (t) => {
  // Generated here (the CLI's deterministic generator), so the repository carries no large file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'margin-lab-big-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const big = path.join(dir, 'orders_us_60000.csv');
  execFileSync(CLI, ['generate', 'orders', '--market', 'us', '--seed', '3', '--orders', '60000', '--out', big]);
  const size = fs.statSync(big).size;
  assert.ok(size > 25e6, `the generated export is ${size} bytes`);
  const want = engineReport([big]);

  const app = await env.open();
  const { page, errors } = app;
  // Probes in the page: every stall of the main thread over 50 ms, as the gaps between 10 ms timer
  // callbacks (what a user feels: nothing else can run meanwhile), and every state of the progress bars.
  await page.evaluate(() => {
    const p = { gaps: [], last: performance.now(), bars: [], stop: null };
    window.__probe = p;
    const timer = setInterval(() => {
      const now = performance.now();
      if (now - p.last > 50) p.gaps.push([p.last, now]);
      p.last = now;
    }, 10);
    const bars = new MutationObserver(() => {
      const items = document.querySelectorAll('[data-testid=import-progress]');
      if (items.length) p.busy = true;
      else if (p.busy && !p.done) p.done = performance.now();
      for (const li of items) {
        const bar = li.querySelector('progress');
        p.bars.push({ value: bar.getAttribute('value'), max: bar.getAttribute('max'), label: li.textContent });
      }
    });
    bars.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    p.stop = () => { clearInterval(timer); bars.disconnect(); };
  });

  const t0 = Date.now();
  await page.setInputFiles('input[type=file]', [big]);
  await page.waitForSelector('[data-kpi=net_sales]', { timeout: 120_000 });
  await app.idle();
  const seconds = (Date.now() - t0) / 1000;
  await page.waitForTimeout(100); // a last probe tick after the final render
  const probe = await page.evaluate(() => {
    window.__probe.stop();
    return { gaps: window.__probe.gaps, bars: window.__probe.bars, done: window.__probe.done };
  });
  // Stalls that start while the file is read and parsed are the import's; the ones after it, the first
  // drawing of the overview with its figures (DOM, style and layout: the wasm work is small).
  const stall = (gs) => Math.max(0, ...gs.map(([a, b]) => b - a));
  const longest = stall(probe.gaps.filter(([a]) => a < probe.done));
  const firstPaint = stall(probe.gaps.filter(([a]) => a >= probe.done));
  t.diagnostic(`${(size / 1e6).toFixed(1)} MB, ${want.files[0].rows} rows: figures shown ${seconds.toFixed(2)} s after the pick; ` +
    `longest main-thread stall ${longest ? longest.toFixed(0) + ' ms' : 'none over 50 ms'} while importing, ` +
    `${firstPaint ? firstPaint.toFixed(0) + ' ms' : 'none over 50 ms'} drawing the overview; ${probe.bars.length} progress states`);

  // The progress bar showed the file's name and size, and bytes moving before the end.
  const name = path.basename(big);
  const mb = `${(size / 1e6).toFixed(1)} MB`;
  assert.ok(probe.bars.some((b) => b.max === String(size) && b.label.includes(name) && b.label.includes(`of ${mb}`)), JSON.stringify(probe.bars.slice(0, 3)));
  assert.ok(probe.bars.some((b) => b.value !== null && Number(b.value) > 0 && Number(b.value) < size && /\(\d+%\)/.test(b.label)), 'a partial progress state');
  assert.ok(probe.bars.some((b) => /\d[\d,]* rows$/.test(b.label)), "the bar counts rows as well as bytes");
  // It is gone once the figures are there.
  assert.equal(await page.locator('[data-testid=import-progress]').count(), 0);
  const file = want.files[0];

  // The figures are the engine's on the same file.
  assert.equal(plain(await page.locator('[data-kpi=net_sales]').textContent()), want.totals.net_sales);
  await checkAgainstEngine(app, want);

  // A period change recomputes in the worker: the main thread stays free meanwhile.
  await page.evaluate(() => { window.__probe.gaps = []; });
  await app.gotoView('overview');
  await page.evaluate(() => {
    const p = window.__probe; p.last = performance.now();
    p.timer = setInterval(() => { const now = performance.now(); if (now - p.last > 50) p.gaps.push([p.last, now]); p.last = now; }, 10);
  });
  const t1 = Date.now();
  await page.selectOption('[data-input=period]', 'last-7');
  await page.waitForFunction(() => document.querySelector('[data-testid=period]')?.textContent.includes('–') && !document.querySelector('.computing'));
  const periodMs = Date.now() - t1;
  const periodStall = await page.evaluate(() => { clearInterval(window.__probe.timer); return Math.max(0, ...window.__probe.gaps.map(([a, b]) => b - a)); });
  t.diagnostic(`period change: figures in ${periodMs} ms, longest main-thread stall ${periodStall.toFixed(0)} ms`);
  await app.gotoView('files');
  assert.equal(await page.locator('[data-testid=file-rows]').first().textContent(), `${file.used_rows} of ${file.rows} rows used`);
  assert.deepEqual(errors, []);
  await app.close();

  // Responsiveness, not speed: no main-thread stall over 200 ms while the file is read, parsed and its
  // figures computed, nor while a period change is computed (200 ms is the "good" bound of Interaction to
  // Next Paint, twice the 100 ms within which a response feels instant, for a shared test machine's noise).
  assert.ok(longest < 200, `the main thread stalled ${longest.toFixed(0)} ms during the import`);
  // Drawing the whole overview (with the morning review since issue 17) for the first time is one task of DOM
  // work; bounded loosely at 600 ms (421 ms measured on a loaded 2-core machine; issue 20 owns making it smaller) (a shared
  // machine's style and layout), and a later period change must not stall at all (below).
  assert.ok(firstPaint < 600, `drawing the overview stalled the main thread ${firstPaint.toFixed(0)} ms`);
  assert.ok(periodStall < 200, `the main thread stalled ${periodStall.toFixed(0)} ms during a period change`);
});

test('the user can correct a file\'s date order and currency; the file is read again', async () => {
  const app = await env.open();
  const { page, errors } = app;
  // No AM/PM and no part above 12: a US-dollar file is read month first (03/05 = 5 March).
  const csv = 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n' +
    '576000000000000001,Shipped,1,1,10.00,0,03/05/2026 10:00:00,03/05/2026 10:00:05\n';
  await app.importFiles([{ name: 'ambiguous.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await app.gotoView('files');
  const dates = page.locator('[data-file="ambiguous.csv"] [data-testid=file-dates]');
  assert.equal(await dates.textContent(), '2026-03-05 – 2026-03-05');
  await page.selectOption('[data-file="ambiguous.csv"] [data-input=date_order]', 'day-first');
  await page.waitForFunction(() => document.querySelector('[data-file="ambiguous.csv"] [data-testid=file-dates]')?.textContent === '2026-05-03 – 2026-05-03');
  assert.match(await page.locator('[data-file="ambiguous.csv"] [data-testid=file-read-as]').textContent(), /day\/month\/year/);
  await page.selectOption('[data-file="ambiguous.csv"] [data-input=currency]', 'GBP');
  await page.waitForFunction(() => document.querySelector('[data-file="ambiguous.csv"]')?.textContent.includes('GBP'));
  assert.equal(await page.locator('.card').count(), 1, 'the file was replaced, not added');
  await app.gotoView('overview');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent === '£10.00');
  assert.deepEqual(errors, []);
  await app.close();
});

test('10,000 SKUs: the table renders only the rows in view and scrolls to the last', async () => {
  // One order line per SKU, written here: 10,000 distinct SKU IDs.
  let csv = 'Order ID,Order Status,SKU ID,Seller SKU,Product Name,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n';
  for (let i = 0; i < 10000; i++) {
    csv += `57600000000${String(i).padStart(7, '0')},Shipped,${9000000 + i},SKU-${i},Product ${i},1,${(10 + (i % 90)).toFixed(2)},0,05/03/2026 10:00:00 AM,05/03/2026 10:00:05 AM\n`;
  }
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([{ name: 'ten-thousand.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await app.gotoView('skus');
  await page.waitForSelector('[data-table=skus] tr[data-sku]');
  assert.match(await page.locator('[data-table=skus]').locator('xpath=../..').locator('.row-count').first().textContent(), /^10,000 rows$/);
  const rendered = await page.locator('[data-table=skus] tr[data-sku]').count();
  assert.ok(rendered > 10 && rendered < 200, `${rendered} rows in the DOM`);
  // Scroll the table's box to the end: the last SKU by net sales (the cheapest, ID order among ties) shows.
  await page.evaluate(() => { const w = document.querySelector('[data-table=skus]').parentElement; w.scrollTop = w.scrollHeight; });
  await page.waitForFunction(() => document.querySelectorAll('[data-table=skus] tr[data-sku]').length > 0 &&
    [...document.querySelectorAll('[data-table=skus] tr[data-sku] [data-metric=net_sales]')].some((td) => td.textContent === '$10.00'));
  assert.ok(await page.locator('[data-table=skus] tr[data-sku]').count() < 200);
  assert.deepEqual(errors, []);
  await app.close();
});

test('a file can be removed; the workspace exports to a file and imports into a fresh browser', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([US, UK]);
  await app.gotoView('files');
  await page.click('.card[data-file="us_orders_2026-05-17.csv"] button:has-text("Remove")');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 1);
  await app.idle();
  await checkAgainstEngine(app, engineReport([UK]));
  // A cost and a setting, then the workspace file.
  const sku = engineReport([UK]).skus[0].sku_id;
  const input = page.locator(`[data-table=skus] [data-sku="${sku}"] [data-input="unit_cost"]`);
  await input.fill('3.30');
  await input.press('Enter');
  await app.idle();
  await app.gotoView('settings');
  await page.fill('[data-input=return_shipping_per_unit]', '1.25');
  await page.press('[data-input=return_shipping_per_unit]', 'Enter');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=workspace-export]')]);
  const saved = fs.readFileSync(await dl.path());
  const doc = JSON.parse(saved.toString('utf8'));
  assert.equal(doc.schema, 2);
  assert.equal(doc.settings.return_shipping_per_unit, '1.25');
  await app.close();

  // A fresh profile: nothing saved until the file is imported.
  const fresh = await env.open();
  await fresh.gotoView('settings');
  assert.equal(await fresh.page.inputValue('[data-input=return_shipping_per_unit]'), '0');
  await fresh.page.setInputFiles('[data-testid=workspace-import]', [{ name: 'margin-lab-workspace.json', mimeType: 'application/json', buffer: saved }]);
  await fresh.page.waitForFunction(() => document.querySelector('[data-input=return_shipping_per_unit]')?.value === '1.25');
  await fresh.importFiles([UK]);
  await fresh.gotoView('skus');
  await fresh.page.waitForSelector(`[data-table=skus] [data-sku="${sku}"]`);
  assert.equal(await fresh.page.inputValue(`[data-table=skus] [data-sku="${sku}"] [data-input="unit_cost"]`), '3.30');
  assert.deepEqual(errors, []);
  assert.deepEqual(fresh.errors, []);
  await fresh.close();
});

test('with a finance export: the overview shows the matched lines\' actual settlement beside the estimate for the same lines', async () => {
  // The Orders lines of crates/engine/tests/settlement.rs: order …234 is the income fixture's sale, order
  // …999 has no finance row and stays out of the comparison.
  const orders = path.join(ARTIFACTS, `settlement-orders-${process.pid}.csv`);
  fs.writeFileSync(orders, 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n'
    + '578012345678901234,Completed,99,1,PHP 1200.00,PHP 100.00,10/05/2026 09:00:00,10/05/2026 09:00:05\n'
    + '578000000000000999,Completed,98,1,PHP 500.00,PHP 0.00,10/05/2026 10:00:00,10/05/2026 10:00:05\n');
  const files = [orders, path.join(ROOT, 'tests', 'fixtures', 'handmade', 'finance_income_order_details.xlsx')];
  const want = engineReport(files).waterfall;
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(files);
  await app.gotoView('overview');
  await page.waitForSelector('[data-settlement=actual]');
  const shown = async (k) => plain(await app.text(`[data-settlement=${k}]`));
  // By hand (settlement.rs): actual 850.36 − 50 fee adjustment = 800.36; estimated 1100 − 79.64 fees − 60
  // shipping = 960.36; difference −160.00. The engine's report says the same.
  assert.deepEqual([want.actual_settlement, want.estimated_settlement_of_matched, want.settlement_difference], ['800.36', '960.36', '-160.00']);
  assert.equal(await shown('actual'), '800.36');
  assert.equal(await shown('estimated_matched'), '960.36');
  assert.equal(await shown('difference'), '-160.00');
  assert.match(await app.text('[data-testid=settlement]'), /of the 1 matched lines/);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(orders, { force: true });
});

test('a line refunded per a newer Affiliate export and delivered per an older Orders export counts as refunded, and the Affiliate card says so', async (t) => {
  // docs/metrics.md §1: a refund any loaded export shows is terminal. Two small exports written here; the
  // expected figures are the engine's on the same files (crates/engine/tests/newest_fact.rs tallies them).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'margin-lab-fact-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const orders = path.join(dir, 'us_orders_2026-05-12.csv');
  fs.writeFileSync(orders, [
    'Order ID,Order Status,Cancelation/Return Type,SKU ID,Quantity,Sku Quantity of return,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time',
    '576000000000000001,Delivered,,11,2,0,40.00,0.00,05/01/2026 10:00:00 AM,05/01/2026 10:00:05 AM',
    '576000000000000002,Delivered,,11,1,0,20.00,0.00,05/01/2026 11:00:00 AM,05/01/2026 11:00:05 AM',
  ].join('\n') + '\n');
  const affiliate = path.join(dir, 'us_affiliate_orders_2026-05.csv');
  fs.writeFileSync(affiliate, [
    'Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Fully returned or refunded,Currency,Est. Commission Base,Est. standard commission payment,Time Created',
    '576000000000000001,11,alice,Video,Ineligible,2,Yes,USD,40.00,4.00,05/01/2026 10:00:00 AM',
    '576000000000000009,11,bob,Video,Pending,1,No,USD,20.00,2.00,05/01/2026 12:00:00 PM',
  ].join('\n') + '\n');
  const want = engineReport([orders, affiliate]);
  // Hand tally: gmv 40 + 20 = 60.00, line …001 refunded whole (40.00): net sales 20.00.
  assert.equal(want.totals.net_sales, '20.00');
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([orders, affiliate]);
  await page.waitForFunction(() => document.querySelector('[data-kpi=net_sales]'));
  await page.waitForFunction((v) => document.querySelector('[data-kpi=net_sales]')?.textContent.replace(/[^0-9.\-]/g, '') === v, want.totals.net_sales);
  await app.gotoView('files');
  const card = page.locator('.card[data-file="us_affiliate_orders_2026-05.csv"]');
  await card.locator('[data-testid=file-overrides]').waitFor();
  assert.equal(await card.locator('[data-testid=file-overrides]').textContent(), '1 line updated by us_affiliate_orders_2026-05.csv: refunded');
  assert.equal(await card.locator('[data-testid=file-overrides]').getAttribute('data-overrides'), '1');
  assert.equal(await card.locator('[data-testid=file-rows]').textContent(), '1 of 2 rows joined to loaded orders');
  assert.equal(await card.locator('[data-testid=file-rows]').getAttribute('data-joined'), '1');
  assert.equal(await page.locator('.card[data-file="us_orders_2026-05-12.csv"] [data-testid=file-overrides]').count(), 0);
  assert.deepEqual(errors, []);
  await app.close();
});
