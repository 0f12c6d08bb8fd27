"""Write ECG Station's model contract into an ONNX file.

The contract is a set of `ecgstation.*` keys in the ONNX model's
metadata_props; docs/model-contract.md says what each key means. Use it
right after torch.onnx.export:

    from contract import write_metadata
    write_metadata("beat.onnx", task="beat", fs=360, window=(90, 166),
                   leads=2, classes="N,S,V,F,Q",
                   inputs={"x": "waveform", "rr": "rr_features"},
                   outputs={"probs": "probabilities", "emb": "embedding"},
                   normalize="zscore",
                   rr_features="rr_prev,rr_next,rr_prev_ratio,rr_next_ratio",
                   version="1.0.0",
                   train={"options": "epochs=10 seed=1", "data": "sha256:..."})
"""

import onnx


def _join(v):
    """'a,b' from a list or tuple; strings and numbers as they are."""
    if isinstance(v, (list, tuple)):
        return ",".join(str(x) for x in v)
    return str(v)


def _pairs(d):
    """'name:meaning,...' from a dict kept in insertion order."""
    return ",".join(f"{k}:{v}" for k, v in d.items())


def contract(task, fs, window, leads, classes, inputs, outputs, version,
             normalize="zscore", rr_features="", name="", train=None, template_beats=0,
             beat_window=None, context=None):
    """Return the metadata keys and values of the contract as a dict.

    beat_window is (before, after) of a rhythm model's waveform input;
    context the beats on each side a quality model reads."""
    props = {
        "ecgstation.task": task,
        "ecgstation.fs": str(fs),
        "ecgstation.window": _join(window),
        "ecgstation.leads": _join(leads),
        "ecgstation.classes": _join(classes),
        "ecgstation.inputs": _pairs(inputs),
        "ecgstation.outputs": _pairs(outputs),
        "ecgstation.normalize": normalize,
        "ecgstation.rr_features": _join(rr_features),
        "ecgstation.version": version,
    }
    if name:
        props["ecgstation.name"] = name
    if template_beats:
        props["ecgstation.template_beats"] = str(template_beats)
    if beat_window:
        props["ecgstation.beat_window"] = _join(beat_window)
    if context is not None:
        props["ecgstation.context"] = str(context)
    for k, v in (train or {}).items():
        props["ecgstation.train." + k] = str(v)
    return props


def write_metadata(path, **kw):
    """Add the contract's keys to the ONNX file at path, in place."""
    m = onnx.load(path)
    props = {p.key: p.value for p in m.metadata_props}
    props.update(contract(**kw))
    onnx.helper.set_model_props(m, props)
    onnx.checker.check_model(m)
    onnx.save(m, path)
