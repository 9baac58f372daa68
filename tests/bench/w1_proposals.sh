#!/usr/bin/env bash
# Benchmark W1 (../shared/bench/WORKLOADS.md): 300 two-page proposals plus one combined PDF.
# Usage: tests/bench/w1_proposals.sh FIXTURES_DIR OUT_DIR   (fixtures from w1/make_fixtures.py)
# Uses $WFA (default build/wfa) and a fresh WFA_DATA_DIR unless WFA_DATABASE_URL is set.
set -euo pipefail
fixtures=$(realpath "${1:?usage: w1_proposals.sh FIXTURES_DIR OUT_DIR}")
out=$(realpath -m "${2:?usage: w1_proposals.sh FIXTURES_DIR OUT_DIR}")
root=$(cd "$(dirname "$0")/../.." && pwd)
wfa=$(realpath "${WFA:-$root/build/wfa}")
workers=${WORKERS:-2}
rm -rf "$out" && mkdir -p "$out"
if [ -z "${WFA_DATABASE_URL:-}" ]; then
  export WFA_DATA_DIR
  WFA_DATA_DIR=$(mktemp -d /tmp/wfa-w1-XXXXXX)
  chmod 755 "$WFA_DATA_DIR"
  trap '"$wfa" db stop >/dev/null 2>&1 || true; rm -rf "$WFA_DATA_DIR"' EXIT
fi
export WFA_QUIET=1 SOURCE_DATE_EPOCH=1735689600

# Untimed set-up: the partner's branding, 30 locations (names from the batch), one photo each, weekly rate cards.
"$wfa" partner create skyline --name "Skyline Outdoor Media" --primary-color "#0B5FA5" >/dev/null
"$wfa" workspace create sales --partner skyline --name Sales >/dev/null
/usr/bin/python3 - "$fixtures/batch.csv" "$out/locations.csv" <<'PY'
import csv, sys
names = {}
for row in csv.DictReader(open(sys.argv[1], newline="")):
    names.setdefault(row["location_key"], row["location_name"])
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["location_key", "display_name"])
    w.writerows(sorted(names.items()))
PY
"$wfa" location import "$out/locations.csv" --workspace skyline/sales >/dev/null
cut -d, -f1 "$fixtures/rates.csv" | tail -n +2 | while read -r key; do
  grep -q "^$key," "$out/locations.csv" || "$wfa" location add "$key" --workspace skyline/sales --name "$key" >/dev/null
  "$wfa" location photo add "$key" "$fixtures/photo.jpg" --workspace skyline/sales --time-of-day day --finish gold >/dev/null
done
"$wfa" rate-card import "$fixtures/rates.csv" --workspace skyline/sales --valid-from 2024-01-01 >/dev/null

# Timed: the whole batch, each proposal written and logged, plus the combined PDF.
/usr/bin/time -f "%e %M" -o "$out/time.txt" \
  "$wfa" proposal batch "$fixtures/batch.csv" --workspace skyline/sales --out "$out/pdf" --workers "$workers" \
  --combined-pdf "$out/combined.pdf" -o csv >"$out/report.csv"
read -r wall rss_kb <"$out/time.txt"

# Untimed checks: the W1 checker over every proposal, qpdf over the combined file.
checker="$root/../shared/bench/w1/verify_outputs.py"
[ -f "$checker" ] && /usr/bin/python3 "$checker" "$fixtures" "$out/pdf" | tail -1
qpdf --check "$out/combined.pdf" >/dev/null && echo "combined.pdf: qpdf --check ok, $(pdfinfo "$out/combined.pdf" | awk '/^Pages/ {print $2}') pages"
count=$(ls "$out/pdf" | wc -l)
combined_mb=$(awk -v b="$(stat -c %s "$out/combined.pdf")" 'BEGIN {printf "%.1f", b / 1e6}')
echo "reference (WORKLOADS.md): PowerPoint+LibreOffice 1137 s · 0.26/s; ReportLab 2 procs 1.52 s · 197/s; ReportLab+qpdf merge 4.68 s · 64/s, combined 105 MB; target < 0.5 s"
awk -v w="$wall" -v n="$count" -v r="$rss_kb" -v c="$combined_mb" \
  'BEGIN {printf "W1 wall_s=%.2f proposals_per_s=%.0f peak_rss_mb=%.0f combined_mb=%s\n", w, n / w, r / 1024, c}'
