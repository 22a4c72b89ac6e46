#!/usr/bin/env bash
# What the browser side weighs with only some of the pages in it: the floor that splitting the
# WebAssembly by route could reach for a visit to those pages (the shell, the router and the
# shared code are in every chunk a page needs; a page's own code would come on top).
#
#   bench/wasm-floor.sh all                       # every route: the WASM as built today
#   bench/wasm-floor.sh /connexion / /offres      # only these routes of app/src/ui/mod.rs
#   bench/wasm-floor.sh                           # no page at all: the shell alone
#   bench/wasm-floor.sh --islands                 # Leptos' islands mode with no island yet:
#                                                 # the runtime every islands page would carry
#   bench/wasm-floor.sh --islands LoginPage InboxPage   # ...with these pages, whole, as islands
#
# Builds, in a temporary git worktree of HEAD (the working tree is not touched), the hydrate
# WASM as cargo-leptos does for a release (profile wasm-release, wasm-bindgen, wasm-opt -Oz)
# with the other <Route> lines removed, and prints its size raw, after wasm-opt, and brotli -q 11
# (what `--precompress` sends). About 2 to 4 minutes a run on two cores once the dependencies
# are built. Needs what scripts/setup.sh installs (wasm-bindgen, wasm-opt, brotli).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cache/relais-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The values cargo-leptos compiles in (the same as scripts/test.sh), and the workspace's target
# folder, so that the dependencies are built once.
export LEPTOS_OUTPUT_NAME=relais LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server \
  LEPTOS_JS_MINIFY=true LEPTOS_HASH_FILES=true
export CARGO_TARGET_DIR="$ROOT/target"

WORK="$(mktemp -d)"
cleanup() { git -C "$ROOT" worktree remove --force "$WORK/tree" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --quiet --detach "$WORK/tree" HEAD

if [ "${1:-}" = "--islands" ]; then
  # The islands build: components render on the server only, `hydrate_islands` wakes the
  # #[island] ones (none, or the pages named after --islands), the router stays on the server.
  sed -i 's/^leptos = { version = "0.8.23" }/leptos = { version = "0.8.23", features = ["islands"] }/' "$WORK/tree/Cargo.toml"
  sed -i 's/leptos::mount::hydrate_body(App);/leptos::mount::hydrate_islands();/' "$WORK/tree/app/src/lib.rs"
  grep -q 'features = \["islands"\]' "$WORK/tree/Cargo.toml" && grep -q hydrate_islands "$WORK/tree/app/src/lib.rs"
  shift
  python3 - "$WORK/tree/app/src" "$@" <<'EOF'
import pathlib, re, sys
src, names = pathlib.Path(sys.argv[1]), sys.argv[2:]
for name in names:
    found = False
    for f in src.rglob("*.rs"):
        text = f.read_text()
        new = re.sub(r"#\[component\](\s*pub fn " + name + r"\()", r"#[island]\1", text)
        if new != text:
            f.write_text(new)
            found = True
    if not found:
        sys.exit(f"no #[component] pub fn {name}")
    print(f"island: {name}")
EOF
elif [ "${1:-}" != "all" ]; then
  python3 - "$WORK/tree/app/src/ui/mod.rs" "$@" <<'EOF'
import re, sys
path, keep = sys.argv[1], set(sys.argv[2:])
lines = open(path).read().split("\n")
out = []
for line in lines:
    m = re.search(r'<Route path=path!\("([^"]*)"\)', line)
    if m and m.group(1) not in keep:
        continue
    out.append(line)
if not any('<Route path=' in l for l in out):
    # The router needs one route: a page that draws one word.
    i = next(i for i, l in enumerate(out) if "</Routes>" in l)
    out.insert(i, '                <Route path=path!("/connexion") view=|| "Relais"/>')
open(path, "w").write("\n".join(out))
EOF
fi
printf 'routes kept: %s\n' "$(grep -o 'path!("[^"]*")' "$WORK/tree/app/src/ui/mod.rs" | sed 's/path!("\(.*\)")/\1/' | tr '\n' ' ')"

(cd "$WORK/tree" && cargo build --quiet -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate 2>/dev/null)
wasm-bindgen --target web --out-dir "$WORK/pkg" --out-name relais \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/app.wasm"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int -o "$WORK/pkg/opt.wasm" "$WORK/pkg/relais_bg.wasm"
brotli -q 11 -f -o "$WORK/pkg/opt.wasm.br" "$WORK/pkg/opt.wasm"
printf 'WASM: %d bytes from wasm-bindgen, %d after wasm-opt -Oz, %d brotli\n' \
  "$(stat -c%s "$WORK/pkg/relais_bg.wasm")" "$(stat -c%s "$WORK/pkg/opt.wasm")" "$(stat -c%s "$WORK/pkg/opt.wasm.br")"
