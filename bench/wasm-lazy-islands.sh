#!/usr/bin/env bash
# What lazy islands would send: every `#[island]` made `#[island(lazy)]` (each island's code a
# part of the WebAssembly of its own, fetched when a page shows it), built with `cargo leptos
# build --release --precompress --split` in a temporary git worktree of HEAD (the working tree
# is not touched). Prints, from the split manifest, what a first visit to the login page, then to
# *Mes offres*, would download (bytes of brotli, as served; files), and each island's parts.
# About 4 minutes on two cores (more the first time: its own target folder). Needs what
# scripts/setup.sh installs.
#
#   bench/wasm-lazy-islands.sh
set -euo pipefail
source "$(dirname "$0")/split-worktree.sh"
n=$(grep -rl '^#\[island\]$' "$WORK/tree/app/src" | xargs sed -i 's/^#\[island\]$/#[island(lazy)]/' && grep -rc '^#\[island(lazy)\]$' "$WORK/tree/app/src" | awk -F: '{ s += $2 } END { print s }')
echo "$n islands made lazy"

(cd "$WORK/tree" && cargo leptos build --release --precompress --frontend-only --split > "$WORK/build.log" 2>&1) \
  || { tail -30 "$WORK/build.log"; exit 1; }

python3 - "$WORK/tree/target/site/pkg" <<'PY'
import glob, json, os, sys
os.chdir(sys.argv[1])
manifest = json.load(open(glob.glob("__wasm_split_manifest.*.json")[0]))
br = lambda files: sum(os.path.getsize(f + ".br") for f in files)
fixed = [f for f in glob.glob("relais.*") if f.endswith((".js", ".wasm", ".css"))] + glob.glob("__wasm_split.*.js")
def parts(*islands):
    return set().union(*[{c + ".wasm" for c in v} for k, v in manifest.items() if k.startswith(islands)])
print(f"main module, its JS, the parts' loader and the CSS: {br(fixed)} bytes in {len(fixed)} files")
login = parts("passkey_login")
offers = parts("live_dot", "network_watch", "mark_seen", "notification_card")
print(f"login page: + {br(login)} bytes in {len(login)} parts")
print(f"then Mes offres: + {br(offers - login)} bytes in {len(offers - login)} parts")
both = login | offers
print(f"a first visit, login then Mes offres: {br(fixed) + br(both)} bytes in {len(fixed) + len(both)} files")
for island, chunks in sorted(manifest.items()):
    print(f"  {island.rsplit('_loader', 1)[0]:<22} {len(chunks):>3} parts {br({c + '.wasm' for c in chunks}):>8} bytes")
PY
