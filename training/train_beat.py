"""Train the default beat classifier (AAMI N, S, V, F, Q) and export it to ONNX.

    /usr/bin/python3 training/train_beat.py --data DIR --out assets/models/beat.onnx

DIR is what `ecgstation export` wrote (beats.npz, rhythm.npz, manifest.json),
for ECG Station's default model the DS1 records of the MIT-BIH Arrhythmia
Database (make models). The records are split by patient into --folds; one
network per fold learns from the other folds and keeps the epoch that does
best on its own fold (mean F1 of S and V), so no test record is ever used.
The networks' probabilities are averaged inside one ONNX graph. Everything is
deterministic for a given data set and options (single-threaded by default).

Inputs (docs/model-contract.md): the z-scored waveform of both leads around
the R peak, RR features, and the beat's template (the median window of its
neighbours). The RR ratios to the local and long means carry premature (S)
beats across patients; the CNN carries morphology (V, F); how far a beat is
from its template says whether its shape is this patient's usual one. The
penultimate layer is the beat embedding the app clusters into templates.
"""

import argparse
import json
import time

import numpy as np
import torch
from torch import nn

import data
from contract import write_metadata

CLASSES = ["N", "S", "V", "F", "Q"]
# DS1 split by patient into three folds, each with S, V and N beats of other patients.
FOLDS = ("209,208,101,108,112,122,124;118,220,207,106,116,215,114,230;"
         "201,223,119,203,205,109,115")
# rr_long and its ratios measure prematurity against the patient's own rhythm
# over 5 minutes (de Chazal 2004), which S beats need across patients.
RR = ("rr_prev,rr_next,rr_local,rr_prev_ratio,rr_next_ratio,rr_next_prev,"
      "rr_long,rr_prev_long_ratio,rr_next_long_ratio,rr_local_long_ratio,rr_local_irr")


class BeatNet(nn.Module):
    """1-D CNN on the waveform + MLP on log RR features -> embedding -> classes."""

    def __init__(self, leads, n_rr, emb=32, n_classes=len(CLASSES), dropout=0.3, rr_head=False, template=""):
        super().__init__()
        self.template = template
        n_dev = 2 * leads if template in ("scalar", "both") else 0
        leads = leads * 3 if template in ("cnn", "both") else leads
        def block(i, o, k):
            return [nn.Conv1d(i, o, k, padding=k // 2), nn.BatchNorm1d(o), nn.ReLU()]
        self.conv = nn.Sequential(
            *block(leads, 8, 7), nn.MaxPool1d(2),
            *block(8, 16, 5), nn.MaxPool1d(2),
            *block(16, 24, 5), nn.MaxPool1d(2),
            *block(24, 32, 3))
        self.rr = nn.Sequential(nn.Linear(n_rr + n_dev, 16), nn.ReLU())
        self.embed = nn.Sequential(nn.Dropout(dropout), nn.Linear(64 + 16, emb), nn.ReLU())
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(emb, n_classes))
        self.rr_head = nn.Linear(n_rr, n_classes) if rr_head else None  # a direct RR path

    def forward(self, x, rr, tmpl=None):
        lr = torch.log(torch.clamp(rr, min=0.05, max=20.0))
        feats = lr
        if self.template in ("scalar", "both"):  # how far this beat is from the patient's usual one
            feats = torch.cat([lr, deviation(x, tmpl)], dim=1)
        if self.template in ("cnn", "both"):
            x = torch.cat([x, tmpl, x - tmpl], dim=1)
        h = self.conv(x)
        h = torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1)
        e = self.embed(torch.cat([h, self.rr(feats)], dim=1))
        logits = self.head(e)
        return (logits if self.rr_head is None else logits + self.rr_head(lr)), e


def deviation(x, tmpl):
    """Per lead: the correlation of the (z-scored) beat with its template,
    and the RMS of their difference."""
    dot = (x * tmpl).sum(dim=2)
    norm = torch.sqrt((x * x).sum(dim=2) * (tmpl * tmpl).sum(dim=2)) + 1e-3
    rms = torch.sqrt(((x - tmpl) ** 2).mean(dim=2) + 1e-6)
    return torch.cat([dot / norm, rms], dim=1)


