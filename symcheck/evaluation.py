"""Evaluate a claim's SymPy tree at concrete sizes, with one of the backends of backends.py.

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

from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from sympy.matrices.exceptions import NonSquareMatrixError, ShapeError
from sympy.matrices.expressions import MatrixExpr
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck import vocabulary as voc
from symcheck.errors import EvaluationError, IllFormed
from symcheck.backends import (Exact, MpmathBackend, NumpyBackend, SympyBackend, _exact_number,  # noqa: F401
                               _same_matrix_shapes, _shapes_of, _unreadable, dims, matrix_dims)
from symcheck.notation import Definition, Notation


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
