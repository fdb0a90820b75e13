"""Numbers for ``symcheck equal``: real-valued evaluation and the sample points.

Real semantics, as a careful mathematician reads a formula: a value exists
where every intermediate result is a finite real.  ``sqrt(-1)``, ``log(0)``,
``1/0``, ``(-8)**(1/3)`` (the principal root is not real), ``asin(2)`` have no
value, and neither has anything too large to be a value (a rounded pole of tan, see _huge).  The
expression is compiled once into closures over mpmath and then evaluated at
each point at the working precision of the caller (``mp.workdps``), so the
same code does the quick pass and the 50-digit recheck.

The tree is walked as the user wrote it (read unevaluated, see
equality_read.py): ``x/x`` has no value at 0 even though SymPy would call it 1.
"""
from __future__ import annotations

import hashlib
import random
from typing import Callable

import mpmath as mp
import sympy

from symcheck import vocabulary as voc

MAX_TERMS = 10_000          # terms of finite sums and products per point; beyond, the point is skipped
MAX_POWER = 10_000          # exponents beyond this are towers, not identities
SPECIAL = (0, 1, -1, 2, -2, 0.5, -0.5, 3, -3)
SCALES = (1, 3, 3, 3, 10, 30)


class Undefined(Exception):
    """No real value at this point."""


class Unevaluable(Exception):
    """The point cannot be judged (a sum too long to add up): skip it."""


class Unsupported(Exception):
    """The expression has a part this evaluator does not know; message names it."""


def real(v):
    """v as a finite real, or Undefined."""
    if isinstance(v, mp.mpc):
        if v.imag != 0:
            raise Undefined
        v = v.real
    if not mp.isfinite(v) or abs(v) > _huge():
        raise Undefined
    return v


_HUGE = {}


def _huge():
    """Beyond this a value is a pole hit at a rounded point: tan at pi/2 rounded
    to d digits is about 10^d, so the bound follows the working precision
    (10^40 at 50 digits; at 30 digits 10^20, and the recheck decides)."""
    dps = mp.mp.dps
    if dps not in _HUGE:
        _HUGE[dps] = mp.mpf(10) ** max(15, dps - 10)
    return _HUGE[dps]


def _guarded(fn: Callable) -> Callable:
    """A function of mpf values whose errors (log(0), 0**-1) mean 'no value'."""
    def call(*args):
        try:
            return real(fn(*args))
        except (ValueError, ZeroDivisionError, OverflowError):
            raise Undefined from None
    return call


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def _heaviside(x, h=mp.mpf(0.5)):
    return mp.mpf(1) if x > 0 else mp.mpf(0) if x < 0 else h


def _sign(x):
    return mp.mpf(mp.sign(x))


FUNCTIONS = {
    sympy.exp: mp.exp, sympy.log: mp.log, sympy.sin: mp.sin, sympy.cos: mp.cos, sympy.tan: mp.tan,
    sympy.cot: mp.cot, sympy.sec: mp.sec, sympy.csc: mp.csc, sympy.asin: mp.asin, sympy.acos: mp.acos,
    sympy.atan: mp.atan, sympy.acot: mp.acot, sympy.sinh: mp.sinh, sympy.cosh: mp.cosh, sympy.tanh: mp.tanh,
    sympy.coth: mp.coth, sympy.sech: mp.sech, sympy.csch: mp.csch, sympy.asinh: mp.asinh,
    sympy.acosh: mp.acosh, sympy.atanh: mp.atanh, sympy.Abs: abs, sympy.sign: _sign, sympy.floor: mp.floor,
    sympy.ceiling: mp.ceil, voc.sigmoid: _sigmoid, sympy.Heaviside: _heaviside,
    sympy.Min: lambda *a: min(a), sympy.Max: lambda *a: max(a),
    voc.Norm: abs,      # \|c g\| of a real scalar is its absolute value
}
_COMPARE = {sympy.StrictLessThan: lambda a, b: a < b, sympy.LessThan: lambda a, b: a <= b,
            sympy.StrictGreaterThan: lambda a, b: a > b, sympy.GreaterThan: lambda a, b: a >= b,
            sympy.Eq: lambda a, b: a == b, sympy.Ne: lambda a, b: a != b}


# -- compiling ------------------------------------------------------------------------

def compile_expr(expr) -> Callable[[dict], object]:
    """A function env -> mpf (env: name -> mpf) that raises Undefined where
    the expression has no real value; Unsupported at once for unknown parts."""
    return _compile(expr)


