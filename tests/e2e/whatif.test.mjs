// End-to-end tests of the What-if workbench (issue 6) in headless Chromium, driven by playwright-core, against
// the Trunk-built page served from dist/ under its sub-path (the shared harness, harness.mjs). Expected figures are computed here by hand from
// docs/metrics.md §7 (a second, independent implementation in `cm2Pct` below, or arithmetic in comments), never
// copied from the page.
//
// Speed: the edit → repaint figure (performance.measure 'margin-lab:whatif-edit') is printed, not asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ARTIFACTS, FIXTURES, useHarness } from './harness.mjs';

// The what-if view needs no file: a page is ready when its navigation is.
const env = useHarness({ ready: 'nav a[data-view=what-if]' });

async function openWhatIf(page) {
  await page.click('nav a[data-view=what-if]');
  await page.waitForSelector('table.wi-grid');
}

/** Loads the US Orders fixture through the Files view's file input, then opens the what-if view. */
async function loadUs(app) {
  await app.importFiles([path.join(FIXTURES, 'us_orders_2026-05-17.csv')]);
  // When the import is done the page opens the overview by itself.
  await app.page.waitForFunction(() => location.hash.startsWith('#/overview'));
  await openWhatIf(app.page);
  await app.page.waitForSelector('tr[data-sku]');
}

/** A fresh page with a named scenario holding one blank product of the user's own; returns its row. */
async function customProduct(app, scenario, name) {
  await openWhatIf(app.page);
  await app.page.fill('[data-testid=scenario-name]', scenario);
  await app.page.press('[data-testid=scenario-name]', 'Enter');
  await app.page.fill('[data-testid=custom-name]', name);
  await app.page.click('[data-action=add-custom]');
  const row = `tr[data-custom="${name}"]`;
  await app.page.waitForSelector(row);
  return row;
}

