#!/usr/bin/env bash
# Installs, idempotently, everything building and testing Relais needs on a Debian machine:
# the wasm target, cargo-leptos, the matching wasm-bindgen CLI, cargo-audit, wasm-opt (binaryen from npm:
# Debian's older one breaks hydration), Chromium for the browser tests, HAProxy for the TLS proxy test,
# the npm packages, and the FHIR model the SAS interface's tests parse its answers with
# (fhir.resources, from PyPI).
# Each step is skipped when what it installs is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${RELAIS_TOOLS_DIR:-$HOME/.cache/relais-tools}"
CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
CARGO_AUDIT_VERSION=0.22.2

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

missing_debs=()
command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
command -v brotli >/dev/null 2>&1 || missing_debs+=(brotli)
dpkg -s libssl-dev >/dev/null 2>&1 || missing_debs+=(libssl-dev)
command -v pkg-config >/dev/null 2>&1 || missing_debs+=(pkg-config)
# The TLS reverse proxy of deploy/haproxy.cfg, which the tests run in front of a server.
command -v haproxy >/dev/null 2>&1 || missing_debs+=(haproxy)
command -v openssl >/dev/null 2>&1 || missing_debs+=(openssl)
if [ ${#missing_debs[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing_debs[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing_debs[@]}"
fi

if ! have_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 20 minutes on two cores)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the published lock file names a yanked dependency.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! have_version cargo-audit "$CARGO_AUDIT_VERSION"; then
  log "installing cargo-audit $CARGO_AUDIT_VERSION (known vulnerabilities in the lock file; about 5 minutes)"
  CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-audit --locked --version "$CARGO_AUDIT_VERSION"
fi

if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
  log "installing binaryen $BINARYEN_VERSION (wasm-opt) into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION"
fi
export PATH="$TOOLS/node_modules/.bin:$PATH"

# The WASM carries the source path of every panic location. Shorten them to paths relative to
# the crate sources: a smaller download, and no build machine's paths in what phones receive.
# Only the WebAssembly target is affected (native builds keep their full paths for debugging).
# The registry's source folders exist once the crates are downloaded (quick when they are).
(cd "$ROOT" && cargo fetch --locked --quiet)
wasm_rustflags="--remap-path-prefix=$ROOT/= --remap-path-prefix=app/src/="
for src in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [ -d "$src" ] && wasm_rustflags="$wasm_rustflags --remap-path-prefix=$src="
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$wasm_rustflags"

# A real SMTP server for the e-mail tests (aiosmtpd, from PyPI).
if ! python3 -c "import aiosmtpd" 2>/dev/null; then
  log "installing aiosmtpd (local SMTP server for the e-mail tests)"
  python3 -m pip install --quiet --disable-pip-version-check "aiosmtpd==1.4.6"
fi

# An independent model of FHIR R4 (fhir.resources 6.5 = FHIR 4.0.1, from PyPI) that the browser
# tests parse the SAS interface's answers with, in its own virtual environment.
FHIR_VENV="$ROOT/end2end/.venv"
if ! "$FHIR_VENV/bin/python" -c "import fhir.resources" 2>/dev/null; then
  log "installing fhir.resources (FHIR R4 model for the SAS interface's tests)"
  python3 -m venv "$FHIR_VENV"
  "$FHIR_VENV/bin/pip" install --quiet --disable-pip-version-check "fhir.resources==6.5.0" "pydantic==1.10.21"
fi

if [ -f "$ROOT/end2end/package-lock.json" ]; then
  # npm records what it installed in node_modules/.package-lock.json: install again when the
  # project's lock file is newer (a package was added or updated).
  if [ ! -f "$ROOT/end2end/node_modules/.package-lock.json" ] \
    || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing the end-to-end test packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
fi
