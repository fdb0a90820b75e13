"""Gradient questions: "write ∂E/∂x in terms of ∂E/∂y".

The question gives the forward model twice, independently:

* ``forward``: in the entry's notation (text syntax).  The engine differentiates
  it with SymPy at each size: that derivative is the reference.
* ``oracle``: a NumPy function of the variables, following the batch contract
  of gradcheck.py on the differentiated argument.  Finite differences of it are
  the numeric evidence.

With ``upstream`` (the name of ∂E/∂y), the scalar differentiated is
E = Σ upstream ⊙ forward: E is linear in y, so ∂E/∂x is exactly the
vector-Jacobian product a backward pass computes.  Without it, a scalar forward
is differentiated directly and a non-scalar one gives its Jacobian
(output axes first).

``wrt`` names a variable, or a definition: then the partial derivative treats
the definition as an independent input (∂L/∂μ holding X fixed) and is evaluated
where the definition says (μ = mean of X).  ``transform`` (text in ``_``) maps
each entry of the gradient, e.g. "sign(_)" to ask only for signs.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy

from symcheck.errors import EntryError
from symcheck.evaluation import as_batch, flatten, scalarize
from symcheck.gradcheck import numeric_jacobian
from symcheck.instance import Instance, Points, natural_shape
from symcheck.questions.base import Question
from symcheck.text_syntax import parse_claim



def _natural(value) -> np.ndarray:
    """An explicit value as an object array of its natural shape (vectors 1-D)."""
    if isinstance(value, sympy.MatrixBase):
        arr = np.array(value.tolist(), dtype=object)
        return arr.reshape(-1) if 1 in arr.shape else arr
    if isinstance(value, np.ndarray):
        return value
    out = np.empty((), dtype=object)
    out[()] = value
    return out


@dataclass
class Gradient(Question):
    forward: str
    wrt: str
    oracle: Callable
    upstream: str | None = None
    index: tuple = ()
    origin: int | tuple = 1
    shape: tuple | None = None
    transform: str | None = None
    #: the forward model already read into SymPy (a document's LaTeX); ``forward`` then holds
    #: that LaTeX for display
    model: object = field(default=None, repr=False, compare=False)
    kind: str = field(default="gradient", init=False)

    def bind(self, entry) -> None:
        super().bind(entry)
        nt = self.notation
        self._forward = self.model if self.model is not None else self.parse_model(self.forward, "the forward model")
        self._wrt_decl = nt.variable(self.wrt) or nt.definition(self.wrt)
        if self._wrt_decl is None:
            raise EntryError(f"entry {entry.id!r}: wrt={self.wrt!r} names no variable or definition")
        if self.upstream is not None and nt.variable(self.upstream) is None:
            raise EntryError(f"entry {entry.id!r}: upstream={self.upstream!r} names no variable")
        self._transform = (parse_claim(self.transform, nt, what="the transform", params=("_",))
                           if self.transform else None)
        self._oracle_args = self.oracle_arguments(self.oracle)
        if self.wrt not in self._oracle_args:
            raise EntryError(f"entry {entry.id!r}: the oracle must take the differentiated variable {self.wrt!r}")
        if isinstance(self.origin, int) and self.index:
            self.origin = (self.origin,) * len(self.index) if self.shape else tuple(
                getattr(self._wrt_decl, "origin", 1) for _ in self.index)

    # -- shapes -----------------------------------------------------------------
    def _wrt_shape(self, inst: Instance) -> tuple:
        decl = self._wrt_decl
        if hasattr(decl, "kind"):
            return natural_shape(decl, inst.sizes)
        return tuple(inst.sizes[s] if isinstance(s, str) else s for s in decl.shape)

    def quantity_shape(self, inst: Instance) -> tuple:
        if self.shape is not None:
            return tuple(inst.sizes[s] if isinstance(s, str) else int(s) for s in self.shape)
        return self._natural_shape(inst)

    def layout(self, inst: Instance) -> str | None:
        """A gradient vector has the layout of its variable (sheet 002 Q1.1 is
        about exactly that), except under a row upstream gradient, whose
        vector-Jacobian product is a row (numerator layout, sheet 000 §2)."""
        if self.shape is not None or len(self.quantity_shape(inst)) != 1:
            return None
        upstream = self.notation.variable(self.upstream) if self.upstream else None
        if upstream is not None and len(upstream.shape) == 1 and upstream.layout == "row":
            return "row"
        decl = self._wrt_decl
        if len(getattr(decl, "shape", ())) == 1 and hasattr(decl, "layout"):
            return decl.layout
        return None

    def _natural_shape(self, inst: Instance) -> tuple:
        """Output shape (none with an upstream) followed by the wrt shape,
        from the abstract model: no symbolic work at large sizes."""
        return self._output_shape(inst) + self._wrt_shape(inst)

    def _output_shape(self, inst: Instance) -> tuple:
        if self.upstream is not None or not isinstance(self._forward, sympy.MatrixExpr):
            return ()
        sizes = {sympy.Symbol(k, integer=True, positive=True): v for k, v in inst.sizes.items()}
        rows, cols = (int(sympy.sympify(d).xreplace(sizes)) for d in self._forward.shape)
        if (rows, cols) == (1, 1):
            return ()
        return (rows * cols,) if 1 in (rows, cols) else (rows, cols)

    # -- reference --------------------------------------------------------------
    def _wrt_symbols(self, inst: Instance) -> list:
        if self.notation.variable(self.wrt) is not None:
            return flatten(inst.explicit[self.wrt])
        return [sympy.Symbol(self.wrt, **self._wrt_decl.domain.assumptions)]

    def _raw_reference(self, inst: Instance) -> np.ndarray:
        is_definition = self.notation.variable(self.wrt) is None
        ev = inst.sympy_evaluator(frozenset({self.wrt}) if is_definition else frozenset())
        output = scalarize(ev(self._forward))
        if self.upstream is not None:
            up = inst.explicit[self.upstream]
            terms = [u * y for u, y in zip(flatten(up), flatten(output))]
            if len(flatten(up)) != len(flatten(output)):
                raise EntryError(f"entry {self.entry.id!r}: upstream {self.upstream!r} and the forward output "
                                 f"have different sizes")
            output = sympy.Add(*terms)
        out = _natural(output)
        wrt = self._wrt_symbols(inst)
        grad = np.empty(out.shape + (len(wrt),), dtype=object)
        for idx in np.ndindex(out.shape):
            for k, w in enumerate(wrt):
                grad[idx + (k,)] = sympy.diff(out[idx], w)
        grad = grad.reshape(out.shape + self._wrt_shape(inst))
        if is_definition:
            value = inst.sympy_evaluator()(sympy.Symbol(self.wrt))
            kept = wrt[0]
            for idx in np.ndindex(grad.shape):
                grad[idx] = grad[idx].xreplace({kept: value})
        if self._transform is not None:
            for idx in np.ndindex(grad.shape):
                grad[idx] = self._transform.xreplace({sympy.Symbol("_"): grad[idx]})
        return grad

    def derive_reference(self, inst: Instance) -> np.ndarray:
        return self._raw_reference(inst).reshape(self.quantity_shape(inst))

    # -- oracle -----------------------------------------------------------------
    def oracle_values(self, inst: Instance, points: Points) -> np.ndarray:
        shape = self.quantity_shape(inst)
        definitions = self._definition_values(inst, points)
        out = np.empty((points.count, *shape))
        for k in range(points.count):
            row = points.row(k)
            row.update(inst.sizes)  # an oracle may name a size, e.g. L
            row.update({name: values[k] for name, values in definitions.items()})
            kwargs = {a: row[a] for a in self._oracle_args if a != self.wrt}
            x0 = np.asarray(row[self.wrt], dtype=float)
            upstream = row.get(self.upstream) if self.upstream else None

            def scalar(batch, kwargs=kwargs, upstream=upstream):
                y = np.asarray(self.oracle(**kwargs, **{self.wrt: batch}), dtype=float)
                if upstream is None:
                    return y
                axes = tuple(range(1, y.ndim))
                return (np.asarray(upstream) * y).sum(axis=axes)

            jac = numeric_jacobian(scalar, x0)
            if self._transform is not None:
                ev = inst.numpy_evaluator(points)
                jac = np.asarray(ev(self._transform, {sympy.Symbol("_"): jac}), dtype=float)
            out[k] = jac.reshape(shape)
        return out

    def _definition_values(self, inst: Instance, points: Points) -> dict:
        wanted = [a for a in self._oracle_args if self.notation.definition(a) is not None]
        if not wanted:
            return {}
        ev = inst.numpy_evaluator(points)
        out = {}
        for name in wanted:
            d = self.notation.definition(name)
            value = ev(self.notation.abstract(name))
            out[name] = (as_batch(value, points.count) if not d.is_matrix else np.asarray(value))
        return out

    def describe(self) -> dict:
        return {"kind": self.kind, "forward": self.forward, "wrt": self.wrt, "upstream": self.upstream,
                "transform": self.transform, "free indices": list(self.index)}
