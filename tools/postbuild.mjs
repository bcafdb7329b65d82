// Trunk's post-build hook (Trunk.toml). In the staging folder it:
//  - gives the build an id (a digest of its files, or STODRUTIN_BUILD_ID) and writes it into
//    index.html, where the app reads it;
//  - puts a strict Content-Security-Policy into index.html, allowing Trunk's one inline loader
//    script by its SHA-256 hash and nothing from any other origin;
//  - writes sw.js with the list of every file of the build to precache.
// Run by hand on a built folder (`node tools/postbuild.mjs DIR`) it does the same there; the
// precompressed copies (.br, .gz, from tools/compress.mjs) are no files of the build: they are
// left out of the list, and those of index.html and sw.js are written again.
import { createHash } from 'node:crypto';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compressFile, isCompressed } from './compress.mjs';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: node tools/postbuild.mjs DIR (or run as a Trunk hook)');

async function filesUnder(folder) {
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(join(folder, entry.name)) : [join(folder, entry.name)])),
  );
  return nested.flat();
}

const indexPath = join(dir, 'index.html');
// What an earlier run added comes out first, so running the hook again gives the same result.
let index = (await readFile(indexPath, 'utf8'))
  .replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/g, '')
  .replace(/\s*<meta name="stodrutin-build"[^>]*>/g, '');
const files = (await filesUnder(dir))
  .map((file) => relative(dir, file).split(sep).join('/'))
  .filter((file) => file !== 'sw.js' && !file.startsWith('.') && !isCompressed(file))
  .sort();

const digest = createHash('sha256');
for (const file of files) {
  digest.update(file);
  digest.update(file === 'index.html' ? index : await readFile(join(dir, file)));
}
const build = process.env.STODRUTIN_BUILD_ID ?? digest.digest('hex').slice(0, 16);

// Trunk's loader is kept as it is, its wasm preload included. Tried and not kept (stop 15): the
// download started only after the page's first paint. Lighthouse's simulated LCP fell from about
// 3.0 s to 0.95 s, because its simulation counts every request begun before the largest paint;
// but in the browser the first paint came no sooner (808 against 844 ms on slow 4G at 4× CPU),
// the app was ready about 0.5 s later there, and start-up from the service worker's cache
// slowed (393 → 469 ms at 4× CPU): a better figure, a worse app.
const inlineScripts = [...index.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
const hashes = inlineScripts.map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`);
const policy = [
  "default-src 'none'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  "img-src 'self' blob:",
  "font-src 'none'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

index = index.replace(
    /<meta charset="utf-8" \/>/,
    `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${policy}" />\n    <meta name="stodrutin-build" content="${build}" />`,
  );
await writeFile(indexPath, index);

const template = await readFile(new URL('../public/sw.js', import.meta.url), 'utf8');
const precache = ['./', ...files.map((file) => `./${file}`)];
await writeFile(
  join(dir, 'sw.js'),
  template.replace('__BUILD_ID__', build).replace('__PRECACHE__', JSON.stringify(precache)),
);
// A folder compressed before: its copies of the two files just written would be stale.
for (const file of ['index.html', 'sw.js']) {
  const path = join(dir, file);
  const there = (copy) => access(copy).then(() => true, () => false);
  const compressed = (await there(`${path}.br`)) || (await there(`${path}.gz`));
  if (compressed) await compressFile(path);
}
console.log(`[postbuild] build ${build}: ${precache.length} files to precache, CSP with ${hashes.length} inline script hash(es)`);
