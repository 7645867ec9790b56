// Margin Lab's service worker: after one visit the page works offline, demo data included.
//
// - Install: caches every file of the build (the list and the version below are written into this copy by
//   scripts/post-build.mjs, a Trunk post_build hook; a dev build without them caches as it goes).
// - Fetch (same-origin GET only; nothing else is ever touched): the page itself (a navigation, or
//   index.html) is network first, falling back to the cache offline, so a new deploy is seen at once;
//   every other file is cache first (Trunk names the page's JS, wasm and CSS by content hash; the unhashed
//   worker loader and demo data are replaced with the whole cache when the version changes), and whatever
//   is fetched is cached. A file asked for with a query (worker_loader.js?js=…) is the cached file.
// - Activate: deletes the caches of other versions.
// Paths are relative to this script, which sits at the root of the build, so any --public-url works.
'use strict';

const VERSION = 'dev'; // post-build: a digest of every file of the build
const PRECACHE = []; // post-build: every file of the build, relative to this script
const PREFIX = 'margin-lab-';
const CACHE = PREFIX + VERSION;
const SCOPE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(['./', ...PRECACHE].map((p) => new URL(p, SCOPE).href)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isPage(request, url) {
  return request.mode === 'navigate' || url.href === SCOPE || url.pathname.endsWith('/index.html');
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    // The page under any address in scope (with a query, or as index.html) is the same page.
    const cached = (await cache.match(request, { ignoreSearch: true })) || (await cache.match(SCOPE));
    if (cached) return cached;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  // worker_loader.js is fetched with the page's file names in its query: the same file whatever the query.
  // Answer with a copy that has no URL of its own, so the worker's location keeps the query it reads.
  const same = await cache.match(request, { ignoreSearch: true });
  if (same) return new Response(await same.blob(), { status: same.status, statusText: same.statusText, headers: same.headers });
  return fetchAndCache(cache, request);
}

async function fetchAndCache(cache, request) {
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.href.startsWith(SCOPE)) return;
  event.respondWith(isPage(request, url) ? networkFirst(request) : cacheFirst(request));
});
