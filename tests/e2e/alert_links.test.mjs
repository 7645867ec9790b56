// Every alert's "Show the rows" link opens rows that exist (issue 17), for each rule of docs/metrics.md §12
// that the morning-review fixtures never fire: `return_rate_spike` (both bases: the returns known so far of
// the Orders export, and the requests of a Returns & refunds export), `cpo_deterioration` (paid CPO from a
// GMV Max export's daily spend), `affiliate_dropoff` (Orders + Affiliate exports over 14 days) and
// `live_benchmark_miss` (a Creator LIVE Performance export, anchored at the last Orders day). Each rule
// looks back over its own window from the anchor (§12, "The anchor"), not over the period the page shows,
// so a link must move the page to that window — else it opens an empty table.
//
// Each case is a small hand-made export set (the CSV shapes and the figures of the worked examples of §12,
// as crates/engine/tests/alerts.rs builds them), written to tests/e2e/artifacts and removed at the end.
// The engine's report of the same files (`margin-lab report --json`) must fire the rule; the page's alert
// list must be the engine's; then every alert link is clicked on the Overview, and the view it opens must
// show the alert's subject among its rows: the SKU row, the creators whose orders fell, the LIVE session's
// row (marked below the benchmark), the SKUs of the day whose cost per order jumped — the rows the engine
// itself gives over the window the link opens (the CLI with --from/--to that window).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, engineReport, useHarness } from './harness.mjs';

const env = useHarness();

// ---- Hand-made exports (the shapes of crates/engine/tests/alerts.rs) ----

const written = [];
after(() => { for (const f of written) fs.rmSync(f, { force: true }); });

/** Writes `text` to tests/e2e/artifacts (this process's own file) and returns its path. */
function artifact(name, text) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `alert_links_${process.pid}_${name}`);
  fs.writeFileSync(file, text);
  written.push(file);
  return file;
}

const dd = (d) => String(d).padStart(2, '0');
const orderId = (i) => `5760000000000${String(i).padStart(5, '0')}`;

/** One order line, its own order, dated 2026-05-`day` (`affiliate`: [creator, content type, commission]). */
const line = (day, sku, subtotal, more = {}) =>
  ({ day, sku, subtotal, sellerSku: '', category: '', quantity: 1, returned: 0, affiliate: null, ...more });
const tea = (day, sku, returned) => line(day, sku, '10.00', { category: 'Tea', returned });
const mugs = (day, quantity, returned) => line(day, '1003', '8.00', { category: 'Mugs', quantity, returned });
const times = (n, l) => Array.from({ length: n }, () => ({ ...l }));

/** The Orders export of `lines`, their orders numbered from 0 (month-first times, as the US shop's). */
function ordersCsv(lines) {
  let csv = 'Order ID,Order Status,Cancelation/Return Type,SKU ID,Seller SKU,Product Category,Quantity,'
    + 'Sku Quantity of return,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n';
  lines.forEach((l, i) => {
    csv += `${orderId(i)},Completed,${l.returned > 0 ? 'Return/Refund' : ''},${l.sku},${l.sellerSku},${l.category},`
      + `${l.quantity},${l.returned},${l.subtotal},0,05/${dd(l.day)}/2026 10:00:00 AM,05/${dd(l.day)}/2026 10:00:05 AM\n`;
  });
  return csv;
}

/** The Affiliate orders export of the lines with an affiliate row (no `Time Created`: it constrains no day). */
function affiliateCsv(lines) {
  let csv = 'Order ID,SKU ID,Creator Username,Content Type,Order Status,Quantity,Currency,Est. standard commission payment\n';
  lines.forEach((l, i) => {
    if (!l.affiliate) return;
    const [creator, content, commission] = l.affiliate;
    csv += `${orderId(i)},${l.sku},${creator},${content},Completed,${l.quantity},USD,${commission}\n`;
  });
  return csv;
}

