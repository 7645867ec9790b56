#!/usr/bin/env node
// In-browser benchmarks of the built page (issue #7), in ONE headless Chromium session. Not part of the test command.
//
//   node scripts/bench-browser/run.mjs [--size 100MB] [--runs 3]   import speed vs Papa Parse, then interaction speed
//   node scripts/bench-browser/run.mjs --only import|interact      one of the two
//   node scripts/bench-browser/run.mjs --gb [--size 1GB]           1 GB in a tab: main-thread stalls, worker memory
//   node scripts/bench-browser/run.mjs --agency [--shops 40] [--runs 3]
//                                                                 an agency: 40 shops × 90 days of US Orders, one
//                                                                 directory each — `report --json` on the 40 under
//                                                                 /usr/bin/time -v, then the 40 files in one tab:
//                                                                 time to the Portfolio's 40 rows, period changes,
//                                                                 memory (issue 15 item 6; docs/performance.md)
//   node scripts/bench-browser/run.mjs --content [--sessions 10000] [--videos 100000] [--runs 3] [--profile]
//                                                                 the content layer: a Creator LIVE performance export
//                                                                 of 10,000 sessions and a video performance list of
//                                                                 100,000 videos (built on the real fixtures' headers,
//                                                                 in target/bench-data/content/) — `report --json` under
//                                                                 /usr/bin/time -v, then both files in one tab: file
//                                                                 cards, figures shown, main-thread long tasks, memory,
//                                                                 the Content view and period changes on it (issue 16)
//
// Needs `trunk build --release --public-url /margin-lab/` (dist/) and `npm ci`. Builds the CLI (profile `native` if
// Cargo.toml has it, else `--release`) and writes deterministic US Orders exports to target/bench-data/ (reused).
// The page is served from dist/ under /margin-lab/ as in tests/e2e; Papa Parse and its worker under /bench/.
// BENCH_DIST and MARGIN_LAB_BIN point at another build of the page or the CLI.
// Prints a table and writes target/bench-data/results-<mode>.json.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DIST = path.resolve(process.env.BENCH_DIST || path.join(ROOT, 'dist'));
const DATA = path.join(ROOT, 'target', 'bench-data');
const BASE = '/margin-lab/';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// ---- arguments ----
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const value = (f, d) => { const i = argv.indexOf(f); return i >= 0 && argv[i + 1] ? argv[i + 1] : d; };
const GB = flag('--gb');
const AGENCY = flag('--agency');
const CONTENT = flag('--content');
const SESSIONS = Number(value('--sessions', '10000'));
const VIDEOS = Number(value('--videos', '100000'));
const SHOPS = Number(value('--shops', '40'));
const RUNS = Number(value('--runs', '3'));
const ONLY = value('--only', '');
const PROFILE = flag('--profile');
const parseSize = (s) => {
  const m = /^([\d.]+)\s*(KB|MB|GB|B)?$/i.exec(s);
  if (!m) throw new Error(`--size ${s}: want e.g. 100MB or 1GB`);
  return Math.round(Number(m[1]) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[(m[2] || 'B').toUpperCase()]);
};
const SIZE = parseSize(value('--size', GB ? '1GB' : '100MB'));
const MB = (b) => b / 1e6;
const log = (...a) => console.error('[bench]', ...a);

// ---- the CLI and the data ----
function cli() {
  if (process.env.MARGIN_LAB_BIN) return process.env.MARGIN_LAB_BIN;
  const cargo = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8');
  const profile = /^\[profile\.native\]/m.test(cargo) ? 'native' : 'release';
  const bin = path.join(process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target'), profile, 'margin-lab');
  log(`building the CLI (cargo build --profile ${profile} -p margin-lab-cli)`);
  execFileSync('cargo', ['build', '--profile', profile, '-p', 'margin-lab-cli'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return bin;
}

/** Order count for a target size: bytes and lines per order, measured on a sample of the same generator. */
let perOrder;
function calibrate(bin) {
  if (perOrder) return perOrder;
  const sample = path.join(DATA, 'calibrate.csv');
  execFileSync(bin, ['generate', 'orders', '--market', 'us', '--seed', '1', '--orders', '20000', '--days', '90', '--out', sample]);
  const text = fs.readFileSync(sample, 'utf8');
  // Records, not text lines: some cells (addresses) hold line breaks inside quotes.
  let lines = 0, quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) quoted = !quoted;
    else if (ch === 10 && !quoted) lines++;
  }
  lines -= 1;
  perOrder = { bytes: Buffer.byteLength(text) / 20000, lines: lines / 20000 };
  return perOrder;
}

/** A deterministic US Orders export: `--size` when the CLI has it, else orders from the calibration. */
function ordersFile(bin, { bytes, lines, seed = 1, days = 90 }) {
  fs.mkdirSync(DATA, { recursive: true });
  const c = calibrate(bin);
  const orders = Math.round(bytes ? bytes / c.bytes : lines / c.lines);
  const out = path.join(DATA, `us-orders-${orders}-seed${seed}-days${days}.csv`);
  if (!fs.existsSync(out)) {
    log(`generating ${out} (${orders} orders)`);
    execFileSync(bin, ['generate', 'orders', '--market', 'us', '--seed', String(seed), '--orders', String(orders), '--days', String(days), '--out', out]);
  }
  return out;
}

/** 2,000 distinct SKUs, one order line each (like the 10,000-SKU test in tests/e2e/page.test.mjs). */
function manySkus(n) {
  const out = path.join(DATA, `skus-${n}.csv`);
  fs.mkdirSync(DATA, { recursive: true });
  if (!fs.existsSync(out)) {
    let csv = 'Order ID,Order Status,SKU ID,Seller SKU,Product Name,Quantity,SKU Subtotal Before Discount,SKU Seller Discount,Created Time,Paid Time\n';
    for (let i = 0; i < n; i++) {
      csv += `57600000000${String(i).padStart(7, '0')},Shipped,${9000000 + i},SKU-${i},Product ${i},1,${(10 + (i % 90)).toFixed(2)},0,05/03/2026 10:00:00 AM,05/03/2026 10:00:05 AM\n`;
    }
    fs.writeFileSync(out, csv);
  }
  return out;
}

// ---- the server and the browser ----
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.csv': 'text/csv' };
const BENCH_FILES = {
  'papa-worker.js': path.join(HERE, 'papa-worker.js'),
  'papaparse.min.js': path.join(ROOT, 'node_modules', 'papaparse', 'papaparse.min.js'),
};

function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let file;
    if (url.pathname.startsWith('/bench/')) {
      file = BENCH_FILES[url.pathname.slice('/bench/'.length)];
      if (url.pathname === '/bench/') { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title><input type=file id=f>'); return; }
    } else if (url.pathname.startsWith(BASE)) {
      const rel = decodeURIComponent(url.pathname.slice(BASE.length)) || 'index.html';
      file = path.join(DIST, path.normalize(rel));
      if (!file.startsWith(DIST)) file = undefined;
    }
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/**
 * Installed before the page's scripts: records the engine worker's messages (type, time, rows, bytes read), and a
 * main-thread stall probe (gaps between 10 ms timers, longtask entries) started and stopped by the script.
 */
function probe() {
  const msgs = [];
  window.__bench = { msgs, gaps: [], longtasks: [] };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => msgs.push([e.data?.type, performance.now(), e.data?.rows, e.data?.type === 'done' ? e.data.json : e.data?.read ?? e.data?.json?.length]));
    }
    postMessage(m, ...rest) {
      if (m && m.type) msgs.push(['>' + m.type, performance.now()]);
      return super.postMessage(m, ...rest);
    }
  };
  let timer, last, observer;
  window.__benchStalls = {
    start() {
      window.__bench.gaps = []; window.__bench.longtasks = [];
      last = performance.now();
      timer = setInterval(() => { const t = performance.now(); window.__bench.gaps.push([last, t - last]); last = t; }, 10);
      observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__bench.longtasks.push([e.startTime, e.duration]); });
      observer.observe({ type: 'longtask', buffered: false });
    },
    stop() { clearInterval(timer); observer.disconnect(); },
  };
  /** Resolves at the first frame after `cond` holds (checked on every DOM change). */
  window.__benchWhen = (cond) => new Promise((ok) => {
    const check = () => {
      if (!cond()) return false;
      mo.disconnect();
      requestAnimationFrame(() => setTimeout(() => ok(performance.now()), 0));
      return true;
    };
    const mo = new MutationObserver(check);
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    check();
  });
}

const FIGURES_SHOWN = () => !!document.querySelector('[data-kpi=net_sales]')?.textContent.trim()
  && !document.querySelector('.computing') && !document.querySelector('[data-testid=import-progress]')
  && window.__bench.msgs.some((m) => m[0] === 'computed');

async function newPage(browser, origin, hash = '#/files') {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await ctx.addInitScript(probe);
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('page crashed'));
  await page.goto(origin + BASE + hash);
  await page.waitForSelector('input[type=file][multiple]:not(#boot-input)', { state: 'attached' });
  // The engine worker starts with the first import (src/worker_client.rs), so its start-up is in the import's time.
  return { page, ctx, errors };
}

/** The wasm memory (bytes) of the page and of the engine worker (same module: wasm-bindgen's init returns it). */
async function wasmMemory(page) {
  const pageBytes = await page.evaluate(async () => (await window.wasmBindings?.default?.())?.memory?.buffer.byteLength ?? null).catch(() => null);
  let workerBytes = null;
  for (const w of page.workers()) {
    if (!w.url().includes('worker_loader')) continue;
    workerBytes = await w.evaluate(async () => {
      // The loader's name holds the module's addresses (src/worker_loader.js); its glue is initialised.
      const glue = await import(self.name.split('\n')[0]);
      return (await glue.default()).memory.buffer.byteLength;
    }).catch((e) => String(e));
  }
  return { pageBytes, workerBytes };
}

