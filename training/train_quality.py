"""A beat-quality network from CinC 2017's noisy class (issue #18: "CinC's
noisy class is also a training set for signal quality").

Each beat the app's QRS detector finds in a CinC 2017 recording takes its
recording's label: noisy (REFERENCE.csv "~") or readable (N, A, O). A small
1-D CNN learns, from the beat's window alone (lead 0, 0.4 s before the
detected peak and 0.6 s from it on, at 180 Hz, z-scored as the app serves a
beat model), whether the window holds a heartbeat or noise that the
detector took for one. The windows come from `make cinc-all-export` (the
app's own detector and window cutter), nothing reads a record itself.

    /usr/bin/python3 train_quality.py --cinc-export ../build/models/cinc-all \
        --cinc ../build/models/cinc-beats.csv --folds 5 \
        [--readable ../build/models/ds1] [--test-readable SVDB_EXPORT]

prints, for 5-fold cross-validation by record (stratified by label): the
beat-level ROC AUC; per recording, the share of its beats called noisy and
the recordings called noisy (at least --record-share of their beats) by
label; with --test-readable, the share of those exports' beats each fold
network calls noisy, by beat class: a readable ambulatory record should
have next to none, and a V beat must not be taken for noise. --readable
exports (MIT-BIH's DS1, say) train as readable in every fold.
This is a study: no model file is written.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn

import beatwaves
import cinc
import data
from contract import write_metadata

LABEL_NOISY = "~"
CLASSES = ["OK", "NOISE"]


class QualityNet(nn.Module):
    """Three strided convolutions over the window (and, with context, the
    windows of the beats around it as more channels), global max and mean
    pooling, a linear head: logits of (readable, noisy)."""

    def __init__(self, width=16, channels=1):
        super().__init__()
        w = width
        self.conv = nn.Sequential(
            nn.Conv1d(channels, w, 7, stride=2, padding=3), nn.ReLU(),
            nn.Conv1d(w, w, 5, stride=2, padding=2), nn.ReLU(),
            nn.Conv1d(w, w, 5, stride=2, padding=2), nn.ReLU())
        self.head = nn.Linear(2 * w, 2)

    def forward(self, x):
        h = self.conv(x)
        return self.head(torch.cat([h.amax(2), h.mean(2)], 1))


class Served(nn.Module):
    """The network as the app serves it (docs/model-contract.md, task
    quality): x [batch, 2k+1, 1, L], the windows of beats i-k ... i+k of
    lead 0; probabilities of OK and NOISE."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return torch.softmax(self.net(x.flatten(1, 2)), 1)


def export(net, opt, x_len, provenance):
    """Write the ONNX file opt.out with the contract's metadata."""
    served = Served(net).eval()
    k = 2 * opt.context + 1
    torch.onnx.export(served, (torch.zeros(1, k, 1, x_len),), opt.out, opset_version=17,
                      input_names=["x"], output_names=["probs"],
                      dynamic_axes={"x": {0: "batch"}, "probs": {0: "batch"}})
    options = {key: v for key, v in vars(opt).items() if key not in ("out", "cinc", "cinc_export", "readable",
                                                                      "test_readable", "cinc_sample", "runs")}
    write_metadata(opt.out, task="quality", fs=opt.fs, window=opt.window, leads=1, classes=CLASSES,
                   inputs={"x": "waveform"}, outputs={"probs": "probabilities"}, normalize="zscore",
                   name="ecgstation-quality", version=opt.version,
                   context=opt.context, train={"options": json.dumps(options, sort_keys=True), "data": provenance})


