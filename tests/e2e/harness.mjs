// The end-to-end tests' shared harness: the Trunk-built page served from dist/ under its sub-path (as GitHub
// Pages serves it) by a static server in this process on 127.0.0.1, Debian's Chromium driven by
// playwright-core, the engine's own figures through the CLI (`margin-lab report --json` on the same files,
// so the page is checked against the engine, not itself), and `App`: one page of the app with the steps
// every test takes (open, load the demo, pick or drop files, wait for the figures, read the data-* hooks).
//
// A test file calls `useHarness()` once at its top: it starts the server and the browser before the file's
// tests and stops them after. Not a test file itself (node --test picks `*.test.mjs`).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(ROOT, 'dist');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures', 'tiktok');
export const ARTIFACTS = path.join(ROOT, 'tests', 'e2e', 'artifacts');
/** The sub-path the page is built for (`trunk build --public-url /margin-lab/`). */
export const BASE = '/margin-lab/';
export const CLI = process.env.MARGIN_LAB_BIN || path.join(ROOT, 'target', 'debug', 'margin-lab');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Headless, and nothing of Chromium's own that would reach the network or wait on a first-run dialog. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-dev-shm-usage'];
/** The window every test works at (the smallest laptop screen the design targets). */
export const VIEWPORT = { width: 1366, height: 768 };

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.csv': 'text/csv' };

/** "$7,360.07" → "7360.07"; "-£3.10" → "-3.10". */
export const plain = (text) => text.replace(/[^0-9.\-]/g, '');

/**
 * A static server of dist/ under BASE on 127.0.0.1 (a free port), in this process. It logs every request it
 * gets (`log`, "METHOD url"); `stop()` closes it for good, open connections included.
 */
export async function startServer() {
  const log = [];
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    const url = new URL(req.url, 'http://x');
    if (!url.pathname.startsWith(BASE)) { res.writeHead(404).end(); return; }
    const rel = decodeURIComponent(url.pathname.slice(BASE.length)) || 'index.html';
    const file = path.join(DIST, path.normalize(rel));
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const stop = () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); });
  return { origin, log, stop };
}

/** Debian's Chromium (or $CHROMIUM), headless. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Starts one server and one browser before the calling file's tests and stops them after. Returns the
 * file's environment: `server` ({ origin, log, stop }), `browser`, `origin`, and `open(options)`, which opens
 * an `App` (see `App.open`). `defaults` are options every `open` of the file starts from.
 */
