#!/usr/bin/env bash
# Benchmark W5 (bench/WORKLOADS.md): GET /health, GET /api/agents/accessible (initData verified on every request under
# the partner's bot, the answer from the catalog cache) and GET /api/user, with wrk -t2 -c64 -d10s --latency on
# loopback, three runs each, medians; server CPU per request from /proc; then /health and the agents route again with
# 10,000 idle keep-alive connections open; then a soak of the agents route with RSS at its start and end; then ~1 KB
# VAPI end-of-call deliveries (each a new event, stored before its 2xx), the stored count beside the 2xx count, and
# the same once more with serve killed (kill -9) mid-run: every 2xx'd delivery must be stored.
# Usage: tests/bench/w5_serve.sh        Environment: WFA (binary, default build/wfa), DURATION (default 10s), RUNS (3),
# IDLE (idle keep-alive connections held open, default 10000), SOAK (default 60s), PARTS (all, or webhook: only the
# deliveries and the kill -9; the other figures print as -).
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
duration=${DURATION:-10s}
runs=${RUNS:-3}
IDLE=${IDLE:-10000}
soak=${SOAK:-60s}
parts=${PARTS:-all}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
command -v wrk >/dev/null || { echo "w5_serve: needs wrk (apt-get install wrk)" >&2; exit 2; }
export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-w5.XXXXXX)
chmod 755 "$WFA_DATA_DIR"
log=$(mktemp /tmp/wfa-w5-log.XXXXXX)
serve_pid=""
cleanup() {
  [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
  "$wfa" db stop >/dev/null 2>&1 || true
  rm -rf "$WFA_DATA_DIR" "$log" /tmp/wfa-w5-*.lua
}
trap cleanup EXIT
export WFA_QUIET=1
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }
token="7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
"$wfa" partner create bench --name Bench >/dev/null
"$wfa" workspace create main --partner bench --name Main >/dev/null
"$wfa" user create ana@bench.test --first-name Ana >/dev/null 2>&1 || sql -c "INSERT INTO users (email, first_name) VALUES ('ana@bench.test', 'Ana')"
sql -c "UPDATE users SET telegram_id = 5000000001234 WHERE email = 'ana@bench.test'"
"$wfa" member add ana@bench.test --workspace bench/main --role member >/dev/null 2>&1 ||
  sql -c "INSERT INTO workspace_members (workspace_id, user_id, role) SELECT w.id, u.id, 'member' FROM workspaces w, users u WHERE w.slug = 'main' AND u.email = 'ana@bench.test'"
