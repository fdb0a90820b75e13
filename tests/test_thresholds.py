"""A piecewise claim is checked at its own thresholds (symcheck/thresholds.py): a
wrong branch outside where random points fall is refuted, exactly, and a right
piecewise claim is not disturbed."""
from fractions import Fraction

import pytest
import sympy

from symcheck.catalogue import load
from symcheck.checking import check_claim
from symcheck.thresholds import probe_values, thresholds


@pytest.mark.parametrize("entry_id, claim", [
    ("relu-backward", "dEdy if x > 0 and x < 10 or x > 20 else 0"),          # wrong on [10, 20]
    ("sigmoid-backward", "dEdy*sigma(x) if x > 50 else dEdy*sigma(x)*(1 - sigma(x))"),  # wrong beyond 50
    ("relu-backward", "dEdy if x > 0 and x != 7 else 0"),                    # wrong at one point
    ("relu-backward", "dEdy if x > 0 and x < 10*pi or x > 40 else 0"),       # an irrational threshold
])
def test_a_wrong_branch_beyond_the_sampled_range_is_refuted_at_its_threshold(entry_id, claim):
    result, _ = check_claim(load().get(entry_id), claim)
    assert result.verdict == "refuted", result.evidence.summary()
    assert "threshold" in result.evidence.counterexample.note


@pytest.mark.parametrize("entry_id, claim", [
    ("relu-backward", "dEdy if x > 0 else 0"),
    ("relu-backward", "dEdy if x > 0 or x > 100 else 0"),
])
def test_a_right_piecewise_claim_still_holds(entry_id, claim):
    result, _ = check_claim(load().get(entry_id), claim)
    assert result.verdict in ("proved", "confirmed")


def test_a_threshold_too_large_to_place_a_point_at_is_skipped_not_an_error():
    result, _ = check_claim(load().get("relu-backward"), "dEdy if x > 10**400 else 0")
    assert result.verdict == "refuted"  # by the random points, as before


def test_thresholds_and_the_values_probed_around_them():
    x, y = sympy.symbols("x y")
    expr = sympy.Piecewise((x, (x > 10) & (x < 20)), (0, sympy.Le(5, y)), (1, True))
    assert thresholds(expr, {"x", "y"}) == {"x": [10, 20], "y": [5]}
    assert thresholds(expr, {"y"}) == {"y": [5]}
    probes = probe_values([Fraction(10), Fraction(20)])
    assert {Fraction(10), Fraction(15), Fraction(20), Fraction(40), Fraction(0)} <= set(probes)
    assert min(probes) < 10 < max(probes)
