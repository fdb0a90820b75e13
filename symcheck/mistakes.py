"""The common mistakes, one line each, grouped into phases.

Modelled on tinygrad's PatternMatcher: a table, where each line is a
:class:`Mistake` (a name, a message template, a transform of the reference)
and its trailing comment states the identity the line tests, for a refuted
claim C against the reference R.

A transform takes one *reference form* (an abstract expression in the entry's
own notation known to equal R, see diagnosis.py) and a :class:`Context`, and
yields the mutated references it stands for, each with the words that fill the
message template, and, when the mutation only multiplies R by a constant c (of
the sizes), c as a third item: the matcher then scales R's values instead of
evaluating the mutated form.  It yields nothing where it does not apply.  A transform
never decides anything: diagnosis.py evaluates each mutated reference against
the claim at sampled points of two sizes and confirms a match in exact or
50-digit arithmetic.

Phases are tried in order and the first confirmed match wins, so an order
states a preference: a scale error before a convention, a convention before a
structural mistake.  A transposed result and the other layout convention are
one identity (C ≡ Rᵀ), so they are one line, in CONVENTION: for a gradient
its message names the layouts (this engine lays a gradient out like the
variable, the denominator layout, and a Jacobian with the output axes first,
the numerator layout).
"""
from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

import sympy
from sympy import Indexed, MatrixExpr, MatrixSymbol
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from symcheck import domains


PREFIX = "your claim equals the reference "


@dataclass(frozen=True)
class Mistake:
    """One line of the table: the mistake's name (the JSON's ``mistake``), its
    message template (said after PREFIX), and its transform of the reference."""

    name: str
    message: str
    transform: Callable[["object", "Context"], Iterable[tuple]]
    #: try only the first form (closest to the claim's symbols) the transform applies to: the
    #: mutation does not depend on how the reference is written (a factor), or a slip of an index
    #: is made in the form the claim is written in
    once: bool = False

    def say(self, fields: dict) -> str:
        return PREFIX + self.message.format(**fields)


@dataclass(frozen=True)
class Phase:
    name: str
    mistakes: tuple


@dataclass
class Context:
    """What the transforms may know about the entry (computed once per claim)."""

    notation: object
    question: object
    #: sizes an index of a sum in the question or the reference runs up to (the batch),
    #: among those that vary between the samples
    summed_sizes: tuple = ()
    #: declared upstream gradients (the question's, or a variable spelt like ∂E/∂y)
    upstream: tuple = ()
    #: scalar variables whose domain is the interval (0, 1): a probability
    probabilities: tuple = ()
    #: does the reference take a logarithm?
    has_log: bool = False
    #: the gradient's layout: "denominator" (shaped like the variable) or "numerator" (a Jacobian)
    layout: str | None = None
    #: the sizes that take two values among the samples (a factor n is earned only for those)
    sizes: tuple = field(default_factory=tuple)


# -- how a mutated reference is written in a message ------------------------------

class _Printer(StrPrinter):
    """The text syntax: ``Sum(X[j], j)`` rather than ``Sum(X[j], (j, 1, n))``."""

    def _print_Sum(self, expr):
        limits = ", ".join(self._print(v) for v, _, _ in expr.limits)
        return f"Sum({self._print(expr.function)}, {limits})"

    def _print_OneMatrix(self, expr):
        return "ones"

    def _print_MatMul(self, expr):
        """``2*lam*W``, not ``(2*lam)*W``."""
        coeff, matrices = expr.as_coeff_matrices()
        sign = "-" if coeff.could_extract_minus_sign() else ""
        coeff = -coeff if sign else coeff
        body = "*".join(self.parenthesize(m, PRECEDENCE["Mul"]) for m in matrices)
        if coeff == 1:
            return sign + body
        return sign + self.parenthesize(coeff, PRECEDENCE["Mul"], strict=True) + "*" + body


def show(expr) -> str:
    text = _Printer().doprint(expr)
    return text if len(text) <= 80 else text[:77] + "..."


# -- helpers ----------------------------------------------------------------------

