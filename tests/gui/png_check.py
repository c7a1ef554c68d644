#!/usr/bin/env python3
"""Checks a screenshot of the convlens window without any imaging library.

usage: png_check.py PNG WIDTH HEIGHT [MIN_COLOURS]
Exits 0 when the PNG has exactly WIDTH x HEIGHT pixels and is not blank: at least
MIN_COLOURS (default 64) distinct colours and no single colour covering 98 % of it.
Prints one line saying what it found.
"""
import collections
import struct
import sys
import zlib


def read_png(path):
    """Returns (width, height, channels, rows) with rows as lists of bytes."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    if header is None:
        raise ValueError("no IHDR chunk")
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError("unsupported PNG (depth %d, colour type %d, interlace %d)"
                         % (depth, colour, interlace))
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind not in UNFILTER:
            raise ValueError("row %d: unknown filter type %d" % (y, kind))
        UNFILTER[kind](line, previous, channels)
        rows.append(line)
        previous = line
    return width, height, channels, rows


# The five row filters of the PNG specification (section 9), undone in place: a is the
# byte one pixel to the left, b the one above, c the one above-left (0 outside the image).
# One loop per filter rather than one loop testing the filter at every byte: a 1400x900
# screenshot decodes in a fraction of the time, which the GUI test pays some twenty times.
def _none(line, previous, channels):
    pass


def _sub(line, previous, channels):
    for x in range(channels, len(line)):
        line[x] = (line[x] + line[x - channels]) & 255


def _up(line, previous, channels):
    line[:] = bytes((v + b) & 255 for v, b in zip(line, previous))


def _average(line, previous, channels):
    for x in range(len(line)):
        a = line[x - channels] if x >= channels else 0
        line[x] = (line[x] + (a + previous[x]) // 2) & 255


def _paeth(line, previous, channels):
    for x in range(channels):  # a = c = 0: the predictor is b
        line[x] = (line[x] + previous[x]) & 255
    for x in range(channels, len(line)):
        a, b, c = line[x - channels], previous[x], previous[x - channels]
        if a == b == c:  # flat colour, most of a screenshot: every distance is 0
            line[x] = (line[x] + a) & 255
            continue
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)  # |p - a|, |p - b|, |p - c|
        line[x] = (line[x] + (a if pa <= pb and pa <= pc else (b if pb <= pc else c))) & 255


UNFILTER = {0: _none, 1: _sub, 2: _up, 3: _average, 4: _paeth}


def main():
    if len(sys.argv) not in (4, 5):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    path, want_w, want_h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    min_colours = int(sys.argv[4]) if len(sys.argv) == 5 else 64
    try:
        width, height, channels, rows = read_png(path)
    except (OSError, ValueError, zlib.error) as e:
        print("%s: %s" % (path, e))
        return 1
    if (width, height) != (want_w, want_h):
        print("%s: %dx%d, expected %dx%d" % (path, width, height, want_w, want_h))
        return 1
    counts = collections.Counter()
    for line in rows:
        counts.update(zip(*[iter(line)] * channels))  # the row's pixels as tuples
    top = max(counts.values())
    share = top / float(width * height)
    ok = len(counts) >= min_colours and share < 0.98
    print("%s: %dx%d, %d colours, commonest covers %.0f %% -> %s"
          % (path, width, height, len(counts), 100 * share, "ok" if ok else "BLANK"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
