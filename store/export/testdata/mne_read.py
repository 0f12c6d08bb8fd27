"""Read an EDF+ file with MNE and write what MNE sees, for edfmne_test.go.

Usage: python3 mne_read.py FILE.edf OUT.f64 OUT.json
OUT.f64 holds the samples MNE returns (volts, float64 little-endian, lead
after lead); OUT.json the sampling rate, channel names and annotations.
"""
import json
import sys

import mne
import numpy as np

raw = mne.io.read_raw_edf(sys.argv[1], preload=True, verbose="error")
raw.get_data().astype("<f8").tofile(sys.argv[2])
ann = raw.annotations
with open(sys.argv[3], "w") as f:
    json.dump({
        "sfreq": float(raw.info["sfreq"]),
        "ch_names": raw.ch_names,
        "n_times": int(raw.n_times),
        "onsets": [float(x) for x in ann.onset],
        "durations": [float(x) for x in ann.duration],
        "descriptions": [str(x) for x in ann.description],
    }, f)
