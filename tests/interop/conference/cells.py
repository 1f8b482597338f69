#!/usr/bin/env python3
"""cells.py FILE COLSxROWS EXPECT [--frame N]

Reads one picture of a conference composite, a Y4M file's frame N (default: the last one) or
an 8-bit RGB/RGBA PNG (a baresip snapshot), splits it into a COLSxROWS grid (row-major, the
compositor's order) and classifies the middle 60 % of each cell:
  pattern  a test pattern: the luma varies (standard deviation >= 25)
  red      a solid red picture (R >= 150, G and B <= 100, little variation)
  dark     no picture (mean luma <= 60, little variation)
  other    none of these
EXPECT lists one class per cell, comma-separated ('-' for any). Prints each cell's class, mean
RGB and luma deviation; exit 0 when every cell is as expected, 1 when not, 2 on bad input.
Stdlib only (tests/interop/conference_video.sh)."""
import math, struct, sys, zlib


def y4m_frame(path, index):
    data = open(path, "rb").read()
    end = data.index(b"\n")
    fields = data[:end].split()
    if fields[0] != b"YUV4MPEG2":
        raise ValueError("not a Y4M file")
    w = h = 0
    for f in fields[1:]:
        if f[:1] == b"W":
            w = int(f[1:])
        elif f[:1] == b"H":
            h = int(f[1:])
    size = w * h * 3 // 2
    frames = []
    pos = end + 1
    while pos < len(data):
        line = data.index(b"\n", pos)
        start = line + 1
        if start + size > len(data):
            break
        frames.append(start)
        pos = start + size
    if not frames:
        raise ValueError("no whole frame")
    start = frames[index]
    ys = data[start:start + w * h]
    us = data[start + w * h:start + w * h + w * h // 4]
    vs = data[start + w * h + w * h // 4:start + size]

    def rgb(x, y):
        Y = ys[y * w + x] - 16
        U = us[(y // 2) * (w // 2) + x // 2] - 128
        V = vs[(y // 2) * (w // 2) + x // 2] - 128
        c = lambda v: max(0, min(255, int(v)))
        return (c(1.164 * Y + 1.596 * V), c(1.164 * Y - 0.392 * U - 0.813 * V), c(1.164 * Y + 2.017 * U))

    return w, h, rgb, len(frames)


def png_frame(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos, idat, w, h, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise ValueError("only 8-bit RGB/RGBA non-interlaced PNG")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, p = [], bytearray(stride), 0
    for _ in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3]), 1


def classify(pixels):
    n = len(pixels)
    mr = sum(p[0] for p in pixels) / n
    mg = sum(p[1] for p in pixels) / n
    mb = sum(p[2] for p in pixels) / n
    lum = [0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] for p in pixels]
    ml = sum(lum) / n
    sd = math.sqrt(sum((l - ml) ** 2 for l in lum) / n)
    if sd >= 25:
        kind = "pattern"
    elif mr >= 150 and mg <= 100 and mb <= 100:
        kind = "red"
    elif ml <= 60:
        kind = "dark"
    else:
        kind = "other"
    return kind, (round(mr), round(mg), round(mb)), round(sd, 1)


def main():
    args = sys.argv[1:]
    if len(args) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, grid, expect = args[0], args[1], args[2].split(",")
    index = -1
    if len(args) >= 5 and args[3] == "--frame":
        index = int(args[4])
    try:
        cols, rows = (int(v) for v in grid.lower().split("x"))
        if path.endswith(".png"):
            w, h, rgb, count = png_frame(path)
        else:
            w, h, rgb, count = y4m_frame(path, index)
    except Exception as e:  # noqa: BLE001 - any unreadable input is a usage error here
        print("cells.py: %s: %s" % (path, e), file=sys.stderr)
        return 2
    if len(expect) != cols * rows:
        print("cells.py: EXPECT needs %d classes" % (cols * rows), file=sys.stderr)
        return 2
    cw, ch = w // cols, h // rows
    ok = True
    out = []
    for i in range(cols * rows):
        x0, y0 = (i % cols) * cw, (i // cols) * ch
        xs = range(x0 + cw // 5, x0 + cw - cw // 5, 2)
        ys = range(y0 + ch // 5, y0 + ch - ch // 5, 2)
        kind, mean, sd = classify([rgb(x, y) for y in ys for x in xs])
        good = expect[i] in ("-", kind)
        ok = ok and good
        out.append("cell %d %s%s rgb%s sd %s" % (i, kind, "" if good else " (want %s)" % expect[i], mean, sd))
    print("%dx%d, %d frame(s): %s" % (w, h, count, "; ".join(out)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