class Ensemble(nn.Module):
    """Average of the members' probabilities, times per-class gains (chosen on
    held-out DS1 records), renormalised; the first member's embedding (the
    template clustering and the adapter need one network's coordinates;
    all members' side by side would triple their work and the embeddings'
    memory in a 14-day window). One member gives the graph it always gave."""

    def __init__(self, nets, gains):
        super().__init__()
        self.nets = nn.ModuleList(nets)
        self.register_buffer("gains", torch.tensor(gains, dtype=torch.float32))

    def forward(self, x, rr, tmpl=None):
        outs = [n(x, rr, tmpl) for n in self.nets]
        probs = torch.stack([torch.softmax(lo, dim=1) for lo, _ in outs]).mean(dim=0) * self.gains
        return probs / probs.sum(dim=1, keepdim=True), torch.cat([outs[0][1]], dim=1)


def batches(n, size, rng):
    idx = rng.permutation(n)
    return [idx[i:i + size] for i in range(0, n, size)]


def scores(y, p, k):
    """Se and +P (%) of class k, counting false positives as EC57 does: a
    beat called V is not held against V +P when it is F or Q, nor one
    called S against S +P when it is Q (annotate/eval's Matrix.Class)."""
    tp = np.sum((y == k) & (p == k))
    ignore = {2: (3, 4), 1: (4,)}.get(k, ())
    called = np.sum((p == k) & ~np.isin(y, ignore))
    return 100 * tp / max(np.sum(y == k), 1), 100 * tp / max(called, 1)


def evaluate(net, xv, rv, tv, yv):
    return evaluate_probs(net, xv, rv, tv).argmax(1)


def val_score(y, p):
    """Model selection on DS1 val: mean F1 of S and V (the classes EC57 scores)."""
    f = []
    for k in (1, 2):
        se, pp = scores(y, p, k)
        f.append(2 * se * pp / max(se + pp, 1e-9))
    return sum(f) / 2