def load(opt):
    """Windows [n, 1, L] z-scored, per-beat record index into records, the
    records (cinc.load, with their labels) and each beat's neighbours."""
    beats, _, manifest = data.load_export(opt.cinc_export)
    records = cinc.load(opt.cinc)
    by_name = {r["name"]: i for i, r in enumerate(records)}
    names = data.record_names(beats)
    rec = np.array([by_name.get(str(n), -1) for n in names])
    keep = rec >= 0
    w = manifest["window"]
    x = beatwaves.crop(beats["x"][keep], manifest, w["before_samples"], w["after_samples"])
    opt.fs, opt.window = w["fs"], (w["before_samples"], w["after_samples"])
    opt.cinc_sample = beats["sample"][keep]
    return x, rec[keep], records, neighbours(rec[keep], beats["sample"][keep], opt.context)


def train(x, y, opt, seed):
    """One network on windows x with labels y (1 noisy)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = QualityNet(opt.width, 2 * opt.context + 1)
    pos = max(int(y.sum()), 1)
    weight = torch.tensor([1.0, (len(y) - pos) / pos], dtype=torch.float32) ** opt.weight_power
    adam = torch.optim.Adam(net.parameters(), lr=opt.lr, weight_decay=1e-4)
    lossf = nn.CrossEntropyLoss(weight=weight)
    X, Y = torch.from_numpy(x), torch.from_numpy(y)
    for epoch in range(opt.epochs):
        net.train()
        total = 0.0
        for b in np.array_split(rng.permutation(len(y)), max(1, len(y) // opt.batch)):
            idx = torch.from_numpy(b)
            loss = lossf(net(X[idx]), Y[idx])
            adam.zero_grad()
            loss.backward()
            adam.step()
            total += loss.item() * len(b)
        print(f"  epoch {epoch + 1}: loss {total / len(y):.4f}", flush=True)
    return net.eval()


def neighbours(record, sample, k):
    """Row indices [n, 2k+1] of each beat's k neighbours on each side in its
    record (sample order), the beat's own row at the record's edges."""
    n = len(record)
    order = np.lexsort((sample, record))
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n)
    out = np.empty((n, 2 * k + 1), np.int64)
    for j, d in enumerate(range(-k, k + 1)):
        q = np.clip(pos + d, 0, n - 1)
        nb = order[q]
        out[:, j] = np.where(record[nb] == record, nb, np.arange(n))
    return out


def with_context(x, nb, rows):
    """Windows of rows with their neighbours' as channels: [len(rows), 2k+1, L]."""
    return x[nb[rows], 0, :]