/** Imports files through the Files view's input; times from the input's change to the figures shown. */
async function appImport(browser, origin, files, { stalls = false, timeout = 30 * 60e3 } = {}) {
  const { page, ctx, errors } = await newPage(browser, origin);
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  await page.evaluate(() => {
    window.__benchChange = new Promise((ok) => document.addEventListener('change', () => ok(performance.now()), { capture: true, once: true }));
  });
  if (stalls) await page.evaluate(() => window.__benchStalls.start());
  await page.setInputFiles('input[type=file][multiple]:not(#boot-input)', files);
  const shown = await page.evaluate((cond) => window.__benchWhen(new Function(`return (${cond})()`)), FIGURES_SHOWN.toString());
  // Wait for the done/computed messages to be recorded, within the time limit.
  await page.waitForFunction(() => window.__bench.msgs.some((m) => m[0] === 'computed'), null, { timeout });
  if (stalls) await page.evaluate(() => window.__benchStalls.stop());
  const r = await page.evaluate(async (shown) => {
    const b = window.__bench;
    const t0 = await window.__benchChange;
    const first = (t, after = 0) => b.msgs.find((m) => m[0] === t && m[1] >= after);
    const imp = first('>import', t0), done = b.msgs.filter((m) => m[0] === 'done').at(-1);
    const comp = first('>compute', done?.[1] ?? 0), computed = first('computed', done?.[1] ?? 0);
    // Rows read and used, from each file's import report (the `done` message).
    const reports = b.msgs.filter((m) => m[0] === 'done').map((m) => { try { return JSON.parse(m[3]); } catch { return {}; } });
    const rowsText = reports.map((x) => `${x.used_rows} of ${x.rows} rows used`).join(', ');
    return {
      totalMs: shown - t0,
      workerImportMs: imp && done ? done[1] - imp[1] : null,
      computeMs: comp && computed ? computed[1] - comp[1] : null,
      renderMs: computed ? shown - computed[1] : null,
      lastRows: b.msgs.filter((m) => m[0] === 'progress').map((m) => m[2]).reduce((a, x) => Math.max(a, x ?? 0), 0),
      rowsText,
      gapsOver50: b.gaps.filter(([, g]) => g > 50).length,
      maxGap: b.gaps.reduce((m, [, g]) => Math.max(m, g), 0),
      longtasks: b.longtasks.length,
      longtasksOver100: b.longtasks.filter(([, d]) => d > 100).length,
      maxLongtask: b.longtasks.reduce((m, [, d]) => Math.max(m, d), 0),
      longtaskList: b.longtasks.slice(0, 20),
    };
  }, shown);
  r.memory = await wasmMemory(page);
  r.kpiNetSales = (await page.locator('[data-kpi=net_sales]').textContent())?.trim();
  r.errors = errors;
  r.bytes = bytes;
  return { r, page, ctx };
}

/** Papa Parse in a Web Worker on the same File (picked through a file input on a page of the same server). */
async function papa(browser, origin, file, mode = 'chunk') {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin + '/bench/');
  await page.setInputFiles('#f', file);
  const r = await page.evaluate((mode) => new Promise((ok) => {
    const w = new Worker('/bench/papa-worker.js');
    w.onmessage = (e) => { ok(e.data); w.terminate(); };
    w.onerror = (e) => ok({ error: e.message });
    w.postMessage({ file: document.getElementById('f').files[0], mode });
  }), mode);
  await ctx.close();
  return r;
}

const fmtMs = (ms) => (ms == null ? '—' : `${(ms / 1000).toFixed(2)} s`);
const best = (xs, key) => xs.reduce((a, x) => (x[key] != null && (a == null || x[key] < a[key]) ? x : a), null);

// ---- the benchmarks ----
async function importBench(browser, origin, bin) {
  const file = ordersFile(bin, { bytes: SIZE });
  const bytes = fs.statSync(file).size;
  log(`import: ${path.basename(file)} (${MB(bytes).toFixed(1)} MB), ${RUNS} runs each`);
  const app = [], js = [];
  for (let i = 0; i < RUNS; i++) {
    const { r, ctx } = await appImport(browser, origin, [file]);
    await ctx.close();
    log(`  app run ${i + 1}: ${fmtMs(r.totalMs)} (worker import ${fmtMs(r.workerImportMs)}, compute ${fmtMs(r.computeMs)}, render ${fmtMs(r.renderMs)}) ${r.rowsText}`);
    app.push(r);
  }
  for (let i = 0; i < RUNS; i++) {
    const r = await papa(browser, origin, file);
    log(`  papa run ${i + 1}: ${fmtMs(r.ms)} rows ${r.rows} skus ${r.skus} ${r.error ?? ''}`);
    js.push(r);
  }
  const a = best(app, 'totalMs'), w = best(app, 'workerImportMs'), p = best(js, 'ms');
  return {
    file: path.relative(ROOT, file), bytes,
    app: { totalMs: a.totalMs, workerImportMs: w.workerImportMs, computeMs: a.computeMs, renderMs: a.renderMs, rows: a.rowsText, memory: a.memory, runs: app.map((x) => x.totalMs) },
    papa: { ms: p.ms, rows: p.rows, skus: p.skus, units: p.qty, runs: js.map((x) => x.ms) },
    mbps: { app: MB(bytes) / (a.totalMs / 1000), appWorker: MB(bytes) / (w.workerImportMs / 1000), papa: MB(bytes) / (p.ms / 1000) },
    ratio: p.ms / a.totalMs,
    ratioWorker: p.ms / w.workerImportMs,
  };
}

async function gbBench(browser, origin, bin) {
  const file = ordersFile(bin, { bytes: SIZE });
  const bytes = fs.statSync(file).size;
  log(`1 GB in a tab: ${path.basename(file)} (${MB(bytes).toFixed(0)} MB)`);
  const t = Date.now();
  const { r, ctx } = await appImport(browser, origin, [file], { stalls: true });
  await ctx.close();
  log(`  ${fmtMs(r.totalMs)} in ${((Date.now() - t) / 1000).toFixed(0)} s wall; worker memory ${r.memory.workerBytes}`);
  return { file: path.relative(ROOT, file), bytes, ...r, workerMemoryRatio: r.memory.workerBytes / bytes };
}

