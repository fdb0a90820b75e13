"""The backends an expression is evaluated with (see evaluation.py).

* :class:`NumpyBackend` evaluates at a batch of P points at once: a scalar is an
  array of shape (P,), a matrix an array of shape (P, r, c).  This is the numeric
  side: vectorised over points, no Python loop per point.
* :class:`SympyBackend` evaluates to explicit SymPy objects: with symbols for
  values it *instantiates* a claim at a concrete size; with exact rationals for
  values it computes the exact value used by high-precision rechecks.
* :class:`MpmathBackend` evaluates at one point in high precision.

Each backend maps the operations of the vocabulary onto its own arithmetic; the
tree is walked once, by :class:`symcheck.evaluation.Evaluator`.
"""
from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np
import sympy

from symcheck import vocabulary as voc
from symcheck.errors import EvaluationError, IllFormed

Exact = (int, Fraction)


def dims(shape) -> str:
    """A shape for messages: 3×2, or "scalar"."""
    return "×".join(map(str, shape)) if len(shape) else "scalar"


def _shapes_of(error) -> str:
    """The shapes a SymPy ShapeError names, as 2×1 and 2×2 (or 'not square')."""
    import re

    found = re.findall(r"\((\d+), (\d+)\)", str(error))
    return " and ".join(f"{r}×{c}" for r, c in found) if found else "a square matrix was needed"


def _unreadable(expr) -> str:
    """Why an expression cannot be evaluated, without SymPy's class names."""
    from symcheck.text_syntax import not_real

    known = not_real(expr)
    if known is not None:
        return known
    return f"the claim uses an operation symcheck cannot evaluate numerically ({sympy.sstr(expr)[:60]})"


def matrix_dims(value) -> tuple | None:
    """(rows, cols) of a matrix value of any backend (NumPy batches included); None for a scalar."""
    if hasattr(value, "rows") and hasattr(value, "cols"):
        return int(value.rows), int(value.cols)
    shape = getattr(value, "shape", ())
    return tuple(int(d) for d in shape[-2:]) if len(shape) >= 2 else None


def _same_matrix_shapes(what: str, values) -> None:
    """NumPy would broadcast a column against a matrix; in a claim that is an
    ill-typed sum or Hadamard product, which refutes it."""
    shapes = [np.shape(v)[-2:] for v in values if np.ndim(v) >= 2]
    if any(shape != shapes[0] for shape in shapes[1:]):
        raise IllFormed(f"{what} of shapes {' and '.join(dims(s) for s in shapes)} is not defined")


def _exact_number(expr):
    if isinstance(expr, sympy.Integer):
        return int(expr)
    if isinstance(expr, sympy.Rational):
        return Fraction(int(expr.p), int(expr.q))
    return None


class NumpyBackend:
    """Values at P points at once."""

    name = "numpy"

    def __init__(self, count: int):
        self.count = count

    def lift(self, v):
        """An exact number as a float (±inf beyond float range); arrays pass through."""
        if isinstance(v, (Fraction, int)) and not isinstance(v, bool):
            try:
                return float(v)
            except OverflowError:
                return float("inf") if v > 0 else float("-inf")
        return v

    def number(self, expr):
        try:
            return float(expr.evalf(20))
        except OverflowError:
            return float("inf") if expr > 0 else float("-inf")

    def add(self, values):
        _same_matrix_shapes("a sum", values)
        total = 0.0
        for v in values:
            try:
                total = total + self.lift(v)
            except ValueError:
                raise IllFormed(f"cannot add values of shapes {np.shape(total)[1:]} and {np.shape(v)[1:]}") from None
        return total

    def mul(self, values):
        total = 1.0
        for v in values:
            total = total * self.lift(v)
        return total

    def pow(self, base, exponent):
        with np.errstate(all="ignore"):
            return np.power(np.asarray(self.lift(base), dtype=float), self.lift(exponent))

    def scale(self, scalar, matrix):
        scalar = self.lift(scalar)
        if isinstance(scalar, np.ndarray) and scalar.ndim == 1:
            scalar = scalar[:, None, None]
        return scalar * matrix

    def matmul(self, a, b):
        if np.shape(a)[-1] != np.shape(b)[-2]:
            raise IllFormed(f"a matrix product of shapes {dims(np.shape(a)[-2:])} and {dims(np.shape(b)[-2:])} "
                            f"is not defined")
        return np.matmul(a, b)

    def transpose(self, m):
        return np.swapaxes(m, -1, -2)

    def inverse(self, m):
        return np.linalg.inv(m)

    def matpow(self, m, k: int):
        if k < 0:
            m, k = np.linalg.inv(m), -k
        return np.linalg.matrix_power(m, k)

    def identity(self, n):
        return np.eye(n)

    def zeros(self, r, c):
        return np.zeros((r, c))

    def ones(self, r, c):
        return np.ones((r, c))

    def element(self, value, positions):
        return value[(Ellipsis, *positions)] if value.ndim == len(positions) + 1 else value[positions]

    def function(self, cls, args):
        impl = voc.NUMPY.get(cls)
        if impl is None:
            raise EvaluationError(f"no numeric form for function {cls.__name__}")
        with np.errstate(all="ignore"):
            return impl(*[np.asarray(self.lift(a), dtype=float) for a in args])

    def maximum(self, values, largest=True):
        values = [np.asarray(self.lift(v), dtype=float) for v in values]
        return functools.reduce(np.maximum if largest else np.minimum, values)

    def piecewise(self, pairs):
        conds = [np.asarray(c, dtype=bool) for _, c in pairs]
        values = [np.asarray(self.lift(v), dtype=float) for v, _ in pairs]
        shape = np.broadcast_shapes(*(a.shape for a in conds + values))
        conds = [np.broadcast_to(c, shape) for c in conds]
        values = [np.broadcast_to(v, shape) for v in values]
        return np.select(conds, values, default=np.nan)

    def compare(self, cls, a, b):
        a, b = self.lift(a), self.lift(b)
        return {sympy.StrictLessThan: np.less, sympy.LessThan: np.less_equal, sympy.StrictGreaterThan: np.greater,
                sympy.GreaterThan: np.greater_equal, sympy.Equality: np.equal, sympy.Unequality: np.not_equal}[cls](a, b)

    def logic(self, op, values):
        return {"and": np.logical_and.reduce, "or": np.logical_or.reduce}[op]([np.asarray(v) for v in values])

    def negate(self, v):
        return np.logical_not(v)

    def elementwise(self, fn, m):
        return fn(m)

    def special(self, cls, args):
        return cls.numpy(*args)

    def sum_entries(self, m):
        return m.sum(axis=(-2, -1))


