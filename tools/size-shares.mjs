// Where the release wasm's bytes go, by layer: the screens (src/ui), Leptos, the domain, service
// and age crates, the browser adapters, the rest (the standard library, serde, crypto, the
// JavaScript glue) and the data (texts, tables). Part of `make bench`; alone:
//   node tools/size-shares.mjs                     (after `make dist`)
//   node tools/size-shares.mjs --match REGEX       also the functions whose names match, together
// (e.g. '^<?stodrutin_service(\[\w+\])?::lock' for the lock's own service code; a function
// inlined into another is counted where it was inlined).
//
// The wasm in dist/ has no names, so the one `make dist` built (before wasm-bindgen) is put
// through wasm-bindgen and wasm-opt again, as Trunk does, with the function names kept. Each
// layer's function bodies are then gzipped on their own. A layer compressed alone compresses a
// little worse than inside the whole file, so the layers add up to more than the wasm: the
// figures say what each layer weighs, not how to sum them. "Without the interface" is the part
// the screens and Leptos would leave if they weighed nothing (gzip, and brotli as a host that
// serves it sends it): the floor under every cut to the view layer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'target/wasm32-unknown-unknown/release/stodrutin.wasm');
const wasmOpt = join(root, 'node_modules/binaryen/bin/wasm-opt');

/// The layers, in the order a function's name is tested against them (the first match wins: a
/// Leptos type made for one of our screens belongs to the screen).
const LAYERS = [
  ['screens (src/ui)', /\bstodrutin(\[\w+\])?::ui::/],
  ['Leptos (views and signals)', /\b(tachys|reactive_graph|reactive_stores|leptos|leptos_dom|leptos_macro|any_spawner|or_poisoned|throw_error|send_wrapper|wasm_bindgen_futures)(\[\w+\])?::/],
  ['domain, service, age', /\bstodrutin_(domain|service|age)(\[\w+\])?::/],
  ['browser adapters (src/platform)', /\bstodrutin(\[\w+\])?::platform::/],
];
const REST = 'std, serde, crypto, glue';
const DATA = 'data (texts, tables)';
const OTHER = 'imports, exports, tables';

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const brotli = (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

function leb(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}

/// The sections of a wasm module: `{ id, start, end }` each, after the 8-byte header.
function sections(bytes) {
  const found = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const [length, start] = leb(bytes, at + 1);
    found.push({ id, start, end: start + length });
    at = start + length;
  }
  return found;
}

/// How many functions a module imports: the code section's bodies are numbered after them.
function importedFunctions(bytes, { start }) {
  let [count, at] = leb(bytes, start);
  let functions = 0;
  const skipName = () => {
    const [length, next] = leb(bytes, at);
    at = next + length;
  };
  const skipLimits = () => {
    const flags = bytes[at++];
    [, at] = leb(bytes, at);
    if (flags & 1) [, at] = leb(bytes, at);
  };
  while (count-- > 0) {
    skipName();
    skipName();
    const kind = bytes[at++];
    if (kind === 0) {
      [, at] = leb(bytes, at);
      functions += 1;
    } else if (kind === 1) {
      at += 1;
      skipLimits();
    } else if (kind === 2) {
      skipLimits();
    } else if (kind === 3) {
      at += 2;
    } else {
      throw new Error(`unknown import kind ${kind}`);
    }
  }
  return functions;
}

/// The function names of the `name` custom section, by function index.
function functionNames(bytes, section) {
  const names = new Map();
  let [length, at] = leb(bytes, section.start);
  if (Buffer.from(bytes.subarray(at, at + length)).toString() !== 'name') return names;
  at += length;
  while (at < section.end) {
    const kind = bytes[at];
    const [size, body] = leb(bytes, at + 1);
    if (kind === 1) {
      let [count, next] = leb(bytes, body);
      while (count-- > 0) {
        let index;
        let nameLength;
        [index, next] = leb(bytes, next);
        [nameLength, next] = leb(bytes, next);
        names.set(index, Buffer.from(bytes.subarray(next, next + nameLength)).toString());
        next += nameLength;
      }
    }
    at = body + size;
  }
  return names;
}

