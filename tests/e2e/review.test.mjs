// The morning review on the Overview (issue 17, items 4–5; docs/metrics.md §12): yesterday (the last day the
// Orders exports cover) against the day before, the SKUs that moved and one action per team, as the engine's
// `review` gives them for the same files (`margin-lab report --json`), whatever period is picked; and every
// alert's "Show the rows" link opens a view whose table has rows (each rule's own window, not the period).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, FIXTURES, ROOT, engineReport, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const US_AFF = path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv');
const DEMO = (n) => path.join(ROOT, 'dist', 'demo', n);

/** The four team lines as the page shows them, in order. */
const teamLines = (page) => page.locator('[data-testid=actions] > li').evaluateAll((lis) => lis.map((li) => ({
  team: li.dataset.team,
  urgent: li.dataset.urgent === 'true',
  action: li.querySelector('.action-text').textContent.trim(),
  why: li.querySelector('.action-why').textContent.trim(),
})));

/** The SKU IDs of a movers list (`movers-day-rose`, `movers-day-fell`, …), in order. */
const moverIds = (page, id) => page.locator(`[data-testid=${id}] li`).evaluateAll((lis) => lis.map((li) => li.dataset.mover));

/** Picks a period preset in the period bar and waits for the figures. */
async function pickPeriod(app, preset) {
  await app.page.selectOption('[data-input=period]', preset);
  await app.page.waitForFunction((p) => location.hash.includes(`period=${p}`), preset);
  await app.idle();
}

/** The table rows of the view the hash shows (the view an alert's link opens). */
const ROWS = {
  skus: '[data-table=skus] tr[data-sku]',
  creators: '[data-table=creators] tr[data-creator]',
  overview: '[data-table=rank] tr[data-sku]',
  content: '[data-testid=live-sessions] tr[data-row]',
};

/**
 * Clicks every alert's "Show the rows" link on the Overview, one after the other, and checks the view it
 * opens shows at least one row of its table, over the rule's own window when the rule has one.
 */
async function everyAlertLinkOpensRows(app, engineAlerts) {
  const { page } = app;
  await app.gotoView('overview');
  const links = page.locator('[data-testid=alerts] .alert-link');
  await page.waitForSelector('[data-testid=alerts]');
  const n = await links.count();
  assert.equal(n, engineAlerts.length, 'every alert has a link');
  for (let i = 0; i < n; i++) {
    await app.gotoView('overview');
    await page.waitForSelector('[data-testid=alerts] .alert-link');
    const alert = engineAlerts[i];
    const before = await page.evaluate(() => location.hash);
    await page.locator('[data-testid=alerts] .alert-link').nth(i).click();
    await page.waitForFunction((h) => location.hash !== h, before);
    const hash = decodeURIComponent(await page.evaluate(() => location.hash));
    const view = hash.slice(2).split('?')[0];
    assert.ok(ROWS[view], `${alert.rule}: a view with a table (${hash})`);
    if (alert.from && alert.to && alert.rule !== 'return_rate_spike') {
      assert.ok(hash.includes(`from=${alert.from}`) && hash.includes(`to=${alert.to}`), `${alert.rule}: its window in ${hash}`);
    }
    if (alert.rule === 'cpo_deterioration') assert.ok(hash.includes(`from=${alert.day}&to=${alert.day}`), hash);
    await app.idle();
    await page.waitForSelector(ROWS[view], { timeout: 10000 });
    const rows = await page.locator(ROWS[view]).count();
    assert.ok(rows >= 1, `${alert.rule} (${alert.subject}): ${hash} shows ${rows} rows`);
    if (view === 'skus' || view === 'creators') {
      const hook = view === 'skus' ? 'data-sku' : 'data-creator';
      const ids = await page.locator(ROWS[view]).evaluateAll((trs, h) => trs.map((tr) => tr.getAttribute(h)), hook);
      if (alert.rule !== 'affiliate_dropoff') assert.ok(ids.includes(alert.subject), `${alert.subject} in ${ids}`);
    }
  }
}

