#!/usr/bin/env bash
# Builds everything with the `ci` preset (warnings are errors) and runs every test except benchmarks and fuzzers.
set -euo pipefail
cd "$(dirname "$0")/.."
./installers/debian-deps.sh
cmake --preset ci
cmake --build --preset ci
ctest --preset ci "$@"