async function interactBench(browser, origin, bin) {
  const out = {};
  // (a) A what-if price edit with 2,000 SKUs.
  {
    const csv = manySkus(2000);
    const { r, page, ctx } = await appImport(browser, origin, [csv]);
    const t0 = Date.now();
    await page.click('nav a[data-view=what-if]');
    await page.waitForSelector('table.wi-grid tr[data-sku]');
    const firstRender = await page.evaluate(() => window.__benchWhen(() => document.querySelectorAll('table.wi-grid tr[data-sku]').length > 0));
    out.whatifOpenMs = Date.now() - t0;
    out.whatifRowsInDom = await page.locator('table.wi-grid tr[data-sku]').count();
    const ms = [];
    const ids = await page.locator('table.wi-grid tr[data-sku]').evaluateAll((trs) => trs.slice(0, 8).map((tr) => tr.dataset.sku));
    // --profile: the edits under Chromium's sampling profiler; self time per function, top 25.
    const cdp = PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    for (let i = 0; i < 6; i++) {
      const row = `table.wi-grid tr[data-sku="${ids[i % ids.length]}"]`;
      await page.click(`${row} [data-input=price]`);
      await page.keyboard.type(String(20 + i));
      await page.keyboard.press('Enter');
      await page.waitForFunction((n) => performance.getEntriesByName('margin-lab:whatif-edit').length >= n, i + 1);
      ms.push(await page.evaluate(() => performance.getEntriesByName('margin-lab:whatif-edit').at(-1).duration));
    }
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const dt = new Map(profile.samples.map((id, i) => [i, profile.timeDeltas[i] / 1000]));
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`;
        self.set(name, (self.get(name) || 0) + dt.get(i));
      });
      const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
      out.whatifProfile = top;
      for (const [name, t] of top) log(`    ${t.toFixed(1).padStart(8)} ms  ${name}`);
    }
    out.whatifEditMs = ms;
    out.whatifEditBestMs = Math.min(...ms);
    out.whatifEditMedianMs = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)];
    out.whatifImport = { totalMs: r.totalMs };
    log(`  what-if: open ${out.whatifOpenMs} ms, ${out.whatifRowsInDom} rows in the DOM, edits ${ms.map((x) => x.toFixed(1)).join(', ')} ms`);
    await ctx.close();
  }
  // (b) A period change with 1,000,000 order lines.
  {
    const file = ordersFile(bin, { lines: 1e6 });
    log(`  period change: importing ${path.basename(file)} (${MB(fs.statSync(file).size).toFixed(0)} MB)`);
    const { r, page, ctx } = await appImport(browser, origin, [file]);
    out.periodImport = { totalMs: r.totalMs, rows: r.rowsText, bytes: r.bytes, memory: r.memory };
    await page.click('nav a[data-view=overview]');
    await page.waitForSelector('[data-input=period]');
    const changes = [];
    for (const preset of ['last-30', 'all', 'last-7', 'all', 'last-30', 'all']) {
      const n = await page.evaluate(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length);
      const t = await page.evaluate(() => performance.now());
      await page.selectOption('[data-input=period]', preset);
      const shown = await page.evaluate((n) => window.__benchWhen(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length > n
        && !document.querySelector('.computing')), n);
      const parts = await page.evaluate(([n, t]) => {
        const post = window.__bench.msgs.filter((m) => m[0] === '>compute').at(-1);
        const got = window.__bench.msgs.filter((m) => m[0] === 'computed')[n];
        return { toPost: post[1] - t, worker: got[1] - post[1], got: got[1] };
      }, [n, t]);
      changes.push({ preset, totalMs: shown - t, toPostMs: parts.toPost, workerMs: parts.worker, renderMs: shown - parts.got });
      log(`  period → ${preset}: ${(shown - t).toFixed(0)} ms (page → post ${parts.toPost.toFixed(0)}, worker ${parts.worker.toFixed(0)}, render ${(shown - parts.got).toFixed(0)})`);
    }
    out.periodChanges = changes;
    out.periodBestMs = Math.min(...changes.map((c) => c.totalMs));
    await ctx.close();
  }
  return out;
}

// ---- an agency: many shops in one tab (issue 15 item 6) ----
const AGENCY_DIR = path.join(DATA, 'agency');
const AGENCY_DAYS = 90;
/** Shop K's orders over 90 days: spread evenly from 1,500 (shop 1) to 3,000 (the last shop), 17–33 a day. */
const agencyOrders = (k) => Math.round(1500 + ((k - 1) * 1500) / Math.max(1, SHOPS - 1));

/** One directory per shop, target/bench-data/agency/shopNN/, each with one US Orders export (`--shop K`, seed K). */
function agencyData(bin) {
  const files = [];
  for (let k = 1; k <= SHOPS; k++) {
    const dir = path.join(AGENCY_DIR, `shop${String(k).padStart(2, '0')}`);
    const name = `us_orders_shop${k}_${agencyOrders(k)}orders_${AGENCY_DAYS}days.csv`;
    const file = path.join(dir, name);
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(file)) {
      // Another size or shop count wrote other files here: a directory is one shop, so only this one stays.
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
      execFileSync(bin, ['generate', 'orders', '--market', 'us', '--shop', String(k), '--seed', String(k),
        '--orders', String(agencyOrders(k)), '--days', String(AGENCY_DAYS), '--out', file]);
    }
    files.push(file);
  }
  return files;
}

/** Runs `cmd args` under /usr/bin/time -v (stdout discarded); wall seconds and peak RSS (KiB) from its report. */
function timed(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const field = (re) => re.exec(r.stderr)?.[1];
  const [h, m, sec] = [0, 0, 0].concat(field(/Elapsed \(wall clock\) time \([^)]*\): ([\d:.]+)/).split(':').map(Number)).slice(-3);
  return {
    wallS: h * 3600 + m * 60 + sec,
    userS: Number(field(/User time \(seconds\): ([\d.]+)/)),
    sysS: Number(field(/System time \(seconds\): ([\d.]+)/)),
    maxRssKiB: Number(field(/Maximum resident set size \(kbytes\): (\d+)/)),
  };
}

/** The pids of every process descended from this one (Chromium's browser, zygotes, renderers, GPU, utilities). */
function descendants() {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // Field 4 of /proc/PID/stat is the parent; the command name (field 2) may hold spaces, so cut after ')'.
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!kids.has(ppid)) kids.set(ppid, []);
      kids.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  const out = [], todo = [process.pid];
  while (todo.length) for (const c of kids.get(todo.pop()) || []) { out.push(c); todo.push(c); }
  return out;
}

/** Chromium's renderer processes under this one: pid, resident and peak resident memory (bytes). */
function renderers() {
  const out = [];
  for (const pid of descendants()) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const st = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1] ?? 0) * 1024;
      out.push({ pid, rss: kb('VmRSS'), hwm: kb('VmHWM') });
    } catch { /* gone */ }
  }
  return out;
}

/** The JS heap of the engine worker, over the DevTools protocol (old-style sessions through the page's target). */
const workerSessions = new WeakMap();
async function workerJsHeap(cdp) {
  if (!workerSessions.has(cdp)) {
    const attached = new Promise((ok) => { cdp.on('Target.attachedToTarget', (e) => { if (e.targetInfo.type === 'worker') ok(e); }); });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
    workerSessions.set(cdp, await Promise.race([attached, new Promise((ok) => setTimeout(() => ok(null), 3000))]));
  }
  const e = workerSessions.get(cdp);
  if (!e) return { error: 'no worker target attached' };
  const id = Math.floor(Math.random() * 1e9);
  const reply = new Promise((ok) => cdp.on('Target.receivedMessageFromTarget', (m) => {
    if (m.sessionId !== e.sessionId) return;
    const msg = JSON.parse(m.message);
    if (msg.id === id) ok(msg.result ?? { error: msg.error?.message });
  }));
  await cdp.send('Target.sendMessageToTarget', { sessionId: e.sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
  return Promise.race([reply, new Promise((ok) => setTimeout(() => ok({ error: 'no answer' }), 5000))]);
}

const PORTFOLIO_ROWS = '[data-table=portfolio] tbody tr[data-shop]';

async function agencyLoad(browser, origin, files) {
  const { page, ctx, errors } = await newPage(browser, origin);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const rssSamples = [];
  const sampler = setInterval(() => { const r = renderers(); if (r.length) rssSamples.push(Math.max(...r.map((x) => x.rss))); }, 250);
  await page.evaluate(() => {
    window.__benchChange = new Promise((ok) => document.addEventListener('change', () => ok(performance.now()), { capture: true, once: true }));
  });
  const n = files.length;
  await page.evaluate(() => window.__benchStalls.start());
  await page.setInputFiles('input[type=file][multiple]:not(#boot-input)', files);
  // The first files in open the Overview; a user then opens the Portfolio as soon as its link shows.
  const portfolioLink = await page.evaluate(() => window.__benchWhen(() => !!document.querySelector('nav a[data-view=portfolio]')?.offsetParent));
  await page.click('nav a[data-view=portfolio]');
  const rows40 = page.evaluate((n) => window.__benchWhen(() => document.querySelectorAll('[data-table=portfolio] tbody tr[data-shop]').length >= n), n);
  const idle = page.evaluate((n) => window.__benchWhen(() => document.querySelectorAll('[data-table=portfolio] tbody tr[data-shop]').length >= n
    && !document.querySelector('[data-testid=import-progress]') && !document.querySelector('.computing')
    && window.__bench.msgs.filter((m) => m[0] === 'done').length >= n
    && window.__bench.msgs.filter((m) => m[0] === '>compute').length === window.__bench.msgs.filter((m) => m[0] === 'computed').length), n);
  // Should something send the page elsewhere while files still come in, go back to the Portfolio.
  let settled = false;
  const [tRows, tIdle] = await Promise.all([rows40, idle.then((t) => { settled = true; return t; }), (async () => {
    while (!settled) {
      if (!(await page.evaluate(() => location.hash.startsWith('#/portfolio')))) await page.click('nav a[data-view=portfolio]').catch(() => {});
      await new Promise((ok) => setTimeout(ok, 200));
    }
  })()]);
  await page.evaluate(() => window.__benchStalls.stop());
  clearInterval(sampler);
  const r = await page.evaluate(([tLink, tRows, tIdle]) => {
    const b = window.__bench;
    return window.__benchChange.then((t0) => {
      const dones = b.msgs.filter((m) => m[0] === 'done');
      const posts = b.msgs.filter((m) => m[0] === '>compute');
      const computed = b.msgs.filter((m) => m[0] === 'computed');
      const reports = dones.map((m) => { try { return JSON.parse(m[3]); } catch { return {}; } });
      return {
        portfolioLinkMs: tLink - t0,
        rowsMs: tRows - t0,
        idleMs: tIdle - t0,
        lastFileDoneMs: dones.length ? dones.at(-1)[1] - t0 : null,
        computeRequests: posts.length,
        computeMs: computed.map((c, i) => (posts[i] ? c[1] - posts[i][1] : null)),
        rowsRead: reports.reduce((s, x) => s + (x.rows ?? 0), 0),
        rowsUsed: reports.reduce((s, x) => s + (x.used_rows ?? 0), 0),
        maxLongtask: b.longtasks.reduce((m, [, d]) => Math.max(m, d), 0),
        longtasksOver100: b.longtasks.filter(([, d]) => d > 100).length,
        gapsOver50: b.gaps.filter(([, g]) => g > 50).length,
        maxGap: b.gaps.reduce((m, [, g]) => Math.max(m, g), 0),
        // The worker's messages but progress, ms after the files were picked: where the time went.
        timeline: b.msgs.filter((m) => m[0] !== 'progress').map((m) => [m[0], Math.round(m[1] - t0)]),
      };
    });
  }, [portfolioLink, tRows, tIdle]);
  r.rows = await page.locator(PORTFOLIO_ROWS).count();
  r.afterLoad = await agencyMemory(page, cdp);
  r.renderer = { peakSampledRssLoad: Math.max(0, ...rssSamples) };
  const sampler2 = setInterval(() => { const x = renderers(); if (x.length) rssSamples.push(Math.max(...x.map((y) => y.rss))); }, 250);
  // Period changes on the Portfolio (the PeriodBar above its table): select → every row's figures repainted.
  const changes = [];
  for (const preset of ['last-7', 'all', 'last-30', 'all', 'last-7', 'all']) {
    const before = await page.evaluate(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length);
    const t = await page.evaluate(() => performance.now());
    await page.selectOption('[data-input=period]', preset);
    const shown = await page.evaluate((before) => window.__benchWhen(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length > before
      && !document.querySelector('.computing')), before);
    const parts = await page.evaluate(([before, t]) => {
      const post = window.__bench.msgs.filter((m) => m[0] === '>compute').at(-1);
      const got = window.__bench.msgs.filter((m) => m[0] === 'computed')[before];
      return { toPost: post[1] - t, worker: got[1] - post[1], got: got[1] };
    }, [before, t]);
    changes.push({ preset, totalMs: shown - t, toPostMs: parts.toPost, workerMs: parts.worker, renderMs: shown - parts.got });
    log(`    period → ${preset}: ${(shown - t).toFixed(0)} ms (page → post ${parts.toPost.toFixed(0)}, worker ${parts.worker.toFixed(0)}, render ${(shown - parts.got).toFixed(0)})`);
  }
  r.periodChanges = changes;
  r.rowsAfterPeriod = await page.locator(PORTFOLIO_ROWS).count();
  clearInterval(sampler2);
  r.afterPeriod = await agencyMemory(page, cdp);
  const rend = renderers();
  r.renderer.processes = rend;
  // Chromium may reset a process's VmHWM (clear_refs), so the peak is also sampled every 250 ms: the larger of both.
  r.renderer.peakHwm = Math.max(0, ...rend.map((x) => x.hwm));
  r.renderer.peakSampledRss = Math.max(0, ...rssSamples);
  r.renderer.peak = Math.max(r.renderer.peakHwm, r.renderer.peakSampledRss);
  r.errors = errors;
  await ctx.close();
  return r;
}

/** Page JS heap (CDP Performance.getMetrics), the engine worker's JS heap (CDP Runtime.getHeapUsage through the
 * page's target), both wasm memories (the module's buffer, as wasmMemory), and the tab's renderer process RSS. */
async function agencyMemory(page, cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]));
  const perfMemory = await page.evaluate(() => (performance.memory ? { used: performance.memory.usedJSHeapSize, total: performance.memory.totalJSHeapSize } : null));
  const workerPerfMemory = await Promise.all(page.workers().map((w) => w.evaluate(() => (self.performance.memory ? self.performance.memory.usedJSHeapSize : null)).catch((e) => String(e))));
  let worker;
  try { worker = await workerJsHeap(cdp); } catch (e) { worker = { error: String(e) }; }
  const wasm = await wasmMemory(page);
  const rend = renderers();
  return {
    pageJsHeapUsed: m.JSHeapUsedSize, pageJsHeapTotal: m.JSHeapTotalSize, pageDomNodes: m.Nodes,
    pagePerformanceMemory: perfMemory, workerPerformanceMemory: workerPerfMemory,
    workerJsHeap: worker, pageWasm: wasm.pageBytes, workerWasm: wasm.workerBytes,
    rendererRss: Math.max(0, ...rend.map((x) => x.rss)),
  };
}

const median = (xs) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; };
const range = (xs) => { const s = xs.filter((x) => Number.isFinite(x)); return s.length ? [Math.min(...s), Math.max(...s)] : null; };

async function agencyBench(browser, origin, bin) {
  const files = agencyData(bin);
  const dirs = files.map((f) => path.dirname(f));
  const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
  const orders = Array.from({ length: SHOPS }, (_, i) => agencyOrders(i + 1));
  log(`agency: ${SHOPS} shops × ${AGENCY_DAYS} days, ${orders.reduce((a, b) => a + b, 0)} orders (${orders[0]}–${orders.at(-1)} a shop), ${MB(bytes).toFixed(1)} MB in ${path.relative(ROOT, AGENCY_DIR)}`);
  // The CLI: each directory one shop; then the same files loose, grouped by their IDs (as the page does).
  const cliRuns = { dirs: [], files: [] };
  for (let i = 0; i < RUNS; i++) {
    const d = timed(bin, ['report', '--json', ...dirs]);
    const f = timed(bin, ['report', '--json', ...files]);
    cliRuns.dirs.push(d); cliRuns.files.push(f);
    log(`  CLI run ${i + 1}: directories ${d.wallS.toFixed(2)} s, ${(d.maxRssKiB / 1024).toFixed(0)} MiB; loose files ${f.wallS.toFixed(2)} s, ${(f.maxRssKiB / 1024).toFixed(0)} MiB`);
  }
  const json = JSON.parse(execFileSync(bin, ['report', '--json', ...files], { encoding: 'utf8', maxBuffer: 1 << 30 }));
  const shopsFound = json.shops?.length ?? 0;
  const linesUsed = (json.shops ?? []).reduce((s, x) => s + x.report.files.reduce((t, f) => t + (f.used_rows ?? 0), 0), 0);
  const linesRead = (json.shops ?? []).reduce((s, x) => s + x.report.files.reduce((t, f) => t + (f.rows ?? 0), 0), 0);
  log(`  CLI: the loose files make ${shopsFound} shops; ${linesUsed} of ${linesRead} order lines used`);
  const page = [];
  for (let i = 0; i < RUNS; i++) {
    log(`  page run ${i + 1}: dropping ${files.length} files`);
    const r = await agencyLoad(browser, origin, files);
    log(`    ${r.rows} Portfolio rows at ${fmtMs(r.rowsMs)} (idle ${fmtMs(r.idleMs)}; last file imported ${fmtMs(r.lastFileDoneMs)}; ${r.computeRequests} analyses); page heap ${MB(r.afterLoad.pageJsHeapUsed).toFixed(1)} MB, worker wasm ${MB(r.afterLoad.workerWasm).toFixed(0)} MB, renderer peak ${MB(r.renderer.peak).toFixed(0)} MB`);
    page.push(r);
  }
  return {
    shops: SHOPS, days: AGENCY_DAYS, orders, files: files.map((f) => path.relative(ROOT, f)), bytes, shopsFound, linesUsed, linesRead, cli: cliRuns, page,
    summary: {
      cliDirsWallS: { median: median(cliRuns.dirs.map((x) => x.wallS)), range: range(cliRuns.dirs.map((x) => x.wallS)) },
      cliDirsRssMiB: { median: median(cliRuns.dirs.map((x) => x.maxRssKiB / 1024)), range: range(cliRuns.dirs.map((x) => x.maxRssKiB / 1024)) },
      cliFilesWallS: { median: median(cliRuns.files.map((x) => x.wallS)), range: range(cliRuns.files.map((x) => x.wallS)) },
      cliFilesRssMiB: { median: median(cliRuns.files.map((x) => x.maxRssKiB / 1024)), range: range(cliRuns.files.map((x) => x.maxRssKiB / 1024)) },
      rowsMs: { median: median(page.map((x) => x.rowsMs)), range: range(page.map((x) => x.rowsMs)) },
      idleMs: { median: median(page.map((x) => x.idleMs)), range: range(page.map((x) => x.idleMs)) },
      periodMs: { median: median(page.flatMap((x) => x.periodChanges.map((c) => c.totalMs))), range: range(page.flatMap((x) => x.periodChanges.map((c) => c.totalMs))) },
      periodWorkerMs: { median: median(page.flatMap((x) => x.periodChanges.map((c) => c.workerMs))), range: range(page.flatMap((x) => x.periodChanges.map((c) => c.workerMs))) },
      pageHeapMB: { median: median(page.map((x) => MB(x.afterLoad.pageJsHeapUsed))), range: range(page.map((x) => MB(x.afterLoad.pageJsHeapUsed))) },
      workerWasmMB: { median: median(page.map((x) => MB(x.afterLoad.workerWasm))), range: range(page.map((x) => MB(x.afterLoad.workerWasm))) },
      pageWasmMB: { median: median(page.map((x) => MB(x.afterLoad.pageWasm))), range: range(page.map((x) => MB(x.afterLoad.pageWasm))) },
      rendererPeakMB: { median: median(page.map((x) => MB(x.renderer.peak))), range: range(page.map((x) => MB(x.renderer.peak))) },
      workerJsHeapMB: { median: median(page.map((x) => MB(x.afterLoad.workerJsHeap?.usedSize ?? NaN))), range: range(page.map((x) => MB(x.afterLoad.workerJsHeap?.usedSize ?? NaN))) },
    },
  };
}

// ---- the content layer: 10,000 LIVE sessions and 100,000 videos in one tab (issue 16) ----
const CONTENT_DIR = path.join(DATA, 'content');
const LIVE_FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'analytics', 'mx_Creator-Live-Performance_20260604180014.csv');
const VIDEO_FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'analytics', 'mx_Video_Performance_List_20260604172857.csv');
/** The period both files state above their headers: two years up to the fixtures' export day. */
const CONTENT_FROM = '2024-06-04', CONTENT_TO = '2026-06-03';

/** A deterministic generator (mulberry32): uniform [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The first `n` physical lines of a fixture (CRLF, LF or CR kept as they are), as text. */
function firstLines(file, n) {
  const text = fs.readFileSync(file, 'utf8');
  let at = 0;
  for (let i = 0; i < n; i++) at = text.indexOf('\n', at) + 1;
  return text.slice(0, at);
}

/** A CSV cell: quoted when it holds a comma, a quote or a line break. */
const cell = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const pad2 = (n) => String(n).padStart(2, '0');
/** Minutes after CONTENT_FROM 00:00 (naive local time, as the exports write it) → Date in UTC fields. */
const contentTime = (minutes) => new Date(Date.parse(`${CONTENT_FROM}T00:00:00Z`) + minutes * 60e3);
const CONTENT_MINUTES = Math.round((Date.parse(`${CONTENT_TO}T00:00:00Z`) - Date.parse(`${CONTENT_FROM}T00:00:00Z`)) / 60e3) + 1440;

/** Lines of text written in ~1 MB pieces (a 100,000-row file is never one string). */
function writeLines(out, head, n, row) {
  const tmp = `${out}.part`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, head);
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += row(i);
    if (buf.length > 1 << 20) { fs.writeSync(fd, buf); buf = ''; }
  }
  fs.writeSync(fd, buf);
  fs.closeSync(fd);
  fs.renameSync(tmp, out);
}

const LIVE_TITLES = ['Hoy llego ropa nueva', 'nuevos modelos', 'Remate de temporada', 'Ofertas, liquidación y más', 'Mayoreo desde 12 piezas',
  'Playeras oversize 🔥', 'Chamarras vinipiel', 'Camisolas de franela', 'Pregunta por tu talla', 'LIVE de los viernes', 'Cajas sorpresa',
  'Outfit completo "3x2"', 'Novedades para dama', 'Ropa para caballero', 'Precios de fábrica'];

/**
 * A Creator LIVE Performance export (the 36-column schema of May 2026 on) of `n` sessions: the fixture's period row
 * (restated over two years), blank row and header, then one session a row, each starting in its own minute.
 */
function liveContentFile(n) {
  const out = path.join(CONTENT_DIR, `mx_Creator-Live-Performance_${n}sessions.csv`);
  if (fs.existsSync(out)) return out;
  const head = firstLines(LIVE_FIXTURE, 3).replace(/^\d{4}-\d{2}-\d{2} ~ \d{4}-\d{2}-\d{2}/, `${CONTENT_FROM} ~ ${CONTENT_TO}`);
  if (head.split('\r\n')[2].split(',').length !== 36) throw new Error(`${LIVE_FIXTURE}: not the 36-column header`);
  const r = rng(16);
  const step = Math.floor(CONTENT_MINUTES / n);
  if (step < 1) throw new Error(`--sessions ${n}: more than one a minute over two years`);
  const money = (x) => `MX$${x.toFixed(2)}`;
  const rate = (x) => x.toFixed(6);
  log(`generating ${path.relative(ROOT, out)} (${n} LIVE sessions)`);
  writeLines(out, head, n, (i) => {
    const t = contentTime(i * step + Math.floor(r() * step));
    const start = `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
    const duration = 600 + Math.floor(r() * r() * 13800); // 10 min to 4 h, mostly short
    const views = 40 + Math.floor(r() * r() * r() * 40000);
    const impressions = Math.round(views * (5 + r() * 10));
    const productImpressions = Math.round(views * (0.2 + r() * 0.9));
    const clicks = Math.round(productImpressions * r() * 0.08);
    const sells = r() < 0.55;
    const orders = sells ? Math.round(clicks * (0.02 + r() * 0.2)) : 0;
    const skuOrders = orders + (orders && r() < 0.3 ? Math.ceil(r() * orders * 0.3) : 0);
    const items = skuOrders + (skuOrders ? Math.floor(r() * skuOrders * 1.5) : 0);
    const customers = Math.max(0, orders - Math.floor(r() * orders * 0.1));
    const gmv = items * (89 + r() * 500);
    const hours = duration / 3600;
    const avgView = 20 + r() * 160;
    const follows = Math.floor(views * r() * 0.02);
    const likes = Math.floor(views * r() * 8);
    const comments = Math.floor(views * r() * 0.2);
    const shares = Math.floor(views * r() * 0.02);
    const ads = r() < 0.2;
    const adsCost = ads ? 50 + r() * 1500 : 0;
    const adsGmv = ads ? gmv * r() : 0;
    const cells = [
      cell(LIVE_TITLES[Math.floor(r() * LIVE_TITLES.length)] + (r() < 0.4 ? ` #${1 + (i % 97)}` : '')),
      start, String(duration), money(gmv), String(items), String(customers), money(orders ? gmv / orders : 0), String(orders), String(skuOrders),
      String(views), String(impressions), String(Math.round(impressions / hours)), money(gmv / hours), money((gmv / impressions) * 1000),
      rate(avgView), rate(views / impressions), rate(productImpressions ? clicks / productImpressions : 0), rate(clicks ? orders / clicks : 0),
      r() < 0.1 ? '' : rate(r() * 0.06), rate(clicks ? skuOrders / clicks : 0), String(clicks), rate(clicks ? skuOrders / clicks : 0),
      String(Math.round(avgView * (1 + r()))), String(productImpressions), money((gmv / views) * 1000), String(follows),
      rate(follows / views), rate(comments / views), rate(shares / views), rate(likes / views), String(likes), String(comments), String(shares),
      ads ? (adsGmv / adsCost).toFixed(2) : '', ads ? money(adsCost) : '', ads ? money(adsGmv) : '',
    ];
    return cells.join(',') + '\r\n';
  });
  return out;
}

