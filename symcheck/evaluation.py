"""Evaluate a claim's SymPy tree at concrete sizes, with one of two backends.

* :class:`NumpyBackend` evaluates at a batch of P points at once: a scalar is an
  array of shape (P,), a matrix an array of shape (P, r, c).  This is the numeric
  side: vectorised over points, no Python loop per point.
* :class:`SympyBackend` evaluates to explicit SymPy objects: with symbols for
  values it *instantiates* a claim at a concrete size (sums unrolled, X[i] made a
  scalar symbol, matrices made explicit) for the proof cascade; with exact
  rationals for values it computes the exact value used by high-precision
  rechecks.

Index arithmetic (``i - u + 1``, ``j % 3``, ``j // 3``) is done exactly with
Python ints and Fractions whichever backend is used.
"""
from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError
from sympy.matrices.expressions import MatrixExpr
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck import vocabulary as voc
from symcheck.errors import EvaluationError, IllFormed
from symcheck.notation import Definition, Notation, Variable

Exact = (int, Fraction)


def dims(shape) -> str:
    """A shape for messages: 3×2, or "scalar"."""
    return "×".join(map(str, shape)) if len(shape) else "scalar"


def flatten(value) -> list:
    """The entries of an explicit value (SymPy matrix, object array or scalar), row-major."""
    if isinstance(value, sympy.MatrixBase):
        return list(value)
    if isinstance(value, np.ndarray):
        return list(value.ravel())
    return [value]


def storage_shape(decl, sizes: dict) -> tuple:
    """The array shape a variable's value has at concrete sizes (vectors as n×1 or 1×n)."""
    from symcheck.notation import dimension_value

    dims = tuple(dimension_value(s, sizes) for s in decl.shape)
    if len(dims) == 1:
        return (1, dims[0]) if getattr(decl, "layout", "column") == "row" else (dims[0], 1)
    return dims


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


