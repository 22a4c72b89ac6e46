#!/usr/bin/env bash
# Measures dispatch under load, the SAS's slot search, the Indicateurs page over a generated
# year, and what a phone downloads first. Builds the release app, serves it on loopback with a
# fresh SQLite database holding N extra GPs on duty, runs bench/ (live streams, push latency,
# concurrent accepts, the SAS), reports the bytes of JS, WASM and CSS a first visit downloads as
# served (bench/first-load.sh), the SSR of Mes offres under wrk (bench/ssr.sh), Lighthouse on
# four pages (bench/lighthouse.sh), then the
# Indicateurs bench. Usage: scripts/bench.sh [N=500] [dispatch]: with `dispatch`, only the first
# part (live streams, push, Web Push, concurrent accepts, vacations).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
N="${1:-500}"
ONLY="${2:-all}"
PORT="${RELAIS_BENCH_PORT:-3200}"
cargo leptos build --release --precompress --split
cargo build --release -p bench
DATA="$(mktemp -d)"
DB="sqlite://$DATA/bench.db"
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
CLOCK_START="2026-11-23T10:00:00+01:00"
target/release/relais --database-url "$DB" seed-demo --extra-clinicians "$N" --clock-start "$CLOCK_START" >/dev/null
LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn target/release/relais --database-url "$DB" serve --demo \
  --bind "127.0.0.1:$PORT" --clock-start "$CLOCK_START" --max-login-failures-per-ip 100000 --push-allow-loopback &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "== dispatch with $N clinicians (SQLite, release, loopback)"
target/release/relais-bench --base "http://127.0.0.1:$PORT" --clinicians "$N"
[ "$ONLY" = dispatch ] && exit 0
echo "== the SAS's slot search (FHIR): a month of slots for 300 GPs, 25 RPPS per call"
target/release/relais-sas-bench --base "http://127.0.0.1:$PORT" --database-url "$DB" --clinicians $(( N < 300 ? N : 300 ))
echo "== what a phone downloads on a first visit, as served"
bench/first-load.sh "http://127.0.0.1:$PORT"
echo "== server-side rendering of Mes offres under load (wrk, 50 connections, loopback)"
bench/ssr.sh "http://127.0.0.1:$PORT"
echo "== Lighthouse (mobile, Debian's Chromium): performance, accessibility, best practices"
bench/lighthouse.sh "http://127.0.0.1:$PORT"
echo "== the Indicateurs page over a generated year (50,000 requests, 500 members), SQLite and PostgreSQL"
target/release/relais-indicators-bench --requests 50000 --members 500 --postgres "${RELAIS_BENCH_POSTGRES:-postgres://root@127.0.0.1:5432/test}"
