"""Synthetic RR sequences for the rhythm model: atrial fibrillation, the
irregular rhythms that are not AF (sinus arrhythmia, atrial premature beats,
pauses, and their mixtures, as in MIT-BIH record 232's sinus bradycardia
with APCs and pauses), and atrial flutter with fixed or variable block.

Each generator returns RR intervals in seconds; windows() turns sequences
into the contract's RR features exactly as for real beats (data.rr_features
over the beats of the sequence, the window cut from its middle so that the
features see beats on both sides, as in a long record).
"""

import numpy as np

import data

FS = 360.0  # the sequences' peaks are placed at this rate, as in MIT-BIH


def af(n, rng):
    """Irregularly irregular RR: independent log-normal around a random rate."""
    mean, sd = rng.uniform(0.4, 1.1), rng.uniform(0.1, 0.35)
    return np.clip(mean * np.exp(sd * rng.standard_normal(n)), 0.25, 2.5)


def irregular_sinus(n, rng):
    """Sinus rhythm made irregular by what is not AF, each part drawn at
    random: a rate from 40 to 110 beats/min, respiratory sinus arrhythmia
    (up to ±25%, 3-8 s period), atrial premature beats (coupling 55-85% of
    the cycle, a non-compensatory pause after; isolated or in bigeminy) and
    pauses (sinus arrest or a blocked APC: 1.6-3 cycles)."""
    base = rng.uniform(0.55, 1.5)
    amp = rng.choice([0.0, rng.uniform(0.03, 0.25)])
    period = rng.uniform(3.0, 8.0)
    p_apc = rng.choice([0.0, rng.uniform(0.03, 0.35)])
    bigeminy = rng.random() < 0.15
    p_pause = rng.choice([0.0, 0.0, rng.uniform(0.01, 0.08)])
    rr, t, k = [], 0.0, 0
    while len(rr) < n:
        cycle = base * (1 + amp * np.sin(2 * np.pi * t / period)) * np.exp(0.015 * rng.standard_normal())
        premature = (k % 2 == 1) if bigeminy and p_apc > 0 else rng.random() < p_apc
        if premature:
            c = rng.uniform(0.55, 0.85)
            rr += [c * cycle, cycle * rng.uniform(1.0, 1.0 + (1 - c) * 0.8)]
        elif rng.random() < p_pause:
            rr.append(cycle * rng.uniform(1.6, 3.0))
        else:
            rr.append(cycle)
        t += rr[-1]
        k += 1
    return np.clip(np.array(rr[:n]), 0.25, 4.0)


def flutter(n, rng):
    """Atrial flutter: a flutter cycle of 180-300 ms conducted 2:1 to 4:1,
    fixed, or variable with a random chance of changing ratio at each beat."""
    f = rng.uniform(0.18, 0.30)
    ratios = [2, 3, 4] if f < 0.26 else [2, 3]
    change = rng.choice([0.0, rng.uniform(0.1, 0.6)])
    k, rr = rng.choice(ratios), []
    for _ in range(n):
        if rng.random() < change:
            k = rng.choice(ratios)
        rr.append(k * f + 0.008 * rng.standard_normal())
    return np.array(rr)


def windows(gen, count, window, names, rng):
    """count windows [count, window, F] of sequences from gen."""
    xs = []
    for _ in range(count):
        rr = gen(3 * window, rng)
        f = data.rr_features(np.round(np.cumsum(rr) * FS).astype(np.int64), FS)
        xs.append(np.stack([f[k] for k in names], axis=1)[window:2 * window])
    return np.array(xs, dtype=np.float32).reshape(count, window, len(names))
