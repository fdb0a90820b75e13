"""A corpus of real-world answers to symcheck's catalogue questions, each with a
NumPy probe that decides its truth independently of symcheck (see _probe.py).

Every topic module holds ``ENTRIES`` (entry id -> Spec), ``CLAIMS`` (probe name ->
the claimed quantity as a NumPy function) and ``ITEMS`` (dicts: entry, claim,
latex, source, probe).  Run it with ``python benchmarks/corpus_run.py``.
"""
from __future__ import annotations

import importlib

TOPICS = ("activations", "layers", "batchnorm", "sizes", "mlp", "recurrent", "vanishing", "probabilistic")


def load_topics():
    """(topic name, module) for every topic module."""
    return [(name, importlib.import_module(f"{__name__}.{name}")) for name in TOPICS]


def all_items():
    """Every item, with its topic and the module that holds its probe."""
    out = []
    for name, module in load_topics():
        for it in module.ITEMS:
            out.append({**it, "topic": name, "module": module})
    return out


def probe_truth(it) -> bool:
    """The item's truth, decided by its NumPy probe."""
    from ._probe import judge

    module = it["module"]
    return judge(module.ENTRIES[it["entry"]], module.CLAIMS[it["probe"]])
