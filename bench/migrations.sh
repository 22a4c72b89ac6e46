#!/usr/bin/env bash
# How long the migrations newer than the previous schema take on a year of a large CPTS (the
# indicators benchmark's year: 50,000 requests with their offers, 500 members, duties, dental
# referrals, slots, teleconsultations), on SQLite and PostgreSQL. Run by hand:
#   bench/migrations.sh [LAST_MIGRATION_OF_THE_PREVIOUS_SCHEMA]    (default 20261207000000)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
PREVIOUS="${1:-20261207000000}"
export LEPTOS_OUTPUT_NAME=relais LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg \
  LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server
cargo build --release -p bench
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
target/release/relais-indicators-bench --write-year-to "$WORK/year.db"
python3 scripts/upgrade-fixture.py "$WORK/year.db" "$PREVIOUS" "$WORK/year.sql"
target/release/relais-migrations-bench --year "$WORK/year.sql" --previous "$PREVIOUS" "${@:2}"
