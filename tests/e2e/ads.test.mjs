// The Ads view (docs/metrics.md §6, issue 17 item 3): GMV Max's reported revenue and ROAS beside the blended
// ROAS, the on/off-day estimate with its caution, the attribution assumptions and the spend per product, each
// figure as `margin-lab report --json` gives it for the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, FIXTURES, ROOT, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const CREATIVES = path.join(ROOT, 'tests', 'fixtures', 'analytics', 'br_gmv_max_creative_data_for_product_campaigns_2026-03-20.xlsx');

// A hand-made GMV Max Campaign overview (by day) of two of the Orders export's three days (15–17 May 2026):
// 200.50 of cost, 1,450.00 + 910.25 = 2,360.25 of reported gross revenue.
const OVERVIEW_CSV = 'By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),ROI,Currency\n' +
  '2026-05-15,120.00,9,13.33,1450.00,12.08,USD\n' +
  '2026-05-16,80.50,6,13.42,910.25,11.31,USD\n';

/** A tile's figure as the report writes it: "$1,576.62" → "1576.62", "—" → null. */
const figure = (text) => (text === '—' ? null : plain(text));
/** A report value as a tile shows it in plain digits (counts are numbers in the JSON). */
const json = (v) => (v === null || v === undefined ? null : String(v));

/** The tiles of a block: { data-metric: plain figure or null }. */
const tiles = (page, block) => page.locator(`[data-testid=${block}] .tile-value[data-metric]`).evaluateAll(
  (els) => Object.fromEntries(els.map((e) => [e.dataset.metric, e.textContent.trim()])));

