#!/usr/bin/env bash
# Makes the upgrade fixture: a demo database with some use, written as the previous schema holds it
# (server/tests/fixtures/upgrade/README.md). Usage: scripts/upgrade-fixture.sh LAST_MIGRATION
# with the release binary built (target/release/relais).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAST="${1:?give the last migration of the previous schema, e.g. 20261207000000}"
RELAIS="$ROOT/target/release/relais"
WORK="$(mktemp -d)"
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"' EXIT
DB="sqlite://$WORK/relais.db"
START="2026-11-23T10:00:00+01:00"
"$RELAIS" --database-url "$DB" seed-demo --clock-start "$START" >/dev/null
LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn "$RELAIS" --database-url "$DB" serve --demo \
  --bind 127.0.0.1:3390 --clock-start "$START" >"$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:3390/healthz >/dev/null && break; sleep 0.2; done
call() { # call JAR ENDPOINT JSON
  curl -sf -b "$WORK/$1" -c "$WORK/$1" -H 'Accept: application/json' -H 'Content-Type: application/json' \
    -d "$3" "http://127.0.0.1:3390/api/$2"
}
login() { call "$1" auth/login "{\"email\":\"$1@demo.relais.test\",\"password\":\"relais-demo\"}" >/dev/null; }
login coordination
login dr.martin
FORM='{"form":{"motive":"fever","profession":"gp","patient_name":"Lucie","age_band":"16-64","callback_phone":"06 12 34 56 78","commune":"Rennes","teleconsult_ok":"on","deadline":"today","source":"patient_call","treating_member_id":"","note":""}}'
ID="$(call coordination requests/create "$FORM")"
call coordination requests/push "{\"request_id\":$ID}" >/dev/null
call dr.martin offers/accept "{\"request_id\":$ID}" >/dev/null
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
python3 "$ROOT/scripts/upgrade-fixture.py" "$WORK/relais.db" "$LAST" "$ROOT/server/tests/fixtures/upgrade/$LAST.sql"
