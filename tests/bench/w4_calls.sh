#!/usr/bin/env bash
# Benchmark W4 (bench/WORKLOADS.md): ingest the 200,000 VAPI calls of the NDJSON file with `wfa calls ingest` into
# an empty database whose agents exist, then the same file again; print the fingerprint and the figures beside the
# COPY floor measured in the same run (the mapped rows \copy'd into an empty copy of conversations, indexes and
# search vector included).
# Usage: tests/bench/w4_calls.sh NDJSON_FILE     (make it with bench/w4/gen_vapi.py OUT.ndjson)
# Environment: WFA (binary, default build/wfa), WFA_DATABASE_URL (else a fresh embedded cluster).
set -euo pipefail
calls=$(realpath "${1:?usage: tests/bench/w4_calls.sh NDJSON_FILE}")
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
own_db=0
if [[ -z "${WFA_DATABASE_URL:-}" ]]; then
  own_db=1
  export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-w4.XXXXXX)
  chmod 755 "$WFA_DATA_DIR"
fi
tsv=$(mktemp /tmp/wfa-w4-mapped.XXXXXX)
chmod 644 "$tsv"
cleanup() {
  rm -f "$tsv" "/tmp/wfa-w4-time.$$"
  if [[ $own_db == 1 ]]; then
    "$wfa" db stop >/dev/null 2>&1 || true
    rm -rf "$WFA_DATA_DIR"
  fi
}
trap cleanup EXIT
export WFA_QUIET=1
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }
seconds_of() { local start=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $start" | bc; }

tag=w4bench$$
"$wfa" -o plain partner create "$tag" --name "W4 bench" >/dev/null
"$wfa" -o plain workspace create main --partner "$tag" --name "W4 bench" >/dev/null
# Untimed: one agent per assistant id of the file, as an operator who synced them would have.
ids=$(grep -o '"assistantId":"[^"]*"' "$calls" | sort -u | cut -d'"' -f4 | paste -sd, -)
sql -c "INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id)
  SELECT w.id, 'agent-' || n, 'vapi', '{}', x.eid FROM workspaces w
  JOIN partners p ON p.id = w.partner_id AND p.slug = '$tag',
  unnest(string_to_array('$ids', ',')) WITH ORDINALITY AS x(eid, n)"
sql -c "UPDATE workspaces SET per_minute_rate_cents = 9 WHERE slug = 'main'"
sql -c "CHECKPOINT" >/dev/null

ingest() {
  /usr/bin/time -f '%e %M' -o /tmp/wfa-w4-time.$$ "$wfa" -o plain calls ingest --provider vapi --file "$calls" \
    >/dev/null
  tail -1 /tmp/wfa-w4-time.$$
}
counters() { sql -c "SELECT current_month_minutes || '/' || current_month_cost_micros || '/' || credit_balance_cents FROM workspaces WHERE slug = 'main'"; }

read -r first first_kb < <(ingest)
after_first=$(counters)
sql -f tests/bench/w4_fingerprint.sql -F ' ' | sed 's/^/fingerprint: /'
sql -c "CHECKPOINT" >/dev/null
read -r again again_kb < <(ingest)
after_again=$(counters)
usage_change=$([[ "$after_first" == "$after_again" ]] && echo 0 || echo "$after_first->$after_again")

# The floor: the same rows, already mapped, \copy'd into an empty copy of the table.
sql -c "\\copy (SELECT workspace_id, agent_id, provider, external_call_id, direction, status, phone_number, started_at, ended_at, duration_seconds, recording_url, transcript, summary, sentiment, total_cost_micros, cost_breakdown, ended_reason, metadata FROM conversations) TO '$tsv'"
sql -c "SET client_min_messages = warning; DROP TABLE IF EXISTS w4_floor; CREATE TABLE w4_floor (LIKE conversations INCLUDING ALL); CHECKPOINT" >/dev/null
floor=$(seconds_of sql -c "\\copy w4_floor (workspace_id, agent_id, provider, external_call_id, direction, status, phone_number, started_at, ended_at, duration_seconds, recording_url, transcript, summary, sentiment, total_cost_micros, cost_breakdown, ended_reason, metadata) FROM '$tsv'")
sql -c "DROP TABLE w4_floor" >/dev/null
peak_kb=$((first_kb > again_kb ? first_kb : again_kb))
rows=$(sql -c "SELECT count(*) FROM conversations")
echo "first run ${first}s, re-ingest ${again}s, floor $(printf '%.2f' "$floor")s; counters $after_first; usage change on re-ingest: $usage_change"
echo "reference (W4): COPY + merge 18.74 s, psycopg2 23.65 s, re-ingest 20.92 s, floor 5.91 s; target first <= 1.3x floor, re-ingest <= 1.0x, peak RSS < 200 MB"
printf 'W4 wall_s=%.2f calls_per_s=%.0f peak_rss_mb=%d floor_here_s=%.2f ratio_to_floor=%.2f reingest_s=%.2f reingest_ratio=%.2f usage_change=%s\n' \
  "$first" "$(echo "$rows / $first" | bc -l)" "$((peak_kb / 1024))" "$floor" "$(echo "$first / $floor" | bc -l)" \
  "$again" "$(echo "$again / $floor" | bc -l)" "$usage_change"