/** A GMV Max campaign overview: [day of May, cost, SKU orders, gross revenue] a row. */
function gmvMaxCsv(rows) {
  let csv = 'By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),'
    + 'ROI (Current shop),Currency\n';
  for (const [d, cost, orders, gross] of rows) csv += `2026-05-${dd(d)},${cost},${orders},0,${gross},0,USD\n`;
  return csv;
}

/** A Returns & refunds export: [return ID, order ID, SKU ID, seller SKU, request day of May, quantity, status]. */
function returnsCsv(rows) {
  let csv = 'Return Order ID,Order ID,Order Amount,Order Status,Order Substatus,Payment Method,SKU ID,Seller SKU,'
    + 'Product Name,SKU Name,Buyer Username,Return Type,Time Requested,Return Reason,Return unit price,Return Quantity,'
    + 'Return Logistics Tracking ID,Return Status,Return Sub Status,Refund Time,Dispute Status,Appeal Status,'
    + 'Compensation Status,Compensation Amount,Buyer Note\n';
  for (const [id, order, sku, sellerSku, day, qty, status] of rows) {
    csv += `${id},${order},$10.00,Completed,,Card,${sku},${sellerSku},Tea,Default,buyer,Return and refund,`
      + `${dd(day)}/05/2026 09:00:00,Damaged,$10.00,${qty},TRK1,${status},,${dd(day)}/05/2026 18:00:00,,,,,\n`;
  }
  return csv;
}

/**
 * A Creator LIVE Performance export stated to cover 2026-05-01 … 2026-05-`last`: sessions A, B (1,000.00),
 * C (`cGmv`), each over 100 viewers, and a running session D.
 */
function liveCsv(cGmv, last) {
  const row = (title, start, duration, gmv) => `${title},${start},${duration},$ ${gmv},$ ${gmv},1,1,$ 1.00,1,$ 0.00,`
    + '$ 0.00,300,100,10,0,30,0,0,0,1000,50,0.05,0.02\n';
  return `2026-05-01 ~ 2026-05-${dd(last)}\n\n`
    + 'Livestream,Start time,Duration,Gross revenue,Direct GMV,Items sold,Customers,Avg. price,Orders paid for,'
    + 'GMV/1K shows,GMV/1K views,Views,Viewers,Peak viewers,New followers,Avg. view duration,Likes,Comments,Shares,'
    + 'Product impressions,Product clicks,CTR,CTOR (SKU orders)\n'
    + row('A', '2026-05-10 10:00', '3600', '1000.00')
    + row('B', '2026-05-11 10:00', '3600', '1000.00')
    + row('C', '2026-05-12 10:00', '3600', cGmv)
    + row('D', '2026-05-13 10:00', '-1778000000', '1.00');
}

// ---- The checks ----

/** "2026-05-12T10:00:00" → "2026-05-12 10:00" (how the Content view names a session's start). */
const minute = (start) => start.replace('T', ' ').slice(0, 16);
const sorted = (xs) => [...xs].sort();

/**
 * Where an alert's rows must be: the view, the period its link must open (the rule's own window), the
 * search it sets, the selector of the table's rows and of the alert's own row(s), and what the engine
 * gives over that period for it (`expect(report)`: the row IDs the page must show, checked on the CLI too).
 */