const VIDEO_WORDS = ['Playeras', 'Camisolas', 'Chamarras', 'Sudaderas', 'Pantalones', 'Vestidos', 'Blusas', 'Jeans', 'Conjuntos', 'Pijamas'];
const VIDEO_TAGS = ['#ropamayoreo', '#parati', '#hombre', '#mujer', '#ofertas', '#moda', '#cajas', '#ventaporcaja', '#outfit', '#mayoreo'];

/**
 * A Video Performance List of `m` videos: the fixture's first four physical lines (the quoted period cell with its
 * line break, restated over two years; the blank row; the 30-column Spanish header), then one video a row from 250
 * creators and 400 products, every video ID its own 19 digits.
 */
function videoContentFile(m) {
  const out = path.join(CONTENT_DIR, `mx_Video_Performance_List_${m}videos.csv`);
  if (fs.existsSync(out)) return out;
  const head = firstLines(VIDEO_FIXTURE, 4).replace(/\d{4}-\d{2}-\d{2} ~ \d{4}-\d{2}-\d{2}/, `${CONTENT_FROM} ~ ${CONTENT_TO}`);
  if (!head.trimEnd().split('\r\n').at(-1).startsWith('Nombre del creador') || head.trimEnd().split('\r\n').at(-1).split(',').length !== 30) {
    throw new Error(`${VIDEO_FIXTURE}: not the 30-column header on its fourth line`);
  }
  const r = rng(17);
  const creators = Array.from({ length: 250 }, (_, k) => [`tienda${VIDEO_WORDS[k % 10].toLowerCase()}mx${k}`, String(7241715178701194245n + BigInt(k) * 982451653n)]);
  const products = Array.from({ length: 400 }, (_, k) => `${VIDEO_WORDS[k % 10]} Mayoreo Modelo ${k} Paquete de ${6 + (k % 7)} Piezas(${1735523101213165258n + BigInt(k) * 7919n})`);
  const step = Math.floor((CONTENT_MINUTES * 60) / m);
  const pct = (x) => `${(x * 100).toFixed(2)}%`;
  log(`generating ${path.relative(ROOT, out)} (${m} videos)`);
  writeLines(out, head, m, (i) => {
    const [creator, creatorId] = creators[Math.floor(r() * r() * creators.length)];
    const t = new Date(Date.parse(`${CONTENT_FROM}T00:00:00Z`) + (i * step + Math.floor(r() * step)) * 1000);
    const posted = `${t.getUTCFullYear()}/${pad2(t.getUTCMonth() + 1)}/${pad2(t.getUTCDate())} ${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}:${pad2(t.getUTCSeconds())}`;
    const word = VIDEO_WORDS[Math.floor(r() * VIDEO_WORDS.length)];
    const caption = r() < 0.15 ? '' : `Nuevos modelos de ${word.toLowerCase()}, corte holgado y estilo urbano. Paquete de ${6 + Math.floor(r() * 7)} piezas por $${100 + Math.floor(r() * 300)} ${VIDEO_TAGS[Math.floor(r() * 10)]} ${VIDEO_TAGS[Math.floor(r() * 10)]}`;
    const vv = 20 + Math.floor(r() * r() * r() * 200000);
    const impressions = Math.round(vv * (0.5 + r() * 0.5));
    const clicks = Math.round(impressions * r() * 0.06);
    const toLive = r() < 0.1 ? Math.floor(vv * r() * 0.01) : 0;
    const sells = r() < 0.3;
    const direct = sells ? Math.round(clicks * r() * 0.15) : 0;
    const indirect = sells && r() < 0.3 ? Math.floor(r() * 5) : 0;
    const items = direct + (direct ? Math.floor(r() * direct) : 0), indirectItems = indirect;
    const price = 120 + r() * 400;
    const gmvVideo = items * price, gmvIndirect = indirectItems * price;
    const gmv = gmvVideo + gmvIndirect;
    const amount = (x) => (x ? x.toFixed(2) : '0');
    const cells = [
      creator, creatorId, cell(caption), String(7600000000000000000n + BigInt(i) * 104729n), posted, cell(products[Math.floor(r() * products.length)]),
      String(vv), String(Math.floor(vv * r() * 0.05)), String(Math.floor(vv * r() * 0.003)), String(Math.floor(vv * r() * 0.004)),
      String(Math.floor(vv * r() * 0.002)), String(toLive), String(impressions), String(clicks), sells ? String(Math.max(0, direct + indirect - Math.floor(r() * 2))) : '',
      String(direct + indirect), String(direct), String(indirect), String(items + indirectItems), String(items), String(indirectItems),
      amount(gmv), amount(gmvVideo), amount(gmvIndirect), amount((gmv / vv) * 1000), pct(impressions ? clicks / impressions : 0), pct(toLive / vv),
      pct(0.02 + r() * 0.2), pct(clicks ? (direct + indirect) / clicks : 0), r() < 0.95 ? 'No issues' : 'Low completion rate',
    ];
    return cells.join(',') + '\r\n';
  });
  return out;
}