def noisy_prob(net, x, nb, rows=None, batch=4096):
    """P(noisy) of the beats rows (all by default), each with its
    neighbours nb as channels."""
    out = []
    rows = np.arange(len(x)) if rows is None else rows
    with torch.no_grad():
        for i in range(0, len(rows), batch):
            xb = with_context(x, nb, rows[i:i + batch])
            out.append(torch.softmax(net(torch.from_numpy(xb)), 1)[:, 1].numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def auc(score, y):
    """ROC AUC by the rank-sum formula (ties averaged)."""
    order = np.argsort(score, kind="stable")
    ranks = np.empty(len(score))
    s = score[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / max(n1 * n0, 1))


def in_runs(called, record, sample, n):
    """Whether each beat lies in a run of at least n consecutive beats of
    its record (in sample order) that are all called noisy: the noise
    stretches a run rule would make."""
    order = np.lexsort((sample, record))
    c, r = called[order], record[order]
    out = np.zeros(len(c), bool)
    start = 0
    for i in range(len(c) + 1):
        if i == len(c) or not c[i] or (i > start and r[i] != r[i - 1]):
            if i - start >= n:
                out[start:i] = True
            start = i + 1 if i < len(c) and not c[i] else i
    res = np.zeros(len(c), bool)
    res[order] = out
    return res


def subsample(idx, y, share, rng):
    """idx with only share of its readable beats (all noisy ones kept)."""
    clean = idx[y[idx] == 0]
    keep = rng.random(len(clean)) < share
    return np.sort(np.concatenate([idx[y[idx] == 1], clean[keep]]))


def cross_validate(x, rec, nb, records, opt, extra):
    """Out-of-fold P(noisy) per beat; extra readable windows join every
    fold's training."""
    labels = np.array([r["label"] for r in records])
    y = (labels[rec] == LABEL_NOISY).astype(np.int64)
    fold = cinc.folds(records, opt.folds, opt.seed)[rec]
    p = np.zeros(len(y), np.float32)
    nets = []
    rng = np.random.default_rng(opt.seed)
    for k in range(opt.folds):
        tr = subsample(np.flatnonzero(fold != k), y, opt.clean_share, rng)
        print(f"fold {k + 1} of {opt.folds}: {len(tr)} training beats ({int(y[tr].sum())} noisy)", flush=True)
        net = train(np.concatenate([with_context(x, nb, tr), extra]),
                    np.concatenate([y[tr], np.zeros(len(extra), np.int64)]), opt, opt.seed + 100 * k)
        te = np.flatnonzero(fold == k)
        p[te] = noisy_prob(net, x, nb, te)
        nets.append(net)
    return p, y, nets


def report_records(p, rec, records, opt):
    """Per label: recordings called noisy (share of beats >= record_share)
    and the median share of beats called noisy."""
    labels = np.array([r["label"] for r in records])
    share = np.full(len(records), np.nan)
    for i in np.unique(rec):
        share[i] = np.mean(p[rec == i] >= 0.5)
    for lab in "NAO~":
        s = share[(labels == lab) & ~np.isnan(share)]
        called = int(np.sum(s >= opt.record_share))
        print(f"  {lab}: {len(s)} recordings with beats; called noisy {called} ({100 * called / max(len(s), 1):.1f}%); "
              f"median share of beats noisy {100 * np.median(s):.1f}%")
    has = ~np.isnan(share)
    print(f"  recording ROC AUC (noisy against N, A, O; share of beats as the score): "
          f"{auc(share[has], (labels[has] == LABEL_NOISY).astype(int)):.3f}")


def export_windows(d, k):
    """Lead 0 of an export's windows, z-scored, its beats arrays and each
    beat's k neighbours on each side."""
    beats, _, manifest = data.load_export(d)
    w = manifest["window"]
    x = beatwaves.crop(beats["x"], manifest, w["before_samples"], w["after_samples"])
    return x, beats, neighbours(beats["record"], beats["sample"], k)


def report_readable(nets, d, opt):
    """Share of an export's beats (readable ambulatory records) each fold
    network calls noisy, by AAMI class, and the three records with most."""
    x, beats, nb = export_windows(d, opt.context)
    classes = [str(c) for c in beats["classes"]]
    names = data.record_names(beats)
    print(f"  {d}:")
    for k, net in enumerate(nets):
        called = noisy_prob(net, x, nb) >= 0.5
        per = ", ".join(f"{c} {100 * np.mean(called[beats['y'] == i]):.2f}%"
                        for i, c in enumerate(classes) if np.any(beats["y"] == i))
        worst = sorted(((np.mean(called[names == r]), r) for r in np.unique(names)), reverse=True)[:3]
        runs = "; ".join(f"in runs of {n}+: {100 * np.mean(inr):.2f}% (V {100 * np.mean(inr[beats['y'] == v]):.2f}%)"
                         for n in opt.runs
                         for inr in [in_runs(called, beats["record"], beats["sample"], n)]
                         for v in [classes.index("V")])
        print(f"    fold network {k + 1}: beats called noisy {100 * called.mean():.2f}% ({per}); "
              f"most: " + ", ".join(f"{r} {100 * s:.1f}%" for s, r in worst) + (f"; {runs}" if runs else ""))


def options():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cinc-export", required=True, help="export of CinC 2017's detector beats (make cinc-all-export)")
    ap.add_argument("--cinc", required=True, help="cinc-beats.csv (the recordings' labels)")
    ap.add_argument("--readable", default="", help="exports (comma-separated) whose beats all train as readable")
    ap.add_argument("--test-readable", default="", help="exports (comma-separated) where the beats called noisy are counted")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--width", type=int, default=16)
    ap.add_argument("--weight-power", type=float, default=0.5, help="noisy class weight = (readable/noisy)^power")
    ap.add_argument("--clean-share", type=float, default=0.25, help="share of readable beats trained on")
    ap.add_argument("--record-share", type=float, default=0.5,
                    help="a recording is called noisy when this share of its beats is")
    ap.add_argument("--context", type=int, default=0,
                    help="the windows of this many beats on each side join the beat's as channels")
    ap.add_argument("--runs", default="3", help="run lengths (comma-separated) to count the beats a run rule would flag")
    ap.add_argument("--out", default="", help="train on every fold and write this ONNX file (the contract's task quality)")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    opt = ap.parse_args()
    opt.runs = [int(v) for v in opt.runs.split(",") if v]
    return opt


def main():
    opt = options()
    t0 = time.time()
    torch.set_num_threads(opt.threads)
    torch.use_deterministic_algorithms(True)
    x, rec, records, nb = load(opt)
    print(f"{len(x)} beat windows of {x.shape[2]} samples from {len(np.unique(rec))} recordings", flush=True)
    extra = []
    for d in filter(None, opt.readable.split(",")):
        xe, _, nbe = export_windows(d, opt.context)
        extra.append(with_context(xe, nbe, np.arange(len(xe))))
    extra = np.concatenate(extra) if extra else np.zeros((0, 2 * opt.context + 1, x.shape[2]), np.float32)
    print(f"{len(extra)} readable beats from {opt.readable or 'no other export'} in every fold's training", flush=True)
    if opt.folds > 1:
        cross_validation_report(x, rec, nb, records, opt, extra, t0)
    if opt.out:
        final(x, rec, nb, records, opt, extra)
        print(f"wrote {opt.out} in {time.time() - t0:.0f} s")


def cross_validation_report(x, rec, nb, records, opt, extra, t0):
    """Cross-validate and print the figures of the module comment."""
    p, y, nets = cross_validate(x, rec, nb, records, opt, extra)
    print(f"{opt.folds}-fold cross-validation by record ({time.time() - t0:.0f} s):")
    print(f"  beat ROC AUC {auc(p, y):.3f}; beats called noisy: of noisy recordings' "
          f"{100 * np.mean(p[y == 1] >= 0.5):.1f}%, of the others' {100 * np.mean(p[y == 0] >= 0.5):.2f}%")
    report_records(p, rec, records, opt)
    for n in opt.runs:
        inr = in_runs(p >= 0.5, rec, opt.cinc_sample, n)
        print(f"  in runs of {n} or more noisy beats: of noisy recordings' beats {100 * np.mean(inr[y == 1]):.1f}%, "
              f"of the others' {100 * np.mean(inr[y == 0]):.2f}%")
    for d in filter(None, opt.test_readable.split(",")):
        report_readable(nets, d, opt)


def final(x, rec, nb, records, opt, extra):
    """Train on every CinC recording (and the readable exports) and export."""
    labels = np.array([r["label"] for r in records])
    y = (labels[rec] == LABEL_NOISY).astype(np.int64)
    tr = subsample(np.arange(len(y)), y, opt.clean_share, np.random.default_rng(opt.seed))
    print(f"final network: {len(tr)} CinC beats ({int(y[tr].sum())} noisy) and {len(extra)} readable", flush=True)
    net = train(np.concatenate([with_context(x, nb, tr), extra]),
                np.concatenate([y[tr], np.zeros(len(extra), np.int64)]), opt, opt.seed)
    prov = f"{cinc.provenance(opt.cinc)}; CinC windows: {data.provenance(opt.cinc_export, data.load_export(opt.cinc_export)[2], summary=True)}"
    for d in filter(None, opt.readable.split(",")):
        prov += f"; readable: {data.provenance(d, data.load_export(d)[2])}"
    export(net, opt, x.shape[2], prov)


if __name__ == "__main__":
    main()
