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
// serves it sends it): the floor under every cut to the view layer. Last, what the features an
// issue set a size target for (FEATURES: evidence, the lock) add to the whole wasm's gzip.
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

const encodeLeb = (value) => (value < 0x80 ? [value] : [(value & 0x7f) | 0x80, ...encodeLeb(Math.floor(value / 0x80))]);

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

/// A module's parts: its sections in order (the name section left out), and its function bodies
/// with their names, each with the length before it (`entry`, as it stands in the code section).
function parts(bytes) {
  const all = sections(bytes);
  const imports = all.find((s) => s.id === 2);
  const firstBody = imports ? importedFunctions(bytes, imports) : 0;
  const names = all
    .filter((s) => s.id === 0)
    .map((s) => functionNames(bytes, s))
    .find((found) => found.size > 0) ?? new Map();
  const functions = [];
  for (const section of all.filter((s) => s.id === 10)) {
    let [count, at] = leb(bytes, section.start);
    for (let index = firstBody; count-- > 0; index += 1) {
      const [length, body] = leb(bytes, at);
      functions.push({
        name: names.get(index) ?? '',
        body: bytes.subarray(body, body + length),
        entry: bytes.subarray(at, body + length),
      });
      at = body + length;
    }
  }
  const kept = all
    .filter((s) => s.id !== 0)
    .map((s) => ({ id: s.id, content: bytes.subarray(s.start, s.end) }));
  return { sections: kept, functions, namedFunctions: names.size };
}

/// The layers' shares of `bytes` (a wasm with a name section), and of the functions whose names
/// match `match` (a RegExp), if given.
export function shares(bytes, match) {
  const { sections: kept, functions, namedFunctions } = parts(bytes);
  const data = kept.filter((s) => s.id === 11).map((s) => s.content);
  const other = kept.filter((s) => s.id !== 10 && s.id !== 11).map((s) => s.content);
  const groups = new Map([...LAYERS.map(([layer]) => layer), REST].map((layer) => [layer, []]));
  for (const { name, body } of functions) {
    groups.get(LAYERS.find(([, pattern]) => pattern.test(name))?.[0] ?? REST).push(body);
  }
  const matched = match ? functions.filter(({ name }) => match.test(name)).map(({ body }) => body) : [];
  const layer = (name, pieces, functionCount) => {
    const raw = pieces.reduce((sum, piece) => sum + piece.length, 0);
    return { name, functions: functionCount, raw, gzip: gzip(Buffer.concat(pieces)) };
  };
  const all = [...groups, [DATA, data], [OTHER, other]];
  const layers = all.map(([name, pieces]) =>
    layer(name, pieces, name === DATA || name === OTHER ? null : pieces.length));
  const interfaceLayers = new Set([LAYERS[0][0], LAYERS[1][0]]);
  const rest = Buffer.concat(all.filter(([name]) => !interfaceLayers.has(name)).flatMap(([, pieces]) => pieces));
  const withoutInterface = { gzip: gzip(rest), brotli: brotli(rest) };
  return {
    layers,
    withoutInterface,
    whole: gzip(Buffer.concat(kept.map((s) => s.content))),
    namedFunctions,
    matched: match ? layer(String(match), matched, matched.length) : null,
  };
}

/// What each feature adds to the gzipped wasm: the whole module (parsed and gzipped once for
/// all of them), less the same module without the feature's functions (those that `belongs` to
/// `code`, a RegExp on paths) and without its texts (`texts.own`, cut out of the data). Measured inside the whole file, as the download
/// compresses it. Left out, so the figure is a lower bound: a function inlined into another
/// module's, our own generic code made for the feature's types, a text built at run time, a text
/// also stored as part of another (`texts.staying`, every other text) or more than once, and the
/// feature's bytes in the other sections (its functions' types, its table entries).
export function added(bytes, features) {
  const { sections: kept, functions } = parts(bytes);
  const whole = gzip(Buffer.concat(kept.map(({ content }) => content)));
  return features.map(({ code, texts: { own, staying } }) => {
    const remaining = functions.filter(({ name }) => !belongs(name, code));
    let textsFound = 0;
    const without = kept.map(({ id, content }) => {
      if (id === 10) return Buffer.from([...encodeLeb(remaining.length), ...Buffer.concat(remaining.map(({ entry }) => entry))]);
      if (id !== 11) return content;
      let data = Buffer.from(content);
      // The longest first, so a short text is not cut out of a longer one of the feature's.
      for (const text of [...own].sort((x, y) => y.length - x.length)) {
        if (staying.some((other) => other.includes(text))) continue;
        const needle = Buffer.from(text);
        const at = data.indexOf(needle);
        if (at < 0 || data.indexOf(needle, at + 1) >= 0) continue;
        data = Buffer.concat([data.subarray(0, at), data.subarray(at + needle.length)]);
        textsFound += 1;
      }
      return data;
    });
    return { functions: functions.length - remaining.length, textsFound, gzip: whole - gzip(Buffer.concat(without)) };
  });
}

