#!/usr/bin/env bash
# Relais' server-side rendering beside Leptos' own `todo_app_sqlite_axum` example, in one run:
#   bench/todo-example.sh LEPTOS_CHECKOUT RELAIS_BASE [rounds=2]
# LEPTOS_CHECKOUT is a clone of github.com/leptos-rs/leptos (the example is taken from its
# examples/); RELAIS_BASE a running Relais on the demo data (as scripts/bench.sh serves it).
# The example is copied outside this repository (~/.cache/relais-bench/todo_app_sqlite_axum), its
# path dependencies replaced by leptos and leptos_axum from crates.io, built in release with its
# `ssr` feature (the server: wrk reads the HTML only) and served on 127.0.0.1:3261 in PROD mode.
# Then, `rounds` times, alternating: bench/ssr.sh --bare on its todo list, bench/ssr.sh on Relais'
# *Mes offres* for dr.martin. Same wrk, same connections, same machine, a few seconds apart.
set -euo pipefail
LEPTOS="${1:?usage: bench/todo-example.sh LEPTOS_CHECKOUT RELAIS_BASE [rounds]}"
RELAIS="${2:?usage: bench/todo-example.sh LEPTOS_CHECKOUT RELAIS_BASE [rounds]}"
ROUNDS="${3:-2}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$HOME/.cache/relais-bench/todo_app_sqlite_axum"
PORT=3261

mkdir -p "$(dirname "$WORK")"
# Its sources afresh; its target/ kept from an earlier run (a rebuild is then quick).
mkdir -p "$WORK"
find "$WORK" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
cp -r "$LEPTOS/examples/todo_app_sqlite_axum/." "$WORK"
cd "$WORK"
rm -f rust-toolchain.toml
sed -i \
  -e 's|^leptos = { path = "../../leptos",|leptos = { version = "0.8.23",|' \
  -e 's|^leptos_axum = { path = "../../integrations/axum",|leptos_axum = { version = "0.8",|' \
  Cargo.toml
# Its source names server_fn, which leptos brings: the same crate, named as a dependency.
grep -q '^server_fn' Cargo.toml || sed -i 's|^\[dependencies\]$|[dependencies]\nserver_fn = "0.8"|' Cargo.toml
grep -q 'path = ' Cargo.toml && { echo "a path dependency is left in $WORK/Cargo.toml" >&2; exit 1; }
# Its own workspace: not a member of the one it was copied from, nor of Relais'.
printf '\n[workspace]\n' >> Cargo.toml
echo "== building the example (release, ssr)"
LEPTOS_OUTPUT_NAME=todo_app_sqlite_axum cargo build --release --features ssr --quiet
LEPTOS_OUTPUT_NAME=todo_app_sqlite_axum LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_ENV=PROD \
  LEPTOS_SITE_ROOT=target/site ./target/release/todo_app_sqlite_axum > "$WORK/serve.log" 2>&1 &
TODO_PID=$!
trap 'kill "$TODO_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break
  sleep 0.2
done
PAGE_HTML="$(curl -sf "http://127.0.0.1:$PORT/" || true)"
case "$PAGE_HTML" in
  *'<html'*) ;;
  *) echo "the example does not answer on $PORT" >&2; cat "$WORK/serve.log" >&2; exit 1 ;;
esac

cd "$HERE/.."
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round: the example"
  bench/ssr.sh --bare "http://127.0.0.1:$PORT/"
  echo "== round $round: Relais"
  bench/ssr.sh "$RELAIS"
done
