#!/usr/bin/env bash
# Benchmark "lists that scale" (issue 26): builds a large tenant with SQL (20,000 partners, 200,000 workspaces,
# users and memberships, 1,000,000 audit rows, a 1,000,000-recipient campaign), then times every list verb's
# first page, every show/check verb, `--all` (wall time and peak RSS) and the recipients export beside `psql \copy`.
# Figures are medians of RUNS (default 21) hyperfine runs, measured beside `wfa --version` in the same run.
# Usage: tests/bench/scale.sh            Environment: WFA (binary, default build/wfa), RUNS, KEEP=1 keeps the data dir.
# Last line: SCALE version_ms=… max_first_page_ms=… max_show_ms=… max_all_rss_mb=… export_ratio=…
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=$(realpath "${WFA:-build/wfa}")
runs=${RUNS:-21}
command -v hyperfine >/dev/null || scripts/install-deps.sh hyperfine
export WFA_DATA_DIR=$(mktemp -d /tmp/wfa-bench-scale.XXXXXX)
chmod 755 "$WFA_DATA_DIR"
unset WFA_DATABASE_URL DATABASE_URL WFA_DATABASE_REPLICA_URL
work=$(mktemp -d /tmp/wfa-scale-work.XXXXXX)
chmod 755 "$work"
cleanup() {
  "$wfa" db stop >/dev/null 2>&1 || true
  [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WFA_DATA_DIR"
  rm -rf "$work"
}
trap cleanup EXIT
sql() { "$wfa" db psql -- -X -q -At -v ON_ERROR_STOP=1 "$@"; }

echo "scale: building the tenant (SQL and generate_series; triggers off, kept counts set after)" >&2
start=$(date +%s.%N)
"$wfa" -q partner list >/dev/null
sql <<'SQL'
SET session_replication_role = replica;
INSERT INTO partners (slug, name, plan_tier)
  SELECT 'p' || lpad(g::text, 5, '0'), 'Partner ' || g, 'starter' FROM generate_series(1, 20000) g;
INSERT INTO partner_domains (partner_id, hostname, is_primary, is_platform_subdomain, verified_at, verification_token)
  SELECT id, slug || '.wfa.example', true, true, now(), md5(id::text) FROM partners;
INSERT INTO workspaces (partner_id, slug, name)
  SELECT p.id, 'w' || g, p.name || ' W' || g FROM partners p, generate_series(1, 10) g;
INSERT INTO users (email) SELECT 'u' || g || '@scale.example' FROM generate_series(1, 200000) g;
INSERT INTO workspace_members (workspace_id, user_id, role)
  SELECT w.id, u.id, 'owner' FROM (SELECT id, row_number() OVER () AS n FROM workspaces) w
  JOIN (SELECT id, row_number() OVER () AS n FROM users) u USING (n);
SELECT wfa_audit_month_partition(('2026-01-01'::date + make_interval(months => m))::date) FROM generate_series(0, 11) m;
INSERT INTO audit_log (created_at, actor, partner_id, action, entity_type, entity_id)
  SELECT '2026-01-01'::timestamptz + g * interval '30 seconds', 'ops@scale', p.id,
         (ARRAY['partner.update', 'workspace.create', 'member.add', 'usage.reset'])[1 + g % 4], 'partner', g::text
  FROM generate_series(1, 1000000) g JOIN partners p ON p.slug = 'p' || lpad((1 + g % 20000)::text, 5, '0');
INSERT INTO campaigns (workspace_id, name, timezone, created_by)
  SELECT w.id, 'big', 'Asia/Dubai', 'bench' FROM workspaces w JOIN partners p ON p.id = w.partner_id
  WHERE p.slug = 'p00001' AND w.slug = 'w1';
INSERT INTO campaign_recipients (workspace_id, campaign_id, phone, first_name, last_name, variables)
  SELECT c.workspace_id, c.id, '+9715' || lpad(g::text, 8, '0'), 'First' || g, 'Last' || g, '{"plan": "gold"}'
  FROM campaigns c, generate_series(1, 1000000) g WHERE c.name = 'big';
SET session_replication_role = origin;
INSERT INTO workspace_slugs (partner_id, slug, workspace_id) SELECT partner_id, slug, id FROM workspaces;
UPDATE partners p SET workspace_count = c.n FROM (SELECT partner_id, count(*) n FROM workspaces GROUP BY 1) c
  WHERE c.partner_id = p.id;
UPDATE workspaces w SET member_count = 1 FROM workspace_members m WHERE m.workspace_id = w.id;
UPDATE campaigns SET recipient_count = 1000000 WHERE name = 'big';
VACUUM ANALYZE;
SQL
echo "scale: built in $(echo "$(date +%s.%N) - $start" | bc | cut -c1-5) s" >&2

ws=p00001/w1
campaign=p00001/w1/big
first_page=(
  "partner list" "workspace list" "workspace list --partner p10000" "audit list" "audit list --partner p00042"
  "audit list --action member.add" "audit list --since 2026-06-01T00:00:00Z --until 2026-06-02T00:00:00Z"
  "campaign list" "campaign recipients list $campaign" "member list --workspace $ws" "invite list --workspace $ws"
  "domain list" "partner request list" "proposal list --workspace $ws" "location list --workspace $ws"
  "rate-card list --workspace $ws" "currency list" "perm profile list --workspace $ws"
  "perm team list --workspace $ws" "mockup frame list --workspace $ws"
)
shows=(
  "partner show p12345" "workspace show p12345/w7" "campaign show $campaign" "partner resolve p00077.wfa.example"
)
alls=(
  "workspace list --all -o json" "workspace list --all -o ndjson" "partner list --all -o csv"
  "audit list --all -o ndjson" "campaign recipients list $campaign --all -o csv"
)

median_ms() { # hyperfine median of one command, in ms
  hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/h.json" "$@" >/dev/null 2>&1
  python3 -c "import json; print('%.1f' % (json.load(open('$work/h.json'))['results'][0]['median'] * 1000))"
}
rss_mb() { # peak RSS of one run, in MB
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1
  echo "$(tail -1 "$work/rss") / 1024" | bc -l | cut -c1-5
}

version_ms=$(median_ms "$wfa --version")
printf '%-60s %8s ms\n' "wfa --version" "$version_ms" >&2
# What one new PostgreSQL connection costs here, the floor under every verb that reads: psql connected minus psql.
psql_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql
psql_ms=$(median_ms "$psql_bin --version")
connected_ms=$(median_ms "$psql_bin -X -h $WFA_DATA_DIR/pg -U wfa -d wfa -c 'SELECT 1'")
printf '%-60s %8s ms (psql %s ms, connected %s ms)\n' "one new connection" \
  "$(echo "$connected_ms - $psql_ms" | bc)" "$psql_ms" "$connected_ms" >&2
max_first=0 max_show=0 max_rss=0
for verb in "${first_page[@]}"; do
  ms=$(median_ms "$wfa -o plain $verb")
  printf '%-60s %8s ms  (target <= %s)\n' "$verb" "$ms" "$(echo "$version_ms + 15" | bc)" >&2
  max_first=$(echo "if ($ms > $max_first) $ms else $max_first" | bc)
done
for verb in "${shows[@]}"; do
  ms=$(median_ms "$wfa -o plain $verb")
  printf '%-60s %8s ms  (target <= %s)\n' "$verb" "$ms" "$(echo "$version_ms + 15" | bc)" >&2
  max_show=$(echo "if ($ms > $max_show) $ms else $max_show" | bc)
done
for verb in "${alls[@]}"; do
  start=$(date +%s.%N)
  mb=$(rss_mb "$wfa" $verb)
  wall=$(echo "$(date +%s.%N) - $start" | bc | cut -c1-6)
  printf '%-60s %8s s  peak RSS %s MB (target < 50)\n' "$verb" "$wall" "$mb" >&2
  max_rss=$(echo "if ($mb > $max_rss) $mb else $max_rss" | bc)
done

# The export beside psql \copy of the same rows, alternated, RUNS/3 pairs (at least 5).
export_sql="SELECT phone, first_name, last_name, email, company, timezone, status, variables,"
export_sql+=" to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at"
export_sql+=" FROM campaign_recipients WHERE campaign_id = (SELECT id FROM campaigns WHERE name = 'big') ORDER BY id"
pairs=$(( runs / 3 > 5 ? runs / 3 : 5 ))
ratios=()
for ((i = 0; i < pairs; i++)); do
  s=$(date +%s.%N); "$wfa" -q campaign recipients export "$campaign" >/dev/null; e=$(date +%s.%N)
  ours=$(echo "$e - $s" | bc)
  s=$(date +%s.%N); sql -c "\\copy ($export_sql) TO STDOUT WITH (FORMAT csv, HEADER)" >/dev/null; e=$(date +%s.%N)
  theirs=$(echo "$e - $s" | bc)
  ratios+=("$(echo "$ours / $theirs" | bc -l | cut -c1-5)")
done
export_ratio=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
mb=$(rss_mb "$wfa" -q campaign recipients export "$campaign")
printf '%-60s ratio %s (median of %d pairs; target <= 1.5), peak RSS %s MB\n' \
  "campaign recipients export vs psql \\copy" "$export_ratio" "$pairs" "$mb" >&2
max_rss=$(echo "if ($mb > $max_rss) $mb else $max_rss" | bc)

echo "SCALE version_ms=$version_ms max_first_page_ms=$max_first max_show_ms=$max_show max_all_rss_mb=$max_rss export_ratio=$export_ratio"
