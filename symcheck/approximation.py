r"""Approximate answers, judged to the precision written.

Sheets and students state numbers as ``\approx 1.39``: the claim is that the
quantity rounds to 1.39 at the written precision, i.e. lies within half a unit
of the last digit written (1.385 to 1.395).  ``1.39`` matches ln 4 = 1.3863;
``1.30`` does not.  Only a number may follow the sign: ``\approx \ln 4`` is
an equality, and is refused with a message saying so.
"""
from __future__ import annotations

import re

import sympy

from symcheck.errors import ClaimError

RELATION = "≈"
# the spellings of "approximately", in LaTeX and in text
_SIGN = re.compile(r"\\approx|≈|~=|\\simeq")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_WRAPPERS = ("$", r"\(", r"\)", r"\[", r"\]")


def split(text: str) -> str | None:
    """The number after the last top-level approximate sign, or None when the
    claim has no such sign."""
    depth, seen, last = 0, 0, None
    for match in _SIGN.finditer(text):
        between = text[seen:match.start()]
        depth += sum(between.count(c) for c in "({[") - sum(between.count(c) for c in ")}]")
        seen = match.start()
        if depth == 0:  # inside a group (a sum's limits, a \text{}) it is not the claim's relation
            last = match
    if last is None:
        return None
    rhs = text[last.end():].strip()
    for wrapper in _WRAPPERS:
        rhs = rhs.replace(wrapper, "")
    return rhs.strip().rstrip(".").replace(r"\,", "").replace("{,}", ".")


def read(literal: str) -> tuple:
    """(value, half-width) of a written number: '1.39' -> (139/100, 1/200)."""
    text = literal.strip()
    if not _NUMBER.match(text):
        raise ClaimError(f"after \\approx write a decimal number such as 1.39, not {text[:40]!r}; "
                         f"for an exact value write '=' or the expression alone")
    mantissa, _, exponent = text.lower().partition("e")
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    if len(mantissa) + abs(int(exponent or 0)) > 60:
        raise ClaimError(f"the number {text[:40]!r} has too many digits for an approximation")
    scale = sympy.Integer(10) ** int(exponent or 0)
    value = sympy.Rational(mantissa) * scale
    return value, sympy.Rational(1, 2) * sympy.Integer(10) ** -decimals * scale


def within(value, approximation, half_width) -> bool:
    """Does ``value`` (exact or high-precision) round to the written number?"""
    from symcheck import precision

    difference = precision.numeric(value) - approximation
    return bool(abs(sympy.N(difference, precision.DIGITS)) <= half_width)
