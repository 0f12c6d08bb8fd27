"""Train the default rhythm model (AFIB, AFL against everything else) and export it to ONNX.

    /usr/bin/python3 training/train_rhythm.py --data DIR --out assets/models/rhythm.onnx

DIR is what `ecgstation export` wrote. The model sees WINDOW consecutive beats
and, per beat, RR features (docs/model-contract.md, rhythm task): atrial
fibrillation is irregularly irregular RR, flutter often a regular fast
ventricular response. Each beat's rhythm label comes from the export's rhythm
segments (export short segments, e.g. --segment 4, for sharp episode edges);
a window takes the label of most of its beats.

On MIT-BIH DS1 only records 201 and 203 have AF (203 also flutter), so there
is no AF record to spare for validation by default: the epochs are fixed,
and --members networks from different seeds are averaged. Pass --val 201 or
--val 203 to see how the model does on an AF record it did not see. So that
the model cannot learn just those two patients' AF, --synth-af adds
synthetic AF windows (RR drawn independently around a random rate); the
model's metadata key ecgstation.train.synthetic says how many.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn

import data
from contract import write_metadata

RR = "rr_prev,rr_local,rr_prev_ratio,rr_next_prev"


class RhythmNet(nn.Module):
    """1-D convolutions along the beats of log RR features, pooled -> classes."""

    def __init__(self, n_rr, n_classes=3, width=24):
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


def windows(beats, ybeat, fs_rec, window, stride, names):
    """(features [m, window, F], label [m], record [m]) of beat windows, per record."""
    xs, ys, rs = [], [], []
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
        f = data.rr_features(beats["sample"][rows], fs_rec[r])
        f = np.stack([f[k] for k in names], axis=1).astype(np.float32)
        for s in range(0, len(rows) - window + 1, stride):
            xs.append(f[s:s + window])
            ys.append(np.bincount(ybeat[rows[s:s + window]]).argmax())
            rs.append(r)
    return np.array(xs), np.array(ys), np.array(rs)


def synth_af(n, window, names, rng):
    """n windows of synthetic atrial fibrillation: RR intervals drawn
    independently (the irregularly irregular response) around a random mean
    rate, features computed as for real beats (data.rr_features)."""
    xs = []
    for _ in range(n):
        mean, sd = rng.uniform(0.4, 1.1), rng.uniform(0.1, 0.35)
        rr = np.clip(mean * np.exp(sd * rng.standard_normal(3 * window)), 0.25, 2.5)
        f = data.rr_features(np.round(np.cumsum(rr) * 360).astype(np.int64), 360.0)
        xs.append(np.stack([f[k] for k in names], axis=1)[window:2 * window])
    return np.array(xs, dtype=np.float32)


def rate_scale(x, rng, opt):
    """Scale the absolute RR features of each window by one random factor, so
    the model learns irregularity rather than the training patients' rates."""
    x = x.copy()
    f = np.exp(rng.uniform(-opt.rate_scale, opt.rate_scale, size=(len(x), 1)))
    for k in opt.absolute:
        x[:, :, k] *= f
    return x


