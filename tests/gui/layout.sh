#!/bin/sh
# GUI layout and keyboard test: the real window under Xvfb, real X events through xdotool.
#   layout.sh BINARY SCENES_DIR OUT_DIR
# 1. Layout at 100 % and 200 % interface size (1400x900), at 900x600 (the window resized
#    by xdotool) and at 640x480 (opened at that size), in the hover view with an element
#    selected and in the backward lesson: the test hook's "layout" dump (app/layout_probe.h)
#    is checked by layout_check.py (no panel or widget overlaps another, none is cut off,
#    integer fields show three digits, canvas numbers at least 8 px x the interface size),
#    and a screenshot of each is kept in OUT_DIR to look at.
# 2. Short key taps (issue 10): `xdotool key --delay 0 Right`, three times (each press and
#    release back to back, before the next frame) in the backward lesson moves three steps,
#    and Right Left in one go one on and one back; "-457" typed with no delay, BackSpace and Return (no delay either) set
#    the cell to -45; Ctrl+Q tapped quits. The window is idle meanwhile (its test script
#    done), as for a user: the results are read from what it saves on quitting (settings,
#    autosave).
# XDG_CONFIG_HOME points at fresh temporary folders: the user's config is never touched.
set -eu

if [ -z "${CONVLENS_LAYOUT_UNDER_XVFB:-}" ]; then
    CONVLENS_LAYOUT_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$@"
fi

BINARY=$1
SCENES=$2
OUT=$3
HERE=$(cd "$(dirname "$0")" && pwd)

rm -rf "$OUT"
mkdir -p "$OUT"
CONFIGS=$(mktemp -d)
trap 'rm -rf "$CONFIGS"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # Mesa at exit, as in smoke.sh
unset CONVLENS_TEST_SCRIPT || true
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

wait_for_file() {  # FILE: up to 30 s
    tries=0
    while [ ! -f "$1" ] && [ "$tries" -lt 150 ]; do
        sleep 0.2
        tries=$((tries + 1))
    done
}

config() {  # NAME SCALE WIDTH HEIGHT: a fresh config folder with that interface and window size
    dir="$CONFIGS/$1"
    mkdir -p "$dir/convlens"
    printf '{"ui_scale": %s, "window": {"width": %s, "height": %s}}\n' "$2" "$3" "$4" \
        >"$dir/convlens/settings.json"
    echo "$dir"
}

