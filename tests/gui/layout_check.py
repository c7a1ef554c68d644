#!/usr/bin/env python3
"""Checks the window's layout as the test hook's "layout" command wrote it (app/layout_probe.h).

usage: layout_check.py LAYOUT.json WIDTH HEIGHT UI_SCALE
Fails (exit 1, one line per fault) when
  - the window is not WIDTH x HEIGHT or the widgets' font is not 15 px x UI_SCALE;
  - two panels (menu, controls, canvas, the panel under the canvas, status line) overlap,
    or one reaches outside the window;
  - a widget reaches outside the part of its panel that shows (clipped) across, or down
    in a panel that cannot scroll;
  - two widgets of one panel overlap (the status message and the value readout included);
  - an integer field shows less than three digits' room (1.6 x the font size), a cell
    field or a choice less than its text needs;
  - the canvas's smallest number is under 8 px x UI_SCALE (core/canvas/layer_layout.h's
    kMinLegibleDigitPx, the least the window zooms out to).
"""
import json
import sys

EPS = 0.5  # pixels: rounding of ImGui's rectangles


def overlap(a, b):
    """Area of the intersection of two [x0, y0, x1, y1] rectangles."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > EPS and h > EPS else 0.0


def main():
    path, width, height, ui_scale = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    layout = json.load(open(path))
    faults = []
    fault = faults.append

    dw, dh = layout["display"]
    if (round(dw), round(dh)) != (width, height):
        fault("the window is %gx%g, not %dx%d" % (dw, dh, width, height))
    if abs(layout["font_px"] - 15 * ui_scale) > 0.5:
        fault("the widgets' font is %g px, not %g" % (layout["font_px"], 15 * ui_scale))

    panels = layout["panels"]
    names = [p["name"] for p in panels]
    for wanted in ("menu", "canvas", "controls", "bottom", "status"):
        if wanted not in names:
            fault("no panel %s was drawn" % wanted)
    for i, p in enumerate(panels):
        r = p["rect"]
        if r[0] < -EPS or r[1] < -EPS or r[2] > dw + EPS or r[3] > dh + EPS:
            fault("panel %s %s reaches outside the window" % (p["name"], r))
        for q in panels[i + 1:]:
            if overlap(r, q["rect"]):
                fault("panels %s %s and %s %s overlap" % (p["name"], r, q["name"], q["rect"]))

    by_window = {}
    for p in panels:
        by_window[p["window"]] = p
    widgets = layout["widgets"]
    font = layout["font_px"]
    for w in widgets:
        r, clip = w["rect"], w["clip"]
        what = "%s %s in %s" % (w["name"], [round(v) for v in r], w["panel"])
        if r[0] < clip[0] - EPS or r[2] > clip[2] + EPS:
            if not w["scrolls_x"]:
                fault("%s is cut at the side (visible %s)" % (what, [round(v) for v in clip]))
        if (r[1] < clip[1] - EPS or r[3] > clip[3] + EPS) and not w["scrolls_y"]:
            fault("%s is cut at the top or bottom (visible %s) in a panel that cannot scroll"
                  % (what, [round(v) for v in clip]))
        if r[2] - r[0] < 1 or r[3] - r[1] < 1:
            fault("%s has no size" % what)
        text_width = w.get("text_width")
        if text_width is not None:
            least = {"int field": 1.6 * font, "cell field": 2.5 * font, "combo": 5.0 * font,
                     "target field": 1.6 * font}.get(w["name"], 0)
            if text_width < least:
                fault("%s shows %.0f px of text, less than %.0f" % (what, text_width, least))
    for i, a in enumerate(widgets):
        for b in widgets[i + 1:]:
            if a["panel"] != b["panel"]:
                continue
            # Items of a scrolled child overlap what is outside its view only invisibly.
            ca, cb = a["clip"], b["clip"]
            va = [max(a["rect"][0], ca[0]), max(a["rect"][1], ca[1]), min(a["rect"][2], ca[2]), min(a["rect"][3], ca[3])]
            vb = [max(b["rect"][0], cb[0]), max(b["rect"][1], cb[1]), min(b["rect"][2], cb[2]), min(b["rect"][3], cb[3])]
            if overlap(va, vb):
                fault("%s %s and %s %s overlap in %s" % (a["name"], [round(v) for v in a["rect"]], b["name"],
                                                         [round(v) for v in b["rect"]], a["panel"]))

    digits = layout["canvas_smallest_value_px"]
    if digits < 8 * ui_scale - 0.01:
        fault("the canvas's smallest number is %.1f px, under %.1f" % (digits, 8 * ui_scale))

    for f in faults:
        print("FAIL " + f)
    print("%s: %d panels, %d widgets, canvas numbers from %.1f px, %d fault(s)"
          % (path, len(panels), len(widgets), digits, len(faults)))
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main())
