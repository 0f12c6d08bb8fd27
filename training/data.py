"""Read the training sets that `ecgstation export` writes, and make model inputs
exactly the way the app makes them (docs/model-contract.md).

An export directory holds beats.npz, rhythm.npz and manifest.json (the format is
described in the export command's help). This module turns them into:

- beat windows, z-scored per lead per window, cropped around the R peak;
- the contract's RR features per beat (rr_features), computed from the R peaks
  of each record as inference/model does;
- per-beat rhythm labels for the rhythm model.
"""

import hashlib
import json
import os

import numpy as np

RR_LOCAL_SPAN = 10    # inference/model.RRLocalSpan
RR_LONG_SPAN = 150.0  # inference/model.RRLongSpan, s on each side
ZSCORE_FLOOR = 1e-6   # annotate/beatwin.ZScoreFloor, mV


def sha256(path):
    """Hex SHA-256 of a file."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_export(d):
    """beats, rhythm (dicts of arrays) and the manifest of export directory d."""
    beats = dict(np.load(os.path.join(d, "beats.npz")))
    rhythm = dict(np.load(os.path.join(d, "rhythm.npz")))
    with open(os.path.join(d, "manifest.json")) as f:
        manifest = json.load(f)
    return beats, rhythm, manifest


def provenance(d, manifest, summary=False):
    """The data hashes recorded in a model: npz files and source records
    (name:content id each; with summary, their count and the SHA-256 of that
    list, one name:id a line, for an export of thousands of records)."""
    files = [f"{n}:sha256:{sha256(os.path.join(d, n))}" for n in ("beats.npz", "rhythm.npz")]
    recs = [f"{r['name']}:{r['id']}" for r in manifest["records"]]
    if summary:
        listed = hashlib.sha256("".join(r + "\n" for r in recs).encode()).hexdigest()
        return "files " + " ".join(files) + f"; {len(recs)} records, name:id list sha256:{listed}"
    return "files " + " ".join(files) + "; records " + " ".join(recs)


def record_names(arrays):
    """Record name per row (record_names, else the record keys)."""
    names = arrays["record_names"] if "record_names" in arrays else arrays["records"]
    return np.asarray(names)[arrays["record"]]


def record_fs(manifest, n_records):
    """Sampling rate of each original record, indexed like the record arrays."""
    fs = np.zeros(n_records)
    for r in manifest["records"]:
        fs[r["index"]] = r["fs"]
    return fs


def zscore(x):
    """Per lead per window: minus the mean, over the population std (floor: centre only)."""
    x = x - x.mean(axis=-1, keepdims=True)
    sd = np.sqrt((x * x).mean(axis=-1, keepdims=True))
    return (x / np.where(sd < ZSCORE_FLOOR, 1.0, sd)).astype(np.float32)


def rr_features(peaks, fs):
    """The contract's RR features of ascending R peaks (samples at fs), as a
    dict name -> array; inference/model/rr.go computes the same."""
    n = len(peaks)
    p = np.asarray(peaks, dtype=np.float64)
    d = np.diff(p) / fs
    i = np.arange(n)
    lo = np.maximum(1, i - RR_LOCAL_SPAN + 1)
    hi = np.minimum(n - 1, i + RR_LOCAL_SPAN)
    local = (p[hi] - p[lo - 1]) / np.maximum(hi - lo + 1, 1) / fs if n > 1 else np.zeros(n)
    prev = np.concatenate([[local[0]], d]) if n > 1 else local.copy()
    nxt = np.concatenate([d, [local[-1]]]) if n > 1 else local.copy()

    long = rr_long(np.asarray(peaks, dtype=np.int64), fs, local)
    irr = rr_irregularity(d, lo, hi, local)

    def ratio(a, b):
        return np.where(b > 0, a / np.where(b > 0, b, 1), 1.0)

    return {"rr_prev": prev, "rr_next": nxt, "rr_local": local,
            "rr_prev_ratio": ratio(prev, local), "rr_next_ratio": ratio(nxt, local),
            "rr_next_prev": ratio(nxt, prev), "rr_long": long,
            "rr_prev_long_ratio": ratio(prev, long), "rr_next_long_ratio": ratio(nxt, long),
            "rr_local_long_ratio": ratio(local, long), "rr_local_irr": irr}


def rr_irregularity(d, lo, hi, local):
    """Median absolute change between successive RR intervals of the local
    span (intervals d[lo-1] ... d[hi-1]), over rr_local: high in atrial
    fibrillation, low in sinus rhythm even with a few premature beats.
    0 with fewer than two intervals."""
    out = np.zeros(len(local))
    for i in range(len(local)):
        if hi[i] - lo[i] >= 1 and local[i] > 0:
            out[i] = np.median(np.abs(np.diff(d[lo[i] - 1:hi[i]]))) / local[i]
    return out


def rr_long(p, fs, local):
    """Mean RR between the first and last peak within RR_LONG_SPAN s of each
    peak (both ends included); local where that span holds a single beat."""
    span = int(np.floor(RR_LONG_SPAN * fs))
    lo = np.searchsorted(p, p - span, side="left")
    hi = np.searchsorted(p, p + span, side="right") - 1
    mean = (p[hi] - p[lo]) / np.maximum(hi - lo, 1) / fs
    return np.where(hi > lo, mean, local)


def beat_rr(beats, fs_per_record, names):
    """RR features [n, len(names)] for every beat row, computed per record
    over that record's beats in time order."""
    out = np.zeros((len(beats["y"]), len(names)), np.float32)
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
        f = rr_features(beats["sample"][rows], fs_per_record[r])
        out[rows] = np.stack([f[k] for k in names], axis=1)
    return out


