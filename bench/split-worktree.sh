# Sourced by the split benchmarks (bench/wasm-split.sh, bench/wasm-lazy-islands.sh): a temporary
# git worktree of HEAD in "$WORK/tree" (the working tree is not touched), removed on exit, built
# in a target folder of its own — cargo-leptos writes its hash file (the names the server serves)
# beside the binaries, which must not replace the workspace's. Sets ROOT and WORK.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cache/relais-tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="$ROOT/target/split-bench"

WORK="$(mktemp -d)"
cleanup() { git -C "$ROOT" worktree remove --force "$WORK/tree" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
git -C "$ROOT" worktree add --quiet --detach "$WORK/tree" HEAD
