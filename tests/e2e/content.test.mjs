// The Content view (docs/metrics.md §11): each piece of content's P&L adds up to its creator's row of the
// Creators view, and a Creator LIVE Performance export shows its sessions against the account's benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, FIXTURES, ROOT, plain, useHarness } from './harness.mjs';

const env = useHarness();
const US = path.join(FIXTURES, 'us_orders_2026-05-17.csv');
const US_AFF = path.join(FIXTURES, 'us_affiliate_orders_2026-05.csv');
const LIVE = path.join(ROOT, 'tests', 'fixtures', 'analytics', 'br_creator_live_performance_20260415235620.xlsx');

/** "$1,234.56" → 123456 (cents), "—" → null. */
const cents = (text) => (text === '—' ? null : Math.round(Number(plain(text)) * 100));

test('content ranked by CM: a creator\'s pieces of content add up to their commission on the Creators view', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([US, US_AFF]);

  // The first creator of the Creators view, and their commission.
  await app.gotoView('creators');
  const first = page.locator('[data-table=creators] tr[data-creator]').first();
  await first.waitFor();
  const creator = await first.getAttribute('data-creator');
  const commission = cents(await app.metric(`[data-table=creators] tr[data-creator="${creator}"]`, 'commission'));
  assert.ok(commission !== null && commission > 0, `${creator} earned a commission`);

  await app.gotoView('content');
  const rows = page.locator('[data-testid=contents] tr[data-row]');
  await rows.first().waitFor();
  assert.ok(await rows.count() > 0, 'the contents table has rows');
  // No LIVE or video export is loaded: those sections say which export brings them.
  assert.match(await app.text('[data-testid=live-sessions-none]'), /Creator LIVE Performance export/);
  assert.match(await app.text('[data-testid=videos-none]'), /Video Performance List/);
  assert.ok(await page.locator('[data-testid=creator-products] tr[data-row]').count() > 0, 'creator × product has rows');

  // The creator's rows of the contents table (searched, as a user would; the search also finds creators
  // whose names start the same, so rows are kept by their creator cell).
  await page.fill('[data-testid=contents-search]', creator);
  await page.waitForFunction((c) => location.hash.includes('contents.q='), creator);
  const mine = await page.locator('[data-testid=contents] tr[data-row]').evaluateAll((trs, c) => trs
    .filter((tr) => tr.querySelector('[data-metric=creator]')?.textContent.trim() === c)
    .map((tr) => tr.querySelector('[data-metric=commission]').textContent.trim()), creator);
  assert.ok(mine.length > 0, `${creator} has pieces of content`);
  const sum = mine.map(cents).reduce((a, b) => a + (b ?? 0), 0);
  assert.equal(sum, commission, `${creator}: ${mine.join(' + ')} = ${sum / 100} vs ${commission / 100}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-content-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

test('a Creator LIVE Performance export shows its 7 sessions, the benchmark and the chart; a session is found by its title', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([LIVE]);
  await app.gotoView('content');
  const rows = page.locator('[data-testid=live-sessions] tr[data-row]');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 7);
  assert.match(await app.text('[data-testid=live-benchmark]'), /^Benchmark: GMV per viewer .+ over 7 sessions/);
  const chart = page.locator('[data-testid=live-chart]');
  assert.equal(await chart.locator('svg .mark').count(), 7, 'a bar per session');
  assert.equal(await chart.locator('svg path.reference').count(), 1, 'the account average is drawn');
  // No order is loaded: the estimated profit is "—", and the note says why.
  assert.equal(await app.text('[data-testid=live-sessions] tr[data-row]:first-child [data-metric=estimated_profit]'), '—');
  assert.match(await app.text('[data-testid=live-missing]'), /^7 sessions: .*no estimated P&L/);
  // An alert's link searches the LIVE table for the session's title (`live.q`).
  const title = (await rows.first().locator('th').textContent()).trim();
  await page.evaluate((t) => { location.hash = `#/content?live.q=${encodeURIComponent(t)}`; }, title);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=live-sessions] tr[data-row]').length < 7);
  const shown = await page.locator('[data-testid=live-sessions] tr[data-row] th').allTextContents();
  assert.ok(shown.length >= 1 && shown.every((t) => t.trim() === title), `only "${title}": ${shown}`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'view-content-live-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});