def train(X, Y, opt, n_classes, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = RhythmNet(X.shape[2], n_classes=n_classes)
    counts = np.bincount(Y, minlength=n_classes).astype(np.float64)
    w = (counts.max() / np.maximum(counts, 1)) ** opt.weight_power
    weight = torch.tensor(w / w.mean(), dtype=torch.float32)
    adam = torch.optim.Adam(net.parameters(), lr=opt.lr, weight_decay=1e-4)
    for epoch in range(opt.epochs):
        net.train()
        idx = rng.permutation(len(Y))
        total = 0.0
        for i in range(0, len(idx), opt.batch):
            b = idx[i:i + opt.batch]
            p = net(torch.from_numpy(rate_scale(X[b], rng, opt)))
            loss = nn.functional.nll_loss(torch.log(p + 1e-7), torch.from_numpy(Y[b]), weight=weight)
            adam.zero_grad()
            loss.backward()
            adam.step()
            total += loss.item() * len(b)
        print(f"epoch {epoch + 1}: loss {total / len(Y):.4f}", flush=True)
    return net.eval()


def confusion(net, X, Y, n):
    with torch.no_grad():
        p = net(torch.from_numpy(X)).argmax(1).numpy()
    m = np.zeros((n, n), np.int64)
    np.add.at(m, (Y, p), 1)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="export directory (beats.npz, rhythm.npz, manifest.json)")
    ap.add_argument("--out", required=True, help="ONNX file to write")
    ap.add_argument("--features", default=RR, help="RR features per beat (docs/model-contract.md)")
    ap.add_argument("--rate-scale", type=float, default=0.4, help="absolute RRs scaled by exp(U(-s, s)) in training")
    ap.add_argument("--synth-af", type=float, default=2.0,
                    help="synthetic AF windows added to training, as a share of the real AF windows")
    ap.add_argument("--window", type=int, default=32, help="beats per model input")
    ap.add_argument("--stride", type=int, default=4, help="beats between training windows")
    ap.add_argument("--val", default="", help="records held out (comma-separated); none by default")
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-power", type=float, default=0.5, help="class weight = (n_max/n_class)^power")
    ap.add_argument("--seed", type=int, default=1, help="member i starts from seed+i")
    ap.add_argument("--members", type=int, default=3, help="networks averaged in the model")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is bit-for-bit reproducible)")
    ap.add_argument("--version", default="1.1.0")
    opt = ap.parse_args()
    t0 = time.time()
    torch.set_num_threads(opt.threads)
    torch.use_deterministic_algorithms(True)

    beats, rhythm, manifest = data.load_export(opt.data)
    classes = [str(c) for c in rhythm["rhythm_classes"]]
    # The contract names rhythms as WFDB aux text does; the export calls AFIB "AF".
    names = ["AFIB" if c == "AF" else c for c in classes]
    ybeat = data.beat_rhythm(beats, rhythm, manifest)
    fs_rec = data.record_fs(manifest, len(beats["records"]))
    feats = opt.features.split(",")
    opt.absolute = [i for i, f in enumerate(feats) if f in ("rr_prev", "rr_next", "rr_local")]
    X, Y, rec = windows(beats, ybeat, fs_rec, opt.window, opt.stride, feats)
    record_name = np.asarray(beats.get("record_names", beats["records"]))
    is_val = np.isin(record_name[rec], [v for v in opt.val.split(",") if v])
    print(f"{len(Y)} windows of {opt.window} beats; per class {dict(zip(names, np.bincount(Y, minlength=len(names))))}")
    Xt, Yt, n = X[~is_val], Y[~is_val], 0
    if opt.synth_af > 0:
        af = names.index("AFIB")
        n = int(round(opt.synth_af * np.sum(Yt == af)))
        Xt = np.concatenate([Xt, synth_af(n, opt.window, feats, np.random.default_rng(opt.seed + 1000))])
        Yt = np.concatenate([Yt, np.full(n, af)])
        print(f"{n} synthetic AF windows added")
    net = Mean([train(Xt, Yt, opt, len(names), opt.seed + i) for i in range(opt.members)]).eval()
    report = {"classes": names, "train_confusion": confusion(net, X[~is_val], Y[~is_val], len(names)).tolist()}
    if is_val.any():
        report["val_confusion"] = confusion(net, X[is_val], Y[is_val], len(names)).tolist()
    print(report)

    torch.onnx.export(net, (torch.ones(1, opt.window, len(feats)),), opt.out, opset_version=17,
                      input_names=["rr"], output_names=["probs"],
                      dynamic_axes={"rr": {0: "batch"}, "probs": {0: "batch"}})
    options = {k: v for k, v in vars(opt).items() if k not in ("data", "out", "absolute")}
    options.update(report)
    train_meta = {"options": json.dumps(options, sort_keys=True), "data": data.provenance(opt.data, manifest)}
    if opt.synth_af > 0:
        train_meta["synthetic"] = (f"{n} synthetic AF windows (independent log-normal RR, train_rhythm.synth_af, "
                                   f"seed {opt.seed + 1000}) added to the real ones")
    write_metadata(
        opt.out, task="rhythm", fs=fs_rec.max(), window=opt.window, leads=1, classes=names,
        rr_features=feats, normalize="none", inputs={"rr": "rr_features"},
        outputs={"probs": "probabilities"}, name="ecgstation-rhythm", version=opt.version,
        train=train_meta)
    print(f"wrote {opt.out} in {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