class SympyBackend:
    """Explicit SymPy values: symbolic instantiation or exact evaluation."""

    name = "sympy"

    def lift(self, v):
        if isinstance(v, Fraction):
            return sympy.Rational(v.numerator, v.denominator)
        if isinstance(v, int):
            return sympy.Integer(v)
        return v

    def number(self, expr):
        return expr

    def add(self, values):
        values = [self.lift(v) for v in values]
        if any(isinstance(v, sympy.MatrixBase) for v in values):
            total = values[0]
            for v in values[1:]:
                total = total + v
            return total
        return sympy.Add(*values)

    def mul(self, values):
        return sympy.Mul(*[self.lift(v) for v in values])

    def pow(self, base, exponent):
        return sympy.Pow(self.lift(base), self.lift(exponent))

    def scale(self, scalar, matrix):
        return matrix * self.lift(scalar)

    def matmul(self, a, b):
        if a.shape[1] != b.shape[0]:
            raise IllFormed(f"a matrix product of shapes {dims(a.shape)} and {dims(b.shape)} is not defined")
        return a * b

    def transpose(self, m):
        return m.T

    def inverse(self, m):
        return m.inv()

    def matpow(self, m, k: int):
        # Repeated squaring with plain products: SymPy's own m**k simplifies at
        # every step and takes seconds for a 2x2 parametrised matrix cubed.
        if k < 0:
            m, k = m.inv(), -k
        result, base = sympy.ImmutableMatrix(sympy.eye(m.rows)), m
        while k:
            if k & 1:
                result = result * base
            k >>= 1
            if k:
                base = base * base
        return result

    def identity(self, n):
        return sympy.ImmutableMatrix(sympy.eye(n))

    def zeros(self, r, c):
        return sympy.ImmutableMatrix(sympy.zeros(r, c))

    def ones(self, r, c):
        return sympy.ImmutableMatrix(sympy.ones(r, c))

    def element(self, value, positions):
        return value[positions] if not isinstance(value, sympy.MatrixBase) else value[positions[0], positions[1]]

    def function(self, cls, args):
        return cls(*[self.lift(a) for a in args])

    def maximum(self, values, largest=True):
        values = [self.lift(v) for v in values]
        return sympy.Max(*values) if largest else sympy.Min(*values)

    def piecewise(self, pairs):
        return sympy.Piecewise(*[(self.lift(v), c) for v, c in pairs])

    def compare(self, cls, a, b):
        return cls(self.lift(a), self.lift(b))

    def logic(self, op, values):
        return sympy.And(*values) if op == "and" else sympy.Or(*values)

    def negate(self, v):
        return sympy.Not(v)

    def elementwise(self, fn, m):
        return m.applyfunc(fn)

    def special(self, cls, args):
        return cls.explicit(*args)

    def sum_entries(self, m):
        return sum(m)


