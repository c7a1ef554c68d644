#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors Release build (the README's build type, so
# the release build is checked warning-free at no extra cost) with the unit and command
# line tests, then every test (those again, and the window's under Xvfb) under
# AddressSanitizer and UndefinedBehaviorSanitizer, then each fuzz target for a bounded
# time (about a minute in all; scripts/fuzz.sh SECONDS runs longer). Run from the
# repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCONVLENS_WERROR=ON
cmake --build build -j "$jobs"
# The window's tests (real frames under Xvfb, minutes each) run once, in the sanitizer
# pass below, where they also check the window's code for memory errors.
ctest --test-dir build --output-on-failure -j "$jobs" -E '^gui_'

cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCONVLENS_WERROR=ON \
  -DCONVLENS_SANITIZE=ON -DCONVLENS_BUILD_BENCHMARKS=OFF
cmake --build build-sanitize -j "$jobs"
# fontconfig's process-lifetime caches are not ours to free (tests/lsan.supp says why).
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

if command -v clang++ >/dev/null; then
  JOBS=$jobs bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
else
  echo "fuzz targets skipped: clang++ not found (scripts/install-deps.sh installs it)" >&2
fi
