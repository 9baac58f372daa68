#!/usr/bin/env bash
# The demo job: installs missing packages, builds, then on the embedded database (in
# $WFA_DATA_DIR, default ~/.local/share/wfa or /var/lib/wfa as root) initialises and
# starts the cluster, applies migrations, loads the demo fixtures, provisions a partner from
# a fixture request (once: a second run finds it) and prints the status; then sales outputs, a
# mockup, and two voice agents synced to a local fake VAPI and Retell.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh wfa  # the demo needs the binary only, not the test suite
unset WFA_DATABASE_URL DATABASE_URL
wfa=build/wfa
"$wfa" db init
"$wfa" db seed
if ! "$wfa" partner show desertbloom >/dev/null 2>&1; then
  id=$("$wfa" partner request submit --file fixtures/demo/partner_request.json -o plain -q | awk -F'\t' '$1 == "id" {print $2}')
  "$wfa" partner request approve "$id"
  "$wfa" partner provision "$id"
fi
"$wfa" partner list
"$wfa" db status

# Sales: three billboard locations with a photo and rate cards, a USD rate, and a small
# proposal batch with a combined PDF (--resume makes a second run skip what is written).
ws=desertbloom/main
out=build/demo/proposals
"$wfa" location import fixtures/demo/locations.csv --workspace "$ws"
for key in DXB-SZR-01 DXB-MAR-02 AUH-COR-03; do
  "$wfa" location photo add "$key" fixtures/demo/location_day.jpg --workspace "$ws" --time-of-day day --finish gold
done
"$wfa" rate-card import fixtures/demo/rates.csv --workspace "$ws" --valid-from 2025-01-01
"$wfa" currency set USD --rate 0.272294 --valid-from 2025-01-01
"$wfa" proposal batch fixtures/demo/proposals.csv --workspace "$ws" --out "$out" \
  --combined-pdf "$out/all-proposals.pdf" --resume

# --- Billboard mockup (wfa-mockup(1)): a frame on DXB-SZR-01's day photo and one mockup of the demo creative. ---
"$wfa" -q mockup frame set DXB-SZR-01 --workspace "$ws" --photo day-gold --points "220,100 580,100 580,250 220,250" \
  --brightness 10 --contrast 1.1 --saturation 0.9 --temperature 0.04 --blur 0.6 --feather 3 >/dev/null
"$wfa" mockup generate DXB-SZR-01 --workspace "$ws" --creative fixtures/demo/mockup_creative.png \
  --out build/demo/mockup-DXB-SZR-01.jpg

# --- Voice agents (wfa-agent(1)) against the local fake VAPI and Retell, with sealed demo keys. ---
fifo=$(mktemp -u /tmp/wfa-demo-fake.XXXXXX)
mkfifo "$fifo"
/usr/bin/python3 tests/support/fake_providers.py --key vapi=demo-vapi-key --key retell=demo-retell-key >"$fifo" &
fake=$!
trap 'kill $fake 2>/dev/null || true' EXIT
read -r port <"$fifo"
rm -f "$fifo"
export WFA_VAPI_BASE_URL=http://127.0.0.1:$port/vapi WFA_RETELL_BASE_URL=http://127.0.0.1:$port/retell
echo demo-vapi-key | "$wfa" -q integration set "$ws" vapi
echo demo-retell-key | "$wfa" -q integration set "$ws" retell
for spec in fixtures/demo/agents/*.json; do
  name=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["name"])' "$spec")
  "$wfa" agent show "$name" --workspace "$ws" >/dev/null 2>&1 || "$wfa" -q agent create --workspace "$ws" --spec "$spec" >/dev/null
done
"$wfa" agent sync --workspace "$ws" --all --dry-run
"$wfa" agent sync --workspace "$ws" --all
"$wfa" agent list --workspace "$ws"

# --- Call logs (wfa-calls(1)): the front desk's calls, counted once however often they are ingested. ---
front_desk=$("$wfa" -o json agent show "Front desk" --workspace "$ws" |
  /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["external_agent_id"])')
calls=$(mktemp /tmp/wfa-demo-calls.XXXXXX)
sed "s/FRONT_DESK/$front_desk/" fixtures/demo/calls/vapi_calls.ndjson >"$calls"
"$wfa" calls ingest --provider vapi --file "$calls" --workspace "$ws" || [[ $? == 8 ]]
"$wfa" calls ingest --provider vapi --file "$calls" --workspace "$ws" >/dev/null  # again: nothing changes
rm -f "$calls"
"$wfa" calls list --workspace "$ws"
"$wfa" calls search "proposal" --workspace "$ws"
"$wfa" calls stats --workspace "$ws" --by day

# --- The Mini App API (wfa-serve(1)): the partner's bot, its agents enabled, serve started, and the agents the
# partner's owner may use fetched with an initData signed by the bot (what Telegram sends the Mini App). ---
bot_token="7000000099:DEMOdemoDEMOdemoDEMOdemoDEMOdemo-12"
echo "$bot_token" | "$wfa" -q telegram bot set desertbloom >/dev/null
owner=layla@desertbloom.example
"$wfa" -q user set-telegram "$owner" 700000001 >/dev/null 2>&1 || true
for agent in voice sales customer_service; do "$wfa" -q app-agent enable "$agent" --workspace "$ws" >/dev/null; done
host=$("$wfa" db psql -- -X -At -c "SELECT d.hostname FROM partner_domains d JOIN partners p ON p.id = d.partner_id
  WHERE p.slug = 'desertbloom' AND d.verified_at IS NOT NULL ORDER BY d.is_primary DESC, d.hostname LIMIT 1")
serve_log=$(mktemp /tmp/wfa-demo-serve.XXXXXX)
"$wfa" serve --listen 127.0.0.1:0 --threads 2 2>"$serve_log" &
serve=$!
trap 'kill $fake $serve 2>/dev/null || true; rm -f "$serve_log"' EXIT
for _ in $(seq 100); do grep -q "^listening on" "$serve_log" && break; sleep 0.1; done
serve_port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$serve_log" | head -1)
/usr/bin/python3 - "$bot_token" "$serve_port" "$host" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse, urllib.request
token, port, host = sys.argv[1], sys.argv[2], sys.argv[3]
fields = {"auth_date": str(int(time.time())), "query_id": "DEMO1",
          "user": json.dumps({"id": 700000001, "first_name": "Layla"}, separators=(",", ":"))}
check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
request = urllib.request.Request(f"http://127.0.0.1:{port}/api/agents/accessible",
                                 headers={"Host": host, "X-Telegram-Init-Data": urllib.parse.urlencode(fields)})
agents = json.load(urllib.request.urlopen(request))["agents"]
print(f"Mini App agents for Layla at {host}:")
for a in agents:
    print(f"  {a['workspace']:24} {a['key']:18} {a['name']}")
PY
kill "$serve" && wait "$serve" 2>/dev/null || true