class Evaluator:
    """Evaluates SymPy trees under one notation, at concrete sizes and values.

    ``values`` maps each variable name to its backend value (see
    :func:`storage_shape`).  Definitions are evaluated on demand and cached;
    with the SymPy backend, the definitions named in ``keep`` stay as symbols
    (the proof cascade eliminates them itself).
    """

    def __init__(self, notation: Notation, backend, values: dict, sizes: dict, keep: frozenset = frozenset()):
        self.notation = notation
        self.backend = backend
        self.values = values
        self.sizes = dict(sizes)
        self.keep = keep
        self._definitions: dict = {}
        # Explicit expressions share subtrees heavily (a derivative repeats its
        # forward pass); with no index bound, a subtree's value is fixed.
        self._memo: dict = {}

    # -- public ---------------------------------------------------------------
    def __call__(self, expr, indices: dict | None = None):
        try:
            return self.eval(sympy.sympify(expr) if not isinstance(expr, sympy.Basic) else expr, indices or {})
        except (ShapeError, NonSquareMatrixError) as error:
            # SymPy's explicit matrices check shapes themselves; in a claim an
            # ill-typed operation refutes it, in the user's terms
            raise IllFormed(f"an operation on matrices of incompatible shapes ({_shapes_of(error)})") from None

    def kept_symbol(self, definition: Definition, idx: tuple = ()) -> sympy.Symbol:
        suffix = "_" + "_".join(map(str, idx)) if idx else ""
        return sympy.Symbol(definition.name + suffix, **definition.domain.assumptions)

    # -- dispatch -------------------------------------------------------------
    def eval(self, expr, env: dict):
        if not env and expr in self._memo:
            return self._memo[expr]
        for cls in type(expr).__mro__:
            handler = _HANDLERS.get(cls)
            if handler is not None:
                value = handler(self, expr, env)
                if not env:
                    self._memo[expr] = value
                return value
        raise EvaluationError(_unreadable(expr))

    def ints(self, exprs, env) -> list:
        out = []
        for e in exprs:
            v = self.eval(e, env)
            if isinstance(v, Fraction) and v.denominator == 1:
                v = int(v)
            if not isinstance(v, int):
                raise EvaluationError(f"index {e} does not evaluate to an integer")
            out.append(v)
        return out

    # -- leaves -----------------------------------------------------------------
    def number(self, expr, env):
        exact = _exact_number(expr)
        return exact if exact is not None else self.backend.number(expr)

    def symbol(self, expr, env):
        if expr in env:
            return env[expr]
        name = expr.name
        if name in self.sizes:
            return self.sizes[name]
        if name in self.values:
            return self.values[name]
        definition = self.notation.definition(name)
        if definition is not None:
            return self.definition(definition, ())
        raise EvaluationError(f"no value for symbol {name!r}")

    def matrix_symbol(self, expr, env):
        name = expr.name
        if name in self.values:
            return self.values[name]
        definition = self.notation.definition(name)
        if definition is not None:
            return self.definition(definition, ())
        raise EvaluationError(f"no value for matrix {name!r}")

    def definition(self, definition: Definition, idx: tuple):
        key = (definition.name, idx)
        if key not in self._definitions:
            if definition.name in self.keep:
                value = self.kept_symbol(definition, idx)
            else:
                from symcheck.text_syntax import parse_claim

                expr = _parsed_definition(self.notation, definition)
                env = {sympy.Symbol(p, integer=True): v for p, v in zip(definition.params, idx)}
                env.update({sympy.Symbol(p): v for p, v in zip(definition.params, idx)})
                value = self.eval(expr, env)
            self._definitions[key] = value
        return self._definitions[key]

    def indexed(self, expr, env):
        name = expr.base.label.name
        idx = tuple(self.ints(expr.indices, env))
        decl = self.notation.variable(name)
        if decl is None:
            definition = self.notation.definition(name)
            if definition is None:
                raise EvaluationError(f"{name!r} is not declared")
            if definition.is_matrix:
                value = self.definition(definition, ())
                positions = tuple(i - 1 for i in idx)
                return self.backend.element(value, positions if len(positions) == 2 else (positions[0], 0))
            return self.definition(definition, idx)
        shape = storage_shape(decl, self.sizes)
        positions = tuple(i - decl.origin for i in idx)
        if decl.kind == "vector":
            positions = (0, positions[0]) if decl.layout == "row" else (positions[0], 0)
        if any(p < 0 or p >= d for p, d in zip(positions, shape)):
            if decl.zero_outside:
                return 0
            raise IllFormed(f"index {name}[{', '.join(map(str, idx))}] is outside its range "
                            f"(origin {decl.origin}, shape {shape})")
        return self.backend.element(self.values[name], positions)

    # -- scalar arithmetic ----------------------------------------------------
    def add(self, expr, env):
        values = [self.eval(a, env) for a in expr.args]
        if all(isinstance(v, Exact) for v in values):
            return sum(values)
        return self.backend.add(values)

    def mul(self, expr, env):
        values = [self.eval(a, env) for a in expr.args]
        if all(isinstance(v, Exact) for v in values):
            out = 1
            for v in values:
                out = out * v
            return out
        return self.backend.mul(values)

    def pow(self, expr, env):
        base, exponent = self.eval(expr.base, env), self.eval(expr.exp, env)
        if isinstance(base, Exact) and isinstance(exponent, int):
            if base == 0 and exponent < 0:
                raise EvaluationError("division by zero")
            return Fraction(base) ** exponent if exponent < 0 else base**exponent
        return self.backend.pow(base, exponent)

    def mod(self, expr, env):
        a, b = (self.eval(x, env) for x in expr.args)
        if isinstance(a, Exact) and isinstance(b, Exact):
            return a % b
        return np.mod(a, b) if self.backend.name == "numpy" else self.backend.function(sympy.Mod, [a, b])

    def rounding(self, expr, env):
        (a,) = (self.eval(x, env) for x in expr.args)
        if isinstance(a, Exact):
            import math

            return math.floor(a) if isinstance(expr, sympy.floor) else math.ceil(a)
        return self.backend.function(type(expr), [a])

    def function(self, expr, env):
        return self.backend.function(type(expr), [self.eval(a, env) for a in expr.args])

    def extremum(self, expr, env):
        values = [self.eval(a, env) for a in expr.args]
        if all(isinstance(v, Exact) for v in values):
            return max(values) if isinstance(expr, sympy.Max) else min(values)
        return self.backend.maximum(values, isinstance(expr, sympy.Max))

    def kronecker(self, expr, env):
        a, b = (self.eval(x, env) for x in expr.args)
        if isinstance(a, Exact) and isinstance(b, Exact):
            return int(a == b)
        return self.backend.piecewise([(1, self.backend.compare(sympy.Equality, a, b)), (0, True)])

    def piecewise(self, expr, env):
        pairs = []
        for value, cond in expr.args:
            c = self.eval(cond, env)
            if c is True or c is sympy.true:
                pairs.append((self.eval(value, env), True))
                break
            if c is False or c is sympy.false:
                continue
            pairs.append((self.eval(value, env), c))
        if len(pairs) == 1 and pairs[0][1] is True:
            return pairs[0][0]
        return self.backend.piecewise(pairs)

    def relational(self, expr, env):
        a, b = self.eval(expr.lhs, env), self.eval(expr.rhs, env)
        cls = type(expr)
        if isinstance(a, Exact) and isinstance(b, Exact):
            return {sympy.StrictLessThan: a < b, sympy.LessThan: a <= b, sympy.StrictGreaterThan: a > b,
                    sympy.GreaterThan: a >= b, sympy.Equality: a == b, sympy.Unequality: a != b}[cls]
        return self.backend.compare(cls, a, b)

    def boolean(self, expr, env):
        if isinstance(expr, sympy.Not):
            v = self.eval(expr.args[0], env)
            return (not v) if isinstance(v, bool) else self.backend.negate(v)
        values = [self.eval(a, env) for a in expr.args]
        op = "and" if isinstance(expr, sympy.And) else "or"
        if all(isinstance(v, bool) for v in values):
            return all(values) if op == "and" else any(values)
        return self.backend.logic(op, values)

    def constant_bool(self, expr, env):
        return bool(expr)

    def big_operator(self, expr, env):
        is_sum = isinstance(expr, sympy.Sum)
        if not is_sum and isinstance(expr.function, MatrixExpr):
            return self._matrix_product(expr.function, list(expr.limits), env)
        return self._loop(expr.function, list(expr.limits), env, is_sum)

    def _matrix_product(self, body, limits, env):
        """Product of matrices over an index: the matrix product, in index order."""
        (var, low, high), = limits
        lo, hi = self.ints([low, high], env)
        product = None
        for k in range(lo, hi + 1):
            inner = {**env, var: k, sympy.Symbol(var.name): k, sympy.Symbol(var.name, integer=True): k}
            factor = self.eval(body, inner)
            product = factor if product is None else self.backend.matmul(product, factor)
        if product is None:
            raise IllFormed("an empty product of matrices")
        return product

    def _loop(self, body, limits, env, is_sum):
        if not limits:
            return self.eval(body, env)
        (var, low, high), rest = limits[0], limits[1:]
        lo, hi = self.ints([low, high], env)
        terms = []
        for k in range(lo, hi + 1):
            inner = dict(env)
            inner[var] = k
            inner[sympy.Symbol(var.name)] = k
            inner[sympy.Symbol(var.name, integer=True)] = k
            terms.append(self._loop(body, rest, inner, is_sum))
        if not terms:
            return 0 if is_sum else 1
        if all(isinstance(t, Exact) for t in terms):
            out = 0 if is_sum else 1
            for t in terms:
                out = out + t if is_sum else out * t
            return out
        return self.backend.add(terms) if is_sum else self.backend.mul(terms)

    def tuple_(self, expr, env):
        return tuple(self.eval(a, env) for a in expr.args)

    # -- matrices ---------------------------------------------------------------
    def mat_add(self, expr, env):
        values = [self.eval(a, env) for a in expr.args]
        return self.backend.add(values)

    def mat_mul(self, expr, env):
        scalars, matrices = [], []
        for a in expr.args:
            (matrices if isinstance(a, MatrixExpr) else scalars).append(self.eval(a, env))
        product = matrices[0]
        for m in matrices[1:]:
            product = self.backend.matmul(product, m)
        if scalars:
            factor = scalars[0] if len(scalars) == 1 else self.backend.mul(scalars)
            product = self.backend.scale(factor, product)
        return product

    def transpose(self, expr, env):
        return self.backend.transpose(self.eval(expr.arg, env))

    def inverse(self, expr, env):
        return self.backend.inverse(self.eval(expr.arg, env))

    def mat_pow(self, expr, env):
        (k,) = self.ints([expr.exp], env)
        base = self.eval(expr.base, env)
        rows, cols = matrix_dims(base) or (1, 1)
        if rows != cols:  # v*v for a column v reads as a power: not defined
            raise IllFormed(f"a power of a {rows}×{cols} matrix is not defined (only square matrices have powers)")
        return self.backend.matpow(base, k)

    def hadamard(self, expr, env):
        values = [self.eval(a, env) for a in expr.args]
        if self.backend.name == "numpy":
            _same_matrix_shapes("a Hadamard product", values)
        out = values[0]
        for v in values[1:]:
            if self.backend.name == "numpy":
                out = self.backend.mul([out, v])
            elif self.backend.name == "mpmath":
                out = self.backend.hadamard(out, v)
            else:
                out = out.multiply_elementwise(v)
        return out

    def hadamard_power(self, expr, env):
        base, exponent = self.eval(expr.base, env), self.eval(expr.exp, env)
        return self.backend.elementwise(lambda v: self.backend.pow(v, exponent), base)

    def diagonal_matrix(self, expr, env):
        vector = self.eval(expr.args[0], env)
        if self.backend.name == "numpy":
            flat = vector.reshape(vector.shape[0], -1) if vector.ndim == 3 else vector.reshape(1, -1)
            return flat[..., :, None] * np.eye(flat.shape[-1])
        entries = list(vector)
        if self.backend.name == "mpmath":
            return self.backend.mp.diag(entries)
        return sympy.ImmutableMatrix(sympy.diag(*entries))

    def identity(self, expr, env):
        (n,) = self.ints([expr.rows], env)
        return self.backend.identity(n)

    def zero_matrix(self, expr, env):
        r, c = self.ints([expr.rows, expr.cols], env)
        return self.backend.zeros(r, c)

    def one_matrix(self, expr, env):
        r, c = self.ints([expr.rows, expr.cols], env)
        return self.backend.ones(r, c)

    def function_matrix(self, expr, env):
        r, c = self.ints([expr.rows, expr.cols], env)
        i, j = expr.lamda.variables
        rows = [[self.eval(expr.lamda.expr, {**env, i: a, j: b}) for b in range(c)] for a in range(r)]
        return self._matrix_from_rows(rows)

    def matrix_element(self, expr, env):
        value = self.eval(expr.parent, env)
        i, j = self.ints([expr.i, expr.j], env)
        return self.backend.element(value, (i, j))

    def elementwise(self, expr, env):
        fn = expr.function
        (var,) = fn.variables

        def apply(value):
            inner = dict(env)
            inner[var] = value
            return self.eval(fn.expr, inner)

        return self.backend.elementwise(apply, self.eval(expr.expr, env))

    def trace(self, expr, env):
        value = self.eval(expr.arg, env)
        if self.backend.name == "numpy":
            return np.trace(value, axis1=-2, axis2=-1)
        if self.backend.name == "mpmath":
            return sum(value[i, i] for i in range(value.rows))
        return value.trace()

    def explicit_matrix(self, expr, env):
        rows = [[self.eval(e, env) for e in row] for row in expr.tolist()]
        return self._matrix_from_rows(rows)

    def _matrix_from_rows(self, rows):
        if self.backend.name == "numpy":
            return np.stack([np.stack([np.broadcast_to(np.asarray(self.backend.lift(v), float), (self.backend.count,))
                                       for v in row], axis=-1) for row in rows], axis=-2)
        if self.backend.name == "mpmath":
            return self.backend.from_rows(rows)
        return sympy.ImmutableMatrix([[self.backend.lift(v) for v in row] for row in rows])

    def special(self, expr, env):
        return self.backend.special(type(expr), [self.eval(a, env) for a in expr.args])

    def normal_expectation(self, expr, env):
        body, z, mean, std = expr.args
        m, s = self.eval(mean, env), self.eval(std, env)
        if self.backend.name == "sympy":
            variable = sympy.Symbol(z.name, real=True)
            inner = dict(env)
            inner[z] = variable
            integrand = self.eval(body, inner)
            return voc.NormalExpectation.moments(integrand, variable, self.backend.lift(m), self.backend.lift(s))
        if self.backend.name == "mpmath":
            raise EvaluationError("a Gaussian expectation is evaluated exactly, not in mpmath")
        nodes, weights = np.polynomial.hermite.hermgauss(voc.HERMITE_NODES)
        total = 0.0
        for node, weight in zip(nodes, weights):
            inner = dict(env)
            inner[z] = self.backend.lift(m) + self.backend.lift(s) * np.sqrt(2.0) * node
            total = total + weight * np.asarray(self.eval(body, inner), dtype=float)
        return total / np.sqrt(np.pi)