/** Spreadsheet habit: click a cell, type, Enter. */
async function typeCell(page, row, input, text) {
  await page.click(`${row} [data-input="${input}"]`);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * CM2 % by docs/metrics.md §7, written independently of the engine (floats are fine to 2 decimals):
 * p = P(1 − d); net_revenue = p(1 − ρ)/(1 + v); fee = min(f·p, cap) + F/u; platform_fee = fee(1 − ρ) + ρ·refund_admin;
 * commission = a·r·p(1 − ρ); cogs = C(1 − ρ); returns_cost = ρ(C(1 − k) + R);
 * cm1 = net_revenue − cogs − platform_fee − S − H/u − returns_cost; cm2 = cm1 − commission − A − M.
 */
function cm2Pct(i) {
  const pc = (x) => (x ?? 0) / 100;
  const u = Math.max(1, i.units_per_order ?? 1);
  const p = i.price * (1 - pc(i.seller_discount_pct));
  const rho = pc(i.return_rate_pct);
  const kept = 1 - rho;
  const nr = p * kept / (1 + pc(i.vat_pct));
  let fee = pc(i.fee_pct) * p;
  if (i.fee_cap_per_item != null) fee = Math.min(fee, i.fee_cap_per_item);
  fee += (i.fee_fixed_per_order ?? 0) / u;
  let raf = pc(i.refund_admin_fee_pct) * fee;
  if (i.refund_admin_fee_cap != null) raf = Math.min(raf, i.refund_admin_fee_cap / u);
  const platform = fee * kept + rho * raf;
  const commission = pc(i.affiliate_share_pct) * pc(i.commission_pct) * p * kept;
  const cogs = i.unit_cost * kept;
  const returns = rho * (i.unit_cost * (1 - pc(i.restock_pct)) + (i.return_shipping ?? 0));
  const cm1 = nr - cogs - platform - i.fulfillment_per_unit - i.shipping_per_order / u - returns;
  const cm2 = cm1 - commission - i.ad_spend_per_unit - i.sample_cost_per_unit;
  return 100 * cm2 / nr;
}

test('typing a price updates CM2 for that SKU; a 3×3 pasted block fills the right cells; undo restores; the solver hits the target', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await loadUs(app);
  const ids = await page.locator('tr[data-sku]').evaluateAll((trs) => trs.slice(0, 3).map((tr) => tr.dataset.sku));
  const row = `tr[data-sku="${ids[0]}"]`;
  // CM2 per unit (the fixture has no unit costs, so CM2 % moves little: every cost left is a share of the price).
  const before = await app.metric(row, 'cm2');

  // Type a price: CM2 % follows, as docs/metrics.md §7 computes it from the row's inputs.
  await typeCell(page, row, 'price', '49.99');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=price]`).dataset.value === '49.99', row);
  const inputs = await app.inputs(row);
  assert.equal(inputs.price, 49.99);
  const shown = parseFloat(await app.metric(row, 'cm2_pct'));
  assert.ok(Math.abs(shown - cm2Pct(inputs)) < 0.006, `CM2 % ${shown} vs hand ${cm2Pct(inputs)}`);
  assert.notEqual(await app.metric(row, 'cm2'), before);
  assert.equal(await page.locator(`${row} [data-input=price]`).getAttribute('class'), 'edited');
  const ms = await page.evaluate(() => performance.getEntriesByName('margin-lab:whatif-edit').map((e) => e.duration));
  console.log(`what-if edit → repaint (fixture, ${await page.locator('tr[data-row]').count()} rows): ${ms.map((m) => m.toFixed(1)).join(', ')} ms`);

  // Paste a 3×3 block (as Excel / Google Sheets put it on the clipboard: TSV) at the first row's price:
  // price, seller discount %, unit cost of the first three SKU rows.
  const tsv = '$1,234.50\t12%\t7\n20\t0\t8.25\n30.5\t5%\t9\n';
  await page.click(`${row} [data-input=price]`);
  const cellsBefore = await Promise.all(ids.map((id) => app.inputs(`tr[data-sku="${id}"]`)));
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, tsv);
  const want = [[1234.5, 12, 7], [20, 0, 8.25], [30.5, 5, 9]];
  await page.waitForFunction((id) => document.querySelector(`tr[data-sku="${id}"] [data-input=unit_cost]`).dataset.value === '9', ids[2]);
  for (const [k, id] of ids.entries()) {
    const got = await app.inputs(`tr[data-sku="${id}"]`);
    assert.deepEqual([got.price, got.seller_discount_pct, got.unit_cost], want[k], `row ${k}`);
    assert.equal(got.vat_pct, cellsBefore[k].vat_pct, 'the 4th column is untouched');
  }

  // Undo (Ctrl+Z) restores the nine cells at once; redo brings them back; the Undo button undoes again.
  await page.keyboard.press('Control+z');
  await page.waitForFunction((id) => document.querySelector(`tr[data-sku="${id}"] [data-input=unit_cost]`).dataset.value !== '9', ids[2]);
  for (const [k, id] of ids.entries()) {
    const got = await app.inputs(`tr[data-sku="${id}"]`);
    assert.deepEqual([got.price, got.seller_discount_pct, got.unit_cost],
      [cellsBefore[k].price, cellsBefore[k].seller_discount_pct, cellsBefore[k].unit_cost], `undo row ${k}`);
  }
  await page.keyboard.press('Control+y');
  await page.waitForFunction((id) => document.querySelector(`tr[data-sku="${id}"] [data-input=unit_cost]`).dataset.value === '9', ids[2]);
  await page.click('[data-action=undo]');
  await page.waitForFunction((id) => document.querySelector(`tr[data-sku="${id}"] [data-input=unit_cost]`).dataset.value !== '9', ids[2]);

  // Solver: the price for a 30 % CM2 target, written into the scenario, shows CM2 % = 30.00 %.
  await page.fill('[data-input=target_cm2_pct]', '30');
  await page.press('[data-input=target_cm2_pct]', 'Enter');
  // The fixture has no unit costs (CM2 % is ~94 % at every price): give the row one so 30 % is reachable.
  await typeCell(page, row, 'unit_cost', '20');
  await page.click(`${row} [data-input=unit_cost]`);
  await page.waitForSelector('[data-solver=target_price] button:not([disabled])');
  await page.click('[data-solver=target_price] button');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-metric=cm2_pct]`).textContent.trim() === '30.00%', row);
  // And by hand from the row's inputs, with the solved price.
  assert.ok(Math.abs(cm2Pct(await app.inputs(row)) - 30) < 0.005);

  // Sensitivity heat map of the selected row.
  await page.waitForSelector('[data-testid=sensitivity]');
  await page.screenshot({ path: path.join(ARTIFACTS, 'whatif-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

test('issue 20: the period P&L and the product-group rows follow an edit; undo brings the baseline back to the cent', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await loadUs(app);
  // The projected period P&L, one column (`baseline` or `current`), as shown.
  const compare = (col) => page.$$eval('[data-testid=compare] tbody tr[data-metric]',
    (trs, col) => trs.map((tr) => [tr.dataset.metric, tr.querySelector(`[data-compare=${col}]`).textContent.trim()]), col);
  // The product-group rows whose net revenue per unit differs from the baseline's (a delta is shown).
  const moved = () => page.$$eval('tr[data-group] [data-metric=net_revenue]', (tds) => tds.filter((td) => td.dataset.delta).length);
  const baseline = await compare('baseline');
  assert.ok(baseline.length >= 7 && baseline.every(([, v]) => v !== ''), JSON.stringify(baseline));
  assert.deepEqual(await compare('current'), baseline, 'no edit: the scenario is the baseline');
  assert.equal(await moved(), 0);

  // A SKU's price: the period's net revenue moves, and so does its group's row (one group), not the others.
  const row = `tr[data-sku="${await page.locator('tr[data-sku]').first().getAttribute('data-sku')}"]`;
  await typeCell(page, row, 'price', '499.99');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=price]`).dataset.value === '499.99', row);
  await page.waitForFunction(() => document.querySelectorAll('tr[data-group] [data-metric=net_revenue][data-delta^="+"]').length === 1);
  const after = Object.fromEntries(await compare('current'));
  const base = Object.fromEntries(baseline);
  assert.notEqual(after.net_revenue, base.net_revenue);
  assert.equal(after.units, base.units, 'no elasticity: the volume stays');
  assert.equal(await moved(), 1);

  // Undo: every figure is the baseline's again, to the last digit shown (the sums follow edits one by one).
  await page.keyboard.press('Control+z');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=price]`).dataset.value !== '499.99', row);
  await page.waitForFunction(() => document.querySelectorAll('tr[data-group] [data-metric=net_revenue][data-delta]:not([data-delta=""])').length === 0);
  assert.deepEqual(await compare('current'), baseline);
  assert.deepEqual(errors, []);
  await app.close();
});

