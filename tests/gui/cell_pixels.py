#!/usr/bin/env python3
"""Checks what the window shows in named cells of a screenshot, by their pixels.

usage: cell_pixels.py PNG SCENE CELLS_DIR
CELLS_DIR holds the test hook's `cell_at` answers (GRID-M-N.json: a cell's centre and
size in window pixels, from the display list the canvas drew). The scene's z^l must hold
its largest magnitude 4 as +4 at (1,1) and -4 at (5,5), 0 at (1,3), 2 at (1,4) and -3 at
(3,4); z^l_{2,3} must be selected. Checked:
- each of those cells is filled with the light theme's diverging map of value / 4, the
  map computed here from its CIELAB definition (RdBu ends #2166AC and #B2182B around
  #F7F7F7), not read from convlens;
- the selected cell is outlined in the focus colour (#E69F00), an unrelated one is not;
- z^{l+1}_{1,3}, which z^l_{2,3} feeds (p = 2-i+1 = 1 for i = 2), is outlined in the
  influence colour (#009E73); z^{l+1}_{3,2}, which it does not feed (p would be 3 for
  i = 0), is not.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_check import read_png  # noqa: E402

TOLERANCE = 8  # per channel, of 255
NEGATIVE, NEUTRAL, POSITIVE = (0x21, 0x66, 0xAC), (0xF7, 0xF7, 0xF7), (0xB2, 0x18, 0x2B)
FOCUS, INFLUENCE = (0xE6, 0x9F, 0x00), (0x00, 0x9E, 0x73)


def linear(c):
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb):
    r, g, b = (linear(c) for c in rgb)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883
    f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def rgb(lab_value):
    l, a, b = lab_value
    fy = (l + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200
    inv = [t ** 3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29) for t in (fx, fy, fz)]
    x, y, z = 0.95047 * inv[0], inv[1], 1.08883 * inv[2]
    lin = (3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
           -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
           0.0556434 * x - 0.2040259 * y + 1.0572252 * z)
    out = []
    for c in lin:
        c = min(max(c, 0.0), 1.0)
        out.append(round(255 * (12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055)))
    return tuple(out)


def diverging(value, scale):
    t = min(abs(value) / scale, 1.0)
    end = NEGATIVE if value < 0 else POSITIVE
    a, b = lab(NEUTRAL), lab(end)
    return rgb(tuple(a[k] + t * (b[k] - a[k]) for k in range(3)))


def main():
    png, scene_path, cells_dir = sys.argv[1:4]
    image = read_png(png)
    width, height, channels, rows = image
    scene = json.load(open(scene_path))

    def pixel(x, y):
        x, y = int(round(x)), int(round(y))
        if not (0 <= x < width and 0 <= y < height):
            return None
        return tuple(rows[y][x * channels:x * channels + 3])

    def cell(grid, m, n):
        return json.load(open(os.path.join(cells_dir, "%s-%d-%d.json" % (grid, m, n))))

    def near(a, b, tolerance=TOLERANCE):
        return a is not None and all(abs(a[k] - b[k]) <= tolerance for k in range(3))

    ok = True

    def check(cond, what):
        nonlocal ok
        print(("ok   " if cond else "FAIL ") + what)
        ok = ok and cond

    # Fills: a 3x3 patch a fifth of the way in from the top-left corner, clear of the
    # outline and of the number in the middle; every pixel of it must agree.
    for m, n in [(1, 1), (5, 5), (1, 3), (1, 4), (3, 4)]:
        value = scene["input"][m - 1][n - 1]
        c = cell("input", m, n)
        x0, y0 = c["x"] - c["width"] * 0.3, c["y"] - c["height"] * 0.3
        patch = [pixel(x0 + dx, y0 + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
        expected = diverging(value, 4)
        check(all(near(p, expected) for p in patch),
              "z(%d,%d) = %g is filled %s (expected %s, the map at %g)" % (m, n, value, patch[4], expected, value / 4))

    # Outlines lie just inside a cell's edge: which sides show the colour 0 to 3 px in.
    # The top side of a cell under a fed one is left out where it matters: the arrows
    # that end in the fed cell reach across that edge.
    sides = {"left": (-1, 0), "right": (1, 0), "top": (0, -1), "bottom": (0, 1)}

    def sides_in(c, colour, which=("left", "right", "top", "bottom")):
        hits = 0
        for name in which:
            sx, sy = sides[name]
            found = False
            for d in (0.5, 1.5, 2.5):
                x = c["x"] + sx * (c["width"] / 2 - d)
                y = c["y"] + sy * (c["height"] / 2 - d)
                for along in (-0.25, 0, 0.25):  # a few points along the side, off the corners
                    px = pixel(x + (0 if sx else along * c["width"]), y + (0 if sy else along * c["height"]))
                    found = found or near(px, colour, 24)
            hits += found
        return hits

    check(sides_in(cell("input", 2, 3), FOCUS) == 4, "the selected z(2,3) is outlined in the focus colour")
    check(sides_in(cell("input", 5, 1), FOCUS) == 0, "z(5,1) shows no focus colour")
    check(sides_in(cell("output", 1, 3), INFLUENCE) >= 3, "z^{l+1}(1,3), fed by z(2,3), is outlined in the influence colour")
    check(sides_in(cell("output", 3, 2), INFLUENCE, ("left", "right", "bottom")) == 0,
          "z^{l+1}(3,2), not fed by z(2,3), is not")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
