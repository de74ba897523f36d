#!/usr/bin/env bash
# End-to-end test of the trustlens desktop app.
#
#   tests/e2e/run.sh APP_BINARY        e.g. tests/e2e/run.sh target/debug/trustlens-app
#
# Starts Xvfb on a free display, tauri-driver (with WebKitWebDriver through
# webkit-driver-wrapper.sh), runs app.e2e.mjs against APP_BINARY, and always
# stops everything it started. The app gets fresh TRUSTLENS_DATA_DIR and
# TRUSTLENS_CACHE_DIR directories, so the run is hermetic.
#
# Environment (all optional):
#   E2E_PORT / E2E_NATIVE_PORT   tauri-driver / WebKitWebDriver ports (4444 / 4445)
#   E2E_TIMEOUT                  seconds for the whole test script (300)
#   E2E_OUT_DIR                  screenshots and logs (REPO/target/e2e)
#   TAURI_DRIVER                 path to tauri-driver (default: PATH, then ~/.cargo/bin)
#   WEBKIT_WEBDRIVER             path to WebKitWebDriver (default: PATH)
#   E2E_KEEP_TMP=1               keep the temporary directory for inspection
#   E2E_SCRIPT                   another script to run in this environment
#                                (bench/app.mjs measures start-up this way)
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${E2E_PORT:-4444}"
NATIVE_PORT="${E2E_NATIVE_PORT:-4445}"
TEST_TIMEOUT="${E2E_TIMEOUT:-300}"
OUT_DIR="${E2E_OUT_DIR:-$ROOT/target/e2e}"

WORK=""
XVFB_PID=""
DRIVER_PID=""

log() { printf 'e2e: %s\n' "$*" >&2; }

# A failure before the test script ran: say why and close with the count line.
die() {
  log "$*"
  printf 'e2e: 0 passed, 1 failed\n'
  exit 1
}

