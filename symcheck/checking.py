"""Checking one user claim against an entry, safely.

The claim is parsed in this process (bad input fails fast, exit 2, with the
column), then verified in a forked child under a hard deadline of twice the
budget: even a computation stuck in C code cannot hang the command, and a
claim that runs out of time is *undecided*.
"""
from __future__ import annotations

import sympy

from symcheck.budget import DeadlineExceeded, run_with_deadline
from symcheck.entry import Claim, Entry
from symcheck.verdicts import ClaimResult, Evidence
from symcheck.verifier import CLAIM_BUDGET, verify_entry


def parse_user_claim(entry: Entry, text: str, latex: bool = False):
    """The claim as SymPy; raises ClaimError (one line, with the column)."""
    entry.asks.bind(entry)
    if latex:
        from symcheck.latex import parse_latex_claim

        expr = parse_latex_claim(entry.asks, text)
        entry.asks.check_free_indices(expr)
        return expr
    return entry.asks.parse(text)


def check_claim(entry: Entry, text: str, latex: bool = False, budget: float | None = None):
    """Verify a user's claim; returns (ClaimResult, {"srepr", "latex"})."""
    budget = budget or CLAIM_BUDGET
    expr = parse_user_claim(entry, text, latex)
    claim = Claim(text=text if not latex else str(expr), latex=text if latex else "", label="claim",
                  expect=None, source="user", parsed=expr)
    parsed = {"parsed": {"srepr": sympy.srepr(expr), "latex": sympy.latex(expr)}}
    try:
        result = run_with_deadline(lambda: verify_entry(entry, [claim], budget=budget), 2 * budget)
    except DeadlineExceeded:
        return ClaimResult("claim", claim.text, claim.latex, "undecided", None, Evidence(),
                           f"the check did not finish within {2 * budget:g} s (twice the budget)"), parsed
    if result.error and result.claims and result.claims[0].verdict == "error":
        result.claims[0].reason = result.claims[0].reason or result.error
    return result.claims[0], parsed

