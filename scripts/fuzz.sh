#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz for SECONDS in all (default 60, split evenly),
# each from its seed corpus in tests/fuzz/corpus/<target>, JOBS targets at a time (each
# target is one process on one core, so two cores fuzz 60 s in about 36 s of wall time). Needs clang and libFuzzer
# (scripts/install-deps.sh). New inputs go to build-fuzz/corpus, not into the
# repository; a contract broken or a crash stops with the input saved under
# build-fuzz/findings/ and a non-zero status. Run from anywhere.
# scripts/fuzz.sh --build-only configures and builds the targets and fuzzes nothing
# (scripts/test.sh builds them so in the background while it runs the other tests).
#   scripts/fuzz.sh [SECONDS]      FUZZ_BUILD=dir  JOBS=n  FUZZ_TARGETS="scene settings"
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
build=${FUZZ_BUILD:-build-fuzz}
targets=${FUZZ_TARGETS:-"scene autosave settings cli_numbers image"}
jobs=${JOBS:-2}

CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCONVLENS_FUZZ=ON -DCONVLENS_WERROR=ON >/dev/null
# shellcheck disable=SC2086  # the target list is split on purpose
cmake --build "$build" -j "$jobs" --target $(printf 'fuzz_%s ' $targets)
[ "$seconds" != --build-only ] || exit 0

count=$(wc -w <<<"$targets")
each=$(( seconds / count > 0 ? seconds / count : 1 ))

fuzz_one() {  # TARGET: fuzzes it for $each seconds; its status is libFuzzer's
  local target=$1 corpus="$build/corpus/$1" findings="$build/findings/$1"
  mkdir -p "$corpus" "$findings"
  # Seeds first, then the corpus grown by earlier runs. -timeout: one input may take a
  # second (the largest loadable scene computes in milliseconds); -rss_limit_mb guards
  # against a loader that allocates what the file only claims.
  local dict=()
  case $target in
    scene|autosave) dict=(-dict=tests/fuzz/scene.dict) ;;
    settings) dict=(-dict=tests/fuzz/settings.dict) ;;
  esac
  "$build/tests/fuzz/fuzz_$target" "$corpus" "tests/fuzz/corpus/$target" "${dict[@]}" \
    -max_total_time="$each" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -artifact_prefix="$findings/" -print_final_stats=1 2>"$build/fuzz_$target.log"
}

declare -A pids
for target in $targets; do
  # At most $jobs at a time: wait for one to end before starting the next.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
    wait -n || true
  done
  echo "fuzz_$target: ${each}s"
  fuzz_one "$target" &
  pids[$target]=$!
done
status=0
for target in $targets; do
  if ! wait "${pids[$target]}"; then
    echo "fuzz_$target: FINDING (see $build/fuzz_$target.log and $build/findings/$target/)" >&2
    tail -n 30 "$build/fuzz_$target.log" >&2
    status=1
  else
    echo "fuzz_$target:"
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$build/fuzz_$target.log" || true
  fi
done
exit $status
