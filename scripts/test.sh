#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors build with every test (unit, command line,
# GUI smoke under Xvfb), then the same tests again under AddressSanitizer and
# UndefinedBehaviorSanitizer. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONVLENS_WERROR=ON
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCONVLENS_WERROR=ON \
  -DCONVLENS_SANITIZE=ON -DCONVLENS_BUILD_BENCHMARKS=OFF
cmake --build build-sanitize -j "$jobs"
ctest --test-dir build-sanitize --output-on-failure -j "$jobs"
