#!/usr/bin/env python3
"""A frame exported by cairo and the window's screenshot of the same step agree.

usage: export_agree.py BINARY SCENE OUT_DIR   (needs a display: run under xvfb-run)
The window plays the forward lesson at step 3 and, through the test hook
(app/test_hook.h), writes its screenshot and `cells`: where each grid's cells are in the
window and in the 1920x1080 frame `convlens export` draws, each side from its own fit of
the step's display list. `convlens export --steps 3 --format png` then writes that frame.
Checks: both sides show the same grids with the same rows and columns; in every cell of
every grid, a point inside the cell (a fifth of the way in from its top-left corner: clear
of the outline and of the number) has the same colour in both pictures, within a small
tolerance for the two rasterisers. Exits 1 with the first disagreement, else prints one line.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_check import read_png  # noqa: E402

TOLERANCE = 8  # per channel, of 255
INSET = 0.2    # of a cell's side, from its top-left corner


def pixel(image, x, y):
    width, height, channels, rows = image
    xi, yi = int(x), int(y)
    if not (0 <= xi < width and 0 <= yi < height):
        sys.exit("export_agree: point %.1f,%.1f lies outside a %dx%d picture" % (x, y, width, height))
    row = rows[yi]
    return tuple(row[xi * channels:xi * channels + 3])


def main():
    binary, scene, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    shot = os.path.join(out, "agree-window.png")
    cells = os.path.join(out, "agree-cells.json")
    frames = os.path.join(out, "agree-export")
    env = dict(os.environ)
    env["CONVLENS_TEST_SCRIPT"] = ("lesson forward; step 3; sleep 1.5; shot %s; cells %s; quit"
                                   % (shot, cells))
    subprocess.run([binary, scene], env=env, check=True, timeout=60)
    subprocess.run([binary, "export", scene, "--lesson", "forward", "--steps", "3", "--format",
                    "png", "--out", frames], check=True, timeout=60)
    with open(cells) as f:
        places = json.load(f)
    window = read_png(shot)
    exported = read_png(os.path.join(frames, sorted(os.listdir(frames))[0]))
    if (exported[0], exported[1]) != (1920, 1080):
        sys.exit("export_agree: the exported frame is %dx%d, not 1920x1080" % exported[:2])

    def shape(side):
        return sorted((g["grid"], g["rows"], g["cols"]) for g in places[side])

    if shape("window") != shape("export"):
        sys.exit("export_agree: the window shows grids %s, the export %s"
                 % (shape("window"), shape("export")))
    by_grid = {g["grid"]: g for g in places["export"]}
    compared = 0
    for w in places["window"]:
        e = by_grid[w["grid"]]
        for r in range(w["rows"]):
            for c in range(w["cols"]):
                wp = pixel(window, w["x"] + (c + INSET) * w["cell"], w["y"] + (r + INSET) * w["cell"])
                ep = pixel(exported, e["x"] + (c + INSET) * e["cell"], e["y"] + (r + INSET) * e["cell"])
                if max(abs(a - b) for a, b in zip(wp, ep)) > TOLERANCE:
                    sys.exit("export_agree: grid %d cell %d,%d is %s in the window, %s in the export"
                             % (w["grid"], r, c, wp, ep))
                compared += 1
    if compared == 0:
        sys.exit("export_agree: no cells to compare")
    print("export_agree: %d cells in %d grids agree between the window and the export"
          % (compared, len(places["window"])))


if __name__ == "__main__":
    main()
