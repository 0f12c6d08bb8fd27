#!/usr/bin/python3
"""Independent figures of WFDB records for the archive test.

Reads each record's header and .atr with nothing but the Python standard
library (the MIT annotation format as PhysioNet's annot.5 describes it),
and prints one JSON object per record: beats by AAMI class, the AF burden
(time from each "(AFIB" rhythm change to the next change), and each lead's
noise burden (time under '~' noise annotations whose subtype marks the
lead noisy or unreadable: bit k or bit 4+k, or -1 for every lead), in
percent of the record. Usage: atr_figures.py RECORD...  (paths without .hea)
"""
import json
import struct
import sys

AAMI = {"N": (1, 2, 3, 11, 25, 34), "S": (4, 7, 8, 9, 35), "V": (5, 10, 41), "F": (6,), "Q": (12, 13, 38)}
NOISE, RHYTHM, SKIP, NUM, SUB, CHN, AUX = 14, 28, 59, 60, 61, 62, 63


def header(path):
    """Returns the number of leads and samples of the record."""
    with open(path + ".hea") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                p = line.split()
                return int(p[1]), int(p[3])
    raise ValueError(path + ".hea: no record line")


def annotations(path):
    """Returns [sample, code, subtype, aux] for each annotation."""
    b, i, t, out = open(path + ".atr", "rb").read(), 0, 0, []
    while i + 1 < len(b):
        w = b[i] | (b[i + 1] << 8)
        i += 2
        a, d = w >> 10, w & 0x3FF
        if a == 0 and d == 0:
            break
        if a == SKIP:
            t += struct.unpack("<i", bytes([b[i + 2], b[i + 3], b[i], b[i + 1]]))[0]
            i += 4
        elif a == AUX:
            out[-1][3] = b[i:i + d].decode("latin1").rstrip("\x00")
            i += d + (d & 1)
        elif a == SUB:
            out[-1][2] = d - 1024 if d >= 512 else d
        elif a in (NUM, CHN):
            pass
        else:
            t += d
            out.append([t, a, 0, ""])
    return out


def figures(path):
    leads, n = header(path)
    anns = annotations(path)
    counts = {k: sum(1 for x in anns if x[1] in codes) for k, codes in AAMI.items()}
    rhythm = [(x[0], x[3]) for x in anns if x[1] == RHYTHM] + [(n, "")]
    af = sum(rhythm[k + 1][0] - s for k, (s, aux) in enumerate(rhythm[:-1]) if aux == "(AFIB")
    noise = [(x[0], x[2]) for x in anns if x[1] == NOISE] + [(n, 0)]
    per = []
    for lead in range(leads):
        bad = lambda sub: sub == -1 or sub & (1 << lead) or sub & (0x10 << lead)
        per.append(100 * sum(noise[k + 1][0] - s for k, (s, sub) in enumerate(noise[:-1]) if bad(sub)) / n)
    return {"record": path, "counts": counts, "af_pct": 100 * af / n, "noise_pct": per}


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(figures(p)))