test('with no files: the Glow Serum typed into the grid shows 75% gross, 44.75% CM2, 19.75% net; the scenario survives reload', async () => {
  const app = await env.open();
  const { page, errors } = app;
  const row = await customProduct(app, 'Spring promo', 'Glow Serum');
  // VAT 0, return rate 0, units per order 1 (the blank product's defaults); the rest typed as the example says.
  for (const [input, text] of [['price', '40'], ['unit_cost', '10'], ['commission_pct', '15%'], ['affiliate_share_pct', '100'],
    ['fee_pct', '2'], ['fee_fixed_per_order', '0.30'], ['shipping_per_order', '5'], ['overhead_per_unit', '10']]) {
    await typeCell(page, row, input, text);
  }
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=overhead_per_unit]`).dataset.value === '10', row);
  // net revenue = 40 (no VAT, no returns); gross = 40 − 10 = 30 → 30/40 = 75 %.
  // fee = 2 % × 40 + 0.30 = 1.10; cm1 = 40 − 10 − 1.10 − 5 (shipping, 1 unit per order) = 23.90;
  // commission = 100 % × 15 % × 40 = 6; cm2 = 23.90 − 6 = 17.90 → 17.90/40 = 44.75 %; net = 17.90 − 10 = 7.90 → 19.75 %.
  assert.equal(await app.metric(row, 'gross_margin_pct'), '75.00%');
  assert.equal(await app.metric(row, 'cm2_pct'), '44.75%');
  assert.equal(await app.metric(row, 'net_margin_pct'), '19.75%');
  assert.equal(await app.metric(row, 'cm2'), '$17.90');

  // Saved with the workspace: a reload brings back the named scenario and its product.
  await page.reload();
  await page.waitForSelector(row);
  assert.equal(await page.locator('[data-testid=scenario-select]').inputValue(), 'Spring promo');
  assert.equal(await app.metric(row, 'cm2_pct'), '44.75%');
  assert.deepEqual(errors, []);
  await app.close();
});

test('a shared link opens the same scenario in a fresh browser context, which can save it', async () => {
  const app = await env.open();
  const { page } = app;
  const row = await customProduct(app, 'Serum launch', 'Glow Serum');
  await typeCell(page, row, 'price', '40');
  await typeCell(page, row, 'unit_cost', '10');
  // 30/40 = 75 % gross, no other costs: CM2 % 75 too.
  await page.waitForFunction((r) => document.querySelector(`${r} [data-metric=cm2_pct]`).textContent.trim() === '75.00%', row);
  await page.click('[data-action=share]');
  const url = await page.locator('[data-testid=share-url]').inputValue();
  assert.match(url, /#\/what-if\?whatif\.share=[A-Za-z0-9_-]+$/);
  await app.close();

  const shared = await env.open({ url, ready: '[data-testid=shared-banner]' });
  const p2 = shared.page;
  assert.match(await p2.locator('[data-testid=shared-banner]').textContent(), /Serum launch/);
  assert.equal(await shared.metric(row, 'cm2_pct'), '75.00%');
  assert.equal(await p2.locator(`${row} [data-input=price]`).getAttribute('data-value'), '40');
  await p2.click('[data-action=save-shared]');
  await p2.waitForSelector('[data-testid=shared-banner]', { state: 'detached' });
  assert.equal(await p2.locator('[data-testid=scenario-select]').inputValue(), 'Serum launch');
  assert.equal(await shared.metric(row, 'cm2_pct'), '75.00%');
  await shared.close();
});

test('speed: edit → repaint with the demo data (reported, not asserted)', async () => {
  const app = await env.open({ hash: '#/files' });
  const { page } = app;
  await app.loadDemo();
  await openWhatIf(page);
  await page.waitForSelector('tr[data-sku]');
  const rows = await page.locator('tr[data-row]').count();
  const row = `tr[data-sku="${await page.locator('tr[data-sku]').first().getAttribute('data-sku')}"]`;
  const durations = [];
  for (const price of ['11', '12', '13', '14', '15']) {
    await typeCell(page, row, 'price', price);
    await page.waitForFunction((n) => performance.getEntriesByName('margin-lab:whatif-edit').length >= n, durations.length + 1);
    durations.push(await page.evaluate(() => performance.getEntriesByName('margin-lab:whatif-edit').at(-1).duration));
  }
  durations.sort((a, b) => a - b);
  console.log(`what-if edit → repaint, ${rows} rows: median ${durations[2].toFixed(1)} ms (all: ${durations.map((d) => d.toFixed(1)).join(', ')})`);
  await app.close();
});

/** Adds a product of the user's own through the form above the grid (Enter submits it); returns its row. */
async function addProduct(page, name) {
  await page.fill('[data-testid=custom-name]', name);
  await page.press('[data-testid=custom-name]', 'Enter');
  const row = `tr[data-custom="${name}"]`;
  await page.waitForSelector(row);
  return row;
}

const CARD = '[data-testid=product-card]';

test('issue 19: the textbook example typed into a new product shows 75% / 44.75% / 19.75% beside its inputs, without scrolling', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await openWhatIf(page);
  const row = await addProduct(page, 'Glow Serum');
  // The new product is the card's (and the solvers').
  await page.waitForFunction((c) => document.querySelector(c)?.dataset.product === 'custom:Glow Serum', CARD);
  // A typed product sends every unit through affiliates until a share is typed: the seller need not know.
  assert.equal(await page.locator(`${CARD} input[data-input=affiliate_share_pct]`).inputValue(), '100');
  for (const [input, text] of [['price', '40'], ['unit_cost', '10'], ['commission_pct', '15%'], ['fee_pct', '2'],
    ['fee_fixed_per_order', '0.30'], ['fulfillment_per_unit', '5'], ['overhead_per_unit', '10']]) {
    await page.fill(`${CARD} input[data-input=${input}]`, text);
    await page.press(`${CARD} input[data-input=${input}]`, 'Enter');
  }
  await page.waitForFunction((c) => document.querySelector(`${c} [data-metric=net_margin_pct]`)?.dataset.value === '19.75', CARD);
  // By hand (docs/metrics.md §4): net revenue 40; gross 40 − 10 = 30 → 75 %; fee 2 % × 40 + 0.30 = 1.10;
  // cm1 = 30 − 1.10 − 5 = 23.90; commission 100 % × 15 % × 40 = 6 → cm2 17.90 → 44.75 %; net 17.90 − 10 = 7.90 → 19.75 %.
  const out = (k) => page.locator(`${CARD} [data-metric=${k}]`);
  assert.deepEqual(
    await Promise.all(['gross_margin_pct', 'cm2_pct', 'net_margin_pct', 'cm2', 'net_profit'].map((k) => out(k).getAttribute('data-value'))),
    ['75', '44.75', '19.75', '17.9', '7.9']);
  // As shown: percentages with two decimals, money in the currency.
  assert.deepEqual(
    await Promise.all(['gross_margin_pct', 'cm2_pct', 'net_margin_pct', 'cm2'].map(async (k) => (await out(k).textContent()).trim())),
    ['75.00%', '44.75%', '19.75%', '$17.90']);
  // The grid's row agrees.
  assert.equal(await app.metric(row, 'cm2_pct'), '44.75%');
  // Without scrolling: the grid was never scrolled sideways, nor the page; the seven inputs typed and the three
  // margins are all inside the 1366 × 768 window at once.
  assert.equal(await page.$eval('.wi-wrap', (e) => e.scrollLeft), 0);
  assert.equal(await page.evaluate(() => window.scrollX), 0);
  const boxes = await page.$$eval(
    `${CARD} .pc-inputs input:is([data-input=price],[data-input=unit_cost],[data-input=commission_pct],[data-input=fee_pct],[data-input=fee_fixed_per_order],[data-input=fulfillment_per_unit],[data-input=overhead_per_unit]), ${CARD} :is([data-metric=gross_margin_pct],[data-metric=cm2_pct],[data-metric=net_margin_pct])`,
    (els) => els.map((e) => { const r = e.getBoundingClientRect(); return { k: e.dataset.input || e.dataset.metric, l: r.left, t: r.top, r: r.right, b: r.bottom }; }));
  assert.equal(boxes.length, 10);
  for (const b of boxes) {
    assert.ok(b.l >= 0 && b.r <= 1366 && b.t >= 0 && b.b <= 768, `${b.k} outside the window: ${JSON.stringify(b)}`);
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'whatif-textbook-1366x768.png') });
  assert.deepEqual(errors, []);
  await app.close();
});

test('issue 19: the what-if grid is edited with the keyboard alone (Tab in, arrows, type, Enter; Escape cancels; Tab out)', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await openWhatIf(page);
  const row = await addProduct(page, 'Keyboard Kit');
  // From the Add product button, Tab reaches the grid's one tab stop: the cursor's cell (the new row's price).
  await page.focus('[data-action=add-custom]');
  const where = () => page.evaluate(() => {
    const a = document.activeElement;
    return { input: a?.dataset?.input ?? null, row: a?.closest('tr[data-row]')?.dataset.row ?? null, inGrid: !!a?.closest('table.wi-grid'), tag: a?.tagName };
  });
  let at = await where();
  for (let i = 0; i < 4 && !at.inGrid; i++) {
    await page.keyboard.press('Tab');
    at = await where();
  }
  assert.deepEqual([at.tag, at.input, at.row], ['TD', 'price', 'custom:Keyboard Kit'], 'Tab lands on the active cell');
  // Type starts an edit, Enter commits.
  await page.keyboard.type('40');
  await page.keyboard.press('Enter');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=price]`).dataset.value === '40', row);
  // Arrows move: two to the right is the unit cost.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal((await where()).input, 'unit_cost');
  await page.keyboard.type('10');
  await page.keyboard.press('Enter');
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=unit_cost]`).dataset.value === '10', row);
  // 40 − 10 = 30 of 40: 75 % gross, and CM2 % too (no other cost yet).
  assert.equal(await app.metric(row, 'gross_margin_pct'), '75.00%');
  assert.equal(await app.metric(row, 'cm2_pct'), '75.00%');
  // Escape cancels an edit: the VAT stays 0.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.type('9');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator(`${row} [data-input=vat_pct]`).getAttribute('data-value'), '0');
  assert.equal((await where()).input, 'vat_pct', 'focus is back on the cell');
  // Tab leaves the grid (no trap); Shift+Tab comes back to the same cell.
  await page.keyboard.press('Tab');
  assert.equal((await where()).inGrid, false);
  await page.keyboard.press('Shift+Tab');
  assert.deepEqual([(await where()).input, (await where()).inGrid], ['vat_pct', true]);
  // Only one cell of the grid is a tab stop.
  assert.equal(await page.locator('table.wi-grid [tabindex="0"]').count(), 1);
  assert.deepEqual(errors, []);
  await app.close();
});

test('issue 19: product names stay readable when the grid scrolls sideways (sticky, nothing painted over them)', async () => {
  for (const viewport of [{ width: 1366, height: 768 }, { width: 390, height: 844 }]) {
    const app = await env.open();
    const { page } = app;
    await page.setViewportSize(viewport);
    await openWhatIf(page);
    const row = await addProduct(page, 'Sticky Serum');
    await page.fill(`${CARD} input[data-input=price]`, '40');
    await page.press(`${CARD} input[data-input=price]`, 'Enter');
    const name = `${row} th.row-name`;
    const before = await page.locator(name).boundingBox();
    const wrapLeft = await page.$eval('.wi-wrap', (e) => e.getBoundingClientRect().left);
    await page.$eval('.wi-wrap', (e) => { e.scrollLeft = 900; });
    await page.waitForFunction(() => document.querySelector('.wi-wrap').scrollLeft > 0);
    const after = await page.locator(name).boundingBox();
    // The name cell stays at the box's left edge.
    assert.ok(Math.abs(after.x - before.x) < 1 && after.x - wrapLeft < 2, `name moved: ${before.x} → ${after.x}`);
    // No number is painted over it: what is on top at the name's centre is the name cell itself.
    const top = await page.evaluate(([sel, x, y]) => {
      const el = document.elementFromPoint(x, y);
      return el?.closest('th.row-name') === document.querySelector(sel);
    }, [name, after.x + after.width / 2, after.y + after.height / 2]);
    assert.ok(top, 'the name cell is on top');
    assert.match(await page.locator(`${name} span`).first().textContent(), /Sticky Serum/);
    // The grid's box and the product card fit the window (the grid scrolls inside its box).
    const rights = await page.$$eval(`.wi-main, .wi-wrap, ${CARD}`, (els) => els.map((e) => e.getBoundingClientRect().right));
    for (const r of rights) assert.ok(r <= viewport.width, `${r} > ${viewport.width}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `whatif-sticky-${viewport.width}x${viewport.height}.png`) });
    await app.close();
  }
});

