"""``symcheck equal``: are two real expressions equal (or ordered) wherever
their variables satisfy the assumptions?

Semantics, as a careful mathematician reads it: the sides are equal on a
domain when at every point of it where EITHER side is defined (every
intermediate a finite real), BOTH are defined and agree.  ``exp(log(x)) = x``
is refuted at x = -1, where only the right side exists.

Order of evidence: numbers first.  Both sides are evaluated at sample points
(equality_points.py); a disagreement is rechecked at 50 digits, shrunk to the
simplest point that still shows it, and refutes.  Only when every point agrees
is a symbolic proof tried (equality_proof.py): proved if it succeeds, else
confirmed.  A refutation on the reals is re-judged with every variable > 0, and
when the claim holds there the verdict says both.

    compare(read_side("sqrt(x^2)", False, a), read_side("x", False, a))
    -> refuted on the reals: at x = -1, sqrt(x^2) = 1 but x = -1; holds for x > 0 (proved)
"""
from __future__ import annotations

from dataclasses import dataclass

import mpmath as mp
import sympy

from symcheck import approximation
from symcheck.budget import Budget
from symcheck.equality_judge import Judgement, judge
from symcheck.equality_read import Assumptions, read_assumptions, read_side
from symcheck.errors import BudgetExceeded, ClaimError

__all__ = ["Assumptions", "Comparison", "compare", "read_assumptions", "read_side", "RELATIONS"]

RELATIONS = ("=", "<=", ">=", "<", ">", "approx")
_SHOWN = {"=": "=", "<=": "<=", ">=": ">=", "<": "<", ">": ">", "approx": "≈"}


@dataclass
class Comparison:
    verdict: str                  # proved | confirmed | refuted | undecided | error
    relation: str                 # "=", "<=", ">=", "<", ">", "approx"
    reason: str                   # one line, human: what was shown
    counterexample: dict | None = None
    domain: dict | None = None    # {"condition": "x > 0", "verdict": "proved"|"confirmed"}
    points: int = 0               # how many points agreed

    def to_json(self) -> dict:
        out = {"relation": self.relation, "verdict": self.verdict, "reason": self.reason, "points": self.points}
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample
        if self.domain is not None:
            out["domain"] = self.domain
        return out

    def summary(self) -> str:
        """One line for the terminal."""
        # "refuted on the reals: at x = -1, ..." reads as one sentence
        scoped = self.reason.startswith(("on the reals", "where "))
        line = f"{self.verdict}{' ' if scoped else ': '}{self.reason}"
        if self.domain is not None:
            line += f"; holds for {self.domain['condition']} ({self.domain['verdict']})"
        return line


def compare(lhs, rhs, relation: str = "=", assumptions: Assumptions | None = None, *, budget: float = 10.0,
            approx_text: str | None = None) -> Comparison:
    """Judge ``lhs relation rhs`` (SymPy expressions, as read_side returns them).

    For ``approx`` the decimal is ``approx_text`` as written (1.30 is not 1.3);
    ``rhs`` may then be None."""
    if relation not in RELATIONS:
        raise ClaimError(f"unknown relation {relation!r}; use one of {', '.join(RELATIONS)}")
    assumptions = assumptions or Assumptions()
    target = _approximation(rhs, approx_text) if relation == "approx" else None
    if relation == "approx" and rhs is None:
        rhs = sympy.S.Zero      # the decimal is approx_text alone; no right side is evaluated
    clock = Budget(budget)
    try:
        found = judge(lhs, rhs, relation, assumptions, clock, target)
        if found.verdict != "refuted":
            return _comparison(found, relation)
        return _with_domain(found, lhs, rhs, relation, assumptions, clock, target)
    except BudgetExceeded:
        return Comparison("undecided", relation, f"the wall-clock guard of {budget:g} s was reached")


def _approximation(rhs, approx_text):
    """(value, half-width) of the decimal as written: 1.30 is not 1.3."""
    if approx_text is None:
        if not isinstance(rhs, sympy.Rational):     # (None too: then approx_text is required)
            raise ClaimError("after approx write a decimal number such as 1.39")
        approx_text = str(sympy.Float(rhs, 15)).rstrip("0")
    return (*approximation.read(approx_text), approx_text.strip())


def _with_domain(found: Judgement, lhs, rhs, relation, assumptions, clock, target) -> Comparison:
    """Refuted on the reals: does it hold when every variable is positive?"""
    result = _comparison(found, relation)
    names = sorted(s.name for s in (lhs.free_symbols | rhs.free_symbols) if isinstance(s, sympy.Symbol))
    if not names or all(n in assumptions.positive for n in names):
        return result
    positive = assumptions.with_positive(names)
    try:
        there = judge(_positive(lhs, positive), _positive(rhs, positive), relation, positive, clock, target)
    except BudgetExceeded:
        return result
    if there.verdict in ("proved", "confirmed"):
        result.domain = {"condition": ", ".join(f"{n} > 0" for n in names), "verdict": there.verdict}
    return result


def _positive(expr, assumptions: Assumptions):
    """The same tree over positive symbols (the proof may use the sign)."""
    with sympy.evaluate(False):
        return expr.xreplace({s: assumptions.symbol(s.name) for s in expr.free_symbols
                              if isinstance(s, sympy.Symbol)})


def _comparison(found: Judgement, relation: str) -> Comparison:
    return Comparison(found.verdict, relation, found.reason, found.counterexample, None, found.points)


def number(value) -> str:
    """A value for people: integers and halves exactly, others to 15 digits."""
    if value is None:
        return "undefined"
    if mp.isint(value):
        return str(int(value))
    if mp.isint(2 * value):
        return f"{int(2 * value)}/2"
    return mp.nstr(value, 15)
