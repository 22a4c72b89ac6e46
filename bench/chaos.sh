#!/usr/bin/env bash
# Chaos, measured: a steady load of pushes and acceptances (bench/src/chaos.rs) while
#   (a) one of two `relais serve` on one PostgreSQL, behind HAProxy, is killed with kill -9;
#   (b) PostgreSQL is stopped for 30 s, then started again;
#   (c) the disk of the SQLite file fills up for 15 s, then space comes back;
#   (r) a rolling restart: each of the two servers behind HAProxy is stopped with SIGTERM and
#       started again, one after the other; here no call may fail at all (--strict).
# After each: no acceptance answered "won" is lost, no request has two winners, live streams are
# back, queued Web Push rows are delivered once; meanwhile the servers answered (503 in JSON
# while the database was away, never a hang). Run by hand, as root (it starts its own PostgreSQL
# as the postgres user, mounts a small tmpfs and installs haproxy from Debian if missing):
#   bench/chaos.sh [a|b|c|r ...]   (all four by default; about 7 minutes after the build)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
SCENARIOS=("${@:-a b c r}")
read -r -a SCENARIOS <<<"${SCENARIOS[*]}"

command -v haproxy >/dev/null || apt-get install -y -q haproxy >/dev/null
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
cargo leptos build --release --split
cargo build --release -p bench