function target(a) {
  switch (a.rule) {
    case 'return_rate_spike': {
      // The SKU's lines of the days shipped and of the requests' days (§12): the link spans both.
      const from = [a.from, a.shipped_from].sort()[0];
      const to = [a.to, a.shipped_to].sort()[1];
      return { view: 'skus', from, to, q: ['skus.q', a.sku_id], rows: '[data-table=skus] tr[data-sku]', hook: 'data-sku',
        own: [`[data-table=skus] tr[data-sku="${a.sku_id}"]`],
        engine: (r) => r.skus.map((s) => s.sku_id), mustHave: [a.sku_id] };
    }
    case 'negative_cm2':
      return { view: 'skus', from: a.from, to: a.to, q: ['skus.q', a.sku_id], rows: '[data-table=skus] tr[data-sku]', hook: 'data-sku',
        own: [`[data-table=skus] tr[data-sku="${a.sku_id}"]`], engine: (r) => r.skus.map((s) => s.sku_id), mustHave: [a.sku_id] };
    case 'low_creator_efficiency':
      return { view: 'creators', from: a.from, to: a.to, q: ['creators.q', a.creator], rows: '[data-table=creators] tr[data-creator]',
        hook: 'data-creator', own: [`[data-table=creators] tr[data-creator="${a.creator}"]`],
        engine: (r) => r.creators.map((c) => c.creator), mustHave: [a.creator] };
    case 'affiliate_dropoff': {
      // The two weeks compared, every creator (no search): the creators whose orders fell among them.
      const from = new Date(Date.parse(`${a.week_to}T00:00:00Z`) - 13 * 86400000).toISOString().slice(0, 10);
      return { view: 'creators', from, to: a.week_to, q: ['creators.q', null], rows: '[data-table=creators] tr[data-creator]',
        hook: 'data-creator', own: a.rows.map((c) => `[data-table=creators] tr[data-creator="${c}"]`),
        engine: (r) => r.creators.map((c) => c.creator), mustHave: a.rows, all: true };
    }
    case 'cpo_deterioration':
      // The day whose cost per order jumped: the SKUs ranked over that day (no search).
      return { view: 'overview', from: a.day, to: a.day, q: ['rank.q', null], rows: '[data-table=rank] tr[data-sku]', hook: 'data-sku',
        own: ['[data-table=rank] tr[data-sku]'], engine: (r) => r.skus.map((s) => s.sku_id), mustHave: [], all: true };
    case 'live_benchmark_miss': {
      // The session's row of the LIVE table over the benchmark's days, marked below it as the alert says.
      const id = `${minute(a.start)} · ${a.session}`;
      return { view: 'content', from: a.from, to: a.to, q: ['live.q', a.session], rows: '[data-table=live] tr[data-row]', hook: 'data-row',
        own: [`[data-table=live] tr[data-row="${id}"]`], belowBenchmark: `[data-table=live] tr[data-row="${id}"]`,
        engine: (r) => r.live_sessions.map((s) => `${minute(s.start)} · ${s.title.trim()}`), mustHave: [id] };
    }
    default:
      throw new Error(`no target known for ${a.rule}`);
  }
}

/**
 * Drops `files` on the page, checks its alert list is the engine's (which fires `rule`), then clicks each
 * alert's "Show the rows" on the Overview and checks the view it opens shows the alert's rows.
 */
