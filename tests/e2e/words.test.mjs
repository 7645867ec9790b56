// Issue 19, as a seller reads the page: no internal text on screen (doc references, timings, code names),
// every figure explained by its registry definition, the Overview readable on a 390 px phone, free samples
// shown where CM2 is, and a search that matches the variation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { useHarness, ARTIFACTS } from './harness.mjs';

const env = useHarness();

const VIEWS = ['files', 'overview', 'skus', 'creators', 'what-if', 'settings'];
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
  const tile = page.locator('.tile', { has: page.locator('[data-kpi=cm2]') });
  assert.equal(await tile.locator('.tile-label').getAttribute('title'), CM2_DEFINITION);
  // Every tile and every column header of a figure is explained.
  const untitled = await page.locator('.tile-label:not([title])').count();
  assert.equal(untitled, 0);
  await app.gotoView('skus');
  assert.equal(await page.locator('[data-table=skus] th[data-col=cm2]').getAttribute('title'), CM2_DEFINITION);
  const headers = await page.locator('[data-table=skus] thead th').evaluateAll((ths) => ths.map((th) => [th.dataset.col, th.getAttribute('title')]));
  for (const [key, title] of headers.slice(1)) assert.ok(title && title.length > 5, `${key} has a definition`);
  assert.deepEqual(errors, []);
  await app.close();
});

test('at 390×844 the header fits and the Overview has no horizontal scroll', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await app.loadDemo();
  await page.setViewportSize({ width: 390, height: 844 });
  for (const v of ['overview', 'skus', 'creators', 'settings', 'files']) {
    await app.gotoView(v);
    await page.waitForTimeout(300);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (v === 'overview') assert.ok(width <= 390, `overview: the page is ${width}px wide at 390px`);
    const header = await page.evaluate(() => { const h = document.querySelector('header.top'); return h.scrollWidth - h.clientWidth; });
    assert.ok(header <= 0, `${v}: the header overflows by ${header}px`);
    await page.screenshot({ path: path.join(ARTIFACTS, `view-${v}-390x844.png`) });
  }
  assert.deepEqual(errors, []);
  await app.close();
});