# Stop a process group we started (setsid makes the pid the group id), politely first.
stop_group() {
  local pid="$1" name="$2" i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop on SIGTERM; killing it"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  # Children that outlived their leader (the app, WebKit processes) share its group.
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_group "$DRIVER_PID" tauri-driver
  stop_group "$XVFB_PID" Xvfb
  if [ -n "$WORK" ] && [ -d "$WORK" ]; then
    mkdir -p "$OUT_DIR" 2>/dev/null && for f in tauri-driver.log xvfb.log; do
      [ -f "$WORK/$f" ] && cp "$WORK/$f" "$OUT_DIR/$f"
    done
    if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then
      log "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# ---- arguments and tools ------------------------------------------------------

[ $# -eq 1 ] || die "usage: tests/e2e/run.sh APP_BINARY"
APP="$(readlink -f -- "$1" 2>/dev/null || true)"
[ -n "$APP" ] && [ -f "$APP" ] || die "app binary not found: $1 (build it first, e.g. cargo build -p trustlens-app)"
[ -x "$APP" ] || die "app binary is not executable: $APP"

if [ -z "${TAURI_DRIVER:-}" ]; then
  TAURI_DRIVER="$(command -v tauri-driver || true)"
  for candidate in "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver" "$HOME/.cargo/bin/tauri-driver"; do
    [ -n "$TAURI_DRIVER" ] && break
    [ -x "$candidate" ] && TAURI_DRIVER="$candidate"
  done
fi
[ -n "$TAURI_DRIVER" ] && [ -x "$TAURI_DRIVER" ] ||
  die "tauri-driver is not installed (install it with: cargo install tauri-driver --locked)"
WEBKIT_WEBDRIVER="${WEBKIT_WEBDRIVER:-$(command -v WebKitWebDriver || true)}"
[ -n "$WEBKIT_WEBDRIVER" ] && [ -x "$WEBKIT_WEBDRIVER" ] ||
  die "WebKitWebDriver is not installed (Debian package: webkit2gtk-driver)"
export WEBKIT_WEBDRIVER
command -v Xvfb >/dev/null || die "Xvfb is not installed (Debian package: xvfb)"
command -v node >/dev/null || die "node is not installed"
[ -x "$HERE/webkit-driver-wrapper.sh" ] || die "$HERE/webkit-driver-wrapper.sh is missing or not executable"

if [ ! -f "$HERE/node_modules/webdriverio/package.json" ]; then
  log "installing the e2e dependencies (npm ci)"
  (cd "$HERE" && npm ci --no-audit --no-fund >&2) || die "npm ci failed in $HERE"
fi

port_open "$PORT" && die "port $PORT is already in use (a leftover tauri-driver?); set E2E_PORT to use another"
port_open "$NATIVE_PORT" && die "port $NATIVE_PORT is already in use; set E2E_NATIVE_PORT to use another"

# ---- hermetic environment -----------------------------------------------------

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trustlens-e2e.XXXXXX")" || die "mktemp failed"
export TRUSTLENS_DATA_DIR="$WORK/data"
export TRUSTLENS_CACHE_DIR="$WORK/cache"
export XDG_CONFIG_HOME="$WORK/xdg-config"
export XDG_DATA_HOME="$WORK/xdg-data"
export XDG_CACHE_HOME="$WORK/xdg-cache"
mkdir -p "$TRUSTLENS_DATA_DIR" "$TRUSTLENS_CACHE_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
if [ -z "${XDG_RUNTIME_DIR:-}" ] || [ ! -w "${XDG_RUNTIME_DIR:-/nonexistent}" ]; then
  export XDG_RUNTIME_DIR="$WORK/xdg-runtime"
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
fi
# WebDriver traffic is local; never send it through a proxy.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
mkdir -p "$OUT_DIR" || die "cannot create $OUT_DIR"

# ---- X server -------------------------------------------------------------------

# -displayfd: Xvfb picks a free display itself and writes its number once it is ready.
setsid Xvfb -displayfd 9 -screen 0 1280x800x24 -nolisten tcp -noreset \
  9>"$WORK/display" >"$WORK/xvfb.log" 2>&1 </dev/null &
XVFB_PID=$!
for _ in $(seq 1 100); do
  [ -s "$WORK/display" ] && break
  kill -0 "$XVFB_PID" 2>/dev/null || break
  sleep 0.1
done
DISPLAY_NUM="$(tr -dc '0-9' <"$WORK/display" 2>/dev/null)"
if [ -z "$DISPLAY_NUM" ]; then
  cat "$WORK/xvfb.log" >&2 2>/dev/null
  die "Xvfb did not start within 10 s"
fi
export DISPLAY=":$DISPLAY_NUM"
log "Xvfb on $DISPLAY (pid $XVFB_PID)"

# ---- tauri-driver -----------------------------------------------------------------

setsid "$TAURI_DRIVER" --port "$PORT" --native-port "$NATIVE_PORT" \
  --native-driver "$HERE/webkit-driver-wrapper.sh" >"$WORK/tauri-driver.log" 2>&1 </dev/null &
DRIVER_PID=$!
ready=0
for _ in $(seq 1 150); do
  if ! kill -0 "$DRIVER_PID" 2>/dev/null; then
    tail -n 40 "$WORK/tauri-driver.log" >&2
    die "tauri-driver exited during start-up (log above)"
  fi
  if port_open "$PORT" && port_open "$NATIVE_PORT"; then
    ready=1
    break
  fi
  sleep 0.2
done
if [ "$ready" != 1 ]; then
  tail -n 40 "$WORK/tauri-driver.log" >&2
  die "tauri-driver did not answer on ports $PORT/$NATIVE_PORT within 30 s"
fi
log "tauri-driver on port $PORT (pid $DRIVER_PID)"

# ---- the test ---------------------------------------------------------------------

APP_BINARY="$APP" E2E_PORT="$PORT" E2E_OUT_DIR="$OUT_DIR" E2E_SCRIPT_TIMEOUT_MS="$(( (TEST_TIMEOUT > 30 ? TEST_TIMEOUT - 15 : TEST_TIMEOUT) * 1000 ))" \
  timeout --signal=TERM --kill-after=10 "$TEST_TIMEOUT" node "${E2E_SCRIPT:-$HERE/app.e2e.mjs}"
status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  log "the test script did not finish within ${TEST_TIMEOUT} s"
  printf 'e2e: 0 passed, 1 failed\n'
  status=1
fi
if [ "$status" -ne 0 ]; then
  log "last lines of tauri-driver / app output ($OUT_DIR/tauri-driver.log):"
  tail -n 40 "$WORK/tauri-driver.log" >&2
fi
exit "$status"
