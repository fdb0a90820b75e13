"""One judgement of ``lhs relation rhs`` on one domain: sample, recheck, shrink, prove.

equality.py calls this once on the assumptions as given and, after a
refutation, once more with every variable positive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import mpmath as mp
import sympy
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from symcheck import equality_points as pts
from symcheck.equality_proof import evaluated, prove_equal, prove_sign

COUNT = 40                  # sample points per judgement
QUICK_DPS, QUICK_TOL = 30, mp.mpf(10) ** -25   # the first pass: any doubt is rechecked
CHECK_DPS, CHECK_TOL = 50, mp.mpf(10) ** -25   # the recheck a counterexample must survive
SIMPLE = (0, 1, -1, 2, -2, 0.5, -0.5, 3, -3)  # shrinking tries these, simplest first


@dataclass
class Judgement:
    verdict: str
    reason: str
    counterexample: dict | None = None
    points: int = 0


def judge(lhs, rhs, relation, assumptions, clock, target) -> Judgement:
    try:
        left = pts.compile_expr(lhs)
        right = pts.compile_expr(rhs) if relation != "approx" else None
    except pts.Unsupported as unsupported:
        return Judgement("undecided", f"{unsupported}: no numeric evidence")
    names = sorted({s.name for s in lhs.free_symbols | rhs.free_symbols if isinstance(s, sympy.Symbol)}
                   | assumptions.names())
    seed = pts.seed_of(sympy.srepr(lhs), sympy.srepr(rhs), relation, *assumptions.texts)
    check = _Check(left, right, relation, target)
    agreed, unevaluable, witness = 0, 0, None
    sampled = pts.points(names, assumptions, COUNT, seed)
    for point in sampled + pts.at_thresholds(names, assumptions, (lhs, rhs), sampled[0] if sampled else {}):
        clock.check()
        outcome = check.at(point)
        if outcome == "agree":
            agreed += 1
            witness = witness or point
        elif outcome == "unevaluable":
            unevaluable += 1
        elif outcome == "fail":
            if relation != "approx" and check.both_defined(point) and _exactly_holds(lhs, rhs, relation, clock):
                agreed += 1     # x < x + 10^-30: a difference below the tolerance, decided exactly
                continue
            point = _shrink(point, check, assumptions)
            refuted = _refuted(lhs, rhs, relation, assumptions, check, point, target)
            refuted.points = agreed
            return refuted
    if agreed == 0 and unevaluable:
        return Judgement("undecided", f"a sum or product has more than {pts.MAX_TERMS} terms at every "
                                      f"sampled point: no numeric evidence")
    if agreed == 0:
        return Judgement("undecided", "no sampled point gives either side a real value (or satisfies the "
                                      "assumptions)")
    offset = _constant_offset(lhs, rhs, clock) if relation != "approx" else None
    if offset is not None and not _EXACT[relation](offset):
        return _offset_refuted(lhs, rhs, assumptions, check, witness, offset, agreed)
    return _prove(lhs, rhs, relation, agreed, clock, target)


# the relation, decided on lhs - rhs when that is an exact rational constant
_EXACT = {"=": lambda d: d == 0, "<=": lambda d: d <= 0, ">=": lambda d: d >= 0, "<": lambda d: d < 0,
          ">": lambda d: d > 0}


def _constant_offset(lhs, rhs, clock):
    """lhs - rhs when it is a rational constant: then exact arithmetic decides
    what 50 digits with a 1e-25 tolerance cannot (x vs x + 10^-30, x < x + 10^-30)."""
    try:
        with clock.guard():
            difference = sympy.expand(evaluated(lhs) - evaluated(rhs))
    except Exception:       # noqa: BLE001 - SymPy may fail in many ways; then there is no offset
        return None
    return difference if isinstance(difference, sympy.Rational) else None


def _exactly_holds(lhs, rhs, relation, clock) -> bool:
    offset = _constant_offset(lhs, rhs, clock)
    return offset is not None and _EXACT[relation](offset)


def _offset_refuted(lhs, rhs, assumptions, check, point, offset, agreed) -> Judgement:
    from symcheck.equality import number
    digits = max(60, len(str(offset)) + 40)
    a, b, _ = check.values(point, digits)
    scope = f"where {assumptions.describe()}" if assumptions.texts else "on the reals"
    example = {"point": {n: number(v) for n, v in sorted(point.items())},
               "lhs": mp.nstr(a, digits - 5), "rhs": mp.nstr(b, digits - 5)}
    return Judgement("refuted", f"{scope}: {show(lhs)} - ({show(rhs)}) is the constant {offset} everywhere "
                                f"(exactly; too close to 0 for the sampled values to show)", example, agreed)


class _Check:
    """The relation at a point: a quick pass, and a 50-digit recheck of any failure."""

    def __init__(self, left, right, relation, target):
        self.left, self.right, self.relation, self.target = left, right, relation, target

    def values(self, point, dps):
        with mp.workdps(dps):
            a = pts.value_at(self.left, point)
            if self.relation == "approx":
                value, half = self.target[:2]
                return a, mp.mpf(value.p) / value.q, mp.mpf(half.p) / half.q
            return a, pts.value_at(self.right, point), None

    def holds(self, point, dps, tol) -> bool | None:
        """True/False, or None where neither side has a value."""
        a, b, half = self.values(point, dps)
        if a is None and b is None:
            return None
        if a is None or b is None:
            return False
        with mp.workdps(dps):
            return _related(a, b, self.relation, tol, half)

    def at(self, point) -> str:
        try:
            quick = self.holds(point, QUICK_DPS, QUICK_TOL)
            if quick is None:
                return "skip"
            if quick:
                return "agree"
            recheck = self.holds(point, CHECK_DPS, CHECK_TOL)
        except pts.Unevaluable:
            return "unevaluable"
        return {True: "agree", None: "skip"}.get(recheck, "fail")

    def both_defined(self, point) -> bool:
        """Only then may exact arithmetic overrule the numbers (x/x - 1 is 0 to SymPy, not at x = 0)."""
        a, b, _ = self.values(point, CHECK_DPS)
        return a is not None and b is not None

    def fails(self, point) -> bool:
        try:
            return self.holds(point, CHECK_DPS, CHECK_TOL) is False
        except pts.Unevaluable:
            return False


def _related(a, b, relation, tol, half) -> bool:
    slack = tol * max(1, abs(a), abs(b))
    if relation == "=":
        return abs(a - b) <= slack
    if relation == "<=":
        return a <= b + slack
    if relation == ">=":
        return a >= b - slack
    if relation == "<":
        return a < b - slack
    if relation == ">":
        return a > b + slack
    return abs(a - b) <= half + slack     # approx: within half a unit of the last digit


def _shrink(point, check, assumptions) -> dict:
    """The simplest point that still fails: each variable in turn moved to the
    first of 0, 1, -1, 2, ... at which the relation still fails (rechecked)."""
    conditions = [pts._condition_check(c) for c in assumptions.conditions]
    for name in sorted(point):
        for v in SIMPLE:
            if name in assumptions.integer and v != int(v):
                continue
            if point[name] == v:
                break
            candidate = {**point, name: mp.mpf(v)}
            if all(c(candidate) for c in conditions) and check.fails(candidate):
                point = candidate
                break
    return point


def _relevant(point, lhs, rhs, assumptions) -> dict:
    """The coordinates a reader needs: the sides' variables, and those tied to
    them by a condition (y in x < y); a variable only assumed about is noise."""
    names = {s.name for s in lhs.free_symbols | rhs.free_symbols if isinstance(s, sympy.Symbol)}
    for left, _, right in assumptions.conditions:
        tied = {s.name for s in left.free_symbols | right.free_symbols}
        if tied & names:
            names |= tied
    return {n: v for n, v in point.items() if n in names}


def _refuted(lhs, rhs, relation, assumptions, check, point, target) -> Judgement:
    a, b, _ = check.values(point, CHECK_DPS)
    from symcheck.equality import number
    point = _relevant(point, lhs, rhs, assumptions)
    where = ", ".join(f"{n} = {number(v)}" for n, v in sorted(point.items()))
    shown_l, shown_r = show(lhs), (target_text(target) if relation == "approx" else show(rhs))
    scope = f"where {assumptions.describe()}" if assumptions.texts else "on the reals"
    left = f"{shown_l} is undefined" if a is None else f"{shown_l} = {number(a)}"
    right = f"{shown_r} is undefined" if b is None else f"{shown_r} = {number(b)}"
    if relation == "=":
        detail = f"{left} but {right}"
    elif relation == "approx":
        detail = f"{left}, not within {mp.nstr(mp.mpf(target[1].p) / target[1].q, 5)} of {shown_r}"
    else:
        detail = f"{left} and {right}, so {relation} fails"
    at = f"at {where}, " if where else ""
    example = {"point": {n: number(v) for n, v in sorted(point.items())}, "lhs": number(a),
               "rhs": shown_r if relation == "approx" else number(b)}
    return Judgement("refuted", f"{scope}: {at}{detail}", example)


def _prove(lhs, rhs, relation, agreed, clock, target) -> Judgement:
    evidence = f"{agreed} sampled point{'s agree' if agreed != 1 else ' agrees'}"
    if relation == "approx":
        if not lhs.free_symbols:    # a number, evaluated at 50 digits: that is the whole question
            return Judgement("proved", f"{show(lhs)} = {_value(lhs)} rounds to {target[2]}", points=agreed)
        return Judgement("confirmed", f"{evidence}: within half a unit of {target[2]}", points=agreed)
    if relation == "=":
        proved, how = prove_equal(lhs, rhs, clock)
    else:
        with sympy.evaluate(False):
            difference = sympy.Add(rhs, -lhs) if relation in ("<", "<=") else sympy.Add(lhs, -rhs)
        proved, how = prove_sign(difference, relation in ("<", ">"), clock)
    if proved:
        return Judgement("proved", f"shown symbolically ({how}); {evidence}", points=agreed)
    return Judgement("confirmed", f"{evidence}; no symbolic proof ({how})", points=agreed)


def _value(expr) -> str:
    with mp.workdps(CHECK_DPS):
        return mp.nstr(pts.compile_expr(expr)({}), 12)


def show(expr) -> str:
    """The side as written (unevaluated), without the reader's factors of 1."""
    with sympy.evaluate(False):
        tidy = _without_ones(expr)
    text = _SidePrinter().doprint(tidy).replace("**", "^").replace("Derivative(", "diff(")
    # SymPy's Sum puts its own factor 1 in front of an unevaluated summand
    return re.sub(r"(?<![\w.^/])1\*", "", text)


