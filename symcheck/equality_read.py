"""Reading ``symcheck equal``'s input: the assumptions and the two sides.

There is no catalogue entry, so there is no notation to read in: we build one
from the input itself.  Every name that is not part of the vocabulary becomes a
real scalar (positive or integer when an assumption says so), and the text is
then read by the project's own readers (text_syntax, latex/); nothing here is a
new parser, and nothing is ever evaluated as Python.

The sides are read with SymPy's automatic evaluation switched off.  That is the
point of the module: SymPy would otherwise rewrite ``exp(log(x))`` to ``x`` and
``x/x`` to ``1`` while reading, erasing the very domain traps the checker must
see.  The numeric evaluator walks the tree as written; the symbolic prover
rebuilds an evaluated copy for itself (equality_proof.py).
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

import sympy

from symcheck import text_syntax
from symcheck.errors import ClaimError
from symcheck.notation import Notation, scalar

_OPERATORS = {"<=": "<=", ">=": ">=", "!=": "!=", "<": "<", ">": ">", "≤": "<=", "≥": ">=", "≠": "!=",
              r"\le": "<=", r"\ge": ">=", r"\leq": "<=", r"\geq": ">=", r"\neq": "!="}
_SPLIT = re.compile(r"(<=|>=|!=|≤|≥|≠|\\leq|\\geq|\\neq|\\le|\\ge|<|>)")
_INTEGER = re.compile(r"^\s*([A-Za-z_][A-Za-z_0-9]*)\s+(?:is\s+)?(?:an\s+)?(integer|positive|real)\s*$")
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "!=": "!="}


@dataclass
class Assumptions:
    """What ``--assume`` said, in the three forms the engine needs: SymPy flags per
    symbol (for proofs), sampling intervals per symbol, and every condition as a
    check a sampled point must pass."""

    texts: list = field(default_factory=list)
    integer: set = field(default_factory=set)
    positive: set = field(default_factory=set)
    nonnegative: set = field(default_factory=set)
    bounds: dict = field(default_factory=dict)        # name -> [low or None, high or None]
    closed: set = field(default_factory=set)          # names whose lower bound is attained (n >= 0)
    conditions: list = field(default_factory=list)    # (left Expr, op, right Expr)

    def symbol(self, name: str) -> sympy.Symbol:
        """The symbol a side's name stands for, with what is known about it."""
        flags = {"real": True}
        if name in self.integer:
            flags["integer"] = True
        if name in self.positive:
            flags["positive"] = True
        elif name in self.nonnegative:
            flags["nonnegative"] = True
        return sympy.Symbol(name, **flags)

    def names(self) -> set:
        """Every name a condition mentions."""
        out = set(self.integer) | set(self.positive) | set(self.nonnegative) | set(self.bounds)
        for left, _, right in self.conditions:
            out |= {s.name for s in (left.free_symbols | right.free_symbols)}
        return out

    def with_positive(self, names) -> "Assumptions":
        """The same, and every one of ``names`` > 0 (the natural subdomain)."""
        extra = [f"{n} > 0" for n in sorted(names) if n not in self.positive]
        return read_assumptions(list(self.texts) + extra)

    def describe(self) -> str:
        return ", ".join(self.texts)


def read_assumptions(conditions: list) -> Assumptions:
    """``["x>0", "n integer", "0<p<1", "x != 1", "x*y < 1"]`` as Assumptions;
    ClaimError (one line) on anything else."""
    out = Assumptions(texts=[c.strip() for c in conditions])
    for text in conditions:
        _read_condition(text, out)
    return out


def _read_condition(text: str, out: Assumptions) -> None:
    if not isinstance(text, str) or not text.strip():
        raise ClaimError("an assumption is empty; write e.g. 'x > 0', 'n integer' or '0 < p < 1'")
    word = _INTEGER.match(text)
    if word:
        name, kind = word.groups()
        if kind == "integer":
            out.integer.add(name)
        elif kind == "positive":
            _bound(out, name, ">", sympy.Integer(0))
            out.conditions.append((sympy.Symbol(name, real=True), ">", sympy.Integer(0)))
        return
    pieces = _SPLIT.split(text)
    if len(pieces) not in (3, 5):
        raise ClaimError(f"cannot read the assumption {text.strip()!r}: write a comparison such as 'x > 0', "
                         f"'0 < p < 1', 'x != 1', or 'n integer'")
    sides = [_read_plain(p, text) for p in pieces[0::2]]
    ops = [_OPERATORS[o] for o in pieces[1::2]]
    for left, op, right in zip(sides, ops, sides[1:]):
        out.conditions.append((left, op, right))
        if isinstance(left, sympy.Symbol) and right.is_number:
            _bound(out, left.name, op, right)
        elif isinstance(right, sympy.Symbol) and left.is_number:
            _bound(out, right.name, _FLIP[op], left)


def _read_plain(piece: str, whole: str) -> sympy.Expr:
    """One side of a condition, read like a side of the claim."""
    if not piece.strip():
        raise ClaimError(f"cannot read the assumption {whole.strip()!r}: a comparison needs two sides")
    try:
        # a backslash is never the text syntax: '\sigma > 0' is LaTeX, whichever the claim is written in
        expr = read_side(piece, "\\" in piece, Assumptions(), what="assumption")
    except ClaimError as error:
        raise ClaimError(f"cannot read the assumption {whole.strip()!r}: {error.message}") from None
    return _evaluated(expr)


def _evaluated(expr):
    """Rebuild with evaluation on (conditions are only ever evaluated numerically)."""
    if not expr.args:
        return expr
    return expr.func(*[_evaluated(a) for a in expr.args])


