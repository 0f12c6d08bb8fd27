"""Beat windows for the rhythm model's waveform input (train_rhythm.py --waveform).

The contract's rhythm waveform input (docs/model-contract.md; metadata
ecgstation.beat_window = BEFORE,AFTER) holds, per beat of a segment, lead 0
of the beat window at ecgstation.fs: BEFORE samples before the R peak and
AFTER from it on, z-scored per beat (data.zscore, in float64). Every window
here comes from an `ecgstation export` (the app's one window cutter; R peak
at the manifest's before_samples), cropped to those samples; nothing reads
a record itself.

The export leaves out a beat whose export window would reach outside its
record (manifest left_out window_outside_record; in CinC 2017 often the
first and last beat), where the app repeats the record's first or last
sample. Those beats have no window here (index -1), and the training and
evaluation windows are cut over the run of beats that have one (inner()).
"""

import os

import numpy as np

import data


def parse(spec):
    """(before, after) from 'BEFORE,AFTER' samples."""
    try:
        before, after = (int(v) for v in spec.split(","))
    except ValueError:
        raise SystemExit(f"--waveform {spec}: want BEFORE,AFTER samples, two whole numbers, e.g. 72,36")
    if before < 0 or after < 1:
        raise SystemExit(f"--waveform {spec}: want BEFORE,AFTER samples (BEFORE >= 0, AFTER >= 1), e.g. 72,36")
    return before, after


def crop(x, manifest, before, after):
    """Lead 0 of export windows x [n, leads, L] cropped to before/after
    samples around the R peak and z-scored: [n, 1, before+after] float32."""
    w = manifest["window"]
    lo = w["before_samples"] - before
    if lo < 0 or after > w["after_samples"]:
        raise SystemExit(f"the export's windows ({w['before_samples']} before, {w['after_samples']} after the R peak) "
                         f"do not hold {before} samples before and {after} after: export with a wider --before/--after")
    return data.zscore(x[:, :1, lo:lo + before + after].astype(np.float64))


def check_fs(manifest, fs, what):
    """Exit unless the export's windows are at fs."""
    if manifest["window"]["fs"] != fs:
        raise SystemExit(f"{what}: windows at {manifest['window']['fs']} Hz, the DS1 export's at {fs} Hz: "
                         f"export both with the same --fs")


def cinc(d, records, before, after, fs, offset):
    """The windows of the CinC export in directory d (`ecgstation export` of
    the detector's beats of CinC 2017, which cinc-beats also finds): returns
    the pool [n, 1, before+after]; sets each record's "wave" to the pool
    index (plus offset) of each of its peaks, -1 where the export has no
    window. Exits when an exported beat is not one of cinc-beats' peaks
    (the two must come from the same detector)."""
    beats, _, manifest = data.load_export(d)
    check_fs(manifest, fs, d)
    pool = crop(beats["x"], manifest, before, after)
    names = data.record_names(beats)
    order = np.lexsort((beats["sample"], names))
    by_name = {}
    cut = np.flatnonzero(names[order][1:] != names[order][:-1]) + 1
    for rows in np.split(order, cut):
        if len(rows):
            by_name[names[rows[0]]] = rows
    stray = 0
    for r in records:
        r["wave"] = np.full(len(r["peaks"]), -1, np.int64)
        rows = by_name.get(r["name"], np.zeros(0, np.int64))
        k = np.searchsorted(r["peaks"], beats["sample"][rows])
        ok = (k < len(r["peaks"])) & (r["peaks"][np.minimum(k, len(r["peaks"]) - 1)] == beats["sample"][rows])
        stray += int(np.sum(~ok))
        r["wave"][k[ok]] = rows[ok] + offset
    if stray:
        raise SystemExit(f"{d}: {stray} exported beats are not among the CinC beats CSV's peaks: "
                         f"make both from the same detector (ecgstation detect and cinc-beats of one build)")
    check_missing(d, records)
    return pool, os.path.basename(os.path.normpath(d)) + " " + data.provenance(d, manifest, summary=True)


def check_missing(d, records):
    """Exit when records of 3 or more beats have no exported beat at all:
    the export then holds other recordings than the CSV (only recordings of
    one or two beats may lose every beat to the edges)."""
    missing = [r["name"] for r in records if len(r["peaks"]) > 2 and not np.any(r["wave"] >= 0)]
    if missing:
        raise SystemExit(f"{d}: {len(missing)} recordings of the CinC beats CSV have no exported beat "
                         f"(e.g. {', '.join(missing[:3])}): export the recordings cinc-beats read "
                         f"(make cinc-all-export), named as in the CSV")


def inner(wave, name=""):
    """(lo, hi): the beats lo..hi-1 that have windows (wave >= 0); exits if
    a beat inside that run lacks one (the export leaves out edge beats only)."""
    have = np.flatnonzero(wave >= 0)
    if len(have) == 0:
        return 0, 0
    lo, hi = int(have[0]), int(have[-1]) + 1
    if hi - lo != len(have):
        first = lo + int(np.flatnonzero(wave[lo:hi] < 0)[0])
        raise SystemExit(f"record {name or '?'}: beat {first} inside the record has no exported window: "
                         f"the export left out more than edge beats (see manifest.json's left_out)")
    return lo, hi
