// Issue 19, as a seller reads the page: no internal text on screen (doc references, timings, code names),
// every figure explained by its registry definition, the Overview readable on a 390 px phone, free samples
// shown where CM2 is, and a search that matches the variation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { useHarness, ARTIFACTS, CLI, ROOT, engineReport } from './harness.mjs';

const env = useHarness();

const VIEWS = ['files', 'overview', 'skus', 'creators', 'content', 'ads', 'cash', 'what-if', 'settings'];
const INTERNAL = /METRICS|FEES\.md|§\d|repaint/;

/** Everything a seller can read on the current view: the visible text and every tooltip. */
const readable = (page) => page.evaluate(() => [document.body.innerText,
  ...[...document.querySelectorAll('[title]')].map((e) => e.getAttribute('title')),
  ...[...document.querySelectorAll('svg title, svg desc')].map((e) => e.textContent)].join('\n'));

// The registry's one-line definition of CM2 (crates/engine/src/registry.rs), as the page writes it: "cm1 −
// affiliate_commission − ad_spend − sample_cost − other_marketing (contribution margin)" with every key
// written as its label.
const CM2_DEFINITION = 'CM1 − Commission − Ad spend − Samples − Other marketing (contribution margin)';

test('no view shows internal text; CM2 carries its definition as a tooltip on the tile and the column', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.loadDemo();
  for (const v of VIEWS) {
    await app.gotoView(v);
    await page.waitForTimeout(300);
    const text = await readable(page);
    const hit = text.split('\n').find((l) => INTERNAL.test(l));
    assert.equal(hit, undefined, `${v} shows internal text: ${hit}`);
  }
  await app.gotoView('overview');
  // The made-up demo shop is not asked about VAT (it is computed as registered, the default).
  assert.equal(await page.locator('[data-testid=vat-question]').count(), 0);
  const tile = page.locator('.tile', { has: page.locator('[data-kpi=cm2]') });
  assert.equal(await tile.locator('.tile-label').getAttribute('title'), CM2_DEFINITION);
  // Every tile and every column header of a figure is explained.
  const untitled = await page.locator('.tile-label:not([title])').count();
  assert.equal(untitled, 0);
  // The report's notes are shown (issue 17: "no ad spend loaded" was computed and never shown), in the
  // engine's words: the CLI's report of the demo's US files says the same.
  const demo = (n) => path.join(ROOT, 'dist', 'demo', n);
  const engine = engineReport([demo('demo_us_orders.csv'), demo('demo_us_affiliate_orders.csv')], fs.readFileSync(demo('demo_us_costs.csv'), 'utf8'));
  const noAds = engine.warnings.find((w) => w.startsWith('no ad spend loaded'));
  assert.ok(noAds);
  const notes = await page.locator('[data-testid=warnings] li').allTextContents();
  assert.ok(notes.includes(`N${noAds.slice(1)}`), JSON.stringify(notes));
  // Free samples lower CM2 with no sale of their own: their units and cost sit beside it.
  const units = await app.kpi('sample_units');
  assert.ok(units > 0, 'the demo shop sent free samples');
  assert.ok((await page.locator('[data-testid=samples-note]').textContent()).includes(`${units} units sent`));
  await app.gotoView('skus');
  assert.equal(await page.locator('[data-table=skus] th[data-col=cm2]').getAttribute('title'), CM2_DEFINITION);
  assert.equal(await page.locator('[data-table=skus] th[data-col=sample_cost]').count(), 1);
  const headers = await page.locator('[data-table=skus] thead th').evaluateAll((ths) => ths.map((th) => [th.dataset.col, th.getAttribute('title')]));
  for (const [key, title] of headers.slice(1)) assert.ok(title && title.length > 5, `${key} has a definition`);
  assert.deepEqual(errors, []);
  await app.close();
});

