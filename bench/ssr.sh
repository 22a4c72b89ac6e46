#!/usr/bin/env bash
# Server-side rendering under load: wrk (2 threads, 50 connections, 20 s, loopback) on a page
# drawn for a logged-in member — *Mes offres* of dr.martin by default — with the latency
# distribution (p50 … p99). Run by scripts/bench.sh, or alone against any running Relais:
#   bench/ssr.sh http://127.0.0.1:3000 [path=/offres] [login=dr.martin]
# RELAIS_SSR_ENCODING sets the Accept-Encoding sent (default "br, gzip"; Chromium sends "gzip,
# deflate, br, zstd", which is answered in zstd; "identity": none) to see what compressing the
# page as it is sent costs; the line before wrk's says what was sent and its size.
# Then, to compare in the same conditions with another server (another app's page, no login),
# give its full address: bench/ssr.sh --bare http://127.0.0.1:3001/
# wrk comes from Debian (installed here when missing).
set -euo pipefail
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo; $SUDO apt-get install -y -qq wrk >/dev/null; }
CONNECTIONS="${RELAIS_SSR_CONNECTIONS:-50}"
DURATION="${RELAIS_SSR_DURATION:-20s}"
run() {
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" | grep -E 'Requests/sec|Latency  |50%|75%|90%|99%|Non-2xx|Socket errors'
}
if [ "${1:-}" = "--bare" ]; then
  URL="$2"
  echo "== $URL ($CONNECTIONS connections, $DURATION)"
  run -H 'Accept: text/html' "$URL"
  exit 0
fi
BASE="${1:-http://127.0.0.1:3000}"
PAGE="${2:-/offres}"
LOGIN="${3:-dr.martin}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-login.sh"
COOKIE="$(demo_cookie "$BASE" "$LOGIN")"
# The page as served: it must be the member's page, not a redirect to the login page.
curl -sf -H "Cookie: $COOKIE" -H 'Accept: text/html' "$BASE$PAGE" | grep -q 'class="who"' ||
  { echo "$PAGE is not drawn for $LOGIN" >&2; exit 1; }
ENCODING="${RELAIS_SSR_ENCODING:-br, gzip}"
SENT="$(curl -sf -H "Cookie: $COOKIE" -H 'Accept: text/html' -H "Accept-Encoding: $ENCODING" -D - -o /dev/null "$BASE$PAGE" |
  tr -d '\r' | awk -F': ' 'tolower($1) == "content-encoding" { e = $2 } END { print (e == "" ? "identity" : e) }')"
BYTES="$(curl -sf -H "Cookie: $COOKIE" -H 'Accept: text/html' -H "Accept-Encoding: $ENCODING" "$BASE$PAGE" | wc -c)"
echo "== $PAGE for $LOGIN ($CONNECTIONS connections, $DURATION, Accept-Encoding: $ENCODING: sent $SENT, $BYTES bytes)"
run -H "Cookie: $COOKIE" -H 'Accept: text/html' -H "Accept-Encoding: $ENCODING" "$BASE$PAGE"