class _SidePrinter(StrPrinter):
    """A side in the words a user writes (a if c else b, max, abs, !=, and), not SymPy's class names."""

    def _print_Piecewise(self, e):
        *branches, (last, cond) = e.args
        out = self._print(last) if cond == sympy.true else f"{self._print(last)} if {self._print(cond)} else undefined"
        for value, condition in reversed(branches):
            out = f"{self._print(value)} if {self._print(condition)} else {out}"
        return f"({out})"

    def _print_Max(self, e):
        return "max(" + ", ".join(self._print(a) for a in e.args) + ")"

    def _print_Min(self, e):
        return "min(" + ", ".join(self._print(a) for a in e.args) + ")"

    def _print_Abs(self, e):
        return f"abs({self._print(e.args[0])})"

    def _print_Unequality(self, e):
        return f"{self._print(e.lhs)} != {self._print(e.rhs)}"

    def _print_And(self, e):
        return " and ".join(self.parenthesize(a, PRECEDENCE["And"]) for a in e.args)

    def _print_Or(self, e):
        return " or ".join(self.parenthesize(a, PRECEDENCE["Or"]) for a in e.args)

    def _print_Not(self, e):
        return f"not {self.parenthesize(e.args[0], PRECEDENCE['Not'])}"


def _without_ones(e):
    if not e.args or isinstance(e, sympy.Number):
        return e
    args = [_without_ones(a) for a in e.args]
    if isinstance(e, sympy.Mul):
        args = [a for a in args if a != 1] or [sympy.S.One]
        return args[0] if len(args) == 1 else sympy.Mul(*args)
    return e.func(*args)


def target_text(target) -> str:
    return target[2]
