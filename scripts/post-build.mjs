// Trunk post_build hook (Trunk.toml): finishes the build in Trunk's staging folder before it becomes dist/.
//
// 1. Content-Security-Policy: Trunk writes an inline <script type="module"> that loads the page's wasm, and
//    it names the content-hashed files, so it changes with every build. Rather than allowing every inline
//    script ('unsafe-inline'), the policy's script-src gets the SHA-256 of each inline script of this
//    build, computed here on the final HTML. An injected or altered inline script then does not run.
// 2. Service worker (public/sw.js): gets the list of the build's files to cache on install, and a version
//    (a digest of every file) so that each deploy installs a new worker and drops the old cache.
//
// Node only, no dependencies. Run by hand: TRUNK_STAGING_DIR=dist node scripts/post-build.mjs
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (this runs as a Trunk post_build hook)');
  process.exit(1);
}
const htmlPath = path.join(dir, 'index.html');
let html = fs.readFileSync(htmlPath, 'utf8');

// 1. Hashes of the inline scripts (their exact text between the tags, as the browser hashes it).
const hashes = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (/\bsrc\s*=/i.test(m[1]) || m[2].length === 0) continue;
  hashes.push(`'sha256-${crypto.createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}
// The <meta> is found whatever its attributes' order and quoting: Trunk minifies index.html in release
// builds (Trunk.toml `minify`), which writes `content="…" http-equiv=Content-Security-Policy`.
let policies = 0;
html = html.replace(/<meta\b[^>]*\bhttp-equiv=(["']?)Content-Security-Policy\1(?=[\s/>])[^>]*>/gi, (tag) => {
  policies += 1;
  return tag.replace(/(\bcontent=")([^"]*)(")/i, (_, a, csp, b) => {
    const next = csp.replace(/script-src([^;]*)/, (_, sources) => {
      const kept = sources.trim().split(/\s+/).filter((s) => s && s !== "'unsafe-inline'" && !s.startsWith("'sha256-"));
      return `script-src ${[...kept, ...hashes].join(' ')}`;
    });
    return a + next + b;
  });
});
if (policies !== 1) {
  console.error(`post-build: expected one Content-Security-Policy <meta> in ${htmlPath}, found ${policies}`);
  process.exit(1);
}
fs.writeFileSync(htmlPath, html);

// 2. The service worker's file list and version.
const files = [];
const walk = (d) => {
  for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (!e.name.startsWith('.')) files.push(path.relative(dir, p).split(path.sep).join('/'));
  }
};
walk(dir);
const swPath = path.join(dir, 'sw.js');
if (fs.existsSync(swPath)) {
  const digest = crypto.createHash('sha256');
  for (const f of files) if (f !== 'sw.js') digest.update(f).update('\0').update(fs.readFileSync(path.join(dir, f)));
  const version = digest.digest('hex').slice(0, 16);
  const precache = files.filter((f) => f !== 'sw.js');
  let sw = fs.readFileSync(swPath, 'utf8');
  const before = sw;
  sw = sw.replace(/^const VERSION = '[^']*';/m, `const VERSION = '${version}';`)
    .replace(/^const PRECACHE = \[\];/m, `const PRECACHE = ${JSON.stringify(precache)};`);
  if (sw === before) {
    console.error('post-build: sw.js has no VERSION / PRECACHE line to fill in');
    process.exit(1);
  }
  fs.writeFileSync(swPath, sw);
  console.log(`post-build: CSP script-src with ${hashes.length} inline script hash(es); sw.js version ${version}, ${precache.length} files`);
}
