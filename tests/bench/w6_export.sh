#!/usr/bin/env bash
# Benchmark W6 (bench/WORKLOADS.md, the work in bench/w6/README.md): build the 1,000,000-row call table with
# w6_fill.sql (in schema w6), copy it into wfa's conversations (20 workspaces of the W6 ids, one agent each, cost in
# micro-dollars, the fixture's (started_at, id) index), then export it with `wfa export calls` to CSV and to XLSX
# beside `psql \copy` of w6_export.sql from the W6 table in the same run, and check both files with w6_check.py.
# Usage: tests/bench/w6_export.sh OUT_DIR
# Environment: WFA (binary, default build/wfa), WFA_DATABASE_URL (else a fresh embedded cluster), W6_BENCH (the
# shared bench folder, default ../shared/bench), W6_ROWS (default 1000000), RUNS (default 1; the median of RUNS
# runs is reported), W6_FULL=1 (w6_check.py --full: every XLSX cell read back, several minutes).
# The last line is: W6 rows=... psql_copy_s=... csv_s=... xlsx_s=... csv_ratio=... xlsx_ratio=... peak_rss_mb=...
set -euo pipefail
out=$(realpath -m "${1:?usage: tests/bench/w6_export.sh OUT_DIR}")
mkdir -p "$out"
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
bench=$(realpath "${W6_BENCH:-../shared/bench}")
rows=${W6_ROWS:-1000000}
runs=${RUNS:-1}
own_db=0
if [[ -z "${WFA_DATABASE_URL:-}" ]]; then
  own_db=1
  export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-w6.XXXXXX)
  chmod 755 "$WFA_DATA_DIR"
fi
# `wfa db psql` hands the database to psql through libpq's environment; a psql of our own that runs its arguments
# lets w6_check.py connect the same way.
shim=$(mktemp -d /tmp/wfa-w6-shim.XXXXXX)
printf '#!/bin/sh\nexec "$@"\n' >"$shim/psql"
chmod 755 "$shim/psql"
timing=$(mktemp /tmp/wfa-w6-time.XXXXXX)
cleanup() {
  rm -rf "$shim" "$timing"
  if [[ $own_db == 1 ]]; then
    "$wfa" db stop >/dev/null 2>&1 || true
    rm -rf "$WFA_DATA_DIR"
  fi
}
trap cleanup EXIT
export WFA_QUIET=1 PGTZ=UTC
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }
w6() {
  local PGOPTIONS='-c search_path=w6'
  export PGOPTIONS
  "$@"
}
with_db() { PATH="$shim:$PATH" "$wfa" db psql -- "$@"; }
# timed runs a command and sets took (seconds) and kb (peak RSS).
timed() {
  /usr/bin/time -f '%e %M' -o "$timing" "$@" >/dev/null
  read -r took kb < <(tail -1 "$timing")
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "building the W6 table: $rows rows (w6_fill.sql) ..." >&2
sql -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS w6 CASCADE; CREATE SCHEMA w6"
w6 sql -v n="$rows" -f "$bench/w6/w6_fill.sql" >/dev/null

echo "copying it into wfa's conversations ..." >&2
tag=w6bench
"$wfa" -o plain partner create "$tag" --name "W6 bench" >/dev/null
sql -c "INSERT INTO workspaces (id, partner_id, slug, name)
  SELECT md5('w6-ws:' || k)::uuid, p.id, 'ws' || k, 'W6 workspace ' || k FROM partners p, generate_series(0, 19) k
  WHERE p.slug = '$tag'"
sql -c "INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id)
  SELECT w.id, 'W6 agent', 'vapi', '{}', 'w6-' || w.slug FROM workspaces w JOIN partners p ON p.id = w.partner_id
  WHERE p.slug = '$tag'"
# The full-text index plays no part in an export and would only slow the load; the (started_at, id) index is W6's one
# change to the schema (it serves the export's order).
sql -c "DROP INDEX conversations_search"
sql -c "INSERT INTO conversations (workspace_id, id, agent_id, provider, external_call_id, direction, status,
    phone_number, started_at, ended_at, duration_seconds, transcript, summary, total_cost_micros, cost_breakdown,
    metadata)
  SELECT c.workspace_id, c.id, a.id, c.provider, c.external_call_id, c.direction,
    CASE c.status WHEN 'no-answer' THEN 'no_answer' WHEN 'voicemail' THEN 'completed' ELSE c.status END,
    c.phone_number, c.started_at, c.ended_at, c.duration_seconds, c.transcript, c.summary,
    (c.total_cost * 1000000)::bigint, c.cost_breakdown, c.metadata
  FROM w6.conversations c JOIN ai_agents a ON a.workspace_id = c.workspace_id"
sql -c "CREATE INDEX conversations_started_at_id_idx ON conversations (started_at, id)"
sql -c "VACUUM (ANALYZE) conversations"
count=$(sql -c "SELECT count(*) FROM conversations")
query=$(tr '\n' ' ' <"$bench/w6/w6_export.sql")

# A warm page cache for both tables, as the references had.
sql -c "SELECT count(*) FROM (SELECT summary FROM conversations ORDER BY started_at, id) q" >/dev/null
w6 sql -c "SELECT count(*) FROM ($query) q" >/dev/null

psql_s=() csv_s=() xlsx_s=() peak_kb=0
for ((run = 1; run <= runs; run++)); do
  echo "run $run of $runs ..." >&2
  sql -c "CHECKPOINT"
  timed env PGOPTIONS='-c search_path=w6' "$wfa" db psql -- -X -q -v ON_ERROR_STOP=1 \
    -c "\\copy ($query) TO '$out/psql.csv' CSV HEADER"
  psql_s+=("$took")
  sql -c "CHECKPOINT"
  timed "$wfa" export calls --format csv --out "$out/calls.csv"
  csv_s+=("$took")
  peak_kb=$((kb > peak_kb ? kb : peak_kb))
  sql -c "CHECKPOINT"
  timed "$wfa" export calls --format xlsx --out "$out/calls.xlsx"
  xlsx_s+=("$took")
  peak_kb=$((kb > peak_kb ? kb : peak_kb))
done

full=()
[[ "${W6_FULL:-0}" == 1 ]] && full=(--full)
for file in "$out/calls.csv" "$out/calls.xlsx"; do
  w6 with_db /usr/bin/python3 "$bench/w6/w6_check.py" "$file" "${full[@]}" | sed 's/^/check: /'
done

psql_m=$(median "${psql_s[@]}") csv_m=$(median "${csv_s[@]}") xlsx_m=$(median "${xlsx_s[@]}")
echo "files: $(du -h "$out/psql.csv" | cut -f1) psql.csv, $(du -h "$out/calls.csv" | cut -f1) calls.csv," \
  "$(du -h "$out/calls.xlsx" | cut -f1) calls.xlsx"
echo "reference (W6): psql \\copy 5.92 s, Python csv 22.2 s, XlsxWriter constant_memory 129.4 s (21.9x psql);" \
  "target csv_ratio <= 1.5, xlsx_ratio <= 4.4, peak RSS < 100 MB"
printf 'W6 rows=%d psql_copy_s=%.2f csv_s=%.2f xlsx_s=%.2f csv_ratio=%.2f xlsx_ratio=%.2f peak_rss_mb=%d\n' \
  "$count" "$psql_m" "$csv_m" "$xlsx_m" "$(echo "$csv_m / $psql_m" | bc -l)" "$(echo "$xlsx_m / $psql_m" | bc -l)" \
  "$((peak_kb / 1024))"