test('issue 19: the solvers stay on the product they solve when the cursor moves; a click on a name picks another', async () => {
  const app = await env.open();
  const { page, errors } = app;
  await openWhatIf(page);
  const a = await addProduct(page, 'Alpha');
  const b = await addProduct(page, 'Beta');
  const solvers = '.wi-solvers';
  const solving = () => page.$eval(solvers, (e) => e.dataset.product);
  // Beta, just added, is picked.
  await page.waitForFunction((s) => document.querySelector(s).dataset.product === 'custom:Beta', solvers);
  // Give Beta a price and a cost: 40 and 10; commission 15 % on every unit (typed product).
  await page.fill(`${CARD} input[data-input=price]`, '40');
  await page.press(`${CARD} input[data-input=price]`, 'Enter');
  await page.fill(`${CARD} input[data-input=unit_cost]`, '10');
  await page.press(`${CARD} input[data-input=unit_cost]`, 'Enter');
  // Break-even price: cm2 = p − 10 = 0 → 10.00 (no other cost).
  await page.waitForFunction((s) => document.querySelector(`${s} [data-solver=break_even_price] .value`).textContent.trim() === '$10.00', solvers);
  // The cursor moves to Alpha (a click on its cell, then arrow keys): the solvers stay on Beta.
  await page.click(`${a} [data-input=price]`);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  assert.equal(await solving(), 'custom:Beta');
  assert.match(await page.locator('#solvers-h').textContent(), /Beta/);
  assert.equal(await page.locator(`${solvers} [data-solver=break_even_price] .value`).textContent(), '$10.00');
  // Writing the answer goes into Beta, the row solved, not the cursor's.
  await page.click(`${solvers} [data-solver=break_even_price] button`);
  await page.waitForFunction((r) => document.querySelector(`${r} [data-input=price]`).dataset.value === '10', b);
  assert.equal(await page.locator(`${a} [data-input=price]`).getAttribute('data-value'), '0');
  // A click on Alpha's name picks it; Shift+Space on Beta's row picks Beta again.
  await page.click(`${a} th.row-name span`);
  await page.waitForFunction((s) => document.querySelector(s).dataset.product === 'custom:Alpha', solvers);
  assert.equal(await page.$eval(CARD, (e) => e.dataset.product), 'custom:Alpha');
  await page.click(`${b} [data-input=unit_cost]`);
  assert.equal(await solving(), 'custom:Alpha');
  await page.keyboard.press('Shift+Space');
  await page.waitForFunction((s) => document.querySelector(s).dataset.product === 'custom:Beta', solvers);
  assert.deepEqual(errors, []);
  await app.close();
});
