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

from symcheck.domains import explicit_form
from symcheck.evaluation import Evaluator, MpmathBackend, NumpyBackend, SympyBackend, flatten, storage_shape
from symcheck.notation import Notation, Variable, dimension_value


def natural_shape(decl: Variable, sizes: dict) -> tuple:
    return tuple(dimension_value(s, sizes) for s in decl.shape)


def _storage(decl: Variable, structure: np.ndarray, sizes: dict):
    """A natural-shape object array in the form the evaluator stores it."""
    if decl.kind == "scalar":
        return structure.reshape(())[()]
    if decl.kind in ("vector", "matrix"):
        return sympy.ImmutableMatrix(structure.reshape(storage_shape(decl, sizes)).tolist())
    return structure



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

    def parameters(self, name: str, k: int, exact: bool) -> list:
        decl = self.instance.notation.variable(name)
        natural = natural_shape(decl, self.instance.sizes)
        return decl.domain.parameters(np.asarray(self.values[name][k], dtype=float).reshape(natural), exact)

    def exact(self, k: int) -> dict:
        """Point k as exact values: each domain's parametrisation at exact
        parameters, so every constraint holds exactly."""
        subs = self.instance.substitution(self, k)
        out = {}
        for name, explicit in self.instance.explicit.items():
            if isinstance(explicit, sympy.MatrixBase):
                out[name] = explicit.xreplace(subs)
            elif isinstance(explicit, np.ndarray):
                out[name] = np.vectorize(lambda e: sympy.sympify(e).xreplace(subs), otypes=[object])(explicit)
            else:
                out[name] = sympy.sympify(explicit).xreplace(subs)
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
        self._explicit = None

    def _build(self) -> None:
        # Built on first use: the numeric side at random sizes never needs it.
        self._explicit, self._parameters, self._relations = {}, {}, []
        for decl in self.notation.variables:
            structure, params, relations = explicit_form(decl.domain, decl.name, natural_shape(decl, self.sizes),
                                                         decl.origin)
            self._explicit[decl.name] = _storage(decl, structure, self.sizes)
            self._parameters[decl.name] = params
            self._relations.extend(relations)

    @property
    def explicit(self) -> dict:
        """{variable name: its explicit form (symbols of the domain's parametrisation)}."""
        if self._explicit is None:
            self._build()
        return self._explicit

    @property
    def parameters(self) -> dict:
        if self._explicit is None:
            self._build()
        return self._parameters

    @property
    def relations(self) -> list:
        if self._explicit is None:
            self._build()
        return self._relations

    def label(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.sizes.items())

    def sympy_evaluator(self, keep: frozenset = frozenset()) -> Evaluator:
        return Evaluator(self.notation, SympyBackend(), self.explicit, self.sizes, keep)

    def exact_evaluator(self, exact_point: dict) -> Evaluator:
        return Evaluator(self.notation, SympyBackend(), exact_point, self.sizes)

    def mpmath_evaluator(self, points: Points, k: int) -> Evaluator:
        """Point k (exact) evaluated in high precision (mpmath, 60 digits)."""
        backend = MpmathBackend()
        values = {name: backend.lift(value) for name, value in points.exact(k).items()}
        return Evaluator(self.notation, backend, values, self.sizes)

    def mpmath_parameter_evaluator(self, points: Points, k: int) -> Evaluator:
        """Evaluates explicit expressions (in parameter symbols) at point k, in mpmath."""
        backend = MpmathBackend()
        values = {p.name: backend.lift(v) for p, v in self.substitution(points, k).items()}
        return Evaluator(self.notation, backend, values, self.sizes)

    def numpy_evaluator(self, points: Points) -> Evaluator:
        return Evaluator(self.notation, NumpyBackend(points.count), points.values, self.sizes)

    def sample(self, rng: np.random.Generator, count: int) -> Points:
        values = {}
        for decl in self.notation.variables:
            natural = natural_shape(decl, self.sizes)
            drawn = decl.domain.sample(rng, natural, count)
            values[decl.name] = drawn.reshape((count, *storage_shape(decl, self.sizes)))
        return Points(values, count, self)

    def substitution(self, points: Points, k: int) -> dict:
        """{parameter symbol: exact value} at point k."""
        subs = {}
        for name, params in self.parameters.items():
            subs.update(zip(params, points.parameters(name, k, exact=True)))
        return subs

    def explicit_numpy_values(self, points: Points) -> dict:
        """{parameter name: (P,) array}: evaluates explicit expressions numerically."""
        out = {}
        for name, params in self.parameters.items():
            columns = [points.parameters(name, k, exact=False) for k in range(points.count)]
            for j, p in enumerate(params):
                out[p.name] = np.array([float(c[j]) for c in columns])
        return out