def train_one(seed, X, R, T, Y, val, opt, epochs):
    """Train one network for `epochs`; with val (held-out records), return it
    at its best epoch on val, and that epoch."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = BeatNet(X.shape[1], R.shape[1], dropout=opt.dropout, rr_head=opt.rr_head,
                  template=opt.template_mode if T is not None else "")
    counts = np.bincount(Y, minlength=len(CLASSES)).astype(np.float64)
    w = np.minimum((counts.max() / np.maximum(counts, 1)) ** opt.weight_power, opt.max_weight)
    loss_fn = nn.CrossEntropyLoss(weight=torch.tensor(w / w.mean(), dtype=torch.float32))
    adam = torch.optim.Adam(net.parameters(), lr=opt.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(adam, epochs)
    best, best_epoch, best_state = -1.0, epochs, None
    for epoch in range(1, epochs + 1):
        net.train()
        for b in batches(len(Y), opt.batch, rng):
            x, t = augment(X[b], None if T is None else T[b], rng, opt)
            logits, _ = net(torch.from_numpy(x), torch.from_numpy(R[b]), t)
            loss = loss_fn(logits, torch.from_numpy(Y[b]))
            adam.zero_grad()
            loss.backward()
            adam.step()
        sched.step()
        if val is None:
            print(f"seed {seed} epoch {epoch}", flush=True)
            continue
        p = evaluate(net, *val)
        s = val_score(val[3], p)
        if s > best:
            best, best_epoch, best_state = s, epoch, {k: v.clone() for k, v in net.state_dict().items()}
        sv = " ".join(f"{c} %.0f/%.0f" % scores(val[3], p, k) for k, c in enumerate(CLASSES[:4]))
        print(f"seed {seed} epoch {epoch}: held-out Se/+P {sv}; S/V F1 {s:.1f}", flush=True)
        if opt.patience and epoch - best_epoch >= opt.patience:
            break  # no better epoch for --patience epochs
    if best_state is not None:
        net.load_state_dict(best_state)
    return net.eval(), best_epoch


def pick_gains(y, probs, grid=(0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 16)):
    """Per-class gains on the probabilities, chosen on the held-out
    predictions: first for F the one that gives the fewest errors over all
    classes (F beats are rare and differ between patients: its gain mostly
    decides how often wide normal beats, as in bundle branch block, are
    called F), then for S and for V the one that gives the class the best F1."""
    g = np.ones(len(CLASSES))

    def with_gain(k, v):
        h = g.copy()
        h[k] = v
        return (probs * h).argmax(1)

    g[3] = max((0.05, 0.1, 0.25) + grid, key=lambda v: np.mean(with_gain(3, v) == y))
    for k in (1, 2):
        def f1(v):
            se, pp = scores(y, with_gain(k, v), k)
            return 2 * se * pp / max(se + pp, 1e-9)
        g[k] = max(grid, key=f1)
    return g


def interp_rows(x, pos):
    """x[i, lead] linearly interpolated at the positions pos[i] (clipped to
    the window)."""
    pos = np.clip(pos, 0, x.shape[2] - 1)
    lo = np.minimum(np.floor(pos).astype(np.int64), x.shape[2] - 2)
    frac = (pos - lo)[:, None, :].astype(np.float32)
    take = lambda i: np.take_along_axis(x, np.repeat(i[:, None, :], x.shape[1], axis=1), axis=2)
    return take(lo) * (1 - frac) + take(lo + 1) * frac


def augment(x, tmpl, rng, opt):
    """Random shift of the R peak (detector jitter), noise and baseline tilt,
    then the contract's z-score; returns the windows and the templates (as a
    tensor, or None) with the same leads dropped. A row whose second lead is
    all zeros (a one-lead record) keeps it at zero, as the app feeds a lead
    a record does not have."""
    n, leads, w = x.shape
    shift = rng.integers(-opt.jitter, opt.jitter + 1, size=n)
    f = np.exp(rng.uniform(-opt.stretch, opt.stretch, size=n)) if opt.stretch else np.ones(n)
    rel = (np.arange(opt.length)[None, :] - opt.before_n) * f[:, None]  # samples from the R peak
    out = interp_rows(x, opt.margin + opt.before_n + shift[:, None] + rel)
    if tmpl is not None and opt.stretch:  # the patient's beats are all as wide: stretch the template too
        tmpl = interp_rows(tmpl, opt.before_n + rel)
    scale = out.std(axis=2, keepdims=True) + 1e-3
    out = out + rng.normal(0, opt.noise, out.shape) * scale
    out = out + rng.normal(0, opt.noise, (n, leads, 1)) * scale * np.linspace(-1, 1, opt.length)
    out = data.zscore(out)
    tmpl = None if tmpl is None else tmpl.copy()
    drop = rng.random(n) < opt.lead_drop
    if leads > 1:
        drop |= ~x[:, 1:].any(axis=(1, 2))  # recorded with one lead (--cinc-normal): the others stay off
        out[drop, 1:] = 0  # a lead off, as the app feeds it
        if tmpl is not None:
            tmpl[drop, 1:] = 0
    if opt.lead_swap and leads > 1:  # the second lead alone, where the first one goes (one-lead records)
        swap = ~drop & (rng.random(n) < opt.lead_swap)
        out[swap, 0], out[swap, 1:] = out[swap, 1], 0
        if tmpl is not None:
            tmpl[swap, 0], tmpl[swap, 1:] = tmpl[swap, 1], 0
    out[rng.random(n) < opt.wave_drop] = 0  # no waveform: learn from RR alone too
    return out, None if tmpl is None else torch.from_numpy(tmpl)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="export directory (beats.npz, manifest.json)")
    ap.add_argument("--out", required=True, help="ONNX file to write")
    ap.add_argument("--folds", default=FOLDS, help="records per fold (';' between folds): one network per fold")
    ap.add_argument("--before", type=float, default=0.28, help="model window before the R peak, s")
    ap.add_argument("--after", type=float, default=0.42, help="model window from the R peak on, s")
    ap.add_argument("--jitter", type=float, default=0.02, help="random R-peak shift in training, s")
    ap.add_argument("--noise", type=float, default=0.05, help="noise and tilt, fraction of the window's std")
    ap.add_argument("--stretch", type=float, default=0.0,
                    help="random time stretch of beat and template about the R peak, up to exp(+-this)")
    ap.add_argument("--leads", type=int, default=2, help="the record's first N leads")
    ap.add_argument("--lead-drop", type=float, default=0.2, help="share of training beats with lead 2+ zeroed")
    ap.add_argument("--lead-swap", type=float, default=0.0,
                    help="share of training beats (of those not in --lead-drop) given as the second lead alone, in "
                    "the first lead's place (a one-lead record's lead need not be the first lead's kind)")
    ap.add_argument("--wave-drop", type=float, default=0.0, help="share of training beats with no waveform")
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--epochs", type=int, default=8, help="most epochs; the folds pick how many")
    ap.add_argument("--patience", type=int, default=0,
                    help="stop a fold's network after this many epochs without a better one (0: all --epochs)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-power", type=float, default=0.5, help="class weight = (n_max/n_class)^power")
    ap.add_argument("--rr-head", action="store_true", help="add a linear RR-only path to the logits")
    ap.add_argument("--max-weight", type=float, default=10, help="cap on a class weight (F and Q are tiny)")
    ap.add_argument("--rr", default=RR, help="RR features (docs/model-contract.md)")
    ap.add_argument("--template", type=int, default=16,
                    help="template input: median window of this many beats on each side (0: none)")
    ap.add_argument("--template-mode", default="scalar", choices=("scalar", "cnn", "both"),
                    help="how the net uses the template: correlation and RMS difference per lead, extra CNN channels, or both")
    ap.add_argument("--eval-data", help="score the folds on this export instead (the same records, e.g. at the "
                    "app's detector marks: import-ann --at detector)")
    ap.add_argument("--s-majority-eval", action="store_true",
                    help="also score the folds with every S beat given the median of its patient's S beats as template")
    ap.add_argument("--f-gain", type=float, help="use this gain for F instead of choosing it")
    ap.add_argument("--folds-only", action="store_true", help="stop after the folds (to compare options)")
    ap.add_argument("--thin-n", default="", help="FRACTION:REC,REC,...: train on this share of the N beats of "
                    "these records (drawn once, seed 0); their folds are still scored on every beat")
    ap.add_argument("--train-exclude", default="", help="REC,REC,...: records scored in their folds but never "
                    "trained on (to score a model of the other records on them)")
    ap.add_argument("--cinc-normal", help="export of CinC 2017's normal-rhythm recordings (one lead, the app's "
                    "detector beats, all N): the --cinc-train records' beats are learnt as one-lead N beats, the "
                    "others' beats are scored by the fold networks for false ectopy (V and S per 1000 beats)")
    ap.add_argument("--cinc-train", help="file of the --cinc-normal record names to learn from, one a line (cinc.py split)")
    ap.add_argument("--cinc-share", type=float, default=0.2,
                    help="share of the --cinc-train records' beats learnt from (drawn once, seed 0)")
    ap.add_argument("--held-out", help="write the folds' held-out probabilities to this .npz (to study errors)")
    ap.add_argument("--seed", type=int, default=1, help="base seed of every network")
    ap.add_argument("--members", type=int, default=2, help="networks averaged in the model")
    ap.add_argument("--first-member-out", help="also write the first of the --members networks alone (same gains) here")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1 is bit-for-bit reproducible)")
    ap.add_argument("--version", default="1.3.0")
    opt = ap.parse_args()
    t0 = time.time()
    torch.set_num_threads(opt.threads)
    torch.use_deterministic_algorithms(True)
    torch.backends.mkldnn.enabled = False  # oneDNN picks kernels by processor: same bytes on every x86-64

    beats, _, manifest = data.load_export(opt.data)
    fs = manifest["window"]["fs"]
    exp_before = manifest["window"]["before_samples"]
    before, after = round(opt.before * fs), round(opt.after * fs)
    j = round(opt.jitter * fs)
    opt.length, opt.jitter, opt.margin, opt.before_n = before + after, j, exp_before - before, before
    opt.x_width = beats["x"].shape[2]
    if opt.margin - j < 0 or opt.margin + opt.length + j > beats["x"].shape[2]:
        raise SystemExit(f"export window too short for before={before} after={after} jitter={j} samples")
    assert list(beats["classes"]) == CLASSES, beats["classes"]

    rr_names = opt.rr.split(",")
    X, R, T, Y, names = beat_arrays(beats, manifest, rr_names, opt)
    XE, RE, TE, YE, NE, eval_beats = X, R, T, Y, names, beats  # where the folds are scored
    X, R, T, Y, names = train_rows(X, R, T, Y, names, opt)
    cinc_val = None
    if opt.cinc_normal:
        rows, cinc_val = cinc_rows(fs, rr_names, opt)
        X, R, T, Y, names = (a if b is None else np.concatenate([a, b]) for a, b in zip((X, R, T, Y, names), rows))
    if opt.eval_data:
        eval_beats, _, eval_manifest = data.load_export(opt.eval_data)
        XE, RE, TE, YE, NE = beat_arrays(eval_beats, eval_manifest, rr_names, opt)
    TSE = s_templates(eval_beats, TE, YE, opt) if opt.s_majority_eval else None
    sub = (lambda a, m: None if a is None else a[m])
    folds = [f.split(",") for f in opt.folds.split(";")]
    # 1. One network per fold, trained on the other folds, stopped at its best
    #    epoch on its fold; their held-out probabilities choose the class gains.
    held_probs, best_epochs, report = np.zeros((len(YE), len(CLASSES))), [], {}
    cinc_probs = []  # per fold network, on the held-out CinC normal beats
    smaj_probs = np.zeros_like(held_probs)
    for k, held in enumerate(folds):
        out, oute = np.isin(names, held), np.isin(NE, held)
        val = (data.zscore(XE[oute][:, :, opt.margin:opt.margin + opt.length]), RE[oute], sub(TE, oute), YE[oute])
        print(f"fold {k + 1}: train {np.bincount(Y[~out], minlength=5)} held out {held} {np.bincount(Y[out], minlength=5)}")
        net, epoch = train_one(opt.seed + k, X[~out], R[~out], sub(T, ~out), Y[~out], val, opt, opt.epochs)
        best_epochs.append(epoch)
        held_probs[oute] = evaluate_probs(Ensemble([net], np.ones(len(CLASSES))), *val[:3])
        if cinc_val is not None:
            cinc_probs.append(evaluate_probs(Ensemble([net], np.ones(len(CLASSES))), *cinc_val))
        if TSE is not None:
            smaj_probs[oute] = evaluate_probs(Ensemble([net], np.ones(len(CLASSES))), *val[:2], TSE[oute])
    gains = pick_gains(YE, held_probs)
    if opt.f_gain is not None:
        gains[3] = opt.f_gain
    for name, g in (("held-out", np.ones(len(CLASSES))), ("held-out with gains", gains)):
        p = (held_probs * g).argmax(1)
        report[name] = {c: [round(v, 1) for v in scores(YE, p, i)] for i, c in enumerate(CLASSES)}
        print(name, "Se/+P:", report[name], flush=True)
    if cinc_probs:
        report["cinc held-out per 1000"] = cinc_ectopy(np.array(cinc_probs), gains)
        print("held-out CinC normal beats, fold networks with gains, V and S per 1000 beats:",
              report["cinc held-out per 1000"], flush=True)
    # 2. The model: --members networks trained on every record for the
    #    median best epoch, averaged, with the gains.
    if opt.held_out:
        np.savez(opt.held_out, probs=held_probs, y=YE, record=NE, gains=gains,
                 **({"probs_smaj": smaj_probs} if TSE is not None else {}),
                 **({"cinc_probs": np.array(cinc_probs)} if cinc_probs else {}))
    if opt.folds_only:
        return
    epochs = int(np.median(best_epochs))
    print(f"best epochs {best_epochs}, gains {gains.tolist()}: training {opt.members} on all records for {epochs} epochs")
    nets = [train_one(opt.seed + 100 + i, X, R, T, Y, None, opt, epochs)[0] for i in range(opt.members)]
    options = {k: v for k, v in vars(opt).items()
               if k not in ("data", "out", "x_width") and not (k in ("eval_data", "f_gain") and v is None)
               and not (k in ("thin_n", "train_exclude", "lead_swap", "patience", "cinc_normal", "cinc_train",
                              "first_member_out") and not v)
               and not (k == "cinc_share" and not opt.cinc_normal)}
    options.update(window_samples=[before, after], fs=fs, best_epochs=best_epochs, final_epochs=epochs,
                   gains=gains.tolist(), held_out=report)
    meta = dict(fs=fs, window=(before, after), leads=X.shape[1], rr_names=rr_names,
                data=provenance(opt, manifest))
    write_model(Ensemble(nets, gains).eval(), opt.out, opt, options, meta)
    if opt.first_member_out:  # the first network alone, to compare one network with the average
        write_model(Ensemble(nets[:1], gains).eval(), opt.first_member_out, opt, dict(options, members=1), meta)
    print(f"wrote {opt.out} in {time.time() - t0:.0f} s")


def write_model(model, path, opt, options, meta):
    """Export model to path as ONNX with the contract's metadata (the
    training options and data hashes with it)."""
    export(model, path, meta["leads"], opt.length, len(meta["rr_names"]), opt.template)
    write_metadata(
        path, task="beat", fs=meta["fs"], window=meta["window"], leads=meta["leads"],
        classes=CLASSES, rr_features=meta["rr_names"], normalize="zscore",
        inputs={"x": "waveform", "rr": "rr_features", **({"tmpl": "template"} if opt.template else {})},
        outputs={"probs": "probabilities", "emb": "embedding"},
        name="ecgstation-beat", version=opt.version, template_beats=opt.template,
        train={"options": json.dumps(options, sort_keys=True), "data": meta["data"]})


def train_rows(X, R, T, Y, names, opt):
    """The rows the networks learn from: without --train-exclude's records,
    and with only --thin-n's share of the N beats of its records (after the
    RR features and templates were computed over every beat)."""
    keep = ~np.isin(names, [r for r in opt.train_exclude.split(",") if r])
    if opt.thin_n:
        frac, recs = opt.thin_n.split(":", 1)
        thin = np.isin(names, recs.split(",")) & (Y == 0)
        keep &= ~thin | (np.random.default_rng(0).random(len(Y)) < float(frac))
    return X[keep], R[keep], None if T is None else T[keep], Y[keep], names[keep]


def cinc_rows(fs, rr_names, opt):
    """The --cinc-normal export's beats: the training rows (--cinc-share of
    the --cinc-train records' beats, drawn once with seed 0, after their RR
    features and templates were computed over every beat), and the held-out
    records' beats as scored (z-scored windows, RR, templates). The export's
    one lead is padded with leads that are off (zeros) to --leads."""
    if not opt.cinc_train:
        raise SystemExit("--cinc-normal needs --cinc-train (the records to learn from; cinc.py split writes it)")
    beats, _, manifest = data.load_export(opt.cinc_normal)
    w = manifest["window"]
    if w["fs"] != fs or w["before_samples"] != opt.margin + opt.before_n or beats["x"].shape[2] != opt.x_width:
        raise SystemExit(f"--cinc-normal {opt.cinc_normal}: export window differs from --data's (export both alike)")
    X, R, T, Y, names = beat_arrays(beats, manifest, rr_names, opt)
    if (Y != 0).any():
        raise SystemExit(f"--cinc-normal {opt.cinc_normal}: {np.sum(Y != 0)} beats are not N (export the detector's beats)")
    pad = lambda a: None if a is None else np.concatenate(
        [a, np.zeros((len(a), opt.leads - a.shape[1], a.shape[2]), a.dtype)], axis=1)
    X, T = pad(X), pad(T)
    with open(opt.cinc_train) as f:
        train = np.isin(names, f.read().split())
    pick = train & (np.random.default_rng(0).random(len(Y)) < opt.cinc_share)
    print(f"CinC normal: {len(np.unique(names[train]))} records learnt from ({pick.sum()} of their {train.sum()} beats), "
          f"{len(np.unique(names[~train]))} held out ({np.sum(~train)} beats)", flush=True)
    sub = (lambda a, m: None if a is None else a[m])
    held = (data.zscore(X[~train][:, :, opt.margin:opt.margin + opt.length]), R[~train], sub(T, ~train))
    return (X[pick], R[pick], sub(T, pick), Y[pick], names[pick]), held


def cinc_ectopy(probs, gains):
    """V and S calls per 1000 held-out CinC normal beats of each fold network
    (probs [networks, beats, classes]) with the gains, and their mean."""
    calls = (probs * gains).argmax(2)
    per = [[round(1000 * np.mean(c == k), 2) for k in (2, 1)] for c in calls]
    return {"per network V,S": per, "mean V,S": [round(float(np.mean([p[i] for p in per])), 2) for i in (0, 1)]}


def provenance(opt, manifest):
    """The training data's hashes: --data's, and the CinC export's with the
    training list's."""
    out = data.provenance(opt.data, manifest)
    if opt.cinc_normal:
        _, _, m = data.load_export(opt.cinc_normal)
        out += f"; cinc normal {data.provenance(opt.cinc_normal, m, summary=True)}; train list sha256:{data.sha256(opt.cinc_train)}"
    return out


