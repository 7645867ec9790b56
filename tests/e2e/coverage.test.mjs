// Coverage on the page (docs/metrics.md §9): a shop whose Orders exports leave out a week (one export for
// 4–10 May, one for 18 May, as sellers stitch them) and whose Affiliate export covers 1–18 May, dropped on
// the page. The Overview's Orders strip shows the cut week as a `[data-coverage-gap]`, no KPI shows a change
// (the previous period is not covered), the affiliate drop-off does not fire, the trend chart hatches the
// gap, and the Creators view says how many affiliate rows were left out. Expected values come from the
// engine through the CLI on the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, engineReport, useHarness } from './harness.mjs';

const env = useHarness();

const ORDERS_HEADER = 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n';
const AFFILIATE_HEADER = 'Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,Est. standard commission payment,Time Created\n';
const dd = (d) => String(d).padStart(2, '0');

/** One affiliate order and one shop order a day; the Orders export holds `days`, the Affiliate export 1–18 May. */
function shop(days) {
  let orders = ORDERS_HEADER;
  let affiliate = AFFILIATE_HEADER;
  for (let d = 1; d <= 18; d++) {
    const aff = `57600000000000${dd(d)}01`;
    const own = `57600000000000${dd(d)}02`;
    affiliate += `${aff},1729000000000000001,${d % 2 ? 'a' : 'b'},Video,Settled,1,USD,2.00,${dd(d)}/05/2026 10:00:00\n`;
    if (days.includes(d)) {
      for (const id of [aff, own]) orders += `${id},Completed,1729000000000000001,1,20.00,0,05/${dd(d)}/2026 10:00:00 AM,05/${dd(d)}/2026 10:00:05 AM\n`;
    }
  }
  return { orders, affiliate };
}

function writeFiles() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const first = shop([4, 5, 6, 7, 8, 9, 10]);
  const second = shop([18]);
  const files = {
    'orders_4-10_may.csv': first.orders,
    'orders_18_may.csv': second.orders,
    'affiliate_may.csv': first.affiliate,
  };
  return Object.entries(files).map(([name, text]) => {
    const p = path.join(ARTIFACTS, `coverage-${process.pid}-${name}`);
    fs.writeFileSync(p, text);
    return p;
  });
}

test('an Orders export with a week cut out shows the gap, no change arrows and no drop-off alert', async () => {
  const files = writeFiles();
  const report = engineReport(files);
  // The engine: the cut week is a gap of the Orders, the previous period is not compared.
  assert.deepEqual(report.coverage.orders.gaps, [['2026-05-11', '2026-05-17']]);
  assert.deepEqual(report.coverage.affiliate.gaps, []);
  assert.equal(report.previous, null);
  assert.ok(!report.alerts.alerts.some((a) => a.rule === 'affiliate_dropoff'));
  assert.ok(report.alerts.unavailable.some((u) => u.rule === 'affiliate_dropoff'));

  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles(files);
  await app.gotoView('overview');
  await page.waitForSelector('[data-coverage-gap]');
  const gap = page.locator('[data-coverage=orders] [data-coverage-gap]');
  assert.equal(await gap.count(), 1, 'one gap in the Orders strip');
  assert.equal(await gap.getAttribute('data-coverage-gap'), '2026-05-11/2026-05-17');
  assert.match(await gap.getAttribute('title'), /2026-05-11 – 2026-05-17/);
  // The affiliate strip over the loaded period (4–18 May) has no gap.
  assert.equal(await page.locator('[data-coverage=affiliate] [data-coverage-gap]').count(), 0);
  // No change arrow anywhere: the previous period (19 Apr – 3 May) is not covered, and the page says so.
  assert.equal(await page.locator('.tile-delta').count(), 0);
  assert.match(await app.text('[data-testid=no-comparison]'), /2026-04-19 – 2026-05-03/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'coverage-overview-1366x768.png'), fullPage: true });
  // No affiliate drop-off alert (the week is missing, not empty); every alert keeps its rule hook.
  assert.equal(await page.locator('[data-alert=affiliate_dropoff]').count(), 0);
  for (const a of report.alerts.alerts) assert.ok(await page.locator(`[data-alert=${a.rule}]`).count() > 0, a.rule);
  // The trend chart hatches the gap instead of drawing across it.
  await page.waitForSelector('[data-testid=trend-money] svg');
  assert.ok(await page.locator('[data-testid=trend-money] svg path.gap').count() >= 1, 'a hatched band');
  // The Creators view names the rows left out (1–3 and 11–17 May).
  await app.gotoView('creators');
  const note = page.locator('[data-testid=creators-excluded]');
  await note.waitFor();
  assert.equal(Number(await note.getAttribute('data-rows')), report.creators_excluded.rows);
  assert.equal(report.creators_excluded.rows, 10);
  assert.match(await note.textContent(), /11 May – 17 May/);
  assert.deepEqual(errors, []);
  await app.close();
});
