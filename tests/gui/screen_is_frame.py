#!/usr/bin/env python3
"""The window's pixels on the X screen are the frame it would draw now.

usage: screen_is_frame.py BINARY SCENE OUT_DIR   (starts its own Xvfb through xvfb-run)
The window skips drawing a frame equal to the one on screen (app/frame_signature.h), and on
llvmpipe draws and shows a frame only in the rectangles where it differs from the screen
(app/partial_frame.h): this checks that what is on screen is right. Under an Xvfb that keeps
its screen in a file (-fbdir, an XWD image), the window shows SCENE and the pointer hovers a
cell of z^l (the influence view changes: partial frames); the screen is read from the file
and compared with the test hook's `shot` of the next frame, which is always drawn whole.
Then a value of z^l is set (its numbers and colours change), the pointer leaves the window
(the influence view goes back: a partial frame) and the loop runs on, frame after frame,
while nothing changes (frames skipped); the screen is compared with a shot again. The
window's own counts (the hook's `status`) must show partial frames at both checks. The
same again on a generated 160x160 layer, whose grids are heatmaps (OUT_DIR/large). Last,
the hook's `fresh_textures` drops the heatmap textures and a shot drawn from textures
uploaded whole must equal the one drawn from those the edit patched; on the large layer the
edit's uploads must have taken their cells from the value swap's hint.
Exits 1 with the first differing pixel, else prints one line.
"""
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from png_check import read_png  # noqa: E402


def read_xwd(path):
    """(width, height, pixel(x, y) -> (r, g, b)) of Xvfb's 24-bit screen file."""
    with open(path, "rb") as f:
        data = f.read()
    header = struct.unpack(">25I", data[:100])
    header_size, width, height = header[0], header[4], header[5]
    byte_order, bits_per_pixel, bytes_per_line, ncolors = header[7], header[11], header[12], header[19]
    if bits_per_pixel != 32:
        sys.exit("screen_is_frame: expected a 32-bit screen, got %d bits" % bits_per_pixel)
    start = header_size + 12 * ncolors
    fmt = "<I" if byte_order == 0 else ">I"

    def pixel(x, y):
        (v,) = struct.unpack_from(fmt, data, start + y * bytes_per_line + 4 * x)
        return (v >> 16) & 255, (v >> 8) & 255, v & 255
    return width, height, pixel


def wait_for(path, proc, seconds=120):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if os.path.exists(path):
            time.sleep(0.05)
            return
        if proc.poll() is not None:
            sys.exit("screen_is_frame: the window ended early (status %s)" % proc.returncode)
        time.sleep(0.02)
    sys.exit("screen_is_frame: %s never appeared" % path)


def window_left_top(window):
    geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                              capture_output=True, text=True).stdout
    g = dict(line.split("=") for line in geometry.split())
    return int(g["X"]), int(g["Y"])


def compare(screen_path, frame_path, left, top, what, cursor=None):
    """Exits 1 unless the window's rectangle of the screen file is the frame PNG, but for the
    pointer's arrow (Xvfb draws it into its screen) below and right of `cursor`."""
    screen_w, screen_h, screen = read_xwd(screen_path)
    width, height, channels, rows = read_png(frame_path)
    if left + width > screen_w or top + height > screen_h:
        sys.exit("screen_is_frame: the %dx%d window at %d,%d is not on the %dx%d screen" %
                 (width, height, left, top, screen_w, screen_h))
    for y in range(height):
        row = rows[y]
        for x in range(width):
            if cursor and 0 <= x - cursor[0] < 32 and 0 <= y - cursor[1] < 32:
                continue
            drawn = tuple(row[x * channels:x * channels + 3])
            shown = screen(left + x, top + y)
            if drawn != shown:
                sys.exit("screen_is_frame: %s: pixel %d,%d is %s on screen but %s in the frame drawn now" %
                         (what, x, y, shown, drawn))
    return width, height


def main():
    binary, scene, out = sys.argv[1:4]
    if os.environ.get("SCREEN_IS_FRAME_FBDIR") is None:
        fbdir = os.path.join(os.path.abspath(out), "fb")
        os.makedirs(fbdir, exist_ok=True)
        env = dict(os.environ, SCREEN_IS_FRAME_FBDIR=fbdir)
        sys.exit(subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 -fbdir " + fbdir,
                                  sys.executable] + sys.argv, env=env))
    fbdir = os.environ["SCREEN_IS_FRAME_FBDIR"]
    out = os.path.abspath(out)
    print(check(binary, scene, out, fbdir))
    # And a large layer, whose grids are heatmaps: the edit uploads new values, and a
    # partial frame redraws only the cells they changed.
    large = os.path.join(out, "large")
    os.makedirs(large, exist_ok=True)
    rng = random.Random(8)
    with open(os.path.join(large, "scene.json"), "w") as f:
        json.dump({"convlens": 1, "title": "random 160x160, 5x5 kernel",
                   "input": [[round(rng.uniform(-1, 1), 3) for _ in range(160)] for _ in range(160)],
                   "kernel": [[round(rng.uniform(-1, 1), 3) for _ in range(5)] for _ in range(5)]}, f)
    print(check(binary, os.path.join(large, "scene.json"), large, fbdir, heatmaps=True))


