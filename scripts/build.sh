#!/usr/bin/env bash
# Configures and builds wfa into build/ (or build-asan/ with --sanitize).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build
args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
# ccache makes a rebuild of unchanged sources (a fresh clone in CI, a switched branch) nearly free.
command -v ccache >/dev/null && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
if [ "${1:-}" = "--sanitize" ]; then
  dir=build-asan
  args+=(-DWFA_SANITIZE=ON)
fi
cmake -S . -B "$dir" "${args[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
