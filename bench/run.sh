#!/usr/bin/env bash
# trustlens performance, side by side with the tools users would otherwise
# use, in one run. Writes bench/results/<date>.md (machine, tool versions,
# figures) and prints it.
#
#   bench/run.sh            the full run: 10 000 generated versions (~0.86 M
#                           clauses, 167 MB), about 15 minutes with the builds
#   bench/run.sh --quick    1 000 versions, a few minutes
#   bench/run.sh --no-app   skip the app start-up figures (no Xvfb needed)
#
# Release builds; installs ripgrep if it is missing (Debian, as root). The
# app figures need what the end-to-end test needs (scripts/setup.sh,
# tauri-driver). Everything generated goes to a temporary directory.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
VERSIONS_PER_DOC=10
VENDORS=100
APP=1
for a in "$@"; do
  case "$a" in
    --quick) VENDORS=10 ;;
    --no-app) APP=0 ;;
    *) echo "bench/run.sh: unknown argument $a (try --quick, --no-app)" >&2; exit 2 ;;
  esac
done
step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

if ! command -v rg >/dev/null; then
  step "installing ripgrep (the side-by-side search)"
  apt-get install -y -qq ripgrep >/dev/null
fi

step "release build"
cargo build --release --locked --bin trustlens --example gen_corpus --example scale
if [ "$APP" = 1 ]; then
  # A fresh clone has no front-end packages yet (found on a new machine:
  # `tsc: not found`).
  if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  fi
  (cd ui && npm run --silent build)
  cargo build --release --locked -p trustlens-app
  if [ ! -d tests/e2e/node_modules ]; then
    (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trustlens-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export TRUSTLENS_DATA_DIR="$WORK/data" TRUSTLENS_CACHE_DIR="$WORK/cache"

step "generating the corpus ($VENDORS vendors × 10 documents × $VERSIONS_PER_DOC versions)"
target/release/examples/gen_corpus "$WORK/corpus" --vendors "$VENDORS" --versions "$VERSIONS_PER_DOC" >&2

step "trustlens: parse, index, open, search, add one version (in process)"
/usr/bin/time -f '%M' -o "$WORK/corpus.maxrss" \
  target/release/examples/scale corpus "$WORK/corpus" --rounds 50 >"$WORK/corpus.json"

step "trustlens: compare (in process)"
target/release/examples/scale compare "$WORK/pairs" --rounds 20 >"$WORK/compare.json"

if [ "$APP" = 1 ]; then
  step "the app: start to first search result, memory (Xvfb)"
  E2E_SCRIPT="$ROOT/bench/app.mjs" E2E_OUT_DIR="$WORK/app" E2E_TIMEOUT=600 \
    tests/e2e/run.sh target/release/trustlens-app >&2
fi

step "side by side with rg and git, and the report"
mkdir -p bench/results
# Written aside first: redirecting straight into a tracked file would make
# the report's `git describe --dirty` see it changed.
python3 bench/report.py "$WORK" >"$WORK/report.md"
mv "$WORK/report.md" "bench/results/$(date +%F).md"
cat "bench/results/$(date +%F).md"
echo "written: bench/results/$(date +%F).md" >&2
