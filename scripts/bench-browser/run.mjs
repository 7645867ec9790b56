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
      this.addEventListener('message', (e) => msgs.push([e.data?.type, performance.now(), e.data?.rows, e.data?.type === 'done' ? e.data.json : e.data?.read]));
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
  await page.waitForSelector('input[type=file][multiple]', { state: 'attached' });
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
  await page.setInputFiles('input[type=file][multiple]', files);
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
  await page.setInputFiles('input[type=file][multiple]', files);
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
const outFile = path.join(DATA, `results-${GB ? 'gb' : AGENCY ? 'agency' : ONLY || 'all'}.json`);
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
console.log(results.chromium);
for (const r of rows) console.log(r[0].padEnd(72), String(r[1]).padEnd(22), r[2]);
console.log(`(details: ${path.relative(ROOT, outFile)})`);
if (results.error) process.exit(1);