/** Both files, written once into target/bench-data/content/ (reused when present). */
function contentData(sessions, videos) {
  fs.mkdirSync(CONTENT_DIR, { recursive: true });
  return [liveContentFile(sessions), videoContentFile(videos)];
}

const LIVE_ROWS = '[data-table=live] tbody tr[data-row]';
const VIDEO_ROWS = '[data-table=videos] tbody tr[data-row]';
/** Main-thread long tasks and 10 ms-timer gaps recorded since the probe's start, as figures; the blocking time is
 * the part of each long task beyond 50 ms, added up (Lighthouse's total blocking time). */
const STALLS = () => {
  const b = window.__bench;
  return {
    longtasks: b.longtasks.length,
    maxLongtask: b.longtasks.reduce((m, [, d]) => Math.max(m, d), 0),
    longtasksOver100: b.longtasks.filter(([, d]) => d > 100).length,
    blockingMs: b.longtasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0),
    gapsOver50: b.gaps.filter(([, g]) => g > 50).length,
    maxGap: b.gaps.reduce((m, [, g]) => Math.max(m, g), 0),
    longtaskList: b.longtasks.slice(0, 40).map(([s, d]) => [Math.round(s), Math.round(d)]),
    gapList: b.gaps.filter(([, g]) => g > 50).slice(0, 40).map(([s, g]) => [Math.round(s), Math.round(g)]),
  };
};

