"""The bounds on what a claim may contain, checked before any arithmetic."""
from __future__ import annotations

import math
import sys

import sympy

from symcheck.text_syntax import MAX_CLAIM_CHARS, MAX_DIGITS


MAX_LATEX_CHARS = MAX_CLAIM_CHARS
MAX_TOKENS = 2000
MAX_DEPTH = 40
MAX_TREE_DEPTH = 200
MAX_EXPANSIONS = 100
#: a number literal longer than this is refused as the lexer meets it, before anything is computed
MAX_LITERAL_DIGITS = 1000
#: a numeric power of a matrix is at most this (a sheet's 49 layers): W^{10^9} would be evaluated by
#: squaring on symbolic entries whose size grows with the power
MAX_MATRIX_POWER = 100
#: a numeric power of anything but a number is at most this: x^{10^9} would be expanded, reduced modulo
#: (j^{10^9} \% 3) or differentiated symbolically at a cost that grows with the power
MAX_SYMBOLIC_POWER = 1000
#: Python refuses to print integers with more digits than this (3.11+); a
#: claim must stay printable, so numbers are bounded by it as well.
MAX_PRINTABLE_DIGITS = min(MAX_DIGITS, (getattr(sys, "get_int_max_str_digits", lambda: 0)() or MAX_DIGITS) - 1)


def _log10(q: sympy.Rational) -> float:
    """log10 |q| for an exact rational of any size (no float overflow)."""
    p, d = abs(int(q.p)), int(q.q)
    return (math.log10(p) if p else -math.inf) - math.log10(d)


def _too_large(base, exponent) -> bool:
    """Would base**exponent have more than MAX_DIGITS digits (numerator or denominator)?"""
    if not (isinstance(base, sympy.Rational) and isinstance(exponent, sympy.Rational)):
        return False
    if base == 0 or abs(base) == 1:
        return False
    size = max(abs(math.log10(abs(int(base.p)))) if base.p else 0, math.log10(int(base.q)))
    if size == 0:
        return False
    return _log10(exponent) + math.log10(size) > math.log10(MAX_DIGITS)


def _too_many_digits(q: sympy.Rational) -> bool:
    limit = MAX_PRINTABLE_DIGITS * math.log2(10)
    return max(abs(int(q.p)).bit_length(), int(q.q).bit_length()) > limit


def _short(number) -> str:
    text = str(number) if len(str(abs(int(number.p)))) < 40 else "(a very large number)"
    return text
