#!/usr/bin/env python3
"""freqs.py WAV FROM TO --want HZ[,HZ...] --absent HZ [--min FRACTION]

Goertzel over 20 ms windows of a 16-bit PCM WAV (stereo mixed to mono) between FROM and TO
seconds (TO may be 'end'). A window passes when it is not silent, every --want frequency holds
at least 8 % of its energy and the --absent one less than 2 %. Prints the passing fraction and
the median share of each frequency; exit 0 when the fraction reaches --min (default 0.8), 1 when
not, 2 for bad usage or an unreadable file. Stdlib only (tests/interop conference checks)."""
import math, struct, sys, wave


def main():
    args = sys.argv[1:]
    if len(args) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    path, start, end = args[0], float(args[1]), args[2]
    want, absent, minimum = [], None, 0.8
    i = 3
    while i < len(args):
        if args[i] == "--want":
            want = [float(x) for x in args[i + 1].split(",") if x]
        elif args[i] == "--absent":
            absent = float(args[i + 1])
        elif args[i] == "--min":
            minimum = float(args[i + 1])
        i += 2
    try:
        w = wave.open(path)
    except Exception as e:  # noqa: BLE001 - any unreadable file is a usage error here
        print("cannot read %s: %s" % (path, e), file=sys.stderr)
        return 2
    ch, rate, width = w.getnchannels(), w.getframerate(), w.getsampwidth()
    if width != 2:
        print("%s: not 16-bit PCM" % path, file=sys.stderr)
        return 2
    raw = w.readframes(1 << 30)
    raw = raw[: len(raw) // (2 * ch) * 2 * ch]
    s = struct.unpack("<%dh" % (len(raw) // 2), raw)
    if ch > 1:
        s = [sum(s[k:k + ch]) / ch for k in range(0, len(s), ch)]
    n = int(rate * 0.02)
    first = int(start * rate)
    last = len(s) if end == "end" else min(len(s), int(float(end) * rate))
    freqs = want + ([absent] if absent is not None else [])
    coeffs = [2 * math.cos(2 * math.pi * f / rate) for f in freqs]
    windows = passed = 0
    shares = {f: [] for f in freqs}
    for o in range(first, last - n + 1, n):
        x = s[o:o + n]
        energy = sum(v * v for v in x)
        windows += 1
        if energy < n * 100.0 ** 2:  # below about -50 dBFS: silence, a gap
            continue
        share = {}
        for f, c in zip(freqs, coeffs):
            q1 = q2 = 0.0
            for v in x:
                q0 = c * q1 - q2 + v
                q2, q1 = q1, q0
            power = q1 * q1 + q2 * q2 - c * q1 * q2
            share[f] = power / (n * energy / 2.0)
            shares[f].append(share[f])
        if all(share[f] >= 0.08 for f in want) and (absent is None or share[absent] < 0.02):
            passed += 1
    fraction = passed / windows if windows else 0.0
    med = ", ".join("%g Hz %.2f" % (f, sorted(v)[len(v) // 2] if v else 0) for f, v in shares.items())
    print("%.3f (%d of %d windows, %.1f-%s s; median share: %s)" % (fraction, passed, windows, start, end, med))
    return 0 if windows and fraction >= minimum else 1


sys.exit(main())
