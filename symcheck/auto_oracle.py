"""The numeric oracle of a document's question, built from its forward model.

A document writes its forward model once, in LaTeX.  The reference is SymPy's
derivative of it; the second opinion must reach the same quantity by a route
that shares no code with that differentiation.  :class:`ForwardOracle` is that
route: it evaluates the forward model *numerically*, in NumPy, with the
instance's own NumPy evaluator (the one that evaluates claims at sampled
points), and ``Gradient`` takes fourth-order finite differences of it
(gradcheck.py).  No symbolic derivative is ever taken on this side, so a
mistake in SymPy's differentiation, or in the cascade, shows up as a
disagreement.

A value question's oracle (:class:`ValueOracle`) is the quantity evaluated
numerically at each point, against its symbolic expansion.

A document may instead name a Python oracle of its own
(``oracle = "bn_oracles.py:bn_loss"``): :func:`python_oracle` loads that file by
path, like an entry file, under a private module name.
"""
from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
from pathlib import Path

import numpy as np

from symcheck.evaluation import storage_shape
from symcheck.instance import Instance, Points
from symcheck.notation import Notation


class ForwardOracle:
    """f(**values): the forward model at a batch of points, following the batch contract.

    The call receives every variable at one point (vectors in their natural
    shape), the sizes, and the differentiated symbol as a batch of shape
    ``(B, *shape)``; it returns the forward model's value per batch row, in its
    natural shape (a column vector as ``(B, n)``), as a hand-written NumPy
    oracle would.  ``wrt`` may name a definition (∂L/∂σ with σ held as an
    input): its batch then stands in for the definition's value.
    """

    def __init__(self, notation: Notation, model, wrt: str):
        self.notation = notation
        self.model = model
        self.wrt = wrt
        names = [v.name for v in notation.variables] + [s.name for s in notation.sizes]
        if wrt not in names:
            names.append(wrt)
        # Gradient reads the oracle's signature to know what to pass it
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names])

    def __call__(self, **given):
        batch = np.asarray(given[self.wrt], dtype=float)
        count = batch.shape[0]
        sizes = {s.name: int(given[s.name]) for s in self.notation.sizes}
        values = {}
        for decl in self.notation.variables:
            shape = storage_shape(decl, sizes)
            value = batch if decl.name == self.wrt else np.asarray(given[decl.name], dtype=float)[None]
            values[decl.name] = np.broadcast_to(value.reshape((-1, *shape)), (count, *shape))
        if self.notation.variable(self.wrt) is None:  # a definition held as an input
            values[self.wrt] = batch.reshape(count)
        return _per_row(_evaluate(self.notation, self.model, values, sizes, count), count)


class ValueOracle:
    """f(**values): a value question's quantity at one point, evaluated numerically in NumPy.

    The reference expands the quantity symbolically (definitions substituted,
    sums written out); this evaluates it in floating point at the sampled
    point, so a wrong expansion or simplification shows up as a disagreement."""

    def __init__(self, notation: Notation, model):
        self.notation = notation
        self.model = model
        names = [v.name for v in notation.variables] + [s.name for s in notation.sizes]
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY) for n in names])

    def __call__(self, **given):
        sizes = {s.name: int(given[s.name]) for s in self.notation.sizes}
        values = {d.name: np.asarray(given[d.name], dtype=float).reshape((1, *storage_shape(d, sizes)))
                  for d in self.notation.variables}
        value = _evaluate(self.notation, self.model, values, sizes, 1)
        return value[0] if value.ndim and value.shape[0] == 1 else value


def _evaluate(notation: Notation, model, values: dict, sizes: dict, count: int) -> np.ndarray:
    """The model at ``count`` points (values in storage shape, the points first), by the NumPy evaluator."""
    instance = Instance(notation, sizes)
    return np.asarray(instance.numpy_evaluator(Points(values, count, instance))(model), dtype=float)


def _per_row(value: np.ndarray, count: int) -> np.ndarray:
    """One value per batch row, vectors in their natural (1-D) shape, as Gradient expects."""
    if value.ndim == 0:
        return np.full(count, float(value))
    if value.shape[0] != count:  # a constant matrix: the same for every row
        value = np.broadcast_to(value, (count, *value.shape))
    if value.ndim == 3 and 1 in value.shape[1:]:
        value = value.reshape(count, -1)
    if value.ndim == 2 and value.shape[1] == 1:
        value = value.reshape(count)
    return value


def python_oracle(folder: Path, spec: str):
    """The function ``name`` of ``file.py`` (``"file.py:name"``, the file beside the document), and its path.

    Raises ValueError with a message for the document's author."""
    file, sep, name = spec.partition(":")
    if not sep or not file.endswith(".py") or not name.isidentifier():
        raise ValueError(f"oracle = {spec!r}: write it as \"file.py:function\" (a Python file beside the document)")
    path = (folder / file).resolve()
    if not path.is_file():
        raise ValueError(f"oracle = {spec!r}: there is no file {file} beside the document")
    digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
    module_name = f"_symcheck_oracle_{digest}"
    module = sys.modules.get(module_name)
    if module is None:
        loader_spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(loader_spec)
        try:
            loader_spec.loader.exec_module(module)
        except Exception as error:  # noqa: BLE001 - the author's file: one line, never a traceback
            raise ValueError(f"oracle = {spec!r}: {file} cannot be loaded ({type(error).__name__}: "
                             f"{str(error).splitlines()[0] if str(error) else ''})") from None
        sys.modules[module_name] = module
    function = getattr(module, name, None)
    if not callable(function):
        raise ValueError(f"oracle = {spec!r}: {file} defines no function {name}")
    return function, path