export function useHarness(defaults = {}) {
  const env = {
    server: null,
    browser: null,
    get origin() { return env.server.origin; },
    open: (options = {}) => App.open(env, { ...defaults, ...options }),
  };
  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    env.server = await startServer();
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/** The engine's report for files (paths), via the CLI; `costsCsv` is a costs sheet's text, `extra` more flags. */
export function engineReport(files, costsCsv, extra = []) {
  const args = ['report', '--json', ...extra];
  if (costsCsv) {
    const p = path.join(ARTIFACTS, `costs-${process.pid}.csv`);
    fs.writeFileSync(p, costsCsv);
    args.push('--costs', p);
  }
  return JSON.parse(execFileSync(CLI, [...args, ...files], { encoding: 'utf8', maxBuffer: 256 << 20 }));
}

/** The CLI's message for a file it refuses (exit 2): the same ImportError::user_message the page shows. */
export function engineError(file) {
  const r = spawnSync(CLI, ['report', file], { encoding: 'utf8' });
  assert.equal(r.status, 2, `${file} should be refused: ${r.stdout}${r.stderr}`);
  return r.stderr.trim().replace(/^margin-lab: /, '');
}

/** The file input of the Files view (attached once the app has mounted). */
// The app's own picker (not the first screen's, public/boot.js, which is there before the app has mounted).
const FILE_INPUT = 'input[type=file][multiple]:not(#boot-input)';

/**
 * One page of the app in a fresh browser context (its own storage), with what it did recorded:
 * `requests` ({ url, method, body } of every request of the context), `errors` (uncaught page errors) and
 * `dialogs` (messages of alert/confirm/prompt, each dismissed). `page` and `ctx` are playwright's.
 */
export class App {
  constructor(env, page, ctx, origin) {
    this.env = env;
    this.page = page;
    this.ctx = ctx;
    this.origin = origin;
    this.requests = [];
    this.errors = [];
    this.dialogs = [];
    ctx.on('request', (r) => this.requests.push({ url: r.url(), method: r.method(), body: r.postData() }));
    this.#listen(page);
  }

  #listen(page) {
    page.on('pageerror', (e) => this.errors.push(String(e)));
    page.on('dialog', (d) => { this.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  }

  /**
   * Opens the page: `origin` (default the file's server) + BASE + `hash`, or a whole `url`. Then waits for
   * `ready`: by default the app's file input; a selector to wait for that instead; null for nothing.
   */
  static async open(env, { origin = env.origin, hash = '', url, ready } = {}) {
    const ctx = await env.browser.newContext({ viewport: VIEWPORT, acceptDownloads: true });
    const app = new App(env, await ctx.newPage(), ctx, origin);
    await app.page.goto(url ?? origin + BASE + hash);
    if (ready === undefined) await app.ready();
    else if (ready !== null) await app.page.waitForSelector(ready);
    return app;
  }

  /** Closes this page and opens the app again in a new page of the same context (same storage) at `hash`. */
  async reopen(hash = '') {
    await this.page.close();
    this.page = await this.ctx.newPage();
    this.#listen(this.page);
    await this.page.goto(this.origin + BASE + hash);
  }

  /** Waits until the app has mounted (its file input is in the document). */
  async ready() {
    await this.page.waitForSelector(FILE_INPUT, { state: 'attached' });
  }

  /** Reloads the page and waits until the app has mounted again. */
  async reload() {
    await this.page.reload();
    await this.ready();
  }

  async close() {
    await this.ctx.close();
  }

  /** Opens a view through the navigation, as a user would. */
  async gotoView(view) {
    await this.page.click(`nav a[data-view="${view}"]`);
    await this.page.waitForFunction((v) => location.hash.startsWith(`#/${v}`), view);
    // The view is drawn in the same reactive pass that marks its link current (after the hash changes).
    await this.page.waitForSelector(`nav a[data-view="${view}"][aria-current=page]`);
  }

  /** Waits for the analysis: no import in progress and no figures being computed. */
  async idle() {
    await this.page.waitForFunction(() => document.querySelectorAll('[data-testid=import-progress]').length === 0 && !document.querySelector('.computing'));
  }

  /**
   * Picks files through the Files view's file input (paths, or { name, mimeType, buffer }) and waits until
   * they are in and the figures are computed.
   */
  async importFiles(files) {
    await this.gotoView('files');
    await this.#watchImport();
    await this.page.setInputFiles(FILE_INPUT, files);
    await this.#imported();
  }

  /** Drops files (as for `importFiles`) on the drop zone, as a user dragging them from the desktop, and waits. */
  async dropFiles(files) {
    await this.gotoView('files');
    const payload = files.map((f) => typeof f === 'string'
      ? { name: path.basename(f), b64: fs.readFileSync(f).toString('base64') }
      : { name: f.name, type: f.mimeType, b64: Buffer.from(f.buffer).toString('base64') });
    const dt = await this.page.evaluateHandle((files) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, f.type ? { type: f.type } : {}));
      }
      return dt;
    }, payload);
    await this.#watchImport();
    await this.page.dispatchEvent('[data-testid=dropzone]', 'drop', { dataTransfer: dt });
    await this.#imported();
  }

  /** Loads the demo data in one click (on the Files view) and waits for its figures. */
  async loadDemo({ timeout } = {}) {
    await this.page.click('[data-testid=demo]');
    await this.page.waitForSelector('[data-kpi=net_sales]', { timeout });
    await this.idle();
  }

  // An import shows a progress bar per file, a card or an error when done, and the first files in open
  // the overview: the page notes any of these appearing from now on, however briefly.
  async #watchImport() {
    await this.page.evaluate(() => {
      window.__importSeen = false;
      const hook = '[data-testid=import-progress], [data-testid=import-error], .card[data-file]';
      const seen = (n) => n.nodeType === 1 && (n.matches(hook) || n.querySelector(hook));
      const observer = new MutationObserver((records) => {
        if (records.some((r) => [...r.addedNodes].some(seen))) { window.__importSeen = true; observer.disconnect(); }
      });
      observer.observe(document.body, { subtree: true, childList: true });
    });
  }

  async #imported() {
    await this.page.waitForFunction(() => window.__importSeen || document.querySelector('[data-testid=import-progress]') || !location.hash.startsWith('#/files'));
    await this.idle();
  }

  /** The trimmed text of the one element matching `selector`. */
  async text(selector) {
    return (await this.page.locator(selector).textContent()).trim();
  }

  /** A KPI tile's text as shown (`[data-kpi=name]`), on the current view. */
  kpiText(name) {
    return this.text(`[data-kpi="${name}"]`);
  }

  /** A KPI tile's amount as plain digits ("$1,234.50" → "1234.50"), read on the overview. */
  async kpi(name) {
    await this.gotoView('overview');
    await this.page.waitForSelector(`[data-kpi="${name}"]`);
    return plain(await this.kpiText(name));
  }

  /** The trimmed text of the `[data-metric=name]` cell inside `scope` (a row selector). */
  metric(scope, name) {
    return this.text(`${scope} [data-metric="${name}"]`);
  }

  /** A SKU table cell's text (`[data-table=skus]` row of `sku`, `[data-metric=metric]`). */
  skuCell(sku, metric) {
    return this.metric(`[data-table=skus] [data-sku="${sku}"]`, metric);
  }

  /** The editable cells inside `scope`: { data-input: Number(data-value), or null when blank }. */
  inputs(scope) {
    return this.page.locator(`${scope} [data-input]`).evaluateAll((tds) =>
      Object.fromEntries(tds.map((td) => [td.dataset.input, td.dataset.value === '' ? null : Number(td.dataset.value)])));
  }

  /** Types a unit cost for a SKU in the SKUs view (Enter, then leaves the cell) and waits for the figures. */
  async setUnitCost(sku, value) {
    await this.gotoView('skus');
    const input = this.page.locator(`[data-sku="${sku}"] input[data-input=unit_cost]`);
    await input.fill(value);
    await input.press('Enter');
    await input.blur();
    await this.idle();
  }

  /** The unit cost shown for a SKU in the SKUs view. */
  async unitCost(sku) {
    await this.gotoView('skus');
    await this.page.waitForSelector(`[data-sku="${sku}"] input[data-input=unit_cost]`);
    return this.page.locator(`[data-sku="${sku}"] input[data-input=unit_cost]`).inputValue();
  }
}
