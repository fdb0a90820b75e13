"""The transformer: parse tree -> SymPy, its rules in topic mixins."""
from __future__ import annotations

import difflib

import sympy
from lark import Transformer, Tree, v_args

from symcheck.errors import ClaimError
from symcheck.latex.arithmetic import Arithmetic
from symcheck.latex.atoms import Atoms
from symcheck.latex.bigops import BigOps
from symcheck.latex.calls import Calls
from symcheck.latex.conditions import Conditions
from symcheck.latex.derivatives import Derivatives
from symcheck.latex.errors import LatexError
from symcheck.latex.keys import Keys
from symcheck.latex.parser import rule_names
from symcheck.latex.scripts import Scripts
from symcheck.latex.symbols import _constants, _declarations, symbol_table
from symcheck.latex.values import (_Call, _Cond, _Deferred, _lazy, _Mark, _node_pos, _OpenSum, _Operator, _Partial,
    _pos, _Rel, _Seq, _Shape, _Sim)
from symcheck.notation import Notation


class Builder(Atoms, Arithmetic, Derivatives, Scripts, Calls, BigOps, Conditions, Transformer):
    """Parse tree -> SymPy, bottom-up; symbol names are resolved by key."""

    def __init__(self, notation: Notation, source: str, tuple_length: int | None = None):
        super().__init__(visit_tokens=False)
        self.notation = notation
        self.source = source
        self.tuple_length = tuple_length
        self.constants = _constants(notation)
        self.table = symbol_table(_declarations(notation))
        self.key = Keys()
        self.markers = {}    # marker symbol -> [key, plain name, first position, end]
        self.expansions = 0  # terms written out by expand(), bounded by MAX_EXPANSIONS
        self.by_key = {}     # key -> marker symbol

    # -- errors -------------------------------------------------------------------
    def fail(self, message: str, position=None):
        raise LatexError(" ".join(message.split()), position, self.source)

    def unknown_among(self, values):
        """A _Deferred 'unknown symbol' for the first marker among these values, if any."""
        found = []
        for v in values:
            if isinstance(v, sympy.Basic):
                found += [self.markers[s] for s in v.free_symbols if s in self.markers]
        if not found:
            return None
        key, _, position, end = min(found, key=lambda info: info[2] if info[2] is not None else 0)
        try:
            self.unknown(self.snippet(key, position, end), position)
        except ClaimError as error:
            return _Deferred(error.message, error.position)

    def snippet(self, key, position, end):
        shown = self.source[position:end] if position is not None and end is not None else key
        return " ".join(shown.split()) or key

    def unknown(self, shown: str, position):
        hint = ""
        close = self.closest(shown)
        if close:
            hint = f" (did you mean {' or '.join(close)}?)"
        if shown.startswith(r"\sigma") and self.table.name(r"\sigma") is None:
            hint += r" (for the sigmoid write \sigma(x))"
        self.fail(f"unknown symbol {shown}{hint}; this entry knows: {self.table.listing}", position)

    def closest(self, shown: str) -> list:
        """The declared spellings closest to what was written, in LaTeX: N for n, \\frac{\\partial L}{\\partial Y}
        for \\frac{\\partial L}{\\partial y_j}; case, bold, braces and spaces do not count."""
        spelt = {}
        for name in self.table.keys.values():
            spelt.setdefault(_normal(self.latex_of(name)), self.latex_of(name))
        wanted = _normal(shown)
        same = [latex for normal, latex in spelt.items() if normal == wanted]
        return same or [spelt[n] for n in difflib.get_close_matches(wanted, list(spelt), n=2, cutoff=0.7)]

    # -- symbols --------------------------------------------------------------------
    def declared(self, name: str):
        obj = self.notation.abstract(name)
        index = self.table.embedded.get(name)
        if index is not None:
            return sympy.Indexed(sympy.IndexedBase(name), self.notation.abstract(index))
        if name in self.table.spelt_indexed:
            params = self.notation.definition(name).params
            return sympy.Indexed(sympy.IndexedBase(name), *(self.index_symbol(p) for p in params))
        return obj

    def index_symbol(self, name: str):
        index = self.notation.index(name)
        return index.symbol if index is not None else sympy.Symbol(name, integer=True)

    def lookup(self, key: str):
        name = self.table.name(key)
        return None if name is None else self.declared(name)

    def marker(self, key: str, meta, plain: str | None = None):
        position, end = _pos(meta), getattr(meta, "end_pos", None)
        sym = self.by_key.get(key)
        if sym is not None:
            info = self.markers[sym]
            if position is not None and (info[2] is None or position < info[2]):
                info[2], info[3] = position, end
            return sym
        sym = sympy.Symbol("\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}" + key
                           + "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}")
        self.markers[sym] = [key, plain, position, end]
        self.by_key[key] = sym
        return sym

    def is_marker(self, value) -> bool:
        return isinstance(value, sympy.Symbol) and value in self.markers

    def atom(self, meta, plain: str | None):
        key = self.key(meta.node)
        found = self.lookup(key)
        if found is not None:
            return found
        if key == "e":
            return sympy.E
        if key == r"\pi":
            return sympy.pi
        return self.marker(key, meta, plain)

    def decl_name(self, value):
        """The declared name of a vector, matrix or indexed family, else None."""
        if isinstance(value, sympy.MatrixSymbol):
            name = str(value.name)
        elif isinstance(value, sympy.IndexedBase):
            name = str(value.label)
        else:
            return None
        return name if (self.notation.variable(name) or self.notation.definition(name)) else None

    def latex_key(self, name: str) -> str:
        """The key a declared name is spelt by."""
        return next((k for k, n in self.table.keys.items() if n == name), name)

    def latex_of(self, name: str) -> str:
        decl = self.notation.variable(name) or self.notation.definition(name)
        return decl.latex if decl is not None else name

    # -- values -----------------------------------------------------------------------
    def value(self, x, position=None):
        if isinstance(x, _OpenSum):
            return x.close(self)
        if isinstance(x, sympy.IndexedBase):
            name = str(x.label)
            self.fail(f"{self.latex_of(name)} needs its index, e.g. {self.latex_of(name)}_i", position)
        if isinstance(x, sympy.Basic) and not isinstance(x, sympy.Tuple):
            if isinstance(x, sympy.logic.boolalg.Boolean) and not isinstance(x, sympy.Symbol):
                self.fail("a condition where a value was expected", position)
            return x
        if isinstance(x, _Deferred):
            self.fail(x.message, x.pos)
        if isinstance(x, _Seq):
            self.fail("a list of several values where one was expected: give one expression here", x.pos)
        if isinstance(x, (_Rel, _Cond)):
            self.fail(r"a comparison where a value was expected: a comparison belongs in \mathbb{1}\{x > 0\} or in a row "
                      r"of \begin{cases}", x.pos)
        if isinstance(x, _Sim):
            self.fail("'\\sim' belongs in the subscript of \\mathbb{E}", x.pos)
        if isinstance(x, _Operator):
            self.fail(f"{x.shown} needs what it differentiates after it, e.g. \\frac{{d}}{{dx}}\\tanh(x)", x.pos)
        if isinstance(x, _Partial):
            self.fail(r"\partial only appears inside a declared derivative; this entry knows: "
                      + self.table.listing, x.pos)
        if isinstance(x, _Mark):
            if x.kind == "'":  # W' reads two ways: a transpose or a derivative
                self.fail(r"a prime here could mean a transpose or a derivative: write W^\top for a transpose, "
                          r"\frac{d}{dx} or \sigma'(x) for a derivative", x.pos)
            what = {"*": "*", "T": r"\top"}[x.kind]
            self.fail(f"'{what}' here is not part of a declared symbol; this entry knows: {self.table.listing}",
                      x.pos)
        if isinstance(x, _Call):
            self.unknown(x.key, x.pos)
        if isinstance(x, _Shape):
            self.fail(r"a shape (\mathbb{R}^{\ldots}) where a value was expected: a shape is a whole claim or an "
                      r"item of a list", x.pos)
        if isinstance(x, Tree) and x.data == "opsub":
            self.fail(f"unknown operator {self.key(x)}; this entry knows: {self.table.listing}", _node_pos(x))
        self.fail("cannot read this part of the claim: write one expression in the entry's symbols", position)


def _bind_rules(cls):
    """Every grammar rule that has a method is called with its meta; the errors of all but the top
    one are deferred (see values._lazy).  The rule names come from the grammar, the single source
    of truth."""
    for name in rule_names():
        if hasattr(cls, name):
            method = getattr(cls, name)
            setattr(cls, name, v_args(meta=True)(method if name == "start" else _lazy(method)))
    return cls


_bind_rules(Builder)


def _normal(latex: str) -> str:
    """A spelling with case, bold, braces and spaces ignored."""
    for command in (r"\mathbf", r"\boldsymbol", r"\bm", r"\mathrm", r"\left", r"\right"):
        latex = latex.replace(command, "")
    return "".join(c for c in latex.lower() if c not in "{} ")
