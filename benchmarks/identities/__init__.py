"""An outside-style benchmark of identities and derivation chains (issue 12, item 4).

Pairs live in one module per category (``PAIRS``), chains in the chain modules
(``CHAINS``); every item's truth is decided by ``_truth`` (mpmath, 50 digits) and
stored as labels that ``tests/test_identities_corpus.py`` re-derives.  Run the
baseline with ``python benchmarks/identities_run.py``.
"""
from __future__ import annotations

import importlib

PAIR_CATEGORIES = ("algebra", "exp_log", "trig", "hyperbolic", "calculus", "sums", "ml", "mistakes")
CHAIN_CATEGORIES = ("chains_sheet", "chains_ml")


def _load(names, attr):
    out = []
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        for i, item in enumerate(getattr(module, attr), start=1):
            out.append({**item, "category": name, "id": f"{name}-{i:03d}"})
    return out


def pairs():
    """Every identity pair, with its category and a stable id."""
    return _load(PAIR_CATEGORIES, "PAIRS")


def chains():
    """Every multi-step chain, with its category and a stable id."""
    return _load(CHAIN_CATEGORIES, "CHAINS")
