#!/usr/bin/env bash
# What a phone downloads on a first visit to the login page, then to *Mes offres* once logged in
# (a demo clinician), as a running Relais serves it: every /pkg file Chromium fetched (the
# stylesheet, the module, the main WebAssembly and the parts of it the pages' islands load), with
# its size as received, its encoding and its Cache-Control (bench/first-load.mjs, Playwright
# from end2end/). A repeat visit downloads none of them again (hashed names served immutable,
# and the service worker: end2end/tests/pwa.spec.ts checks both). Run by scripts/bench.sh, or
# alone against any server started with --demo:
#   bench/first-load.sh http://127.0.0.1:3000
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BASE="${1:-http://127.0.0.1:3000}"
if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund >/dev/null)
fi
node "$ROOT/bench/first-load.mjs" "$BASE" "${2:-dr.martin}"
for path in /sw.js /manifest.webmanifest; do
  printf '%-70s %8d bytes (as served)\n' "$path" "$(curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "$BASE$path")"
done
