"""Value questions: an identity that must hold, a closed form, a number.

``expr`` states the quantity in the entry's notation (log p(x) as the log of
the marginal; the output size as a count).  Its expansion at each size is the
reference: the engine expands the definitions, nothing is typed twice.
``oracle`` computes the same quantity independently in NumPy, one point at a
time, from the variables it names (vectors arrive 1-D).
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy
from sympy.matrices.expressions import MatrixExpr

from symcheck.instance import Instance, Points
from symcheck.questions.base import Question


@dataclass
class Value(Question):
    expr: str
    oracle: Callable
    index: tuple = ()
    origin: int | tuple = 1
    shape: tuple | None = None
    rtol: float = Question.rtol
    atol: float = Question.atol
    #: the quantity already read into SymPy (a document's LaTeX); ``expr`` then holds that LaTeX
    model: object = field(default=None, repr=False, compare=False)
    kind: str = field(default="value", init=False)

    def bind(self, entry) -> None:
        super().bind(entry)
        self._expr = self.model if self.model is not None else self.parse_model(self.expr, "the quantity")
        self._oracle_args = self.oracle_arguments(self.oracle)
        if isinstance(self.origin, int) and self.index:
            self.origin = (self.origin,) * len(self.index)

    def listed(self) -> bool:
        return isinstance(self._expr, sympy.Tuple)

    def quantity_shape(self, inst: Instance) -> tuple:
        if self.shape is not None:
            return tuple(inst.sizes[s] if isinstance(s, str) else int(s) for s in self.shape)
        if isinstance(self._expr, sympy.Tuple):
            return (len(self._expr),)
        if isinstance(self._expr, MatrixExpr):
            rows, cols = (int(d.subs({sympy.Symbol(k, integer=True, positive=True): v
                                      for k, v in inst.sizes.items()})) for d in self._expr.shape)
            if (rows, cols) == (1, 1):
                return ()
            return (max(rows, cols),) if 1 in (rows, cols) else (rows, cols)
        return ()

    def derive_reference(self, inst: Instance) -> np.ndarray:
        return self.claim_explicit(self._expr, inst)

    def oracle_values(self, inst: Instance, points: Points) -> np.ndarray:
        shape = self.quantity_shape(inst)
        out = np.empty((points.count, *shape))
        for k in range(points.count):
            row = points.row(k)
            for name, value in inst.sizes.items():  # an oracle may name a size, e.g. n
                row.setdefault(name, value)
            kwargs = {a: row[a] for a in self._oracle_args}
            out[k] = np.asarray(self.oracle(**kwargs), dtype=float).reshape(shape)
        return out

    def describe(self) -> dict:
        return {"kind": self.kind, "quantity": self.expr, "free indices": list(self.index)}
