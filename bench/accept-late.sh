#!/usr/bin/env bash
# The late acceptance alone: wrk (2 threads, 50 connections, 12 s, loopback) sending one
# clinician's acceptance of a request somebody else already took, the path most of a crowd of
# acceptances takes (the session, then one read; no lock, no write). Against any running Relais
# with the demo data:
#   bench/accept-late.sh http://127.0.0.1:3000 [request_id=4] [login=dr.martin]
# (in the demo history, request 4 was done by a colleague after Dr Martin's offer was
# withdrawn). The first answer must be "already_taken", else the script stops — that first call
# is a real acceptance: on a request still open to LOGIN, it wins it.
set -euo pipefail
command -v wrk >/dev/null || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo; $SUDO apt-get install -y -qq wrk >/dev/null; }
BASE="${1:-http://127.0.0.1:3000}"
REQUEST="${2:-4}"
LOGIN="${3:-dr.martin}"
CONNECTIONS="${RELAIS_BENCH_CONNECTIONS:-50}"
DURATION="${RELAIS_BENCH_DURATION:-12s}"
source "$(dirname "${BASH_SOURCE[0]}")/demo-login.sh"
COOKIE="$(demo_cookie "$BASE" "$LOGIN")"
BODY="{\"request_id\":$REQUEST}"
FIRST="$(curl -s -H "Cookie: $COOKIE" -H 'Content-Type: application/json' -H 'Accept: application/json' \
  -d "$BODY" "$BASE/api/offers/accept")"
[ "$FIRST" = '{"result":"already_taken"}' ] ||
  { echo "request $REQUEST was not already taken for $LOGIN (answer: $FIRST); pick another" >&2; exit 1; }
SCRIPT="$(mktemp)"
trap 'rm -f "$SCRIPT"' EXIT
cat > "$SCRIPT" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
LUA
echo "== late acceptances of request $REQUEST by $LOGIN ($CONNECTIONS connections, $DURATION)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$SCRIPT" -H "Cookie: $COOKIE" "$BASE/api/offers/accept" |
  grep -E 'Requests/sec|Latency  |50%|75%|90%|99%|Non-2xx|Socket errors'