class MpmathBackend:
    """Numbers to ``dps`` significant digits (mpmath): the high-precision recheck.

    Far faster than building exact SymPy trees and evaluating them with N():
    each node is one mpmath operation.
    """

    name = "mpmath"

    def __init__(self, dps: int = 60):
        import mpmath

        self.mp = mpmath.MPContext()
        self.mp.dps = dps

    def lift(self, v):
        mp = self.mp
        if isinstance(v, bool):
            return v
        if isinstance(v, Fraction):
            return mp.mpf(v.numerator) / v.denominator
        if isinstance(v, int):
            return mp.mpf(v)
        if isinstance(v, sympy.Rational):
            return mp.mpf(int(v.p)) / int(v.q)
        if isinstance(v, sympy.MatrixBase):
            return mp.matrix([[self.lift(e) for e in row] for row in v.tolist()])
        if isinstance(v, np.ndarray) and v.dtype == object:
            return np.vectorize(self.lift, otypes=[object])(v)
        if isinstance(v, sympy.Basic):
            return mp.mpf(str(sympy.N(v, mp.dps + 5)))
        return v

    def number(self, expr):
        return self.lift(expr)

    def add(self, values):
        total = self.mp.mpf(0)
        first = True
        for v in values:
            v = self.lift(v)
            total = v if first else total + v
            first = False
        return total

    def mul(self, values):
        total = self.mp.mpf(1)
        for v in values:
            total = total * self.lift(v)
        return total

    def pow(self, base, exponent):
        return self.mp.power(self.lift(base), self.lift(exponent))

    def scale(self, scalar, matrix):
        return matrix * self.lift(scalar)

    def matmul(self, a, b):
        if a.cols != b.rows:
            raise IllFormed(f"a matrix product of shapes {a.rows}×{a.cols} and {b.rows}×{b.cols} is not defined")
        return a * b

    def transpose(self, m):
        return m.T

    def inverse(self, m):
        return self.mp.inverse(m)

    def matpow(self, m, k: int):
        return m**k

    def identity(self, n):
        return self.mp.eye(n)

    def zeros(self, r, c):
        return self.mp.zeros(r, c)

    def ones(self, r, c):
        return self.mp.ones(r, c)

    def element(self, value, positions):
        if isinstance(value, self.mp.matrix):
            return value[positions[0], positions[1]]
        return value[positions]

    _FUNCTIONS = {"exp": "exp", "log": "log", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "sin": "sin",
                  "cos": "cos", "Abs": "fabs", "floor": "floor", "ceiling": "ceil"}

    def function(self, cls, args):
        mp = self.mp
        args = [self.lift(a) for a in args]
        name = cls.__name__
        if name in self._FUNCTIONS:
            return getattr(mp, self._FUNCTIONS[name])(*args)
        if name == "sigmoid":
            return 1 / (1 + mp.exp(-args[0]))
        if name == "sign":
            return mp.sign(args[0])
        if name == "Heaviside":
            return mp.mpf(1) if args[0] > 0 else mp.mpf(0)
        if name == "Mod":
            return mp.fmod(args[0], args[1]) % args[1]
        raise EvaluationError(f"no high-precision form for function {name}")

    def maximum(self, values, largest=True):
        values = [self.lift(v) for v in values]
        return max(values) if largest else min(values)

    def piecewise(self, pairs):
        for value, cond in pairs:
            if cond is True or cond is sympy.true or (not isinstance(cond, sympy.Basic) and bool(cond)):
                return self.lift(value)
        return self.mp.nan

    def compare(self, cls, a, b):
        a, b = self.lift(a), self.lift(b)
        return {sympy.StrictLessThan: a < b, sympy.LessThan: a <= b, sympy.StrictGreaterThan: a > b,
                sympy.GreaterThan: a >= b, sympy.Equality: a == b, sympy.Unequality: a != b}[cls]

    def logic(self, op, values):
        return all(values) if op == "and" else any(values)

    def negate(self, v):
        return not v

    def elementwise(self, fn, m):
        out = self.mp.matrix(m.rows, m.cols)
        for i in range(m.rows):
            for j in range(m.cols):
                out[i, j] = self.lift(fn(m[i, j]))
        return out

    def hadamard(self, a, b):
        if (a.rows, a.cols) != (b.rows, b.cols):
            raise IllFormed(f"a Hadamard product of shapes {a.rows}×{a.cols} and {b.rows}×{b.cols} is not defined")
        out = self.mp.matrix(a.rows, a.cols)
        for i in range(a.rows):
            for j in range(a.cols):
                out[i, j] = a[i, j] * b[i, j]
        return out

    def special(self, cls, args):
        mp = self.mp
        name = cls.__name__
        if name == "Norm":
            (m,) = args
            if 1 in (m.rows, m.cols):
                return mp.sqrt(sum(m[i, j] ** 2 for i in range(m.rows) for j in range(m.cols)))
            return max(mp.svd_r(m, compute_uv=False))
        if name in ("KL", "JSD"):
            p, q = ([v for v in m] for m in args)
            kl = lambda a, b: sum(x * mp.log(x / y) for x, y in zip(a, b))
            if name == "KL":
                return kl(p, q)
            mid = [(x + y) / 2 for x, y in zip(p, q)]
            return (kl(p, mid) + kl(q, mid)) / 2
        if name == "Softmax":
            (m,) = args
            e = [mp.exp(v) for v in m]
            total = sum(e)
            out = mp.matrix(m.rows, m.cols)
            for k, v in enumerate(e):
                out[k] = v / total
            return out
        raise EvaluationError(f"no high-precision form for {name}")

    def sum_entries(self, m):
        return sum(m)

    def from_rows(self, rows):
        return self.mp.matrix([[self.lift(v) for v in row] for row in rows])