/** --profile: Chromium's sampling profiler on the page's main thread around `fn`; self time (ms) per function, the
 * top 15, and per kind: wasm (the module, names stripped in the release build), JS, and the browser's own work
 * ("(program)": style, layout, paint, parsing messages; "(garbage collector)"). */
async function profiled(cdp, fn) {
  if (!PROFILE) return [await fn(), null];
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  const out = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map(), kinds = {};
  profile.samples.forEach((id, i) => {
    const n = byId.get(id), ms = profile.timeDeltas[i] / 1000;
    const url = n.callFrame.url.split('/').pop();
    const name = `${n.callFrame.functionName || '(anonymous)'} ${url}`;
    const kind = /^\((idle)\)$/.test(n.callFrame.functionName) ? 'idle' : /^\(/.test(n.callFrame.functionName) ? n.callFrame.functionName
      : url.endsWith('.wasm') || /^\$?wasm-function|^\$func/.test(n.callFrame.functionName) ? 'wasm' : 'js';
    self.set(name, (self.get(name) || 0) + ms);
    kinds[kind] = (kinds[kind] || 0) + ms;
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => [k, Math.round(v)]);
  return [out, { kinds: Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, Math.round(v)])), top }];
}

/**
 * The figures are in: FIGURES_SHOWN of the import benchmark without its net-sales tile, which the Overview draws only
 * over order lines (with analytics exports alone it says "No orders loaded yet."): every file's import report in,
 * the worker's figures after the last one, nothing importing or computing.
 */
const CONTENT_READY = (n) => !document.querySelector('.computing') && !document.querySelector('[data-testid=import-progress]')
  && window.__bench.msgs.filter((m) => m[0] === 'done').length >= n
  && window.__bench.msgs.some((m) => m[0] === 'computed' && m[1] >= window.__bench.msgs.filter((x) => x[0] === 'done').at(-1)[1]);

/** As `__benchWhen`, but `cond` is also checked on each worker message: with no order lines the Overview does not
 * change when the figures come, so no DOM change would check it again. (Page side; installed by contentLoad.) */
function whenAlsoOnMessages() {
  window.__benchWhenMsg = (cond) => new Promise((ok) => {
    const msgs = window.__bench.msgs, push = msgs.push;
    let done = false;
    const check = () => {
      if (done || !cond()) return;
      done = true;
      mo.disconnect();
      msgs.push = push;
      requestAnimationFrame(() => setTimeout(() => ok(performance.now()), 0));
    };
    const mo = new MutationObserver(check);
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    msgs.push = function (...a) { const r = push.apply(this, a); check(); return r; };
    check();
  });
}

/**
 * One load of the two content files in a fresh tab: picked at once on the Files view's input (as appImport and
 * the agency load do); timed to both file cards showing their rows used, to the figures in (CONTENT_READY), with
 * the main thread's long tasks over the import; memory; then the Content view opened (click → both tables' first
 * rows drawn), its rows in the DOM, and period changes on it.
 */
