#!/usr/bin/env bash
# Build and open the trustlens desktop app on the bundled corpus.
# Installs what it needs first (Debian 12, as root). Extra arguments go to cargo.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
(cd ui && npm run --silent build)
cargo build --workspace "$@"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run: no display found; starting the app under a virtual one (xvfb-run)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" target/debug/trustlens-app
fi
exec target/debug/trustlens-app
