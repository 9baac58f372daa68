#!/usr/bin/env bash
# Benchmark of the campaign runner (issue 29): RECIPIENTS recipients dialed through the fake VAPI (LATENCY_MS added
# to every request, calls lasting CALL_MS), a cap of CAP calls in flight (the fake counts a call from its create
# request's arrival to its end, when its end webhook is sent, so the ideal rate is CAP / (CALL_MS + LATENCY_MS)),
# serve taking the signed end webhooks, and WORKERS `wfa worker` processes each running a campaign.dispatch job.
# Prints dials/s, cap utilisation (calls in flight / cap, sampled over the steady state: the middle 80% of the
# dialing), the dispatchers' CPU per dial, and as its last line the DIAL summary.
# Usage: tests/bench/dial.sh      Environment: WFA (binary, default build/wfa), RECIPIENTS (20000), CAP (100),
# LATENCY_MS (50), CALL_MS (500), WORKERS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
recipients=${RECIPIENTS:-20000}
cap=${CAP:-100}
latency=${LATENCY_MS:-50}
call_ms=${CALL_MS:-500}
workers=${WORKERS:-2}
export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-dial.XXXXXX)
chmod 755 "$WFA_DATA_DIR"
log="$WFA_DATA_DIR/serve.log"
fifo=$(mktemp -u /tmp/wfa-bench-fake.XXXXXX)
mkfifo "$fifo"
/usr/bin/python3 tests/support/fake_providers.py --key vapi=bench-vapi-key --latency-ms "$latency" >"$fifo" &
fake=$!
read -r fake_port <"$fifo"
rm -f "$fifo"
pids=()
cleanup() {
  for pid in "${pids[@]}" "$fake"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}" "$fake"; do wait "$pid" 2>/dev/null || true; done
  "$wfa" db stop >/dev/null 2>&1 || true
  rm -rf "$WFA_DATA_DIR"
}
trap cleanup EXIT
export WFA_QUIET=1 WFA_VAPI_BASE_URL=http://127.0.0.1:$fake_port/vapi
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }

"$wfa" partner create bench --name Bench >/dev/null
"$wfa" workspace create main --partner bench --name Main >/dev/null
echo "bench-vapi-key" | "$wfa" integration set bench/main vapi --max-concurrent-calls "$cap" >/dev/null
echo "vapi-bench-hook-secret" | "$wfa" integration webhook-secret bench/main vapi >/dev/null
hook_path=$("$wfa" -o json integration show bench/main vapi | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["webhook_path"])')
sql -c "INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) SELECT id, 'Bench', 'vapi',
  '{}', 'asst-bench' FROM workspaces WHERE slug = 'main'"
sql -c "INSERT INTO phone_numbers (workspace_id, provider, number, provider_number_id, source) SELECT id, 'vapi',
  '+12125550100', 'pn-bench', 'provider' FROM workspaces WHERE slug = 'main'"