async function contentLoad(browser, origin, files) {
  const { page, ctx, errors } = await newPage(browser, origin);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable');
  const rssSamples = [];
  const sampler = setInterval(() => { const r = renderers(); if (r.length) rssSamples.push(Math.max(...r.map((x) => x.rss))); }, 250);
  const names = files.map((f) => path.basename(f));
  await page.evaluate(`(${whenAlsoOnMessages})()`);
  await page.evaluate((names) => {
    window.__benchChange = new Promise((ok) => document.addEventListener('change', () => ok(performance.now()), { capture: true, once: true }));
    // When each file's card first shows "N of M rows used" (the page opens the Overview as soon as both are in, so
    // the cards are caught as they are drawn, not polled).
    window.__benchCards = {};
    const look = () => {
      for (const card of document.querySelectorAll('article.card[data-file]')) {
        const name = card.dataset.file;
        if (names.includes(name) && !(name in window.__benchCards) && /rows used/.test(card.querySelector('[data-testid=file-rows]')?.textContent ?? '')) {
          window.__benchCards[name] = { t: performance.now(), text: card.querySelector('[data-testid=file-rows]').textContent.trim() };
        }
      }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  }, names);
  await page.evaluate(() => window.__benchStalls.start());
  const profiles = {};
  let shown;
  [shown, profiles.import] = await profiled(cdp, async () => {
    await page.setInputFiles('input[type=file][multiple]:not(#boot-input)', files);
    // The condition is compiled here, inside the evaluation: the page's CSP (no 'unsafe-eval') refuses `new Function`
    // in the page's own callbacks.
    return page.evaluate(([cond, n]) => window.__benchWhenMsg(new Function(`return (${cond})(${n})`)), [CONTENT_READY.toString(), files.length]);
  });
  // Both cards were drawn before the figures (they come with each file's import report); allow a moment anyway.
  await page.waitForFunction((n) => Object.keys(window.__benchCards).length >= n, files.length, { timeout: 5000 }).catch(() => log('    a file card was not seen with its rows used'));
  await page.evaluate(() => window.__benchStalls.stop());
  const r = await page.evaluate(async ([shown, STALLS]) => {
    const b = window.__bench;
    const t0 = await window.__benchChange;
    const dones = b.msgs.filter((m) => m[0] === 'done');
    const imp = b.msgs.find((m) => m[0] === '>import' && m[1] >= t0);
    const posts = b.msgs.filter((m) => m[0] === '>compute'), computed = b.msgs.filter((m) => m[0] === 'computed');
    const reports = dones.map((m) => { try { return JSON.parse(m[3]); } catch { return {}; } });
    const cards = Object.fromEntries(Object.entries(window.__benchCards).map(([k, v]) => [k, { ms: v.t - t0, text: v.text }]));
    return {
      cards,
      cardsMs: Object.keys(cards).length ? Math.max(...Object.values(cards).map((c) => c.ms)) : null,
      figuresMs: shown - t0,
      firstImportPostMs: imp ? imp[1] - t0 : null,
      doneMs: dones.map((m) => m[1] - t0),
      computeRequests: posts.length,
      computeMs: computed.map((c, i) => (posts[i] ? c[1] - posts[i][1] : null)),
      lastComputedMs: computed.length ? computed.at(-1)[1] - t0 : null,
      renderMs: computed.length ? shown - computed.at(-1)[1] : null,
      files: reports.map((x) => ({ name: x.name, kind: x.kind, rows: x.rows, used_rows: x.used_rows, currency: x.currency, warnings: x.warnings?.length })),
      ...(() => {
        // Long tasks and timer gaps as ms after the files were picked, like the timeline.
        const x = new Function(`return (${STALLS})()`)();
        x.longtaskList = x.longtaskList.map(([s, d]) => [Math.round(s - t0), d]);
        x.gapList = x.gapList.map(([s, g]) => [Math.round(s - t0), g]);
        return x;
      })(),
      computedJsonBytes: computed.length ? computed.at(-1)[3] : null,
      // As tests/e2e/page.test.mjs splits its stalls (timer gaps over 50 ms): those that start while the files are
      // read (before the last import report) and those after it (the figures and their first drawing).
      importStallMs: Math.max(0, ...b.gaps.filter(([a, g]) => g > 50 && a < dones.at(-1)[1]).map(([, g]) => g)),
      afterImportStallMs: Math.max(0, ...b.gaps.filter(([a, g]) => g > 50 && a >= dones.at(-1)[1]).map(([, g]) => g)),
      timeline: b.msgs.filter((m) => m[0] !== 'progress').map((m) => [m[0], Math.round(m[1] - t0)]),
      hash: location.hash,
    };
  }, [shown, STALLS.toString()]);
  r.afterLoad = await agencyMemory(page, cdp);
  r.renderer = { peakSampledRssLoad: Math.max(0, ...rssSamples) };

  // The Content view, if this build has it: click → the LIVE and video tables' first rows drawn.
  r.content = { exists: await page.locator('nav a[data-view=content]').count() > 0 };
  if (r.content.exists) {
    await page.evaluate(() => window.__benchStalls.start());
    const t = await page.evaluate(() => performance.now());
    let drawn;
    [drawn, profiles.contentOpen] = await profiled(cdp, async () => {
      await page.click('nav a[data-view=content]');
      return page.evaluate(([live, videos]) => window.__benchWhen(() => document.querySelector(live) && document.querySelector(videos)), [LIVE_ROWS, VIDEO_ROWS]);
    });
    await page.evaluate(() => window.__benchStalls.stop());
    r.content.clickAt = t;
    Object.assign(r.content, {
      openMs: drawn - t,
      ...await page.evaluate(([live, videos, STALLS]) => ({
        liveRowsInDom: document.querySelectorAll(live).length,
        videoRowsInDom: document.querySelectorAll(videos).length,
        liveCount: document.querySelector('[data-testid=live-sessions] .row-count')?.textContent.trim(),
        videoCount: document.querySelector('[data-testid=videos] .row-count')?.textContent.trim(),
        liveChartNodes: document.querySelectorAll('[data-testid=live-chart] *').length,
        domNodes: document.getElementsByTagName('*').length,
        stalls: new Function(`return (${STALLS})()`)(),
      }), [LIVE_ROWS, VIDEO_ROWS, STALLS.toString()]),
    });
    r.content.afterOpen = await agencyMemory(page, cdp);
    // Period changes on the Content view. With no Orders export the presets have no days to count back from
    // (state.data_range reads Orders exports only), so the period is set as custom dates in the address, as a shared
    // link or the date inputs set it: the last 30 days of the files, then all, twice.
    const changes = [];
    const last30 = new Date(Date.parse(`${CONTENT_TO}T00:00:00Z`) - 29 * 86400e3).toISOString().slice(0, 10);
    for (const [label, hash] of [['last 30 days', `#/content?period=custom&from=${last30}&to=${CONTENT_TO}`], ['all', '#/content'],
      ['last 30 days', `#/content?period=custom&from=${last30}&to=${CONTENT_TO}`], ['all', '#/content']]) {
      const before = await page.evaluate(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length);
      await page.evaluate(() => window.__benchStalls.start());
      let t1, done;
      [[t1, done], profiles[`period ${label} ${changes.length + 1}`]] = await profiled(cdp, async () => {
        const t = await page.evaluate((hash) => { const t = performance.now(); location.hash = hash; return t; }, hash);
        return [t, await page.evaluate((before) => window.__benchWhen(() => window.__bench.msgs.filter((m) => m[0] === 'computed').length > before
          && !document.querySelector('.computing')), before)];
      });
      await page.evaluate(() => window.__benchStalls.stop());
      const parts = await page.evaluate(([before, t, live, STALLS]) => {
        const post = window.__bench.msgs.filter((m) => m[0] === '>compute').at(-1);
        const got = window.__bench.msgs.filter((m) => m[0] === 'computed')[before];
        const s = new Function(`return (${STALLS})()`)();
        return { toPost: post[1] - t, worker: got[1] - post[1], got: got[1], jsonBytes: got[3], liveCount: document.querySelector('[data-testid=live-sessions] .row-count')?.textContent.trim(),
          videoCount: document.querySelector('[data-testid=videos] .row-count')?.textContent.trim(),
          liveRowsInDom: document.querySelectorAll(live).length, maxLongtask: s.maxLongtask, blockingMs: s.blockingMs };
      }, [before, t1, LIVE_ROWS, STALLS.toString()]);
      changes.push({ period: label, totalMs: done - t1, toPostMs: parts.toPost, workerMs: parts.worker, renderMs: done - parts.got,
        jsonBytes: parts.jsonBytes, liveCount: parts.liveCount, videoCount: parts.videoCount, liveRowsInDom: parts.liveRowsInDom, maxLongtask: parts.maxLongtask, blockingMs: parts.blockingMs });
      log(`    period → ${label}: ${(done - t1).toFixed(0)} ms (page → post ${parts.toPost.toFixed(0)}, worker ${parts.worker.toFixed(0)}, render ${(done - parts.got).toFixed(0)}; longest task ${parts.maxLongtask.toFixed(0)} ms; LIVE ${parts.liveCount}, videos ${parts.videoCount}; figures ${MB(parts.jsonBytes ?? 0).toFixed(1)} MB of JSON)`);
    }
    r.content.periodChanges = changes;
  }
  clearInterval(sampler);
  const rend = renderers();
  r.renderer.peakHwm = Math.max(0, ...rend.map((x) => x.hwm));
  r.renderer.peakSampledRss = Math.max(0, ...rssSamples);
  r.renderer.peak = Math.max(r.renderer.peakHwm, r.renderer.peakSampledRss);
  r.errors = errors;
  if (PROFILE) {
    r.profiles = profiles;
    for (const [k, v] of Object.entries(profiles)) if (v) log(`    profile, ${k}: ${JSON.stringify(v.kinds)}; top ${v.top.slice(0, 6).map(([n, ms]) => `${n} ${ms}`).join(', ')}`);
  }
  await ctx.close();
  return r;
}

async function contentBench(browser, origin, bin) {
  const loadBefore = fs.readFileSync('/proc/loadavg', 'utf8').trim();
  const files = contentData(SESSIONS, VIDEOS);
  const sizes = files.map((f) => fs.statSync(f).size);
  log(`content: ${SESSIONS} LIVE sessions + ${VIDEOS} videos, ${sizes.map((b) => `${MB(b).toFixed(1)} MB`).join(' + ')} in ${path.relative(ROOT, CONTENT_DIR)}`);
  // The CLI: both files read as a Creator LIVE performance export and a video performance list (checked), then timed.
  const json = JSON.parse(execFileSync(bin, ['report', '--json', ...files], { encoding: 'utf8', maxBuffer: 1 << 30 }));
  const check = {
    currency: json.currency,
    files: json.files.map((f) => ({ name: f.name, kind: f.kind, rows: f.rows, used_rows: f.used_rows, warnings: f.warnings })),
    liveSessions: json.live_sessions?.length ?? 0, videos: json.videos?.length ?? 0, liveBenchmark: json.live_benchmark,
  };
  const kinds = check.files.map((f) => f.kind).sort().join(',');
  if (kinds !== 'live_performance,video_performance' || check.liveSessions !== SESSIONS || check.videos !== VIDEOS) {
    throw new Error(`the CLI does not read the files as expected: ${JSON.stringify(check)}`);
  }
  log(`  CLI reads them: ${check.files.map((f) => `${f.kind} ${f.used_rows} of ${f.rows} rows used`).join(', ')}; ${check.liveSessions} live_sessions, ${check.videos} videos, ${check.currency}`);
  const cliRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const x = timed(bin, ['report', '--json', ...files]);
    cliRuns.push(x);
    log(`  CLI run ${i + 1}: ${x.wallS.toFixed(2)} s, ${(x.maxRssKiB / 1024).toFixed(0)} MiB`);
  }
  const page = [];
  for (let i = 0; i < RUNS; i++) {
    log(`  page run ${i + 1}: dropping both files`);
    const r = await contentLoad(browser, origin, files);
    log(`    cards ${fmtMs(r.cardsMs)}, figures in ${fmtMs(r.figuresMs)} (${r.computeRequests} analyses, last ${fmtMs(r.computeMs.at(-1))}, render ${fmtMs(r.renderMs)}); longest task ${r.maxLongtask.toFixed(0)} ms, blocking ${r.blockingMs.toFixed(0)} ms; worker wasm ${MB(r.afterLoad.workerWasm).toFixed(0)} MB`);
    if (r.content.exists) log(`    Content view ${r.content.openMs.toFixed(0)} ms, ${r.content.liveRowsInDom} + ${r.content.videoRowsInDom} rows in the DOM (${r.content.liveCount}, ${r.content.videoCount}), longest task ${r.content.stalls.maxLongtask.toFixed(0)} ms`);
    page.push(r);
  }
  const mr = (xs) => ({ median: median(xs), range: range(xs) });
  const opened = page.filter((x) => x.content.exists);
  return {
    sessions: SESSIONS, videos: VIDEOS, files: files.map((f) => path.relative(ROOT, f)), sizes, bytes: sizes.reduce((a, b) => a + b, 0), check,
    loadavg: { before: loadBefore, after: fs.readFileSync('/proc/loadavg', 'utf8').trim() },
    cli: cliRuns, page,
    summary: {
      cliWallS: mr(cliRuns.map((x) => x.wallS)),
      cliRssMiB: mr(cliRuns.map((x) => x.maxRssKiB / 1024)),
      cliCpuS: mr(cliRuns.map((x) => x.userS + x.sysS)),
      cardsMs: mr(page.map((x) => x.cardsMs)),
      figuresMs: mr(page.map((x) => x.figuresMs)),
      lastDoneMs: mr(page.map((x) => Math.max(...x.doneMs))),
      computeMs: mr(page.map((x) => x.computeMs.at(-1))),
      renderMs: mr(page.map((x) => x.renderMs)),
      maxLongtask: mr(page.map((x) => x.maxLongtask)),
      blockingMs: mr(page.map((x) => x.blockingMs)),
      longtasksOver100: mr(page.map((x) => x.longtasksOver100)),
      maxGap: mr(page.map((x) => x.maxGap)),
      importStallMs: mr(page.map((x) => x.importStallMs)),
      afterImportStallMs: mr(page.map((x) => x.afterImportStallMs)),
      workerWasmMB: mr(page.map((x) => MB(x.afterLoad.workerWasm))),
      pageWasmMB: mr(page.map((x) => MB(x.afterLoad.pageWasm))),
      pageHeapMB: mr(page.map((x) => MB(x.afterLoad.pageJsHeapUsed))),
      rendererPeakMB: mr(page.map((x) => MB(x.renderer.peak))),
      contentOpenMs: mr(opened.map((x) => x.content.openMs)),
      contentMaxLongtask: mr(opened.map((x) => x.content.stalls.maxLongtask)),
      contentBlockingMs: mr(opened.map((x) => x.content.stalls.blockingMs)),
      contentLiveRowsInDom: mr(opened.map((x) => x.content.liveRowsInDom)),
      contentVideoRowsInDom: mr(opened.map((x) => x.content.videoRowsInDom)),
      contentDomNodes: mr(opened.map((x) => x.content.domNodes)),
      contentLiveChartNodes: mr(opened.map((x) => x.content.liveChartNodes)),
      computedJsonMB: mr(page.map((x) => MB(x.computedJsonBytes ?? NaN))),
      ...Object.fromEntries(['last 30 days', 'all'].map((label) => {
        const cs = opened.flatMap((x) => x.content.periodChanges.filter((c) => c.period === label));
        return [label === 'all' ? 'periodAll' : 'period30', {
          totalMs: mr(cs.map((c) => c.totalMs)), workerMs: mr(cs.map((c) => c.workerMs)), renderMs: mr(cs.map((c) => c.renderMs)),
          maxLongtask: mr(cs.map((c) => c.maxLongtask)), jsonMB: mr(cs.map((c) => MB(c.jsonBytes ?? NaN))),
        }];
      })),
    },
  };
}

