#!/usr/bin/env bash
# The one command that runs every test of Relais: formatting and lints, domain unit and property
# tests, the store contract on SQLite and PostgreSQL, the HTTP and live-stream tests, then the
# Playwright suite in Chromium at a phone viewport against the release build.
# Installs what is missing first (see scripts/setup.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

# Each step says how long the command has run so far.
step() { printf '\n\033[1;32m== %s\033[0m (at %d min %02d s)\n' "$*" $((SECONDS / 60)) $((SECONDS % 60)); }

step "format"
cargo fmt --all -- --check

step "known vulnerabilities in the lock file (cargo audit, RustSec advisory database)"
# The database is a git repository (github.com/rustsec/advisory-db), refreshed here when
# reachable; without a network it is read as last fetched, and its date is printed. A machine
# that has never fetched it says so loudly: that check did not run.
ADVISORY_DB="${RELAIS_ADVISORY_DB:-$HOME/.cargo/advisory-db}"
if [ -d "$ADVISORY_DB/crates" ]; then
  if timeout 20 git -C "$ADVISORY_DB" pull --quiet --ff-only 2>/dev/null; then
    echo "advisory database refreshed"
  else
    echo "advisory database not refreshed (offline): as of $(git -C "$ADVISORY_DB" log -1 --format=%cs)"
  fi
  cargo audit --db "$ADVISORY_DB" --no-fetch --stale
elif timeout 20 git clone --quiet --depth 1 https://github.com/rustsec/advisory-db "$ADVISORY_DB" 2>/dev/null; then
  cargo audit --db "$ADVISORY_DB" --no-fetch
else
  printf '\033[1;31mSKIPPED: the RustSec advisory database cannot be fetched from here and no copy is at %s\033[0m\n' "$ADVISORY_DB"
fi

# The same LEPTOS_* values cargo-leptos compiles into its server, so that the release binary built
# with the tests below serves the site exactly as `cargo leptos build --release --precompress
# --split` would.
export LEPTOS_OUTPUT_NAME=relais LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true
LOGS="$(mktemp -d)"

# The WebAssembly (its main module, and the parts of the islands few pages show), the CSS and the
# assets, as `cargo leptos build --release --precompress --split` makes them (hashed names, brotli
# and gzip copies), while the lints and the server build run. Its long single-threaded end
# (link-time optimisation) then overlaps their work. The server binary comes from the test build:
# one release build of the server and its dependencies serves both the Rust tests and the browser
# tests (cargo-leptos would build it a second time with the binary's features alone).
step "release build of the browser side (WebAssembly, CSS, assets), in the background"
cargo leptos build --release --precompress --split --frontend-only > "$LOGS/front.log" 2>&1 &
FRONT_PID=$!
trap 'kill "$FRONT_PID" 2>/dev/null || true' EXIT

step "lints"
cargo clippy --release --workspace --all-targets -- -D warnings
cargo clippy --release -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

# app and server in one invocation: their dependencies are resolved with one set of features,
# so they are compiled once, and the release `relais` binary the browser tests serve is built
# on the way (target/release/relais).
TESTS=(--release -p app -p server --features app/ssr)
step "release build of the server and the tests"
cargo test "${TESTS[@]}" --no-run

step "the browser side's build"
front_status=0
wait "$FRONT_PID" || front_status=$?
cat "$LOGS/front.log"
if [ "$front_status" -ne 0 ]; then
  printf '\033[1;31mFAILED: the browser side did not build (exit %s)\033[0m\n' "$front_status"
  exit 1
fi
if [ ! -d end2end/node_modules/@playwright/test ] || [ ! -d end2end/node_modules/fhirpath ]; then
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi

# Two independent groups at once (each has its own databases, ports and servers): the Rust tests
# (unit, property, store contract on SQLite + PostgreSQL, HTTP, live) and the browser tests
# (Playwright, Chromium, phone viewport, against the release server on a fresh database). Each
# group's output is printed whole once both are done.
step "unit, property, store contract (SQLite + PostgreSQL), HTTP and live tests — and, at the same time, the browser tests (Playwright, Chromium, phone viewport)"
cargo test "${TESTS[@]}" > "$LOGS/rust.log" 2>&1 &
RUST_PID=$!
( cd end2end && RELAIS_E2E_LOG="$LOGS/e2e-server.log" npx playwright test ) > "$LOGS/browser.log" 2>&1 &
BROWSER_PID=$!
rust_status=0; browser_status=0
wait "$RUST_PID" || rust_status=$?
wait "$BROWSER_PID" || browser_status=$?
printf '\n\033[1;32m== Rust tests (exit %s)\033[0m\n' "$rust_status"; cat "$LOGS/rust.log"
printf '\n\033[1;32m== browser tests (exit %s)\033[0m\n' "$browser_status"; cat "$LOGS/browser.log"
step "the server's log of the browser tests: JSON lines, no patient's phone or note"
logs_status=0
python3 scripts/check-logs.py "$LOGS/e2e-server.log" || logs_status=$?
rm -rf "$LOGS"
if [ "$rust_status" -ne 0 ] || [ "$browser_status" -ne 0 ] || [ "$logs_status" -ne 0 ]; then
  printf '\033[1;31mFAILED: Rust tests exit %s, browser tests exit %s, log check exit %s\033[0m\n' \
    "$rust_status" "$browser_status" "$logs_status"
  exit 1
fi
step "all tests passed"