/// The interface texts (src/ui/i18n.rs's table, both languages): `own`, those only `files` use,
/// and `staying`, every other (a text another screen or i18n.rs's own messages show stays
/// without the feature).
export function textsOf(files) {
  const read = (file) => readFileSync(join(root, file), 'utf8');
  const i18n = read('src/ui/i18n.rs');
  const start = i18n.indexOf('\ntexts! {\n');
  const end = i18n.indexOf('\n}\n', start);
  const table = i18n.slice(start, end);
  const texts = new Map();
  const entry = /^\s{4}(\w+) => \(\s*("(?:[^"\\]|\\.)*"),\s*("(?:[^"\\]|\\.)*"),?\s*\),$/gm;
  for (const [, key, sv, en] of table.matchAll(entry)) texts.set(key, [JSON.parse(sv), JSON.parse(en)]);
  const keys = table.match(/^\s{4}\w+ =>/gm)?.length ?? 0;
  if (start < 0 || texts.size !== keys) {
    throw new Error(`src/ui/i18n.rs: read ${texts.size} of the ${keys} texts of its table; size-shares.mjs reads only "Key => ("sv", "en"),"`);
  }
  const keysIn = (source) => new Set([...source.matchAll(/\bT::(\w+)/g)].map(([, key]) => key));
  const sources = readdirSync(join(root, 'src'), { recursive: true })
    .filter((file) => file.endsWith('.rs') && file !== join('ui', 'i18n.rs') && !files.includes(join('src', file)))
    .map((file) => read(join('src', file)));
  const elsewhere = new Set([i18n.slice(0, start) + i18n.slice(end), ...sources].flatMap((source) => [...keysIn(source)]));
  const only = new Set(files.flatMap((file) => [...keysIn(read(file))]).filter((key) => !elsewhere.has(key) && texts.has(key)));
  return {
    own: [...only].flatMap((key) => texts.get(key)),
    staying: [...texts].filter(([key]) => !only.has(key)).flatMap(([, pair]) => pair),
  };
}

/// Whether a function belongs to a feature whose code is `modules` (a RegExp on a path): made
/// for one of its types or functions, or a library's generic function made for one of them (a
/// `For` over evidence items, an `Option<EvidenceItem>` reader, its drop glue). The name's paths
/// are read left to right: a library's path is looked through to its generic arguments, a path
/// of ours decides, and the generic arguments of one of ours outside the feature are that
/// code's own (the service made generic over the lock's sealed store stays the service's).
export function belongs(name, modules) {
  const path = /[A-Za-z_]\w*(\[\w+\])?(::([A-Za-z_]\w*(\[\w+\])?|\{[^}]*\}))*/y;
  let depth = 0;
  // While set, the depth inside the generic arguments being passed over.
  let passing = null;
  for (let at = 0; at < name.length;) {
    if (name.startsWith('->', at)) {
      at += 2;
    } else if (name[at] === '<') {
      depth += 1;
      at += 1;
    } else if (name[at] === '>') {
      if (depth === passing) passing = null;
      depth -= 1;
      at += 1;
    } else {
      path.lastIndex = at;
      const found = path.exec(name)?.[0];
      if (!found) {
        at += 1;
        continue;
      }
      at += found.length;
      if (passing !== null) continue;
      if (modules.test(found)) return true;
      if (/^stodrutin/.test(found)) {
        const args = name.startsWith('::<', at) ? at + 2 : name[at] === '<' ? at : -1;
        if (args >= 0) {
          depth += 1;
          passing = depth;
          at = args + 1;
        }
      }
    }
  }
  return false;
}

/// The features an issue set a target for what they add (gzip): the paths of their code, and
/// their files in src/ (for the texts only they use).
export const FEATURES = [
  {
    name: 'evidence',
    target: 25,
    code: /\bstodrutin(_domain(\[\w+\])?::(evidence|container)|_service(\[\w+\])?::evidence|(\[\w+\])?::platform::items|(\[\w+\])?::ui::(evidence_\w+|police_sheet))::/,
    files: ['src/ui/evidence_panel.rs', 'src/ui/evidence_item.rs', 'src/ui/evidence_store.rs', 'src/ui/police_sheet.rs', 'src/platform/items.rs'],
  },
  {
    name: 'the lock',
    target: 15,
    code: /\b(stodrutin_service(\[\w+\])?::lock|stodrutin(\[\w+\])?::(ui::(lock_\w+|secret_field)|platform::(passkey|tab_lock))|argon2(\[\w+\])?|blake2(\[\w+\])?)::/,
    files: ['src/ui/lock_control.rs', 'src/ui/lock_screen.rs', 'src/ui/lock_settings.rs', 'src/ui/lock_setup.rs', 'src/ui/lock_watch.rs', 'src/ui/secret_field.rs', 'src/platform/passkey.rs', 'src/platform/tab_lock.rs'],
  },
];

export function measure(match) {
  const bytes = namedBuild();
  const figures = added(bytes, FEATURES.map(({ code, files }) => ({ code, texts: textsOf(files) })));
  return {
    ...shares(bytes, match),
    features: FEATURES.map((feature, i) => ({ ...feature, ...figures[i] })),
  };
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
  for (const feature of result.features) {
    console.log(`added by ${feature.name}: ${kb(feature.gzip)} gzip (${feature.functions} functions, ${feature.textsFound} texts; target under ${feature.target} KB)`);
  }
}