sql -c "INSERT INTO partner_domains (partner_id, hostname, verification_token, verified_at) SELECT id, 'app.bench.test', 't', now() FROM partners WHERE slug = 'bench'"
echo "$token" | "$wfa" telegram bot set bench >/dev/null
for agent in voice sales customer_service; do "$wfa" app-agent enable "$agent" --workspace bench/main >/dev/null; done
"$wfa" app-agent grant voice ana@bench.test --workspace bench/main >/dev/null
echo "vapi-bench-key-0123456789" | "$wfa" integration set bench/main vapi >/dev/null
echo "vapi-bench-hook-secret" | "$wfa" integration webhook-secret bench/main vapi >/dev/null
hook_path=$("$wfa" -o json integration show bench/main vapi | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["webhook_path"])')
sql -c "INSERT INTO ai_agents (workspace_id, name, provider, config, external_agent_id) SELECT id, 'Bench', 'vapi', '{}', 'asst-bench' FROM workspaces WHERE slug = 'main'"
init=$(/usr/bin/python3 - "$token" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse
token = sys.argv[1]
fields = {"auth_date": str(int(time.time())), "query_id": "AAH1",
          "user": json.dumps({"id": 5000000001234, "first_name": "Ana"}, separators=(",", ":"))}
check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
print(urllib.parse.urlencode(fields))
PY
)
"$wfa" serve --listen 127.0.0.1:0 --threads 2 2>"$log" &
serve_pid=$!
for _ in $(seq 100); do grep -q "^listening on" "$log" && break; sleep 0.1; done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$log" | head -1)
cat >/tmp/wfa-w5-user.lua <<LUA
wrk.headers["Host"] = "app.bench.test"
wrk.headers["X-Telegram-Init-Data"] = "$init"
LUA
# A ~1 KB end-of-call report; each request gets a call id of its own (thread and counter), so each is a new event.
cat >/tmp/wfa-w5-hook.lua <<'LUA'
local counter, thread_id, run = 0, 0, ""
local threads = {}
function setup(thread) thread:set("tid", #threads + 1); table.insert(threads, thread) end
function init(args) thread_id = tid; run = args[1] or "run" end
local filler = string.rep("The caller asked about the billboard on Sheikh Zayed Road and booked a viewing. ", 9)
request = function()
  counter = counter + 1
  local id = string.format("call-%s-%d-%d", run, thread_id, counter)
  local body = '{"message":{"type":"end-of-call-report","endedReason":"customer-ended-call",' ..
    '"startedAt":"2026-12-01T10:00:00.000Z","endedAt":"2026-12-01T10:02:00.000Z","cost":0.25,' ..
    '"artifact":{"transcript":"' .. filler .. '"},"analysis":{"summary":"booked"},' ..
    '"call":{"id":"' .. id .. '","assistantId":"asst-bench","type":"inboundPhoneCall","customer":{"number":"+971500000001"}}}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json", ["x-vapi-secret"] = "vapi-bench-hook-secret"}, body)
end
LUA
cpu_ticks() { awk '{print $14 + $15}' "/proc/$serve_pid/stat"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$1"; }
measure() {  # ROUTE PATH SCRIPT -> "rps p50 p99 cpu_us"
  local rps=() p50=() p99=() cpu=()
  for ((i = 1; i <= runs; i++)); do
    local before=$(cpu_ticks)
    local out=$(wrk -t2 -c64 -d"$duration" --latency ${3:+-s "$3"} "http://127.0.0.1:$port$2" -- "$$-$i-$RANDOM")
    local after=$(cpu_ticks)
    local total=$(awk '/requests in/ {print $1}' <<<"$out")
    local non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    [[ -n "$non2xx" ]] && echo "w5_serve: $1 answered $non2xx non-2xx" >&2
    rps+=("$(awk '/Requests\/sec/ {print $2}' <<<"$out")")
    p50+=("$(ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")")
    p99+=("$(ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")")
    cpu+=("$(echo "($after - $before) * 1000000 / $(getconf CLK_TCK) / $total" | bc)")
    if [[ -n "${after_run:-}" ]]; then "$after_run"; fi
  done
  echo "w5_serve: $1 per run: ${rps[*]} req/s, p99 ${p99[*]} ms" >&2
  echo "$(median "${rps[@]}") $(median "${p50[@]}") $(median "${p99[@]}") $(median "${cpu[@]}")"
}
h_rps=- h_p50=- h_p99=- h_cpu=- a_rps=- a_p50=- a_p99=- a_cpu=- u_rps=- u_p50=- u_p99=- u_cpu=- i_rps=- i_p50=- i_p99=-
ia_rps=- ia_p50=- ia_p99=- opened=- rss_start=- rss_end=- soak_rps=- soak_p99=-
if [[ "$parts" == all ]]; then
read -r h_rps h_p50 h_p99 h_cpu < <(measure health /health "")
read -r a_rps a_p50 a_p99 a_cpu < <(measure agents /api/agents/accessible /tmp/wfa-w5-user.lua)
read -r u_rps u_p50 u_p99 u_cpu < <(measure user /api/user /tmp/wfa-w5-user.lua)
# Then 10,000 idle keep-alive connections (each answered once, then left open) while wrk measures /health again.
idle_fifo=$(mktemp -u /tmp/wfa-w5-idle.XXXXXX)
mkfifo "$idle_fifo"
/usr/bin/python3 - "$port" "$IDLE" >"$idle_fifo" <<'PY' &
import socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
held = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /health HTTP/1.1\r\nHost: idle\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"}"):
        data += s.recv(4096)
    held.append(s)
print(len(held), flush=True)
time.sleep(3600)
PY
idle_pid=$!
read -r opened <"$idle_fifo"
rm -f "$idle_fifo"
read -r i_rps i_p50 i_p99 i_cpu < <(measure health-idle /health "")
read -r ia_rps ia_p50 ia_p99 ia_cpu < <(measure agents-idle /api/agents/accessible /tmp/wfa-w5-user.lua)
kill "$idle_pid" 2>/dev/null || true
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$serve_pid/status"; }
rss_start=$(rss_mb)
soak_out=$(wrk -t2 -c64 -d"$soak" --latency -s /tmp/wfa-w5-user.lua "http://127.0.0.1:$port/api/agents/accessible")
rss_end=$(rss_mb)
soak_rps=$(awk '/Requests\/sec/ {print $2}' <<<"$soak_out")
soak_p99=$(ms "$(awk '$1 == "99%" {print $2}' <<<"$soak_out")")
fi
# Webhook deliveries (measured last: processing follows the answers and would weigh on the other measures). Serve
# processes a rush's events once it is over, so each run starts from a drained queue: the time to drain is the
# processing rate, printed beside the answers'.
drain_log=$(mktemp /tmp/wfa-w5-drain.XXXXXX)
drain() {  # runs inside measure's subshell: the rate goes to a file
  local waiting start=$(date +%s.%N) at_start=$(sql -c "SELECT count(*) FROM webhook_events WHERE status = 'received'")
  for _ in $(seq 600); do
    waiting=$(sql -c "SELECT count(*) FROM webhook_events WHERE status = 'received'")
    [[ "$waiting" == 0 ]] && break
    sleep 0.5
  done
  echo "$at_start / ($(date +%s.%N) - $start)" | bc >>"$drain_log"
}
stored_before=$(sql -c "SELECT count(*) FROM webhook_events")
after_run=drain
read -r w_rps w_p50 w_p99 w_cpu < <(measure webhook "$hook_path" /tmp/wfa-w5-hook.lua)
after_run=""
w_processed=$(median $(cat "$drain_log")); rm -f "$drain_log"
w_total=$(( $(sql -c "SELECT count(*) FROM webhook_events") - stored_before ))
w_non2xx=$(grep -c '"route":"/webhooks/vapi/{endpoint}","status":[^2]' "$log" || true)
w_ok=$(grep -c '"route":"/webhooks/vapi/{endpoint}","status":2' "$log" || true)
# kill -9 mid-run: wrk's 2xx count against what the database holds afterwards.
before_kill=$(sql -c "SELECT count(*) FROM webhook_events")
wrk -t2 -c64 -d6s -s /tmp/wfa-w5-hook.lua "http://127.0.0.1:$port$hook_path" -- "kill-$$" >/tmp/wfa-w5-kill.out 2>&1 &
wrk_pid=$!
sleep 3
kill -9 "$serve_pid"; wait "$serve_pid" 2>/dev/null || true; serve_pid=""
wait "$wrk_pid" || true
k_total=$(awk '/requests in/ {print $1}' /tmp/wfa-w5-kill.out)
k_non2xx=$(awk '/Non-2xx/ {print $NF}' /tmp/wfa-w5-kill.out); k_non2xx=${k_non2xx:-0}
k_ok=$((k_total - k_non2xx))
k_stored=$(( $(sql -c "SELECT count(*) FROM webhook_events") - before_kill ))
errors=$(grep -c '"status":5' "$log" || true)
echo "health: ${h_rps} req/s, p50 ${h_p50} ms, p99 ${h_p99} ms, ${h_cpu} us CPU per request"
echo "api/agents/accessible (initData verified, from cache): ${a_rps} req/s, p50 ${a_p50} ms, p99 ${a_p99} ms, ${a_cpu} us CPU per request"
echo "api/user (initData verified, from cache): ${u_rps} req/s, p50 ${u_p50} ms, p99 ${u_p99} ms, ${u_cpu} us CPU per request"
echo "health with $opened idle keep-alive connections open: ${i_rps} req/s, p50 ${i_p50} ms, p99 ${i_p99} ms"
echo "agents with $opened idle keep-alive connections open: ${ia_rps} req/s, p50 ${ia_p50} ms, p99 ${ia_p99} ms"
echo "soak ($soak, agents route): ${soak_rps} req/s, p99 ${soak_p99} ms, RSS ${rss_start} MB at the start, ${rss_end} MB at the end"
echo "vapi webhook (~1 KB, stored before the 2xx): ${w_rps} deliveries/s, p50 ${w_p50} ms, p99 ${w_p99} ms, ${w_cpu} us CPU per delivery; stored ${w_total} of ${w_ok} answered 2xx (access log)"
echo "processing after each run (the calls merged, usage counted): ${w_processed} events/s"
echo "kill -9 mid-run: wrk saw ${k_ok} 2xx answers; the database holds ${k_stored} new events"
echo "reference (W5, FastAPI best): vapi webhook 22.2k req/s p99 6.6 ms (not stored durably); target >= 5,000 stored deliveries/s, p99 < 20 ms"
echo "reference (W5, FastAPI best): health 26.8k req/s p99 8.3 ms; agents 8.8k req/s p99 24 ms, 199 us CPU; target agents <= 20 us, >= 3x, p99 < 5 ms"
echo "W5 health_rps=$h_rps health_p99_ms=$h_p99 agents_rps=$a_rps agents_p50_ms=$a_p50 agents_p99_ms=$a_p99 cpu_us_per_agents_request=$a_cpu idle_agents_p99_ms=$ia_p99 soak_rss_start_mb=$rss_start soak_rss_end_mb=$rss_end user_rps=$u_rps user_p50_ms=$u_p50 user_p99_ms=$u_p99 cpu_us_per_user_request=$u_cpu health_cpu_us=$h_cpu idle_connections=$opened idle_health_p99_ms=$i_p99 webhook_rps=$w_rps webhook_p50_ms=$w_p50 webhook_p99_ms=$w_p99 webhook_stored=$w_total webhook_2xx=$w_ok webhook_processed_per_s=$w_processed kill9_2xx=$k_ok kill9_stored=$k_stored server_5xx=$errors"