def _bound(out: Assumptions, name: str, op: str, value) -> None:
    """Record a sampling interval, and the sign flags a proof may use."""
    if op == "!=":
        return
    low, high = out.bounds.setdefault(name, [None, None])
    number = float(value)
    if op in (">", ">="):
        if low is None or number > low:
            out.closed.discard(name)
        if op == ">=" and (low is None or number >= low):
            out.closed.add(name)
        out.bounds[name][0] = number if low is None else max(low, number)
        if number > 0 or (number == 0 and op == ">"):
            out.positive.add(name)
        elif number == 0:
            out.nonnegative.add(name)
    else:
        out.bounds[name][1] = number if high is None else min(high, number)


# -- the sides ------------------------------------------------------------------------

def read_side(text: str, latex: bool, assumptions: Assumptions, *, what: str = "expression") -> sympy.Expr:
    """One side of a claim as an unevaluated SymPy expression over real symbols
    inferred from the text; ClaimError (one line, with the column) on bad input."""
    if not isinstance(text, str) or not text.strip():
        raise ClaimError(f"the {what} is empty")
    names = _latex_names(text) if latex else {n: n for n in _text_names(text)}
    notation = Notation(variables=[scalar(n, spelt) for n, spelt in sorted(names.items())])
    with sympy.evaluate(False):
        if latex:
            from symcheck.latex import parse_latex
            expr = parse_latex(text, notation, what=what)
        else:
            expr = text_syntax.parse_claim(text, notation, what=what)
        if not isinstance(expr, sympy.Expr) or isinstance(expr, sympy.MatrixExpr):
            raise ClaimError(f"the {what} must be a single real expression")
        return expr.xreplace({s: assumptions.symbol(s.name) for s in expr.free_symbols
                              if isinstance(s, sympy.Symbol)})


def _text_names(text: str) -> set:
    """Identifiers that are neither functions nor constants: the free symbols."""
    body = text_syntax._normalise(text).strip()
    try:
        tree = ast.parse(body, mode="eval")
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return set()            # the reader itself reports the error, with its column
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    # a function's name never called is a variable (sigma^2 + mu); called, it is the function
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
            and n.id not in text_syntax.CONSTANTS and n.id not in called}


_COMMAND = re.compile(r"\\([A-Za-z]+)")
_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta",
          "iota", "kappa", "lambda", "mu", "nu", "xi", "rho", "tau", "upsilon", "phi", "varphi", "chi", "psi",
          "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"}
# words that are LaTeX text, not products of letters (\operatorname{ReLU}, \mathrm{d})
_WORDS = re.compile(r"\\(?:operatorname|mathrm|text|mathit|textrm)\s*\{[^}]*\}|\\[A-Za-z]+|\b(?:ReLU|relu|"
                    r"softplus|sigmoid|sigma|tanh|sinh|cosh|exp|log|ln|sin|cos|tan|min|max|floor|ceil|"
                    r"arcsin|arccos|arctan|sqrt|diff)\b")


_SUBSCRIPTED = re.compile(r"(?<![\\A-Za-z])([A-Za-z])_(?:\{([A-Za-z0-9]+)\}|([A-Za-z0-9]))")
_GREEK_SUBSCRIPTED = re.compile(r"\\(" + "|".join(sorted(_GREEK | {"sigma"}, key=len, reverse=True))
                                + r")\s*_(?:\{([A-Za-z0-9]+)\}|([A-Za-z0-9]))")
_APPLIED_SIGMA = re.compile(r"\\sigma\s*(?:\(|\\left|\\big|\\Big)")


def _latex_names(text: str) -> dict:
    r"""name -> its LaTeX: letters not part of a command, subscripted letters
    (x_1, w_{ij}), the Greek letters used as names (\theta), and \sigma when it
    is never applied (\sigma^2 is a variance, \sigma(x) the logistic function)."""
    bound = set(re.findall(r"\\(?:sum|prod)\s*_\s*\{?\s*([A-Za-z])(?![A-Za-z0-9])", text))
    names = {}
    for match in _GREEK_SUBSCRIPTED.finditer(text):      # \sigma_1, \mu_{2}
        greek, sub = match.group(1), match.group(2) or match.group(3)
        names[f"{greek}_{sub}"] = f"\\{greek}_{{{sub}}}"
    unscripted = _GREEK_SUBSCRIPTED.sub(" ", text)
    names.update({g: "\\" + g for g in _COMMAND.findall(unscripted) if g in _GREEK})
    if re.search(r"\\sigma(?![A-Za-z])", unscripted) and not _APPLIED_SIGMA.search(unscripted):
        names["sigma"] = r"\sigma"
    for match in _SUBSCRIPTED.finditer(_WORDS.sub(" ", text)):
        letter, sub = match.group(1), match.group(2) or match.group(3)
        if sub not in bound:    # x_i under \sum_{i=...} is an indexed family, not a scalar
            names[f"{letter}_{sub}"] = f"{letter}_{{{sub}}}"
    rest = _SUBSCRIPTED.sub(lambda m: " " if (m.group(2) or m.group(3)) not in bound else m.group(0),
                            _WORDS.sub(" ", text))
    letters = set(re.findall(r"[A-Za-z]", rest))
    if re.search(r"\\frac\s*\{\s*(d|\\partial)", text) or re.search(r"\\mathrm\s*\{\s*d\s*\}", text):
        letters.discard("d")    # the d of d/dx is an operator
    letters.discard("e")        # Euler's number, as in e^{x}
    letters -= bound            # a sum's or product's index is bound there, not a variable of the claim
    return names | {n: n for n in letters}
