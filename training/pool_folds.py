"""Pool the held-out fold probabilities of several train_beat.py runs.

    /usr/bin/python3 pool_folds.py S1.npz S11.npz S21.npz

Each file is a train_beat.py --held-out output (the same beats, e.g. the
same options with other seeds). Their probabilities are averaged, the class
gains chosen on the average as train_beat.py chooses them, and the pooled
S and V Se/+P (EC57 counting), their mean F1 and the accuracy printed: the
figures training/README.md compares options by. Runs made with
--s-majority-eval are also scored with every S beat given its patient's S
template, with the same gains.

    /usr/bin/python3 pool_folds.py --group ds1=101,106,... --group svdb=803,... \
        [--gains-on ds1] [--worst 5] S1.npz ...

also prints the figures of each group of records and, per group, the
--worst records by S and V errors (missed plus falsely called); with
--gains-on the gains are chosen on that group's beats only (a model trained
on DS1 alone chose its gains on DS1). Runs made with --cinc-normal also give
the V and S calls per 1000 held-out CinC normal beats, with the same gains
(each fold network's probabilities averaged over the runs).
"""
import argparse

import numpy as np

from train_beat import cinc_ectopy, pick_gains, scores


def f1(se, pp):
    return 2 * se * pp / max(se + pp, 1e-9)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("runs", nargs="+", help="train_beat.py --held-out files")
    ap.add_argument("--group", action="append", default=[], help="NAME=REC,REC,...: also score these records")
    ap.add_argument("--gains-on", help="choose the gains on this group's beats only")
    ap.add_argument("--worst", type=int, default=5, help="records named per group and class")
    opt = ap.parse_args()
    runs = [np.load(p) for p in opt.runs]
    y = runs[0]["y"]
    if any(len(r["y"]) != len(y) or (r["y"] != y).any() for r in runs):
        raise SystemExit("the files hold different beats")
    probs = np.mean([r["probs"] for r in runs], axis=0)
    rec = runs[0]["record"].astype(str)
    groups = {g.split("=", 1)[0]: np.isin(rec, g.split("=", 1)[1].split(",")) for g in opt.group}
    on = groups[opt.gains_on] if opt.gains_on else np.ones(len(y), bool)
    gains = pick_gains(y[on], probs[on])
    p = (probs * gains).argmax(1)
    print(line(y, p) + f"  gains {gains.tolist()}")
    for name, m in groups.items():
        print(f"{name} ({len(np.unique(rec[m]))} records): " + line(y[m], p[m]))
        for k, c in ((1, "S"), (2, "V")):
            print(f"  most {c} errors: " + worst(y[m], p[m], rec[m], k, opt.worst))
    if all("cinc_probs" in r for r in runs):  # --cinc-normal runs: each fold network on the held-out CinC beats
        c = cinc_ectopy(np.mean([r["cinc_probs"] for r in runs], axis=0), gains)
        print(f"held-out CinC normal beats, V and S per 1000 (fold networks, same gains): {c}")
    if all("probs_smaj" in r for r in runs):
        p = (np.mean([r["probs_smaj"] for r in runs], axis=0) * gains).argmax(1)
        print("S-majority templates (--s-majority-eval), same gains: " + line(y, p))


def worst(y, p, rec, k, n):
    """The n records with the most beats of class k missed or falsely
    called k (EC57 counting), as 'record missed/of, false'."""
    ignore = {2: (3, 4), 1: (4,)}[k]
    rows = []
    for r in np.unique(rec):
        m = rec == r
        missed, false = np.sum((y[m] == k) & (p[m] != k)), np.sum((p[m] == k) & (y[m] != k) & ~np.isin(y[m], ignore))
        rows.append((missed + false, f"{r} {missed}/{np.sum(y[m] == k)}, {false} false"))
    return "; ".join(t for _, t in sorted(rows, key=lambda t: -t[0])[:n])


def line(y, p):
    """S and V Se/+P, their mean F1 and the accuracy of the calls p."""
    (s_se, s_pp), (v_se, v_pp) = scores(y, p, 1), scores(y, p, 2)
    return (f"S {s_se:.1f}/{s_pp:.1f}  V {v_se:.1f}/{v_pp:.1f}  mean S/V F1 {(f1(s_se, s_pp) + f1(v_se, v_pp)) / 2:.1f}"
            f"  accuracy {100 * np.mean(p == y):.1f}")


if __name__ == "__main__":
    main()
