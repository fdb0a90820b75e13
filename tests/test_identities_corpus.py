"""The identities benchmark (benchmarks/identities/) is well formed, and its stored
labels are what the independent mpmath evaluator says today."""
from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "benchmarks"))

import identities  # noqa: E402
from identities import _truth  # noqa: E402

PAIRS = identities.pairs()
CHAINS = identities.chains()
RELS = {"=", "<=", ">=", "<", ">", "approx"}


def test_sizes_and_balance():
    assert len(PAIRS) >= 200 and len(CHAINS) >= 30
    true = sum(p["true_on_reals"] for p in PAIRS) / len(PAIRS)
    assert 0.5 <= true <= 0.75, "about 60% true, 40% false"
    assert any(p["needs_positivity"] for p in PAIRS)
    assert any(c["first_wrong"] is None for c in CHAINS) and any(c["first_wrong"] for c in CHAINS)


def test_every_pair_is_complete():
    for p in PAIRS:
        assert p["lhs"].strip() and p["rhs"].strip() and p["source"].strip(), p["id"]
        assert len(p["latex"]) == 2 and all(t.strip() for t in p["latex"]), p["id"]
        assert isinstance(p["true_on_reals"], bool) and isinstance(p["true_for_positive"], bool)
        assert p["needs_positivity"] == (p["true_for_positive"] and not p["true_on_reals"])
        assert not (p["true_on_reals"] and not p["true_for_positive"]), p["id"]
        _truth.parse(p["lhs"]), _truth.parse(p["rhs"])


def test_every_chain_is_complete():
    for c in CHAINS:
        assert 3 <= len(c["lines"]) <= 6, c["id"]
        assert len(c["rels"]) == len(c["lines"]) - 1 and set(c["rels"]) <= RELS
        assert c["source"].strip() and c["latex"].startswith("\\begin{aligned}")
        assert c["latex"].count("\\\\") == len(c["rels"]) - 1
        assert c["first_wrong"] is None or 1 <= c["first_wrong"] <= len(c["rels"])


def test_ids_are_unique():
    ids = [x["id"] for x in PAIRS + CHAINS]
    assert len(ids) == len(set(ids))


def test_stored_pair_labels_are_the_oracle_s():
    wrong = []
    for p in PAIRS:
        got = _truth.labels(p["lhs"], p["rhs"], p["assume"])
        stored = {k: p[k] for k in got}
        if got != stored:
            wrong.append((p["id"], stored, got))
    assert not wrong


def test_stored_first_wrong_steps_are_the_oracle_s():
    wrong = [(c["id"], c["first_wrong"]) for c in CHAINS
             if _truth.first_wrong_step(c["lines"], c["rels"], c["assume"]) != c["first_wrong"]]
    assert not wrong


def test_a_wrong_chain_has_exactly_one_wrong_step():
    for c in CHAINS:
        steps = zip(c["lines"], c["lines"][1:], c["rels"])
        wrong = [k for k, (a, b, rel) in enumerate(steps, start=1)
                 if not _truth.compare(a, b, rel, c["assume"]).holds]
        assert wrong == ([c["first_wrong"]] if c["first_wrong"] else []), c["id"]


def test_a_planted_false_identity_is_judged_false():
    assert _truth.compare("sin(x)**2 + cos(x)**2", "1").holds
    found = _truth.compare("sin(x)**2 + cos(x)**2", "1.0001")
    assert not found.holds and found.counterexample is not None
    assert not _truth.compare("diff(sigmoid(x), x)", "sigmoid(x)*(1 - sigmoid(x)) + 10**-20").holds


def test_real_semantics():
    assert _truth.value(_truth.parse("sqrt(-1)"), {}) is None
    assert _truth.value(_truth.parse("log(-1)/log(-1)"), {}) is None   # no complex detour
    assert _truth.value(_truth.parse("1/(x - 1)"), {"x": _truth.mp.mpf(1)}) is None
    assert _truth.labels("sqrt(x**2)", "x")["needs_positivity"]
    assert _truth.free_symbols(_truth.parse("diff(sin(x)*Sum(k*y, (k, 1, n)), x)")) == {"x", "y", "n"}


@pytest.mark.parametrize("text", ["__import__('os')", "x.real", "[x]", "lambda: 1", "f(x)", "'a'", "x if y else z"])
def test_the_reader_is_a_whitelist(text):
    with pytest.raises(_truth.Malformed):
        _truth.parse(text)


def test_the_oracle_does_not_use_sympy():
    src = open(_truth.__file__).read()
    assert "import sympy" not in src and "from sympy" not in src
