#!/usr/bin/env python3
"""Luminance figures of baseline JPEGs without an image library (linphonec's `snapshot` writes
baseline JPEG through turbojpeg; PIL/ImageMagick are not dependencies of the tests).

Decodes only the DC coefficient of each 8x8 luma block (Huffman-decoding and skipping the AC
ones), which is the block's mean luminance, so the result is a (width/8 x height/8) luma map.

usage: jpeg_luma.py A.jpg [B.jpg]
prints JSON: {"a": {"width", "height", "mean", "stddev"}, "b": {...}, "diff": mean |A-B| per block}
"""
import json
import sys


def read_markers(data):
    if data[:2] != b"\xff\xd8":
        raise ValueError("not a JPEG")
    i = 2
    while i < len(data):
        while data[i] == 0xFF and data[i + 1] == 0xFF:
            i += 1
        marker = data[i + 1]
        length = data[i + 2] << 8 | data[i + 3]
        seg = data[i + 4:i + 2 + length]
        yield marker, seg, i + 2 + length
        if marker == 0xDA:
            return
        i += 2 + length


class Bits:
    def __init__(self, data, pos):
        self.data, self.pos, self.acc, self.n = data, pos, 0, 0

    def bit(self):
        if self.n == 0:
            b = self.data[self.pos]
            self.pos += 1
            if b == 0xFF:
                nxt = self.data[self.pos]
                if nxt == 0:
                    self.pos += 1
                elif 0xD0 <= nxt <= 0xD7:
                    raise EOFError("restart marker")
                else:
                    raise EOFError("marker 0x%02x" % nxt)
            self.acc, self.n = b, 8
        self.n -= 1
        return (self.acc >> self.n) & 1

    def bits(self, k):
        v = 0
        for _ in range(k):
            v = v << 1 | self.bit()
        return v

    def restart(self):
        self.n = 0
        while not (self.data[self.pos] == 0xFF and 0xD0 <= self.data[self.pos + 1] <= 0xD7):
            self.pos += 1
        self.pos += 2


def huff_table(seg):
    counts = seg[1:17]
    symbols = seg[17:17 + sum(counts)]
    table, code, k = {}, 0, 0
    for length in range(1, 17):
        for _ in range(counts[length - 1]):
            table[(length, code)] = symbols[k]
            k += 1
            code += 1
        code <<= 1
    return table, 17 + sum(counts)


def decode_symbol(bits, table):
    code = 0
    for length in range(1, 17):
        code = code << 1 | bits.bit()
        s = table.get((length, code))
        if s is not None:
            return s
    raise ValueError("bad Huffman code")


def extend(v, t):
    return v - (1 << t) + 1 if t and v < (1 << (t - 1)) else v


def luma_map(path):
    data = open(path, "rb").read()
    qt, dc_tabs, ac_tabs, comps, restart = {}, {}, {}, [], 0
    width = height = 0
    scan = None
    for marker, seg, end in read_markers(data):
        if marker == 0xDB:
            i = 0
            while i < len(seg):
                pq, tq = seg[i] >> 4, seg[i] & 15
                qt[tq] = seg[i + 1] if pq == 0 else seg[i + 1] << 8 | seg[i + 2]  # only Q[0] (DC) needed
                i += 65 if pq == 0 else 129
        elif marker == 0xC4:
            i = 0
            while i < len(seg):
                tc, th = seg[i] >> 4, seg[i] & 15
                table, used = huff_table(seg[i:])
                (dc_tabs if tc == 0 else ac_tabs)[th] = table
                i += used
        elif marker in (0xC0, 0xC1):
            height, width = seg[1] << 8 | seg[2], seg[3] << 8 | seg[4]
            for c in range(seg[5]):
                cid, hv, tq = seg[6 + 3 * c:9 + 3 * c]
                comps.append({"id": cid, "h": hv >> 4, "v": hv & 15, "tq": tq})
        elif marker == 0xC2:
            raise ValueError("progressive JPEG not supported")
        elif marker == 0xDD:
            restart = seg[0] << 8 | seg[1]
        elif marker == 0xDA:
            for c in range(seg[0]):
                cid, t = seg[1 + 2 * c], seg[2 + 2 * c]
                for comp in comps:
                    if comp["id"] == cid:
                        comp["td"], comp["ta"] = t >> 4, t & 15
            scan = end
    hmax = max(c["h"] for c in comps)
    vmax = max(c["v"] for c in comps)
    mcux = (width + 8 * hmax - 1) // (8 * hmax)
    mcuy = (height + 8 * vmax - 1) // (8 * vmax)
    y = comps[0]
    bw, bh = mcux * y["h"], mcuy * y["v"]
    grid = [[0.0] * bw for _ in range(bh)]
    bits = Bits(data, scan)
    pred = [0] * len(comps)
    for m in range(mcux * mcuy):
        if restart and m and m % restart == 0:
            bits.restart()
            pred = [0] * len(comps)
        mx, my = m % mcux, m // mcux
        for ci, c in enumerate(comps):
            for by in range(c["v"]):
                for bx in range(c["h"]):
                    t = decode_symbol(bits, dc_tabs[c["td"]])
                    pred[ci] += extend(bits.bits(t), t)
                    k = 1
                    while k < 64:
                        rs = decode_symbol(bits, ac_tabs[c["ta"]])
                        r, s = rs >> 4, rs & 15
                        if s == 0:
                            if r != 15:
                                break
                            k += 16
                            continue
                        bits.bits(s)
                        k += r + 1
                    if ci == 0:
                        # DC * Q / 8 is the block mean minus the level shift of 128
                        grid[my * c["v"] + by][mx * c["h"] + bx] = pred[0] * qt[c["tq"]] / 8.0 + 128
    cols, rows = (width + 7) // 8, (height + 7) // 8
    return width, height, [row[:cols] for row in grid[:rows]]


def figures(width, height, grid):
    vals = [v for row in grid for v in row]
    mean = sum(vals) / len(vals)
    sd = (sum((v - mean) ** 2 for v in vals) / len(vals)) ** 0.5
    return {"width": width, "height": height, "mean": round(mean, 1), "stddev": round(sd, 1)}


def main():
    out = {}
    maps = []
    for key, path in zip("ab", sys.argv[1:3]):
        try:
            w, h, g = luma_map(path)
        except (OSError, ValueError, IndexError, KeyError, EOFError) as e:
            print(json.dumps({"error": "%s: %s" % (path, e)}))
            sys.exit(1)
        maps.append((w, h, g))
        out[key] = figures(w, h, g)
    if len(maps) == 2 and maps[0][:2] == maps[1][:2]:
        a, b = maps[0][2], maps[1][2]
        d = [abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb)]
        out["diff"] = round(sum(d) / len(d), 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
