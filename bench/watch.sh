#!/usr/bin/env bash
# `trustlens watch run` over many sources, as a user meets it: whole
# processes (release build) against a loopback HTTP server that answers
# each request after a delay, like a vendor's server far away. GNU time
# gives wall time and peak RSS. Writes bench/results/<date>-watch.md.
#
#   bench/watch.sh [SOURCES] [DELAY_MS]     default 500 sources, 50 ms
#
# Three runs: the first fetch of every source (each becomes a version),
# a run where nothing changed (the server answers 304 Not Modified to the
# conditional requests), and a run after a tenth of the pages changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
N=${1:-500}
DELAY=${2:-50}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked --bin trustlens >&2
BIN="$PWD/target/release/trustlens"
TMP=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$TMP"' EXIT
OUT="bench/results/$(date -u +%F)-watch.md"

page() { # n retention-days
  cat <<HTML
<!DOCTYPE html><html><head><title>Vendor $1 privacy</title></head><body>
<nav>Home | Pricing | Login</nav><div id="cookie-consent">We use cookies.</div>
<main><h1>Vendor $1 Privacy Policy</h1><p>Last updated: March 1, 2026</p>
<h2>Retention</h2><p>We keep access logs for $2 days and delete them afterwards.</p>
<h2>Security</h2><p>We encrypt customer data at rest with AES-256 and in transit with TLS 1.2 or later.</p>
<h2>Incidents</h2><p>We notify affected customers of a security incident without undue delay.</p>
<h2>Subprocessors</h2><p>We give thirty days' notice before adding a subprocessor.</p>
</main><footer>© 2016-2026 Vendor $1</footer></body></html>
HTML
}

mkdir -p "$TMP/site"
for i in $(seq 1 "$N"); do page "$i" 30 >"$TMP/site/$i.html"; done
cat >"$TMP/server.py" <<PY
import http.server, time, functools, sys
class Slow(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        time.sleep($DELAY / 1000)
        super().do_GET()
    def log_message(self, *a): pass
h = functools.partial(Slow, directory=sys.argv[1])
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), h)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
python3 "$TMP/server.py" "$TMP/site" >"$TMP/port" &
SERVER=$!
while [ ! -s "$TMP/port" ]; do sleep 0.1; done
PORT=$(cat "$TMP/port")
C="$TMP/corpus"
for i in $(seq 1 "$N"); do
  "$BIN" --corpus "$C" watch add "http://127.0.0.1:$PORT/$i.html" --vendor "Vendor $i" --document Privacy >/dev/null
done

run() { # label
  /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" --corpus "$C" watch run --json >"$TMP/out.json" || true
  read -r secs kb <"$TMP/time"
  python3 - "$TMP/out.json" "$1" "$secs" "$kb" <<'PY'
import json, sys, collections
out = json.load(open(sys.argv[1]))
c = collections.Counter(o["result"] for o in out)
label, secs, kb = sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
print(f"| {label} | {len(out)} | {c['new_version']} | {c['unchanged']} | {c['error']} | {secs:.1f} | {len(out)/secs:.0f} | {kb//1024} |")
PY
}

# File times have one-second resolution: let the edits be newer than the
# first fetch, so that If-Modified-Since sees them.
{
  echo "# watch run — $(date -u +%F)"
  echo
  echo "Machine: $(nproc) cores. $N sources on one loopback server (Python ThreadingHTTPServer) answering each request after $DELAY ms; 8 fetches at once."
  echo
  echo "| run | sources | new versions | unchanged | errors | seconds | sources/s | peak RSS (MB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  run "first fetch"
  run "nothing changed (304)"
  sleep 1.1
  for i in $(seq 1 10 "$N"); do page "$i" 90 >"$TMP/site/$i.html"; done
  run "a tenth changed"
  echo
  echo "At $DELAY ms a request, fetching one source after another would take at least $(python3 -c "print(round($N * $DELAY / 1000, 1))") s."
} | tee "$OUT"
