// `make check-size` (part of `make test`): the wasm of the build in dist/, gzipped (level 9, as
// most hosts send it), must not exceed the budget in size-budget.json. Fails the run with the size,
// the budget and how to change it.
//   node tools/check-size.mjs            check
//   node tools/check-size.mjs --update   set the budget to the measured size plus 2 %
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const budgetPath = join(root, 'size-budget.json');
const dist = join(root, process.env.DIST ?? 'dist');

const wasmFiles = (await readdir(dist)).filter((name) => name.endsWith('.wasm'));
if (wasmFiles.length !== 1) {
  console.error(`[check-size] expected one .wasm file in ${dist}, found ${wasmFiles.length}: run \`make dist\` first`);
  process.exit(1);
}
const wasm = await readFile(join(dist, wasmFiles[0]));
const size = gzipSync(wasm, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const budget = JSON.parse(await readFile(budgetPath, 'utf8'));
if (process.argv.includes('--update')) {
  budget.wasm_gzip_bytes = Math.ceil(size * 1.02);
  budget.set_from = { wasm_gzip_bytes: size, date: new Date().toISOString().slice(0, 10) };
  await writeFile(budgetPath, `${JSON.stringify(budget, null, 2)}\n`);
  console.log(`[check-size] budget set to ${budget.wasm_gzip_bytes} bytes (${kb(budget.wasm_gzip_bytes)}): the wasm's ${size} bytes gzipped plus 2 %`);
  process.exit(0);
}

const limit = budget.wasm_gzip_bytes;
if (size > limit) {
  console.error(
    `[check-size] the wasm is ${size} bytes gzipped (${kb(size)}), over its budget of ${limit} bytes (${kb(limit)}) ` +
      `in size-budget.json by ${size - limit} bytes.\n` +
      '  Make it smaller (see `make bench` and ARCHITECTURE.md), or, if the growth is worth it, raise the budget:\n' +
      '  `node tools/check-size.mjs --update` sets wasm_gzip_bytes to the measured size plus 2 %; commit size-budget.json\n' +
      '  and say in the commit message why the app is bigger.',
  );
  process.exit(1);
}
console.log(`[check-size] wasm ${size} bytes gzipped (${kb(size)}), within its budget of ${limit} bytes (${kb(limit)}): ${limit - size} bytes to spare`);
