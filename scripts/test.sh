#!/usr/bin/env bash
# The whole test suite: a warnings-as-errors Release build (the README's build type, so
# the release build is checked warning-free at no extra cost) with the unit and command
# line tests, then every test (those again, and the window's under Xvfb) under
# AddressSanitizer and UndefinedBehaviorSanitizer, then each fuzz target for a bounded
# time (about a minute in all; scripts/fuzz.sh SECONDS runs longer). Run from the
# repository root.
#
# Both builds compile the test programs as unity builds, the Release one at -O0
# (tests/CMakeLists.txt says why and how); the program under test is compiled file by
# file with the flags users build it with. README, Tests, has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
unity_fallbacks=()

# build DIR CMAKE_ARGS...: configures and builds DIR, its tests as unity builds. Should that
# fail but a file-by-file build succeed, two test files share a private name
# (tests/CMakeLists.txt says what to do); the suite goes on and says so at the end.
build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" -DCONVLENS_UNITY_TESTS=ON
  if ! cmake --build "$dir" -j "$jobs"; then
    echo "unity build of the tests in $dir failed: building them file by file" >&2
    cmake -S . -B "$dir" -DCONVLENS_UNITY_TESTS=OFF
    cmake --build "$dir" -j "$jobs"
    unity_fallbacks+=("$dir")
  fi
}

build build -DCMAKE_BUILD_TYPE=Release -DCONVLENS_WERROR=ON
# The window's tests (real frames under Xvfb, minutes each) run once, in the sanitizer
# pass below, where they also check the window's code for memory errors.
ctest --test-dir build --output-on-failure -j "$jobs" -E '^gui_'

build build-sanitize -DCMAKE_BUILD_TYPE=Debug -DCONVLENS_WERROR=ON -DCONVLENS_SANITIZE=ON \
  -DCONVLENS_BUILD_BENCHMARKS=OFF
# fontconfig's process-lifetime caches are not ours to free (tests/lsan.supp says why).
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

if command -v clang++ >/dev/null; then
  JOBS=$jobs bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
else
  echo "fuzz targets skipped: clang++ not found (scripts/install-deps.sh installs it)" >&2
fi

if [ ${#unity_fallbacks[@]} -gt 0 ]; then
  echo "NOTE: every test passed, but the unity build of the tests in ${unity_fallbacks[*]}" \
    "failed and they were built file by file (slower): two test files share a private" \
    "name; list one of them in tests/CMakeLists.txt (the build log above names both)" >&2
fi
