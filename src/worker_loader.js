// Starts the engine worker (src/worker.rs): a module worker that loads the page's own module — the same
// JS glue and wasm, so the engine is downloaded once and cached — and calls its worker entry. The page passes
// their addresses (hashed by Trunk) in this script's query. If the worker cannot start, the page is told so (a
// "fatal" message, src/protocol.rs) instead of waiting forever.
const params = new URL(self.location.href).searchParams;
try {
  const glue = await import(params.get('js'));
  await glue.default({ module_or_path: params.get('wasm') });
  glue.worker_start();
} catch (e) {
  postMessage({ type: 'fatal', message: 'the engine worker could not start (' + e + ')' });
}
