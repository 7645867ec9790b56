// Starts the import worker (src/bin/worker.rs), which Trunk builds as worker.js + worker_bg.wasm next to this
// file (copied to dist/ by index.html). Paths are relative to this script, so any --public-url works. If the
// worker cannot load, the page is told so (a "fatal" message, src/protocol.rs) instead of waiting forever.
try {
  importScripts('./worker.js');
  wasm_bindgen({ module_or_path: './worker_bg.wasm' })
    .catch((e) => postMessage({ type: 'fatal', message: 'the import worker could not start (' + e + ')' }));
} catch (e) {
  postMessage({ type: 'fatal', message: 'the import worker could not start (' + e + ')' });
}
