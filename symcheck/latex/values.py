"""The placeholder values of the transformer, and the deferral of a rule's errors."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sympy
from lark import Token
from sympy.matrices.expressions import MatrixExpr

from symcheck.errors import ClaimError
from symcheck.latex.errors import _message
from symcheck.text_syntax import not_real  # one rule for both syntaxes


@dataclass
class _Script:
    kind: str      # "sub" or "sup"
    value: object
    tree: object   # the argument's parse tree
    pos: int


@dataclass
class _Mark:
    kind: str      # "*", "T" or "'"
    negative: bool
    pos: int


@dataclass
class _Partial:
    pos: int


@dataclass
class _Seq:
    items: list
    seps: list
    pos: int


@dataclass
class _Rel:
    parts: list
    ops: list
    pos: int


@dataclass
class _Sim:
    lhs: object
    rhs: object
    pos: int


@dataclass
class _Cond:
    relations: list
    connectives: list
    otherwise: bool
    pos: int


@dataclass
class _Call:
    """An unknown function of several arguments (\\mathcal{N}(\\mu, \\sigma^2))."""

    key: str
    items: list
    seps: list
    pos: int


@dataclass
class _Shape:
    """The space \\mathbb{R}^{10 \\times 300}: the dimensions of a shape (10, 300)."""

    dims: list
    pos: int


@dataclass
class _Operator:
    """\\frac{d}{dx}, \\nabla_x: a derivative waiting for what it differentiates, the rest of its product."""

    var: object
    order: int
    shown: str
    pos: int


@dataclass
class _Deferred:
    """A piece that makes no sense alone but may be part of a longer symbol
    (W_{f,c} in W_{f,c} *_{full} ...): an error only if it is used as a value."""

    message: str
    pos: int


class _OpenSum:
    """A sum whose body may still grow over the following terms."""

    def __init__(self, cls, limits: list, bind: dict, body, pos: int):
        self.cls, self.limits, self.bind, self.body, self.pos = cls, limits, bind, body, pos
        self.wraps = []

    def wrapped(self, fn):
        self.wraps.append(fn)
        return self

    def absorb(self, sign: int, value, builder) -> bool:
        if isinstance(self.body, _OpenSum) and self.body.absorb(sign, value, builder):
            return True
        bound = {limit[0] for limit in self.limits} | set(self.bind)
        if not (getattr(value, "free_symbols", set()) & bound):
            return False
        self.body = builder.add(builder.value(self.body, self.pos), value, sign)
        return True

    def close(self, builder):
        body = builder.value(self.body, self.pos)
        if self.bind:
            body = body.xreplace(self.bind)
        if isinstance(body, MatrixExpr):
            builder.fail("a sum of matrices needs an index: sum their entries", self.pos)
        result = self.cls(body, *self.limits)
        for fn in self.wraps:
            result = fn(result)
        return result


def _pos(meta) -> int | None:
    return getattr(meta, "start_pos", None)


def _node_pos(node, fallback=None):
    position = getattr(getattr(node, "meta", None), "start_pos", None)
    if position is None and isinstance(node, Token):
        position = node.start_pos
    return fallback if position is None else position


_BUILD_ERRORS = (TypeError, ValueError, AttributeError, IndexError, ZeroDivisionError, ArithmeticError,
                 sympy.ShapeError, sympy.matrices.exceptions.NonSquareMatrixError, NotImplementedError)


def _lazy(callback):
    """Errors of a rule become a _Deferred value, raised only if the value is used:
    a piece that fails alone may still be part of a declared symbol."""

    @functools.wraps(callback)
    def rule(self, meta, children):
        try:
            value = callback(self, meta, children)
            wrong = not_real(value)
            if wrong is not None:  # \sqrt{-1}, \frac{1}{0}: refused where they appear, before any evaluation
                return _Deferred(f"{wrong}: {self.shown(meta)}", _pos(meta))
            return value
        except ClaimError as error:
            return _Deferred(error.message, error.position)
        except _BUILD_ERRORS as error:
            unknown = self.unknown_among(children)
            if unknown is not None:
                return unknown
            return _Deferred(_message(error), _pos(meta))

    return rule


def _std(variance):
    """σ from σ² as written in N(μ, σ²)."""
    if isinstance(variance, sympy.Pow) and variance.exp == 2:
        return variance.base
    return sympy.sqrt(variance)


def _entry_of_1x1(value):
    r"""The 1×1 scalar-context rule for function arguments: \sqrt{w^\top w} is a scalar."""
    if isinstance(value, MatrixExpr) and value.shape == (1, 1):
        return value[0, 0]
    return value


def _shape(matrix) -> str:
    return "×".join(str(d) for d in matrix.shape)


def _transpose(value):
    return sympy.Transpose(value) if isinstance(value, MatrixExpr) else value


def _inverse(value):
    return sympy.Inverse(value) if isinstance(value, MatrixExpr) else 1 / value
