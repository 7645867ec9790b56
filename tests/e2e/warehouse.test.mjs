// "Export for your warehouse" (issue 18, docs/warehouse.md "From the page"): the Overview's button writes the
// shop's `lines` table as CSV with its schema. Every order line of the export is a row (counted in the raw
// file here), the columns are the schema's, and the lines' amounts add up to the report's totals (the CLI's
// `report --json` of the same files) — the same rows `margin-lab warehouse` writes as Parquet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES, engineReport, useHarness } from './harness.mjs';

const env = useHarness();
const f = (n) => path.join(FIXTURES, n);
const FILES = [f('us_orders_2026-05-17.csv'), f('us_affiliate_orders_2026-05.csv')];

/** Parses CSV text (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Exact sum of decimal strings, in units of 10^-18 (BigInt), as a string rounded half away from zero to 2 places. */
function sumCents(values) {
  const scale = 18n;
  let total = 0n;
  for (const v of values) {
    const neg = v.startsWith('-');
    const [i, d = ''] = (neg ? v.slice(1) : v).split('.');
    const n = BigInt(i || '0') * 10n ** scale + BigInt((d + '0'.repeat(Number(scale))).slice(0, Number(scale)) || '0');
    total += neg ? -n : n;
  }
  const unit = 10n ** (scale - 2n);
  const neg = total < 0n;
  const abs = neg ? -total : total;
  const cents = (abs + unit / 2n) / unit;
  const s = `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
  return neg && cents !== 0n ? `-${s}` : s;
}

test('the Overview writes every order line with its figures as CSV and a schema; the lines add up to the report', async () => {
  const want = engineReport(FILES);
  const app = await env.open();
  const { page, errors } = app;
  await app.importFiles(FILES);
  await app.gotoView('overview');
  await app.idle();
  const downloads = [];
  const two = new Promise((resolve) => {
    page.on('download', (d) => { downloads.push(d); if (downloads.length === 2) resolve(); });
  });
  await page.click('[data-testid=export-warehouse]');
  await two;
  const byName = Object.fromEntries(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), fs.readFileSync(await d.path(), 'utf8')])));
  assert.deepEqual(Object.keys(byName).sort(), ['US_shop_1-lines.csv', 'US_shop_1-lines.schema.json']);
  const schema = JSON.parse(byName['US_shop_1-lines.schema.json']);
  const rows = parseCsv(byName['US_shop_1-lines.csv']);
  const header = rows[0];
  assert.deepEqual(header, schema.columns.map((c) => c.name));
  assert.equal(schema.columns.find((c) => c.name === 'cm2').type, 'DECIMAL(38,18)');
  const lines = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  // One row per order line of the export: its data rows, counted here from the raw file (the export has
  // one header row above the data: this US export has no description row).
  const raw = parseCsv(fs.readFileSync(FILES[0], 'utf8')).filter((r) => r.length > 1);
  assert.equal(lines.length, raw.length - 1);
  // The shop column is the shop's partition value (as the Parquet export's shop= directory); the schema names it.
  assert.equal(schema.shop_name, 'US shop 1');
  assert.ok(lines.every((l) => /^us_shop_1-[0-9a-f]{16}$/.test(l.shop) && l.month === '2026-05' && l.currency === 'USD'));
  for (const k of ['gmv', 'net_sales', 'net_revenue', 'cogs', 'platform_fees', 'cm1', 'affiliate_commission', 'cm2', 'net_profit']) {
    assert.equal(sumCents(lines.map((l) => l[k])), want.totals[k], k);
  }
  const orders = new Set(lines.filter((l) => l.counts_order === 'true').map((l) => l.order_id));
  assert.equal(orders.size, want.totals.orders);
  assert.deepEqual(errors, []);
  await app.close();
});
