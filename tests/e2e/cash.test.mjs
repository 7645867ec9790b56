// Issue 17, items 6–7 on the page: custom costs edited in Settings move CM2 (a marketing cost) or net profit
// (an overhead cost) by exactly what the engine says the period carries of them, and the Cash view shows the
// engine's estimated vs settled cash of a finance export. Expected figures come from the CLI on the same
// files and settings (`margin-lab report --json --settings FILE`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ARTIFACTS, CLI, FIXTURES, ROOT, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');

/** "$1,234.56" → 123456 (cents). */
const cents = (text) => Math.round(Number(plain(text)) * 100);

/** The CLI's report of the US orders under a settings document (written to a file). */
function withSettings(doc, files = [US]) {
  const file = path.join(ARTIFACTS, `custom-costs-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  const r = engineReport(files, null, ['--settings', file]);
  fs.rmSync(file, { force: true });
  return r;
}

/** Fills the custom cost form (kind first: its fields follow it) and saves it. */
async function fillCost(page, { name, layer, kind, amount, from, to }) {
  await page.selectOption('[data-input=cost_kind]', kind);
  await page.fill('[data-input=cost_name]', name);
  await page.selectOption('[data-input=cost_layer]', layer);
  await page.fill('[data-input=cost_amount]', amount);
  if (from !== undefined) await page.fill('[data-input=cost_from]', from);
  if (to !== undefined) await page.fill('[data-input=cost_to]', to);
  await page.click('[data-testid=cost-save]');
}

/** Waits until the overview's KPI `name` reads `value` (plain digits), and returns it. */
async function kpiBecomes(app, name, value) {
  await app.gotoView('overview');
  await app.page.waitForFunction(([k, v]) => document.querySelector(`[data-kpi="${k}"]`)?.textContent.replace(/[^0-9.\-]/g, '') === v, [name, value]);
  return app.kpi(name);
}

test('a monthly custom cost moves CM2 (marketing) or net profit (overhead) by the period amount the engine reports', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([US]);
  const before = engineReport([US]).totals;
  assert.equal(await app.kpi('cm2'), before.cm2);
  assert.equal(await app.kpi('net_profit'), before.net_profit);

  // The engine's range check refuses a negative amount: its words next to the field, nothing saved.
  await app.gotoView('settings');
  await fillCost(page, { name: 'Content retainer', layer: 'marketing', kind: 'monthly', amount: '-5' });
  const refusal = await app.text('[data-testid=custom-cost-form] [data-error=amount]');
  assert.equal(refusal, 'Amount is -5: a custom cost cannot be negative.');
  const bad = writeDoc({ custom_costs: [{ name: 'Content retainer', layer: 'marketing', kind: 'monthly', amount: '-5' }] });
  const cli = spawnSync(CLI, ['report', '--settings', bad, US], { encoding: 'utf8' });
  fs.rmSync(bad, { force: true });
  assert.notEqual(cli.status, 0);
  assert.ok(cli.stderr.includes('custom_costs[0] ("Content retainer").amount is -5: a custom cost cannot be negative'), cli.stderr);
  assert.equal(await page.locator('[data-testid=custom-costs] tr[data-cost]').count(), 0);

  // A marketing cost of 3,100.00 a month: CM2 falls by what the period carries of it.
  await fillCost(page, { name: 'Content retainer', layer: 'marketing', kind: 'monthly', amount: '3100' });
  await page.waitForSelector('[data-testid=custom-costs] tr[data-cost="0"]');
  assert.equal(await page.locator('[data-testid=custom-cost-form] [data-error]').count(), 0);
  const marketing = withSettings({ custom_costs: [{ name: 'Content retainer', layer: 'marketing', kind: 'monthly', amount: '3100' }] });
  const amount = marketing.custom_costs[0].period_amount;
  assert.ok(Number(amount) > 0, `the period carries some of it: ${amount}`);
  await app.idle();
  await page.waitForFunction((v) => document.querySelector('[data-testid=custom-costs] tr[data-cost="0"] [data-metric=period_amount]')?.textContent.replace(/[^0-9.\-]/g, '') === v, amount);
  const cm2 = await kpiBecomes(app, 'cm2', marketing.totals.cm2);
  assert.equal(cents(before.cm2) - cents(cm2), cents(amount), `CM2 ${before.cm2} → ${cm2}: −${amount}`);
  assert.equal(cents(before.net_profit) - cents(await app.kpi('net_profit')), cents(amount));
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-overview-custom-cost-1366x768.png') });

  // Edited into an overhead cost from 16 May (2 of the period's 3 days): CM2 is back, net profit carries the (smaller) amount.
  await app.gotoView('settings');
  await page.click('[data-testid=custom-costs] tr[data-cost="0"] [data-testid=cost-edit]');
  assert.equal(await page.locator('[data-input=cost_amount]').inputValue(), '3100');
  await fillCost(page, { name: 'Rent', layer: 'overhead', kind: 'monthly', amount: '3100', from: '2026-05-16' });
  const overhead = withSettings({ custom_costs: [{ name: 'Rent', layer: 'overhead', kind: 'monthly', amount: '3100', from: '2026-05-16' }] });
  const rent = overhead.custom_costs[0].period_amount;
  assert.ok(Number(rent) > 0 && Number(rent) < Number(amount), `${rent} < ${amount}`);
  await app.idle();
  assert.equal(await page.locator('[data-testid=custom-costs] tr[data-cost]').count(), 1);
  await page.waitForFunction((v) => document.querySelector('[data-testid=custom-costs] tr[data-cost="0"] [data-metric=period_amount]')?.textContent.replace(/[^0-9.\-]/g, '') === v, rent);
  await page.locator('[data-testid=custom-costs]').screenshot({ path: path.join(ARTIFACTS, 'settings-custom-costs-1366x768.png') });
  const net = await kpiBecomes(app, 'net_profit', overhead.totals.net_profit);
  assert.equal(cents(before.net_profit) - cents(net), cents(rent), `net profit ${before.net_profit} → ${net}: −${rent}`);
  assert.equal(await app.kpi('cm2'), before.cm2);

  // Removed: the figures are the engine's without it again.
  await app.gotoView('settings');
  await page.click('[data-testid=custom-costs] tr[data-cost="0"] [data-testid=cost-remove]');
  await kpiBecomes(app, 'net_profit', before.net_profit);
  assert.deepEqual(errors, []);
  await app.close();
});

/** A settings document written to a file (kept next to the artifacts), for the CLI. */
function writeDoc(doc) {
  const file = path.join(ARTIFACTS, `custom-costs-bad-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

// A Finance → Income export of two orders of the US fixture (header as crates/engine/tests/cash.rs reads it):
// the first paid as estimated, the second 1.00 short of it.
const INCOME = 'Order/adjustment ID,Type,Order created time,Order settled time,Currency,Total settlement amount,'
  + 'Total revenue,Refund subtotal after seller discounts,Total fees,Seller shipping fee,Related order ID\n'
  + '577393983361880876,Order,2026/05/17,2026/05/17,USD,20.67,21.99,0.00,-1.32,0.00,\n'
  + '577393970579739637,Order,2026/05/17,2026/05/17,USD,40.17,46.99,0.00,-5.82,-3.00,\n';

test('the Cash view shows the engine\'s estimated vs settled cash of a finance export; without one, which export brings it', async () => {
  const income = path.join(ARTIFACTS, 'income_2026-05-17.csv');
  fs.writeFileSync(income, INCOME);
  const cash = engineReport([US, income]).cash;
  assert.ok(cash && cash.matched_orders === 2, JSON.stringify(cash?.matched_orders));

  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([US]);
  await app.gotoView('cash');
  assert.match(await app.text('[data-testid=cash-none]'), /Finance → Income/);

  await app.dropFiles([income]);
  await app.gotoView('cash');
  await page.waitForSelector('[data-testid=cash-totals] [data-metric=actual_settlement]');
  const tile = (k) => app.text(`[data-testid=cash-totals] [data-metric=${k}]`).then(plain);
  for (const k of ['estimated_settlement_of_matched', 'actual_settlement', 'settlement_difference']) {
    assert.equal(await tile(k), cash[k], k);
  }
  assert.equal(await tile('matched_orders'), String(cash.matched_orders));

  // Each settled order: estimated, actual and the difference, as the engine lists them; sortable.
  const rows = page.locator('[data-testid=cash-orders] tr[data-row]');
  assert.equal(await rows.count(), cash.orders.length);
  for (const o of cash.orders) {
    const row = `[data-testid=cash-orders] tr[data-row="${o.order_id}"]`;
    for (const k of ['estimated_settlement', 'actual_settlement', 'difference']) {
      assert.equal(plain(await app.metric(row, k)), o[k], `${o.order_id} ${k}`);
    }
  }
  await page.click('[data-testid=cash-orders] th[data-col=difference] button');
  await page.waitForFunction(() => /cash_orders\.sort=difference/.test(location.hash));
  const diffs = await page.locator('[data-testid=cash-orders] tr[data-row] [data-metric=difference]').allTextContents();
  const sorted = [...diffs].sort((a, b) => Number(plain(b)) - Number(plain(a)));
  assert.deepEqual(diffs, sorted);

  // The orders not settled yet and the cash to come; the P&L by settlement date.
  assert.equal(plain(await app.text('[data-testid=unsettled] [data-metric=expected_cash]')), cash.unsettled.expected_cash);
  // The engine lists the 200 orders with the most cash to come (the table draws the rows in view).
  assert.equal(cash.unsettled.orders.length, 200);
  assert.match(await app.text('[data-testid=unsettled-listed]'), /^The 200 orders with the most cash to come are listed/);
  const first = page.locator('[data-testid=unsettled] tr[data-row]').first();
  assert.equal(await first.getAttribute('data-row'), cash.unsettled.orders[0].order_id);
  assert.equal(plain(await first.locator('[data-metric=estimated_settlement]').textContent()), cash.unsettled.orders[0].estimated_settlement);
  assert.equal(await page.locator('[data-testid=by-settled-date] tr[data-row]').count(), cash.by_settled_date.length);
  for (const d of cash.by_settled_date) {
    const row = `[data-testid=by-settled-date] tr[data-row="${d.date}"]`;
    for (const k of ['net_sales', 'cm1', 'actual_settlement']) assert.equal(plain(await app.metric(row, k)), d[k], `${d.date} ${k}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-cash-1366x768.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(income, { force: true });
});

// tests/fixtures/handmade/cash (read by crates/engine/tests/cash.rs too): six US orders (A …001 to F …006), a
// Finance → Income export that settles A (then a −5.00 violation fee), B (a 15.00 refund of one of its two units of
// 25.00) and F, an on-hold export listing C (26.00) and an order no Orders export holds (…099, 7.50), and the
// settings they are worked out under (no fee rule, 2.00 of shipping per order).
const HAND = path.join(ROOT, 'tests', 'fixtures', 'handmade', 'cash');

test('with a finance export, net sales use its refunds and the Cash view shows the settlement difference and the cash to come (issue 17)', async () => {
  const files = ['orders.csv', 'income_2026-05.csv', 'onhold.csv'].map((f) => path.join(HAND, f));
  const settings = path.join(HAND, 'settings.json');
  {
    // Under their settings and for May, the CLI gives every figure the engine test's comments tally by hand.
    const may = engineReport(files, null, ['--settings', settings, '--from', '2026-05-01', '--to', '2026-05-31']);
    const m = may.cash;
    assert.deepEqual([m.matched_orders, m.estimated_settlement_of_matched, m.actual_settlement, m.settlement_difference],
      [2, '64.50', '59.50', '-5.00']);
    assert.deepEqual(m.refunds, { from_finance: '15.00', from_finance_lines: 1, estimated: '10.00', estimated_lines: 1 });
    assert.deepEqual([may.totals.gmv, may.totals.refunds, may.totals.net_sales], ['150.00', '25.00', '125.00']);
    assert.deepEqual([m.unsettled.on_hold_expected, m.unsettled.on_hold_estimated, m.unsettled.not_in_finance_estimated,
      m.unsettled.other_on_hold_expected, m.unsettled.expected_cash], ['26.00', '28.00', '16.00', '7.50', '49.50']);

    // The page runs with its default settings over the files' whole period (28 April – 4 May): the CLI's
    // report with the same defaults is what it must show.
    const engine = engineReport(files);
    const cash = engine.cash;
    assert.deepEqual(engine.period, { from: '2026-04-28', to: '2026-05-04' });
    // What does not hang on the fee rules or the shipping setting stays the hand values: B's refund is the
    // finance export's 15.00 (not the unit-based 25.00), E's the Orders export's 10.00; A's −5.00 violation fee
    // is the whole difference; C on hold for 26.00, …099 for 7.50. Net sales: 40 + 50 + 30 + 20 + 10 + 12 − 25.
    assert.deepEqual(cash.refunds, { from_finance: '15.00', from_finance_lines: 1, estimated: '10.00', estimated_lines: 1 });
    assert.equal(cash.settlement_difference, '-5.00');
    assert.deepEqual([engine.totals.refunds, engine.totals.net_sales], ['25.00', '137.00']);
    const u = cash.unsettled;
    assert.deepEqual([u.on_hold_expected, u.other_on_hold_expected], ['26.00', '7.50']);
    assert.equal(cents(u.expected_cash), cents(u.on_hold_expected) + cents(u.not_in_finance_estimated) + cents(u.other_on_hold_expected));

    const app = await env.open();
    const { page, errors } = app;
    await app.dropFiles(files);
    // Net sales on the overview take the finance refund.
    assert.equal(await app.kpi('net_sales'), engine.totals.net_sales);
    await app.gotoView('cash');
    await page.waitForSelector('[data-testid=cash-totals] [data-metric=refunds_from_finance]');
    const tile = (block, k) => app.text(`[data-testid=${block}] .tile-value[data-metric=${k}]`);

    // The refunds, finance vs estimated, and the settlement difference: the engine's, and the hand values.
    const totals = {};
    for (const k of ['matched_orders', 'estimated_settlement_of_matched', 'actual_settlement', 'settlement_difference',
      'refunds_from_finance', 'refunds_from_finance_lines', 'refunds_estimated', 'refunds_estimated_lines']) {
      totals[k] = await tile('cash-totals', k);
    }
    const fromJson = {
      matched_orders: String(cash.matched_orders),
      estimated_settlement_of_matched: cash.estimated_settlement_of_matched,
      actual_settlement: cash.actual_settlement,
      settlement_difference: cash.settlement_difference,
      refunds_from_finance: cash.refunds.from_finance,
      refunds_from_finance_lines: String(cash.refunds.from_finance_lines),
      refunds_estimated: cash.refunds.estimated,
      refunds_estimated_lines: String(cash.refunds.estimated_lines),
    };
    for (const [k, v] of Object.entries(fromJson)) assert.equal(plain(totals[k]), v, `${k}: ${totals[k]}`);
    assert.equal(totals.refunds_from_finance, '$15.00');
    assert.equal(totals.refunds_estimated, '$10.00');
    assert.deepEqual([totals.refunds_from_finance_lines, totals.refunds_estimated_lines], ['1', '1']);
    assert.equal(plain(totals.settlement_difference), '-5.00', totals.settlement_difference);
    // A's row: paid 5.00 less than estimated.
    const a = '[data-testid=cash-orders] tr[data-row="576000000000000001"]';
    assert.equal(plain(await app.metric(a, 'difference')), '-5.00');

    // The cash to come, and what it is made of.
    for (const k of ['expected_cash', 'on_hold_orders', 'on_hold_expected', 'on_hold_estimated', 'not_in_finance_orders',
      'not_in_finance_estimated', 'other_on_hold_orders', 'other_on_hold_expected']) {
      const shown = await tile('unsettled', k);
      assert.equal(plain(shown), String(u[k]), `${k}: ${shown}`);
    }
    assert.equal(await tile('unsettled', 'on_hold_expected'), '$26.00');
    assert.equal(await tile('unsettled', 'other_on_hold_expected'), '$7.50');
    const c = '[data-testid=unsettled] tr[data-row="576000000000000003"]';
    assert.equal(plain(await app.metric(c, 'on_hold_expected')), '26.00');
    await page.screenshot({ path: path.join(ARTIFACTS, 'view-cash-finance-refunds-1366x768.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await app.close();
  }
});
