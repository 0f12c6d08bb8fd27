"""Read the beats of the CinC 2017 recordings that `ecgstation cinc-beats` wrote.

    bin/ecgstation cinc-beats $ECGDATA/cinc2017 --out build/cinc/beats.csv

Run as a script, it splits the recordings labelled normal rhythm by record
into a training and a held-out part (train_beat.py --cinc-train; the
held-out part is where false ectopy is counted):

    /usr/bin/python3 cinc.py split $ECGDATA/cinc2017/REFERENCE.csv --out DIR [--seed 0]

The CSV has one row per beat the app's QRS detector found (columns
record,label,fs,samples,noise_s,beat,noisy; a record without beats has one
row with beat -1). load() groups it by record, in file order.
"""

import argparse
import os

import numpy as np

import data

LABELS = "NAO~"  # normal, AF, other, noisy (REFERENCE.csv)


def load(path):
    """A list of dicts, one per record: name, label (one of LABELS), fs,
    samples, noise_s (unreadable seconds), peaks (int64, ascending) and
    noisy (bool per peak)."""
    cols = np.loadtxt(path, delimiter=",", skiprows=1, dtype=str, ndmin=2)
    out = []
    names = cols[:, 0]
    cut = np.flatnonzero(names[1:] != names[:-1]) + 1
    for lo, hi in zip(np.concatenate([[0], cut]), np.concatenate([cut, [len(names)]])):
        rows = cols[lo:hi]
        beat = rows[:, 5].astype(np.int64)
        keep = beat >= 0
        out.append({"name": rows[0, 0], "label": rows[0, 1], "fs": float(rows[0, 2]),
                    "samples": int(rows[0, 3]), "noise_s": float(rows[0, 4]),
                    "peaks": beat[keep], "noisy": rows[keep, 6] == "1"})
    return out


def folds(records, k, seed):
    """Fold index (0..k-1) per record, stratified by label: each label's
    records are shuffled with seed and dealt round-robin."""
    rng = np.random.default_rng(seed)
    f = np.zeros(len(records), np.int64)
    labels = np.array([r["label"] for r in records])
    for lab in LABELS:
        idx = rng.permutation(np.flatnonzero(labels == lab))
        f[idx] = np.arange(len(idx)) % k
    return f


def provenance(path):
    """SHA-256 of the beats CSV, for the model's ecgstation.train.data."""
    return f"cinc2017 beats {os.path.basename(path)}:sha256:{data.sha256(path)}"


def split_normals(reference, seed):
    """The names of REFERENCE.csv's normal-rhythm recordings, in file order,
    split in two halves by record: (train, held_out), dealt by folds()."""
    rows = np.loadtxt(reference, delimiter=",", dtype=str, ndmin=2)
    names = rows[rows[:, 1] == "N", 0]
    f = folds([{"label": "N"}] * len(names), 2, seed)
    return list(names[f == 0]), list(names[f == 1])


def main():
    ap = argparse.ArgumentParser(description="split CinC 2017's normal recordings by record")
    ap.add_argument("command", choices=("split",))
    ap.add_argument("reference", help="the challenge's REFERENCE.csv")
    ap.add_argument("--out", required=True, help="folder for cinc-train.txt and cinc-held-out.txt (one name a line)")
    ap.add_argument("--seed", type=int, default=0)
    opt = ap.parse_args()
    os.makedirs(opt.out, exist_ok=True)
    for name, part in zip(("cinc-train.txt", "cinc-held-out.txt"), split_normals(opt.reference, opt.seed)):
        with open(os.path.join(opt.out, name), "w") as f:
            f.write("".join(r + "\n" for r in part))
        print(f"{len(part)} normal recordings -> {os.path.join(opt.out, name)}")


if __name__ == "__main__":
    main()