test('at 390×844 the header fits and no view scrolls sideways (wide tables scroll in their own box)', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.loadDemo();
  await page.setViewportSize({ width: 390, height: 844 });
  for (const v of VIEWS) {
    await app.gotoView(v);
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${v}: the page is ${width}px wide at 390px`);
    const header = await page.evaluate(() => { const h = document.querySelector('header.top'); return h.scrollWidth - h.clientWidth; });
    assert.ok(header <= 0, `${v}: the header overflows by ${header}px`);
    await page.screenshot({ path: path.join(ARTIFACTS, `view-${v}-390x844.png`), fullPage: true });
  }
  assert.deepEqual(errors, []);
  await app.close();
});

/** A generated US Orders export over `days` days ending 17 May 2026 (`margin-lab generate`). */
function generated(days) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'margin-lab-long-'));
  const file = path.join(dir, `us_orders_${days}_days.csv`);
  execFileSync(CLI, ['generate', 'orders', '--market', 'us', '--seed', '3', '--days', String(days), '--size', '200KB', '--out', file]);
  return file;
}

/** The distinct x labels of a chart's marks, in order. */
const chartLabels = (page, id) => page.locator(`[data-testid=${id}] .mark`).evaluateAll(
  (ms) => [...new Set(ms.map((m) => m.dataset.label))]);

test('the trends show the whole period: every day up to 90 days, every week (Monday to Sunday) beyond', async () => {
  for (const [days, step] of [[90, 'day'], [120, 'week']]) {
    const file = generated(days);
    const report = engineReport([file]);
    const app = await env.open();
    const { page, errors } = app;
    await app.importFiles([file]);
    await app.gotoView('overview');
    await page.waitForSelector('[data-testid=trend-money] svg');
    assert.equal(await page.locator('[data-testid=trend-money] figcaption').textContent(), `Net sales and CM2 per ${step}`);
    const labels = await chartLabels(page, 'trend-money');
    const desc = await page.locator('[data-testid=trend-money] svg desc').textContent();
    assert.ok(desc.includes(`${report.period.from} to ${report.period.to}`), desc);
    if (step === 'day') {
      // 17 Feb – 17 May 2026: 12 + 31 + 30 + 17 = 90 days, one point each.
      assert.equal(report.period.from, '2026-02-17');
      assert.equal(labels.length, 90);
      assert.equal(labels[0], '17 Feb');
    } else {
      // 18 Jan 2026 (a Sunday) – 17 May 2026 (a Sunday): the clipped week of 18 Jan, then 17 whole
      // weeks from Monday 19 Jan to Sunday 17 May (119 days).
      assert.equal(report.period.from, '2026-01-18');
      assert.equal(labels.length, 18);
      assert.deepEqual([labels[0], labels[1], labels.at(-1)], ['w/c 18 Jan', 'w/c 19 Jan', 'w/c 11 May']);
    }
    assert.deepEqual(errors, []);
    await app.close();
  }
});

test('a chart is one tab stop; arrow keys move between its points', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.loadDemo();
  await app.gotoView('overview');
  for (const id of ['trend-money', 'trend-orders', 'waterfall']) {
    await page.waitForSelector(`[data-testid=${id}] svg`);
    assert.equal(await page.locator(`[data-testid=${id}] .mark[tabindex="0"]`).count(), 1, `${id}: one tab stop`);
  }
  const marks = page.locator('[data-testid=waterfall] .mark');
  const n = await marks.count();
  assert.ok(n > 3);
  await marks.first().focus();
  const focused = () => page.evaluate(() => document.activeElement.getAttribute('data-i'));
  await page.keyboard.press('ArrowRight');
  assert.equal(await focused(), '1');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await focused(), '1');
  await page.keyboard.press('End');
  assert.equal(await focused(), String(n - 1));
  // The tab stop stays where the reader left it.
  assert.equal(await page.locator('[data-testid=waterfall] .mark[tabindex="0"]').getAttribute('data-i'), String(n - 1));
  // The tooltip follows the focus.
  assert.equal(await page.locator('[data-testid=waterfall] .chart-tip').count(), 1);
  assert.deepEqual(errors, []);
  await app.close();
});