async function everyLinkOpensRows(files, rule) {
  const engine = engineReport(files);
  const alerts = engine.alerts.alerts;
  assert.ok(alerts.some((a) => a.rule === rule), `the engine fires ${rule}: ${JSON.stringify(engine.alerts)}`);

  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles(files);
  await app.gotoView('overview');
  await page.waitForSelector('[data-testid=alerts] [data-alert]');
  assert.equal(await page.getAttribute('[data-testid=alerts-as-of]', 'data-date'), engine.alerts.as_of);
  const shown = await page.locator('[data-testid=alerts] [data-alert]').evaluateAll((lis) => lis.map((li) => ({
    rule: li.dataset.alert,
    message: li.querySelector('.alert-message').textContent.trim(),
    rows: li.querySelector('.alert-rows').textContent.trim(),
    links: li.querySelectorAll('.alert-link').length,
  })));
  assert.deepEqual(shown, alerts.map((a) => ({
    rule: a.rule, message: a.message, rows: a.rows.length ? `Rows: ${a.rows.join(', ')}` : '', links: 1,
  })), 'the page lists the engine\'s alerts, each with its link');

  for (const [i, a] of alerts.entries()) {
    const t = target(a);
    const what = `${a.rule} (${a.subject})`;
    // The engine's rows over the window the link must open: the alert's own are there.
    const over = engineReport(files, undefined, ['--from', t.from, '--to', t.to]);
    const expected = t.engine(over);
    for (const id of t.mustHave) assert.ok(expected.includes(id), `${what}: the engine has ${id} over ${t.from} – ${t.to}: ${expected}`);
    assert.ok(expected.length > 0, `${what}: the engine has rows over ${t.from} – ${t.to}`);

    await app.gotoView('overview');
    await page.waitForSelector('[data-testid=alerts] .alert-link');
    const before = await page.evaluate(() => location.hash);
    await page.locator('[data-testid=alerts] [data-alert]').nth(i).locator('.alert-link').click();
    await page.waitForFunction((h) => location.hash !== h, before);
    const hash = await page.evaluate(() => location.hash);
    const [view, query = ''] = hash.slice(2).split('?');
    const params = new URLSearchParams(query);
    assert.equal(view, t.view, `${what}: ${hash}`);
    assert.equal(params.get('period'), 'custom', `${what}: ${hash}`);
    assert.equal(params.get('from'), t.from, `${what}: the rule's window in ${hash}`);
    assert.equal(params.get('to'), t.to, `${what}: the rule's window in ${hash}`);
    assert.equal(params.get(t.q[0]), t.q[1], `${what}: the search in ${hash}`);
    await page.waitForSelector(`nav a[data-view="${t.view}"][aria-current=page]`);
    await app.idle();
    for (const own of t.own) await page.waitForSelector(own, { timeout: 10000 });
    const ids = await page.locator(t.rows).evaluateAll((trs, h) => trs.map((tr) => tr.getAttribute(h)), t.hook);
    assert.ok(ids.length >= 1, `${what}: ${hash} shows no row`);
    for (const id of t.mustHave) assert.ok(ids.includes(id), `${what}: ${id} among ${ids} (${hash})`);
    // Without a search, the table is the engine's rows of the window, all of them.
    if (t.all) assert.deepEqual(sorted(ids), sorted(expected), `${what}: the rows of ${t.from} – ${t.to}`);
    else for (const id of ids) assert.ok(expected.includes(id), `${what}: ${id} is a row of ${t.from} – ${t.to}`);
    if (t.belowBenchmark) {
      assert.ok(await page.locator(t.belowBenchmark).evaluate((tr) => tr.classList.contains('warn')), `${what}: marked below the benchmark`);
    }
  }
  assert.deepEqual(errors, []);
  await app.close();
  return alerts;
}

test('return_rate_spike on the returns known so far: each SKU\'s link opens its row over the order dates counted', async () => {
  // Anchor 05-20: order dates 05-12 … 05-18 (§12, known so far). Default limit 1.5 × 5 % = 7.5 %.
  // 1002 (Tea): 1 returned on 05-15 + 3 sold on 05-16 → 1 / 4 = 25.00 %; 1003 (Mugs): 1 returned of 10
  // on 05-14 → 10.00 % (its return of 05-11 is before the window); 1001: 0 % (05-19 is too recent).
  const lines = [
    ...times(3, tea(13, '1001', 0)), tea(19, '1001', 1),
    mugs(11, 1, 1), mugs(14, 9, 0), mugs(14, 1, 1),
    line(20, '1004', '5.00'),
    tea(15, '1002', 1), ...times(3, tea(16, '1002', 0)),
  ];
  const alerts = await everyLinkOpensRows([artifact('spike_orders.csv', ordersCsv(lines))], 'return_rate_spike');
  assert.deepEqual(alerts.filter((a) => a.rule === 'return_rate_spike').map((a) => [a.subject, a.basis, a.return_rate]),
    [['1002', 'returns_known_so_far', '25.00'], ['1003', 'returns_known_so_far', '10.00']]);
});