def beat_arrays(beats, manifest, rr_names, opt):
    """Windows, RR features, templates, labels and record names of an export."""
    R = data.beat_rr(beats, data.record_fs(manifest, len(beats["records"])), rr_names)
    T = data.beat_templates(beats, opt.margin, opt.length, opt.template, opt.leads) if opt.template else None
    return beats["x"][:, :opt.leads], R, T, beats["y"], data.record_names(beats)


def s_templates(beats, T, Y, opt):
    """The templates with every S beat's the median of its patient's S beats."""
    if T is None:
        raise SystemExit("--s-majority-eval needs --template")
    return data.class_templates(beats, T, Y, 1, opt.margin, opt.length, opt.template, opt.leads)


def evaluate_probs(model, x, rr, tmpl):
    """The model's first output for every row, in batches."""
    model.eval()
    t = (lambda i: None) if tmpl is None else (lambda i: torch.from_numpy(tmpl[i:i + 4096]))
    with torch.no_grad():
        return torch.cat([model(torch.from_numpy(x[i:i + 4096]), torch.from_numpy(rr[i:i + 4096]), t(i))[0]
                          for i in range(0, len(x), 4096)]).numpy()


def export(model, path, leads, length, n_rr, template):
    """ONNX with a dynamic batch dimension (the contract's inputs x, rr and,
    with a template, tmpl)."""
    batch = {0: "batch"}
    args, names = (torch.zeros(1, leads, length), torch.zeros(1, n_rr)), ["x", "rr"]
    if template:
        args, names = args + (torch.zeros(1, leads, length),), names + ["tmpl"]
    torch.onnx.export(model, args, path, opset_version=17, input_names=names, output_names=["probs", "emb"],
                      dynamic_axes={k: batch for k in names + ["probs", "emb"]})


if __name__ == "__main__":
    main()
