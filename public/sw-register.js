// Registers the offline service worker (sw.js, next to this file). A file rather than an inline script, so
// the Content-Security-Policy needs no 'unsafe-inline' for it; plain JavaScript, so it works even if the
// WebAssembly cannot start. The script's URL is relative to the page's <base>, so the worker's scope is the
// page's folder under any --public-url.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => {
    navigator.serviceWorker.register('sw.js').catch((e) => console.warn('Margin Lab: offline use unavailable:', e));
  });
}
