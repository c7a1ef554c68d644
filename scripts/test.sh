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
# file with the flags users build it with. The sanitizer build is compiled by clang
# when there is one (scripts/install-deps.sh installs it for the fuzz targets): its
# instrumented -O0 code compiles in about half of GCC's time, and GCC still compiles
# every file in the Release pass, warnings as errors. README, Tests, has the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}
unity_fallbacks=()
clang_fallback=

# build DIR CMAKE_ARGS...: configures and builds DIR, its tests as unity builds. Should that
# fail but a file-by-file build succeed, two test files share a private name
# (tests/CMakeLists.txt says what to do); the suite goes on and says so at the end.
# Returns non-zero when even that fails.
build() {
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" -DCONVLENS_UNITY_TESTS=ON || return 1
  cmake --build "$dir" -j "$jobs" && return 0
  echo "unity build of the tests in $dir failed: building them file by file" >&2
  cmake -S . -B "$dir" -DCONVLENS_UNITY_TESTS=OFF || return 1
  cmake --build "$dir" -j "$jobs" || return 1
  unity_fallbacks+=("$dir")
}

# The fuzz targets (a clang build of their own) are built in the background from the
# start, at the lowest priority: they take only the CPU the suite leaves idle (the
# window's tests wait for frames and timers, configure and link steps use one core), and
# the fuzzing at the end finds them built. Their own process group, to stop them with.
fuzz_build=
if command -v clang++ >/dev/null; then
  mkdir -p build-fuzz
  setsid nice -n 19 bash scripts/fuzz.sh --build-only >build-fuzz/build.log 2>&1 &
  fuzz_build=$!
  trap 'kill -- -"$fuzz_build" 2>/dev/null || true' EXIT
fi

build build -DCMAKE_BUILD_TYPE=Release -DCONVLENS_WERROR=ON
# The window's tests (real frames under Xvfb, minutes each) run once, in the sanitizer
# pass below, where they also check the window's code for memory errors.
ctest --test-dir build --output-on-failure -j "$jobs" -E '^gui_'

sanitize=(-DCMAKE_BUILD_TYPE=Debug -DCONVLENS_WERROR=ON -DCONVLENS_SANITIZE=ON
  -DCONVLENS_BUILD_BENCHMARKS=OFF)
# sanitize_with CC CXX: builds build-sanitize with that compiler. A directory made with the
# other one is started afresh (CMake, told another compiler, would forget the options).
sanitize_with() {
  grep -qsx "CMAKE_CXX_COMPILER:[A-Z]*=$(command -v "$2")" build-sanitize/CMakeCache.txt ||
    rm -rf build-sanitize
  build build-sanitize "${sanitize[@]}" -DCMAKE_C_COMPILER="$1" -DCMAKE_CXX_COMPILER="$2"
}
if ! command -v clang++ >/dev/null; then
  sanitize_with gcc g++
elif ! sanitize_with clang clang++; then
  # Code GCC takes and this clang does not (clang 14 cannot capture a structured binding
  # in a lambda, say): the sanitizers are GCC's this time, and the end of the log says so.
  echo "clang could not build the sanitizer pass: building it with GCC" >&2
  sanitize_with gcc g++
  clang_fallback=1
fi
# fontconfig's process-lifetime caches are not ours to free (tests/lsan.supp says why).
LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs"

if [ -n "$fuzz_build" ]; then
  if ! wait "$fuzz_build"; then
    cat build-fuzz/build.log >&2
    echo "the fuzz targets did not build (the log above)" >&2
    exit 1
  fi
  JOBS=$jobs bash scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
else
  echo "fuzz targets skipped: clang++ not found (scripts/install-deps.sh installs it)" >&2
fi

if [ -n "$clang_fallback" ]; then
  echo "NOTE: every test passed, but clang could not compile the sanitizer pass (its error is" \
    "in the log above) and GCC did, more slowly: make the code clang 14 takes too" >&2
fi
if [ ${#unity_fallbacks[@]} -gt 0 ]; then
  echo "NOTE: every test passed, but the unity build of the tests in ${unity_fallbacks[*]}" \
    "failed and they were built file by file (slower): two test files share a private" \
    "name; list one of them in tests/CMakeLists.txt (the build log above names both)" >&2
fi
