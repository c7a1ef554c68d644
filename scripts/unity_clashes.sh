#!/usr/bin/env bash
# Lists the private names (helpers, constants, types at the top of a file) that two or more
# test files of one test program define: in a unity build (CONVLENS_UNITY_TESTS) such files
# may share a batch, where the same name fails to compile or, with other parameters,
# silently becomes one overload set. Each name printed needs all but one of its files in
# the list of tests/CMakeLists.txt (files already there are marked "alone"). A textual
# scan: it reads definitions that start a line, as the house style writes them.
#   scripts/unity_clashes.sh
set -euo pipefail
cd "$(dirname "$0")/../tests"
alone=$(sed -n '/set(alone_in_unity_builds/,/list(TRANSFORM/p' CMakeLists.txt | grep -oE '(unit|cli)/[a-z_0-9]+\.cpp' || true)
for program in unit cli; do
  for file in "$program"/*.cpp; do
    {
      grep -oE '^[A-Za-z][A-Za-z0-9_:<>,* &]* [*&]?[a-z_][A-Za-z0-9_]*\(' "$file" |
        grep -vE '^(TEST|return|namespace|using)' | sed -E 's/.*[ *&]([a-z_][A-Za-z0-9_]*)\($/\1/' || true
      grep -oE '^(constexpr|const|static|inline)[^=;(]* k[A-Z][A-Za-z0-9_]*' "$file" |
        sed -E 's/.* (k[A-Z][A-Za-z0-9_]*)$/\1/' || true
      grep -oE '^(struct|class|using) [A-Z][A-Za-z0-9_]*' "$file" | awk '{print $2}' || true
    } | sort -u | while read -r name; do
      mark=""
      grep -qx "$file" <<<"$alone" && mark=" (alone)"
      printf '%s\t%s%s\n' "$name" "$file" "$mark"
    done
  done | awk -F'\t' -v program="$program" '
    { files[$1] = files[$1] "  " $2; if ($2 !~ /alone/) free[$1]++ }
    END { for (name in files) if (free[name] > 1) print program ": " name ":" files[name] }' | sort
done
