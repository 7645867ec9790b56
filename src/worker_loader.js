// Starts the engine worker (src/worker.rs): a module worker that loads the page's own module — the same
// JS glue and wasm, so the engine is downloaded once and cached — and calls its worker entry. The page passes
// their addresses (hashed by Trunk) as this worker's name, one per line. If the worker cannot start, the page
// is told so (a "fatal" message, src/protocol.rs) instead of waiting forever.
const [js, wasm] = self.name.split('\n');
try {
  const glue = await import(js);
  await glue.default({ module_or_path: wasm });
  glue.worker_start();
} catch (e) {
  postMessage({ type: 'fatal', message: 'the engine worker could not start (' + e + ')' });
}
