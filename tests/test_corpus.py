"""The real-world answer corpus (benchmarks/corpus/).

(a) The probes are oracles: every probe runs and returns a bool, every entry's
    probe rejects a planted wrong claim, and the corpus meets its size floor.
(b) symcheck against the probes: no false accept, agreement ≥ 99%.
"""
import os
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

from corpus import all_items, load_topics, probe_truth  # noqa: E402
from corpus._probe import agree, judge, planted  # noqa: E402

ITEMS = all_items()
SPECS = [(name, entry, spec) for name, module in load_topics() for entry, spec in module.ENTRIES.items()]


def _id(it):
    return f"{it['entry']}:{it['probe']}"


def test_corpus_size():
    assert len(ITEMS) >= 150
    assert len({it["entry"] for it in ITEMS}) >= 60
    assert all(it["source"] for it in ITEMS)
    assert sum(it["latex"] for it in ITEMS) > len(ITEMS) / 2  # mostly LaTeX
    assert any(not it["latex"] for it in ITEMS)  # some text syntax


def test_items_are_well_formed():
    modules = dict(load_topics())
    for it in ITEMS:
        module = modules[it["topic"]]
        assert it["entry"] in module.ENTRIES, _id(it)
        assert it["probe"] in module.CLAIMS, _id(it)
        assert isinstance(it["claim"], str) and it["claim"].strip(), _id(it)
        assert "symcheck" not in module.__dict__, f"{it['topic']} imports symcheck"
    # every entry's probe judges at least one true and one false claim
    for name, entry, _ in SPECS:
        truths = {probe_truth(it) for it in ITEMS if it["entry"] == entry}
        assert truths == {True, False}, f"{entry}: claims judged {truths}"


def test_probes_do_not_import_symcheck():
    for name, module in load_topics():
        source = open(module.__file__).read()
        assert "import symcheck" not in source and "from symcheck" not in source, name


@pytest.mark.parametrize("it", ITEMS, ids=_id)
def test_probe_returns_a_bool(it):
    assert isinstance(probe_truth(it), bool)


@pytest.mark.parametrize("name,entry,spec", SPECS, ids=[e for _, e, _ in SPECS])
def test_planted_wrong_claim_is_false(name, entry, spec):
    assert judge(spec, lambda **point: spec.truth(**point)), f"{entry}: the truth does not agree with itself"
    assert not judge(spec, planted(spec)), f"{entry}: a planted wrong claim passed the probe"


def test_agree_is_strict_about_shape_and_size():
    assert agree(np.ones((3, 1)), np.ones((3, 1)))
    assert not agree(np.ones((1, 3)), np.ones((3, 1)))  # a row is not a column
    assert not agree(2.0 ** -50, 2.0 ** -49)
    assert not agree(np.nan, 1.0)


def test_symcheck_agrees_with_the_probes():
    from corpus_run import run, summary

    s = summary(run(ITEMS, budget=10))
    false_accepts = [r for r in s["disagreements"] if r["outcome"] == "false accept"]
    assert not false_accepts, "\n".join(f"{r['entry']}: {r['claim']} ({r['verdict']})" for r in false_accepts)
    assert s["agreement"] >= 0.99, f"agreement {s['agreement']:.3f}"