def beat_rhythm(beats, rhythm, manifest):
    """Rhythm class index per beat row: the label of the rhythm segment whose
    centre is nearest the beat (export short segments for sharp edges)."""
    seg = manifest["rhythm"]["segment_s"]
    fs = record_fs(manifest, len(beats["records"]))
    y = np.zeros(len(beats["y"]), np.int64)
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        segs = np.flatnonzero(rhythm["record"] == r)
        segs = segs[np.argsort(rhythm["start"][segs], kind="stable")]
        centre = rhythm["start"][segs] + seg * fs[r] / 2
        k = np.clip(np.searchsorted(centre, beats["sample"][rows]), 1, len(segs) - 1)
        k -= (beats["sample"][rows] - centre[k - 1]) < (centre[k] - beats["sample"][rows])
        y[rows] = rhythm["y"][segs[k]]
    return y


def median_template(windows, k):
    """Per-sample median of the windows of beats i-k ... i+k (clipped at the
    ends) for every beat i of one record, windows [n, leads, L] in time order;
    inference/model/template.go computes the same (an even count takes the
    mean of the two middle values)."""
    n = len(windows)
    out = np.empty_like(windows)
    for i in range(n):
        out[i] = np.median(windows[max(0, i - k):min(n, i + k + 1)], axis=0)
    return out


def beat_templates(beats, margin, length, k, leads):
    """The contract's template input for every beat row: the median of the
    z-scored model windows (export window cropped at margin, length samples)
    of the k beats on each side, per record in time order."""
    x = beats["x"][:, :leads, margin:margin + length]
    out = np.zeros(x.shape, np.float32)
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero(beats["record"] == r)
        rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
        out[rows] = median_template(zscore(x[rows]), k)
    return out


def class_templates(beats, tmpl, y, cls, margin, length, k, leads):
    """tmpl with the rows of class cls given the median window of the k beats
    of that class on each side only: the template such a beat would have in a
    patient whose beats are mostly of that class (record 232's atrial
    premature beats). The other rows keep their template."""
    x = beats["x"][:, :leads, margin:margin + length]
    out = tmpl.copy()
    for r in np.unique(beats["record"]):
        rows = np.flatnonzero((beats["record"] == r) & (y == cls))
        if len(rows):
            rows = rows[np.argsort(beats["sample"][rows], kind="stable")]
            out[rows] = median_template(zscore(x[rows]), k)
    return out
