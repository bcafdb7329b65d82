// tools/size-shares.mjs puts each function of the wasm in its layer by its name. Function names
// are numbered with the imported functions first, so an off-by-one there would put every body in
// its neighbour's layer: this module imports one function and checks each body lands in its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FEATURES, added, belongs, shares, textsOf } from '../../tools/size-shares.mjs';

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

test('a function belongs to a feature by what it is made for, not by every type it names', () => {
  const evidence = FEATURES.find((f) => f.name === 'evidence').code;
  const lock = FEATURES.find((f) => f.name === 'the lock').code;
  // The screen's own closure, a library's `For` made for it, a reader of its item type, and the
  // drop glue of a signal holding one of its types.
  assert.ok(belongs('stodrutin[79a4]::ui::evidence_panel::__component_evidence_panel::{closure#20}', evidence));
  assert.ok(belongs('<leptos[ac]::for_loop::__component_for<stodrutin[79]::ui::evidence_panel::__component_evidence_panel::{closure#21}, alloc::vec::Vec<u8>> as tachys::view::Render>::build', evidence));
  assert.ok(belongs('<core[a]::option::Option<stodrutin_domain[7]::evidence::EvidenceItem> as serde_core[c]::de::Deserialize>::deserialize', evidence));
  assert.ok(belongs('core[a]::ptr::drop_glue::<reactive_graph[1]::signal::rw::RwSignal<core[a]::option::Option<stodrutin[7]::ui::evidence_panel::Chosen>>>', evidence));
  assert.ok(belongs('<stodrutin_service[7]::lock::kv::SealedKv<X> as stodrutin_service[7]::ports::Kv>::get', lock));
  assert.ok(belongs('<argon2[5]::Argon2>::hash_password_into', lock));
  // Our own code made generic over the lock's store or evidence's types stays its own, however
  // the name nests it.
  const service = 'stodrutin_service[7]::Service<stodrutin_service[7]::lock::kv::SealedKv<X>>';
  assert.ok(!belongs(`<${service}>::record`, lock));
  assert.ok(!belongs(`<<${service} as stodrutin_service[7]::ports::Store>::Fut as core::future::Future>::poll`, lock));
  assert.ok(!belongs(`core[a]::ptr::drop_glue::<${service}>`, lock));
  assert.ok(!belongs('stodrutin[7]::ui::drafts::keep_draft::<stodrutin[7]::ui::evidence_panel::AddingDraft, F>::{closure#2}', evidence));
  // An arrow is not the end of a list of generic arguments.
  assert.ok(!belongs('stodrutin[7]::ui::case_view::f::<fn() -> stodrutin[7]::ui::lock_screen::Y>', lock));
  assert.ok(belongs('<alloc[1]::boxed::Box<dyn core::ops::Fn(&u8) -> bool> as core::ops::Drop>::drop::<stodrutin[7]::ui::lock_screen::Y>', lock));
  assert.ok(!belongs('stodrutin[7]::ui::case_view::__component_case_view::{closure#3}', evidence));
  assert.ok(belongs('stodrutin[7]::ui::case_view::__component_case_view::{closure#3}', /\bstodrutin(\[\w+\])?::ui::case_view::/));
});

test('what a feature adds is the gzip its functions and texts cost inside the whole module', () => {
  const names = ['m::f', 'stodrutin::ui::case_view::a', 'stodrutin::ui::evidence_panel::b', 'stodrutin_domain::routine::c'];
  const feature = { code: /\bstodrutin(\[\w+\])?::ui::evidence_panel::/, texts: { own: ['Lägg till', 'not in the module'], staying: [] } };
  const [result] = added(module(names), [feature]);
  assert.equal(result.functions, 1);
  assert.equal(result.textsFound, 1);
  assert.ok(result.gzip > 0, 'a 22-byte body and a text weigh something');
  assert.deepEqual(added(module(names), [{ code: /never/, texts: { own: [], staying: [] } }])[0], { functions: 0, textsFound: 0, gzip: 0 });
  // A text that is part of one staying ("Lägg till" in "Lägg till vittne") is not cut.
  assert.equal(added(module(names), [{ ...feature, texts: { own: ['Lägg till'], staying: ['Lägg till vittne'] } }])[0].textsFound, 0);
});

test('a module of over 127 functions (its count two bytes long) is rebuilt whole without them', () => {
  const count = 200;
  const many = Uint8Array.from([
    ...bytes('\0asm'), 1, 0, 0, 0,
    ...section(1, vec([[0x60, 0, 0]])),
    ...section(3, vec(Array.from({ length: count }, () => [0]))),
    ...section(10, vec(Array.from({ length: count }, (_, i) => body(i % 50)))),
    ...section(0, [...vec(bytes('name')), ...section(1, vec(Array.from({ length: count }, (_, i) => [...leb(i), ...vec(bytes(i < 150 ? `a::f${i}` : `stodrutin::ui::evidence_panel::g${i}`))])))]),
  ]);
  const none = { own: [], staying: [] };
  assert.deepEqual(added(many, [{ code: /never/, texts: none }])[0], { functions: 0, textsFound: 0, gzip: 0 });
  const [result] = added(many, [{ code: /\bstodrutin(\[\w+\])?::ui::evidence_panel::/, texts: none }]);
  assert.equal(result.functions, 50);
  assert.ok(result.gzip > 0);
});

test("a feature's texts are the interface texts only its own files use", () => {
  const { own, staying } = textsOf(FEATURES.find((f) => f.name === 'evidence').files);
  assert.ok(own.includes('Ta foto') && own.includes('Take a photo'));
  // The heading is in the import's preview and the case's outline too; Cancel is on every form.
  assert.ok(!own.includes('Bevis och vittnen') && staying.includes('Bevis och vittnen'));
  assert.ok(!own.includes('Avbryt') && staying.includes('Avbryt'));
  // i18n.rs's own messages for every screen stay too (a locked store's message).
  assert.ok(!textsOf(FEATURES.find((f) => f.name === 'the lock').files).own.includes('Stödrutin är låst'));
});
