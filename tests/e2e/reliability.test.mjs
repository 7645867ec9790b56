// Reliability and security of the built page in headless Chromium (issue #8): hostile text in files and file
// names stays text, the bad-input corpus is refused file by file without harming what is loaded, a panic
// shows its banner, nothing leaves the machine after load, the CSP runs no inline script but Trunk's, and
// after one visit the page works offline. Same harness as page.test.mjs (harness.mjs): dist/ served under
// /margin-lab/ by a static server (a second one for the test that stops it), expected figures from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ARTIFACTS, BASE, FIXTURES, ROOT, engineError, engineReport, startServer, useHarness } from './harness.mjs';

const BAD = path.join(ROOT, 'tests', 'fixtures', 'bad');
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');

const env = useHarness();

const BEST_SELLER = '1731877424524333233'; // a SKU of the US fixture

test('hostile text in cells and in a file name is shown as text: no element, no script, no dialog', async () => {
  const app = await env.open();
  const { page, errors, dialogs } = app;
  await page.evaluate(() => { window.__xss = 0; });
  const evil = '<img src=x onerror="window.__xss++;alert(1)">';
  const csv = 'Order ID,Order Status,SKU ID,Seller SKU,Product Name,Variation,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n' +
    `576000000000000001,Shipped,1001,"${evil.replaceAll('"', '""')}","${evil.replaceAll('"', '""')} tea",<svg onload=alert(2)>,1,10.00,0,05/03/2026 10:00:00 AM,05/03/2026 10:00:05 AM\n` +
    `576000000000000002,Shipped,<img src=x onerror=alert(3)>,MUG-1,Mug,White,1,5.00,0,05/03/2026 11:00:00 AM,05/03/2026 11:00:05 AM\n`;
  const name = '<b>x</b><img src=x onerror=alert(4)>.csv';
  await app.importFiles([
    { name, mimeType: 'text/csv', buffer: Buffer.from(csv) },
    // A refused file whose name is markup: the error message quotes it.
    { name: '<i>empty</i><img src=x onerror=alert(5)>.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) },
  ]);
  await app.gotoView('files');
  await page.waitForSelector('.card[data-file]');
  // The file name is the card's text and attribute, never markup.
  const card = page.locator('.card').filter({ hasText: '<b>x</b>' });
  assert.equal(await card.count(), 1);
  assert.equal(await card.getAttribute('data-file'), name);
  assert.ok((await card.textContent()).includes(name));
  const err = page.locator('[data-testid=import-error]');
  await err.first().waitFor();
  assert.ok((await err.first().textContent()).startsWith('<i>empty</i><img src=x onerror=alert(5)>.csv: the file is empty'));
  // Cell text shows literally in the SKU table.
  await app.gotoView('skus');
  await page.waitForSelector('[data-sku="1001"]');
  const row = await page.locator('[data-sku="1001"]').textContent();
  assert.ok(row.includes(evil) || row.includes(`${evil} tea`), row);
  assert.equal(await page.locator('[data-sku="<img src=x onerror=alert(3)>"]').count(), 1, 'the markup SKU ID is a plain attribute value');
  for (const view of ['files', 'overview', 'skus', 'creators']) {
    await app.gotoView(view);
    await page.waitForTimeout(100);
    const found = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      b: [...document.querySelectorAll('b, i')].filter((e) => e.textContent === 'x' || e.textContent === 'empty').length,
      handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
      xss: window.__xss,
    }));
    assert.deepEqual(found, { img: 0, b: 0, handlers: 0, xss: 0 }, view);
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await app.close();
});

// The representative subset of tests/fixtures/bad (see its README), dropped after good files.
const REFUSED = ['empty.csv', 'binary_renamed.csv', 'excel_resaved_ids.csv', 'mixed_currencies.csv', 'creator_side_affiliate.csv',
  'zip_not_xlsx.xlsx', 'wide_10000_columns.csv', 'html_renamed.xlsx'];
const IMPORTED = ['utf16le_bom_tab.csv', 'latin1.csv', 'semicolon.csv', 'negative_quantity.csv', 'truncated_mid_quote.csv', 'xlsx_wrong_dimension.xlsx'];

