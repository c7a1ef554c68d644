#!/usr/bin/python3
"""Engine speed: convlens against PyTorch, in the same run (a benchmark, not a test).

For each (H, K) below, on one thread and on every thread, times the three passes of one
convolutional layer in double precision on a random HxH input with a KxK kernel (stride 1,
no padding):
  convlens: `BINARY bench H K --threads N` (forward + grad_input + grad_kernel, median ms);
  PyTorch (Debian's python3-torch): torch.nn.functional.conv2d forward and
           torch.autograd.grad for both the input and the kernel gradient, float64,
           torch.set_num_threads(N), median ms.
The two sides alternate size by size, so both suffer the same load on a shared machine.
Prints a table with convlens/PyTorch (below 1: convlens is faster) and how many times
faster convlens is.

    /usr/bin/python3 benchmarks/torch_bench.py build/convlens
"""
import json
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

SIZES = [(28, 3), (64, 5), (256, 3), (256, 7), (512, 7), (1024, 3), (1024, 11)]
BUDGET_SECONDS = 0.5  # each side times runs until this much has passed (at least 3 runs)
MAX_RUNS = 200


def time_torch(h, k, threads):
    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(h * 100 + k)
    x = (torch.rand(1, 1, h, h, dtype=torch.float64, generator=gen) * 2 - 1).requires_grad_()
    w = (torch.rand(1, 1, k, k, dtype=torch.float64, generator=gen) * 2 - 1).requires_grad_()
    up = torch.rand(1, 1, h - k + 1, h - k + 1, dtype=torch.float64, generator=gen) * 2 - 1

    def once():
        z = F.conv2d(x, w)
        grad_x, grad_w = torch.autograd.grad(z, (x, w), up)
        return float(grad_x[0, 0, 0, 0] + grad_w[0, 0, 0, 0])

    once()  # warm-up, as convlens bench does
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < BUDGET_SECONDS and len(times) < MAX_RUNS):
        t0 = time.perf_counter()
        once()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def time_convlens(binary, h, k, threads):
    out = subprocess.run([binary, "bench", str(h), str(k), "--threads", str(threads)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["median_ms"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: torch_bench.py CONVLENS_BINARY")
    binary = sys.argv[1]
    all_threads = len(os.sched_getaffinity(0))
    print("PyTorch %s, %d hardware threads; median ms of forward + grad_input + grad_kernel, "
          "float64, stride 1, no padding" % (torch.__version__, all_threads))
    header = "%-6s %-3s %-7s %12s %12s %17s %14s" % (
        "H", "K", "threads", "convlens ms", "PyTorch ms", "convlens/PyTorch", "times faster")
    print(header)
    print("-" * len(header))
    for h, k in SIZES:
        for threads in sorted({1, all_threads}):
            ours = time_convlens(binary, h, k, threads)
            theirs = time_torch(h, k, threads)
            print("%-6d %-3d %-7d %12.4g %12.4g %17.4f %14.1f" % (
                h, k, threads, ours, theirs, ours / theirs, theirs / ours), flush=True)


if __name__ == "__main__":
    main()
