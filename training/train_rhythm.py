"""Train the default rhythm model (AFIB, AFL, N, OTHER) and export it to ONNX.

    /usr/bin/python3 training/train_rhythm.py --data DIR --cinc build/cinc/beats.csv --out rhythm.onnx

DIR is what `ecgstation export` wrote from MIT-BIH DS1; --cinc the CinC 2017
beats that `ecgstation cinc-beats` wrote (the app's own QRS detector). The
model sees WINDOW consecutive beats and, per beat, RR features
(docs/model-contract.md, rhythm task): atrial fibrillation is irregularly
irregular RR, flutter often a regular fast or a stepwise-varying ventricular
response.

Labels. A DS1 window takes the rhythm of most of its beats (export short
segments, e.g. --segment 4): AFIB, AFL, or "not AF" (N or OTHER: MIT-BIH's
non-AF rhythms are not split the way CinC splits normal from other). A CinC
window takes its recording's label: N normal, A -> AFIB, O -> OTHER; the
noisy recordings (~) are left out. A window whose label is a set (N or
OTHER) is trained on the probability of the set.

Synthetic windows (synth_rr.py), each as a share of the real AF windows:
--synth-af (irregularly irregular RR), --synth-irregular (sinus arrhythmia,
atrial premature beats, pauses and their mixtures: "not AF") and
--synth-flutter (AFL with fixed or variable block). The model's metadata
key ecgstation.train.synthetic says how many.

--cinc-folds K first cross-validates on CinC by record (stratified folds;
each fold's network learns from DS1, the other folds and the synthetic
windows) and prints the challenge's F1 for normal, AF and other and their
mean. --val REC holds DS1 records out and prints their window confusion.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn

import cinc
import data
import synth_rr
from contract import write_metadata

RR = "rr_prev,rr_local,rr_prev_ratio,rr_next_prev"
CLASSES = ["AFIB", "AFL", "N", "OTHER"]
# Training targets: a set of classes per window, as a mask over CLASSES.
TARGETS = {"AFIB": [1, 0, 0, 0], "AFL": [0, 1, 0, 0], "N": [0, 0, 1, 0], "OTHER": [0, 0, 0, 1],
           "NONAF": [0, 0, 1, 1]}
GROUPS = list(TARGETS)


class RhythmNet(nn.Module):
    """1-D convolutions along the beats of log RR features, pooled -> classes."""

    def __init__(self, n_rr, n_classes=len(CLASSES), width=24):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(n_rr, width, 5, padding=2), nn.ReLU(),
            nn.Conv1d(width, width, 5, padding=2), nn.ReLU(),
            nn.Conv1d(width, width, 5, padding=2), nn.ReLU())
        self.head = nn.Linear(2 * width, n_classes)

    def forward(self, rr):
        # rr: [batch, beats, features] -> [batch, features, beats]
        h = self.conv(torch.log(torch.clamp(rr, min=0.05, max=20.0)).transpose(1, 2))
        h = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        return torch.softmax(self.head(h), dim=1)


class Mean(nn.Module):
    """The mean of the members' probabilities."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, rr):
        return torch.stack([n(rr) for n in self.nets]).mean(dim=0)


def segment_starts(n, seg, stride):
    """rhythm.SegmentStarts: windows every stride beats, the last ending at beat n-1."""
    if n < seg:
        return []
    return list(range(0, n - seg, max(stride, 1))) + [n - seg]


def feature_matrix(peaks, fs, names):
    f = data.rr_features(peaks, fs)
    return np.stack([f[k] for k in names], axis=1).astype(np.float32)


def ds1_windows(beats, ybeat, fs_rec, opt, export_classes):
    """(features [m, window, F], group [m], record [m]) of DS1 beat windows."""
    xs, gs, rs = [], [], []
    group = {c: ("AFIB" if c == "AF" else c if c == "AFL" else "NONAF") for c in export_classes}
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
        f = feature_matrix(beats["sample"][rows], fs_rec[r], opt.feats)
        for s in range(0, len(rows) - opt.window + 1, opt.stride):
            xs.append(f[s:s + opt.window])
            gs.append(GROUPS.index(group[export_classes[np.bincount(ybeat[rows[s:s + opt.window]]).argmax()]]))
            rs.append(r)
    return np.array(xs), np.array(gs), np.array(rs)


