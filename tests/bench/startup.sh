#!/usr/bin/env bash
# Benchmark: start-up time of `wfa --version` (target: under 20 ms). Run on demand, not in ctest.
# Usage: tests/bench/startup.sh [path/to/wfa]
set -euo pipefail
cd "$(dirname "$0")/../.."
wfa=${1:-build/wfa}
command -v hyperfine >/dev/null || scripts/install-deps.sh hyperfine
hyperfine --warmup 20 --runs 200 -N "$wfa --version" "$wfa help exit-codes" --export-json /tmp/wfa-startup.json >&2
python3 - <<'PY'
import json
for r in json.load(open("/tmp/wfa-startup.json"))["results"]:
    print(f"{r['command']:<32} mean {r['mean']*1000:6.2f} ms  median {r['median']*1000:6.2f} ms  max {r['max']*1000:6.2f} ms  (target < 20 ms)")
PY
