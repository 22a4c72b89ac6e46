#!/usr/bin/env bash
# The islands build of Relais (feature `islands`): the pages are drawn on the server only and the
# browser wakes only the #[island] parts, so that it downloads a small WebAssembly. Built in its
# own folder (target/islands) beside the default build, which hydrates the whole app.
#
#   scripts/islands.sh                   # builds it, prints what the browser downloads (brotli)
#   scripts/islands.sh test [args…]      # …then runs the browser tests against it (args go to
#                                        #   Playwright: a file, --grep, …)
#   scripts/islands.sh serve             # …then serves it with the demo data on 127.0.0.1:3000
#
# Needs what scripts/setup.sh installs. The first build takes about 15 minutes on two cores.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cache/relais-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="$ROOT/target/islands"
export LEPTOS_OUTPUT_NAME=relais LEPTOS_SITE_ROOT="$CARGO_TARGET_DIR/site" LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true

cargo leptos build --release --precompress --frontend-only --lib-features hydrate,islands
cargo build --release -p server --features app/ssr,app/islands
printf 'islands build: %s\n' "$CARGO_TARGET_DIR/release/relais"
for f in "$LEPTOS_SITE_ROOT"/pkg/*.br; do
  printf '  %-40s %8d bytes brotli\n' "$(basename "$f" .br)" "$(stat -c%s "$f")"
done

case "${1:-}" in
  test)
    shift
    cd end2end
    RELAIS_E2E_BIN="$CARGO_TARGET_DIR/release/relais" RELAIS_E2E_SITE="$LEPTOS_SITE_ROOT" npx playwright test "$@"
    ;;
  serve)
    exec "$CARGO_TARGET_DIR/release/relais" --database-url "sqlite://$CARGO_TARGET_DIR/demo.db" serve --demo
    ;;
esac