/// The wasm `make dist` built, made again with its names kept.
function namedBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'stodrutin-shares-'));
  try {
    execFileSync('wasm-bindgen', ['--keep-debug', '--target', 'web', '--out-dir', dir, built], { stdio: 'inherit' });
    const bound = join(dir, readdirSync(dir).find((name) => name.endsWith('_bg.wasm')));
    const optimised = join(dir, 'named.wasm');
    // Trunk's own call (index.html: data-wasm-opt="z"), with the names kept (-g).
    execFileSync(wasmOpt, ['-Oz', '-g', bound, '-o', optimised], { stdio: 'inherit' });
    return readFileSync(optimised);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/// The layers' shares of `bytes` (a wasm with a name section), and of the functions whose names
/// match `match` (a RegExp), if given.
export function shares(bytes, match) {
  const all = sections(bytes);
  const imports = all.find((s) => s.id === 2);
  const firstBody = imports ? importedFunctions(bytes, imports) : 0;
  const names = all
    .filter((s) => s.id === 0)
    .map((s) => functionNames(bytes, s))
    .find((found) => found.size > 0) ?? new Map();
  const groups = new Map([...LAYERS.map(([layer]) => layer), REST].map((layer) => [layer, []]));
  const matched = [];
  const data = [];
  const other = [];
  for (const section of all) {
    const content = bytes.subarray(section.start, section.end);
    if (section.id === 10) {
      let [count, at] = leb(bytes, section.start);
      for (let index = firstBody; count-- > 0; index += 1) {
        const [length, body] = leb(bytes, at);
        const name = names.get(index) ?? '';
        const layer = LAYERS.find(([, pattern]) => pattern.test(name))?.[0] ?? REST;
        groups.get(layer).push(bytes.subarray(body, body + length));
        if (match?.test(name)) matched.push(bytes.subarray(body, body + length));
        at = body + length;
      }
    } else if (section.id === 11) {
      data.push(content);
    } else if (section.id !== 0) {
      other.push(content);
    }
  }
  const layer = (name, parts, functions) => {
    const raw = parts.reduce((sum, part) => sum + part.length, 0);
    return { name, functions, raw, gzip: gzip(Buffer.concat(parts)) };
  };
  const parts = [...groups, [DATA, data], [OTHER, other]];
  const layers = parts.map(([name, part]) =>
    layer(name, part, name === DATA || name === OTHER ? null : part.length));
  const interfaceLayers = new Set([LAYERS[0][0], LAYERS[1][0]]);
  const rest = Buffer.concat(parts.filter(([name]) => !interfaceLayers.has(name)).flatMap(([, part]) => part));
  const withoutInterface = { gzip: gzip(rest), brotli: brotli(rest) };
  const unnamed = Buffer.concat(all.filter((s) => s.id !== 0).map((s) => bytes.subarray(s.start, s.end)));
  return {
    layers,
    withoutInterface,
    whole: gzip(unnamed),
    namedFunctions: names.size,
    matched: match ? layer(String(match), matched, matched.length) : null,
  };
}

export function measure(match) {
  return shares(namedBuild(), match);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--match');
  const result = measure(at > 0 ? new RegExp(process.argv[at + 1]) : undefined);
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
  console.log('layer                              functions       raw    gzip alone');
  for (const l of result.layers) {
    console.log(`${l.name.padEnd(34)} ${String(l.functions ?? '').padStart(9)} ${kb(l.raw).padStart(10)} ${kb(l.gzip).padStart(10)}`);
  }
  console.log(`the whole wasm (names left out), gzip: ${kb(result.whole)}`);
  console.log(`without the screens and Leptos: gzip ${kb(result.withoutInterface.gzip)}, brotli ${kb(result.withoutInterface.brotli)}`);
  if (result.matched) {
    const { name, functions, raw, gzip: gzipped } = result.matched;
    console.log(`matching ${name}: ${functions} functions, ${kb(raw)} raw, ${kb(gzipped)} gzip alone`);
  }
}