test('a GMV Max Campaign overview: the tiles, the estimate and its caution are the report\'s', async () => {
  const overview = path.join(ARTIFACTS, `gmv_max_campaign_overview_${process.pid}.csv`);
  fs.writeFileSync(overview, OVERVIEW_CSV);
  const engine = engineReport([US, overview]).ads;
  assert.equal(engine.source, 'ads_exports');
  assert.equal(engine.ad_spend, '200.50');

  const app = await env.open();
  const { page, errors } = app;
  // Orders alone: the view says which exports bring ad spend.
  await app.dropFiles([US]);
  await app.gotoView('ads');
  assert.match(await app.text('[data-testid=ads] [data-testid=ads-none]'), /Campaign overview by day.*creative data.*LIVE campaigns.*Ads Manager/);
  assert.equal(await page.locator('[data-testid=ads-tiles]').count(), 0);

  await app.dropFiles([overview]);
  await app.gotoView('ads');
  await page.waitForSelector('[data-testid=ads-tiles] [data-metric=ad_spend]');
  const shown = await tiles(page, 'ads-tiles');
  for (const key of ['ad_spend', 'reported_roas', 'blended_roas', 'break_even_roas', 'blended_cpo', 'paid_cpo']) {
    assert.equal(figure(shown[key]), json(engine[key]), `${key}: ${shown[key]}`);
  }
  // The reported revenue is the file's, summed by hand; the report gives its ratio to the spend.
  assert.equal(figure(shown.reported_gross_revenue), '2360.25');
  assert.equal((2360.25 / 200.5).toFixed(2), engine.reported_roas);

  const inc = await tiles(page, 'ads-incrementality');
  for (const key of ['estimate', 'days_with_spend', 'days_without_spend', 'mean_net_sales_with_spend',
    'mean_net_sales_without_spend', 'mean_daily_cost', 'incremental_net_sales']) {
    assert.equal(figure(inc[key]), json(engine.incrementality[key]), `${key}: ${inc[key]}`);
  }
  assert.deepEqual([inc.days_with_spend, inc.days_without_spend], ['2', '1']);
  // The spend days sold less than the day without: no positive increment, so no inflation figure.
  assert.equal(engine.attribution_inflation, null);
  assert.equal(inc.attribution_inflation, '—');
  // Two days with spend and one without: the caution, in the engine's words.
  const caution = engine.incrementality.caution;
  assert.ok(caution.startsWith('only 2 days with ad spend and 1 without'), caution);
  assert.equal(await app.text('[data-testid=ads-caution]'), `O${caution.slice(1)}.`);

  const rules = await app.text('[data-testid=ads-assumptions]');
  assert.match(rules, /GMV Max revenue is never added to channel or shop revenue/);
  assert.match(rules, /ad spend is a cost line of CM2/);
  assert.match(rules, /Net sales come from the Orders export only/);
  assert.match(rules, /the days differ only in spend/);

  const spend = await tiles(page, 'ads-spend');
  for (const key of ['product_spend', 'attributed_spend', 'unmapped_spend', 'uncharged_spend', 'spread_spend', 'live_unmatched_cost']) {
    assert.equal(figure(spend[key]), json(engine[key]), `${key}: ${spend[key]}`);
  }
  // No creatives or LIVE campaigns export: their sections say which export brings them.
  assert.match(await app.text('[data-testid=ads-by-product-none]'), /creative data for product campaigns/);
  assert.match(await app.text('[data-testid=ads-live-campaigns-none]'), /LIVE campaigns export/);
  // Every tile is explained.
  assert.equal(await page.locator('[data-testid=ads] .tile-label:not([title])').count(), 0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-ads-1366x768.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await app.close();
});

test('the BR creatives export alone: spend per product as the report lists it', async () => {
  const engine = engineReport([CREATIVES]).ads;
  assert.equal(engine.by_product.length, 65);
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([CREATIVES]);
  await app.gotoView('ads');
  const rows = page.locator('[data-testid=ads-by-product] tr[data-row]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), engine.by_product.length);
  // By cost, as the report orders them; each row's figures are the report's.
  const shown = await rows.evaluateAll((trs) => trs.map((tr) => {
    const cell = (k) => tr.querySelector(`[data-metric="${k}"]`).textContent.trim();
    return [tr.dataset.row, cell('cost'), cell('sku_orders'), cell('gross_revenue'), cell('reported_roas'), cell('period_cost'), cell('attributed')];
  }));
  const expected = engine.by_product.map((p) => [p.product_id || '(no product ID)', p.cost, String(p.sku_orders),
    json(p.gross_revenue), json(p.reported_roas), p.period_cost, p.attributed]);
  assert.deepEqual(shown.map(([id, ...v]) => [id, ...v.map(figure)]), expected);
  assert.deepEqual(shown[0].slice(0, 5), ['1731763836201109087', 'R$327.58', '22', 'R$1,807.94', '5.52']);

  const tilesShown = await tiles(page, 'ads-tiles');
  assert.equal(figure(tilesShown.ad_spend), engine.ad_spend);
  assert.equal(figure(tilesShown.reported_roas), engine.reported_roas);
  const spend = await tiles(page, 'ads-spend');
  for (const key of ['product_spend', 'unmapped_spend', 'spread_spend']) {
    assert.equal(figure(spend[key]), json(engine[key]), `${key}: ${spend[key]}`);
  }
  assert.equal(figure(spend.product_spend), '479.10');
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-ads-products-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

// crates/engine/tests/ads_truth.rs, by hand: four days of orders, 100.00 on 1 and 2 May (each with 20.00 of GMV Max
// cost and 200.00 of reported gross revenue), 50.00 on 3 and 4 May with no spend. Reported ROAS 400 / 40 = 10.00,
// blended 300 / 40 = 7.50; estimate (100 − 50) / 20 = 2.50; incremental net sales (100 − 50) × 2 = 100.00;
// attribution inflation 400 / 100 = 4.00.
const TRUTH_ORDERS_CSV = 'Order ID,Order Status,SKU ID,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n'
  + '576000000000000001,Shipped,1001,1,100.00,0,05/01/2026 10:00:00 AM,05/01/2026 10:00:10 AM\n'
  + '576000000000000002,Shipped,1001,1,100.00,0,05/02/2026 10:00:00 AM,05/02/2026 10:00:10 AM\n'
  + '576000000000000003,Shipped,1001,1,50.00,0,05/03/2026 10:00:00 AM,05/03/2026 10:00:10 AM\n'
  + '576000000000000004,Shipped,1001,1,50.00,0,05/04/2026 10:00:00 AM,05/04/2026 10:00:10 AM\n';
const TRUTH_OVERVIEW_CSV = 'By Day,Cost,SKU orders (Current shop),Cost per order (Current shop),Gross revenue (Current shop),ROI,Currency\n'
  + '2026-05-01,20.00,2,10.00,200.00,10,USD\n'
  + '2026-05-02,20.00,2,10.00,200.00,10,USD\n';

test('a GMV Max overview whose spend days sold more: the attribution inflation is the hand value, 4.00', async () => {
  const orders = path.join(ARTIFACTS, `ads_truth_orders_${process.pid}.csv`);
  const overview = path.join(ARTIFACTS, `ads_truth_gmv_max_${process.pid}.csv`);
  fs.writeFileSync(orders, TRUTH_ORDERS_CSV);
  fs.writeFileSync(overview, TRUTH_OVERVIEW_CSV);
  try {
    const engine = engineReport([orders, overview]).ads;
    assert.deepEqual([engine.ad_spend, engine.reported_roas, engine.blended_roas], ['40.00', '10.00', '7.50']);
    const i = engine.incrementality;
    assert.deepEqual([i.days_with_spend, i.days_without_spend, i.estimate, i.incremental_net_sales], [2, 2, '2.50', '100.00']);
    assert.equal(engine.attribution_inflation, '4.00');
    assert.equal((400 / 100).toFixed(2), engine.attribution_inflation);

    const app = await env.open();
    const { page, errors } = app;
    await app.dropFiles([orders, overview]);
    await app.gotoView('ads');
    await page.waitForSelector('[data-testid=ads-incrementality] [data-metric=attribution_inflation]');
    const inc = await tiles(page, 'ads-incrementality');
    assert.equal(inc.attribution_inflation, '4.00');
    assert.equal(figure(inc.attribution_inflation), json(engine.attribution_inflation));
    for (const key of ['estimate', 'days_with_spend', 'days_without_spend', 'mean_net_sales_with_spend',
      'mean_net_sales_without_spend', 'mean_daily_cost', 'incremental_net_sales']) {
      assert.equal(figure(inc[key]), json(i[key]), `${key}: ${inc[key]}`);
    }
    assert.deepEqual([figure(inc.estimate), figure(inc.incremental_net_sales)], ['2.50', '100.00']);
    const shown = await tiles(page, 'ads-tiles');
    assert.deepEqual([figure(shown.reported_roas), figure(shown.blended_roas)], ['10.00', '7.50']);
    assert.equal(await app.text('[data-testid=ads-caution]'), `O${i.caution.slice(1)}.`);
    assert.ok(i.caution.startsWith('only 2 days with ad spend and 2 without'), i.caution);
    await page.locator('[data-testid=ads-incrementality]').screenshot({ path: path.join(ARTIFACTS, 'ads-inflation-1366x768.png') });
    assert.deepEqual(errors, []);
    await app.close();
  } finally {
    fs.rmSync(orders, { force: true });
    fs.rmSync(overview, { force: true });
  }
});
