#!/usr/bin/env bash
# The test command: installs missing packages, builds, runs every test (unit + integration).
# --sanitize builds with ASan+UBSan into build-asan/ and runs the suite there.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh "$@"
dir=build
[ "${1:-}" = "--sanitize" ] && dir=build-asan
ctest --test-dir "$dir" -j 2 --output-on-failure
