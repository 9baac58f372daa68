#!/usr/bin/env bash
# Benchmark W7 (bench/WORKLOADS.md, bench/w7/README.md): enqueue 100,000 `noop` jobs in one batch with
# `wfa job enqueue noop --payloads FILE`, then drain them with 1, 2 and 4 `wfa worker --drain` processes, and check
# that every job was handled exactly once.
# Usage: tests/bench/w7_queue.sh
# Environment: WFA (binary, default build/wfa), WFA_DATABASE_URL (else a fresh embedded cluster, reached over its
# Unix socket), N (jobs, default 100000), RUNS (default 1; medians are reported).
# Each drain starts from exactly N available jobs (TRUNCATE, an untimed enqueue, ANALYZE, CHECKPOINT) and ends when
# every worker has exited: --drain exits once no job is due, so the wall includes the workers' start and stop.
# Workers run with the defaults: 4 handler threads (unused by noop, which completes where it is claimed), claims of
# up to 500 jobs, completions recorded in the claim's transaction; completed rows are kept.
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
n=${N:-100000}
runs=${RUNS:-1}
own_db=0
if [[ -z "${WFA_DATABASE_URL:-}" ]]; then
  own_db=1
  export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-w7.XXXXXX)
  chmod 755 "$WFA_DATA_DIR"
fi
work=$(mktemp -d /tmp/wfa-w7.XXXXXX)
cleanup() {
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
  if [[ $own_db == 1 ]]; then
    "$wfa" db stop >/dev/null 2>&1 || true
    rm -rf "$WFA_DATA_DIR"
  fi
}
trap cleanup EXIT
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

seq 1 "$n" | awk '{print "{\"i\": " $1 "}"}' >"$work/payloads.ndjson"
"$wfa" -q db status >/dev/null
fresh() { sql -c "TRUNCATE jobs" >/dev/null; }
enqueue() { "$wfa" -q -o json job enqueue noop --payloads "$work/payloads.ndjson" >"$work/enqueue.json"; }

exactly_once=yes
enqueue_rates=()
for ((r = 1; r <= runs; r++)); do
  fresh
  sql -c "CHECKPOINT" >/dev/null
  /usr/bin/time -f '%e %M' -o "$work/time" "$wfa" -q -o json job enqueue noop --payloads "$work/payloads.ndjson" \
    >"$work/enqueue.json"
  read -r wall kb <"$work/time"
  [[ $(sql -c "SELECT count(*) FROM jobs WHERE status = 'available'") == "$n" ]] || exactly_once=no
  enqueue_rates+=("$(echo "$n / $wall" | bc -l)")
  echo "enqueue run $r: ${wall}s $(printf '%.0f' "${enqueue_rates[-1]}") jobs/s, client peak RSS $((kb / 1024)) MB" >&2
done

declare -A drain_rate
peak_rss_kb=0
p99=""
for p in 1 2 4; do
  rates=()
  for ((r = 1; r <= runs; r++)); do
    fresh
    enqueue
    [[ $(sql -c "SELECT count(*) FROM jobs") == "$n" ]] || exactly_once=no
    sql -c "ANALYZE jobs" >/dev/null
    sql -c "CHECKPOINT" >/dev/null
    pids=()
    start=$(date +%s.%N)
    for ((w = 1; w <= p; w++)); do
      /usr/bin/time -f '%M' -o "$work/rss.$w" "$wfa" -o json worker --drain >"$work/out.$w" 2>"$work/err.$w" &
      pids+=($!)
    done
    status=0
    for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
    end=$(date +%s.%N)
    if [[ $status -ne 0 ]]; then
      echo "w7_queue: a worker failed with exit $status" >&2
      cat "$work"/err.* >&2
      exit 1
    fi
    wall=$(echo "$end - $start" | bc -l)
    handled=0
    for ((w = 1; w <= p; w++)); do
      handled=$((handled + $(field "$work/out.$w" completed)))
      kb=$(tail -1 "$work/rss.$w")
      ((kb > peak_rss_kb)) && peak_rss_kb=$kb
    done
    left=$(sql -c "SELECT count(*) FROM jobs WHERE status <> 'completed'")
    done_rows=$(sql -c "SELECT count(*) FROM jobs WHERE status = 'completed' AND attempts = 1")
    [[ $handled == "$n" && $left == 0 && $done_rows == "$n" ]] || exactly_once=no
    rates+=("$(echo "$n / $wall" | bc -l)")
    after_first=$(sql -c "SELECT round($n / extract(epoch FROM max(finished_at) - min(claimed_at)))::bigint FROM jobs")
    echo "drain P=$p run $r: ${wall}s $(printf '%.0f' "${rates[-1]}") jobs/s (after the first claim: $after_first/s)," \
      "handled $handled, unfinished $left, worker peak RSS $((kb / 1024)) MB" >&2
    if [[ $p == 2 ]]; then
      p99=$(sql -c "SELECT round(1000 * percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - claimed_at)))::bigint FROM jobs")
    fi
  done
  drain_rate[$p]=$(median "${rates[@]}")
done

echo "(reference: enqueue addJobs 28.7k/s, SQL floor 74.6k/s; drain graphile-worker best 15.5k/17.5k/16.6k per s" \
  "for 1/2/4 processes at 114 MB RSS; targets: enqueue >= 57k/s, drain p2 >= 35k/s, RSS < 30 MB)" >&2
printf 'W7 enqueue_per_s=%.0f drain_p1_per_s=%.0f drain_p2_per_s=%.0f drain_p4_per_s=%.0f p99_claim_to_finish_ms=%s worker_rss_mb=%.1f exactly_once=%s\n' \
  "$(median "${enqueue_rates[@]}")" "${drain_rate[1]}" "${drain_rate[2]}" "${drain_rate[4]}" "$p99" \
  "$(echo "$peak_rss_kb / 1024" | bc -l)" "$exactly_once"
