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

--waveform BEFORE,AFTER adds the contract's waveform input (x: each beat's
window, lead 0, z-scored; metadata ecgstation.beat_window): the windows come
from the DS1 export and, with --cinc, from --cinc-export, an export of
CinC 2017's detector beats (beatwaves.py; training/README.md: the rhythm
model's waveform input). Synthetic windows take real windows' waveforms.
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
        return self.along(log_rr(rr).transpose(1, 2))

    def along(self, h):
        """Class probabilities of per-beat inputs h [batch, channels, beats]."""
        h = self.conv(h)
        h = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        return torch.softmax(self.head(h), dim=1)


def log_rr(rr):
    """The log of the RR features, clamped to 0.05-20."""
    return torch.log(torch.clamp(rr, min=0.05, max=20.0))


class WaveRhythmNet(nn.Module):
    """RhythmNet with a per-beat waveform encoder shared across the beats.
    The encoder's channels: "beat", the beat's window (z-scored, lead 0),
    and "diff", the window minus the mean of the segment's windows (or,
    with ref "median", their sample-wise median, which a few PVCs move
    little; small where the atrial activity repeats beat to beat: P waves in sinus rhythm,
    F waves in flutter; large and changing with AF's f waves). A small 1-D
    CNN over the samples turns them into emb values per beat, which join the
    beat's log RR features as channels of the CNN along the beats."""

    def __init__(self, n_rr, length, emb=8, enc_width=8, channels="beat,diff", n_classes=len(CLASSES), width=24,
                 ref="mean", span_end=None):
        super().__init__()
        self.channels = channels.split(",")
        self.ref = ref
        if span_end is not None:  # diff over samples [0, span_end) only, zero after
            self.register_buffer("span", (torch.arange(length) < span_end).float(), persistent=False)
        else:
            self.span = None
        self.enc = nn.Sequential(
            nn.Conv1d(len(self.channels), enc_width, 7, stride=2, padding=3), nn.ReLU(),
            nn.Conv1d(enc_width, enc_width, 5, stride=2, padding=2), nn.ReLU())
        n = (((length + 1) // 2) + 1) // 2
        self.proj = nn.Sequential(nn.Flatten(), nn.Linear(enc_width * n, emb), nn.ReLU())
        self.rhythm = RhythmNet(n_rr + emb, n_classes, width)

    def forward(self, rr, x):
        # x: [batch, beats, 1 lead, samples]
        h = x[:, :, 0, :]
        ref = h.mean(dim=1, keepdim=True) if self.ref == "mean" else median_beats(h)
        d = h - ref if self.span is None else (h - ref) * self.span
        ch = {"beat": h, "diff": d}
        h = torch.stack([ch[c] for c in self.channels], dim=2)
        e = self.proj(self.enc(h.reshape(-1, h.shape[2], h.shape[3])))
        e = e.reshape(x.shape[0], x.shape[1], -1)
        return self.rhythm.along(torch.cat([log_rr(rr), e], dim=2).transpose(1, 2))


def median_beats(h):
    """The sample-wise median of h [batch, beats, samples] over the beats,
    [batch, 1, samples]: from TopK (ONNX-exportable, unlike torch.median),
    the mean of the two middle values for an even count. A few PVCs among
    the beats move it little, unlike the mean."""
    n = h.shape[1]
    v = torch.topk(h, n // 2 + 1, dim=1).values
    if n % 2:
        return v[:, -1:]
    return (v[:, -2:-1] + v[:, -1:]) / 2


class Mean(nn.Module):
    """The mean of the members' probabilities."""

    def __init__(self, nets):
        super().__init__()
        self.nets = nn.ModuleList(nets)

    def forward(self, *inputs):
        return torch.stack([n(*inputs) for n in self.nets]).mean(dim=0)


def segment_starts(n, seg, stride):
    """rhythm.SegmentStarts: windows every stride beats, the last ending at beat n-1."""
    if n < seg:
        return []
    return list(range(0, n - seg, max(stride, 1))) + [n - seg]


def feature_matrix(peaks, fs, names):
    f = data.rr_features(peaks, fs)
    return np.stack([f[k] for k in names], axis=1).astype(np.float32)


def ds1_windows(beats, ybeat, fs_rec, opt, export_classes):
    """(features [m, window, F], group [m], record [m], beat rows [m, window])
    of DS1 beat windows."""
    xs, gs, rs, ws = [], [], [], []
    group = {c: ("AFIB" if c == "AF" else c if c == "AFL" else "NONAF") for c in export_classes}
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
        f = feature_matrix(beats["sample"][rows], fs_rec[r], opt.feats)
        for s in range(0, len(rows) - opt.window + 1, opt.stride):
            xs.append(f[s:s + opt.window])
            gs.append(GROUPS.index(group[export_classes[np.bincount(ybeat[rows[s:s + opt.window]]).argmax()]]))
            rs.append(r)
            ws.append(rows[s:s + opt.window])
    return np.array(xs), np.array(gs), np.array(rs), np.array(ws, np.int64).reshape(-1, opt.window)


CINC_GROUP = {"N": "N", "A": "AFIB", "O": "OTHER"}


def cinc_windows(records, opt):
    """(features, group, pool indices or None) of training windows of CinC
    records (noisy ones and those with fewer beats than a window left out).
    With --waveform the windows are cut over the beats that have an exported
    window (beatwaves.inner), the RR features still over all beats."""
    xs, gs, ws = [], [], []
    for r in records:
        if r["label"] not in CINC_GROUP or len(r["peaks"]) < opt.window:
            continue
        f = feature_matrix(r["peaks"], r["fs"], opt.feats)
        lo, hi = beatwaves.inner(r["wave"], r["name"]) if opt.waveform else (0, len(f))
        for s in segment_starts(hi - lo, opt.window, opt.cinc_stride):
            xs.append(f[lo + s:lo + s + opt.window])
            gs.append(GROUPS.index(CINC_GROUP[r["label"]]))
            if opt.waveform:
                ws.append(r["wave"][lo + s:lo + s + opt.window])
    I = np.array(ws, np.int64).reshape(-1, opt.window) if opt.waveform else None
    return np.array(xs, np.float32).reshape(-1, opt.window, len(opt.feats)), np.array(gs, np.int64), I


def rate_scale(x, rng, opt):
    """Scale the absolute RR features of each window by one random factor, so
    the model learns irregularity rather than the training patients' rates."""
    x = x.copy()
    f = np.exp(rng.uniform(-opt.rate_scale, opt.rate_scale, size=(len(x), 1)))
    for k in opt.absolute:
        x[:, :, k] *= f
    return x


def new_net(n_rr, opt):
    """The network --waveform asks for."""
    if not opt.waveform:
        return RhythmNet(n_rr)
    return WaveRhythmNet(n_rr, sum(opt.beat_window), emb=opt.wave_emb, enc_width=opt.wave_width,
                         channels=opt.wave_channels, ref=opt.wave_ref, span_end=span_end(opt))


def span_end(opt):
    """With --wave-span pre, where diff stops: 0.06 s before the R peak
    (the QRS's onset, about; sample 61 of 72,36 at 180 Hz); None for all."""
    if opt.wave_span == "all":
        return None
    return opt.beat_window[0] - int(round(0.06 * opt.fs_wave))


def inputs(X, I, opt):
    """The network's inputs for RR windows X (numpy) and, with --waveform,
    the pool indices I of their beats' windows."""
    rr = torch.from_numpy(X)
    if I is None:
        return (rr,)
    return rr, torch.from_numpy(opt.pool[I])


def train(X, G, opt, seed, I=None):
    """One network on windows X with target groups G (indices into GROUPS)
    and, with --waveform, the pool indices I of their beats' windows."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = new_net(X.shape[2], opt)
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
            p = net(*inputs(rate_scale(X[b], rng, opt), None if I is None else I[b], opt))
            loss = -(torch.log((p * masks[g]).sum(1) + 1e-7) * w[g]).sum() / w[g].sum()
            adam.zero_grad()
            loss.backward()
            adam.step()
            total += loss.item() * len(b)
        print(f"epoch {epoch + 1}: loss {total / len(G):.4f}", flush=True)
    return net.eval()


def synthetic(n_af, opt, seed):
    """The synthetic windows and their groups, and a description of them.
    With --waveform, borrow() gives them real beats' windows."""
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


# Synthetic windows take the waveforms of a random real training window of
# these groups: irregular non-AF RR with sinus beats' P waves, AF RR with AF
# windows' f waves, flutter RR with flutter windows' F waves; without real
# flutter (DS1's is all in 203) with sinus windows', whose atrial activity
# also repeats beat to beat.
DONORS = {"AFIB": [["AFIB"]], "NONAF": [["N", "NONAF"]], "AFL": [["AFL"], ["N", "NONAF"]]}


def borrow(Gs, G, I, seed):
    """Pool indices [len(Gs), window] for synthetic windows of groups Gs from
    the real windows (groups G, indices I), and a mask of the synthetic
    windows that got some (False where their group has no donor)."""
    rng = np.random.default_rng(seed)
    out = np.zeros((len(Gs), I.shape[1]), np.int64)
    keep = np.ones(len(Gs), bool)
    for g in np.unique(Gs):
        want = np.flatnonzero(Gs == g)
        for groups in DONORS[GROUPS[g]]:
            donors = np.flatnonzero(np.isin(G, [GROUPS.index(d) for d in groups]))
            if len(donors):
                break
        if len(donors) == 0:
            keep[want] = False
            continue
        out[want] = I[donors[rng.integers(0, len(donors), len(want))]]
    return out, keep


def record_probs(net, r, opt):
    """A CinC record's class probabilities: the mean over its windows (as
    the app's pipeline cuts them); a record shorter than a window is fed
    whole (the network pools over any length); None with under 2 beats.
    With --waveform, over the beats that have an exported window."""
    f = feature_matrix(r["peaks"], r["fs"], opt.feats) if len(r["peaks"]) else None
    lo, hi = beatwaves.inner(r["wave"], r["name"]) if opt.waveform else (0, len(r["peaks"]))
    if hi - lo < 2:
        return None
    n = hi - lo
    starts = segment_starts(n, opt.window, max(1, opt.window // 4)) or [0]
    x = np.stack([f[lo + s:lo + s + min(opt.window, n)] for s in starts])
    w = np.stack([r["wave"][lo + s:lo + s + min(opt.window, n)] for s in starts]) if opt.waveform else None
    with torch.no_grad():
        return net(*inputs(x, w, opt)).mean(0).numpy()


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
        X, G, I, _ = assemble(ds1, train_recs, opt)
        net = train(X, G, opt, opt.seed + 100 * k, I)
        for i in np.flatnonzero(fold == k):
            truth[i], called[i] = records[i]["label"], cinc_call(record_probs(net, records[i], opt))
        print(f"fold {k + 1} of {opt.cinc_folds} done", flush=True)
    scored = [i for i, t in enumerate(truth) if t in "NAO"]
    f1 = cinc_f1([truth[i] for i in scored], [called[i] for i in scored])
    conf = {t: {c: sum(truth[i] == t and called[i] == c for i in range(len(truth))) for c in "NAO"} for t in "NAO~"}
    return f1, conf


def assemble(ds1, cinc_records, opt):
    """Training windows: DS1's (without --val), CinC's and the synthetic
    ones; (features, groups, pool indices or None, real AF windows)."""
    Xd, Gd, Id = ds1
    Xc, Gc, Ic = cinc_windows(cinc_records, opt)
    n_af = int(np.sum(Gd == GROUPS.index("AFIB")) + np.sum(Gc == GROUPS.index("AFIB")))
    Xs, Gs, opt.synthetic = synthetic(n_af, opt, opt.seed + 1000)
    if not opt.waveform:
        return np.concatenate([Xd, Xc, Xs]), np.concatenate([Gd, Gc, Gs]), None, n_af
    Ir = np.concatenate([Id, Ic])
    Is, keep = borrow(Gs, np.concatenate([Gd, Gc]), Ir, opt.seed + 2000)
    opt.synthetic_waves = "their beats' waveforms those of random real training windows (train_rhythm.DONORS)"
    if not keep.all():
        opt.synthetic_waves += f"; {int(np.sum(~keep))} left out (no real window of their group to take waveforms from)"
    return (np.concatenate([Xd, Xc, Xs[keep]]), np.concatenate([Gd, Gc, Gs[keep]]),
            np.concatenate([Ir, Is[keep]]), n_af)


def confusion(net, X, G, I, opt):
    """Rows: target group; columns: called class."""
    with torch.no_grad():
        p = net(*inputs(X, I, opt)).argmax(1).numpy()
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
    ap.add_argument("--waveform", default="", metavar="BEFORE,AFTER",
                    help="add the waveform input: lead 0 of each beat's window, BEFORE samples before the R peak "
                         "and AFTER from it on, at the exports' fs (e.g. 72,36); none by default")
    ap.add_argument("--cinc-export", default="",
                    help="with --waveform: `ecgstation export` of CinC 2017's detector beats (the windows)")
    ap.add_argument("--wave-emb", type=int, default=8, help="per-beat waveform embedding size")
    ap.add_argument("--wave-width", type=int, default=8, help="channels of the waveform encoder's convolutions")
    ap.add_argument("--check-out", default="",
                    help="with --waveform: save 3 training windows and the network's probabilities (npz) to run the ONNX file on")
    ap.add_argument("--wave-channels", default="beat,diff",
                    help="what the encoder sees per beat: beat (its window), diff (its window minus the mean of the "
                         "segment's windows) or both")
    ap.add_argument("--wave-ref", default="mean", choices=["mean", "median"],
                    help="what diff subtracts: the mean of the segment's windows or their sample-wise median")
    ap.add_argument("--wave-span", default="all", choices=["all", "pre"],
                    help="where diff is taken: all the window, or pre, its samples up to 0.06 s before the R peak "
                         "(the atrial part; zero after)")
    opt = ap.parse_args()
    if opt.waveform and opt.cinc and not opt.cinc_export:
        ap.error("--waveform with --cinc needs --cinc-export (the CinC beats' windows)")
    opt.feats = opt.features.split(",")
    opt.absolute = [i for i, f in enumerate(opt.feats) if f in ("rr_prev", "rr_next", "rr_local")]
    opt.beat_window = beatwaves.parse(opt.waveform) if opt.waveform else None
    if opt.wave_channels not in ("beat", "diff", "beat,diff"):
        ap.error(f"--wave-channels {opt.wave_channels}: want beat, diff or beat,diff")
    return opt


def load_pool(beats, manifest, records, opt):
    """With --waveform: opt.pool, the z-scored beat windows of DS1's beat
    rows and then of the CinC export's beats (records get their "wave"
    indices); returns the CinC export's provenance ("" without)."""
    before, after = opt.beat_window
    ds1 = beatwaves.crop(beats["x"], manifest, before, after)
    opt.fs_wave = manifest["window"]["fs"]
    if not records:
        opt.pool = ds1
        return ""
    pc, prov = beatwaves.cinc(opt.cinc_export, records, before, after, opt.fs_wave, len(ds1))
    opt.pool = np.concatenate([ds1, pc])
    return prov


def main():
    opt = options()
    t0 = time.time()
    torch.set_num_threads(opt.threads)
    torch.use_deterministic_algorithms(True)

    beats, rhythm, manifest = data.load_export(opt.data)
    export_classes = [str(c) for c in rhythm["rhythm_classes"]]
    ybeat = data.beat_rhythm(beats, rhythm, manifest)
    fs_rec = data.record_fs(manifest, len(beats["records"]))
    X, G, rec, W = ds1_windows(beats, ybeat, fs_rec, opt, export_classes)
    record_name = np.asarray(beats.get("record_names", beats["records"]))
    is_val = np.isin(record_name[rec], [v for v in opt.val.split(",") if v])
    records = cinc.load(opt.cinc) if opt.cinc else []
    opt.wave_data = load_pool(beats, manifest, records, opt) if opt.waveform else ""
    Wd = W if opt.waveform else None
    print(f"DS1: {len(G)} windows of {opt.window} beats, per group {dict(zip(GROUPS, np.bincount(G, minlength=len(GROUPS))))}; "
          f"CinC: {len(records)} records", flush=True)
    report = {"classes": CLASSES, "groups": GROUPS}
    if opt.cinc_folds:
        report["cinc_cv_f1"], report["cinc_cv_confusion"] = cinc_cv(records, (X[~is_val], G[~is_val], sub(Wd, ~is_val)), opt)
        print(f"CinC {opt.cinc_folds}-fold cross-validation by record: {report['cinc_cv_f1']}\n"
              f"confusion (truth -> called): {report['cinc_cv_confusion']}", flush=True)
    if opt.folds_only and not is_val.any():
        return
    Xt, Gt, It, n_af = assemble((X[~is_val], G[~is_val], sub(Wd, ~is_val)), records, opt)
    print(f"{len(Gt)} training windows ({n_af} real AF); synthetic: {opt.synthetic}", flush=True)
    net = Mean([train(Xt, Gt, opt, opt.seed + i, It) for i in range(opt.members)]).eval()
    if opt.waveform:  # three real windows of different groups for check_onnx
        pick = [int(np.flatnonzero(Gt == g)[0]) for g in np.unique(Gt)][:3]
        opt.check_inputs = (Xt[pick], opt.pool[It[pick]])
    report["train_confusion"] = confusion(net, X[~is_val], G[~is_val], sub(Wd, ~is_val), opt).tolist()
    if is_val.any():
        report["val_confusion"] = confusion(net, X[is_val], G[is_val], sub(Wd, is_val), opt).tolist()
    print(report, flush=True)
    if opt.folds_only:
        return
    export(net, opt, report, manifest, fs_rec)
    print(f"wrote {opt.out} in {time.time() - t0:.0f} s")


def sub(a, mask):
    """a[mask], None for None."""
    return None if a is None else a[mask]


def export(net, opt, report, manifest, fs_rec):
    """Write the ONNX model with the contract's metadata."""
    args, names, axes = (torch.ones(1, opt.window, len(opt.feats)),), ["rr"], {"rr": {0: "batch"}, "probs": {0: "batch"}}
    if opt.waveform:
        args += (torch.zeros(1, opt.window, 1, sum(opt.beat_window)),)
        names.append("x")
        axes["x"] = {0: "batch"}
    torch.onnx.export(net, args, opt.out, opset_version=17, input_names=names, output_names=["probs"],
                      dynamic_axes=axes)
    drop = {"data", "out", "absolute", "feats", "synthetic", "cinc", "cinc_export", "pool", "wave_data", "fs_wave",
            "synthetic_waves", "check_inputs", "check_out"}
    if not opt.waveform:  # the options of a model without the waveform input, as before it existed
        drop |= {"waveform", "wave_emb", "wave_width", "wave_channels", "beat_window"}
    if opt.wave_ref == "mean":  # the options of a mean-reference model, as before --wave-ref existed
        drop.add("wave_ref")
    if opt.wave_span == "all":
        drop.add("wave_span")
    options = {k: v for k, v in vars(opt).items() if k not in drop}
    options.update(report)
    prov = data.provenance(opt.data, manifest)
    if opt.cinc:
        prov += "; " + cinc.provenance(opt.cinc)
    if opt.wave_data:
        prov += "; windows: " + opt.wave_data
    train_meta = {"options": json.dumps(options, sort_keys=True), "data": prov}
    if opt.synthetic:
        train_meta["synthetic"] = opt.synthetic + " windows added to the real ones"
        if opt.waveform:
            train_meta["synthetic"] += "; " + opt.synthetic_waves
    meta = dict(fs=fs_rec.max(), normalize="none", inputs={"rr": "rr_features"})
    if opt.waveform:  # the waveform at the exports' fs, z-scored per beat (beatwaves)
        meta = dict(fs=opt.fs_wave, normalize="zscore", inputs={"rr": "rr_features", "x": "waveform"},
                    beat_window=opt.beat_window)
    write_metadata(
        opt.out, task="rhythm", window=opt.window, leads=1, classes=CLASSES,
        rr_features=opt.feats, outputs={"probs": "probabilities"}, name="ecgstation-rhythm", version=opt.version,
        train=train_meta, **meta)
    if opt.waveform:
        check_onnx(net, opt, args)


def check_onnx(net, opt, args):
    """Exit unless the written graph has the contract's inputs and, where
    onnx has its reference evaluator (1.13 on), gives the network's
    probabilities on 3 real training windows; --check-out saves those
    windows and the network's probabilities for ONNX Runtime."""
    import onnx
    m = onnx.load(opt.out)
    shapes = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in m.graph.input}
    want = {"rr": ["batch", opt.window, len(opt.feats)], "x": ["batch", opt.window, 1, sum(opt.beat_window)]}
    if shapes != want:
        raise SystemExit(f"{opt.out}: inputs {shapes}, want {want}")
    rr, x = opt.check_inputs
    with torch.no_grad():
        p = net(torch.from_numpy(rr), torch.from_numpy(x)).numpy()
    if opt.check_out:
        np.savez(opt.check_out, rr=rr, x=x, probs=p)
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        print(f"ONNX check: inputs {shapes}; no onnx.reference in onnx {onnx.__version__}, graph not run", flush=True)
        return
    q = ReferenceEvaluator(m).run(None, {"rr": rr, "x": x})[0]
    diff = float(np.abs(p - q).max())
    print(f"ONNX check: inputs {shapes}; torch and the graph (reference evaluator) differ by {diff:.2e} at most", flush=True)
    if diff > 1e-4:
        raise SystemExit(f"{opt.out}: the ONNX graph's probabilities differ from the network's by {diff}")


if __name__ == "__main__":
    main()
