#!/usr/bin/env python3
"""The real window's frame figures at 64, 256, 512 and 1024, and a photo loading meanwhile.

Starts the built convlens under Xvfb (llvmpipe, the software renderer) on generated scenes
(a random H x H input and a random K x K kernel, written to a temporary folder), makes real
edits and pointer moves, and reads what the window measured itself (the test hook's "live"
and "timings", app/frame_clock.h):

  edit ms      from the moment an edit is accepted to the end of SwapBuffers of the first
               frame that shows its numbers. Input values are typed through the hook's
               "type" verb (the cell's editor and Enter, as for the user: at 512 and 1024
               a cell of z^l is under a pixel wide, too small to click); kernel values are
               real X events: a click on a tap of w, the digits typed, Return (xdotool).
  frames while waiting, longest frame ms
               how many frames were drawn while the edit's numbers were computed, and the
               longest of them: the window never froze for longer than that.
  hover ms     frames in which the pointer moved (xdotool mousemove over z^l) and nothing
               was recomputed and that were drawn: from the loop's wake-up to the end of
               SwapBuffers.
  hover frames skipped
               such frames not drawn because they equal the screen (app/frame_signature.h).
  idle ticks   CPU clock ticks (1/100 s) of the process over 2 s with nothing happening.
  RSS, HWM     /proc/PID/status VmRSS and VmHWM at the end, MB.

With --image it also drops a generated 2000 x 1500 PNG onto a window while the pointer
moves, and checks that frames kept coming while the image decoded (exit status 1 if not).

    python3 benchmarks/window_frames.py build/convlens [--sizes 64/3,256/5] [--edits 5] [--image]
"""
import argparse
import json
import os
import random
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SIZES = [(64, 3), (256, 5), (512, 7), (1024, 11)]


def under_xvfb():
    if os.environ.get("CONVLENS_FRAMES_UNDER_XVFB") == "1":
        return
    os.environ["CONVLENS_FRAMES_UNDER_XVFB"] = "1"
    os.execvp("xvfb-run", ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable] + sys.argv)


def wait_for(path, seconds, proc):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if os.path.exists(path):
            time.sleep(0.05)  # written atomically, but let the writer finish its frame
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def write_scene(path, h, k, rng):
    scene = {
        "convlens": 1,
        "title": "random %dx%d, %dx%d kernel" % (h, h, k, k),
        "input": [[round(rng.uniform(-1, 1), 3) for _ in range(h)] for _ in range(h)],
        "kernel": [[round(rng.uniform(-1, 1), 3) for _ in range(k)] for _ in range(k)],
    }
    with open(path, "w") as f:
        json.dump(scene, f, separators=(",", ":"))


def centre(path):
    c = json.load(open(path))
    return c["x"], c["y"]


def ticks(pid):
    fields = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)


def memory_mb(pid):
    out = {}
    for line in open("/proc/%d/status" % pid):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def xdo(*args):
    subprocess.run(["xdotool"] + [str(a) for a in args], check=True)


def press(key):  # held as a finger does: ImGui 1.86 drops a press and release in one frame
    xdo("keydown", key, "sleep", "0.1", "keyup", key, "sleep", "0.05")


def hover_path(window, a, b, steps):
    """One xdotool run: the pointer moves from a to b in `steps` steps, 25 ms apart."""
    args = []
    for i in range(steps + 1):
        x = round(a[0] + (b[0] - a[0]) * i / steps)
        y = round(a[1] + (b[1] - a[1]) * i / steps)
        args += ["mousemove", "--window", window, x, y, "sleep", "0.025"]
    xdo(*args)


def print_table(rows):
    """Rows (dicts with the same keys, in order) as a Markdown table, the README's form."""
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(keys))) + "|")
    for r in rows:
        print("| " + " | ".join(r[key] for key in keys) + " |")