WORK="$(mktemp -d /tmp/relais-chaos.XXXXXX)"
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  # The servers' logs stay for reading: ${TMPDIR:-/tmp}/relais-chaos-logs/
  mkdir -p "${TMPDIR:-/tmp}/relais-chaos-logs" && cp "$WORK"/*.log "${TMPDIR:-/tmp}/relais-chaos-logs/" 2>/dev/null || true
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
  [ -f "$WORK/pg/postmaster.pid" ] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
  mountpoint -q "$WORK/disk" 2>/dev/null && umount -l "$WORK/disk"
  rm -rf "$WORK"
}
trap cleanup EXIT
ulimit -n 65536 2>/dev/null || ulimit -n 4096

CLOCK_START="2026-11-23T10:00:00+01:00"   # a Monday morning: dispatch is open
CLINICIANS=30
LB=3300 A=3301 B=3302 PG_PORT=5499
RELAIS="$ROOT/target/release/relais"

serve() { # serve PORT DATABASE_URL LOG: one `relais serve`, in the background
  LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn "$RELAIS" --database-url "$2" serve --demo \
    --bind "127.0.0.1:$1" --clock-start "$CLOCK_START" --max-login-failures-per-ip 100000 --push-allow-loopback \
    --drain-seconds 3 >"$3" 2>&1 &
  PIDS+=($!)
  LAST_PID=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/readyz" >/dev/null && return; sleep 0.2; done
  echo "server on $1 did not start:"; cat "$3"; exit 1
}
pg() { runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pglog/server.log" -w "$@" >/dev/null; }
load() { # load BASE DATABASE_URL SECONDS [--strict]
  "$ROOT/target/release/relais-chaos" --base "$1" --database-url "$2" --seconds "$3" --clinicians "$CLINICIANS" "${@:4}" \
    || FAILED+=("$SCENARIO")
}
restart() { # restart NAME PORT PID: SIGTERM, wait for the exit, start again (pid in $WORK/NAME.pid)
  local t0=$SECONDS
  kill -TERM "$3"
  while kill -0 "$3" 2>/dev/null; do sleep 0.1; done
  echo "   server $1 stopped $((SECONDS - t0)) s after SIGTERM; starting it again"
  LEPTOS_SITE_ROOT="$ROOT/target/site" RUST_LOG=warn "$RELAIS" --database-url "$PG_URL" serve --demo \
    --bind "127.0.0.1:$2" --clock-start "$CLOCK_START" --max-login-failures-per-ip 100000 --push-allow-loopback \
    --drain-seconds 3 >>"$WORK/$1.log" 2>&1 &
  echo $! >"$WORK/$1.pid"
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$2/readyz" >/dev/null && break; sleep 0.2; done
  echo "   server $1 ready again"
}
at() { # at SECONDS COMMAND...: runs the fault at that second of the load
  local s=$1; shift
  (sleep "$s"; echo "   [t = ${s} s] $*"; eval "$@") &
  FAULTS+=($!)
}
settle() { wait "${FAULTS[@]}"; FAULTS=(); }
FAULTS=()
FAILED=()

start_postgres() {
  mkdir -p "$WORK/pg" "$WORK/pglog" && chown postgres "$WORK/pg" "$WORK/pglog"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
  pg -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=100" start
  PG_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  "$RELAIS" --database-url "$PG_URL" seed-demo --extra-clinicians "$CLINICIANS" --clock-start "$CLOCK_START" >/dev/null
}

start_pair() { # two servers on PostgreSQL behind HAProxy
  serve "$A" "$PG_URL" "$WORK/a.log"; PID_A=$LAST_PID
  serve "$B" "$PG_URL" "$WORK/b.log"; PID_B=$LAST_PID
  LB_PORT=$LB A_PORT=$A B_PORT=$B haproxy -D -f "$ROOT/bench/haproxy.cfg" -p "$WORK/haproxy.pid"
  PIDS+=("$(cat "$WORK/haproxy.pid")")
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$LB/healthz" >/dev/null && break; sleep 0.2; done
}

for SCENARIO in "${SCENARIOS[@]}"; do
  case "$SCENARIO" in
    a)
      echo "== (a) kill -9 of one of two servers behind HAProxy, PostgreSQL, at t = 20 s of 60 s"
      [ -n "${PG_URL:-}" ] || start_postgres
      start_pair
      at 20 "kill -9 $PID_A"
      load "http://127.0.0.1:$LB" "$PG_URL" 60
      settle
      serve "$A" "$PG_URL" "$WORK/a2.log"; PID_A=$LAST_PID
      ;;
    b)
      echo "== (b) PostgreSQL stopped at t = 15 s for 30 s, two servers behind HAProxy, 75 s of load"
      [ -n "${PG_URL:-}" ] || { start_postgres; start_pair; }
      at 15 "pg -m fast stop"
      at 45 "pg -o '-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1' start"
      load "http://127.0.0.1:$LB" "$PG_URL" 75
      settle
      ;;
    c)
      echo "== (c) the SQLite file's disk full from t = 15 s to t = 30 s, one server, 50 s of load"
      mkdir -p "$WORK/disk"
      mount -t tmpfs -o size=64m tmpfs "$WORK/disk"
      SQLITE_URL="sqlite://$WORK/disk/relais.db"
      "$RELAIS" --database-url "$SQLITE_URL" seed-demo --extra-clinicians "$CLINICIANS" --clock-start "$CLOCK_START" >/dev/null
      serve 3303 "$SQLITE_URL" "$WORK/c.log"
      at 15 "dd if=/dev/zero of=$WORK/disk/filler bs=1M 2>/dev/null || true"
      at 30 "rm -f $WORK/disk/filler"
      load "http://127.0.0.1:3303" "$SQLITE_URL" 50
      settle
      ;;
    r)
      echo "== (r) rolling restart of two servers behind HAProxy (SIGTERM, start again), PostgreSQL, 60 s of load"
      [ -n "${PG_URL:-}" ] || start_postgres
      [ -f "$WORK/haproxy.pid" ] || start_pair
      at 15 "restart a $A $PID_A"
      at 35 "restart b $B $PID_B"
      load "http://127.0.0.1:$LB" "$PG_URL" 60 --strict
      settle
      ;;
    *) echo "unknown scenario $SCENARIO (a, b, c or r)"; exit 2 ;;
  esac
done
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "invariants broken in: ${FAILED[*]}"; exit 1
fi
echo "all invariants held in: ${SCENARIOS[*]}"