_PARSED: dict = {}


def _parsed_definition(notation: Notation, definition: Definition):
    if definition.parsed is not None:  # read from LaTeX by a document
        return definition.parsed
    key = (id(notation), definition.name)
    if key not in _PARSED:
        from symcheck.text_syntax import parse_claim

        _PARSED[key] = parse_claim(definition.text, notation, what=f"definition of {definition.name}",
                                   params=definition.params)
    return _PARSED[key]


_HANDLERS: dict[type, Any] = {
    sympy.Number: Evaluator.number,
    sympy.NumberSymbol: Evaluator.number,
    sympy.Symbol: Evaluator.symbol,
    sympy.Dummy: Evaluator.symbol,
    sympy.MatrixSymbol: Evaluator.matrix_symbol,
    sympy.Indexed: Evaluator.indexed,
    sympy.Add: Evaluator.add,
    sympy.Mul: Evaluator.mul,
    sympy.Pow: Evaluator.pow,
    sympy.Mod: Evaluator.mod,
    sympy.floor: Evaluator.rounding,
    sympy.ceiling: Evaluator.rounding,
    sympy.Max: Evaluator.extremum,
    sympy.Min: Evaluator.extremum,
    sympy.KroneckerDelta: Evaluator.kronecker,
    sympy.Piecewise: Evaluator.piecewise,
    sympy.core.relational.Relational: Evaluator.relational,
    sympy.And: Evaluator.boolean,
    sympy.Or: Evaluator.boolean,
    sympy.Not: Evaluator.boolean,
    sympy.logic.boolalg.BooleanTrue: Evaluator.constant_bool,
    sympy.logic.boolalg.BooleanFalse: Evaluator.constant_bool,
    sympy.Sum: Evaluator.big_operator,
    sympy.Product: Evaluator.big_operator,
    sympy.Tuple: Evaluator.tuple_,
    sympy.MatAdd: Evaluator.mat_add,
    sympy.MatMul: Evaluator.mat_mul,
    sympy.Transpose: Evaluator.transpose,
    sympy.Inverse: Evaluator.inverse,
    sympy.MatPow: Evaluator.mat_pow,
    sympy.HadamardProduct: Evaluator.hadamard,
    sympy.HadamardPower: Evaluator.hadamard_power,
    sympy.matrices.expressions.diagonal.DiagMatrix: Evaluator.diagonal_matrix,
    sympy.Identity: Evaluator.identity,
    sympy.ZeroMatrix: Evaluator.zero_matrix,
    sympy.OneMatrix: Evaluator.one_matrix,
    sympy.FunctionMatrix: Evaluator.function_matrix,
    sympy.matrices.expressions.matexpr.MatrixElement: Evaluator.matrix_element,
    ElementwiseApplyFunction: Evaluator.elementwise,
    sympy.Trace: Evaluator.trace,
    sympy.ImmutableDenseMatrix: Evaluator.explicit_matrix,
    voc.Norm: Evaluator.special,
    voc.KL: Evaluator.special,
    voc.JSD: Evaluator.special,
    voc.Softmax: Evaluator.special,
    voc.NormalExpectation: Evaluator.normal_expectation,
    sympy.Function: Evaluator.function,
}


