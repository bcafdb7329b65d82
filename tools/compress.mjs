// Writes a precompressed copy beside every text and wasm file of a built folder, for hosts that
// send them as they are (nginx's gzip_static and brotli_static, Caddy's `precompressed`,
// tools/serve.mjs): NAME.br (brotli, quality 11) and NAME.gz (gzip, level 9). Run by `make dist`
// after Trunk (and so after tools/postbuild.mjs has written the service worker's precache list,
// which holds no .br or .gz file). Running it again rewrites every copy and removes stale ones.
//   node tools/compress.mjs DIR
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/// The files worth compressing: text and WebAssembly (PNG is compressed already).
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.webmanifest', '.svg', '.txt', '.xml']);
export const isCompressed = (name) => name.endsWith('.br') || name.endsWith('.gz');

/// Writes FILE.br and FILE.gz beside FILE; returns their sizes.
export async function compressFile(file) {
  const bytes = await readFile(file);
  const text = extname(file) !== '.wasm';
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_MODE]: text ? constants.BROTLI_MODE_TEXT : constants.BROTLI_MODE_GENERIC,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipAsync(bytes, { level: 9 }),
  ]);
  await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gz)]);
  return { raw: bytes.length, br: br.length, gzip: gz.length };
}

/// Compresses every compressible file under DIR, removing .br/.gz files left from an earlier build.
export async function compressTree(dir) {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const paths = entries.map((e) => join(e.parentPath ?? e.path, e.name));
  await Promise.all(paths.filter(isCompressed).map((path) => rm(path)));
  const done = {};
  for (const path of paths.filter((p) => !isCompressed(p) && COMPRESSIBLE.has(extname(p)))) {
    done[path] = await compressFile(path);
  }
  return done;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node tools/compress.mjs DIR');
  const done = await compressTree(dir);
  const sum = (key) => Object.values(done).reduce((total, sizes) => total + sizes[key], 0);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log(`[compress] ${Object.keys(done).length} files: ${kb(sum('raw'))} → brotli ${kb(sum('br'))}, gzip ${kb(sum('gzip'))}`);
}
