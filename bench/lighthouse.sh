#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`, its default mobile run: a throttled mid-range phone on a slow 4G)
# in Debian's Chromium, on the login page, a clinician's Mes offres and Mes gardes, and the
# coordinator's board, as a running Relais serves them (the demo accounts: `--demo`). Prints the
# performance, accessibility and best-practices scores with the largest paint, the layout shift
# and the blocking time of each page. Run by scripts/bench.sh, or alone against any server:
#   bench/lighthouse.sh http://127.0.0.1:3000
set -euo pipefail
BASE="${1:-http://127.0.0.1:3000}"
TOOLS="${RELAIS_TOOLS:-$HOME/.cache/relais-tools}"
LIGHTHOUSE_VERSION=12.8.2 # 13 needs Node.js 22
if [ ! -x "$TOOLS/node_modules/.bin/lighthouse" ] ||
  ! grep -q "\"version\": \"$LIGHTHOUSE_VERSION\"" "$TOOLS/node_modules/lighthouse/package.json" 2>/dev/null; then
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi
export CHROME_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# A session cookie for a demo account (the login's JSON answer sets it).
session() {
  curl -s -o /dev/null -c - -H 'accept: application/json' -H 'content-type: application/json' \
    -d "{\"email\":\"$1@demo.relais.test\",\"password\":\"relais-demo\"}" "$BASE/api/auth/login" |
    awk '$6 == "relais_session" { print $6 "=" $7 }'
}

run() { # name, path, cookie
  local headers='{}'
  [ -n "$3" ] && headers="{\"Cookie\": \"$3\"}"
  "$TOOLS/node_modules/.bin/lighthouse" "$BASE$2" --quiet --output=json --output-path="$OUT/$1.json" \
    --only-categories=performance,accessibility,best-practices --extra-headers="$headers" \
    --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>&1
  node -e '
    const r = require(process.argv[1]);
    const s = (c) => Math.round(r.categories[c].score * 100);
    const a = (id) => r.audits[id].displayValue;
    console.log([process.argv[2].padEnd(28), "performance", s("performance"), " accessibility", s("accessibility"),
      " best practices", s("best-practices"), " | LCP", a("largest-contentful-paint"), " CLS", a("cumulative-layout-shift"),
      " TBT", a("total-blocking-time")].join(" "));
  ' "$OUT/$1.json" "$1 ($2)"
}

clinician="$(session dr.martin)"
coordinator="$(session coordination)"
[ -n "$clinician" ] && [ -n "$coordinator" ] || { echo "cannot log in the demo accounts at $BASE" >&2; exit 1; }
run login /connexion ""
run offers /offres "$clinician"
run vacations /gardes "$clinician"
run board /coordination "$coordinator"