def scalarize(value):
    """A 1×1 matrix (wᵀw) is a scalar; anything else is returned as it is."""
    if isinstance(value, sympy.MatrixBase) and value.shape == (1, 1):
        return value[0, 0]
    return value


def as_batch(value, count: int, shape: tuple = ()) -> np.ndarray:
    """A NumPy-backend value as a float array of shape (count, *shape)."""
    if isinstance(value, (Fraction, int)) and not isinstance(value, bool):
        value = NumpyBackend(count).lift(value)
    arr = np.asarray(value, dtype=float)
    target = (count, *shape)
    if arr.shape == target:
        return arr
    if arr.shape == shape:
        return np.broadcast_to(arr, target).copy()
    try:
        return np.broadcast_to(arr.reshape(arr.shape + (1,) * 0), target).copy()
    except ValueError:
        raise EvaluationError(f"value of shape {arr.shape[1:] if arr.ndim else ()} where shape {shape} was expected")


def as_object_array(value) -> np.ndarray:
    """A SymPy-backend value as an object array (scalars become shape ())."""
    if isinstance(value, sympy.MatrixBase):
        return np.array(value.tolist(), dtype=object)
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, Fraction):
        value = sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, int):
        value = sympy.Integer(value)
    out = np.empty((), dtype=object)
    out[()] = value
    return out
