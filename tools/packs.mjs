// Puts the routine packs a build ships into DIR/routines/index.json, each file's text exactly as
// it is (its SHA-256 pins a case to it), in the order given:
//   node tools/packs.mjs DIR routines/a.json routines/b.json
// `make dist` runs it with $(ROUTINES) after Trunk, then runs tools/postbuild.mjs again so the
// service worker precaches the list. Choosing other packs needs no new wasm: run this and the
// post-build step on a built folder. A file that is not a routine pack stops the build here;
// `make check-routine FILE=…` says everything that is wrong with one.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const [dir, ...files] = process.argv.slice(2);
if (!dir || files.length === 0) {
  console.error('usage: node tools/packs.mjs DIR PACK.json [PACK.json ...]');
  process.exit(2);
}

const packs = [];
for (const path of files) {
  const text = await readFile(path, 'utf8');
  let pack;
  try {
    pack = JSON.parse(text);
  } catch (err) {
    console.error(`${path}: not JSON (${err.message})`);
    process.exit(1);
  }
  if (pack.format !== 'stodrutin-routine-pack') {
    console.error(`${path}: not a routine pack (format must be "stodrutin-routine-pack")`);
    process.exit(1);
  }
  packs.push({ file: basename(path), text });
}

const out = join(dir, 'routines');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await writeFile(join(out, 'index.json'), JSON.stringify({ packs }));
console.log(`routines: ${packs.map((p) => p.file).join(', ')}`);