def _scaled(form, factor):
    if isinstance(form, sympy.Tuple):
        return sympy.Tuple(*(factor * a for a in form))
    return factor * form


def terms(form) -> list:
    """The reference's top-level additive terms: a product over a sum is expanded
    one level, and a sum over an index of a sum is split (Σ(a + b) = Σa + Σb)."""
    if isinstance(form, (sympy.Add, sympy.MatAdd)):
        parts = list(form.args)
    elif isinstance(form, sympy.Mul) and any(isinstance(a, sympy.Add) for a in form.args):
        parts = list(sympy.Add.make_args(sympy.expand_mul(form, deep=False)))
    elif isinstance(form, sympy.MatMul) and any(isinstance(a, (sympy.Add, sympy.MatAdd)) for a in form.args):
        expanded = form.expand()
        parts = list(expanded.args) if isinstance(expanded, sympy.MatAdd) else [form]
    else:
        parts = [form]
    out = []
    for part in parts:
        out.extend(_split_sum(part))
    return out


def _split_sum(term) -> list:
    """c·Σ_j (a + b) as [c·Σ_j a, c·Σ_j b]; any other term as itself."""
    sums = [a for a in sympy.Mul.make_args(term) if isinstance(a, sympy.Sum)] if isinstance(term, sympy.Basic) \
        and not isinstance(term, MatrixExpr) else []
    if len(sums) != 1:
        return [term]
    total = sums[0]
    body = total.function
    if not isinstance(body, sympy.Add):
        return [term]
    rest = term / total
    return [rest * sympy.Sum(part, *total.limits) for part in body.args]


def _total(parts):
    return functools.reduce(operator.add, parts)


def occurrences(expr, cls, path=()):
    """(path, node) for every node of type ``cls``, in preorder (path: argument positions)."""
    if isinstance(expr, cls):
        yield path, expr
    if isinstance(expr, sympy.Basic) and not isinstance(expr, (Indexed, MatrixSymbol)):
        for k, arg in enumerate(expr.args):
            yield from occurrences(arg, cls, path + (k,))


def replace_at(expr, path, new):
    if not path:
        return new
    args = list(expr.args)
    args[path[0]] = replace_at(args[path[0]], path[1:], new)
    return expr.func(*args)


def _matrices(form, name):
    return [m for m in form.atoms(MatrixSymbol) if m.name == name]


def _indexed(form, name):
    return [i for i in form.atoms(Indexed) if i.base.label.name == name]


def _index_symbols(ctx) -> set:
    return {i.name for i in ctx.notation.indices}


# -- SCALE ------------------------------------------------------------------------

def factor(k):
    def transform(form, ctx):
        yield _scaled(form, k), {}, k
    return transform


# -- CONVENTION -------------------------------------------------------------------

def transposed(form, ctx):
    """The result transposed: a matrix form, or an index form with its two free indices swapped."""
    if isinstance(form, MatrixExpr):
        if 1 not in form.shape:
            yield sympy.Transpose(form), {}
    elif len(ctx.question.index) == 2 and not isinstance(form, sympy.Tuple):
        i, j = (sympy.Symbol(n, integer=True) for n in ctx.question.index)
        swapped = form.xreplace({i: j, j: i})
        if swapped != form:
            yield swapped, {}


def transposed_result(form, ctx):
    """Rᵀ; for a gradient, the other layout convention, named."""
    layout = ""
    if ctx.layout is not None:
        other = "numerator" if ctx.layout == "denominator" else "denominator"
        layout = f": the {other}-layout convention, where this entry lays the gradient out in {ctx.layout} layout"
    for mutated, _ in transposed(form, ctx):
        yield mutated, {"layout": layout}


def complement_probability(form, ctx):
    for name in ctx.probabilities:
        p = ctx.notation.abstract(name)
        if form.has(p):
            yield form.xreplace({p: 1 - p}), {"p": name}


def times_size(form, ctx):
    for name in ctx.summed_sizes:
        n = sympy.Symbol(name, integer=True, positive=True)
        yield _scaled(form, n), {"n": name}, n


