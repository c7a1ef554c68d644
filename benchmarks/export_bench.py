#!/usr/bin/python3
"""Export speed: convlens against matplotlib, in the same run (a benchmark, not a test).

convlens exports the forward lesson of a 7x7 input and a 3x3 kernel (25 steps) as
1920x1080 PNG frames; matplotlib (Debian's python3-matplotlib, Agg) draws the same kind of
frame (input, kernel and output grids with their numbers, the kernel window, the output
cell being computed and its equation), with every artist built once and only updated per
frame, and saves 25 PNGs of the same size. Prints milliseconds per frame and the ratio.

    /usr/bin/python3 benchmarks/export_bench.py build/convlens
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

FRAMES = 25
REPEATS = 3


def scene():
    rng = random.Random(7)
    return {
        "convlens": 1,
        "title": "7x7 forward",
        "input": [[rng.randint(-3, 3) for _ in range(7)] for _ in range(7)],
        "kernel": [[1, 0, -1], [2, 1, 0], [0, -1, 3]],
    }


def time_convlens(binary, scene_path, work):
    best = None
    for r in range(REPEATS):
        out = os.path.join(work, "convlens-%d" % r)
        start = time.perf_counter()
        subprocess.run([binary, "export", scene_path, "--lesson", "forward", "--format", "png",
                        "--size", "1920x1080", "--out", out], check=True)
        elapsed = time.perf_counter() - start
        count = len([n for n in os.listdir(out) if n.endswith(".png")])
        if count != FRAMES:
            sys.exit("convlens wrote %d frames, expected %d" % (count, FRAMES))
        best = elapsed if best is None else min(best, elapsed)
    return best / FRAMES


def time_matplotlib(s, work):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    import numpy as np

    x = np.array(s["input"], dtype=float)
    w = np.array(s["kernel"], dtype=float)
    out = np.array([[np.sum(x[p:p + 3, q:q + 3] * w) for q in range(5)] for p in range(5)])
    fig = plt.figure(figsize=(19.2, 10.8), dpi=100)
    axes = [fig.add_axes(r) for r in ([0.03, 0.3, 0.3, 0.55], [0.38, 0.45, 0.14, 0.25], [0.58, 0.34, 0.24, 0.45])]
    for ax, m, title in zip(axes, (x, w, out), ("z^l", "w", "z^{l+1}")):
        scale = max(1.0, np.abs(m).max())
        ax.imshow(m, cmap="RdBu_r", vmin=-scale, vmax=scale)
        ax.set_title("$%s$" % title, fontsize=18)
        ax.set_xticks(range(m.shape[1]), [str(i + 1) for i in range(m.shape[1])])
        ax.set_yticks(range(m.shape[0]), [str(i + 1) for i in range(m.shape[0])])
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, "%g" % v, ha="center", va="center", fontsize=13)
    window = Rectangle((-0.5, -0.5), 3, 3, fill=False, edgecolor="#009E73", linewidth=3)
    axes[0].add_patch(window)
    cell = Rectangle((-0.5, -0.5), 1, 1, fill=False, edgecolor="#E69F00", linewidth=3)
    axes[2].add_patch(cell)
    equation = fig.text(0.03, 0.12, "", fontsize=16)
    best = None
    for r in range(REPEATS):
        folder = os.path.join(work, "matplotlib-%d" % r)
        os.makedirs(folder)
        start = time.perf_counter()
        for k in range(FRAMES):
            p, q = divmod(k, 5)
            window.set_xy((q - 0.5, p - 0.5))
            cell.set_xy((q - 0.5, p - 0.5))
            terms = " + ".join("%g \\cdot %g" % (x[p + i, q + j], w[i, j]) for i in range(3) for j in range(3))
            equation.set_text("$z^{l+1}_{%d,%d} = %s = %g$" % (p + 1, q + 1, terms, out[p, q]))
            fig.savefig(os.path.join(folder, "step-%03d.png" % (k + 1)), dpi=100)
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    plt.close(fig)
    return best / FRAMES


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/convlens"
    work = tempfile.mkdtemp(prefix="convlens-export-bench-")
    try:
        s = scene()
        scene_path = os.path.join(work, "scene.json")
        with open(scene_path, "w") as f:
            json.dump(s, f)
        convlens_s = time_convlens(binary, scene_path, work)
        matplotlib_s = time_matplotlib(s, work)
        print(json.dumps({
            "frames": FRAMES,
            "size": "1920x1080",
            "convlens_ms_per_frame": round(convlens_s * 1000, 1),
            "matplotlib_ms_per_frame": round(matplotlib_s * 1000, 1),
            "convlens_faster_by": round(matplotlib_s / convlens_s, 1),
        }))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
