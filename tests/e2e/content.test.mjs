// The Content view (docs/metrics.md §11): each piece of content's P&L adds up to its creator's row of the
// Creators view, and a Creator LIVE Performance export shows its sessions against the account's benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
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

/**
 * A Video Performance List of 1,500 videos on the real fixture's first four lines (period, blank row,
 * Spanish header): video i is captioned "video i", has (7·i mod 1,500) + 1 views — every count from 1 to
 * 1,500 once, since 7 and 1,500 share no factor — and i + 1 pesos of GMV.
 */
function longVideoList() {
  const fixture = fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'analytics', 'mx_Video_Performance_List_20260604172857.csv'), 'utf8');
  const head = fixture.split('\n').slice(0, 4).join('\n') + '\n';
  const rows = Array.from({ length: 1500 }, (_, i) => {
    const views = ((7 * i) % 1500) + 1;
    const gmv = (i + 1).toFixed(2);
    return ['creadora', '7241715178701194245', `video ${i}`, String(7600000000000000000n + BigInt(i)), '2026/05/10 12:00:00', 'Playera(1735523101213165258)',
      String(views), '0', '0', '0', '0', '0', '100', '10', '', '1', '1', '0', '1', '1', '0', gmv, gmv, '0', '0', '10.00%', '0.00%', '5.00%', '10.00%', 'No issues'].join(',');
  });
  const file = path.join(ARTIFACTS, `mx_Video_Performance_List_1500videos_${process.pid}.csv`);
  fs.writeFileSync(file, head + rows.join('\r\n') + '\r\n');
  return file;
}

test('a table longer than 500 rows stays in the worker: the page gets the first rows of each sort and search, and exports every row', async () => {
  const file = longVideoList();
  const app = await env.open();
  const { page, errors } = app;
  await app.dropFiles([file]);
  await app.gotoView('content');
  const rows = page.locator('[data-table=videos] tr[data-row]');
  await rows.first().waitFor();
  // GMV descending (the default): video 1,499 (1,500 pesos) first; 500 of the 1,500 rows are here.
  assert.equal(await rows.first().getAttribute('data-row'), String(7600000000000000000n + 1499n));
  assert.match(await app.text('[data-testid=videos-count]'), /^the first 500 of 1,500 matching rows \(1,500 in all/);

  // Views ascending: the worker sorts all 1,500. 1 view is video 0, which has the least GMV and was not
  // among the rows the page held (videos 1,000–1,499 by GMV).
  await page.click('[data-table=videos] th[data-col=views] button');
  await page.click('[data-table=videos] th[data-col=views] button');
  await page.waitForFunction(() => location.hash.includes('videos.sort=views%3Aasc') || location.hash.includes('videos.sort=views:asc'));
  await page.waitForFunction((id) => document.querySelector('[data-table=videos] tr[data-row]')?.dataset.row === id,
    String(7600000000000000000n));
  assert.equal(await app.text('[data-table=videos] tr[data-row]:first-child [data-metric=views]'), '1');

  // A search: "video 12", "video 120"–"129", "video 1200"–"1299": 111 rows, all here now.
  await page.fill('[data-testid=videos-search]', 'video 12');
  await page.waitForFunction(() => /^111 of 1,500 rows/.test(document.querySelector('[data-testid=videos-count]')?.textContent ?? ''));
  // The fewest views among them: video 1,200 + k has 901 + 7k (mod 1,500) views, 3 at k = 86.
  await page.waitForFunction((id) => document.querySelector('[data-table=videos] tr[data-row]')?.dataset.row === id,
    String(7600000000000000000n + 1286n));
  assert.equal(await app.text('[data-table=videos] tr[data-row]:first-child [data-metric=views]'), '3');

  // Export writes the matching rows from the worker: a header and 111 rows, in the sort shown.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=videos-csv]')]);
  const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(lines.length, 112);
  assert.match(lines[1], new RegExp(`^${7600000000000000000n + 1286n},`));
  // With the search cleared, every one of the 1,500 rows.
  await page.fill('[data-testid=videos-search]', '');
  await page.waitForFunction(() => /^the first 500 of 1,500/.test(document.querySelector('[data-testid=videos-count]')?.textContent ?? ''));
  const [all] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=videos-csv]')]);
  assert.equal(fs.readFileSync(await all.path(), 'utf8').trim().split(/\r?\n/).length, 1501);
  assert.deepEqual(errors, []);
  await app.close();
  fs.rmSync(file);
});
