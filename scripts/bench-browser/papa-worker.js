// The JavaScript baseline of scripts/bench-browser/run.mjs: Papa Parse (the npm package, served from the repo's
// node_modules) in a Web Worker, streaming the same File the app imports, and the per-SKU aggregation a
// JavaScript app would do on it: units (Quantity), SKU Subtotal After Discount (as JS numbers — float sums, the
// JavaScript side's choice, not the app's) and distinct orders per SKU.
importScripts('papaparse.min.js');

onmessage = (ev) => {
  const { file, mode } = ev.data;
  const t0 = performance.now();
  const skus = new Map();
  let rows = 0;
  const num = (s) => {
    // "$1,234.50", "GBP 12.30", "" → number (what a JS app would write).
    const v = parseFloat(String(s ?? '').replace(/[^0-9.\-]/g, ''));
    return Number.isFinite(v) ? v : 0;
  };
  const add = (r) => {
    const sku = String(r['SKU ID'] ?? '').trim();
    if (!sku) return;
    let a = skus.get(sku);
    if (!a) { a = { qty: 0, subtotal: 0, orders: new Set() }; skus.set(sku, a); }
    a.qty += num(r['Quantity']);
    a.subtotal += num(r['SKU Subtotal After Discount']);
    a.orders.add(String(r['Order ID'] ?? '').trim());
    rows++;
  };
  const config = {
    header: true,
    skipEmptyLines: true,
    // The exports start with a BOM and some headers carry stray spaces.
    transformHeader: (h) => h.replace(/^\ufeff/, '').trim(),
    complete: () => {
      let qty = 0, subtotal = 0, orders = 0;
      for (const a of skus.values()) { qty += a.qty; subtotal += a.subtotal; orders += a.orders.size; }
      postMessage({ ms: performance.now() - t0, rows, skus: skus.size, qty, subtotal, orders });
    },
    error: (e) => postMessage({ error: String(e) }),
  };
  if (mode === 'step') config.step = (res) => add(res.data);
  else config.chunk = (res) => { for (const r of res.data) add(r); };
  Papa.parse(file, config);
};
