"""A minimal beat model for ECG Station, exported to ONNX with the contract.

    /usr/bin/python3 training/example_export.py beat.onnx

The network here is untrained (fixed seed): put your training loop where
the comment says. What matters is the shape of the inputs and outputs and
the metadata written at the end; docs/model-contract.md explains each key.
"""

import sys

import torch
from torch import nn

from contract import write_metadata

FS = 360                      # Hz the model expects; the app resamples to it
BEFORE, AFTER = 90, 166       # samples before and after the R peak
LEADS = 2                     # the first two leads of the record
CLASSES = ["N", "S", "V", "F", "Q"]
RR = ["rr_prev", "rr_next", "rr_prev_ratio", "rr_next_ratio"]


class BeatNet(nn.Module):
    """Three 1-D convolutions on the waveform, then RR features, then a head."""

    def __init__(self, leads=LEADS, n_rr=len(RR), n_classes=len(CLASSES), emb=16):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(leads, 8, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(8, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 16, 5, padding=2), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.embed = nn.Sequential(nn.Linear(16 + n_rr, emb), nn.ReLU())
        self.head = nn.Linear(emb, n_classes)

    def forward(self, x, rr):
        # x: [batch, LEADS, BEFORE+AFTER] z-scored waveform; rr: [batch, len(RR)]
        e = self.embed(torch.cat([self.conv(x).flatten(1), rr], dim=1))
        return torch.softmax(self.head(e), dim=1), e


def export(net, path, leads=LEADS, n_samples=BEFORE + AFTER, n_rr=len(RR)):
    """Write net to path as ONNX with a dynamic batch dimension."""
    example = (torch.zeros(1, leads, n_samples), torch.zeros(1, n_rr))
    batch = {0: "batch"}
    torch.onnx.export(
        net.eval(), example, path, opset_version=17,
        input_names=["x", "rr"], output_names=["probs", "emb"],
        dynamic_axes={"x": batch, "rr": batch, "probs": batch, "emb": batch})


def main(path):
    torch.manual_seed(1)
    net = BeatNet()
    # ... train net here on the beats.npz that `ecgstation export` writes ...
    export(net, path)
    write_metadata(
        path, task="beat", fs=FS, window=(BEFORE, AFTER), leads=LEADS,
        classes=CLASSES, rr_features=RR, normalize="zscore",
        inputs={"x": "waveform", "rr": "rr_features"},
        outputs={"probs": "probabilities", "emb": "embedding"},
        name="example-beat", version="0.1.0",
        train={"options": "untrained example, seed=1"})


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "beat.onnx")
