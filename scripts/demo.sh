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
