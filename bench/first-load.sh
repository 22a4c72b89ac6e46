#!/usr/bin/env bash
# What a phone downloads on a first visit to the login page, as a running Relais serves it:
# every /pkg file the page names (stylesheet, module, WebAssembly), fetched as Chromium asks for
# it (Accept-Encoding: br, gzip), with the encoding and the Cache-Control it came with. Every page
# names the same files, so a second page (Mes offres after logging in) adds nothing; a repeat
# visit downloads none of them again (hashed names served immutable, and the service worker:
# end2end/tests/pwa.spec.ts checks both). Run by scripts/bench.sh, or alone against any server:
#   bench/first-load.sh http://127.0.0.1:3000
set -euo pipefail
BASE="${1:-http://127.0.0.1:3000}"
total=0
for path in $(curl -sf "$BASE/connexion" | grep -oE '/pkg/[A-Za-z0-9._-]+' | sort -u); do
  IFS='|' read -r bytes encoding cache < <(curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' \
    -w '%{size_download}|%header{content-encoding}|%header{cache-control}\n' "$BASE$path")
  printf '%-48s %8d bytes  %-6s %s\n' "$path" "$bytes" "${encoding:--}" "${cache:--}"
  total=$((total + bytes))
done
printf '%-48s %8d bytes\n' "JS + WASM + CSS of a first visit" "$total"
for path in /sw.js /manifest.webmanifest; do
  printf '%-48s %8d bytes (as served)\n' "$path" "$(curl -s -o /dev/null -H 'Accept-Encoding: br, gzip' -w '%{size_download}' "$BASE$path")"
done
