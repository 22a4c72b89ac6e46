#!/usr/bin/env bash
# Serves the release build on a fresh demo database for the browser tests (started by Playwright).
# The clock starts on a Monday at 10:00 in Paris: opening hours, whatever the real time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-3100}"
# The local Pro Santé Connect the tests start (end2end/oidc/psc-provider.mjs), with its test client.
PSC_PORT="${2:-3200}"
DATA="$(mktemp -d)"
cd "$ROOT"
# Another build can be served instead: its binary and its site.
BIN="${RELAIS_E2E_BIN:-$ROOT/target/release/relais}"
export LEPTOS_SITE_ROOT="${RELAIS_E2E_SITE:-$ROOT/target/site}"
# The log as a log collector reads it (JSON lines), kept where the test command asks: it checks
# that no patient's phone or note is in it (scripts/check-logs.py).
if [ -n "${RELAIS_E2E_LOG:-}" ]; then
  exec >>"$RELAIS_E2E_LOG" 2>&1
fi
exec "$BIN" --log-format json --database-url "sqlite://$DATA/e2e.db" serve \
  --demo --bind "127.0.0.1:$PORT" --clock-start "2026-11-23T10:00:00+01:00" --tick-seconds 2 \
  --psc-issuer "http://localhost:$PSC_PORT" --psc-client-id relais-e2e --psc-client-secret secret-de-test-psc