// ---- main ----
if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error('dist/ is missing: run `trunk build --release --public-url /margin-lab/` first');
  process.exit(2);
}
const bin = cli();
const server = await serve();
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
const results = { machine: execFileSync('sh', ['-c', 'lscpu | head -20'], { encoding: 'utf8' }), chromium: browser.version() };
try {
  if (GB) {
    results.gb = await gbBench(browser, origin, bin);
  } else if (AGENCY) {
    results.agency = await agencyBench(browser, origin, bin);
  } else if (CONTENT) {
    results.content = await contentBench(browser, origin, bin);
  } else {
    if (ONLY !== 'interact') results.import = await importBench(browser, origin, bin);
    if (ONLY !== 'import') results.interact = await interactBench(browser, origin, bin);
  }
} catch (e) {
  results.error = String(e?.stack || e);
  log('FAILED', results.error);
} finally {
  await browser.close().catch(() => {});
  await new Promise((ok) => server.close(ok));
}
fs.mkdirSync(DATA, { recursive: true });
const outFile = path.join(DATA, `results-${GB ? 'gb' : AGENCY ? 'agency' : CONTENT ? 'content' : ONLY || 'all'}.json`);
fs.writeFileSync(outFile, JSON.stringify(results, null, 2));

// ---- the table ----
const rows = [];
if (results.import) {
  const i = results.import;
  rows.push([`Import ${MB(i.bytes).toFixed(0)} MB US Orders, to figures shown (best of ${RUNS})`, fmtMs(i.app.totalMs), `${i.mbps.app.toFixed(1)} MB/s`]);
  rows.push(['  of which the worker import (post → done)', fmtMs(i.app.workerImportMs), `${i.mbps.appWorker.toFixed(1)} MB/s`]);
  rows.push(['  compute (post → computed) / render', `${fmtMs(i.app.computeMs)} / ${fmtMs(i.app.renderMs)}`, '']);
  rows.push([`Papa Parse 5 in a worker + JS per-SKU aggregation (best of ${RUNS})`, fmtMs(i.papa.ms), `${i.mbps.papa.toFixed(1)} MB/s`]);
  rows.push(['Margin Lab vs Papa (to figures shown / worker import)', `${i.ratio.toFixed(2)}× / ${i.ratioWorker.toFixed(2)}×`, 'goal ≥ 2×']);
}
if (results.interact) {
  const x = results.interact;
  rows.push(['What-if edit, 2,000 SKUs (margin-lab:whatif-edit, best / median)', `${x.whatifEditBestMs.toFixed(1)} / ${x.whatifEditMedianMs.toFixed(1)} ms`, 'goal 16 ms']);
  rows.push(['What-if view open, 2,000 SKUs (click → rows shown)', `${x.whatifOpenMs} ms`, `${x.whatifRowsInDom} rows in the DOM`]);
  rows.push([`Period change, ${x.periodImport.rows} (best)`, `${x.periodBestMs.toFixed(0)} ms`, 'goal 100 ms']);
}
if (results.gb) {
  const g = results.gb;
  rows.push([`Import ${MB(g.bytes).toFixed(0)} MB in one tab`, fmtMs(g.totalMs), `${(MB(g.bytes) / (g.totalMs / 1000)).toFixed(1)} MB/s`]);
  rows.push(['  main thread: longest longtask / timer gaps > 50 ms', `${g.maxLongtask.toFixed(0)} ms / ${g.gapsOver50}`, 'goal: no task > 100 ms']);
  rows.push(['  worker wasm memory / bytes imported', `${(g.memory.workerBytes / 1e6).toFixed(0)} MB / ${g.workerMemoryRatio.toFixed(2)}×`, 'goal < 0.5×']);
}
if (results.agency) {
  const a = results.agency, s = a.summary;
  const mr = (x, f) => (x.median == null ? '—' : `${f(x.median)} (${f(x.range[0])}–${f(x.range[1])})`);
  const sec = (v) => `${v.toFixed(2)} s`, ms = (v) => `${v.toFixed(0)} ms`, mb = (v) => `${v.toFixed(0)} MB`;
  rows.push([`${a.shops} shops × ${a.days} days: ${a.files.length} files, ${MB(a.bytes).toFixed(1)} MB, ${a.linesRead} order lines (${a.linesUsed} used)`, `median (range) of ${RUNS}`, '']);
  rows.push(['CLI report --json, 40 directories: wall / peak RSS', mr(s.cliDirsWallS, sec), mr(s.cliDirsRssMiB, (v) => `${v.toFixed(0)} MiB`)]);
  rows.push([`CLI report --json, 40 loose files (${a.shopsFound} shops found): wall / peak RSS`, mr(s.cliFilesWallS, sec), mr(s.cliFilesRssMiB, (v) => `${v.toFixed(0)} MiB`)]);
  rows.push(['Page: files picked → Portfolio lists every shop', mr(s.rowsMs, (v) => sec(v / 1000)), '']);
  rows.push(['Page: … → idle (every file in, no analysis pending)', mr(s.idleMs, (v) => sec(v / 1000)), '']);
  rows.push(['Page: period change on the Portfolio (select → repainted; worker part)', mr(s.periodMs, ms), mr(s.periodWorkerMs, ms)]);
  rows.push(['Page: JS heap (CDP) / engine worker wasm memory', mr(s.pageHeapMB, (v) => `${v.toFixed(1)} MB`), mr(s.workerWasmMB, mb)]);
  rows.push(['Page: renderer process peak RSS (VmHWM or 250 ms samples) / page wasm memory', mr(s.rendererPeakMB, mb), mr(s.pageWasmMB, mb)]);
  rows.push(['Page: engine worker JS heap (CDP Runtime.getHeapUsage)', mr(s.workerJsHeapMB, (v) => `${v.toFixed(1)} MB`), '']);
}
if (results.content) {
  const c = results.content, s = c.summary;
  const mr = (x, f) => (x.median == null ? '—' : `${f(x.median)} (${f(x.range[0])}–${f(x.range[1])})`);
  const sec = (v) => `${(v / 1000).toFixed(2)} s`, ms = (v) => `${v.toFixed(0)} ms`, mb = (v) => `${v.toFixed(0)} MB`;
  rows.push([`${c.sessions} LIVE sessions + ${c.videos} videos: ${c.sizes.map((b) => `${MB(b).toFixed(1)} MB`).join(' + ')}`, `median (range) of ${RUNS}`, '']);
  rows.push(['CLI report --json: wall / peak RSS', mr(s.cliWallS, (v) => `${v.toFixed(2)} s`), mr(s.cliRssMiB, (v) => `${v.toFixed(0)} MiB`)]);
  rows.push(['CLI report --json: CPU time (user + system)', mr(s.cliCpuS, (v) => `${v.toFixed(2)} s`), '']);
  rows.push(['Page: files picked → both file cards show their rows used', mr(s.cardsMs, sec), '']);
  rows.push(['Page: files picked → figures in, nothing pending (last analysis / render)', mr(s.figuresMs, sec), `${mr(s.computeMs, ms)} / ${mr(s.renderMs, ms)}`]);
  rows.push(['Page: import, longest main-thread task / total blocking time', mr(s.maxLongtask, ms), mr(s.blockingMs, ms)]);
  rows.push(['Page: longest timer gap while reading / after (figures, first drawing)', mr(s.importStallMs, ms), mr(s.afterImportStallMs, ms)]);
  rows.push(['Page: the figures the worker sends (JSON)', mr(s.computedJsonMB, (v) => `${v.toFixed(1)} MB`), '']);
  rows.push(['Page: engine worker wasm memory / page JS heap', mr(s.workerWasmMB, mb), mr(s.pageHeapMB, (v) => `${v.toFixed(1)} MB`)]);
  rows.push(['Page: the page\'s own wasm memory', mr(s.pageWasmMB, mb), '']);
  rows.push(['Page: renderer process peak RSS', mr(s.rendererPeakMB, mb), '']);
  if (s.contentOpenMs.median != null) {
    rows.push(['Content view: click → LIVE and video rows drawn', mr(s.contentOpenMs, ms), `longest task ${mr(s.contentMaxLongtask, ms)}`]);
    rows.push(['Content view: LIVE / video rows in the DOM', mr(s.contentLiveRowsInDom, String), mr(s.contentVideoRowsInDom, String)]);
    for (const [label, x] of [['last 30 days', s.period30], ['all days', s.periodAll]]) {
      rows.push([`Content view: period → ${label} (hash → repainted; worker part)`, mr(x.totalMs, ms), mr(x.workerMs, ms)]);
      rows.push([`  longest main-thread task / figures' JSON`, mr(x.maxLongtask, ms), mr(x.jsonMB, (v) => `${v.toFixed(1)} MB`)]);
    }
  } else {
    rows.push(['Content view', 'not in this build', '']);
  }
}
console.log(results.chromium);
for (const r of rows) console.log(r[0].padEnd(72), String(r[1]).padEnd(22), r[2]);
console.log(`(details: ${path.relative(ROOT, outFile)})`);
if (results.error) process.exit(1);