test('return_rate_spike by request time: the link spans the days shipped and the days asked back', async () => {
  // Anchor 05-20: requests of 05-14 … 05-20 against the units ordered 05-07 … 05-13. 1002: 1 unit asked
  // back on 05-16, 1 on 05-17 (by seller SKU), a rejected request of 5 → 2 of 9 ordered on 05-08 = 22.22 %.
  const tea2 = (day, returned) => ({ ...tea(day, '1002', returned), sellerSku: 'TEA-2' });
  const lines = [line(7, '1004', '5.00'), ...times(9, tea2(8, 0)), tea2(19, 1), line(20, '1004', '5.00')];
  const returns = returnsCsv([
    ['R1', '577000000000000001', '1002', 'TEA-2', 12, 1, 'Completed'],
    ['R2', '577000000000000002', '1002', 'TEA-2', 14, 5, 'Request Rejected'],
    ['R3', '577000000000000003', '1002', 'TEA-2', 16, 1, 'Completed'],
    ['R4', '577000000000000004', '', 'TEA-2', 17, 1, 'Awaiting Buyer Ship'],
    ['R5', '577000000000000005', '1004', '', 20, 1, 'Request Cancel'],
  ]);
  const alerts = await everyLinkOpensRows([artifact('req_orders.csv', ordersCsv(lines)), artifact('req_returns.csv', returns)], 'return_rate_spike');
  const spike = alerts.find((a) => a.rule === 'return_rate_spike');
  assert.deepEqual([spike.subject, spike.basis, spike.return_rate, spike.shipped_from, spike.to], ['1002', 'return_requests', '22.22', '2026-05-07', '2026-05-20']);
});

test('cpo_deterioration (GMV Max daily spend): the link opens the SKUs of the day whose cost per order jumped', async () => {
  // GMV Max: 05-14 30.00 / 3 orders, 05-15 20.00 / 2, 05-16 10.00 / 1 → 60.00 / 6 = 10.00, limit 12.00;
  // the anchor 05-17: 24.02 / 2 = 12.01 → fires (paid basis).
  const lines = [line(14, '1001', '50.00'), line(15, '1001', '50.00'), line(16, '1001', '50.00'), ...times(4, line(17, '1001', '50.00'))];
  const ads = gmvMaxCsv([[14, '30', '3', '0'], [15, '20', '2', '0'], [16, '10', '1', '0'], [17, '24.02', '2', '0']]);
  const alerts = await everyLinkOpensRows([artifact('cpo_orders.csv', ordersCsv(lines)), artifact('cpo_gmv_max.csv', ads)], 'cpo_deterioration');
  const cpo = alerts.find((a) => a.rule === 'cpo_deterioration');
  assert.deepEqual([cpo.day, cpo.basis, cpo.cpo, cpo.average], ['2026-05-17', 'paid', '12.01', '10.00']);
});

test('affiliate_dropoff: the link opens the creators of the two weeks, those whose orders fell among them', async () => {
  // Anchor 05-21: 4 affiliate orders on 05-14 (alice 3, bob 1), 2 on 05-21 (alice) → −50.00 %; the 05-07
  // order is in neither week (it makes the Orders export cover all 14 days 05-08 … 05-21).
  const aff = (d, creator) => line(d, '1001', '20.00', { affiliate: [creator, 'Video', '1.00'] });
  const lines = [aff(7, 'alice'), ...times(3, aff(14, 'alice')), aff(14, 'bob'), ...times(2, aff(21, 'alice'))];
  const alerts = await everyLinkOpensRows([artifact('drop_orders.csv', ordersCsv(lines)), artifact('drop_affiliate.csv', affiliateCsv(lines))], 'affiliate_dropoff');
  const drop = alerts.find((a) => a.rule === 'affiliate_dropoff');
  assert.deepEqual([drop.change_pct, drop.rows], ['-50.00', ['alice', 'bob']]);
});

test('live_benchmark_miss (anchored at the last Orders day): the link opens the session\'s row, marked below', async () => {
  // The Orders export's one order on 05-14 anchors the rules at 05-14; the LIVE export covers 05-01 … 05-14,
  // so the week 05-08 … 05-14 is covered and holds C: 6.0869 per viewer ≤ 0.7 × 8.6956 → fires.
  const files = [artifact('live_orders.csv', ordersCsv([line(14, '1001', '10.00')])), artifact('live_creator_live.csv', liveCsv('608.69', 14))];
  const alerts = await everyLinkOpensRows(files, 'live_benchmark_miss');
  const miss = alerts.find((a) => a.rule === 'live_benchmark_miss');
  assert.deepEqual([miss.session, miss.start, miss.from, miss.to], ['C', '2026-05-12T10:00:00', '2026-04-15', '2026-05-14']);
});
