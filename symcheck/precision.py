"""High-precision rechecks: no floating-point accident may refute a claim.

A candidate counterexample found in float64 is re-evaluated at the *exact*
point (rationals satisfying the domain's constraint exactly, see domains.py):
both the claim and the reference are computed exactly where they are rational
and to ``DIGITS`` significant digits otherwise.  Only a difference that
survives is reported.
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy

DIGITS = 50
# Two values agree in high precision when they differ by less than this,
# relative to their size: far above the 50-digit noise, far below any real error.
# Exact rational values must be equal exactly.  A claim off by less than this
# through a transcendental function (sigmoid(x) + 1e-40) is beyond numeric
# evidence: the cascade cannot prove it, and it is at most *confirmed*, i.e.
# agreement to 30 significant digits.
HP_TOLERANCE = sympy.Float("1e-30", DIGITS)


def numeric(value) -> sympy.Expr:
    """A value to DIGITS significant digits (exact numbers stay exact); mpmath
    numbers from the high-precision evaluator are taken as they are."""
    if isinstance(value, mpmath.mpc) or type(value).__name__ == "mpc":
        if value.imag != 0:  # the log or root of a negative number: not a real value
            return numeric(value.real) + sympy.I * numeric(value.imag)
        value = value.real
    if isinstance(value, mpmath.mpf) or type(value).__name__ == "mpf":
        return sympy.Float(mpmath.nstr(value, DIGITS + 5), DIGITS) if mpmath.isfinite(value) else \
            (sympy.nan if mpmath.isnan(value) else sympy.oo * (1 if value > 0 else -1))
    value = sympy.sympify(value)
    if value.is_Rational:
        return value
    return sympy.N(value, DIGITS)


def agree(claimed, reference) -> bool:
    """Do two exact/high-precision scalars agree to HP_TOLERANCE (relative)?"""
    c, r = numeric(claimed), numeric(reference)
    if not (c.is_number and r.is_number):
        return False
    if c.is_Rational and r.is_Rational:  # both exact: no tolerance at all
        return bool(c == r)
    if c.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo) or r.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return bool(c == r)
    if not (c.is_real and r.is_real):
        c, r = sympy.N(c, DIGITS), sympy.N(r, DIGITS)
        return bool(abs(c - r) <= HP_TOLERANCE * max(1, abs(c), abs(r)))
    diff = abs(c - r)
    if diff == 0:
        return True
    return bool(sympy.N(diff, DIGITS) <= HP_TOLERANCE * max(sympy.Integer(1), abs(sympy.N(c, DIGITS)),
                                                            abs(sympy.N(r, DIGITS))))


def first_disagreement(claimed: np.ndarray, reference: np.ndarray):
    """The first entry (index tuple) where two object arrays disagree, or None."""
    claimed = np.asarray(claimed, dtype=object)
    reference = np.asarray(reference, dtype=object)
    for idx in np.ndindex(reference.shape):
        if not agree(claimed[idx], reference[idx]):
            return idx
    return None


def show(value) -> str:
    """A high-precision number, shortened for humans (20 significant digits)."""
    value = numeric(value)
    if value.is_Rational and value.q < 10**6 and abs(value.p) < 10**12 or value.is_Integer and abs(value) < 10**30:
        return str(value)
    if value.has(sympy.zoo, sympy.nan):
        return "undefined"
    if value.is_number and value.is_real is False:
        return "not a real number"
    try:
        return mpmath.nstr(mpmath.mpf(sympy.N(value, DIGITS)), 20)
    except (TypeError, ValueError):
        return str(sympy.N(value, 20))


def exceeds(value, bound) -> bool:
    """Is ``value`` larger than ``bound`` by more than HP_TOLERANCE (relative)?"""
    v, b = numeric(value), numeric(bound)
    if not (v.is_number and b.is_number) or v.has(sympy.zoo, sympy.nan) or b.has(sympy.zoo, sympy.nan):
        return False
    v, b = sympy.N(v, DIGITS), sympy.N(b, DIGITS)
    return bool(v - b > HP_TOLERANCE * max(sympy.Integer(1), abs(v), abs(b)))


def is_exact(value) -> bool:
    """Was the value computed exactly (a SymPy rational, not a rounded float)?"""
    return isinstance(value, (int, sympy.Rational)) and not isinstance(value, bool)
