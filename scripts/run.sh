#!/usr/bin/env bash
# The one command that runs Relais on a fresh machine: installs what is missing, builds the
# release app, and serves it on SQLite with the demo CPTS at http://127.0.0.1:3000
# (RELAIS_BIND to change). The database is data/relais-demo.db; delete it to start over.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
cargo leptos build --release --precompress --split
mkdir -p "$ROOT/data"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
BIND="${RELAIS_BIND:-127.0.0.1:3000}"
echo
echo "Relais: http://$BIND  — demo accounts are listed on the login page (password: relais-demo)"
echo
exec "$ROOT/target/release/relais" --database-url "${RELAIS_DEMO_DATABASE_URL:-sqlite://$ROOT/data/relais-demo.db}" \
  serve --demo --bind "$BIND" "$@"
