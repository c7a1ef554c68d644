#!/usr/bin/env bash
# File > Export cancelled with real clicks: under Xvfb, the test hook opens the dialog on a
# long export (the backward lesson of a 16x16 input, 3840x2160 PNG frames) and says where
# its buttons are; xdotool clicks Export, waits for frames to be written, and clicks
# Cancel. Then the window's error line says the export was cancelled, the frames already
# written are gone (the folder too, as the export made it), and the window still answers.
#   export_cancel.sh BINARY OUT_DIR
set -u  # each check reports; the status is the sum

if [ -z "${CONVLENS_SMOKE_UNDER_XVFB:-}" ]; then
    CONVLENS_SMOKE_UNDER_XVFB=1 exec xvfb-run -a -s "-screen 0 1600x1000x24" "$0" "$@"
fi

BINARY=$1
OUT=$2
rm -rf "$OUT"
mkdir -p "$OUT"
CONFIG=$(mktemp -d)
trap 'rm -rf "$CONFIG"' EXIT
export XDG_CONFIG_HOME="$CONFIG"
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"  # Mesa's, as in smoke.sh
unset CONVLENS_TEST_SCRIPT || true

if ! command -v xdotool >/dev/null 2>&1; then
    echo "FAIL: xdotool is missing (scripts/install-deps.sh installs it)"
    exit 1
fi

wait_for() {  # FILE [TRIES]: a marker the window writes through the test hook (0.2 s a try)
    tries=0
    while [ ! -f "$1" ] && [ "$tries" -lt "${2:-150}" ]; do
        sleep 0.2
        tries=$((tries + 1))
    done
    [ -f "$1" ]
}
field() {  # FILE KEY...: a value of the state JSON
    python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2:]: v = v[k]
print(v)' "$@"
}

python3 - "$OUT/big.json" <<'PY'
import json, sys
size = 16
scene = {"convlens": 1, "title": "16x16",
         "input": [[(r * 7 + c * 3) % 5 - 2 for c in range(size)] for r in range(size)],
         "kernel": [[1, 0, -1], [2, 1, 0], [0, -1, 3]]}
json.dump(scene, open(sys.argv[1], "w"))
PY

frames="$OUT/frames"
CONVLENS_TEST_SCRIPT="lesson backward; export_dialog png $frames 3840x2160; sleep 0.8; \
export_dialog_state $OUT/before.json; wait_file $OUT/go1; export_dialog_state $OUT/running.json; \
wait_file $OUT/go2; sleep 0.3; wait_export; sleep 0.3; export_dialog_state $OUT/after.json; quit" \
    "$BINARY" "$OUT/big.json" >"$OUT/window.log" 2>&1 &
pid=$!

status=0
check() {  # CONDITION-STATUS WHAT
    if [ "$1" -eq 0 ]; then echo "ok   $2"; else echo "FAIL $2"; status=1; fi
}

if ! wait_for "$OUT/before.json"; then
    kill "$pid" 2>/dev/null || true
    echo "FAIL: the window never opened the dialog: $(cat "$OUT/window.log")"
    exit 1
fi
window=$(timeout 20 xdotool search --sync --name '^convlens' | head -1 || true)
[ -n "$window" ] || { kill "$pid"; echo "FAIL: no convlens window"; exit 1; }
xdotool windowfocus --sync "$window" || true
[ "$(field "$OUT/before.json" open)" = True ]
check $? "File > Export is open"
xdotool mousemove --window "$window" "$(field "$OUT/before.json" export_button x)" \
    "$(field "$OUT/before.json" export_button y)" click 1
# The click started the export: frames appear in the folder (waited for up to a minute:
# under the sanitizers the first frame comes 6-10 s after the click).
tries=0
while [ "$(find "$frames" -name '*.png' 2>/dev/null | wc -l)" -lt 2 ] && [ "$tries" -lt 600 ]; do
    sleep 0.1
    tries=$((tries + 1))
done
written=$(find "$frames" -name '*.png' 2>/dev/null | wc -l)
[ "$written" -ge 2 ]
check $? "the Export click started writing frames ($written so far)"
touch "$OUT/go1"
wait_for "$OUT/running.json" || true
[ "$(field "$OUT/running.json" running)" = True ]
check $? "the dialog shows the export running: $(cat "$OUT/running.json")"
xdotool mousemove --window "$window" "$(field "$OUT/running.json" cancel_button x)" \
    "$(field "$OUT/running.json" cancel_button y)" click 1
touch "$OUT/go2"
wait_for "$OUT/after.json" 300 || true
wait "$pid"
check $? "the window quits normally after the cancel: $(cat "$OUT/window.log")"
[ "$(field "$OUT/after.json" running)" = False ]
check $? "the export has ended"
case "$(field "$OUT/after.json" error)" in
    *cancelled*) check 0 "the error line says the export was cancelled" ;;
    *) check 1 "the error line says the export was cancelled: $(cat "$OUT/after.json")" ;;
esac
python3 - "$OUT/after.json" <<'PY'
import json, sys
after = json.load(open(sys.argv[1]))
# Cancelled part-way: fewer frames done than the lesson has.
sys.exit(0 if 0 < after["done"] < after["total"] else 1)
PY
check $? "cancelled part-way ($(field "$OUT/after.json" done) of $(field "$OUT/after.json" total) frames)"
[ ! -e "$frames" ]
check $? "no frame is left behind (the folder the export made is gone)"
exit $status
