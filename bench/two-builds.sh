#!/usr/bin/env bash
# Two builds of the server side by side, in one run: each serves a fresh database seeded as
# scripts/bench.sh seeds it (the demo CPTS and 500 GPs, the clock on a Monday 10:00), on
# 127.0.0.1:3201 (A) and :3202 (B), and the same load is sent to one then the other, `rounds`
# times, alternating:
#   bench/two-builds.sh BIN_A BIN_B [rounds=4] [duration=10s] [ssr|late]
# `ssr` (default): bench/ssr.sh, the SSR of *Mes offres*; `late`: bench/accept-late.sh, the late
# acceptances. BIN_A and BIN_B are `relais` binaries built as the test command builds them (copy
# target/release/relais aside before changing the code); both serve target/site.
set -euo pipefail
A="${1:?usage: bench/two-builds.sh BIN_A BIN_B [rounds] [duration] [ssr|late]}"
B="${2:?usage: bench/two-builds.sh BIN_A BIN_B [rounds] [duration] [ssr|late]}"
ROUNDS="${3:-4}"
DURATION="${4:-10s}"
LOAD="${5:-ssr}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
CLOCK_START="2026-11-23T10:00:00+01:00"
DATA="$(mktemp -d)"
PIDS=()
# Killed outright: a server told to stop drains first (a grace for the load balancer) and would
# still hold its port when the next run starts.
trap 'kill -9 "${PIDS[@]}" 2>/dev/null || true; rm -rf "$DATA"' EXIT
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
serve() { # serve NAME BIN PORT
  "$2" --database-url "sqlite://$DATA/$1.db" seed-demo --extra-clinicians 500 --clock-start "$CLOCK_START" >/dev/null
  LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn "$2" --database-url "sqlite://$DATA/$1.db" serve --demo \
    --bind "127.0.0.1:$3" --clock-start "$CLOCK_START" --max-login-failures-per-ip 100000 > "$DATA/$1.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "$2 does not answer on $3" >&2; cat "$DATA/$1.log" >&2; exit 1
}
serve a "$A" 3201
serve b "$B" 3202
for round in $(seq 1 "$ROUNDS"); do
  for build in A B; do
    port=3201; [ "$build" = B ] && port=3202
    printf 'round %s, %s: ' "$round" "$build"
    if [ "$LOAD" = late ]; then
      RELAIS_BENCH_DURATION="$DURATION" "$HERE/accept-late.sh" "http://127.0.0.1:$port"
    else
      RELAIS_SSR_DURATION="$DURATION" "$HERE/ssr.sh" "http://127.0.0.1:$port"
    fi | grep -E '^ +(50|99)%|Requests/sec|Non-2xx|Socket errors' | tr -s ' ' | tr '\n' ' '
    echo
  done
done
