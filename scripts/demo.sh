#!/usr/bin/env bash
# The demo job: installs missing packages, builds, then on the embedded database (in
# $WFA_DATA_DIR, default ~/.local/share/wfa or /var/lib/wfa as root) initialises and
# starts the cluster, applies migrations, loads the demo fixtures and prints the status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
unset WFA_DATABASE_URL DATABASE_URL
wfa=build/wfa
"$wfa" db init
"$wfa" db seed
"$wfa" db status
