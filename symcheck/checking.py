"""Checking one user claim against an entry, safely.

Everything from the first byte runs in a forked child, under a hard deadline
of twice the budget and a memory cap (budget.py): reading the claim, building
it and verifying it.  Bad input comes back as the child's ClaimError (one
line, exit 2); a claim that runs out of time or memory is *undecided*.
"""
from __future__ import annotations

import sympy

from symcheck import approximation
from symcheck.budget import MEMORY_CAP, DeadlineExceeded, run_with_deadline
from symcheck.entry import Claim, Entry
from symcheck.verdicts import ClaimResult, Evidence
from symcheck.verifier import verify_entry

# A user waits at the prompt: the wall-clock guard of one check, in seconds.
# The catalogue's slowest proof takes ~1.5 s on an idle machine.
CHECK_BUDGET = 10.0


def parse_user_claim(entry: Entry, text: str, latex: bool = False):
    """The claim as SymPy; raises ClaimError (one line, with the column)."""
    entry.asks.bind(entry)
    if latex:
        from symcheck.latex import parse_latex_claim

        expr = parse_latex_claim(entry.asks, text)  # the reader refuses non-real values itself
        entry.asks.check_free_indices(expr)
        return expr
    return entry.asks.parse(text)


def check_claim(entry: Entry, text: str, latex: bool = False, budget: float | None = None):
    """Verify a user's claim; returns (ClaimResult, {"parsed": {"srepr", "latex"}})."""
    budget = budget or CHECK_BUDGET
    try:
        return run_with_deadline(lambda: _check(entry, text, latex, budget), 2 * budget)
    except DeadlineExceeded:
        reason = f"the check did not finish within {2 * budget:g} s (twice the budget)"
    except MemoryError:
        reason = f"the check needed more than {MEMORY_CAP >> 20} MiB of memory"
    return ClaimResult("claim", text, text if latex else "", "undecided", None, Evidence(), reason), {}


def _check(entry: Entry, text: str, latex: bool, budget: float):
    approximate = approximation.split(text)
    if approximate is not None:  # "\approx 1.39": judged to the precision written
        value, half = approximation.read(approximate)
        claim = Claim(text=approximate, latex=text if latex else "", label="claim", expect=None, source="user",
                      relation=approximation.RELATION)
        parsed = {"parsed": {"approximately": str(value), "within": str(half)}}
    else:
        expr = parse_user_claim(entry, text, latex)
        claim = Claim(text=text if not latex else str(expr), latex=text if latex else "", label="claim",
                      expect=None, source="user", parsed=expr)
        parsed = {"parsed": {"srepr": sympy.srepr(expr), "latex": sympy.latex(expr)}}
    result = verify_entry(entry, [claim], budget=budget)
    if result.error and result.claims and result.claims[0].verdict == "error":
        result.claims[0].reason = result.claims[0].reason or result.error
    return result.claims[0], parsed

