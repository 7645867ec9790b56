// The first screen before the app has loaded (issue 20, docs/performance.md "Bundle size"): the page's
// WebAssembly (≈ 1 MB gzipped, kept for offline use after the first visit) loads in parallel with the
// first paint, and this drop zone takes files at once. Files dropped or picked now wait here; the app
// takes them when it starts (src/boot.rs) and reads them like any other. Plain JavaScript, a few hundred
// bytes, so it works before, and without, the WebAssembly.
(() => {
  const boot = { files: [], taken: false };
  window.marginLabBoot = boot;
  const status = () => document.getElementById('boot-status');
  const take = (list) => {
    for (const f of list || []) boot.files.push(f);
    const s = status();
    const n = boot.files.length;
    if (s && n) s.textContent = `${n} file${n === 1 ? '' : 's'} waiting: ${n === 1 ? 'it is' : 'they are'} read as soon as the app has loaded (in this browser; nothing is uploaded).`;
  };
  const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes('Files');
  addEventListener('dragover', (e) => {
    if (boot.taken || !hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  addEventListener('drop', (e) => {
    if (boot.taken || !hasFiles(e)) return;
    e.preventDefault();
    take(e.dataTransfer.files);
  });
  addEventListener('change', (e) => {
    if (boot.taken || e.target.id !== 'boot-input') return;
    take(e.target.files);
    e.target.value = '';
  });
})();
