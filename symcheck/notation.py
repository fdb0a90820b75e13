"""An entry's notation: its sizes, index ranges, variables and definitions.

A *variable* is a symbol the question is about (x, ∂E/∂y, W, X_i ...), with the
LaTeX the sheet spells it in, its domain and its shape.  A *definition* is a
named expression claims may use (μ, σ, X̂_i in batch norm); at a point its value
is computed from the variables.  A *size* (n) fixes the shapes of an instance;
an *index* (i, j = 1..n) ranges over a size.

The same declared vector is both a matrix (``X``, n×1) for matrix algebra and an
indexed family (``X[i]``) for index notation: both read the same values.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import sympy
from sympy import IndexedBase, MatrixSymbol

from symcheck import domains
from symcheck.domains import Domain


@dataclass(frozen=True)
class Size:
    """A dimension of the question, e.g. the batch size n.

    ``small``: the sizes checked first; a symbolic proof is attempted at each.
    ``random``: a range from which further sizes are drawn for numeric checks.
    """

    name: str
    small: tuple = (2, 3)
    random: tuple | None = (2, 6)
    latex: str | None = None

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.name, integer=True, positive=True)


@dataclass(frozen=True)
class Index:
    """An index variable with its range, e.g. i = 1..n (bounds may name sizes)."""

    name: str
    low: int | str = 1
    high: int | str = "n"
    latex: str | None = None

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.name, integer=True)


@dataclass(frozen=True)
class Variable:
    """A symbol of the question.

    ``shape`` is () for a scalar, (n,) for a vector, (r, c) for a matrix and
    longer for a tensor; entries are ints or size names.  ``layout`` says whether
    a vector is a column (n×1) or a row (1×n) in matrix algebra.  ``origin`` is
    the first index of ``X[i]``; ``zero_outside`` makes out-of-range entries read
    as 0 (the zero padding of a full convolution).
    """

    name: str
    latex: str
    domain: Domain = domains.real
    shape: tuple = ()
    layout: str = "column"
    origin: int = 1
    zero_outside: bool = False
    doc: str = ""

    @property
    def kind(self) -> str:
        return {0: "scalar", 1: "vector", 2: "matrix"}.get(len(self.shape), "tensor")

    @property
    def is_matrix(self) -> bool:
        """Does the variable take part in matrix algebra (vectors and matrices)?"""
        return self.kind in ("vector", "matrix")


@dataclass(frozen=True)
class Definition:
    """A named expression, e.g. ``Definition("mu", "Sum(X[j], j)/n", r"\\mu")``.

    ``params`` are index parameters (``Xhat[i]``).  ``domain`` tells the proof
    cascade what is known about the value (σ > 0 lets it replace σ by a
    positive symbol).  ``shape`` is () for a scalar, (n,) for a column vector
    (a distribution p(z|x) over a finite support) or a matrix shape (W = U Σ Vᵀ).

    ``checked_by`` names the entry that derives this definition (∂L/∂X̂ = γ ∂L/∂Y
    used inside a longer chain): the verifier checks the definition against that
    entry's reference, so a chain never rests on an unverified intermediate.
    """

    name: str
    text: str
    latex: str
    params: tuple = ()
    domain: Domain = domains.real
    shape: tuple = ()
    checked_by: str | None = None
    #: the value already read into SymPy (a document writes definitions in LaTeX; ``text`` then
    #: holds that LaTeX for display, and nothing parses it again)
    parsed: object = field(default=None, repr=False, compare=False)

    @property
    def is_matrix(self) -> bool:
        return len(self.shape) in (1, 2)


def size_expression(text: str, sizes) -> sympy.Expr:
    """A shape entry written in terms of sizes ("H - K + 1") as a SymPy expression."""
    table = {s.name: s.symbol for s in sizes}
    try:
        expr = sympy.sympify(text, locals=table, rational=True) if set(text) <= set(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789+-*/() ") else None
    except (sympy.SympifyError, SyntaxError, TypeError):
        expr = None
    if expr is None or not expr.free_symbols <= set(table.values()):
        raise ValueError(f"shape entry {text!r} is neither a size nor an expression of sizes "
                         f"({', '.join(table) or 'none declared'})")
    return expr


def dimension_value(entry, sizes: dict) -> int:
    """A shape entry at concrete sizes."""
    if isinstance(entry, int):
        return entry
    if entry in sizes:
        return sizes[entry]
    table = {sympy.Symbol(k, integer=True, positive=True): v for k, v in sizes.items()}
    return int(size_expression(entry, [Size(k) for k in sizes]).xreplace(table))


def scalar(name: str, latex: str | None = None, domain: Domain = domains.real, doc: str = "") -> Variable:
    return Variable(name, latex or name, domain, (), doc=doc)


def vector(name: str, size, latex: str | None = None, domain: Domain = domains.real, *, row: bool = False,
           origin: int = 1, zero_outside: bool = False, doc: str = "") -> Variable:
    return Variable(name, latex or name, domain, (size,), "row" if row else "column", origin, zero_outside, doc)


def matrix(name: str, rows, cols, latex: str | None = None, domain: Domain = domains.real, *, origin: int = 1,
           zero_outside: bool = False, doc: str = "") -> Variable:
    return Variable(name, latex or name, domain, (rows, cols), origin=origin, zero_outside=zero_outside, doc=doc)


def tensor(name: str, shape: tuple, latex: str | None = None, domain: Domain = domains.real, *, origin: int = 1,
           zero_outside: bool = False, doc: str = "") -> Variable:
    return Variable(name, latex or name, domain, tuple(shape), origin=origin, zero_outside=zero_outside, doc=doc)


def define(name: str, text: str, latex: str | None = None, *, params: Iterable[str] = (),
           domain: Domain = domains.real, shape: tuple = (), checked_by: str | None = None) -> Definition:
    return Definition(name, text, latex or name, tuple(params), domain, tuple(shape), checked_by)


@dataclass
class Notation:
    """The symbol table of one entry."""

    variables: list = field(default_factory=list)
    definitions: list = field(default_factory=list)
    sizes: list = field(default_factory=list)
    indices: list = field(default_factory=list)

    def __post_init__(self):
        names = [d.name for d in (*self.variables, *self.definitions, *self.sizes, *self.indices)]
        seen = set()
        for name in names:
            if name in seen:
                raise ValueError(f"the name {name!r} is declared twice in this entry's notation")
            seen.add(name)
        self._variables = {v.name: v for v in self.variables}
        self._definitions = {d.name: d for d in self.definitions}
        self._sizes = {s.name: s for s in self.sizes}
        self._indices = {i.name: i for i in self.indices}

    # -- lookups --------------------------------------------------------------
    def variable(self, name: str) -> Variable | None:
        return self._variables.get(name)

    def definition(self, name: str) -> Definition | None:
        return self._definitions.get(name)

    def size(self, name: str) -> Size | None:
        return self._sizes.get(name)

    def index(self, name: str) -> Index | None:
        return self._indices.get(name)

    def names(self) -> list[str]:
        """Every name a claim may use, in declaration order."""
        return [d.name for d in (*self.variables, *self.definitions, *self.sizes, *self.indices)]

    # -- the SymPy objects claims are built from --------------------------------
    def dimension(self, entry) -> sympy.Expr:
        """A shape entry as a SymPy integer: a literal, a size, or an expression of
        sizes such as "H - K + 1"."""
        if isinstance(entry, int):
            return sympy.Integer(entry)
        size = self.size(entry)
        if size is not None:
            return size.symbol
        return size_expression(entry, self.sizes)

    def matrix_shape(self, decl) -> tuple:
        shape = tuple(self.dimension(s) for s in decl.shape)
        if len(shape) == 1:
            return (sympy.Integer(1), shape[0]) if getattr(decl, "layout", "column") == "row" else (shape[0], sympy.Integer(1))
        return shape

    def abstract(self, name: str):
        """The SymPy object a bare name stands for in a claim."""
        decl = self._variables.get(name) or self._definitions.get(name)
        if decl is None:
            size = self._sizes.get(name) or self._indices.get(name)
            return size.symbol if size else None
        if isinstance(decl, Variable) and decl.kind == "tensor":
            return IndexedBase(name)
        if decl.is_matrix if isinstance(decl, Variable) else decl.is_matrix:
            return MatrixSymbol(name, *self.matrix_shape(decl))
        if isinstance(decl, Definition) and decl.params:
            return IndexedBase(name)
        return sympy.Symbol(name, **decl.domain.assumptions)

    def bounds(self, index_name: str) -> tuple:
        """The declared range of an index, as SymPy expressions."""
        idx = self._indices[index_name]

        def bound(b):
            if isinstance(b, int):
                return sympy.Integer(b)
            from symcheck.text_syntax import parse_claim  # bounds may be expressions of sizes

            return parse_claim(str(b), self, what=f"the range of index {index_name}")

        return bound(idx.low), bound(idx.high)

    def latex_names(self) -> dict:
        """Symbol name -> LaTeX, for SymPy's printer."""
        table = {}
        for decl in (*self.variables, *self.definitions):
            table[decl.name] = decl.latex
        for s in self.sizes:
            table[s.name] = s.latex or s.name
        for i in self.indices:
            table[i.name] = i.latex or i.name
        return table

    def describe(self) -> list[dict]:
        """JSON-friendly description of every symbol."""
        out = []
        for v in self.variables:
            out.append({"name": v.name, "latex": v.latex, "kind": v.kind, "shape": list(v.shape),
                        "domain": v.domain.describe(), "doc": v.doc})
        for d in self.definitions:
            out.append({"name": d.name + (f"[{', '.join(d.params)}]" if d.params else ""), "latex": d.latex,
                        "kind": "definition", "definition": d.text, "domain": d.domain.describe()})
        for s in self.sizes:
            out.append({"name": s.name, "latex": s.latex or s.name, "kind": "size", "small": list(s.small)})
        for i in self.indices:
            out.append({"name": i.name, "latex": i.latex or i.name, "kind": "index", "range": [i.low, i.high]})
        return out
