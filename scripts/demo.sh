#!/usr/bin/env bash
# The demo job: installs missing packages, builds, then on the embedded database (in
# $WFA_DATA_DIR, default ~/.local/share/wfa or /var/lib/wfa as root) initialises and
# starts the cluster, applies migrations, loads the demo fixtures, provisions a partner from
# a fixture request (once: a second run finds it) and prints the status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
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

# --- Billboard mockup (wfa-mockup(1)): one mockup of the demo creative on the demo location photo. ---
"$wfa" -q workspace create billboards --partner desertbloom --name "Billboards" --if-not-exists >/dev/null
photo=fixtures/demo/location_day.jpg
sha=$(sha256sum "$photo" | cut -d' ' -f1)
data_dir=$("$wfa" config show -o plain | awk -F'\t' '$1 == "data_dir" {print $2}')
mkdir -p "$data_dir/files/photos/${sha:0:2}"
cp "$photo" "$data_dir/files/photos/${sha:0:2}/$sha.jpg"
"$wfa" db psql -- -q -v ON_ERROR_STOP=1 -c "
  INSERT INTO locations (workspace_id, location_key, display_name)
    SELECT w.id, 'demo-billboard', 'Demo billboard' FROM workspaces w JOIN partners p ON p.id = w.partner_id
    WHERE p.slug = 'desertbloom' AND w.slug = 'billboards' ON CONFLICT DO NOTHING;
  INSERT INTO location_photos (location_id, time_of_day, finish, path, sha256, media_type, width, height, bytes)
    SELECT l.id, 'day', 'gold', 'photos/${sha:0:2}/$sha.jpg', '$sha', 'image/jpeg', 800, 500, $(stat -c %s "$photo")
    FROM locations l WHERE l.location_key = 'demo-billboard' ON CONFLICT DO NOTHING;" >/dev/null
"$wfa" -q mockup frame set demo-billboard --workspace desertbloom/billboards --points "220,100 580,100 580,250 220,250" \
  --brightness 10 --contrast 1.1 --saturation 0.9 --temperature 0.04 --blur 0.6 --feather 3 >/dev/null
"$wfa" mockup generate demo-billboard --workspace desertbloom/billboards --creative fixtures/demo/mockup_creative.png \
  --out "$data_dir/demo-mockup.jpg" -o plain | awk -F'\t' '$1 == "path" || $1 == "status" || $1 == "total_us"'
