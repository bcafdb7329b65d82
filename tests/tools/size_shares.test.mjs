// tools/size-shares.mjs puts each function of the wasm in its layer by its name. Function names
// are numbered with the imported functions first, so an off-by-one there would put every body in
// its neighbour's layer: this module imports one function and checks each body lands in its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shares } from '../../tools/size-shares.mjs';

const bytes = (text) => [...Buffer.from(text)];
const leb = (value) => (value < 0x80 ? [value] : [(value & 0x7f) | 0x80, ...leb(value >> 7)]);
const vec = (items) => [...leb(items.length), ...items.flat()];
const section = (id, content) => [id, ...leb(content.length), ...content];
const body = (nops) => {
  const code = [0x00, ...Array(nops).fill(0x01), 0x0b];
  return [code.length, ...code];
};

function module(names) {
  return Uint8Array.from([
    ...bytes('\0asm'), 1, 0, 0, 0,
    ...section(1, vec([[0x60, 0, 0]])),
    ...section(2, vec([[...vec(bytes('m')), ...vec(bytes('f')), 0x00, 0]])),
    ...section(3, vec([[0], [0], [0]])),
    ...section(10, vec([body(10), body(20), body(40)])),
    ...section(11, vec([[0x00, 0x41, 0x00, 0x0b, ...vec(bytes('Lägg till'))]])),
    ...section(0, [...vec(bytes('name')), ...section(1, vec(names.map((name, i) => [i, ...vec(bytes(name))])))]),
  ]);
}

test('each function body is counted in the layer its name says, after the imported ones', () => {
  const result = shares(module([
    'm::f',
    'stodrutin[0123abcd]::ui::case_view::CaseView',
    '<tachys[89ef]::html::element::HtmlElement as tachys::view::Render>::build',
    'stodrutin_domain[4567]::routine::Routine::parse',
  ]));
  const raw = Object.fromEntries(result.layers.map((l) => [l.name, [l.functions, l.raw]]));
  assert.deepEqual(raw['screens (src/ui)'], [1, 12]);
  assert.deepEqual(raw['Leptos (views and signals)'], [1, 22]);
  assert.deepEqual(raw['domain, service, age'], [1, 42]);
  assert.deepEqual(raw['std, serde, crypto, glue'], [0, 0]);
  assert.equal(result.namedFunctions, 4);
  assert.ok(result.withoutInterface.gzip > 0 && result.withoutInterface.brotli > 0);
});

test('a function without a name is counted with the rest, not lost', () => {
  const result = shares(module(['m::f', 'stodrutin::ui::a', 'tachys::b']));
  const raw = Object.fromEntries(result.layers.map((l) => [l.name, l.raw]));
  assert.equal(raw['std, serde, crypto, glue'], 42);
  assert.equal(raw['screens (src/ui)'] + raw['Leptos (views and signals)'] + raw['std, serde, crypto, glue'], 12 + 22 + 42);
});

test('the functions a pattern names are counted together, whatever their layer', () => {
  const result = shares(module(['m::f', 'stodrutin::ui::lock_screen::a', 'tachys::b', 'stodrutin_service::lock::c']), /lock/);
  assert.equal(result.matched.functions, 2);
  assert.equal(result.matched.raw, 12 + 42);
  assert.equal(shares(module(['m::f', 'a', 'b', 'c'])).matched, null);
});