def per_size(form, ctx):
    for name in ctx.summed_sizes:
        n = sympy.Symbol(name, integer=True, positive=True)
        yield _scaled(form, 1 / n), {"n": name}, 1 / n


def log_base(form, ctx):
    if not ctx.has_log:
        return
    for base in (2, 10):
        c = sympy.log(base)
        yield _scaled(form, 1 / c), {"b": base, "how": "divided by", "why": f"logarithms to base {base} where the "
                                     f"reference takes natural logarithms"}, 1 / c
        yield _scaled(form, c), {"b": base, "how": "times", "why": f"a conversion between base-{base} and natural "
                                 f"logarithms the wrong way round"}, c


# -- STRUCTURE --------------------------------------------------------------------

def transpose_factor(form, ctx):
    """A declared matrix W replaced by Wᵀ (every occurrence)."""
    for decl in ctx.notation.variables:
        if decl.kind != "matrix":
            continue
        if isinstance(form, MatrixExpr) or form.atoms(MatrixSymbol):
            found = _matrices(form, decl.name)
            if found:
                yield form.xreplace({m: sympy.Transpose(m) for m in found}), {"W": decl.name}
                continue
        found = [i for i in _indexed(form, decl.name) if len(i.indices) == 2]
        if found:
            yield form.xreplace({i: i.base[i.indices[1], i.indices[0]] for i in found}), {"W": decl.name}


def drop_term(form, ctx):
    parts = terms(form)
    if len(parts) < 2:
        return
    for k, term in enumerate(parts):
        yield _total(parts[:k] + parts[k + 1:]), {"term": show(term)}


def drop_inverse_size(form, ctx):
    """For each term with a factor 1/n (n a size), the term without it."""
    parts = terms(form)
    for k, term in enumerate(parts):
        factors = term.args if isinstance(term, (sympy.Mul, sympy.MatMul)) else (term,)
        for f in factors:
            if isinstance(f, sympy.Pow) and f.exp == -1 and f.base.is_Symbol and f.base.name in ctx.sizes:
                fixed = parts[:k] + [f.base * term] + parts[k + 1:]
                yield _total(fixed), {"n": f.base.name, "term": show(term)}


def term_factor(k):
    """One term of several multiplied by k (a sign or a factor 2 wrong in one place)."""
    def transform(form, ctx):
        parts = terms(form)
        if len(parts) < 2:
            return
        for j, term in enumerate(parts):
            yield _total(parts[:j] + [k * term] + parts[j + 1:]), {"term": show(term)}
    return transform


def drop_upstream(form, ctx):
    for name in ctx.upstream:
        decl = ctx.notation.variable(name)
        mutated = form
        if decl.kind == "scalar":
            mutated = mutated.xreplace({ctx.notation.abstract(name): sympy.Integer(1)})
        for m in _matrices(mutated, name):
            mutated = mutated.xreplace({m: sympy.OneMatrix(*m.shape)})
        mutated = mutated.xreplace({i: sympy.Integer(1) for i in _indexed(mutated, name)})
        if mutated != form:
            yield mutated, {"g": name, "latex": decl.latex}


def shift_index(form, ctx):
    """One index of one indexed symbol moved by ±1."""
    names = _index_symbols(ctx)
    for path, node in occurrences(form, Indexed):
        for p, index in enumerate(node.indices):
            if not any(s.name in names for s in index.free_symbols):
                continue
            for step in (1, -1):
                indices = list(node.indices)
                indices[p] = index + step
                new = node.base[tuple(indices)]
                yield replace_at(form, path, new), {"where": show(node), "shifted": show(new)}


def swap_indices(form, ctx):
    """Two indices of one indexed symbol exchanged."""
    for path, node in occurrences(form, Indexed):
        idx = node.indices
        for p in range(len(idx)):
            for q in range(p + 1, len(idx)):
                if idx[p] == idx[q]:
                    continue
                indices = list(idx)
                indices[p], indices[q] = idx[q], idx[p]
                yield replace_at(form, path, node.base[tuple(indices)]), {
                    "a": show(idx[p]), "b": show(idx[q]), "where": show(node)}