agent=$(sql -c "SELECT id FROM ai_agents")
"$wfa" campaign create dial --workspace bench/main --agent "$agent" >/dev/null
# Every recipient's local time is noon now (a zone of whole hours from UTC), inside any country's calling hours.
offset=$(( 12 - 10#$(date -u +%H) ))
zone=$([[ $offset -ge 0 ]] && echo "Etc/GMT-$offset" || echo "Etc/GMT+$(( -offset ))")
/usr/bin/python3 - "$recipients" "$zone" >"$WFA_DATA_DIR/recipients.csv" <<'PY'
import sys
n, zone = int(sys.argv[1]), sys.argv[2]
print("phone,first_name,timezone")
areas = ["212", "646", "718", "917", "347", "929"]
for i in range(n):
    print("+1%s%03d%04d,R%d,%s" % (areas[i // 800000 % 6], 200 + i // 10000 % 80, i % 10000, i, zone))
PY
"$wfa" campaign import bench/main/dial "$WFA_DATA_DIR/recipients.csv" >/dev/null
"$wfa" campaign update bench/main/dial --max-concurrent "$cap" --calls-per-minute 60000 \
  --from-number +12125550100 >/dev/null

"$wfa" serve --listen 127.0.0.1:0 --threads 2 2>"$log" &
pids+=($!)
for _ in $(seq 100); do grep -q "^listening on" "$log" && break; sleep 0.1; done
serve_port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$log" | head -1)
curl -s -X POST "http://127.0.0.1:$fake_port/__dial" -d "{\"duration_ms\": $call_ms, \"outcomes\": {\"completed\": 1.0},
  \"webhooks\": {\"vapi\": {\"url\": \"http://127.0.0.1:$serve_port$hook_path\", \"secret\": \"vapi-bench-hook-secret\"}},
  \"reset_stats\": true}" >/dev/null
worker_pids=()
for ((i = 0; i < workers; i++)); do
  "$wfa" worker --concurrency 1 >/dev/null 2>"$WFA_DATA_DIR/worker-$i.log" &
  pids+=($!)
  worker_pids+=($!)
done
cpu_ticks() { local t=0; for pid in "${worker_pids[@]}"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$pid/stat") )); done; echo "$t"; }
sleep 1
ticks_before=$(cpu_ticks)
start=$(date +%s.%N)
"$wfa" campaign schedule bench/main/dial --now --end "$(date -u -d '+1 day' +%Y-%m-%dT%H:%M:%SZ)" \
  --dispatchers "$workers" >/dev/null
samples="$WFA_DATA_DIR/samples"
# One sampler process: calls in flight at the fake every 100 ms, until the stop file appears.
/usr/bin/python3 - "http://127.0.0.1:$fake_port/__dial/count" "$samples" "$WFA_DATA_DIR/stop" <<'PY' &
import json, os, sys, time, urllib.request
url, out, stop = sys.argv[1:]
with open(out, "w") as f:
    while not os.path.exists(stop):
        f.write("%.3f %d\n" % (time.time(), json.load(urllib.request.urlopen(url))["in_flight"]))
        time.sleep(0.1)
PY
sampler=$!
while [[ $(sql -c "SELECT status FROM campaigns") != completed ]]; do
  sleep 1
  if (( $(echo "$(date +%s.%N) - $start > 900" | bc) )); then echo "dial: not completed after 900 s" >&2; break; fi
done
touch "$WFA_DATA_DIR/stop"
wait "$sampler"
ticks_after=$(cpu_ticks)
curl -s "http://127.0.0.1:$fake_port/__dial/stats" >"$WFA_DATA_DIR/stats.json"
lost=$(sql -c "SELECT count(*) FROM campaign_recipients WHERE status <> 'completed'")
live=$(sql -c "SELECT count(*) FROM call_attempts WHERE ended_at IS NULL")
/usr/bin/python3 - "$WFA_DATA_DIR/stats.json" "$samples" "$cap" "$recipients" "$(( ticks_after - ticks_before ))" \
  "$(getconf CLK_TCK)" "$((lost + live))" "$latency" "$call_ms" <<'PY'
import json, sys
stats = json.load(open(sys.argv[1]))
cap, n, ticks, hz, lost = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
latency, call_ms = int(sys.argv[8]), int(sys.argv[9])
calls = stats["calls"]
created = sorted(c["created_ms"] for c in calls)
span = (created[-1] - created[0]) / 1000 if len(created) > 1 else 1
rate = len(created) / span if span > 0 else 0
low, high = created[0] + 0.1 * (created[-1] - created[0]), created[0] + 0.9 * (created[-1] - created[0])
steady = [float(line.split()[1]) for line in open(sys.argv[2])
          if line.split()[1:] and low / 1000 <= float(line.split()[0]) <= high / 1000]
utilisation = sum(steady) / len(steady) / cap if steady else 0
by_number = {}
for c in calls:
    by_number.setdefault(c["to"], []).append((c["created_ms"], c.get("ended_ms") or 1e18))
double = 0
for spans in by_number.values():
    spans.sort()
    double += sum(1 for a, b in zip(spans, spans[1:]) if b[0] < a[1])
cpu_us = ticks / hz * 1e6 / max(1, len(calls))
ideal = cap / ((call_ms + latency) / 1000)
print("dialed %d of %d recipients in %.1f s: %.1f dials/s (ideal %.0f = %d / %.2f s)" % (len(calls), n, span, rate, ideal, cap, (call_ms + latency) / 1000))
print("calls in flight at the fake: max %d, mean %.1f over the steady state (%d samples)" % (stats["max_in_flight"], utilisation * cap, len(steady)))
print("dispatchers' CPU: %.2f s, %.0f us per dial; refused by the fake: %d" % (ticks / hz, cpu_us, stats.get("refused", 0)))
print("reference (issue 29): cap utilisation >= 0.95, < 300 us CPU per dial, max_concurrent <= %d, no double dials, none lost" % cap)
print("DIAL recipients=%d dials_per_s=%.1f cap_utilisation=%.3f cpu_us_per_dial=%.0f max_concurrent=%d double_dials=%d lost=%d" % (n, rate, utilisation, cpu_us, stats["max_in_flight"], double, lost))
PY
