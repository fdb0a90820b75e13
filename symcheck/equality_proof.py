"""Symbolic proofs for ``symcheck equal``, tried only after the numbers agree.

Numbers come first (equality.py): a proof here can never overturn a
counterexample, and a SymPy rewrite that ignores a domain (``cancel`` at a
removable singularity) cannot make a false identity "proved", because the
special values have already been sampled.

The equality proof is the project's size-limited cascade (cascade.py) without
its last stage, then what the cascade has no stage for (trigonometric and
inverse-function forms), then ``simplify`` on residuals under the cascade's
own size limit.  Every limit is a size, so a proof succeeds or fails the same
way on every machine; the wall clock is only the outer guard.
"""
from __future__ import annotations

import sympy

from symcheck import cascade, effort, vocabulary as voc
from symcheck.budget import Budget
from symcheck.errors import BudgetExceeded

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.cot, sympy.sec, sympy.csc)
_INVERSE = (sympy.asin, sympy.acos, sympy.atan, sympy.asinh, sympy.acosh, sympy.atanh)
_FAILURES = (RecursionError, MemoryError, ZeroDivisionError, ValueError, TypeError, AttributeError,
             NotImplementedError, sympy.PolynomialError, effort.TooMuchWork)


def evaluated(expr):
    """The expression rebuilt with SymPy's evaluation on, derivatives taken and
    finite sums done: the form a proof works on (the reading kept it as written)."""
    if not expr.args or isinstance(expr, (sympy.Symbol, sympy.Number)):
        return expr
    if isinstance(expr, (sympy.Sum, sympy.Product)):
        rebuilt = expr.func(evaluated(expr.function), *expr.limits)
        done = rebuilt.doit()
        return done if not done.has(sympy.Piecewise) else rebuilt
    if isinstance(expr, sympy.Derivative):
        return sympy.diff(evaluated(expr.expr), *expr.variable_count)
    if isinstance(expr, voc.Norm):      # the norm of a real scalar
        return sympy.Abs(evaluated(expr.args[0]))
    return expr.func(*[evaluated(a) for a in expr.args])


def prove_equal(lhs, rhs, budget: Budget) -> tuple:
    """(proved, how): how names the stage that reduced lhs - rhs to 0, or why not."""
    try:
        left, right = evaluated(lhs), evaluated(rhs)
        if left.has(sympy.Sum, sympy.Product, sympy.Derivative) or right.has(sympy.Sum, sympy.Product,
                                                                             sympy.Derivative):
            return False, "a sum or derivative SymPy cannot do in closed form"
        proof = cascade.prove(left, right, cascade.ProofContext(), budget, cheap=True)
        if proof.proved:
            return True, proof.stage
        if proof.timed_out:
            raise BudgetExceeded()      # the clock, not the mathematics, stopped it: undecided
        for name, stage in (("trigonometric", _trigonometric), ("simplify", _simplify)):
            with budget.guard():
                if _is_zero(stage(left - right)):
                    return True, name
    except _FAILURES:
        return False, "the proof cascade gave up"
    return False, "no stage reduced the difference to 0"


def _is_zero(value) -> bool:
    return value is not None and value == 0


def _trigonometric(d):
    """Angles expanded and the Pythagorean identities applied; then the
    inverse functions as logarithms (atan x + atan(1/x) needs that)."""
    if not d.has(*_TRIG, *_INVERSE, sympy.sinh, sympy.cosh, sympy.tanh):
        return None
    effort.require_nodes(d, effort.SIMPLIFY_NODE_LIMIT, "trigonometric stage skipped")
    expanded = sympy.expand_trig(d)
    if sympy.trigsimp(sympy.expand(expanded)) == 0:
        return 0
    exponential = sympy.expand(sympy.together(expanded.rewrite(sympy.exp)))
    if sympy.cancel(exponential) == 0:
        return 0
    return None


def _simplify(d):
    effort.require_nodes(d, effort.SIMPLIFY_NODE_LIMIT, "simplify skipped")
    if d.has(sympy.Piecewise):
        return None
    return sympy.simplify(d)


def prove_sign(difference, strict: bool, budget: Budget) -> tuple:
    """(proved, how) that ``difference`` is >= 0 (> 0 when strict) wherever
    it is defined, from SymPy's assumptions on simpler forms of it."""
    try:
        d = evaluated(difference)
        for name, form in (("as written", lambda e: e), ("factored", sympy.factor),
                           ("simplified", _size_limited_simplify)):
            with budget.guard():
                candidate = form(d)
                holds = candidate.is_positive if strict else candidate.is_nonnegative
            if holds:
                return True, f"the difference is {'positive' if strict else 'non-negative'} ({name})"
    except _FAILURES:
        return False, "the sign could not be shown"
    return False, "the sign could not be shown symbolically"


def _size_limited_simplify(e):
    effort.require_nodes(e, effort.SIMPLIFY_NODE_LIMIT, "simplify skipped")
    return sympy.simplify(e)