# -- the table ----------------------------------------------------------------------
# Each message is said after "your claim equals the reference ".

HALF = sympy.Rational(1, 2)

SCALE = Phase("scale", (
    Mistake("sign-flipped", "with the sign flipped", factor(-1), once=True),                     # C ≡ −R
    Mistake("times-2", "times 2", factor(2), once=True),                                         # C ≡ 2R
    Mistake("times-half", "times 1/2", factor(HALF), once=True),                                 # C ≡ R/2
))

CONVENTION = Phase("convention", (
    Mistake("transposed-layout", "transposed{layout}", transposed_result, once=True),            # C ≡ Rᵀ
    Mistake("keep-vs-drop-probability", "with {p} and 1 - {p} exchanged: keep versus drop probability",
            complement_probability),                                                             # C ≡ R[p := 1 − p]
    Mistake("sum-vs-mean", "times {n}: a sum over the {n} terms where the reference averages them (sum "
            "versus mean over the batch)", times_size, once=True),                               # C ≡ n·R
    Mistake("mean-vs-sum", "divided by {n}: a mean over the {n} terms where the reference sums them (mean "
            "versus sum over the batch)", per_size, once=True),                                  # C ≡ R/n
    Mistake("log-base", "{how} ln {b}: {why}", log_base, once=True),                             # C ≡ R/ln b, R·ln b
))

STRUCTURE = Phase("structure", (
    Mistake("transposed-factor", "with {W} transposed", transpose_factor),                       # C ≡ R[W := Wᵀ]
    Mistake("missing-term", "without its term {term}", drop_term),                               # C ≡ R − t
    Mistake("missing-1/n", "without the 1/{n} of its term {term}", drop_inverse_size),           # C ≡ R − t + n·t
    Mistake("term-sign-flipped", "with the sign of its term {term} flipped", term_factor(-1)),   # C ≡ R − 2t
    Mistake("term-times-2", "with its term {term} times 2", term_factor(2)),                     # C ≡ R + t
    Mistake("term-times-half", "with its term {term} times 1/2", term_factor(HALF)),             # C ≡ R − t/2
    Mistake("dropped-upstream", "with the upstream gradient {g} dropped (replaced by ones)",
            drop_upstream),                                                                      # C ≡ R[∂E/∂y := 1]
    Mistake("index-off-by-one", "with {where} read as {shifted} (an index off by one)",
            shift_index, once=True),                                                             # C ≡ R[X[i] := X[i ± 1]]
    Mistake("indices-swapped", "with the indices {a} and {b} of {where} swapped",
            swap_indices, once=True),                                                            # C ≡ R[X[i, j] := X[j, i]]
))

PHASES = (SCALE, CONVENTION, STRUCTURE)


# -- what the context is built from ------------------------------------------------

_UPSTREAM_LATEX = re.compile(r"\\frac\{\s*\\partial\s*[A-Za-z]")


def upstream_names(notation, question) -> tuple:
    """The question's upstream gradient, and variables spelt like ∂E/∂y (never the
    variable differentiated)."""
    wrt = getattr(question, "wrt", None)
    names = [question.upstream] if getattr(question, "upstream", None) else []
    for decl in notation.variables:
        if decl.name != wrt and decl.name not in names and _UPSTREAM_LATEX.match(decl.latex or ""):
            names.append(decl.name)
    return tuple(names)


def probability_names(notation) -> tuple:
    out = []
    for decl in notation.variables:
        d = decl.domain
        if decl.kind == "scalar" and isinstance(d, domains.Interval) and (d.low, d.high) == (0, 1):
            out.append(decl.name)
    return tuple(out)


def summed_sizes(exprs, notation) -> tuple:
    sizes = {s.name for s in notation.sizes}
    out = []
    for expr in exprs:
        if not isinstance(expr, sympy.Basic):
            continue
        for s in expr.atoms(sympy.Sum):
            for _, _, high in s.limits:
                if high.is_Symbol and high.name in sizes and high.name not in out:
                    out.append(high.name)
    return tuple(out)
