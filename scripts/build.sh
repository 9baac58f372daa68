#!/usr/bin/env bash
# Configures and builds into build/ (or build-asan/ with --sanitize): every target, or only the TARGETs named
# (the demo builds only `wfa`, not the test suite). Usage: scripts/build.sh [--sanitize] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
# ccache makes a rebuild of unchanged sources (a fresh clone in CI, a switched branch) nearly free.
command -v ccache >/dev/null && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  args+=(-DWFA_SANITIZE=ON)
  shift
fi
targets=()
for target in "$@"; do targets+=(--target "$target"); done
cmake -S . -B "$dir" "${args[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
