"""Make the small ONNX models that inference/model's tests load.

    /usr/bin/python3 testdata/models/make_models.py [OUTDIR]

Each model is untrained (fixed seeds) and a few KB. Good ones exercise the
contract's options (rhythm_wave.onnx: a rhythm model that also reads each
beat's waveform, ecgstation.beat_window; quality_small.onnx: a quality
model reading 2 beats on each side, ecgstation.context); bad ones each break one rule, and
the Go tests assert that the error message names it. Rerun after changing
the contract (make testmodels).
"""

import os
import sys

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "training"))

import example_export as ex  # noqa: E402
from contract import write_metadata  # noqa: E402

BEAT = dict(task="beat", fs=ex.FS, window=(ex.BEFORE, ex.AFTER), leads=ex.LEADS,
            classes=ex.CLASSES, rr_features=ex.RR, normalize="zscore",
            inputs={"x": "waveform", "rr": "rr_features"},
            outputs={"probs": "probabilities", "emb": "embedding"},
            name="test-beat", version="test")


class Logits(nn.Module):
    """One lead, no RR input, logits out: a model that needs a softmax."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 4, 9, padding=4), nn.ReLU(),
                                 nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(4, 3))

    def forward(self, x):
        return self.net(x) * 4


class Rhythm(nn.Module):
    """A sequence of per-beat RR features in, rhythm probabilities out."""

    def __init__(self, beats=32, feats=3):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(beats * feats, 8), nn.ReLU(),
                                 nn.Linear(8, 3), nn.Softmax(dim=1))

    def forward(self, rr):
        return self.net(rr)


class RhythmWave(nn.Module):
    """Per-beat RR features and the waveform around each beat in: a small
    convolution per beat window (the atrial activity before the QRS), its
    features beside the beat's RR features, then the segment's head."""

    def __init__(self, beats=32, feats=3, leads=1, samples=108):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(leads, 4, 9, padding=4), nn.ReLU(),
                                  nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(beats * (feats + 4), 8), nn.ReLU(),
                                  nn.Linear(8, 3), nn.Softmax(dim=1))
        self.beats, self.leads, self.samples = beats, leads, samples

    def forward(self, rr, x):
        # rr: [batch, beats, feats]; x: [batch, beats, leads, samples]
        w = self.conv(x.reshape(-1, self.leads, self.samples)).reshape(rr.shape[0], self.beats, 4)
        return self.head(torch.cat([rr, w], dim=2))


RHYTHM_WAVE = dict(task="rhythm", fs=180, window=32, leads=1, beat_window=(72, 36),
                   classes="AFIB,AFL,OTHER", normalize="zscore",
                   rr_features="rr_prev,rr_prev_ratio,rr_local",
                   inputs={"rr": "rr_features", "x": "waveform"},
                   outputs={"probs": "probabilities"}, version="test", name="test-rhythm-wave")


class Quality(nn.Module):
    """The windows of a beat and of its neighbours in ([batch, 2k+1, 1,
    samples]), OK and NOISE probabilities out: each window's mean square
    (1 for a z-scored window) weighted by its place, so that which window
    sits where changes the answer."""

    def __init__(self, span=5):
        super().__init__()
        self.w = nn.Parameter(torch.linspace(-1, 1, span), requires_grad=False)
        self.conv = nn.Conv1d(1, 2, 5, padding=2)

    def forward(self, x):
        b, k, _, n = x.shape
        h = self.conv(x.reshape(b * k, 1, n)).reshape(b, k, 2, n)
        s = (h.square().mean(3) * self.w[None, :, None]).sum(1)
        return torch.softmax(s, dim=1)


QUALITY = dict(task="quality", fs=180, window=(72, 108), leads=1, context=2, classes="OK,NOISE",
               normalize="zscore", inputs={"x": "waveform"}, outputs={"probs": "probabilities"},
               version="test", name="test-quality")


class Broken(nn.Module):
    """BeatNet with its probabilities spoilt by fn."""

    def __init__(self, fn):
        super().__init__()
        self.net, self.fn = ex.BeatNet(), fn

    def forward(self, x, rr):
        p, e = self.net(x, rr)
        return self.fn(p), e


class Float64In(nn.Module):
    """BeatNet behind float64 inputs, which the contract does not allow."""

    def __init__(self):
        super().__init__()
        self.net = ex.BeatNet()

    def forward(self, x, rr):
        return self.net(x.float(), rr.float())


def export1(net, path, shapes, ins, outs, dynamic=True):
    """torch.onnx.export with zeros of the given shapes as the example input."""
    example = tuple(torch.zeros(*s) for s in shapes)
    axes = {n: {0: "batch"} for n in ins + outs} if dynamic else None
    torch.onnx.export(net.eval(), example, path, opset_version=17,
                      input_names=ins, output_names=outs, dynamic_axes=axes)


def main(out):
    p = lambda name: os.path.join(out, name)  # noqa: E731
    torch.manual_seed(1)
    ex.main(p("beat_small.onnx"))

    torch.manual_seed(2)
    export1(Logits(), p("beat_logits_b1.onnx"), [(1, 1, 160)], ["wave"], ["logits"],
            dynamic=False)
    write_metadata(p("beat_logits_b1.onnx"), task="beat", fs=250, window=(60, 100),
                   leads="MLII", classes="N,S,V", normalize="mv",
                   inputs={"wave": "waveform"}, outputs={"logits": "logits"},
                   version="test")

    torch.manual_seed(3)
    export1(Rhythm(), p("rhythm_small.onnx"), [(1, 32, 3)], ["rr"], ["probs"])
    write_metadata(p("rhythm_small.onnx"), task="rhythm", fs=250, window=32, leads=1,
                   classes="AFIB,AFL,OTHER", normalize="none",
                   rr_features="rr_prev,rr_prev_ratio,rr_local",
                   inputs={"rr": "rr_features"}, outputs={"probs": "probabilities"},
                   version="test")

    torch.manual_seed(4)
    export1(RhythmWave(), p("rhythm_wave.onnx"), [(1, 32, 3), (1, 32, 1, 108)], ["rr", "x"], ["probs"])
    write_metadata(p("rhythm_wave.onnx"), **RHYTHM_WAVE)

    torch.manual_seed(5)
    export1(Quality(), p("quality_small.onnx"), [(1, 5, 1, 180)], ["x"], ["probs"])
    write_metadata(p("quality_small.onnx"), **QUALITY)

    bad(p)


def bad(p):
    """The models that must be refused, each for one reason."""
    torch.manual_seed(1)
    ex.export(ex.BeatNet(), p("bad_shape.onnx"), n_samples=200)
    write_metadata(p("bad_shape.onnx"), **BEAT)

    ex.export(ex.BeatNet(), p("no_metadata.onnx"))

    ex.export(Broken(lambda q: q + float("nan")), p("nan_outputs.onnx"))
    write_metadata(p("nan_outputs.onnx"), **BEAT)

    ex.export(Broken(lambda q: q * 0.5), p("bad_sum.onnx"))
    write_metadata(p("bad_sum.onnx"), **BEAT)

    example = (torch.zeros(1, 2, 256, dtype=torch.float64),
               torch.zeros(1, 4, dtype=torch.float64))
    torch.onnx.export(Float64In().eval(), example, p("bad_dtype.onnx"),
                      opset_version=17, input_names=["x", "rr"],
                      output_names=["probs", "emb"])
    write_metadata(p("bad_dtype.onnx"), **BEAT)

    torch.manual_seed(4)
    export1(RhythmWave(samples=100), p("bad_rhythm_wave.onnx"), [(1, 32, 3), (1, 32, 1, 100)],
            ["rr", "x"], ["probs"])
    write_metadata(p("bad_rhythm_wave.onnx"), **RHYTHM_WAVE)

    with open(p("not_onnx.onnx"), "w") as f:
        f.write("This is a text file, not an ONNX model.\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else HERE)