def _compile(e):
    if isinstance(e, sympy.Symbol):
        name = e.name
        return lambda env: env[name]
    if isinstance(e, sympy.Rational):
        p, q = int(e.p), int(e.q)
        return lambda env: mp.mpf(p) / q
    if isinstance(e, sympy.Float):
        text = str(e)
        return lambda env: mp.mpf(text)
    if e is sympy.pi:
        return lambda env: +mp.pi
    if e is sympy.E:
        return lambda env: +mp.e
    if isinstance(e, (sympy.Add, sympy.Mul)):
        return _compile_arithmetic(e)
    if isinstance(e, sympy.Pow):
        return _compile_power(e)
    if isinstance(e, (sympy.Sum, sympy.Product)):
        return _compile_series(e)
    if isinstance(e, sympy.Derivative):
        return _compile_derivative(e)
    if isinstance(e, sympy.Piecewise):
        return _compile_piecewise(e)
    if isinstance(e, sympy.Mod):
        a, b = (_compile(x) for x in e.args)
        return _guarded_binary(a, b, lambda x, y: x - y * mp.floor(x / y))
    fn = FUNCTIONS.get(e.func)
    if fn is None:
        raise Unsupported(f"cannot evaluate {type(e).__name__} numerically")
    parts = [_compile(a) for a in e.args]
    call = _guarded(fn)
    return lambda env: call(*[p(env) for p in parts])


def _guarded_binary(a, b, fn):
    call = _guarded(fn)
    return lambda env: call(a(env), b(env))


def _compile_arithmetic(e):
    parts = [_compile(a) for a in e.args]
    if isinstance(e, sympy.Add):
        return lambda env: real(mp.fsum(p(env) for p in parts))

    def product(env):
        out = mp.mpf(1)
        for p in parts:         # every factor must exist, even after a zero factor
            out *= p(env)
        return real(out)
    return product


def _compile_power(e):
    base, exponent = _compile(e.base), _compile(e.exp)

    def power(env):
        a, b = base(env), exponent(env)
        if a == 0 and b < 0:
            raise Undefined
        if abs(b) > MAX_POWER:
            raise Undefined
        try:
            return real(mp.power(a, b))
        except (ValueError, ZeroDivisionError, OverflowError):
            raise Undefined from None
    return power


def _compile_piecewise(e):
    branches = [(_compile(value), _compile_condition(cond)) for value, cond in e.args]

    def piecewise(env):
        for value, cond in branches:
            if cond(env):
                return value(env)
        raise Undefined
    return piecewise


def _compile_condition(c):
    if c is sympy.true or c == True:  # noqa: E712 - SymPy's true compares equal to True
        return lambda env: True
    if c is sympy.false or c == False:  # noqa: E712
        return lambda env: False
    if isinstance(c, (sympy.And, sympy.Or)):
        parts = [_compile_condition(a) for a in c.args]
        combine = all if isinstance(c, sympy.And) else any
        return lambda env: combine(p(env) for p in parts)
    if isinstance(c, sympy.Not):
        inner = _compile_condition(c.args[0])
        return lambda env: not inner(env)
    test = _COMPARE.get(type(c))
    if test is None:
        raise Unsupported(f"cannot evaluate the condition {c}")
    a, b = _compile(c.lhs), _compile(c.rhs)
    return lambda env: test(a(env), b(env))


def _compile_series(e):
    body = _compile(e.function)
    limits = [(k.name, _compile(lo), None if hi is sympy.oo else _compile(hi)) for k, lo, hi in e.limits]
    is_sum = isinstance(e, sympy.Sum)

    def series(env, depth=0):
        if depth == len(limits):
            return body(env)
        name, lo, hi = limits[depth]
        a = lo(env)
        b = mp.inf if hi is None else hi(env)
        if not mp.isint(a) or (b != mp.inf and not mp.isint(b)):
            raise Undefined
        if b != mp.inf and b < a - 1:
            raise Undefined     # SymPy's reversed-limit convention is not a textbook reading

        def term(j):
            return series({**env, name: mp.mpf(j)}, depth + 1)
        if b == mp.inf:
            # a product converges with the sum of its factors' distances from 1
            if not _converges(term if is_sum else (lambda j: term(j) - 1), a):
                raise Undefined
            try:
                return real((mp.nsum if is_sum else mp.nprod)(term, [a, mp.inf]))
            except (ValueError, ZeroDivisionError, OverflowError):
                raise Undefined from None
        _WORK["terms"] += int(b - a + 1)
        if _WORK["terms"] > MAX_TERMS:      # nested sums count together: 10^4 x 10^4 is not evaluated
            raise Unevaluable
        values = [term(j) for j in range(int(a), int(b) + 1)]
        return real(mp.fsum(values) if is_sum else mp.fprod(values))
    return series


def _converges(term, a) -> bool:
    """A cheap test on the tail, because mpmath's nsum extrapolates a divergent
    series to a finite number (the harmonic series to about 11.8, the geometric
    series at x = 2 to its analytic continuation -1): from k to 2k the terms
    must shrink faster than 1/k (decay exponent above 1.05), or alternate in
    sign while shrinking (Leibniz).  Far out first (k = 1000: 0.97^k is then
    clearly geometric); where a term is too large to evaluate there (2^k), at
    k = 20; where neither can be evaluated nsum decides."""
    for offset in (1000, 20):
        j1 = int(a) + offset
        j2 = 2 * j1
        try:
            u1, u2, u3 = term(j1), term(j2), term(j1 + 1)
        except Undefined:
            continue
        t1, t2 = abs(u1), abs(u2)
        if t1 == 0 and t2 == 0:
            return True
        if t2 >= t1:
            return False
        if t2 == 0 or mp.log(t1 / t2) / mp.log(mp.mpf(j2) / j1) > 1.05:
            return True
        return u1 * u3 < 0
    return True