test('the bad-input corpus dropped after good files: each refusal names file, row and column; loaded files, figures and an edited cost stay', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'margin-lab-bad-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // A 10 MB single cell, written here rather than stored in the repository.
  const huge = path.join(dir, 'huge_cell_10mb.csv');
  fs.writeFileSync(huge, 'Order ID,Order Status,SKU ID,Product Name,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n' +
    `577396316691665999,Shipped,1729581609641749999,"${'N'.repeat(10 * 1024 * 1024)}",1,10.00,0,05/17/2026 9:41:56 PM,05/17/2026 9:42:00 PM\n`);

  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles([US]);
  await app.setUnitCost(BEST_SELLER, '6.50');
  const before = await app.kpi('net_sales');

  const refused = REFUSED.map((n) => path.join(BAD, n));
  const imported = [...IMPORTED.map((n) => path.join(BAD, n)), huge];
  await app.dropFiles([...refused, ...imported]);

  // One message per refused file, exactly the engine's (file, then row and column where there is one).
  await app.gotoView('files');
  const shown = await page.locator('[data-testid=import-error]').allTextContents();
  for (const f of refused) {
    const want = engineError(f);
    assert.ok(want.startsWith(path.basename(f)), want);
    assert.ok(shown.some((s) => s.startsWith(want)), `${path.basename(f)}: "${want}" not in ${JSON.stringify(shown)}`);
  }
  assert.ok(shown.some((s) => s.startsWith('excel_resaved_ids.csv, row 2, column "Order ID": ')), JSON.stringify(shown));
  assert.ok(shown.some((s) => s.startsWith('mixed_currencies.csv, row 3, column "SKU Subtotal Before Discount": ')), JSON.stringify(shown));
  assert.equal(shown.length, refused.length, JSON.stringify(shown));

  // The good files all have their card, the first one included; the refused ones none.
  for (const f of [US, ...imported]) assert.equal(await page.locator(`.card[data-file="${path.basename(f)}"]`).count(), 1, path.basename(f));
  for (const f of refused) assert.equal(await page.locator(`.card[data-file="${path.basename(f)}"]`).count(), 0, path.basename(f));
  // The skipped rows are named on their card.
  const negative = await page.locator('.card[data-file="negative_quantity.csv"]').textContent();
  assert.match(negative, /row 2, column "Quantity"/);

  // Figures: the engine's over every file that loaded, with the edited cost, which is still there. The
  // corpus files share no Order or SKU ID with the US export, so they are another shop (docs/metrics.md
  // §10): the page shows the US shop, whose own files did not change.
  const all = engineReport([US, ...imported], `SKU ID,Unit cost\n${BEST_SELLER},6.50\n`);
  assert.ok(all.shops.length >= 2, 'the corpus files are a shop of their own');
  const want = all.shops.find((s) => s.files.includes(path.basename(US))).report;
  assert.equal(want.totals.net_sales, before);
  await page.waitForFunction((v) => document.querySelector('[data-kpi=net_sales]') === null || document.querySelector('[data-kpi=net_sales]').textContent.replace(/[^0-9.\-]/g, '') === v, want.totals.net_sales);
  for (const k of ['gmv', 'net_sales', 'cm2']) assert.equal(await app.kpi(k), want.totals[k], k);
  assert.equal(await app.unitCost(BEST_SELLER), '6.50');
  await page.screenshot({ path: path.join(ARTIFACTS, 'bad-corpus-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

test('a panic shows the banner: what happened, costs kept, the message to report, and a reload that works', async () => {
  const app = await env.open();
  const { errors } = app;
  await app.importFiles([US]);
  await app.setUnitCost(BEST_SELLER, '7.25');
  // The test hook: #__panic_test makes the page panic once mounted (src/panic.rs). Opened fresh in the
  // same browser profile (same storage), as a user would come back to the page.
  await app.reopen('#__panic_test');
  const page = app.page;
  const banner = page.locator('[data-testid=panic-banner]');
  await banner.waitFor();
  const text = await banner.textContent();
  assert.match(text, /Margin Lab stopped working/);
  assert.match(text, /nothing on it will respond until you reload/);
  assert.match(text, /unit costs and settings are saved in this browser/);
  assert.match(await page.locator('[data-testid=panic-message]').textContent(), /a test panic, asked for by the address fragment #__panic_test/);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await page.screenshot({ path: path.join(ARTIFACTS, 'panic-banner-1366x768.png') });
  // The instance is dead (panic = "abort" in release): the browser reports the trap.
  assert.ok(errors.some((e) => /unreachable|RuntimeError/i.test(e)), JSON.stringify(errors));
  errors.length = 0;
  // Reload: a plain link, no fragment; the page starts again and the cost typed before the panic is there.
  assert.equal(await page.locator('[data-testid=panic-reload]').getAttribute('href'), env.origin + BASE);
  await page.click('[data-testid=panic-reload]');
  await app.ready();
  assert.equal(await page.locator('[data-testid=panic-banner]').count(), 0);
  await app.importFiles([US]);
  assert.equal(await app.unitCost(BEST_SELLER), '7.25');
  assert.deepEqual(errors, []);
  await app.close();
});

test('privacy: after load, importing, editing and switching views makes no request at all; the CSP runs no injected inline script', async () => {
  const app = await env.open();
  const { page, requests, errors } = app;
  // The service worker caches the build on first visit (see the offline test); once it controls the
  // page, nothing is fetched again, not even the import worker's files.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  const loaded = requests.length;
  const served = env.server.log.length;
  // Every request of the load went to the page's own origin, and none carried a body.
  assert.deepEqual(requests.filter((r) => !r.url.startsWith(env.origin) || r.method !== 'GET' || r.body), []);

  await app.importFiles([US, path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv'), path.join(ROOT, 'tests', 'fixtures', 'costs_for_fixtures.csv')]);
  await app.setUnitCost(BEST_SELLER, '5.10');
  for (const v of ['overview', 'skus', 'creators', 'files']) await app.gotoView(v);
  await app.idle();
  assert.equal(await page.locator('.card[data-file]').count(), 3, 'the three files are in');
  assert.equal(await app.unitCost(BEST_SELLER), '5.10');
  await app.gotoView('files');
  const after = requests.slice(loaded).filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
  // Requests answered by the service worker's cache still show in the page; none may reach the server.
  assert.equal(env.server.log.length, served, `the server was asked: ${JSON.stringify(env.server.log.slice(served))}`);
  assert.deepEqual(after.filter((r) => !r.url.startsWith(env.origin) || r.method !== 'GET' || r.body), []);

  // Content-Security-Policy: Trunk's loader runs by its hash; no 'unsafe-inline'; an injected script is inert.
  const csp = await page.locator('meta[http-equiv=Content-Security-Policy]').getAttribute('content');
  assert.ok(!csp.includes("'unsafe-inline'"), csp);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]+=*'/);
  const ran = await page.evaluate(() => {
    window.__injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.head.appendChild(s);
    return window.__injected;
  });
  assert.equal(ran, false, 'an injected inline script ran');
  assert.deepEqual(errors, []);
  await app.close();
});

test('offline: after one visit the page, the import worker and the demo data work with no network', async () => {
  // A server of its own, stopped half way, and the context set offline: nothing can reach the network.
  const server = await startServer();
  const app = await env.open({ origin: server.origin });
  const { page, errors } = app;
  // The service worker installs on the first visit and caches every file of the build, the demo data
  // included (scripts/post-build.mjs writes the list into sw.js), without the user clicking anything.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const cache = await caches.open(names.find((n) => n.startsWith('margin-lab-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  for (const f of ['/margin-lab/', '/margin-lab/index.html', '/margin-lab/worker_loader.js', '/margin-lab/demo/demo_us_orders.csv']) {
    assert.ok(cached.includes(f), `${f} not cached: ${JSON.stringify(cached)}`);
  }
  // The one wasm module (page and engine worker) is cached, whatever its hashed name.
  assert.ok(cached.some((f) => /^\/margin-lab\/app-[0-9a-f]+_bg\.wasm$/.test(f)), `the wasm module is not cached: ${JSON.stringify(cached)}`);
  const online = server.log.length;
  await server.stop();
  await app.ctx.setOffline(true);

  await app.reload();
  await app.loadDemo({ timeout: 60_000 });
  await app.gotoView('files');
  await page.waitForFunction(() => document.querySelectorAll('.card').length === 6);
  const demo = path.join(ROOT, 'public', 'demo');
  const want = engineReport([path.join(demo, 'demo_us_orders.csv'), path.join(demo, 'demo_us_affiliate_orders.csv')],
    fs.readFileSync(path.join(demo, 'demo_us_costs.csv'), 'utf8') + fs.readFileSync(path.join(demo, 'demo_uk_costs.csv'), 'utf8').split('\n').slice(1).join('\n'));
  await app.gotoView('overview');
  if (await page.locator('[data-input=currency]').count() > 0) {
    await page.selectOption('[data-input=currency]', 'USD');
    await page.waitForFunction(() => document.querySelector('[data-kpi=gmv]')?.textContent.startsWith('$'));
    await app.idle();
  }
  assert.equal(await app.kpi('net_sales'), want.totals.net_sales);
  // A file of the user's own, read by the import worker, offline too.
  await app.importFiles([path.join(FIXTURES, 'uk_orders_2026-05-17.csv')]);
  await app.gotoView('files');
  assert.equal(await page.locator('.card[data-file="uk_orders_2026-05-17.csv"]').count(), 1);
  assert.equal(server.log.length, online, 'nothing reached the (stopped) server');
  await page.screenshot({ path: path.join(ARTIFACTS, 'offline-demo-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});
