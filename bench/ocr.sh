#!/usr/bin/env bash
# OCR throughput and memory, as a user meets them: `trustlens ingest` of
# scanned PDFs as whole processes (release build), timed with GNU time,
# whose peak RSS is the largest of the process tree (the CLI, its PDF
# helper, pdftoppm or Tesseract). Writes bench/results/<date>-ocr.md.
#
#   bench/ocr.sh            the mixed fixture, 30 and 300 scanned pages
#   bench/ocr.sh --quick    the mixed fixture and 30 pages
#
# Needs what scripts/setup.sh installs (tesseract-ocr, poppler-utils,
# imagemagick) and fonts-urw-base35 is not needed: the long scans are made
# from the committed fixture's page images.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
SIZES=(30 300)
[ "${1:-}" = "--quick" ] && SIZES=(30)
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cargo build --release --locked --bin trustlens >&2
BIN="$PWD/target/release/trustlens"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
OUT="bench/results/$(date -u +%F)-ocr.md"

run() { # name file pages
  local name=$1 file=$2 pages=$3 corpus="$TMP/corpus-$1"
  /usr/bin/time -f '%e %M' -o "$TMP/time" \
    "$BIN" --corpus "$corpus" ingest "$file" --vendor Bench --document "$name" \
    --date 2024-03-01 --json >"$TMP/out.json"
  read -r secs kb <"$TMP/time"
  local ocr
  ocr=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"]["pdf"]["ocr_pages"])' "$TMP/out.json")
  printf '| %s | %s | %s | %.1f | %.2f | %d |\n' "$name" "$pages" "$ocr" "$secs" \
    "$(python3 -c "print($ocr / $secs if $secs > 0 else 0)")" "$((kb / 1024))"
}

{
  echo "# OCR — $(date -u +%F)"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB; $(tesseract --version 2>&1 | head -1); pdftoppm $(pdftoppm -v 2>&1 | head -1 | awk '{print $3}'); pages rendered at 300 dpi."
  echo
  echo "| PDF | pages | read by OCR | seconds | OCR pages/s | peak RSS (MB) |"
  echo "|---|---:|---:|---:|---:|---:|"
  run mixed tests/fixtures/pdf/mixed-2024-03-01.pdf 6
  for n in "${SIZES[@]}"; do
    python3 bench/long_scan.py "$n" "$TMP/scan-$n.pdf"
    run "scan-$n" "$TMP/scan-$n.pdf" "$n"
  done
  echo
  echo "The PDF helper's memory limit is $(grep -o 'HELPER_MEMORY_MB: u64 = [0-9]*' crates/core/src/ingest/pdf.rs | awk '{print $NF}') MB (TRUSTLENS_PDF_MEMORY_MB), inherited by pdftoppm and Tesseract; its deadline counts from its last page."
} | tee "$OUT"
