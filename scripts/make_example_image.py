#!/usr/bin/env python3
"""Draws assets/images/shapes.png, the example photograph of the image scenes: a 128x128
greyscale PNG of simple shapes (a disc, a square, a triangle, stripes) on a soft gradient,
whose straight and round edges show what Sobel, Laplacian and Gaussian kernels do.

Made by this script for convlens (no outside picture, same licence as convlens). Only the
standard library: the PNG is written by hand (signature, IHDR, one zlib IDAT, IEND).
    python3 scripts/make_example_image.py [OUT]      (default assets/images/shapes.png)
"""
import math
import os
import struct
import sys
import zlib

SIZE = 128
SAMPLES = 4  # per axis: edges are anti-aliased by averaging 16 samples a pixel


def shade(y, x):
    """Grey level in [0, 1] at a point; later shapes cover earlier ones."""
    g = 0.30 + 0.20 * y / SIZE                                  # soft vertical gradient
    if 70 <= y < 112 and 14 <= x < 56:                          # dark square
        g = 0.08
    if (y - 40) ** 2 + (x - 42) ** 2 < 24 ** 2:                 # bright disc
        g = 0.92
    # Triangle: apex (66, 98), base from (114, 74) to (114, 122).
    if 66 <= y < 114 and abs(x - 98) < (y - 66) / 2:
        g = 0.75
    if 10 <= y < 50 and 78 <= x < 118 and int(x - 78) // 5 % 2 == 0:  # vertical stripes
        g = 0.15
    return g


def pixel(r, c):
    total = 0.0
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            total += shade(r + (i + 0.5) / SAMPLES, c + (j + 0.5) / SAMPLES)
    return round(255 * total / SAMPLES ** 2)


def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "assets", "images", "shapes.png")
    rows = b"".join(b"\x00" + bytes(pixel(r, c) for c in range(SIZE)) for r in range(SIZE))
    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 0, 0, 0, 0))  # 8-bit grey
           + chunk(b"IDAT", zlib.compress(rows, 9))
           + chunk(b"IEND", b""))
    with open(out, "wb") as f:
        f.write(png)


if __name__ == "__main__":
    main()