def stop(proc):
    """SIGTERM, as a desktop's logout sends it (the window saves and quits); killed after 30 s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()


def start(binary, scene, script, work):
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"), CONVLENS_TEST_SCRIPT=script)
    log = open(os.path.join(work, "window.log"), "w")
    return subprocess.Popen([binary, scene], env=env, stdout=log, stderr=subprocess.STDOUT)


def find_window(proc):
    out = subprocess.run(["xdotool", "search", "--sync", "--pid", str(proc.pid), "--name", "^convlens"],
                         capture_output=True, text=True, timeout=30).stdout.split()
    return out[0] if out else None


def measure_size(binary, h, k, edits, rng, work):
    scene = os.path.join(work, "scene.json")
    write_scene(scene, h, k, rng)
    d = lambda name: os.path.join(work, name)
    script = ["live", "wait_results", "sleep 0.5",
              "cell_at kernel 1 1 %s" % d("tap.json"),  # its left top tap: in the window at every size
              "cell_at input 1 1 %s" % d("corner.json"),
              "cell_at input %d %d %s" % (h, h, d("far.json"))]
    for i in range(edits):  # input values through the hook's typing
        script += ["type input %d %d %.3f" % (rng.randint(1, h), rng.randint(1, h), rng.uniform(-1, 1)),
                   "wait_results", "sleep 0.1"]
    # The kernel edits' commands come from a file this script writes once it knows whether
    # the tap is in the window (real X events) or beyond its edge (the hook types them).
    script += ["status %s" % d("typed.json"), "wait_file %s" % d("kernel_plan"), "source %s" % d("kernel_plan"),
               "wait_file %s" % d("hovered"), "sleep 0.3", "timings %s" % d("timings.json")]
    proc = start(binary, scene, "; ".join(script), work)
    try:
        if not wait_for(d("typed.json"), 600, proc):
            raise RuntimeError("the window did not get through the typed edits: " + open(d("window.log")).read())
        window = find_window(proc)
        if not window:
            raise RuntimeError("xdotool found no convlens window")
        xdo("windowfocus", "--sync", window)
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window],
                                  capture_output=True, text=True).stdout
        size = dict(line.split("=") for line in geometry.split())
        x, y = centre(d("tap.json"))
        real = 0 <= x < int(size["WIDTH"]) and 0 <= y < int(size["HEIGHT"])
        plan = []
        for i in range(edits):
            if real:  # the shell's X events, then the numbers on screen
                plan += ["wait_file %s" % d("kernel_%d" % i), "sleep 0.2", "wait_results",
                         "status %s" % d("kernel_%d.json" % i)]
            else:
                plan += ["type kernel 1 1 %.2f" % rng.uniform(-1, 1), "wait_results", "sleep 0.1"]
        with open(d("kernel_plan.tmp"), "w") as f:
            f.write("; ".join(plan))
        os.rename(d("kernel_plan.tmp"), d("kernel_plan"))
        for i in range(edits if real else 0):
            xdo("mousemove", "--window", window, x, y, "click", "1")
            time.sleep(0.15)
            xdo("type", "--delay", "30", "--", "%.2f" % rng.uniform(-1, 1))
            press("Return")
            open(d("kernel_%d" % i), "w").close()
            if not wait_for(d("kernel_%d.json" % i), 600, proc):
                raise RuntimeError("kernel edit %d never showed: %s" % (i, open(d("window.log")).read()))
        a, b = centre(d("corner.json")), centre(d("far.json"))
        hover_path(window, a, b, 60)
        hover_path(window, b, a, 60)
        open(d("hovered"), "w").close()
        if not wait_for(d("timings.json"), 120, proc):
            raise RuntimeError("no timings: " + open(d("window.log")).read())
        time.sleep(1.0)  # the script has ended: the window waits for events as for a user
        before = ticks(proc.pid)
        time.sleep(2.0)
        idle = ticks(proc.pid) - before
        mem = memory_mb(proc.pid)
    finally:
        stop(proc)
    t = json.load(open(d("timings.json")))
    t["kernel_by"] = "X" if real else "hook"
    return t, idle, mem


def summary(h, k, t, idle, mem, edits):
    timed = t["edits"]
    # The typed input values, then the kernel values (the scene's first computation at
    # the start is no edit).
    typed, kernel = timed[:edits], timed[edits:2 * edits]
    hover = sorted(t["hover_frames_ms"])
    ms = lambda es: [e["ms"] for e in es]
    row = {
        "size": "%d, %d" % (h, k),
        "input edit ms (median, max)": "%.0f, %.0f" % (statistics.median(ms(typed)), max(ms(typed))) if typed else "-",
        "kernel edit ms (median, max)": ("%.0f, %.0f" % (statistics.median(ms(kernel)), max(ms(kernel))) +
                                         ("" if t["kernel_by"] == "X" else " (hook)")) if kernel else "-",
        "frames while waiting (max)": str(max(e["frames"] for e in typed + kernel)) if typed + kernel else "-",
        "longest frame ms while waiting": "%.0f" % max(e["longest_frame_ms"] for e in typed + kernel) if typed + kernel else "-",
        "hover ms (median, p95, n)": "%.1f, %.1f, %d" % (statistics.median(hover), hover[int(0.95 * (len(hover) - 1))], len(hover)) if hover else "-",
        "hover frames skipped": "%d" % t.get("hover_frames_skipped", 0),
        "idle ticks in 2 s": str(idle),
        "RSS MB": "%.0f" % mem.get("VmRSS", 0),
        "HWM MB": "%.0f" % mem.get("VmHWM", 0),
    }
    if t["pending_edits"]:
        row["input edit ms (median, max)"] += " (%d never shown)" % t["pending_edits"]
    return row


def png_bytes(rows, cols, rng):
    """A grey photograph stand-in: smooth gradients and noise, so it compresses as photos do."""
    raw = bytearray()
    for r in range(rows):
        raw.append(0)
        base = [(r * 255 // rows + c * 255 // cols) // 2 for c in range(cols)]
        raw += bytes(min(255, max(0, v + rng.randint(-20, 20))) for v in base)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    ihdr = struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b"")


def image_check(binary, rng, work):
    d = lambda name: os.path.join(work, name)
    photo = d("photo.png")
    with open(photo, "wb") as f:
        f.write(png_bytes(1500, 2000, rng))
    scene = d("scene.json")
    write_scene(scene, 64, 3, rng)
    script = ["live", "wait_results", "sleep 0.3", "cell_at input 1 1 %s" % d("corner.json"),
              "cell_at input 64 64 %s" % d("far.json"), "wait_file %s" % d("go"), "drop %s" % photo,
              "wait_results", "status %s" % d("status.json"), "dump %s" % d("dumped.json"),
              "timings %s" % d("timings.json")]
    proc = start(binary, scene, "; ".join(script), work)
    try:
        if not wait_for(d("far.json"), 120, proc):
            raise RuntimeError("the window did not start: " + open(d("window.log")).read())
        window = find_window(proc)
        a, b = centre(d("corner.json")), centre(d("far.json"))
        open(d("go"), "w").close()
        # The pointer keeps moving while the image decodes: every move wants a frame.
        deadline = time.monotonic() + 30
        while not os.path.exists(d("timings.json")) and time.monotonic() < deadline:
            hover_path(window, a, b, 10)
            hover_path(window, b, a, 10)
    finally:
        wait_for(d("timings.json"), 30, proc)
        stop(proc)
    t = json.load(open(d("timings.json")))
    dumped = json.load(open(d("dumped.json")))
    image = t["images"][0] if t["images"] else None
    ok = (image is not None and image["ms"] is not None and isinstance(dumped["input"], dict)
          and image["frames"] >= 5 and image["longest_frame_ms"] < max(100.0, image["ms"] / 3))
    print("\nA 2000x1500 PNG dropped while the pointer moves (scaled to 768x1024 off the UI thread):")
    if image:
        print("  decoded and shown after %.0f ms; %d frames drawn meanwhile, the longest %.0f ms" %
              (image["ms"] or -1, image["frames"], image["longest_frame_ms"]))
    print("  z^l is now %s" % dumped["input"])
    print("  " + ("ok: frames kept coming while it decoded" if ok else "FAIL: the window stalled while the image decoded"))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--sizes", default=",".join("%d/%d" % s for s in SIZES))
    parser.add_argument("--edits", type=int, default=5, help="input edits and kernel edits per size")
    parser.add_argument("--image", action="store_true", help="also drop a 2000x1500 PNG and check the frames")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    under_xvfb()
    rng = random.Random(20261130)
    root = tempfile.mkdtemp(prefix="convlens-frames-")
    rows = []
    ok = True
    try:
        print("load average before: %s" % open("/proc/loadavg").read().split()[:3])
        for spec in args.sizes.split(","):
            h, k = (int(x) for x in spec.split("/"))
            work = os.path.join(root, "%d_%d" % (h, k))
            os.makedirs(work)
            t, idle, mem = measure_size(binary, h, k, args.edits, rng, work)
            rows.append(summary(h, k, t, idle, mem, args.edits))
            print("%d/%d done" % (h, k), flush=True)
        if args.image:
            work = os.path.join(root, "image")
            os.makedirs(work)
            ok = image_check(binary, rng, work)
        print("load average after: %s\n" % open("/proc/loadavg").read().split()[:3])
        if rows:
            print_table(rows)
    finally:
        if args.keep:
            print("kept " + root)
        else:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