test('the morning review shows the engine\'s yesterday, movers and one action per team, whatever the period', async () => {
  const engine = engineReport([US, US_AFF]);
  const review = engine.review;
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([US, US_AFF]);
  await app.gotoView('overview');
  await page.waitForSelector('[data-testid=review] [data-review=net_sales]');

  const check = async () => {
    assert.equal(await page.getAttribute('[data-testid=review-day]', 'data-date'), review.day);
    assert.equal(review.yesterday.date, review.day);
    assert.equal(plain(await app.text('[data-review=net_sales]')), review.yesterday.net_sales);
    assert.equal(plain(await app.text('[data-review=orders]')), String(review.yesterday.orders));
    assert.equal(plain(await app.text('[data-review=cm2]')), review.yesterday.cm2);
    // Against the previous covered day: the net sales change as the engine gives it.
    const prev = page.locator('[data-review-figure=net_sales] [data-review-change=previous_day]');
    if (review.previous_day) {
      const text = (await prev.textContent()).trim();
      const amount = text.match(/([+-]?)\$([\d,]+\.\d\d)/);
      assert.ok(amount, text);
      assert.equal(Number(`${amount[1]}${amount[2].replace(/,/g, '')}`), Number(review.previous_day.net_sales_change), text);
      const up = Number(review.previous_day.net_sales_change) > 0;
      // Coloured as the tiles are: a rise of net sales is good news (its arrow green), a fall bad.
      assert.equal(await prev.locator('[data-news]').getAttribute('data-news'), up ? 'good' : 'bad');
    }
    // The same weekday a week before is not covered by these files: "—", and the reason.
    const week = await app.text('[data-review-figure=net_sales] [data-review-change=same_weekday]');
    if (review.same_weekday === null) {
      assert.equal(week, '—');
      assert.match(await app.text('[data-testid=review-compared]'), /no Orders export covers it/);
    }
    // Movers: the engine's risers and fallers against the previous covered day, in its order.
    if (review.movers.day) {
      assert.deepEqual(await moverIds(page, 'movers-day-rose'), review.movers.day.risers.map((m) => m.sku_id));
      assert.deepEqual(await moverIds(page, 'movers-day-fell'), review.movers.day.fallers.map((m) => m.sku_id));
    }
    // The four team lines: team, action and what triggered it, as the engine words them.
    const lines = await teamLines(page);
    assert.equal(lines.length, 4);
    assert.deepEqual(lines, review.actions.map((a) => ({ team: a.team, urgent: a.urgent, action: a.action, why: a.why })));
    assert.deepEqual(lines.map((l) => l.team), ['content', 'media_buying', 'creator_partnerships', 'operations']);
  };
  await check();
  // The alerts say when they are of: the review's day, each over its own window.
  assert.equal(await page.getAttribute('[data-testid=alerts-as-of]', 'data-date'), engine.alerts.as_of);
  assert.equal(engine.alerts.as_of, review.day);
  assert.match(await app.text('[data-testid=alerts-as-of]'), /each over its own window \(not the period picked above\)/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-review-1366x768.png'), fullPage: true });

  // Another period changes the tiles, not the review.
  await pickPeriod(app, 'last-day');
  await check();

  // A faller's link opens its SKU on the SKUs view, over the days compared (where its row is).
  const faller = review.movers.day?.fallers[0];
  if (faller) {
    await page.click(`[data-testid=movers-day-fell] li[data-mover="${faller.sku_id}"] a`);
    await page.waitForFunction(() => location.hash.startsWith('#/skus'));
    await app.idle();
    await page.waitForSelector(`[data-table=skus] tr[data-sku="${faller.sku_id}"]`);
  }

  // Every "Show the rows" opens rows, the period picked being the last day (not the alerts' windows).
  await app.gotoView('overview');
  await pickPeriod(app, 'last-day');
  await everyAlertLinkOpensRows(app, engine.alerts.alerts);
  assert.deepEqual(errors, []);
  await app.close();
});

test('a SKU losing money: its alert drives operations\' action, and each link opens its rows over the rule\'s window', async () => {
  // The demo's US shop with ML-CHAI-20 costing 100.00 a unit: CM2 is negative over the 30 days to the
  // last covered day.
  const costs = fs.readFileSync(DEMO('demo_us_costs.csv'), 'utf8').replace('ML-CHAI-20,4.02', 'ML-CHAI-20,100.00');
  assert.ok(costs.includes('ML-CHAI-20,100.00'));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const costsFile = path.join(ARTIFACTS, `review-costs-${process.pid}.csv`);
  fs.writeFileSync(costsFile, costs);
  const files = [DEMO('demo_us_orders.csv'), DEMO('demo_us_affiliate_orders.csv')];
  const engine = engineReport(files, costs);
  const negative = engine.alerts.alerts.filter((a) => a.rule === 'negative_cm2');
  assert.ok(negative.length > 0, 'the engine fires negative_cm2');

  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([...files, costsFile]);
  await app.gotoView('overview');
  await page.waitForSelector('[data-testid=review] [data-review=net_sales]');
  assert.equal(await page.getAttribute('[data-testid=review-day]', 'data-date'), engine.review.day);
  assert.equal(plain(await app.text('[data-review=net_sales]')), engine.review.yesterday.net_sales);
  const lines = await teamLines(page);
  assert.deepEqual(lines, engine.review.actions.map((a) => ({ team: a.team, urgent: a.urgent, action: a.action, why: a.why })));
  const ops = engine.review.actions.find((a) => a.team === 'operations');
  assert.equal(ops.source, 'alert');
  assert.equal(ops.rule, 'negative_cm2');
  // The action links to its alert's rows.
  assert.equal(await page.locator('[data-testid=actions] > li[data-team=operations] .alert-link').count(), 1);
  // The advertising note sits beside GMV → cash, still a report note (`data-testid=warnings`).
  const noAds = engine.notes.find((n) => n.kind === 'ads');
  if (noAds) {
    const placed = await page.locator('[data-testid=warnings][data-note-kind=ads] li').allTextContents();
    assert.ok(placed.includes(`${noAds.text[0].toUpperCase()}${noAds.text.slice(1)}`), JSON.stringify(placed));
    const general = await page.locator('[data-testid=warnings][data-note-kind=general] li').allTextContents();
    assert.ok(!general.some((t) => t.toLowerCase() === noAds.text.toLowerCase()), 'shown once');
  }
  await pickPeriod(app, 'last-day');
  await everyAlertLinkOpensRows(app, engine.alerts.alerts);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(costsFile, { force: true });
});

test('a content note (analytics records in two exports) heads the Content view', async () => {
  const live = path.join(ROOT, 'tests', 'fixtures', 'analytics', 'br_creator_live_performance_20260415235620.xlsx');
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const copy = path.join(ARTIFACTS, `br_creator_live_performance_copy_${process.pid}.xlsx`);
  fs.copyFileSync(live, copy);
  const engine = engineReport([live, copy]);
  const content = engine.notes.filter((n) => n.kind === 'content').map((n) => `${n.text[0].toUpperCase()}${n.text.slice(1)}`);
  assert.ok(content.length > 0, 'the engine notes the records counted once');
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([live, copy]);
  await app.gotoView('content');
  await page.waitForSelector('[data-testid=warnings][data-note-kind=content] li');
  assert.deepEqual(await page.locator('[data-testid=warnings][data-note-kind=content] li').allTextContents(), content);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(copy, { force: true });
});
