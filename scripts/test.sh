#!/usr/bin/env bash
# Every check trustlens has, in the order that fails fastest:
# formatting, front-end unit tests and build, clippy, all Rust tests, then the
# real app end to end under Xvfb. Installs what it needs first (Debian 12, as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "setup"
echo "disk: $(df -h . | awk 'NR==2{print $4 " free of " $2}')"
scripts/setup.sh
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  step "installing tauri-driver (WebDriver bridge for the end-to-end test)"
  cargo install tauri-driver --locked --quiet
fi
if ! command -v cargo-deny >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/cargo-deny" ]; then
  step "installing cargo-deny (dependency policy check)"
  cargo install cargo-deny --locked --quiet
fi
if [ ! -d tests/e2e/node_modules ] || [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi

step "rustfmt"
cargo fmt --all -- --check

step "dependency policy: cargo deny (licenses, bans, sources; deny.toml)"
# --offline reads the crates that Cargo.lock pins from cargo's cache, which a
# fresh machine does not have yet: fetch them first (a no-op when cached).
cargo fetch --locked --quiet
cargo deny --offline check licenses bans sources

step "front end: unit tests and build"
(cd ui && npm test --silent && npm run --silent build)

step "build (CLI and app; --workspace so later steps reuse the artifacts)"
cargo build --workspace --locked

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests (library, CLI, app commands)"
cargo test --workspace --locked

step "fuzzing: a short run of the cargo-fuzz targets (scripts/fuzz.sh --dev 12)"
scripts/fuzz.sh --dev 12

echo "disk: $(df -h . | awk 'NR==2{print $4 " free of " $2}'); target/: $(du -sh target 2>/dev/null | cut -f1); fuzz/target/: $(du -sh fuzz/target 2>/dev/null | cut -f1)"

step "end to end: the real app under Xvfb"
tests/e2e/run.sh target/debug/trustlens-app