CINC_GROUP = {"N": "N", "A": "AFIB", "O": "OTHER"}


def cinc_windows(records, opt):
    """(features, group) of training windows of CinC records (noisy ones and
    those with fewer beats than a window left out)."""
    xs, gs = [], []
    for r in records:
        if r["label"] not in CINC_GROUP or len(r["peaks"]) < opt.window:
            continue
        f = feature_matrix(r["peaks"], r["fs"], opt.feats)
        for s in segment_starts(len(f), opt.window, opt.cinc_stride):
            xs.append(f[s:s + opt.window])
            gs.append(GROUPS.index(CINC_GROUP[r["label"]]))
    return np.array(xs, np.float32).reshape(-1, opt.window, len(opt.feats)), np.array(gs, np.int64)


def rate_scale(x, rng, opt):
    """Scale the absolute RR features of each window by one random factor, so
    the model learns irregularity rather than the training patients' rates."""
    x = x.copy()
    f = np.exp(rng.uniform(-opt.rate_scale, opt.rate_scale, size=(len(x), 1)))
    for k in opt.absolute:
        x[:, :, k] *= f
    return x


def train(X, G, opt, seed):
    """One network on windows X with target groups G (indices into GROUPS)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = RhythmNet(X.shape[2])
    counts = np.bincount(G, minlength=len(GROUPS)).astype(np.float64)
    w = (counts.max() / np.maximum(counts, 1)) ** opt.weight_power
    w = torch.tensor(w / w[counts > 0].mean(), dtype=torch.float32)
    masks = torch.tensor([TARGETS[g] for g in GROUPS], dtype=torch.float32)
    adam = torch.optim.Adam(net.parameters(), lr=opt.lr, weight_decay=1e-4)
    for epoch in range(opt.epochs):
        net.train()
        idx = rng.permutation(len(G))
        total = 0.0
        for i in range(0, len(idx), opt.batch):
            b = idx[i:i + opt.batch]
            g = torch.from_numpy(G[b])
            p = net(torch.from_numpy(rate_scale(X[b], rng, opt)))
            loss = -(torch.log((p * masks[g]).sum(1) + 1e-7) * w[g]).sum() / w[g].sum()
            adam.zero_grad()
            loss.backward()
            adam.step()
            total += loss.item() * len(b)
        print(f"epoch {epoch + 1}: loss {total / len(G):.4f}", flush=True)
    return net.eval()


def synthetic(n_af, opt, seed):
    """The synthetic windows and their groups, and a description of them."""
    rng = np.random.default_rng(seed)
    parts = [("AFIB", synth_rr.af, opt.synth_af), ("NONAF", synth_rr.irregular_sinus, opt.synth_irregular),
             ("AFL", synth_rr.flutter, opt.synth_flutter)]
    xs, gs, said = [], [], []
    for group, gen, share in parts:
        n = int(round(share * n_af))
        if n:
            xs.append(synth_rr.windows(gen, n, opt.window, opt.feats, rng))
            gs.append(np.full(n, GROUPS.index(group)))
            said.append(f"{n} {gen.__name__}")
    if not xs:
        return np.zeros((0, opt.window, len(opt.feats)), np.float32), np.zeros(0, np.int64), ""
    return np.concatenate(xs), np.concatenate(gs), ", ".join(said) + f" (synth_rr.py, seed {seed})"


def record_probs(net, r, opt):
    """A CinC record's class probabilities: the mean over its windows (as
    the app's pipeline cuts them); a record shorter than a window is fed
    whole (the network pools over any length); None with under 2 beats."""
    if len(r["peaks"]) < 2:
        return None
    f = feature_matrix(r["peaks"], r["fs"], opt.feats)
    starts = segment_starts(len(f), opt.window, max(1, opt.window // 4)) or [0]
    x = np.stack([f[s:s + min(opt.window, len(f))] for s in starts])
    with torch.no_grad():
        return net(torch.from_numpy(x)).mean(0).numpy()


def cinc_call(p):
    """The challenge label a record's probabilities give: AFIB -> A, N -> N,
    AFL and OTHER -> O; N for a record the model cannot read (under 2 beats:
    the app would find no rhythm there)."""
    if p is None:
        return "N"
    return {"AFIB": "A", "AFL": "O", "N": "N", "OTHER": "O"}[CLASSES[int(np.argmax(p))]]


def cinc_f1(truth, called):
    """F1 of N, A, O over the records labelled N, A or O, and their mean."""
    out = {}
    for c in "NAO":
        tp = sum(t == c and p == c for t, p in zip(truth, called))
        n_t, n_p = sum(t == c for t in truth), sum(p == c for p in called)
        out[c] = 2 * tp / max(n_t + n_p, 1)
    out["mean"] = float(np.mean([out[c] for c in "NAO"]))
    return out


def cinc_cv(records, ds1, opt):
    """K-fold cross-validation on CinC by record; returns the F1s and the
    confusion (truth -> called counts)."""
    fold = cinc.folds(records, opt.cinc_folds, opt.seed)
    truth, called = [None] * len(records), [None] * len(records)
    for k in range(opt.cinc_folds):
        train_recs = [r for r, f in zip(records, fold) if f != k]
        X, G, _ = assemble(ds1, train_recs, opt)
        net = train(X, G, opt, opt.seed + 100 * k)
        for i in np.flatnonzero(fold == k):
            truth[i], called[i] = records[i]["label"], cinc_call(record_probs(net, records[i], opt))
        print(f"fold {k + 1} of {opt.cinc_folds} done", flush=True)
    scored = [i for i, t in enumerate(truth) if t in "NAO"]
    f1 = cinc_f1([truth[i] for i in scored], [called[i] for i in scored])
    conf = {t: {c: sum(truth[i] == t and called[i] == c for i in range(len(truth))) for c in "NAO"} for t in "NAO~"}
    return f1, conf


def assemble(ds1, cinc_records, opt):
    """Training windows: DS1's (without --val), CinC's and the synthetic ones."""
    Xd, Gd = ds1
    Xc, Gc = cinc_windows(cinc_records, opt)
    n_af = int(np.sum(Gd == GROUPS.index("AFIB")) + np.sum(Gc == GROUPS.index("AFIB")))
    Xs, Gs, opt.synthetic = synthetic(n_af, opt, opt.seed + 1000)
    return np.concatenate([Xd, Xc, Xs]), np.concatenate([Gd, Gc, Gs]), n_af


def confusion(net, X, G):
    """Rows: target group; columns: called class."""
    with torch.no_grad():
        p = net(torch.from_numpy(X)).argmax(1).numpy()
    m = np.zeros((len(GROUPS), len(CLASSES)), np.int64)
    np.add.at(m, (G, p), 1)
    return m


def options():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="DS1 export directory (beats.npz, rhythm.npz, manifest.json)")
    ap.add_argument("--cinc", default="", help="CinC 2017 beats CSV from ecgstation cinc-beats (none: DS1 only)")
    ap.add_argument("--out", required=True, help="ONNX file to write")
    ap.add_argument("--features", default=RR, help="RR features per beat (docs/model-contract.md)")
    ap.add_argument("--rate-scale", type=float, default=0.4, help="absolute RRs scaled by exp(U(-s, s)) in training")
    ap.add_argument("--synth-af", type=float, default=2.0, help="synthetic AF windows, as a share of the real AF windows")
    ap.add_argument("--synth-irregular", type=float, default=1.0,
                    help="synthetic irregular non-AF windows (sinus arrhythmia, APCs, pauses), as a share of the real AF windows")
    ap.add_argument("--synth-flutter", type=float, default=0.5, help="synthetic flutter windows, as a share of the real AF windows")
    ap.add_argument("--window", type=int, default=32, help="beats per model input")
    ap.add_argument("--stride", type=int, default=4, help="beats between DS1 training windows")
    ap.add_argument("--cinc-stride", type=int, default=4, help="beats between CinC training windows")
    ap.add_argument("--cinc-folds", type=int, default=0, help="cross-validate on CinC by record first (0: no)")
    ap.add_argument("--folds-only", action="store_true", help="stop after the cross-validation and --val")
    ap.add_argument("--val", default="", help="DS1 records held out (comma-separated); none by default")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-power", type=float, default=0.5, help="class weight = (n_max/n_class)^power")
    ap.add_argument("--seed", type=int, default=1, help="member i starts from seed+i")
    ap.add_argument("--members", type=int, default=3, help="networks averaged in the model")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is bit-for-bit reproducible)")
    ap.add_argument("--version", default="2.0.0")
    opt = ap.parse_args()
    opt.feats = opt.features.split(",")
    opt.absolute = [i for i, f in enumerate(opt.feats) if f in ("rr_prev", "rr_next", "rr_local")]
    return opt


def main():
    opt = options()
    t0 = time.time()
    torch.set_num_threads(opt.threads)
    torch.use_deterministic_algorithms(True)

    beats, rhythm, manifest = data.load_export(opt.data)
    export_classes = [str(c) for c in rhythm["rhythm_classes"]]
    ybeat = data.beat_rhythm(beats, rhythm, manifest)
    fs_rec = data.record_fs(manifest, len(beats["records"]))
    X, G, rec = ds1_windows(beats, ybeat, fs_rec, opt, export_classes)
    record_name = np.asarray(beats.get("record_names", beats["records"]))
    is_val = np.isin(record_name[rec], [v for v in opt.val.split(",") if v])
    records = cinc.load(opt.cinc) if opt.cinc else []
    print(f"DS1: {len(G)} windows of {opt.window} beats, per group {dict(zip(GROUPS, np.bincount(G, minlength=len(GROUPS))))}; "
          f"CinC: {len(records)} records", flush=True)
    report = {"classes": CLASSES, "groups": GROUPS}
    if opt.cinc_folds:
        report["cinc_cv_f1"], report["cinc_cv_confusion"] = cinc_cv(records, (X[~is_val], G[~is_val]), opt)
        print(f"CinC {opt.cinc_folds}-fold cross-validation by record: {report['cinc_cv_f1']}\n"
              f"confusion (truth -> called): {report['cinc_cv_confusion']}", flush=True)
    if opt.folds_only and not is_val.any():
        return
    Xt, Gt, n_af = assemble((X[~is_val], G[~is_val]), records, opt)
    print(f"{len(Gt)} training windows ({n_af} real AF); synthetic: {opt.synthetic}", flush=True)
    net = Mean([train(Xt, Gt, opt, opt.seed + i) for i in range(opt.members)]).eval()
    report["train_confusion"] = confusion(net, X[~is_val], G[~is_val]).tolist()
    if is_val.any():
        report["val_confusion"] = confusion(net, X[is_val], G[is_val]).tolist()
    print(report, flush=True)
    if opt.folds_only:
        return
    export(net, opt, report, manifest, fs_rec)
    print(f"wrote {opt.out} in {time.time() - t0:.0f} s")


def export(net, opt, report, manifest, fs_rec):
    """Write the ONNX model with the contract's metadata."""
    torch.onnx.export(net, (torch.ones(1, opt.window, len(opt.feats)),), opt.out, opset_version=17,
                      input_names=["rr"], output_names=["probs"],
                      dynamic_axes={"rr": {0: "batch"}, "probs": {0: "batch"}})
    options = {k: v for k, v in vars(opt).items() if k not in ("data", "out", "absolute", "feats", "synthetic", "cinc")}
    options.update(report)
    prov = data.provenance(opt.data, manifest)
    if opt.cinc:
        prov += "; " + cinc.provenance(opt.cinc)
    train_meta = {"options": json.dumps(options, sort_keys=True), "data": prov}
    if opt.synthetic:
        train_meta["synthetic"] = opt.synthetic + " windows added to the real ones"
    write_metadata(
        opt.out, task="rhythm", fs=fs_rec.max(), window=opt.window, leads=1, classes=CLASSES,
        rr_features=opt.feats, normalize="none", inputs={"rr": "rr_features"},
        outputs={"probs": "probabilities"}, name="ecgstation-rhythm", version=opt.version,
        train=train_meta)


if __name__ == "__main__":
    main()
