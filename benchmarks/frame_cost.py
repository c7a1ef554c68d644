#!/usr/bin/env python3
"""What one frame of the real window costs on llvmpipe, in CPU time, while the pointer moves.

Wall-clock frame times on a machine shared by several processes say more about the load than
about the window. This starts the built convlens under Xvfb (llvmpipe) on a generated scene
(a random H x H input and K x K kernel), moves the pointer over z^l for a while (xdotool,
as window_frames.py does) and reads:

  frames       how many frames the window drew meanwhile (the frame clock, app/frame_clock.h)
  cpu ms/frame the process's CPU time over those frames (all threads: ours, and llvmpipe's
               rasterizer threads; /proc/PID/stat utime + stime) divided by the frames
               (a frame equal to the one on screen is counted but not drawn, window.cpp)
  cpu ms/move  the same CPU time divided by the pointer moves
  drawn (partial)
               the frames really drawn (the others equal the screen), and how many of them
               were drawn only in their damaged rectangles (app/partial_frame.h)
  cpu ms/drawn frame
               the CPU time divided by the frames drawn
  Mpx/drawn frame
               pixels drawn and shown per drawn frame, millions (the whole window: 1.26)
  X server cpu ms/move
               the CPU time of the Xvfb that shows the window (it copies what is shown)
  wall ms/frame the median hover frame, from the loop's wake-up to the end of its presentation

With --perf it also records the process meanwhile (perf record -g) into PATH.

    python3 benchmarks/frame_cost.py build/convlens [--sizes 64/3,512/7] [--moves 200] [--perf PATH]
"""
import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ beside the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import window_frames as wf  # noqa: E402  (the scene, the window, xdotool and /proc helpers)


def clock_ticks():
    return os.sysconf("SC_CLK_TCK")


def x_server_pid():
    """The Xvfb serving $DISPLAY (xvfb-run started it beside this script), or None."""
    display = os.environ.get("DISPLAY", "")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = open("/proc/%s/cmdline" % pid, "rb").read().split(b"\0")
        except OSError:
            continue
        if cmdline and os.path.basename(cmdline[0]) == b"Xvfb" and display.encode() in cmdline:
            return int(pid)
    return None


def measure(binary, h, k, moves, rng, work, perf_path):
    scene = os.path.join(work, "scene.json")
    wf.write_scene(scene, h, k, rng)
    d = lambda name: os.path.join(work, name)
    script = ["live", "wait_results", "sleep 0.5",
              "cell_at input 1 1 %s" % d("corner.json"),
              "cell_at input %d %d %s" % (h, h, d("far.json")),
              "wait_file %s" % d("go"), "timings %s" % d("before.json"),
              "wait_file %s" % d("hovered"), "timings %s" % d("after.json")]
    proc = wf.start(binary, scene, "; ".join(script), work)
    perf = None
    try:
        if not wf.wait_for(d("far.json"), 600, proc):
            raise RuntimeError("the window did not start: " + open(d("window.log")).read())
        window = wf.find_window(proc)
        wf.xdo("windowfocus", "--sync", window)
        a, b = wf.centre(d("corner.json")), wf.centre(d("far.json"))
        wf.xdo("mousemove", "--window", window, a[0], a[1])
        time.sleep(0.3)
        open(d("go"), "w").close()
        if not wf.wait_for(d("before.json"), 60, proc):
            raise RuntimeError("no timings: " + open(d("window.log")).read())
        if perf_path:
            perf = subprocess.Popen(["perf", "record", "-q", "-g", "-o", perf_path, "-p", str(proc.pid)],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        server = x_server_pid()
        server0 = wf.ticks(server) if server else 0
        ticks0, wall0 = wf.ticks(proc.pid), time.monotonic()
        half = moves // 2
        wf.hover_path(window, a, b, half)
        wf.hover_path(window, b, a, half)
        time.sleep(0.2)  # the last move's frames
        ticks1, wall1 = wf.ticks(proc.pid), time.monotonic()
        server1 = wf.ticks(server) if server else 0
        if perf:
            perf.send_signal(signal.SIGINT)
            perf.wait(60)
        open(d("hovered"), "w").close()
        if not wf.wait_for(d("after.json"), 60, proc):
            raise RuntimeError("no timings: " + open(d("window.log")).read())
    finally:
        wf.stop(proc)
    before, after = json.load(open(d("before.json"))), json.load(open(d("after.json")))
    frames = after["frames"] - before["frames"]
    hover = after["hover_frames_ms"][len(before["hover_frames_ms"]):]
    cpu_ms = (ticks1 - ticks0) * 1000.0 / clock_ticks()
    server_ms = (server1 - server0) * 1000.0 / clock_ticks() if server else None
    count = lambda key: after.get(key, 0) - before.get(key, 0)
    partial = count("frames_drawn_partial")
    drawn = count("frames_drawn_full") + partial
    pixels = count("pixels_drawn")
    return {
        "size": "%d, %d" % (h, k),
        "frames": str(frames),
        "drawn (partial)": "%d (%d)" % (drawn, partial),
        "cpu ms/drawn frame": "%.1f" % (cpu_ms / drawn) if drawn else "-",
        "Mpx/drawn frame": "%.2f" % (pixels / drawn / 1e6) if drawn else "-",
        "cpu ms/frame": "%.1f" % (cpu_ms / frames) if frames else "-",
        "cpu ms/move": "%.1f" % (cpu_ms / (2 * half + 2)),
        "X server cpu ms/move": "%.1f" % (server_ms / (2 * half + 2)) if server else "-",
        "cpu share of one core": "%.2f" % (cpu_ms / 1000.0 / (wall1 - wall0)),
        "hover wall ms (median, n)": "%.1f, %d" % (statistics.median(hover), len(hover)) if hover else "-",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--sizes", default="64/3,512/7")
    parser.add_argument("--moves", type=int, default=200, help="pointer moves, 25 ms apart")
    parser.add_argument("--perf", help="perf record the first size's hover into this file")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    perf_path = os.path.abspath(args.perf) if args.perf else None
    wf.under_xvfb()
    rng = random.Random(20261130)
    root = tempfile.mkdtemp(prefix="convlens-cost-")
    rows = []
    try:
        print("load average before: %s" % open("/proc/loadavg").read().split()[:3])
        for i, spec in enumerate(args.sizes.split(",")):
            h, k = (int(x) for x in spec.split("/"))
            work = os.path.join(root, "%d_%d" % (h, k))
            os.makedirs(work)
            rows.append(measure(binary, h, k, args.moves, rng, work, perf_path if i == 0 else None))
        print("load average after: %s\n" % open("/proc/loadavg").read().split()[:3])
        wf.print_table(rows)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
