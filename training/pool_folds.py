"""Pool the held-out fold probabilities of several train_beat.py runs.

    /usr/bin/python3 pool_folds.py S1.npz S11.npz S21.npz

Each file is a train_beat.py --held-out output (the same beats, e.g. the
same options with other seeds). Their probabilities are averaged, the class
gains chosen on the average as train_beat.py chooses them, and the pooled
S and V Se/+P (EC57 counting), their mean F1 and the accuracy printed: the
figures training/README.md compares options by. Runs made with
--s-majority-eval are also scored with every S beat given its patient's S
template, with the same gains.
"""
import sys

import numpy as np

from train_beat import pick_gains, scores


def f1(se, pp):
    return 2 * se * pp / max(se + pp, 1e-9)


def main(paths):
    runs = [np.load(p) for p in paths]
    y = runs[0]["y"]
    if any(len(r["y"]) != len(y) or (r["y"] != y).any() for r in runs):
        raise SystemExit("the files hold different beats")
    probs = np.mean([r["probs"] for r in runs], axis=0)
    gains = pick_gains(y, probs)
    p = (probs * gains).argmax(1)
    print(line(y, p) + f"  gains {gains.tolist()}")
    if all("probs_smaj" in r for r in runs):
        p = (np.mean([r["probs_smaj"] for r in runs], axis=0) * gains).argmax(1)
        print("S-majority templates (--s-majority-eval), same gains: " + line(y, p))


def line(y, p):
    """S and V Se/+P, their mean F1 and the accuracy of the calls p."""
    (s_se, s_pp), (v_se, v_pp) = scores(y, p, 1), scores(y, p, 2)
    return (f"S {s_se:.1f}/{s_pp:.1f}  V {v_se:.1f}/{v_pp:.1f}  mean S/V F1 {(f1(s_se, s_pp) + f1(v_se, v_pp)) / 2:.1f}"
            f"  accuracy {100 * np.mean(p == y):.1f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    main(sys.argv[1:])
