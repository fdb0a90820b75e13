"""Points at a claim's own thresholds: where a piecewise claim changes branch.

Random points see a claim only where they fall.  ``dEdy if x > 0 and x < 10 or
x > 20 else 0`` agrees with ReLU's derivative everywhere the sampler looks
(|x| of a few units), and is wrong on [10, 20].  A claim that compares a scalar
variable with a number names the places where it may go wrong: each threshold,
a little either side of it, and between two of them.  These points are checked
exactly, like any candidate counterexample, whenever numbers agreed but no
proof was found; a disagreement there refutes the claim.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy
from sympy.core.relational import Relational

from symcheck.instance import Points

#: how many threshold values of one variable are probed (a claim is a formula, not a table)
MAX_THRESHOLDS = 8


def thresholds(expr, scalars: set) -> dict:
    """{variable name: sorted thresholds} from the claim's comparisons ``x > 10``, ``20 <= x``."""
    found: dict = {}
    if not isinstance(expr, sympy.Basic):
        return found
    for relation in expr.atoms(Relational):
        for side, other in ((relation.lhs, relation.rhs), (relation.rhs, relation.lhs)):
            if isinstance(side, sympy.Symbol) and side.name in scalars and other.is_number and other.is_real:
                value = _fraction(other)
                if value is not None:
                    found.setdefault(side.name, set()).add(value)
    return {name: sorted(values)[:MAX_THRESHOLDS] for name, values in found.items()}


def _fraction(number) -> Fraction | None:
    """A threshold as an exact fraction: itself when rational, else (π/10, -√2/100) to 12 digits;
    None for a number too large to place a point at."""
    try:
        if number.is_Rational:
            return Fraction(int(number.p), int(number.q))
        value = float(number)
        return Fraction(value).limit_denominator(10**12) if abs(value) < 1e15 else None
    except (TypeError, ValueError, OverflowError):
        return None


def probe_values(cuts: list) -> list:
    """Each threshold, a little either side of it, between two of them, and beyond the largest."""
    out = []
    for k, cut in enumerate(cuts):
        step = max(Fraction(1, 1000), abs(cut) / 1000)
        out += [cut - step, cut, cut + step]
        if k + 1 < len(cuts):
            out.append((cut + cuts[k + 1]) / 2)
    if cuts:
        out.append(cuts[-1] + max(Fraction(1), abs(cuts[-1])))
        out.append(cuts[0] - max(Fraction(1), abs(cuts[0])))
    return sorted(set(out))


def threshold_points(inst, expr, rng: np.random.Generator) -> Points | None:
    """Sampled points with one scalar variable moved onto the claim's thresholds (inside its domain)."""
    scalars = {d.name: d for d in inst.notation.variables if d.kind == "scalar"}
    rows = []
    for name, cuts in thresholds(expr, set(scalars)).items():
        for value in probe_values(cuts):
            if scalars[name].domain.contains(np.asarray(float(value))):
                rows.append((name, float(value)))
    if not rows:
        return None
    base = inst.sample(rng, len(rows))
    values = {name: np.array(column, dtype=float, copy=True) for name, column in base.values.items()}
    for k, (name, value) in enumerate(rows):
        values[name][k] = value
    return Points(values, len(rows), inst)
