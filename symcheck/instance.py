"""An entry at concrete sizes: explicit symbols, sampled points, evaluators.

At sizes {n: 3}, a declared vector X becomes the explicit column
(X[1], X[2], X[3]) of scalar symbols for the proof cascade, and an array of
shape (P, 3, 1) of sampled floats for the numeric side.  A symmetric matrix's
explicit form is symmetric (H[1,2] is H[2,1]) and a diagonal one is diagonal,
so proofs may use that structure.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from symcheck import domains
from symcheck.evaluation import Evaluator, NumpyBackend, SympyBackend, storage_shape
from symcheck.notation import Notation, Variable


def natural_shape(decl: Variable, sizes: dict) -> tuple:
    return tuple(sizes[s] if isinstance(s, str) else int(s) for s in decl.shape)


def _explicit(decl: Variable, sizes: dict):
    assumptions = decl.domain.assumptions
    shape = natural_shape(decl, sizes)
    o = decl.origin
    if decl.kind == "scalar":
        return sympy.Symbol(decl.name, **assumptions)
    if decl.kind == "vector":
        entries = [sympy.Symbol(f"{decl.name}[{k + o}]", **assumptions) for k in range(shape[0])]
        m = sympy.ImmutableMatrix(entries)
        return m.T if decl.layout == "row" else m
    if decl.kind == "matrix":
        rows, cols = shape

        def entry(i, j):
            if isinstance(decl.domain, domains.SymmetricPositiveDefinite) and j < i:
                i, j = j, i
            if isinstance(decl.domain, domains.PositiveDiagonal):
                if i != j:
                    return sympy.Integer(0)
                return sympy.Symbol(f"{decl.name}[{i + o},{i + o}]", positive=True)
            return sympy.Symbol(f"{decl.name}[{i + o},{j + o}]", **assumptions)

        return sympy.ImmutableMatrix(rows, cols, lambda i, j: entry(i, j))
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = sympy.Symbol(f"{decl.name}[{','.join(str(i + o) for i in idx)}]", **assumptions)
    return out


def _flat(value) -> list:
    if isinstance(value, sympy.MatrixBase):
        return list(value)
    if isinstance(value, np.ndarray):
        return list(value.ravel())
    return [value]


@dataclass
class Points:
    """P sampled points of an instance: one float array per variable."""

    values: dict
    count: int
    instance: "Instance"

    def row(self, k: int) -> dict:
        """Point k with vectors as 1-D arrays: what a NumPy oracle receives."""
        out = {}
        for name, value in self.values.items():
            decl = self.instance.notation.variable(name)
            v = value[k]
            out[name] = float(v) if decl.kind == "scalar" else v.reshape(natural_shape(decl, self.instance.sizes))
        return out

    def exact(self, k: int) -> dict:
        """Point k as exact values satisfying every domain constraint exactly."""
        out = {}
        for name, value in self.values.items():
            decl = self.instance.notation.variable(name)
            natural = natural_shape(decl, self.instance.sizes)
            exact = decl.domain.exact(np.asarray(value[k], dtype=float).reshape(natural))
            exact = np.asarray(exact, dtype=object)
            if decl.kind == "scalar":
                out[name] = exact.reshape(())[()]
            elif decl.kind in ("vector", "matrix"):
                out[name] = sympy.ImmutableMatrix(exact.reshape(storage_shape(decl, self.instance.sizes)).tolist())
            else:
                out[name] = exact.reshape(natural)
        return out

    def describe(self, k: int) -> dict:
        """Point k for a report: plain nested lists of floats."""
        out = {}
        for name, value in self.row(k).items():
            out[name] = value if isinstance(value, float) else np.round(value, 6).tolist()
        return out


class Instance:
    """An entry's notation at concrete sizes."""

    def __init__(self, notation: Notation, sizes: dict):
        self.notation = notation
        self.sizes = dict(sizes)
        self.explicit = {v.name: _explicit(v, self.sizes) for v in notation.variables}

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.sizes.items())

    def sympy_evaluator(self, keep: frozenset = frozenset()) -> Evaluator:
        return Evaluator(self.notation, SympyBackend(), self.explicit, self.sizes, keep)

    def exact_evaluator(self, exact_point: dict) -> Evaluator:
        return Evaluator(self.notation, SympyBackend(), exact_point, self.sizes)

    def numpy_evaluator(self, points: Points) -> Evaluator:
        return Evaluator(self.notation, NumpyBackend(points.count), points.values, self.sizes)

    def sample(self, rng: np.random.Generator, count: int) -> Points:
        values = {}
        for decl in self.notation.variables:
            natural = natural_shape(decl, self.sizes)
            drawn = decl.domain.sample(rng, natural, count)
            values[decl.name] = drawn.reshape((count, *storage_shape(decl, self.sizes)))
        return Points(values, count, self)

    def substitution(self, exact_point: dict) -> dict:
        """{explicit symbol: exact value} for a point."""
        subs = {}
        for name, explicit in self.explicit.items():
            for sym, val in zip(_flat(explicit), _flat(exact_point[name])):
                if isinstance(sym, sympy.Symbol):
                    subs[sym] = sympy.sympify(val)
        return subs

    def explicit_numpy_values(self, points: Points) -> dict:
        """{explicit symbol name: (P,) array}: evaluates explicit expressions numerically."""
        out = {}
        for name, explicit in self.explicit.items():
            value = points.values[name].reshape(points.count, -1)
            for k, sym in enumerate(_flat(explicit)):
                if isinstance(sym, sympy.Symbol):
                    out[sym.name] = value[:, k]
        return out

    def constraints(self) -> dict:
        """Substitutions that hold on every variable's domain (the simplex)."""
        out = {}
        for decl in self.notation.variables:
            out.update(decl.domain.constraint(_flat(self.explicit[decl.name])))
        return out
