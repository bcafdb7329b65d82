# Stödrutin. `make serve` and `make test` work on a fresh Debian machine: each installs what is
# missing first (tools/setup.sh), then builds.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080

.PHONY: all setup setup-test dist serve test lint test-native test-wasm test-e2e check-size bench clean

all: dist

setup:
	bash tools/setup.sh build

setup-test:
	bash tools/setup.sh test

## The release build in dist/, ready for any static HTTPS host, with a .br and a .gz copy of
## every text and wasm file for hosts that serve precompressed files.
# `erase_components`: Leptos type-erases every component's view (one shared type instead of one
# monomorphised tree per component): 19 % less gzipped wasm here (505,634 → 410,211 bytes), every
# test passing on it. Release only: the tests and clippy build without it.
# The release alone is built on a dated nightly (NIGHTLY in tools/setup.sh, which installs it with
# rust-src), for levers stable lacks, through cargo's environment only (a .cargo/config.toml would
# reach the stable builds): the standard library compiled with the app (-Zbuild-std) and with
# panic = "immediate-abort" (a panic traps at once, with no message: the app already aborts on one),
# no file and line for panics (-Zlocation-detail=none), and `{:?}` printing nothing
# (-Zfmt-debug=none; the app shows no Debug text, only a storage or share failure's detail loses
# it). 9.5 % less gzipped wasm (453,770 → 410,449 bytes), every test passing on it. Lever by lever
# (measured before the routine packs, on 414,517 bytes): the newer compiler alone 404,338,
# -Zbuild-std 398,600, immediate-abort 375,956, location-detail 375,925 (next to nothing once
# panics carry no message), fmt-debug 372,565. Measured and not worth it: opt-level "s" (429,610),
# and wasm-opt -Os, --converge, -Oz twice, --gufa or -O3 instead of -Oz (372,595 to 374,117).
# The standard library is also built with its `optimize_for_size` feature (the smaller of its
# sorting and formatting algorithms): 1.4 % less (455,879 → 449,473 bytes). Measured and not taken:
# -Zinline-mir=no (+137 bytes), wasm-opt --merge-similar-functions (none) and --flatten --rereloop
# (−0.4 %, not worth code of another shape);
# -Zvirtual-function-elimination does not build with -Zbuild-std here.
#
# ROUTINES: the routine packs the build ships, in the order "Nytt ärende" offers them (one: no
# choice is shown); of two versions of one routine only the newest is offered, the older kept so
# the cases and case files under it open. Changing it needs no new wasm: the packs are files
# beside it.
ROUTINES ?= routines/oxelosund-2018-06-13-v2.json routines/oxelosund-2018-06-13.json
NIGHTLY := $(shell sed -n 's/^NIGHTLY=//p' tools/setup.sh)
dist: setup
	RUSTUP_TOOLCHAIN=$(NIGHTLY) \
	CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
	CARGO_UNSTABLE_PANIC_IMMEDIATE_ABORT=true CARGO_PROFILE_RELEASE_PANIC=immediate-abort \
	RUSTFLAGS="--cfg erase_components -Zlocation-detail=none -Zfmt-debug=none" \
	trunk build --release
	node tools/packs.mjs dist $(ROUTINES)
	node tools/postbuild.mjs dist
	node tools/compress.mjs dist

serve: dist
	node tools/serve.mjs dist $(PORT)

## Every test layer, stopping at the first failure.
test: setup-test lint check-packs test-native test-wasm dist check-size test-e2e
# The WebKit tests after the Chromium ones (prerequisites of a second rule line come after).
test: test-webkit

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings

## Every crate's native tests: domain, age (with the official vectors), service, and the app's.
test-native:
	cargo test --workspace

## The app crate's browser tests (wasm-bindgen-test in headless Chromium).
test-wasm:
	cargo test -p stodrutin --target wasm32-unknown-unknown

test-e2e:
	node --test --test-concurrency=1 --test-timeout=120000 tests/e2e/

## The end-to-end tests on Safari's engine: WebKitGTK's MiniBrowser through WebKitWebDriver (W3C
## WebDriver) under Xvfb, on the build in dist/.
.PHONY: test-webkit
test-webkit:
	node --test --test-concurrency=1 --test-timeout=120000 tests/webkit/

## The wasm's gzip size against its budget in size-budget.json (on the build in dist/), and the
## tests of the size tools.
check-size:
	node tools/check-size.mjs
	node --test tests/tools/

## The routine packs against docs/routine-pack.schema.json: every pack in routines/ matches it, and
## each broken pack in tests/fixtures/routine-packs/ is judged as its expected.json says.
check-packs:
	node tools/check-pack-schema.mjs

## One routine pack through the app's own checks, for its authors:
##   make check-routine FILE=routines/min-kommun.json
## Prints each problem as `<place>: <problem>` (and fails), or `ok: …` with the pack's SHA-256.
check-routine:
	@test -n "$(FILE)" || { echo "usage: make check-routine FILE=routines/<pack>.json" >&2; exit 2; }
	cargo run -q -p stodrutin-domain --example check-routine -- $(FILE)

.PHONY: check-packs check-routine

clean:
	rm -rf dist target/bench.json

## Size, start-up and scale figures of the release build (prints a table, writes target/bench.json).
bench: setup-test dist
	node bench/bench.mjs