quit_by_keys() {  # NAME: Ctrl+Q tapped (settings and autosave are written on the way out)
    xdotool key --delay 0 ctrl+q
    tries=0
    while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 25 ]; do
        sleep 0.2
        tries=$((tries + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "$1: a tapped Ctrl+Q did not quit"
        kill -TERM "$pid" 2>/dev/null || true
    fi
    wait "$pid" || fail "$1: exit status $?: $(cat "$OUT/$1.log")"
}

window_id() {  # the convlens window, once it is mapped
    timeout 20 xdotool search --sync --onlyvisible --name '^convlens' | head -1 || true
}

# 1. Layouts. CASE: name, interface size, size the window opens at, size it is checked at
#    (resized by xdotool when different), the hook's set-up commands.
check_case() {
    name=$1 scale=$2 open_w=$3 open_h=$4 width=$5 height=$6 setup=$7
    dir=$(config "$name" "$scale" "$open_w" "$open_h")
    XDG_CONFIG_HOME="$dir" CONVLENS_TEST_SCRIPT="$setup; wait_file $OUT/$name.go; sleep 0.8; \
layout $OUT/$name.json; shot $OUT/$name.png; sleep 0.2; quit" \
        "$BINARY" "$SCENES/default.json" >"$OUT/$name.log" 2>&1 &
    pid=$!
    if [ "$open_w" != "$width" ] || [ "$open_h" != "$height" ]; then
        window=$(window_id)
        if [ -z "$window" ]; then
            fail "$name: xdotool found no convlens window"
        else
            xdotool windowsize --sync "$window" "$width" "$height" || fail "$name: xdotool windowsize"
        fi
    fi
    touch "$OUT/$name.go"
    wait "$pid" || fail "$name: exit status $?: $(cat "$OUT/$name.log")"
    [ -f "$OUT/$name.json" ] || { fail "$name: no layout written"; return; }
    python3 "$HERE/layout_check.py" "$OUT/$name.json" "$width" "$height" "$scale" || fail "$name: layout"
}

hover="select input 3 3"
lesson="lesson backward 3 2; step 4; pause"
check_case hover-100 1 1400 900 1400 900 "$hover"
check_case hover-200 2 1400 900 1400 900 "$hover"
check_case lesson-100 1 1400 900 1400 900 "$lesson"
check_case lesson-200 2 1400 900 1400 900 "$lesson"
check_case hover-900x600 1 1400 900 900 600 "$hover"
check_case lesson-900x600 1 1400 900 900 600 "$lesson"
check_case hover-640x480 1 640 480 640 480 "$hover"
check_case lesson-640x480 1 640 480 640 480 "$lesson"
check_case hover-200-900x600 2 900 600 900 600 "$hover"

# 2. Short key taps into the idle window.
if command -v xdotool >/dev/null 2>&1; then
    dir=$(config keys 1 1400 900)
    XDG_CONFIG_HOME="$dir" CONVLENS_TEST_SCRIPT="lesson backward 3 2; step 1; pause; sleep 0.3; \
lesson_state $OUT/keys_ready.json" "$BINARY" "$SCENES/default.json" >"$OUT/keys.log" 2>&1 &
    pid=$!
    wait_for_file "$OUT/keys_ready.json"
    window=$(window_id)
    if [ -z "$window" ] || [ ! -f "$OUT/keys_ready.json" ]; then
        fail "keys: no convlens window: $(cat "$OUT/keys.log")"
    else
        sleep 0.5  # the script is done: the window waits for events
        xdotool windowfocus --sync "$window"
        # Three taps, each press and release back to back. One xdotool per tap: GLFW drops
        # a second press of one key within the same millisecond of X server time (its
        # guard against presses an input method repeats), which xdotool can send but no
        # finger can.
        for tap in 1 2 3; do xdotool key --delay 0 Right; done
        sleep 0.6
        xdotool key --delay 0 Right Left
        sleep 0.6
        quit_by_keys keys
        python3 - "$dir/convlens/settings.json" <<'PY' || fail "keys: Right x3, Right Left in the lesson"
import json, sys
lesson = json.load(open(sys.argv[1]))["lesson"]
# step 1 is index 0: three Rights, then Right and Left, leave index 3 (step 4).
ok = lesson["name"] == "backward" and lesson["step"] == 3
print(("ok   " if ok else "FAIL ") + "taps Right Right Right, Right Left from step 1: step %d" % (lesson["step"] + 1))
sys.exit(0 if ok else 1)
PY
    fi

    dir=$(config typing 1 1400 900)
    rm -f "$OUT/typing_cell.json"
    XDG_CONFIG_HOME="$dir" CONVLENS_TEST_SCRIPT="lesson none; sleep 0.3; cell_at input 2 3 $OUT/typing_cell.json" \
        "$BINARY" "$SCENES/default.json" >"$OUT/typing.log" 2>&1 &
    pid=$!
    wait_for_file "$OUT/typing_cell.json"
    window=$(window_id)
    if [ -z "$window" ] || [ ! -f "$OUT/typing_cell.json" ]; then
        fail "typing: no convlens window: $(cat "$OUT/typing.log")"
    else
        sleep 0.5
        xdotool windowfocus --sync "$window"
        # shellcheck disable=SC2046
        xdotool mousemove --window "$window" $(python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print(c["x"], c["y"])' "$OUT/typing_cell.json") click 1
        sleep 0.3
        xdotool type --delay 0 -- -457
        xdotool key --delay 0 BackSpace Return
        sleep 1
        quit_by_keys typing
        python3 - "$dir/convlens/autosave.json" <<'PY' || fail "typing: -457, BackSpace, Return with no delay"
import json, os, sys
path = sys.argv[1]
value = json.load(open(path))["input"][1][2] if os.path.exists(path) else None
ok = value == -45
print(("ok   " if ok else "FAIL ") + "typed -457, BackSpace, Return with no delay into z^l_{2,3}: %s" % value)
sys.exit(0 if ok else 1)
PY
    fi
else
    fail "xdotool is missing (scripts/install-deps.sh installs it)"
fi

if [ "$failures" -ne 0 ]; then
    echo "gui layout test: $failures failure(s)"
    exit 1
fi
echo "gui layout test: all passed"