def _compile_derivative(e):
    """d/dx f exists where f does; its value is the exact derivative (SymPy's),
    or mpmath's numerical one when SymPy cannot differentiate."""
    from symcheck.equality_proof import evaluated

    body = _compile(e.expr)
    try:
        exact = evaluated(e)
    except Exception as error:   # noqa: BLE001 - SymPy may fail in many ways; fall back to numbers
        exact = error
    numeric = _numeric_derivative(body, e.variable_count)
    value = _compile(exact) if isinstance(exact, sympy.Expr) and not exact.has(sympy.Derivative) else numeric

    def derivative(env):
        body(env)               # raises Undefined where f has no value
        try:
            return value(env)
        except Undefined:
            # SymPy's form may have a spurious hole (d/dx x^n = n*x^n/x at 0): ask the limit
            return numeric(env)
    return derivative


def _numeric_derivative(body, counts):
    if len(counts) != 1:
        raise Unsupported("cannot evaluate a mixed derivative numerically")
    (var, order), = counts
    name = var.name

    def numeric(env):
        try:
            return real(mp.diff(lambda t: body({**env, name: t}), env[name], int(order)))
        except (ValueError, ZeroDivisionError, OverflowError):
            raise Undefined from None
    return numeric


# terms added up so far at the current point (one evaluation at a time: not thread-safe)
_WORK = {"terms": 0}


def value_at(fn, env: dict):
    """The value, or None where there is none."""
    _WORK["terms"] = 0
    try:
        return fn(env)
    except Undefined:
        return None


# -- sampling -------------------------------------------------------------------------

def seed_of(*parts) -> int:
    """A seed from the input's text: the same question always gets the same points."""
    return int.from_bytes(hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()[:8], "big")


def points(names: list, assumptions, count: int, seed: int) -> list:
    """Up to ``count`` points (name -> mpf) satisfying the assumptions: the
    special values first (where removable singularities and branch cuts sit),
    staggered so that variables differ, then seeded draws at several scales."""
    names = sorted(names)
    if not names:
        return [{}]
    rng = random.Random(seed)
    checks = [_condition_check(c) for c in assumptions.conditions]
    out, tries = [], 0
    while len(out) < count and tries < 60 * count:
        env = {n: _draw(rng, tries, j, n, assumptions) for j, n in enumerate(names)}
        tries += 1
        if all(check(env) for check in checks) and env not in out:
            out.append(env)
    return out


def at_thresholds(names: list, assumptions, exprs, base: dict) -> list:
    """Points where one variable sits at a threshold the sides compare it with (``x > 50``), or
    either side of one, the others as in ``base``: a piecewise side goes wrong exactly there, and
    random points may never get that far (thresholds.py)."""
    from fractions import Fraction

    from symcheck.thresholds import probe_values, thresholds

    cuts: dict = {}
    for expr in exprs:
        for name, values in thresholds(expr, set(names)).items():
            cuts.setdefault(name, set()).update(values)
    checks = [_condition_check(c) for c in assumptions.conditions]
    out = []
    for name, values in sorted(cuts.items()):
        for value in probe_values(sorted(values)):
            if name in assumptions.integer and value != int(value):
                continue
            env = {**base, name: mp.mpf(Fraction(value).numerator) / Fraction(value).denominator}
            if _within(name, env[name], assumptions) and all(check(env) for check in checks):
                out.append(env)
    return out


def _within(name, value, assumptions) -> bool:
    low, high = assumptions.bounds.get(name, (None, None))
    closed = name in assumptions.closed
    return (low is None or value > low or (closed and value == low)) and (high is None or value <= high)


def _draw(rng, i, j, name, assumptions):
    integer = name in assumptions.integer
    low, high = assumptions.bounds.get(name, (None, None))
    if i < 2 * len(SPECIAL):
        v = SPECIAL[(i * (1 + (i >= len(SPECIAL))) + 2 * j) % len(SPECIAL)]
        below = v < low or (v == low and name not in assumptions.closed) if low is not None else False
        if below:       # x > 0: the special values' magnitudes (x >= 0 keeps 0 itself)
            v = low + (abs(v) or 0.5 * (j + 1))
        return mp.mpf(round(v) if integer and v != int(v) else v)
    if integer:
        lo = -4 if low is None else int(mp.ceil(low))
        return mp.mpf(rng.randint(lo, max(lo, 15 if high is None else int(mp.floor(high)))))
    if low is not None and high is not None:
        return mp.mpf(rng.uniform(low, high))
    v = rng.uniform(-1, 1) * rng.choice(SCALES)
    if low is not None:
        return mp.mpf(low + abs(v))
    if high is not None:
        return mp.mpf(high - abs(v))
    return mp.mpf(v)


def _condition_check(condition):
    left, op, right = condition
    a, b = _compile(left), _compile(right)
    test = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y, ">": lambda x, y: x > y,
            ">=": lambda x, y: x >= y, "!=": lambda x, y: x != y}[op]

    def check(env):
        x, y = value_at(a, env), value_at(b, env)
        return x is not None and y is not None and test(x, y)
    return check
