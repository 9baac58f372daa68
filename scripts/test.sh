#!/usr/bin/env bash
# The test command: installs missing packages, builds, runs every test (unit + integration).
# --sanitize builds with ASan+UBSan into build-asan/ and runs the suite there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "$@"
dir=build
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
ctest --test-dir "$dir" -j 2 --output-on-failure