def check(binary, scene, out, fbdir, heatmaps=False):
    """Hover, screen against shot, edit, pointer gone, screen against shot, then that shot
    against one from textures uploaded whole (the edit patched them: only its cells, told by
    the value swap's hint when `heatmaps`); exits 1 on a difference, else returns the line to
    print."""
    d = lambda name: os.path.join(out, name)
    for name in ("cell.json", "hovered", "hover.json", "go_hover", "hover.png", "edited.json", "left.json",
                 "frame.png", "fresh.png", "go"):
        if os.path.exists(d(name)):
            os.remove(d(name))
    script = ["wait_results", "sleep 0.3", "cell_at input 2 2 " + d("cell.json"),
              "wait_file " + d("hovered"), "sleep 0.3", "status " + d("hover.json"),
              "wait_file " + d("go_hover"), "shot " + d("hover.png"), "sleep 0.3",
              "set input 1 1 0.75", "wait_results", "sleep 0.5", "status " + d("edited.json"),
              "wait_file " + d("go"), "status " + d("left.json"), "shot " + d("frame.png"), "sleep 0.3",
              "fresh_textures", "shot " + d("fresh.png"), "sleep 0.3", "quit"]
    env = dict(os.environ, XDG_CONFIG_HOME=d("config"), CONVLENS_TEST_SCRIPT="; ".join(script))
    proc = subprocess.Popen([binary, scene], env=env)
    screen_file = os.path.join(fbdir, "Xvfb_screen0")
    try:
        wait_for(d("cell.json"), proc)
        window = subprocess.run(["xdotool", "search", "--sync", "--pid", str(proc.pid), "--name", "^convlens"],
                                capture_output=True, text=True, timeout=30).stdout.split()[0]
        cell = json.load(open(d("cell.json")))
        subprocess.run(["xdotool", "mousemove", "--window", window, str(cell["x"]), str(cell["y"])], check=True)
        open(d("hovered"), "w").close()
        wait_for(d("hover.json"), proc)
        shutil.copyfile(screen_file, d("hover.xwd"))  # kept beside the frame, to look at when they differ
        open(d("go_hover"), "w").close()
        wait_for(d("edited.json"), proc)
        # The pointer leaves the window (the hover view goes back to the selection), and
        # out of the picture: Xvfb draws the cursor into its screen.
        subprocess.run(["xdotool", "mousemove", "1595", "995"], check=True)
        time.sleep(0.5)  # frames go on meanwhile, all equal to the one on screen
        left, top = window_left_top(window)
        shutil.copyfile(screen_file, d("screen.xwd"))
        open(d("go"), "w").close()
        wait_for(d("fresh.png"), proc)
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    compare(d("hover.xwd"), d("hover.png"), left, top, "hovering z^l_{2,2}", (cell["x"] - 2, cell["y"] - 2))
    width, height = compare(d("screen.xwd"), d("frame.png"), left, top, "after the edit, the pointer gone")
    if read_png(d("frame.png")) != read_png(d("fresh.png")):
        sys.exit("screen_is_frame: after the edit, the frame drawn from patched heatmap textures differs "
                 "from one drawn from textures uploaded whole (%s, %s)" % (d("frame.png"), d("fresh.png")))
    counts = [json.load(open(d(name))) for name in ("hover.json", "edited.json", "left.json")]
    hinted = [c.get("heatmap_uploads_hinted", 0) for c in counts]
    if heatmaps and not hinted[1] > hinted[0]:
        sys.exit("screen_is_frame: the edit's heatmap uploads were not told their cells by the value swap "
                 "(hinted uploads: %d before the edit, %d after)" % (hinted[0], hinted[1]))
    partial = [c.get("frames_drawn_partial", 0) for c in counts]
    if os.environ.get("CONVLENS_FULL_FRAMES", "0") == "0" and not (0 < partial[0] < partial[1] < partial[2]):
        sys.exit("screen_is_frame: no partial frames where expected (drawn in part: %d by the hover, %d after "
                 "the edit, %d once the pointer left)" % tuple(partial))
    return ("screen_is_frame: %s: the %dx%d window on screen is the frame drawn now, pixel for pixel, while "
            "hovering and after an edit (%d frames drawn in part, %d whole)" %
            (os.path.basename(scene), width, height, partial[2], counts[2].get("frames_drawn_full", 0)))


if __name__ == "__main__":
    main()
