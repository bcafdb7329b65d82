#!/usr/bin/env bash
# Installs whatever the project needs and is missing; skips what is there. Safe to run again.
#   tools/setup.sh build   the toolchain to build and serve the app
#   tools/setup.sh test    that, plus Chromium, chromedriver and age for the test layers
#                          (and WebKitGTK's WebKitWebDriver, Xvfb and xauth for the WebKit tests)
set -euo pipefail
cd "$(dirname "$0")/.."

want=${1:-build}
TRUNK_VERSION=0.21.14
# The release build's toolchain (the Makefile's dist target reads this line): a dated nightly, for
# the standard library rebuilt for size. Everything else (tests, clippy) builds on stable.
NIGHTLY=nightly-2026-10-30
# wasm-bindgen-cli must match the wasm-bindgen that Cargo.lock names, to the patch.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

if ! rustup component list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -q '^rust-src' ||
   ! rustup target list --toolchain "$NIGHTLY" --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "installing $NIGHTLY with rust-src and the wasm32 target (for the release build)"
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi
# The standard library's own dependencies, which -Zbuild-std compiles: Trunk runs cargo offline.
std_manifest="$(rustc "+$NIGHTLY" --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if ! cargo "+$NIGHTLY" fetch --offline --quiet --manifest-path "$std_manifest" 2>/dev/null; then
  say "fetching the crates of $NIGHTLY's standard library"
  cargo "+$NIGHTLY" fetch --quiet --manifest-path "$std_manifest"
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 15 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ] ||
   ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # Not --locked: its lock file names a crate version the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ "$want" = test ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  command -v age >/dev/null || missing+=(age)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  # The WebKit tests: WebKitGTK's WebDriver (it brings MiniBrowser) and a virtual X display.
  webkit=()
  [ -x /usr/bin/WebKitWebDriver ] || webkit+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || webkit+=(xvfb)
  command -v xauth >/dev/null || webkit+=(xauth)
  if [ ${#webkit[@]} -gt 0 ]; then
    say "installing ${webkit[*]} from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${webkit[@]}"
  fi
fi
say "ready"
