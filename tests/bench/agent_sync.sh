#!/usr/bin/env bash
# Benchmark of `wfa agent sync` (issue 16): 1,000 agents, a third per provider, pushed to the fake providers with
# 50 ms added to every request, beside a sequential baseline that syncs one agent per invocation (one agent at a
# time, as the replaced systems do from a web request).
# Usage: tests/bench/agent_sync.sh
# Environment: WFA (binary, default build/wfa), AGENTS (default 1000), CONCURRENCY (default 16), LATENCY_MS
# (default 50), BASELINE (agents timed sequentially, default 30; its rate is per agent, so it carries over).
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
agents=${AGENTS:-1000}
concurrency=${CONCURRENCY:-16}
latency=${LATENCY_MS:-50}
baseline=${BASELINE:-30}
export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-sync.XXXXXX)
chmod 755 "$WFA_DATA_DIR"
fifo=$(mktemp -u /tmp/wfa-bench-fake.XXXXXX)
mkfifo "$fifo"
/usr/bin/python3 tests/support/fake_providers.py --key vapi=bench-vapi-key --key retell=bench-retell-key \
  --key synthflow=bench-synthflow-key --latency-ms "$latency" >"$fifo" &
fake=$!
read -r port <"$fifo"
rm -f "$fifo"
cleanup() {
  kill "$fake" 2>/dev/null || true
  "$wfa" db stop >/dev/null 2>&1 || true
  rm -rf "$WFA_DATA_DIR" "/tmp/wfa-sync-time.$$" "/tmp/wfa-sync-msg.$$"
}
trap cleanup EXIT
export WFA_QUIET=1 WFA_VAPI_BASE_URL=http://127.0.0.1:$port/vapi WFA_RETELL_BASE_URL=http://127.0.0.1:$port/retell
export WFA_SYNTHFLOW_BASE_URL=http://127.0.0.1:$port/synthflow/v2
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }

"$wfa" partner create bench --name Bench >/dev/null
"$wfa" workspace create main --partner bench --name Main >/dev/null
for p in vapi retell synthflow; do echo "bench-$p-key" | "$wfa" integration set bench/main "$p" >/dev/null; done
# Untimed: the agents, written straight into the table (creating 1,000 through the CLI would time the CLI).
sql -c "INSERT INTO ai_agents (workspace_id, name, provider, voice_provider, model_provider, config)
  SELECT w.id, 'agent-' || n, p.provider, p.voice, p.model,
         jsonb_build_object('name', 'agent-' || n, 'provider', p.provider,
           'voice', jsonb_strip_nulls(jsonb_build_object('provider', p.voice, 'voice_id', 'voice-' || n)),
           'model', jsonb_strip_nulls(jsonb_build_object('provider', p.model, 'model', 'gpt-4.1')),
           'system_prompt', 'You are agent ' || n || '.', 'first_message', 'Hello from ' || n, 'metadata', '{}'::jsonb)
  FROM generate_series(1, $agents) n, workspaces w,
       LATERAL (SELECT (ARRAY['vapi', 'retell', 'synthflow'])[1 + n % 3] AS provider) q,
       LATERAL (SELECT q.provider, CASE WHEN q.provider = 'vapi' THEN '11labs' END AS voice,
                       CASE WHEN q.provider = 'vapi' THEN 'openai' END AS model) p
  WHERE w.slug = 'main'"

# Sequential baseline: one invocation per agent, for the first BASELINE agents.
start=$(date +%s.%N)
for ((n = 1; n <= baseline; n++)); do
  "$wfa" agent sync --workspace bench/main --agent "agent-$n" >/dev/null
done
sequential_s=$(echo "$(date +%s.%N) - $start" | bc)
sequential_rate=$(echo "scale=2; $baseline / $sequential_s" | bc)

# Timed: every remaining agent in one run at the chosen concurrency.
remaining=$((agents - baseline))
/usr/bin/time -f "%e %U %S" -o "/tmp/wfa-sync-time.$$" env -u WFA_QUIET \
  "$wfa" -o plain agent sync --workspace bench/main --concurrency "$concurrency" >/dev/null 2>"/tmp/wfa-sync-msg.$$"
read -r wall user system <"/tmp/wfa-sync-time.$$"
message=$(tail -1 "/tmp/wfa-sync-msg.$$")
synced=$(sql -c "SELECT count(*) FROM ai_agents WHERE sync_status = 'synced'")
requests=$(sed -n 's/.*(\([0-9]*\) requests, \([0-9]*\) retries).*/\1/p' <<<"$message")
retries=$(sed -n 's/.*(\([0-9]*\) requests, \([0-9]*\) retries).*/\2/p' <<<"$message")
objects=$(curl -s "http://127.0.0.1:$port/__objects" | /usr/bin/python3 -c \
  'import json,sys; o=json.load(sys.stdin); print(len(o["vapi"]), len(o["retell_llm"]), len(o["retell_agent"]), len(o["synthflow"]))')
echo "synced $synced of $agents agents; objects at the fake (vapi, retell llm, retell agent, synthflow): $objects"
echo "run: $message"
echo "reference (issue 16): target >= 20x the sequential baseline at concurrency 16, CPU < 200 us per request"
rate=$(echo "scale=1; $remaining / $wall" | bc)
per_request=0
[[ ${requests:-0} -gt 0 ]] && per_request=$(echo "($user + $system) * 1000000 / $requests" | bc)
echo "AGENT_SYNC agents_per_s=$rate requests_per_s=$(echo "scale=1; ${requests:-0} / $wall" | bc)" \
  "retries=${retries:-0} cpu_s=$(echo "$user + $system" | bc) cpu_us_per_request=$per_request" \
  "sequential_agents_per_s=$sequential_rate speedup=$(echo "scale=1; $rate / $sequential_rate" | bc)" \
  "concurrency=$concurrency latency_ms=$latency"
