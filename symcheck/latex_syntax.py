r"""The LaTeX syntax of claims: what a sheet prints, read into the same SymPy
objects as the text syntax.

``parse_latex(r"\frac{\partial E}{\partial y}\sigma(x)(1-\sigma(x))", notation)``
returns ``dEdy*sigmoid(x)*(1 - sigmoid(x))``, exactly what ``parse_claim`` makes
of ``dEdy*sigma(x)*(1 - sigma(x))``.  The claim is parsed by Lark (LALR(1), the
grammar in ``grammar/claim_latex.lark``) and the parse tree is translated by a
:class:`lark.Transformer` that builds SymPy directly.  Nothing is evaluated as
Python and nothing is expanded as TeX: an unknown command (``\input``,
``\def``, ``\csname``) is an error with its column.

Three stages:

1. **Lexing** cuts the text into raw pieces; the **post-lexer**
   (:class:`_PostLexer`) gives each its role.  It drops spacing and
   ``\left``/``\right``, collapses ``\text{...}``/``\operatorname{...}`` into one
   word, splits TeX's one-token arguments (``\frac12``, ``x^23``), decides for
   each ``|`` and ``\|`` whether it opens or closes ``|x|``/``\|x\|`` or separates
   (``q_\phi(z|x)``, ``KL(p\|q)``), and drops a leading ``LHS =``.
2. **Parsing** builds the tree.
3. **Translation** matches symbols against the entry's notation.  Every
   declared symbol's LaTeX is parsed by the same grammar and reduced to a *key*
   in which whitespace, braces, ``\mathbf``/``\boldsymbol`` and ``\text`` are
   normalised away; a piece of the claim is that symbol when its key is equal.
   So ``\frac{\partial L}{\partial Y}`` is ``dLdY``; ``w_i^*`` is ``wstar[i]``
   (the subscript of a declared vector is an index); ``\frac{\partial L}
   {\partial Y_i}`` is ``dLdY[i]``; ``p_{data}(x)`` is ``pdata[x]`` when x is an
   index; a vector whose LaTeX names its index (``q_\phi(z|x)``) reads as its
   entry at z, and as the whole vector inside ``KL(\cdot\|\cdot)``.  A subscript
   may extend the declared one (``\delta_{h,i}^{(l)}`` is ``\delta_h^{(l)}`` at i), a
   superscript may end in a transpose (``\mathbf h^{(l-1)\top}``), and ``X[i, j]``
   indexes a declared vector, matrix or tensor.  Symbols declared as several
   factors (``x[t]``, ``W_{f,c} *_{full} ...``) are matched as a run of factors;
   ``\sum_{i=0}^{2} w_i[t]`` over symbols declared one by one is written out.

A sum without parentheses covers the rest of its product; when the following
terms still use its index (``\sum_x p(x)\log a + q(x)\log b``, the integrand
of a sheet), it covers them too.  A scalar added to a vector acts entry by entry
(``1 - \sigma(\mathbf z)``); ``\delta_{ij}`` is Kronecker's delta when the entry
has no δ.  A sum or product over symbols declared one by
one is written out when its limits are integers or constants the entry declares
(``\sum_{t=1}^{T}`` with T = 2; ``\prod_{k=t}^{T-1} D_{k+1}`` names its terms
after the lower limit as written, D_{t+1}, D_{t+2}), sums of integers in an
index folded (h^{(t-1)} at t = 1 is h^{(0)}).  ``\underbrace{A \cdots A}_{n}``
is A^n: a product with dots needs its number of factors.

What a sheet prints beside one expression: a list (``10,\ 30``) reads as a
``sympy.Tuple``, a leading ``LHS =`` dropped from each item; a shape
``X_c \in \mathbb{R}^{10 \times 1 \times 5}`` (or ``\mathbb{R}^{10*1*5}``,
``\mathbb{R}^{50,1}``) contributes its dimensions to the list; where the
question's quantity is a list of k values, ``16 \times 28 \times 28`` with k
factors is that list (``tuple_length``).  Words that are not a name
(``\text{likelihood } 1``) are a label when they open the claim or an item,
and are refused anywhere else.  A bound's LaTeX may print its relation
(``\|x\| \le 1.395``): with ``relation="<="`` the claim is the bound's side.
Parameter assignments (``w_1 = -1, w_2 = 1``) are read by
:func:`parse_latex_assignments`; :func:`parse_latex_claim` reads a claim the
way its question reads the text syntax. 

The Transformer works bottom-up, so a piece that means nothing alone (the
``\partial E`` of ``\frac{\partial E}{\partial y}``, or ``W_{f,c}`` before
``*_{full}``) must not fail before the larger symbol is recognised: every rule's
error is deferred (``_Deferred``) and raised only where the value is used.

Safety: the input is at most ``MAX_LATEX_CHARS`` characters and
``MAX_TOKENS`` tokens, groups nest at most ``MAX_DEPTH`` deep, the tree has at
most ``MAX_NODES`` nodes, powers of numbers obey the text syntax's
``MAX_DIGITS`` guard (nothing larger is ever computed) and every number must
stay printable (``MAX_PRINTABLE_DIGITS``); a family written out is bounded by
``MAX_EXPANSIONS``.  Every failure is a :class:`ClaimError`: one line with the
column (and, for an unknown symbol, the symbols the entry knows).
"""
from __future__ import annotations

import contextvars
import difflib
import functools
import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sympy
from lark import Lark, Token, Transformer, Tree, v_args
from lark.tree import Meta
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken, VisitError
from sympy.matrices.expressions import MatrixExpr

from symcheck import vocabulary as voc
from symcheck.errors import ClaimError
from symcheck.notation import Notation
from symcheck.text_syntax import (FUNCTIONS, MAX_CLAIM_CHARS, MAX_DIGITS, MAX_NODES, _elementwise, _index_count,
                                  _scalar_context)

MAX_LATEX_CHARS = MAX_CLAIM_CHARS
MAX_TOKENS = 2000
MAX_DEPTH = 40
MAX_TREE_DEPTH = 200
MAX_EXPANSIONS = 100
#: Python refuses to print integers with more digits than this (3.11+); a
#: claim must stay printable, so numbers are bounded by it as well.
MAX_PRINTABLE_DIGITS = min(MAX_DIGITS, (getattr(sys, "get_int_max_str_digits", lambda: 0)() or MAX_DIGITS) - 1)

# ----------------------------------------------------------------------------------
# Vocabulary of the post-lexer
# ----------------------------------------------------------------------------------

_GREEK = {
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu",
    "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
    "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell", "nabla",
}
# variant glyphs read as the same letter
_GREEK_VARIANTS = {"varepsilon": "epsilon", "vartheta": "theta", "varphi": "phi", "varrho": "rho",
                   "varsigma": "sigma", "varpi": "pi", "varkappa": "kappa"}
# function names, as commands or words, -> the text syntax's FUNCTIONS key
_FUNC_NAMES = {
    "exp": "exp", "log": "log", "ln": "ln", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "sin": "sin",
    "cos": "cos", "sign": "sign", "sgn": "sign", "max": "max", "min": "min", "sigmoid": "sigmoid", "relu": "relu",
    "ReLU": "relu", "softmax": "softmax", "KL": "KL", "JSD": "JSD", "tr": "trace", "Tr": "trace", "trace": "trace",
    "abs": "abs", "floor": "floor", "ceil": "ceil",
}
_FUNC_COMMANDS = {"exp", "log", "ln", "tanh", "sinh", "cosh", "sin", "cos", "max", "min", "sgn", "tr", "Tr"}
_FONTS = {"mathbf", "boldsymbol", "bm", "mathbfit", "pmb", "vec", "mathnormal", "bold"}
_STYLES = {"mathcal": "mathcal", "mathbb": "mathbb", "mathbbm": "mathbb", "mathds": "mathbb", "mathfrak": "mathfrak",
           "mathscr": "mathscr", "mathsf": "mathsf", "mathtt": "mathtt"}
_ACCENTS = {"hat": "hat", "widehat": "hat", "tilde": "tilde", "widetilde": "tilde", "bar": "bar",
            "overline": "bar", "dot": "dot", "ddot": "ddot", "check": "check", "breve": "breve",
            "acute": "acute", "grave": "grave", "mathring": "mathring"}
_TEXT_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mathrm", "operatorname",
                  "mathit", "mbox", "mathop"}
# the commands whose words may be prose (several words, or a word set off by spaces); \mathrm{d} and
# \operatorname{diag} are always names
_PROSE_COMMANDS = {"text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox"}
_SPACING = {"quad", "qquad", "enspace", "enskip", "thinspace", "medspace", "thickspace", "negthinspace",
            "negmedspace", "negthickspace", "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits",
            "nonumber", "notag", "allowbreak"}
_SIZERS = {"left": "left", "right": "right", "middle": "middle", "big": "", "Big": "", "bigg": "", "Bigg": "",
           "bigl": "left", "Bigl": "left", "biggl": "left", "Biggl": "left", "bigr": "right", "Bigr": "right",
           "biggr": "right", "Biggr": "right", "bigm": "middle", "Bigm": "middle", "biggm": "middle",
           "Biggm": "middle"}
_RELATIONS = {"leq": "<=", "le": "<=", "leqslant": "<=", "geq": ">=", "ge": ">=", "geqslant": ">=", "neq": "!=",
              "ne": "!=", "lt": "<", "gt": ">"}
# command -> (type, value)
_SIMPLE = {
    "frac": ("FRAC", "frac"), "dfrac": ("FRAC", "frac"), "tfrac": ("FRAC", "frac"), "cfrac": ("FRAC", "frac"),
    "sqrt": ("SQRT", "sqrt"), "sum": ("BIGOP", "sum"), "prod": ("BIGOP", "prod"), "partial": ("PARTIAL", "partial"),
    "cdot": ("MULOP", "*"), "times": ("MULOP", "*"), "ast": ("STARRAW", "*"), "star": ("STARRAW", "*"),
    "odot": ("HADAMARD", "odot"), "circ": ("HADAMARD", "odot"), "div": ("DIV", "/"), "top": ("TOP", "T"),
    "intercal": ("TOP", "T"), "prime": ("PRIME", "'"), "sim": ("SIM", "~"), "land": ("CONN", "and"),
    "wedge": ("CONN", "and"), "lor": ("CONN", "or"), "vee": ("CONN", "or"), "lfloor": ("_LFLOOR", "["),
    "rfloor": ("_RFLOOR", "]"), "lceil": ("_LCEIL", "["), "rceil": ("_RCEIL", "]"), "lbrace": ("_LSET", "{"),
    "rbrace": ("_RSET", "}"), "lbrack": ("_LBRACK", "["), "rbrack": ("_RBRACK", "]"),
    "in": ("IN", "in"), "dots": ("DOTS", "..."), "ldots": ("DOTS", "..."), "cdots": ("DOTS", "..."),
    "dotsb": ("DOTS", "..."), "dotsm": ("DOTS", "..."), "dotsc": ("DOTS", "..."), "underbrace": ("UNDERBRACE", "_"),
}
# bars: command -> (kind, forced role or None)
_BAR_COMMANDS = {"vert": ("abs", None), "lvert": ("abs", "open"), "rvert": ("abs", "close"), "mid": ("abs", "sep"),
                 "Vert": ("norm", None), "lVert": ("norm", "open"), "rVert": ("norm", "close"),
                 "parallel": ("norm", "sep")}
_IF_WORDS = {"if", "for", "when", "where", "whenever"}
_OTHERWISE_WORDS = {"otherwise", "else", "o.w.", "ow"}
_UNICODE = {
    "−": ("MINUS", "-"), "·": ("MULOP", "*"), "⋅": ("MULOP", "*"), "×": ("MULOP", "*"), "⊙": ("HADAMARD", "odot"),
    "∘": ("HADAMARD", "odot"), "≤": ("REL", "<="), "≥": ("REL", ">="), "≠": ("REL", "!="), "∂": ("PARTIAL", "partial"),
    "∑": ("BIGOP", "sum"), "∏": ("BIGOP", "prod"), "‖": ("DBARRAW", "||"), "∣": ("BAR", "|"), "⌊": ("_LFLOOR", "["),
    "⌋": ("_RFLOOR", "]"), "⌈": ("_LCEIL", "["), "⌉": ("_RCEIL", "]"), "∼": ("SIM", "~"), "⊤": ("TOP", "T"),
    "∈": ("IN", "in"), "⋯": ("DOTS", "..."), "…": ("DOTS", "..."),
}
_UNICODE_GREEK = dict(zip("αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩϵϑφϱς",
                          "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
                          "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega "
                          "epsilon theta phi rho sigma".split()))
_PUNCT = {"+": "PLUS", "-": "MINUS", "*": "STARRAW", "/": "DIV", "(": "_LPAR", ")": "_RPAR", "[": "_LBRACK",
          "]": "_RBRACK", "{": "_LBRACE", "}": "_RBRACE", "^": "_CARET", "_": "_SUB", ",": "COMMA", ";": "SEMI",
          "|": "BARRAW", "&": "_AMP", "'": "PRIME"}
_OPENERS = {"_LPAR": "_RPAR", "_LBRACK": "_RBRACK", "_LBRACE": "_RBRACE", "_LSET": "_RSET",
            "_BEGIN_CASES": "_END_CASES", "_LFLOOR": "_RFLOOR", "_LCEIL": "_RCEIL"}
_CLOSERS = set(_OPENERS.values())
_OPERAND_END = {"LETTER", "GREEK", "NUMBER", "WORD", "_RPAR", "_RBRACK", "_RBRACE", "_RSET", "_ABS_CLOSE",
                "_NORM_CLOSE", "_RFLOOR", "_RCEIL", "PRIME", "STAR", "TOP", "_END_CASES"}
_RAW = ("RAW_CMD", "RAW_CSYM", "RAW_LETTERS", "RAW_DIGITS", "RAW_PUNCT", "RAW_OTHER")
_TRANSPOSE_KEYS = {"T", r"\top", r"\mathsf{T}"}
_COMPARE_NAMES = {"<": sympy.StrictLessThan, "<=": sympy.LessThan, ">": sympy.StrictGreaterThan,
                  ">=": sympy.GreaterThan, "=": sympy.Eq, "!=": sympy.Ne}


def _fail(message: str, token=None):
    raise ClaimError(" ".join(message.split()), getattr(token, "start_pos", token) if token is not None else None)


def _token(type_: str, value: str, start: int, end: int, like: Token) -> Token:
    return Token(type_, value, start, like.line, like.column, like.end_line, like.end_column, end)


def _retype(type_: str, value: str, like: Token) -> Token:
    return _token(type_, value, like.start_pos, like.end_pos, like)


@dataclass(frozen=True)
class _Options:
    """How the claim is read, set by :func:`parse_latex` for one parse.

    ``relation``: the claim's relation; for a bound ("<=" or ">=") a leading
    ``LHS \\le`` (or a bare leading ``\\le``) is dropped like a leading ``LHS =``.
    """

    relation: str = "="


_OPTIONS: contextvars.ContextVar = contextvars.ContextVar("symcheck_latex_options", default=_Options())


class _PostLexer:
    """Gives each raw token its role (see the module docstring)."""

    always_accept = _RAW

    def process(self, stream):
        yield from _postlex(list(stream))


def _postlex(raw: list) -> list:
    if len(raw) > 4 * MAX_TOKENS:
        _fail(f"the claim is too long (more than {MAX_TOKENS} tokens)")
    raw = _cut_lhs(_strip_ends(raw), _OPTIONS.get().relation)
    tokens = _classify(raw)
    tokens = _prose(tokens)
    tokens = _letters(tokens)
    _check_depth(tokens)  # before anything that walks groups
    tokens = _split_arguments(tokens)
    tokens = _stars(tokens)
    tokens = _bars(tokens)
    if len(tokens) > MAX_TOKENS:
        _fail(f"the claim is too long ({len(tokens)} tokens; at most {MAX_TOKENS})")
    _check_depth(tokens)
    if not tokens:
        _fail("the claim is empty")
    return tokens


def _check_depth(tokens: list) -> None:
    depth = 0
    for t in tokens:
        if t.type in _OPENERS or t.type in ("_ABS_OPEN", "_NORM_OPEN"):
            depth += 1
            if depth > MAX_DEPTH:
                _fail(f"the claim is nested too deeply (more than {MAX_DEPTH} levels)", t)
        elif t.type in _CLOSERS or t.type in ("_ABS_CLOSE", "_NORM_CLOSE"):
            depth -= 1


def _strip_ends(raw: list) -> list:
    """Drop $ ... $ around the claim and the full stop or comma of a displayed formula."""
    start, end = 0, len(raw)
    while start < end and str(raw[start]) == "$":
        start += 1
    while end > start and str(raw[end - 1]) in ("$", ".", ","):
        end -= 1
    return raw[start:end]


_RAW_OPENERS = ("(", "[", "{", r"\{", r"\begin")
_RAW_CLOSERS = (")", "]", "}", r"\}", r"\end")
# the spellings of a bound's relation, and of the opposite one
_BOUND_SPELLINGS = {"<=": {r"\le", r"\leq", r"\leqslant", "≤"}, ">=": {r"\ge", r"\geq", r"\geqslant", "≥"}}
_OPPOSITE = {"<=": ">=", ">=": "<="}


def _cut_lhs(raw: list, relation: str = "=") -> list:
    """Drop a leading ``LHS =`` from the claim, and from each item of a list
    (``g(1, 0) = 0,\\ g(0, 0) = 1``); for a bound, everything up to its relation."""
    items, start, depth = [], 0, 0
    for k, t in enumerate(raw):
        v = str(t)
        if v in _RAW_OPENERS:
            depth += 1
        elif v in _RAW_CLOSERS:
            depth -= 1
        elif v == "," and depth == 0:
            items.append((start, k))
            start = k + 1
    items.append((start, len(raw)))
    out = []
    for n, (a, b) in enumerate(items):
        if n:
            out.append(raw[a - 1])  # the comma between two items
        out.extend(_cut_item(raw[a:b], relation))
    return out


def _cut_item(raw: list, relation: str) -> list:
    depth, cuts = 0, []  # (index of the relation, its width in raw tokens)
    strict = {"<=": "<", ">=": ">"}.get(relation)
    for k, t in enumerate(raw):
        v = str(t)
        nxt = raw[k + 1] if k + 1 < len(raw) else None
        if v in _RAW_OPENERS:
            depth += 1
        elif v in _RAW_CLOSERS:
            depth -= 1
        elif depth:
            continue
        elif v == "=":
            before = str(raw[k - 1]) if k else ""
            adjacent_before = k and raw[k - 1].end_pos == t.start_pos
            if (before in ("<", ">", "!", ":", "=") and adjacent_before) \
                    or (nxt is not None and str(nxt) == "=" and nxt.start_pos == t.end_pos):
                if before == ":" and adjacent_before:  # "LHS := claim"
                    cuts.append((k, 1))
                continue
            cuts.append((k, 1))
        elif relation in _BOUND_SPELLINGS and v in _BOUND_SPELLINGS[relation]:
            cuts.append((k, 1))
        elif strict is not None and v == strict and nxt is not None and str(nxt) == "=" \
                and nxt.start_pos == t.end_pos:
            cuts.append((k, 2))
    if not cuts:
        return raw
    if relation == "=" and len(cuts) > 1:
        _fail("the claim has more than one top-level '='; check one expression at a time "
              "(a leading 'LHS =' is dropped)", raw[cuts[1][0]])
    cut, width = cuts[-1]
    rest = raw[cut + width:]
    if not rest:
        _fail(f"nothing follows {str(raw[cut]) if width == 1 else str(raw[cut]) + '='!r}", raw[cut])
    lhs = raw[:cut - 1] if cut and str(raw[cut - 1]) == ":" else raw[:cut]
    for t in _classify(lhs):  # the left side is dropped, but an unknown command is refused there too
        if relation in _OPPOSITE and t.type == "REL" and str(t) not in ("=", relation):
            _fail(f"a bound ({relation}) cannot be read through '{t}': the claim's relation is {relation}", t)
    return rest


def _classify(raw: list) -> list:
    out = []
    k, n = 0, len(raw)
    sizer = None
    while k < n:
        t = raw[k]
        v = str(t)
        kind = t.type
        if sizer is not None:
            k = _sized_delimiter(raw, k, sizer, out)
            sizer = None
            continue
        if kind == "RAW_LETTERS":
            out.append(_retype("LETTERS", v, t))
        elif kind == "RAW_DIGITS":
            out.append(_retype("NUMBER", v, t))
        elif kind == "RAW_PUNCT":
            k = _punct(raw, k, out)
            continue
        elif kind == "RAW_CSYM":
            c = v[1:]
            if c in ",;:!> \n\t\r":
                pass
            elif c == "{":
                out.append(_retype("_LSET", "{", t))
            elif c == "}":
                out.append(_retype("_RSET", "}", t))
            elif c == "|":
                out.append(_retype("DBARRAW", "||", t))
            elif c == "%":
                out.append(_retype("MOD", "%", t))
            elif c == "\\":
                if k + 1 < n:  # a trailing \\ ends nothing
                    out.append(_retype("_ROWSEP", r"\\", t))
            elif c in "[(" and not out:
                pass  # \[ ... \] and \( ... \) around the claim
            elif c in "])" and k == n - 1:
                pass
            else:
                _fail(f"unsupported LaTeX command {v}", t)
        elif kind == "RAW_CMD":
            name = v[1:]
            if name in _SPACING:
                pass
            elif name in _SIZERS:
                sizer = _SIZERS[name]
                if k + 1 >= n:
                    _fail(f"{v} must be followed by a delimiter", t)
            elif name in _GREEK or name in _GREEK_VARIANTS:
                out.append(_retype("GREEK", _GREEK_VARIANTS.get(name, name), t))
            elif name in _FUNC_COMMANDS:
                out.append(_retype("FUNC", _FUNC_NAMES[name], t))
            elif name in _SIMPLE:
                out.append(_retype(*_SIMPLE[name], t))
            elif name in _RELATIONS:
                out.append(_retype("REL", _RELATIONS[name], t))
            elif name in _BAR_COMMANDS:
                out.append(_bar_token(_BAR_COMMANDS[name], t))
            elif name in _TEXT_COMMANDS:
                k = _text(raw, k, out)
                continue
            elif name in _FONTS or name in _STYLES:
                k = _font(raw, k, out)
                continue
            elif name in _ACCENTS:
                out.append(_retype("ACCENT", _ACCENTS[name], t))
            elif name in ("begin", "end"):
                k = _environment(raw, k, out)
                continue
            else:
                _fail(f"unsupported LaTeX command {v}", t)
        else:  # RAW_OTHER: a character outside ASCII
            if v in _UNICODE:
                out.append(_retype(*_UNICODE[v], t))
            elif v in _UNICODE_GREEK:
                out.append(_retype("GREEK", _UNICODE_GREEK[v], t))
            else:
                _fail(f"unexpected character {v!r}", t)
        k += 1
    return out


def _punct(raw, k, out) -> int:
    t = raw[k]
    v = str(t)
    n = len(raw)
    nxt = raw[k + 1] if k + 1 < n else None
    adjacent = nxt is not None and nxt.start_pos == t.end_pos
    if v in "<>!=":
        if adjacent and str(nxt) == "=":
            op = {"<": "<=", ">": ">=", "!": "!=", "=": "="}[v]
            out.append(_token("REL", op, t.start_pos, nxt.end_pos, t))
            return k + 2
        if v == "!":
            _fail("'!' (factorial) is not supported", t)
        out.append(_retype("REL", v, t))
        return k + 1
    if v == "/" and adjacent and str(nxt) == "/":
        out.append(_token("FLOORDIV", "//", t.start_pos, nxt.end_pos, t))
        return k + 2
    if v == "%":
        out.append(_retype("MOD", "%", t))
        return k + 1
    if v in _PUNCT:
        out.append(_retype(_PUNCT[v], v, t))
        return k + 1
    if v == "~":
        return k + 1
    _fail(f"unexpected {v!r}", t)


def _bar_token(spec, t) -> Token:
    kind, role = spec
    if kind == "abs":
        types = {None: "BARRAW", "open": "_ABS_OPEN", "close": "_ABS_CLOSE", "sep": "BAR"}
    else:
        types = {None: "DBARRAW", "open": "_NORM_OPEN", "close": "_NORM_CLOSE", "sep": "DSEP"}
    return _retype(types[role], "|" if kind == "abs" else "||", t)


def _sized_delimiter(raw, k, sizer, out) -> int:
    """The delimiter after \\left, \\right, \\middle, \\big...: returns the next index."""
    t = raw[k]
    v = str(t)
    role = {"left": "open", "right": "close", "middle": "sep", "": None}[sizer]
    if v == ".":
        return k + 1  # an invisible delimiter
    if v == "|" or v in (r"\vert", r"\lvert", r"\rvert", r"\mid"):
        out.append(_bar_token(("abs", role if v in ("|", r"\vert") else _BAR_COMMANDS[v[1:]][1]), t))
        return k + 1
    if v in (r"\|", r"\Vert", r"\lVert", r"\rVert", r"\parallel"):
        out.append(_bar_token(("norm", role if v in (r"\|", r"\Vert") else _BAR_COMMANDS[v[1:]][1]), t))
        return k + 1
    if v in ("(", ")", "[", "]", r"\{", r"\}", r"\lfloor", r"\rfloor", r"\lceil", r"\rceil", r"\lbrace",
             r"\rbrace", r"\lbrack", r"\rbrack"):
        return k  # classified as usual; the size changes nothing
    if v in (r"\langle", r"\rangle"):
        _fail(f"unsupported delimiter {v}", t)
    _fail(f"a delimiter must follow \\left, \\right or \\middle, not {v!r}", t)


def _group_text(raw, k, command: Token):
    """The plain text of the brace group starting at raw[k] ('{'): (text, next index, last token, the
    rest of a one-token argument, whether the text is set off by or contains spaces)."""
    if k >= len(raw) or str(raw[k]) != "{":
        if k < len(raw) and raw[k].type in ("RAW_LETTERS", "RAW_DIGITS"):  # \mathrm d: one character
            t = raw[k]
            v = str(t)
            return v[0], k + (1 if len(v) == 1 else 0), t, (v[1:] if len(v) > 1 else ""), False
        _fail(f"{command} must be followed by {{...}}", command)
    parts, last_end = [], raw[k].end_pos
    spaced = False
    j = k + 1
    while j < len(raw) and str(raw[j]) != "}":
        r = raw[j]
        v = str(r)
        if r.type in ("RAW_LETTERS", "RAW_DIGITS") or v in ".,:;-'":
            if last_end is not None and r.start_pos > last_end:
                parts.append(" ")
                spaced = True
            parts.append(v)
        elif r.type == "RAW_CSYM" and v[1:] in ",;:! ":
            parts.append(" ")
            spaced = True
        else:
            _fail(f"only plain words may appear in {command}{{...}}", r)
        last_end = r.end_pos
        j += 1
    if j >= len(raw):
        _fail(f"{command}{{ is never closed", command)
    if last_end is not None and raw[j].start_pos is not None and raw[j].start_pos > last_end:
        spaced = True
    return " ".join("".join(parts).split()), j + 1, raw[j], "", spaced


def _text(raw, k, out) -> int:
    """\\text{...}, \\mathrm{...}, \\operatorname{...}: one word."""
    command = raw[k]
    j = k + 1
    if j < len(raw) and str(raw[j]) == "*":  # \operatorname*
        j += 1
    word, after, last, rest, spaced = _group_text(raw, j, command)
    if rest:  # \mathrm de: only the first letter belongs to the command
        raw[after] = _token("RAW_LETTERS", rest, raw[after].start_pos + 1, raw[after].end_pos, raw[after])
    if not word:
        return after
    lower = word.lower()
    if lower in _IF_WORDS:
        kind, value = "IFWORD", lower
    elif lower in _OTHERWISE_WORDS:
        kind, value = "OTHERWISE", lower
    elif lower in ("and", "or"):
        kind, value = "CONN", lower
    elif word in _FUNC_NAMES:
        kind, value = "FUNC", _FUNC_NAMES[word]
    elif str(command)[1:] in _PROSE_COMMANDS and (spaced or any(c in word for c in ".,:;")):
        kind, value = "PROSE", word  # words, not a name: see _prose
    else:
        kind, value = "WORD", word
    out.append(_token(kind, value, command.start_pos, last.end_pos if not rest else command.end_pos + 1, command))
    return after


def _font(raw, k, out) -> int:
    r"""\mathbf, \mathcal...: and the special \mathbb{1} (indicator), \mathbb{E} (expectation)."""
    command = raw[k]
    name = str(command)[1:]
    style = _STYLES.get(name)
    content, end = None, None
    if k + 1 < len(raw):
        a = raw[k + 1]
        if str(a) == "{" and k + 3 < len(raw) and str(raw[k + 3]) == "}" and len(str(raw[k + 2])) == 1:
            content, end = str(raw[k + 2]), k + 4
        elif a.type in ("RAW_DIGITS", "RAW_LETTERS") and len(str(a)) == 1:
            content, end = str(a), k + 2
    if content is not None:
        nxt = str(raw[end]) if end < len(raw) else ""
        indicator_follows = nxt in (r"\{", "(", "[", "_", r"\left", r"\big", r"\Big", r"\bigl", r"\Bigl")
        if content == "1" and (style == "mathbb" or indicator_follows):
            out.append(_token("INDICATOR", "1", command.start_pos, raw[end - 1].end_pos, command))
            return end
        if content == "I" and style == "mathbb" and indicator_follows:
            out.append(_token("INDICATOR", "1", command.start_pos, raw[end - 1].end_pos, command))
            return end
        if content == "E" and style == "mathbb":
            out.append(_token("EXPECT", "E", command.start_pos, raw[end - 1].end_pos, command))
            return end
    if style is not None:
        out.append(_retype("STYLE", style, command))
    else:
        out.append(_retype("FONT", "font", command))
    return k + 1


def _environment(raw, k, out) -> int:
    command = raw[k]
    name, after, last, _, _ = _group_text(raw, k + 1, command)
    name = name.rstrip("*")
    if name not in ("cases", "dcases", "rcases"):
        _fail(f"the environment {name or '?'} is not supported (only cases)", command)
    begin = str(command) == r"\begin"
    out.append(_token("_BEGIN_CASES" if begin else "_END_CASES", name, command.start_pos, last.end_pos, command))
    return after


def _prose(tokens: list) -> list:
    r"""Words that are not a name (\text{likelihood }, \text{After rounding up, the output is }) are a
    label when they open the claim or an item of a list, and are dropped; anywhere else they may carry
    mathematics (x \text{ plus } y), so they are refused."""
    out, depth = [], 0
    for k, t in enumerate(tokens):
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        if t.type != "PROSE":
            out.append(t)
            continue
        opens = not out or (depth == 0 and out[-1].type == "COMMA")
        rest = next((u for u in tokens[k + 1:] if u.type != "PROSE"), None)
        if opens and rest is not None and rest.type != "COMMA":
            continue
        if opens:
            _fail(f"the claim is words ({str(t)!r}), not a formula: keep the formula in the LaTeX and the "
                  f"words in the note", t)
        _fail(f"words inside a formula ({str(t)!r}): only a label before the formula is ignored", t)
    return out


def _letters(tokens: list) -> list:
    """Split letter runs into letters, except a function word before its argument
    (KL(p\\|q), sign(x)); read D_{KL}( as KL( and I\\{ as an indicator."""
    out = []
    k, n = 0, len(tokens)
    while k < n:
        t = tokens[k]
        nxt = tokens[k + 1].type if k + 1 < n else None
        if t.type == "LETTERS":
            v = str(t)
            if v == "D" and _is_divergence(tokens, k):
                name = _divergence_name(tokens[k + 3])
                out.append(_token("FUNC", name, t.start_pos, tokens[k + 4].end_pos, t))
                k += 5
                continue
            if v in _FUNC_NAMES and nxt in ("_LPAR", "_LBRACK", "_LSET"):
                out.append(_retype("FUNC", _FUNC_NAMES[v], t))
            elif v == "I" and nxt == "_LSET":
                out.append(_retype("INDICATOR", "1", t))
            else:
                for j, ch in enumerate(v):
                    out.append(_token("LETTER", ch, t.start_pos + j, t.start_pos + j + 1, t))
        else:
            out.append(t)
        k += 1
    return out


def _divergence_name(t) -> str:
    return "KL" if str(t) == "KL" else "JSD"


def _is_divergence(tokens, k) -> bool:
    """D_{KL}( or D_{\\mathrm{KL}}(: the KL divergence."""
    if k + 5 > len(tokens):
        return False
    sub, lb, name, rb = tokens[k + 1:k + 5]
    after = tokens[k + 5].type if k + 5 < len(tokens) else None
    return (sub.type == "_SUB" and lb.type == "_LBRACE" and rb.type == "_RBRACE"
            and name.type in ("LETTERS", "WORD", "FUNC") and str(name) in ("KL", "JS", "JSD")
            and after in ("_LPAR", "_LBRACK"))


def _split_arguments(tokens: list) -> list:
    r"""TeX reads one token as an argument: \frac12 is \frac{1}{2}, x^23 is x^{2}3."""
    out = list(tokens)
    k = 0
    while k < len(out):
        t = out[k]
        if t.type in ("_CARET", "_SUB"):
            _split_digit(out, k + 1)
        elif t.type == "FRAC":
            j = _split_digit(out, k + 1)
            if j is not None:
                _split_digit(out, j)
        elif t.type == "SQRT":
            j = k + 1
            if j < len(out) and out[j].type == "_LBRACK":
                j = _skip_group(out, j, "_LBRACK", "_RBRACK")
            if j is not None:
                _split_digit(out, j)
        k += 1
    return out


def _skip_group(tokens, j, open_type, close_type):
    depth = 0
    while j < len(tokens):
        if tokens[j].type == open_type:
            depth += 1
        elif tokens[j].type == close_type:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _split_digit(tokens, j):
    """Make tokens[j] one argument; return the index after it (None at the end)."""
    if j >= len(tokens):
        return None
    t = tokens[j]
    if t.type == "_LBRACE":
        return _skip_group(tokens, j, "_LBRACE", "_RBRACE")
    if t.type == "NUMBER" and len(str(t)) > 1 and str(t)[0] != ".":
        v = str(t)
        tokens[j:j + 1] = [_token("NUMBER", v[0], t.start_pos, t.start_pos + 1, t),
                           _token("NUMBER", v[1:], t.start_pos + 1, t.end_pos, t)]
    return j + 1


def _stars(tokens: list) -> list:
    """A * in a sub/superscript (w^*, w^{*}) marks a symbol; elsewhere it multiplies, and so it does
    in the dimensions of \\mathbb{R}^{10*300}."""
    out = []
    script_braces = []  # per open brace: "script", "dims" (of \mathbb{R}^{...}) or None
    for t in tokens:
        prev = out[-1].type if out else None
        if t.type == "_LBRACE":
            if prev == "_CARET" and _after_reals(out):
                script_braces.append("dims")
            else:
                script_braces.append("script" if prev in ("_CARET", "_SUB") else None)
        elif t.type == "_RBRACE" and script_braces:
            script_braces.pop()
        if t.type == "STARRAW":
            top = script_braces[-1] if script_braces else None
            in_script = prev in ("_CARET", "_SUB") or top == "script"
            t = _retype("STAR" if in_script else "MULOP", "*", t)
        out.append(t)
    return out


def _after_reals(out: list) -> bool:
    """Does out end with \\mathbb{R}^ (or \\mathbb R^)?"""
    if len(out) >= 3 and out[-1].type == "_CARET" and out[-2].type == "LETTER" and str(out[-2]) == "R" \
            and out[-3].type == "STYLE" and str(out[-3]) == "mathbb":
        return True
    return (len(out) >= 5 and out[-1].type == "_CARET" and out[-2].type == "_RBRACE" and out[-3].type == "LETTER"
            and str(out[-3]) == "R" and out[-4].type == "_LBRACE" and out[-5].type == "STYLE"
            and str(out[-5]) == "mathbb")


def _bars(tokens: list) -> list:
    """Decide for each | and \\| whether it opens, closes or separates."""
    # how many undecided bars of each kind remain in each bracket region
    remaining = {}
    stack = [[]]
    for i, t in enumerate(tokens):
        if t.type in _OPENERS:
            stack.append([])
        elif t.type in _CLOSERS and len(stack) > 1:
            _count(stack.pop(), tokens, remaining)
        elif t.type in ("BARRAW", "DBARRAW"):
            stack[-1].append(i)
    for region in stack:
        _count(region, tokens, remaining)

    out = []
    opened = []  # (kind, depth)
    depth = 0
    skip = False
    for i, t in enumerate(tokens):
        if skip:
            skip = False
            continue
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        if t.type in ("_ABS_OPEN", "_NORM_OPEN"):
            opened.append(("abs" if t.type == "_ABS_OPEN" else "norm", depth))
        elif t.type in ("_ABS_CLOSE", "_NORM_CLOSE"):
            kind = "abs" if t.type == "_ABS_CLOSE" else "norm"
            if opened and opened[-1][0] == kind:
                opened.pop()
        if t.type not in ("BARRAW", "DBARRAW"):
            out.append(t)
            continue
        kind = "abs" if t.type == "BARRAW" else "norm"
        prev = out[-1].type if out else None
        operand = prev in _OPERAND_END
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if opened and opened[-1] == (kind, depth) and operand:
            out.append(_retype("_ABS_CLOSE" if kind == "abs" else "_NORM_CLOSE", str(t), t))
            opened.pop()
        elif operand and kind == "abs" and nxt is not None and nxt.type == "BARRAW" and nxt.start_pos == t.end_pos:
            out.append(_token("DSEP", "||", t.start_pos, nxt.end_pos, t))  # KL(p || q)
            skip = True
        elif operand and remaining.get(i, 0) % 2 == 1:
            out.append(_retype("BAR" if kind == "abs" else "DSEP", str(t), t))
        else:
            out.append(_retype("_ABS_OPEN" if kind == "abs" else "_NORM_OPEN", str(t), t))
            opened.append((kind, depth))
    return out


def _count(region, tokens, remaining):
    for kind in ("BARRAW", "DBARRAW"):
        same = [i for i in region if tokens[i].type == kind]
        for pos, i in enumerate(same):
            remaining[i] = len(same) - pos


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("symcheck").joinpath("grammar/claim_latex.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", postlex=_PostLexer(), propagate_positions=True,
                maybe_placeholders=False)


def _describe(token: Token, source: str) -> str:
    if token.type == "$END":
        return "the end of the claim"
    shown = source[token.start_pos:token.end_pos] if token.start_pos is not None else str(token)
    return repr(shown or str(token))


_EXPECTED_NAMES = {"_RBRACE": "'}'", "_RPAR": "')'", "_RBRACK": "']'", "_RSET": r"'\}'", "_ABS_CLOSE": "'|'",
                   "_NORM_CLOSE": r"'\|'", "_END_CASES": r"'\end{cases}'", "_RFLOOR": r"'\rfloor'",
                   "_RCEIL": r"'\rceil'", "_AMP": "'&'", "_LBRACE": "'{'"}


def _unclosed(text: str):
    """The innermost group left open at the end of the claim, if any."""
    stack = []
    try:
        for t in _parser().lex(text):
            if t.type in _OPENERS or t.type in ("_ABS_OPEN", "_NORM_OPEN"):
                stack.append(t)
            elif (t.type in _CLOSERS or t.type in ("_ABS_CLOSE", "_NORM_CLOSE")) and stack:
                stack.pop()
    except (ClaimError, LarkError):
        return None
    return stack[-1] if stack else None


def _parse_tree(text: str) -> Tree:
    """The parse tree of ``text``; ClaimError (with the column) when it does not parse."""
    try:
        return _parser().parse(text)
    except ClaimError as error:
        raise ClaimError(error.message, error.position, text) from None
    except UnexpectedToken as error:
        token = error.token
        wanted = sorted(_EXPECTED_NAMES[e] for e in (error.expected or ()) if e in _EXPECTED_NAMES)
        hint = f"; expected {' or '.join(wanted)}" if wanted and len(wanted) <= 2 else ""
        if token.type == "$END":
            opener = _unclosed(text)
            if opener is not None:
                what = text[opener.start_pos:opener.end_pos]
                raise ClaimError(f"syntax error: the claim ends before the {what!r} at column {opener.start_pos + 1} "
                                 f"is closed", len(text.rstrip()), text) from None
            raise ClaimError("syntax error: the claim ends too early", len(text.rstrip()), text) from None
        raise ClaimError(f"syntax error: unexpected {_describe(token, text)}{hint}", token.start_pos, text) from None
    except UnexpectedCharacters as error:
        raise ClaimError(f"unexpected character {text[error.pos_in_stream]!r}", error.pos_in_stream, text) from None
    except UnexpectedEOF:
        raise ClaimError("syntax error: the claim ends too early", len(text.rstrip()), text) from None
    except RecursionError:
        raise ClaimError("the claim is nested too deeply", None, text) from None
    except LarkError as error:
        raise ClaimError(f"cannot read the claim: {str(error).strip().splitlines()[0]}", None, text) from None


# ----------------------------------------------------------------------------------
# Keys: the normalised spelling symbols are matched by
# ----------------------------------------------------------------------------------

_KEY_TOKENS = {"COMMA": ",", "SEMI": ";", "BAR": "|", "DSEP": r"\|", "MULOP": r"\cdot", "DIV": "/",
               "HADAMARD": r"\odot", "PLUS": "+", "MINUS": "-", "STAR": "*", "TOP": r"\top", "PRIME": r"\prime",
               "FLOORDIV": "//", "MOD": r"\%"}
_SCRIPTS = ("sub", "sup", "prime")
_SCRIPTED = ("named_scripted", "other_scripted", "group_scripted")
# nodes that need no parentheses: (\frac{a}{b}) and \frac{a}{b} spell the same symbol part
_ATOMIC = ("letter", "greek", "word", "number", "frac", "font", "style", "accent", "application", "brace", "paren",
           "bracket", "abs", "norm") + _SCRIPTED


def _script_key(base: str, subs: list, sups: list) -> str:
    return base + "".join("_{%s}" % s for s in subs) + "".join("^{%s}" % s for s in sups)


def _is_script(node) -> bool:
    return isinstance(node, Tree) and node.data in _SCRIPTS


def _strip(node):
    """A group's single expression: expr(x) -> x."""
    while isinstance(node, Tree) and node.data == "expr" and len(node.children) == 1:
        node = node.children[0]
    return node


def _derivative_part(node):
    """For ∂X (or d X): (the ∂'s power scripts, the tree of X); else None."""
    node = _strip(node)
    if isinstance(node, Tree) and node.data == "partial":
        return node.children[1:-1], node.children[-1]
    if isinstance(node, Tree) and node.data == "mulchain" and len(node.children) == 2:
        first = node.children[0]
        if isinstance(first, Tree) and first.data in ("letter", "word") and str(first.children[0]) == "d" \
                and isinstance(node.children[1], Tree):
            return [], node.children[1]
    return None


def _starts_with_partial(node) -> bool:
    node = _strip(node)
    while isinstance(node, Tree) and node.data in ("mulchain", "neg") and node.children:
        node = node.children[0] if node.data == "mulchain" else node.children[1]
    return isinstance(node, Tree) and node.data == "partial"


class _Keys:
    """Keys of parse trees, memoised per node."""

    def __init__(self):
        self.memo = {}

    def __call__(self, node) -> str:
        if isinstance(node, Token):
            return _KEY_TOKENS.get(node.type, str(node))
        found = self.memo.get(id(node))
        if found is None or found[0] is not node:  # keep the node: its id is never reused while memoised
            found = self.memo[id(node)] = (node, self.compute(node))
        return found[1]

    def partial(self, power, var) -> str:
        return r"\partial" + "".join("^{%s}" % self(p) for p in power) + " " + self(var)

    def derivative(self, num, den):
        a, b = _derivative_part(num), _derivative_part(den)
        if a is None or b is None:
            return None
        return r"\frac{%s}{%s}" % (self.partial(*a), self.partial(*b))

    def scripts(self, scripts):
        subs, sups = [], []
        for s in scripts:
            if s.data == "sub":
                subs.append(self(s.children[0]))
            elif s.data == "sup":
                sups.append(self(s.children[0]))
            else:
                sups.append(r"\prime")
        return subs, sups

    def compute(self, node: Tree) -> str:
        data, ch = node.data, node.children
        if data in ("letter", "greek", "number"):
            return ("\\" if data == "greek" else "") + str(ch[0])
        if data == "word":
            word = str(ch[0])
            return " ".join(word) if word.isalpha() else word
        if data == "mark":
            return self(ch[0])
        if data == "font":
            inner = self(ch[1])
            return r"\mathbf{%s}" % inner if inner.isdigit() else inner  # a bold 1 is a vector of ones
        if data in ("style", "accent"):
            return "\\%s{%s}" % (ch[0], self(ch[1]))
        if data == "brace":
            return self(ch[0])
        if data == "paren":
            inner = _strip(ch[0])
            return self(inner) if isinstance(inner, Tree) and inner.data in _ATOMIC else "(%s)" % self(ch[0])
        if data == "bracket":
            return "[%s]" % self(ch[0])
        if data in ("seq", "expr", "mulchain"):
            if data == "mulchain" and len(ch) == 3 and isinstance(ch[1], Token) and ch[1].type == "DIV":
                derivative = self.derivative(ch[0], ch[2])
                if derivative is not None:
                    return derivative
            return " ".join(self(c) for c in ch)
        if data == "neg":
            return "-" + self(ch[1])
        if data == "frac":
            return self.derivative(ch[1], ch[2]) or r"\frac{%s}{%s}" % (self(ch[1]), self(ch[2]))
        if data == "partial":
            return self.partial(ch[1:-1], ch[-1])
        if data in _SCRIPTED:
            return _script_key(self(ch[0]), *self.scripts(ch[1:]))
        if data == "application":
            return _script_key("%s(%s)" % (self(ch[0]), self(ch[1])), *self.scripts(ch[2:]))
        return "%s(%s)" % (data, ",".join(self(c) for c in ch))


# ----------------------------------------------------------------------------------
# The symbol table of an entry
# ----------------------------------------------------------------------------------

@dataclass
class _Table:
    keys: dict          # key -> declared name
    embedded: dict      # vector name -> the declared index its LaTeX names (q_\phi(z|x) -> z)
    products: set       # keys of declared symbols spelt as a product (x[t], W_{f,c} *_{full} ...)
    longest: int        # the most factors such a product has
    spelt_indexed: set  # indexed definitions whose LaTeX shows their indices (read at their parameters)
    listing: str        # "x, \frac{\partial E}{\partial y} (dEdy), ..."
    unreadable: list    # declared names whose LaTeX does not parse


def _declarations(notation: Notation) -> tuple:
    out = []
    for v in notation.variables:
        out.append((v.name, v.latex, "vector" if v.kind == "vector" else v.kind, ()))
    for d in notation.definitions:
        kind = "vector" if len(d.shape) == 1 else ("indexed" if d.params else "other")
        out.append((d.name, d.latex, kind, tuple(d.params)))
    for s in notation.sizes:
        out.append((s.name, s.latex or s.name, "size", ()))
    for i in notation.indices:
        out.append((i.name, i.latex or i.name, "index", ()))
    return tuple(out)


@lru_cache(maxsize=64)
def _table(declarations: tuple) -> _Table:
    keys, embedded, products, spelt, unreadable, shown = {}, {}, set(), set(), [], []
    longest = 0
    index_keys = {}
    trees = {}
    for name, latex, kind, params in declarations:
        key_of = _Keys()
        try:
            tree = _parse_tree(latex)
        except ClaimError:
            unreadable.append(name)
            shown.append(f"{latex} ({name}, unreadable LaTeX)")
            continue
        body = _unwrap(tree)
        key = key_of(body)
        trees[name] = (body, key_of)
        keys.setdefault(key, name)
        if kind == "index":
            index_keys[key] = name
        if isinstance(body, Tree) and body.data == "mulchain":
            products.add(key)
            longest = max(longest, len(body.children))
        if kind == "indexed":
            if {key_of(leaf) for leaf in _leaves(body)} & set(params):
                spelt.add(name)
                shown.append(f"{latex} ({name})")
            else:
                shown.append(f"{latex}_{{...}} ({name})")
        else:
            shown.append(latex if _plain(latex) == name else f"{latex} ({name})")
    for name, latex, kind, _ in declarations:
        if kind != "vector" or name not in trees:
            continue
        body, key_of = trees[name]
        if isinstance(body, Tree) and body.data == "application":
            for leaf in _leaves(body.children[1]):
                index = index_keys.get(key_of(leaf))
                if index is not None:
                    embedded[name] = index
                    break
    return _Table(keys, embedded, products, longest, spelt, ", ".join(shown) or "(no symbols)", unreadable)


def _plain(latex: str) -> str:
    return "".join(latex.split())


def _unwrap(tree: Tree):
    """start -> expr -> single term: the node a declared symbol is."""
    node = tree.children[0] if tree.data == "start" else tree
    return _strip(node)


def _leaves(node):
    if isinstance(node, Tree):
        if node.data in ("letter", "greek", "word"):
            yield node
        else:
            for c in node.children:
                yield from _leaves(c)


def _substitute(node, letter: str, value):
    """A copy of the tree with the letter replaced by a number (w_i[t] -> w_0[t]) or by a copy of a
    tree (D_{k+1} -> D_{t+1}), sums of numbers then folded (h^{(t-1)} at t = 1 -> h^{(0)})."""
    return _fold(_replace(node, letter, value))


def _replace(node, letter: str, value):
    if not isinstance(node, Tree):
        return node
    if node.data == "letter" and str(node.children[0]) == letter:
        if isinstance(value, Tree):
            return _replace(value, "", None)  # a fresh copy
        return _number_node(value, node.children[0], node.meta)
    return Tree(node.data, [_replace(c, letter, value) for c in node.children], _copy_meta(node.meta))


def _number_node(number: int, like: Token, meta):
    tok = Token("NUMBER", str(abs(number)), like.start_pos, like.line, like.column, like.end_line, like.end_column,
                like.end_pos)
    node = Tree("number", [tok], _copy_meta(meta))
    if number < 0:
        return Tree("neg", [Token("MINUS", "-", like.start_pos, like.line, like.column, like.end_line,
                                  like.end_column, like.end_pos), node], _copy_meta(meta))
    return node


def _shifted(node, offset: int):
    """The tree of node + offset (a copy)."""
    if offset == 0:
        return _replace(node, "", None)
    tok = next((t for t in node.scan_values(lambda v: isinstance(v, Token))), Token("NUMBER", "0"))
    op = Token("PLUS" if offset > 0 else "MINUS", "+" if offset > 0 else "-", tok.start_pos, tok.line, tok.column,
               tok.end_line, tok.end_column, tok.end_pos)
    return Tree("expr", [_replace(node, "", None), op, _number_node(abs(offset), tok, node.meta)],
                _copy_meta(node.meta))


def _integer_text(node):
    if isinstance(node, Tree) and node.data == "number" and str(node.children[0]).isdigit():
        return int(str(node.children[0]))
    return None


def _fold(node):
    """Fold the integers of a sum that substitution produced: (t + 1) + 1 -> t + 2, 1 - 1 -> 0."""
    if not isinstance(node, Tree):
        return node
    node = Tree(node.data, [_fold(c) for c in node.children], node.meta)
    if node.data != "expr" or len(node.children) < 3:
        return node
    terms, nested = [], False

    def add(sign, child):
        nonlocal nested
        if isinstance(child, Tree) and child.data == "expr":
            nested = True
            add(sign, child.children[0])
            for op, term in zip(child.children[1::2], child.children[2::2]):
                add(sign if op.type == "PLUS" else -sign, term)
        elif isinstance(child, Tree) and child.data == "neg" and _integer_text(child.children[1]) is not None:
            terms.append((-sign, child.children[1]))
        else:
            terms.append((sign, child))

    add(1, node.children[0])
    for op, term in zip(node.children[1::2], node.children[2::2]):
        add(1 if op.type == "PLUS" else -1, term)
    numbers = [k for k, (_, t) in enumerate(terms) if _integer_text(t) is not None]
    if not nested and len(numbers) < 2:
        return node
    total = sum(sign * _integer_text(t) for sign, t in terms if _integer_text(t) is not None)
    rest = [(sign, t) for sign, t in terms if _integer_text(t) is None]
    like = next(node.scan_values(lambda v: isinstance(v, Token)))
    if total and numbers:
        rest.insert(sum(1 for k in range(numbers[0]) if _integer_text(terms[k][1]) is None),
                    (1 if total > 0 else -1, _number_node(abs(total), like, node.meta)))
    if not rest:
        return _number_node(0, like, node.meta)
    children = []
    for k, (sign, term) in enumerate(rest):
        if k == 0:
            children.append(term if sign > 0 else Tree("neg", [Token("MINUS", "-", like.start_pos, like.line,
                                                                      like.column, like.end_line, like.end_column,
                                                                      like.end_pos), term], _copy_meta(node.meta)))
        else:
            children += [Token("PLUS" if sign > 0 else "MINUS", "+" if sign > 0 else "-", like.start_pos, like.line,
                               like.column, like.end_line, like.end_column, like.end_pos), term]
    if len(children) == 1:
        return children[0]
    return Tree("expr", children, node.meta)


def _split_at(children, is_separator):
    """Runs of the children between separators (tokens); None marks an empty run."""
    groups, current = [], []
    for c in children:
        if is_separator(c):
            groups.append(current or [None])
            current = []
        else:
            current.append(c)
    groups.append(current or [None])
    return groups


def _trim_operators(children):
    children = list(children)
    while children and isinstance(children[0], Token):
        children.pop(0)
    while children and isinstance(children[-1], Token):
        children.pop()
    return children


def _lower_node(bigop_node):
    """The tree of the lower limit of \\sum_{k=t}^{...}, or None."""
    for script in bigop_node.children[1:-1]:
        if isinstance(script, Tree) and script.data == "sub":
            arg = _strip(script.children[0])
            if isinstance(arg, Tree) and arg.data == "relation" and len(arg.children) == 3:
                return _strip(arg.children[2])
    return None


def _copy_meta(meta):
    copy = Meta()
    copy.__dict__.update({k: v for k, v in meta.__dict__.items() if k != "node"})
    return copy


def _link(tree: Tree) -> None:
    for node in tree.iter_subtrees():
        node.meta.node = node


# ----------------------------------------------------------------------------------
# Translation
# ----------------------------------------------------------------------------------

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
            return callback(self, meta, children)
        except ClaimError as error:
            return _Deferred(error.message, error.position)
        except _BUILD_ERRORS as error:
            unknown = self.unknown_among(children)
            if unknown is not None:
                return unknown
            return _Deferred(_message(error), _pos(meta))

    return rule


class _Builder(Transformer):
    """Parse tree -> SymPy, bottom-up; symbol names are resolved by key."""

    def __init__(self, notation: Notation, source: str, tuple_length: int | None = None):
        super().__init__(visit_tokens=False)
        self.notation = notation
        self.source = source
        self.tuple_length = tuple_length
        self.constants = _constants(notation)
        self.table = _table(_declarations(notation))
        self.key = _Keys()
        self.markers = {}    # marker symbol -> [key, plain name, first position, end]
        self.expansions = 0  # terms written out by expand(), bounded by MAX_EXPANSIONS
        self.by_key = {}     # key -> marker symbol

    # -- errors -------------------------------------------------------------------
    def fail(self, message: str, position=None):
        raise ClaimError(" ".join(message.split()), position, self.source)

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
        spelt = {self.latex_of(name): name for name in self.table.keys.values()}
        close = difflib.get_close_matches(shown, list(spelt), n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]}?)" if close else ""
        if shown.startswith(r"\sigma") and self.table.keys.get(r"\sigma") is None:
            hint += r" (for the sigmoid write \sigma(x))"
        self.fail(f"unknown symbol {shown}{hint}; this entry knows: {self.table.listing}", position)

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
        name = self.table.keys.get(key)
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
            self.fail("a list of several values where one was expected", x.pos)
        if isinstance(x, (_Rel, _Cond)):
            self.fail("a comparison where a value was expected", x.pos)
        if isinstance(x, _Sim):
            self.fail("'\\sim' belongs in the subscript of \\mathbb{E}", x.pos)
        if isinstance(x, _Partial):
            self.fail(r"\partial only appears inside a declared derivative; this entry knows: "
                      + self.table.listing, x.pos)
        if isinstance(x, _Mark):
            what = {"*": "*", "T": r"\top", "'": "'"}[x.kind]
            self.fail(f"'{what}' here is not part of a declared symbol; this entry knows: {self.table.listing}",
                      x.pos)
        if isinstance(x, _Call):
            self.unknown(x.key, x.pos)
        if isinstance(x, _Shape):
            self.fail(r"a shape (\mathbb{R}^{\ldots}) where a value was expected: a shape is a whole claim or an "
                      r"item of a list", x.pos)
        if isinstance(x, Tree) and x.data == "opsub":
            self.fail(f"unknown operator {self.key(x)}; this entry knows: {self.table.listing}", _node_pos(x))
        self.fail("cannot read this part of the claim", position)

    def number_guard(self, value, position=None):
        """A number too large to print is refused as soon as it appears."""
        if isinstance(value, sympy.Rational) and _too_many_digits(value):
            self.fail(f"a number in the claim is too large (over {MAX_PRINTABLE_DIGITS} digits)", position)
        return value

    def add(self, left, right, sign: int = 1, position=None):
        left, right = _scalar_context(left, right)
        if isinstance(left, MatrixExpr) and isinstance(right, MatrixExpr) and left.shape != right.shape:
            self.fail(f"cannot add a {_shape(left)} and a {_shape(right)} matrix", position)
        if isinstance(left, MatrixExpr) != isinstance(right, MatrixExpr):
            # 1 - \sigma(z): a scalar and a vector combine entry by entry
            if isinstance(left, MatrixExpr):
                return _elementwise(lambda d: d + right if sign > 0 else d - right, left)
            return _elementwise(lambda d: left + d if sign > 0 else left - d, right)
        return self.number_guard(left + right if sign > 0 else left - right, position)

    def binop(self, op, left, right, position):
        kind = op.type if isinstance(op, Token) else "MULOP"
        if kind == "MULOP":
            return self.number_guard(left * right, position)
        if kind == "DIV":
            return self.divide(left, right, position)
        if kind in ("FLOORDIV", "MOD"):
            if isinstance(left, MatrixExpr) or isinstance(right, MatrixExpr):
                self.fail("// and \\% take numbers", position)
            return sympy.floor(left / right) if kind == "FLOORDIV" else sympy.Mod(left, right)
        if kind == "HADAMARD":
            if isinstance(left, MatrixExpr) and isinstance(right, MatrixExpr) and left.shape != right.shape:
                self.fail(f"the entrywise product of a {_shape(left)} and a {_shape(right)} matrix", position)
            return sympy.HadamardProduct(left, right)
        self.value(op)  # an operator like *_{full} that is not part of a declared symbol

    def divide(self, left, right, position):
        left, right = _scalar_context(left, right)
        if isinstance(right, MatrixExpr):
            self.fail("cannot divide by a matrix; multiply by its inverse (^{-1}) instead", position)
        return self.number_guard(left / right, position)

    def power(self, base, exponent, position):
        if isinstance(exponent, MatrixExpr):
            self.fail("an exponent must be a scalar", position)
        if isinstance(base, MatrixExpr):
            if exponent == -1:
                return sympy.Inverse(base)
            return sympy.MatPow(base, exponent)
        if base.is_Number and exponent.is_Number and _too_large(base, exponent):
            self.fail(f"the number {_short(base)}^{_short(exponent)} is too large (over {MAX_DIGITS} digits)",
                      position)
        return self.number_guard(sympy.Pow(base, exponent), position)

    # -- leaves -----------------------------------------------------------------------
    def start(self, meta, ch):
        """One expression, or a list: its items in order, each shape (X \\in \\mathbb{R}^{m \\times n})
        contributing its dimensions."""
        items, nodes = ch[0::2], meta.node.children[0::2]
        if len(items) == 1 and not isinstance(items[0], _Shape):
            listed = self.listed(nodes[0])
            return items[0] if listed is None else listed
        values = []
        for item, node in zip(items, nodes):
            if isinstance(item, _Shape):
                values.extend(item.dims)
                continue
            value = self.value(item, _node_pos(node, _pos(meta)))
            if isinstance(value, MatrixExpr):
                self.fail("an item of a list must be a number or a scalar expression, not a matrix",
                          _node_pos(node, _pos(meta)))
            values.append(value)
        return sympy.Tuple(*values)

    def listed(self, node):
        r"""Where the quantity is a list of k values (a shape), 16 \times 28 \times 28 at the top of the
        claim, with exactly k factors, is the list (16, 28, 28), as sheets print shapes."""
        if not self.tuple_length or self.tuple_length < 2:
            return None
        node = _strip(node)
        if not (isinstance(node, Tree) and node.data == "mulchain"):
            return None
        groups = _split_at(node.children, lambda t: isinstance(t, Token) and t.type == "MULOP"
                           and self.spelling(t) in (r"\times", "×"))
        if len(groups) != self.tuple_length or any(None in g for g in groups):
            return None
        return sympy.Tuple(*(self.scalar(self.group_value(g, node.meta), _node_pos(g[0])) for g in groups))

    def spelling(self, token: Token) -> str:
        if token.start_pos is None or token.end_pos is None:
            return str(token)
        return self.source[token.start_pos:token.end_pos]

    def scalar(self, value, position):
        value = self.value(value, position)
        if isinstance(value, MatrixExpr):
            self.fail("a dimension or an item of a list must be a scalar, not a matrix", position)
        return value

    def group_value(self, nodes, meta):
        """The value of a run of factors of a product (their own product)."""
        if len(nodes) == 1:
            return self.transform(nodes[0])
        tree = Tree("mulchain", list(nodes), _copy_meta(meta))
        tree.meta.node = tree
        return self.transform(tree)

    def member(self, meta, ch):
        """X_c \\in \\mathbb{R}^{10 \\times 1 \\times 5}: the shape; what is in it (X_c) names it, like a
        dropped 'LHS ='."""
        space = ch[-1]
        if isinstance(space, (_Shape, _Deferred)):
            return space
        return _Deferred(r"'\in' takes a space such as \mathbb{R}^{m \times n} (a shape)", _pos(meta))

    def space(self, script: _Script, meta):
        r"""\mathbb{R}^{10 \times 300}, \mathbb{R}^{10*300}, \mathbb{R}^{50,1}, \mathbb{R}^n: a shape."""
        tree = _strip(script.tree)
        if isinstance(tree, Tree) and tree.data == "seq":
            if any(not (isinstance(t, Token) and t.type == "COMMA") for t in tree.children[1::2]):
                self.fail(r"separate the dimensions of \mathbb{R}^{...} with \times or commas", script.pos)
            groups = []
            for item in tree.children[0::2]:
                inner = _strip(item)
                if isinstance(inner, Tree) and inner.data == "mulchain":
                    groups += _split_at(inner.children, lambda t: isinstance(t, Token) and t.type == "MULOP")
                else:
                    groups.append([item])
        elif isinstance(tree, Tree) and tree.data == "mulchain":
            groups = _split_at(tree.children, lambda t: isinstance(t, Token) and t.type == "MULOP")
        elif tree is not None:
            groups = [[tree]]
        else:
            self.fail(r"write the dimensions of \mathbb{R}^{...}", script.pos)
        if not groups or any(None in g for g in groups):
            self.fail(r"write the dimensions of \mathbb{R}^{...}", script.pos)
        dims = [self.scalar(self.group_value(g, getattr(tree, "meta", meta)), script.pos) for g in groups]
        return _Shape(dims, script.pos)

    def underbrace(self, meta, ch):
        r"""\underbrace{A \cdots A}_{n}: n factors A, the product A^n."""
        body = _strip(meta.node.children[1])
        position = _pos(meta)
        wrong = r"write \underbrace{A \cdots A}_{n}: the same factors on both sides of \cdots, and their number n"
        if not (isinstance(body, Tree) and body.data == "mulchain"):
            self.fail(wrong, position)
        children = body.children
        dots = [k for k, c in enumerate(children) if isinstance(c, Tree) and c.data == "dots"]
        if len(dots) != 1:
            self.fail(wrong, position)
        before = _trim_operators(children[:dots[0]])
        after = _trim_operators(children[dots[0] + 1:])
        if not before or [self.key(c) for c in before] != [self.key(c) for c in after] \
                or any(isinstance(c, Token) and c.type != "MULOP" for c in before):
            self.fail(wrong, position)
        unit = self.value(self.group_value(before, body.meta), position)
        count = self.value(ch[-1], position)
        if isinstance(count, MatrixExpr) or count.is_integer is False or count.is_positive is False:
            self.fail(r"the number of factors of \underbrace{\ldots}_{n} must be a positive integer", position)
        return self.power(unit, count, position)

    def dots(self, meta, ch):
        return _Deferred(r"'\cdots' leaves factors out: write \underbrace{A \cdots A}_{n} with their number n",
                         _pos(meta))

    def dop(self, meta, ch):
        return _Partial(_pos(meta))

    def letter(self, meta, ch):
        return self.atom(meta, str(ch[0]))

    def greek(self, meta, ch):
        return self.atom(meta, str(ch[0]))

    def word(self, meta, ch):
        word = str(ch[0])
        return self.atom(meta, word if word.isidentifier() else None)

    def number(self, meta, ch):
        text = str(ch[0])
        found = self.lookup(text)
        if found is not None:  # a size the sheet writes as its value (L, written 49)
            return found
        if len(text) > MAX_PRINTABLE_DIGITS:
            self.fail(f"the number has too many digits (at most {MAX_PRINTABLE_DIGITS})", _pos(meta))
        return sympy.Integer(text) if text.isdigit() else sympy.Rational(text)

    def mark(self, meta, ch):
        return _Mark({"STAR": "*", "TOP": "T", "PRIME": "'"}[ch[0].type], False, _pos(meta))

    def negmark(self, meta, ch):
        return _Mark("T" if ch[1].type == "TOP" else "*", True, _pos(meta))

    def marked(self, meta, ch):
        return _Mark("T" if ch[1].type == "TOP" else "*", False, _pos(meta))

    def font(self, meta, ch):
        found = self.lookup(self.key(meta.node))  # \mathbf{1}, a vector of ones, is not the number 1
        return ch[1] if found is None else found

    def style(self, meta, ch):
        return self.atom(meta, None)

    def accent(self, meta, ch):
        return self.atom(meta, None)

    def brace(self, meta, ch):
        inner = ch[0]
        return self.value(inner, _pos(meta)) if isinstance(inner, _OpenSum) else inner

    def paren(self, meta, ch):
        inner = ch[0]
        return self.value(inner, _pos(meta)) if isinstance(inner, _OpenSum) else inner

    bracket = paren

    def opsub(self, meta, ch):
        return meta.node

    # -- sums and products ---------------------------------------------------------------
    def expr(self, meta, ch):
        if len(ch) == 1:
            return ch[0]  # placeholders (∂E, a list, an open sum) are judged by whoever uses them
        terms = [(1, ch[0])] + [(1 if op.type == "PLUS" else -1, t) for op, t in zip(ch[1::2], ch[2::2])]
        merged = []
        for sign, term in terms:
            if merged and isinstance(merged[-1][1], _OpenSum) \
                    and merged[-1][1].absorb(sign, self.value(term, _pos(meta)), self):
                continue
            merged.append((sign, term))
        acc = None
        for sign, term in merged:
            value = self.value(term, _pos(meta))
            acc = value if acc is None else self.add(acc, value, sign, _pos(meta))
        return acc

    def neg(self, meta, ch):
        inner = ch[1]
        if isinstance(inner, _OpenSum):
            return inner.wrapped(lambda s: -s)
        return -self.value(inner, _pos(meta))

    def pos(self, meta, ch):
        return ch[1]

    def mulchain(self, meta, ch):
        items = list(zip(ch, meta.node.children))
        items = self._derivatives(items)
        items = self._products(items)
        items = self._brackets(items)
        acc, op = None, None
        for item, node in items:
            if isinstance(item, Token) or (isinstance(item, Tree) and item.data == "opsub"):
                op = item
                continue
            if isinstance(item, _OpenSum):
                if acc is None:
                    return item
                return item.wrapped(lambda s, a=acc, o=op, p=_pos(meta): self.binop(o, a, s, p))
            value = self.value(item, _node_pos(node, _pos(meta)))
            acc = value if acc is None else self.binop(op, acc, value, _node_pos(node, _pos(meta)))
            op = None
        return acc

    def _derivatives(self, items):
        """∂E/∂y written with a slash: the declared derivative."""
        out = []
        k = 0
        while k < len(items):
            if k + 2 < len(items) and isinstance(items[k][0], _Partial) and isinstance(items[k + 1][0], Token) \
                    and items[k + 1][0].type == "DIV" and isinstance(items[k + 2][0], _Partial):
                num, den = items[k][1], items[k + 2][1]
                out.append((self.derivative(num, den, num.meta), num))
                k += 3
                continue
            out.append(items[k])
            k += 1
        return out

    def _products(self, items):
        """Declared symbols spelt as several factors: x[t], W_{f,c} *_{full} \\frac{..}{..}."""
        if not self.table.products:
            return items
        out = []
        k = 0
        while k < len(items):
            found = None
            for j in range(min(len(items), k + self.table.longest), k + 1, -1):
                run = [node for _, node in items[k:j]]
                if isinstance(items[j - 1][0], Token) or isinstance(items[k][0], Token):
                    continue
                match = self._product(run)
                if match is not None:
                    found = match, j
                    break
            if found:
                out.append((found[0], items[k][1]))
                k = found[1]
            else:
                out.append(items[k])
                k += 1
        return out

    def _product(self, run):
        key = " ".join(self.key(node) for node in run)
        if key in self.table.products:
            return self.lookup(key)
        last = run[-1]
        if isinstance(last, Tree) and last.data in _SCRIPTED:  # x[t]^T: the symbol x[t], transposed
            key = " ".join([self.key(node) for node in run[:-1]] + [self.key(last.children[0])])
            if key in self.table.products:
                scripts = [self.transform(s) for s in last.children[1:]]
                return self.post(self.lookup(key), scripts, last.meta)
        return None

    def _brackets(self, items):
        """X[i, j] after a declared vector, matrix or tensor: its entry."""
        out = []
        for item, node in items:
            if out and not isinstance(out[-1][0], Token) and isinstance(node, Tree):
                base = node.children[0] if node.data in _SCRIPTED else node
                if isinstance(base, Tree) and base.data == "bracket" and self.decl_name(out[-1][0]) is not None:
                    inner = self.transform(base.children[0])
                    script = _Script("sub", inner, base.children[0], _node_pos(base))
                    entry = self.index(out[-1][0], script, node.meta)
                    if node.data in _SCRIPTED:
                        entry = self.post(entry, [self.transform(s) for s in node.children[1:]], node.meta)
                    out[-1] = (entry, out[-1][1])
                    continue
            out.append((item, node))
        return out

    def bigop(self, meta, ch):
        found = self.lookup(self.key(meta.node))
        if found is not None:  # a declared symbol spelt as a sum (\sum_{i=0}^2 w_i[t])
            return found
        op = ch[0]
        scripts, body = ch[1:-1], ch[-1]
        cls = sympy.Product if str(op) == "prod" else sympy.Sum
        subs = [s for s in scripts if s.kind == "sub"]
        sups = [s for s in scripts if s.kind == "sup"]
        if len(subs) != 1 or len(sups) > 1:
            self.fail(r"write a sum as \sum_{i=1}^{n} ... or \sum_i ... (with i a declared index)", _pos(meta))
        lower, upper = subs[0].value, (sups[0].value if sups else None)
        items = lower.items if isinstance(lower, _Seq) else [lower]
        if upper is not None and len(items) > 1:
            self.fail("one upper limit for several indices", _pos(meta))
        limits, bind = [], {}
        for item in items:
            var, low, high, marker = self.limit(item, upper, subs[0].pos)
            limits.append((var, low, high))
            if marker is not None:
                bind[marker] = var
        expanded = self.expand(meta, limits, bind, body)
        if expanded is not None:
            return expanded
        return _OpenSum(cls, limits, bind, body, _pos(meta))

    def expand(self, meta, limits, bind, body):
        r"""\sum_{i=0}^{2} w_i[t] v_i[t] over symbols declared one by one (w_0[t], w_1[t], w_2[t]):
        the sum written out, each term read with i replaced by its value.  A \prod is
        written out in increasing order of its index (it matters for matrices)."""
        if len(limits) != 1:
            return None
        var, low, high = limits[0]
        first, last = low.xreplace(self.constants), high.xreplace(self.constants)
        if not (first.is_Integer and last.is_Integer and 0 <= last - first <= 20):
            return None
        # the names of the terms follow the lower limit as written: D_{k+1} at k = t is D_{t+1}
        low_node = _lower_node(meta.node) if not low.is_Integer else None
        try:
            value = self.value(body, _pos(meta))
        except ClaimError:
            value = None
        if value is not None and not any(self.is_marker(s) and s not in bind for s in value.free_symbols):
            return None
        body_node = meta.node.children[-1]
        count = int(last - first) + 1
        if self.expansions + count > MAX_EXPANSIONS:
            return None
        self.expansions += count
        terms = []
        for k in range(count):
            copy = _substitute(body_node, var.name, int(first) + k if low_node is None else _shifted(low_node, k))
            _link(copy)
            term = self.value(self.transform(copy), _pos(meta))
            if any(self.is_marker(s) for s in term.free_symbols):
                return None
            terms.append(term)
        total = terms[0]
        for term in terms[1:]:
            total = self.add(total, term) if str(meta.node.children[0]) == "sum" \
                else self.binop(None, total, term, _pos(meta))
        return total

    def limit(self, item, upper, position):
        low = None
        if isinstance(item, _Rel):
            if item.ops != ["="] or len(item.parts) != 2:
                self.fail(r"a summation index is written i=1 (then ^{n}) or i", position)
            item, low = item.parts
        if not isinstance(item, sympy.Symbol):
            self.fail(r"a summation index must be a single letter, e.g. \sum_{i=1}^{n}", position)
        high = self.value(upper, position) if upper is not None else None
        if self.is_marker(item):
            plain = self.markers[item][1]
            if not plain or not plain.isidentifier():
                self.fail(f"{self.markers[item][0]} cannot be a summation index", position)
            if low is None or high is None:
                self.fail(f"{plain} is not a declared index: write \\sum_{{{plain}=1}}^{{n}}", position)
            return sympy.Symbol(plain, integer=True), low, high, item
        index = self.notation.index(item.name)
        if index is None or item != index.symbol:
            self.fail(f"{self.latex_of(item.name)} is not an index of this entry", position)
        declared_low, declared_high = self.notation.bounds(item.name)
        return index.symbol, (declared_low if low is None else low), (declared_high if high is None else high), None

    # -- scripts ------------------------------------------------------------------------
    def sub(self, meta, ch):
        return _Script("sub", ch[0], meta.node.children[0], _pos(meta))

    def sup(self, meta, ch):
        return _Script("sup", ch[0], meta.node.children[0], _pos(meta))

    def prime(self, meta, ch):
        return _Script("sup", _Mark("'", False, _pos(meta)), None, _pos(meta))

    def scripted(self, meta, ch):
        return self.resolve_scripted(meta, meta.node.children[0], ch[0], ch[1:])

    named_scripted = other_scripted = group_scripted = scripted

    def resolve_scripted(self, meta, base_node, base, scripts):
        subs = [s for s in scripts if s.kind == "sub"]
        sups = [s for s in scripts if s.kind == "sup"]
        if len(subs) > 1 or len(sups) > 1:
            self.fail("double subscript or superscript: use braces", _pos(meta))
        base_key = self.key(base_node)
        sub_keys = [self.script_key(s) for s in subs]
        sup_keys = [self.script_key(s) for s in sups]
        found = self.lookup(_script_key(base_key, sub_keys, sup_keys))
        if found is not None:
            return found
        if base_key == r"\mathbb{R}" and sups and not subs and self.lookup(base_key) is None:
            return self.space(sups[0], meta)
        if subs:
            # w_i^*: the declared w^* at index i; \delta_{h,i}^{(l)}: the declared \delta_h^{(l)} at i
            for prefix, rest in self.sub_splits(subs[0]):
                name = self.table.keys.get(_script_key(base_key, prefix, sup_keys))
                if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                    return self.index(self.notation.abstract(name), rest, meta)
        if sups:
            found = self.lookup(_script_key(base_key, sub_keys, []))
            if found is not None:
                return self.superscript(found, sups[0])
            # \mathbf{h}^{(l)\top}: the declared \mathbf{h}^{(l)}, transposed
            split = self.sup_split(sups[0])
            if split is not None:
                rest_key, mark = split
                found = self.lookup(_script_key(base_key, sub_keys, [rest_key]))
                if found is None and subs:
                    for prefix, rest in self.sub_splits(subs[0]):
                        name = self.table.keys.get(_script_key(base_key, prefix, [rest_key]))
                        if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                            found = self.index(self.notation.abstract(name), rest, meta)
                            break
                if found is not None:
                    return self.superscript(found, _Script("sup", mark, None, sups[0].pos))
        if base_key == r"\delta" and subs and not sups and self.table.keys.get(base_key) is None:
            return self.kronecker(subs[0])
        if self.is_marker(base) and (subs or not self.plain_power(sups[0])):
            return self.marker(_script_key(base_key, sub_keys, sup_keys), meta)
        value = base
        if subs:
            value = self.subscript(value, subs[0], meta)
            if isinstance(value, _Deferred):
                return value
        if sups:
            value = self.superscript(value, sups[0])
        return value

    def plain_power(self, script: _Script) -> bool:
        """z^2, z^{n-1}: a power (rather than part of a name, like z^{(l)} or w^*)."""
        tree = _strip(script.tree)
        if script.tree is None or isinstance(script.value, (_Mark, _Seq, _Deferred)):
            return False
        return not (isinstance(tree, Tree) and tree.data in ("paren", "bracket", "marked", "mark"))

    def sub_splits(self, script: _Script):
        """Ways to read a subscript as (the symbol's own subscript, an index):
        w_i -> ([], i); \\delta_{h,i} -> (["h"], i)."""
        yield [], script
        tree = _strip(script.tree)
        if isinstance(script.value, _Seq) and isinstance(tree, Tree) and tree.data == "seq" \
                and all(s == "," for s in script.value.seps):
            items, nodes = script.value.items, tree.children[0::2]
            for j in range(len(items) - 1, 0, -1):
                prefix = " , ".join(self.key(n) for n in nodes[:j])
                rest = items[j:]
                value = rest[0] if len(rest) == 1 else _Seq(rest, [","] * (len(rest) - 1), script.pos)
                rest_tree = nodes[j] if len(rest) == 1 else None
                yield [prefix], _Script("sub", value, rest_tree, script.pos)

    def sup_split(self, script: _Script):
        """^{(l)\\top} or ^{(l)T}: (the key of (l), the transpose mark)."""
        tree = _strip(script.tree)
        if isinstance(tree, Tree) and tree.data == "marked" and isinstance(script.value, _Mark) \
                and script.value.kind == "T":
            return self.key(tree.children[0]), _Mark("T", False, script.pos)
        if isinstance(tree, Tree) and tree.data == "mulchain" and len(tree.children) == 2 \
                and self.key(tree.children[1]) == "T":
            return self.key(tree.children[0]), _Mark("T", False, script.pos)
        return None

    def kronecker(self, script: _Script):
        raw = script.value
        items = raw.items if isinstance(raw, _Seq) else [raw]
        if len(items) == 1:
            items = self.split_indices(script.tree, 2) or items
        if len(items) != 2:
            return _Deferred("\\delta_{ij} (the Kronecker delta) takes two indices", script.pos)
        return sympy.KroneckerDelta(*(self.value(i, script.pos) for i in items))

    def script_key(self, script: _Script) -> str:
        if script.tree is None:
            return r"\prime" if isinstance(script.value, _Mark) and script.value.kind == "'" else "?"
        return self.key(script.tree)

    def subscript(self, value, script: _Script, meta):
        if isinstance(value, _Deferred):
            return value
        if isinstance(value, voc.Norm):
            if self.script_key(script) == "2":
                return value
            self.fail(r"only the Euclidean norm \|\cdot\|_2 is supported", script.pos)
        if isinstance(value, _OpenSum):
            value = self.value(value, script.pos)
        if self.decl_name(value) is None:
            if isinstance(value, sympy.Symbol) and not self.is_marker(value) \
                    and self.notation.abstract(value.name) is not None:
                return _Deferred(f"{self.latex_of(value.name)} is a scalar; it takes no index", script.pos)
            return _Deferred("only a declared vector or matrix takes an index", script.pos)
        return self.index(value, script, meta)

    def index(self, value, script: _Script, meta):
        name = self.decl_name(value)
        decl = self.notation.variable(name) or self.notation.definition(name)
        wanted = _index_count(decl)
        raw = script.value
        items = raw.items if isinstance(raw, _Seq) else [raw]
        if isinstance(raw, _Seq) and any(s != "," for s in raw.seps):
            return _Deferred("separate indices with commas", script.pos)
        if len(items) not in wanted and len(items) == 1:
            items = self.split_indices(script.tree, max(wanted)) or items
        if len(items) not in wanted:
            return _Deferred(f"{decl.latex} takes {' or '.join(map(str, sorted(wanted)))} index(es), "
                             f"not {len(items)}", script.pos)
        indices = []
        for item in items:
            if isinstance(item, (_Deferred, _Seq, _Rel, _Mark, _Partial, _Call)):
                return _Deferred("an index must be a number or an index variable", script.pos)
            v = self.value(item, script.pos)
            if isinstance(v, MatrixExpr):
                return _Deferred("an index must be a number or an index variable, not a matrix", script.pos)
            indices.append(v)
        return sympy.Indexed(sympy.IndexedBase(name), *indices)

    def split_indices(self, tree, wanted: int):
        """H_{ij} or H_{12}: one index per letter or digit."""
        tree = _strip(tree)
        if isinstance(tree, Tree) and tree.data == "mulchain" and len(tree.children) == wanted \
                and all(isinstance(c, Tree) and c.data in ("letter", "greek", "number") for c in tree.children):
            return [self.transform(c) for c in tree.children]
        if isinstance(tree, Tree) and tree.data == "number" and str(tree.children[0]).isdigit() \
                and len(str(tree.children[0])) == wanted:
            return [sympy.Integer(d) for d in str(tree.children[0])]
        return None

    def superscript(self, value, script: _Script):
        sup = script.value
        key = self.script_key(script)
        if isinstance(value, _Deferred):
            return value
        if isinstance(value, _OpenSum):
            value = self.value(value, script.pos)
        if isinstance(sup, _Mark):
            if sup.kind == "T":
                value = _transpose(self.value(value, script.pos))
                return _inverse(value) if sup.negative else value
            self.value(sup)
        if key in _TRANSPOSE_KEYS and (isinstance(value, MatrixExpr) or self.table.keys.get(key) is None):
            return _transpose(self.value(value, script.pos))
        value = self.value(value, script.pos)
        return self.power(value, self.value(sup, script.pos), script.pos)

    # -- applications: f(x), p_{data}(x), \sigma(x), H(w - w^*) --------------------------------
    def application(self, meta, ch):
        nodes = meta.node.children
        callee_node, args_node = nodes[0], nodes[1]
        callee, args, post = ch[0], ch[1], ch[2:]
        full = "%s(%s)" % (self.key(callee_node), self.key(args_node))
        if post:
            found = self.lookup(_script_key(full, *self._post_keys(post)))
            if found is not None:
                return found
        found = self.lookup(full)
        if found is not None:
            return self.post(found, post, meta)
        function = self.function_of(callee_node)
        if function is not None:
            name, power = function
            result = self.call(name, args, _pos(meta))
            if power is not None:
                result = self.superscript(result, power)
            return self.post(result, post, meta)
        items = args.items if isinstance(args, _Seq) else [args]
        if self.decl_name(callee) is not None and all(self.index_like(i) for i in items):
            script = _Script("sub", args, args_node, _pos(meta))
            return self.post(self.index(callee, script, meta), post, meta)
        if isinstance(args, _Seq):
            if self.is_marker(callee):
                return _Call(self.key(callee_node), args.items, args.seps, _pos(meta))
            return _Deferred("a list of arguments after something that is not a function", _pos(meta))
        # not a function: a product, and the scripts belong to the parenthesis, as in Q(\Lambda + \alpha I)^{-1}
        factor = self.post(self.value(args, _pos(meta)), post, meta)
        if isinstance(factor, _Deferred):
            return factor
        return self.value(callee, _pos(meta)) * self.value(factor, _pos(meta))

    def _post_keys(self, post):
        subs = [self.script_key(s) for s in post if s.kind == "sub"]
        sups = [self.script_key(s) for s in post if s.kind == "sup"]
        return subs, sups

    def post(self, value, post, meta):
        subs = [s for s in post if s.kind == "sub"]
        sups = [s for s in post if s.kind == "sup"]
        if len(subs) > 1 or len(sups) > 1:
            self.fail("double subscript or superscript: use braces", _pos(meta))
        if subs:
            value = self.subscript(value, subs[0], meta)
        if sups:
            value = self.superscript(value, sups[0])
        return value

    def index_like(self, item) -> bool:
        if not isinstance(item, sympy.Expr) or isinstance(item, MatrixExpr):
            return False
        if item.atoms(sympy.Function, sympy.Indexed):
            return False
        return all(s.is_integer or self.is_marker(s) for s in item.free_symbols)

    def function_of(self, callee_node):
        """(function name, power script or None) when the callee names a function:
        \\sigma (when the entry has no σ), \\sigma^2, D_{KL}."""
        if self.table.keys.get(self.key(callee_node)) is not None:
            return None
        if isinstance(callee_node, Tree) and callee_node.data in _SCRIPTED:
            base_node, scripts = callee_node.children[0], callee_node.children[1:]
        else:
            base_node, scripts = callee_node, []
        base_key = self.key(base_node)
        if self.table.keys.get(base_key) is not None:
            return None
        name = None
        if base_key == r"\sigma":
            name = "sigmoid"
        elif base_key == "D":
            subs = [self.key(s.children[0]) for s in scripts if s.data == "sub"]
            if subs in (["K L"], ["J S"], ["J S D"]):
                name = "KL" if subs == ["K L"] else "JSD"
                scripts = [s for s in scripts if s.data != "sub"]
        if name is None or any(s.data != "sup" for s in scripts) or len(scripts) > 1:
            return None
        power = None
        if scripts:
            power = self.transform(scripts[0])
        return name, power

    # -- functions ---------------------------------------------------------------------
    def fcall(self, meta, ch):
        nodes = meta.node.children
        k = 1
        while k < len(nodes) and _is_script(nodes[k]):
            k += 1
        return self.function(meta, str(ch[0]), ch[1:k], ch[k], ch[k + 1:])

    def fbare(self, meta, ch):
        return self.function(meta, str(ch[0]), ch[1:-1], ch[-1], [])

    def function(self, meta, name, pre, args, post):
        found = self.lookup(self.key(meta.node))  # a declared symbol spelt with a function: \log p_\theta(x|z)
        if found is not None:
            return found
        base = None
        power = None
        for script in pre:
            if script.kind == "sub":
                if name != "log" or base is not None:
                    self.fail(f"\\{name} takes no subscript", script.pos)
                base = self.value(script.value, script.pos)
            else:
                if power is not None:
                    self.fail("double superscript: use braces", script.pos)
                power = script
        if power is not None and self.script_key(power) == "-1":
            self.fail(f"\\{name}^{{-1}} is ambiguous: write the inverse function explicitly", power.pos)
        items = args.items if isinstance(args, _Seq) else [args]
        if base is not None:
            if len(items) != 1:
                self.fail(r"\log_b takes one argument", _pos(meta))
            args = _Seq(items + [base], [","], _pos(meta))
        result = self.call(name, args, _pos(meta))
        if power is not None:
            result = self.superscript(result, power)
        return self.post(result, post, meta)

    def call(self, name: str, args, position):
        items = args.items if isinstance(args, _Seq) else [args]
        seps = args.seps if isinstance(args, _Seq) else []
        if name == "log" and len(items) == 1 and isinstance(items[0], _Call) and items[0].key == r"\mathcal{N}":
            return self.normal_logpdf(items[0])
        if name in ("KL", "JSD"):
            if len(items) != 2:
                self.fail(f"{name}(p \\| q) compares two distributions", position)
            p, q = (self.vector(self.value(i, position), position, name) for i in items)
            return FUNCTIONS[name][1]([p, q])
        if seps and name not in ("max", "min", "log"):
            self.fail(f"\\{name} takes one argument", position)
        values = [self.value(i, position) for i in items]
        if name == "softmax":
            values = [self.vector(v, position, name) for v in values]
        elif name != "trace":
            values = [_entry_of_1x1(v) for v in values]
        arities, build = FUNCTIONS[name]
        if len(values) not in arities:
            self.fail(f"{name} takes {' or '.join(map(str, arities))} argument(s), not {len(values)}", position)
        return build(values)

    def vector(self, value, position, name):
        """A distribution argument: q_\\phi(z|x) read at z is the vector q."""
        if isinstance(value, sympy.Indexed):
            base = str(value.base.label)
            index = self.table.embedded.get(base)
            if index is not None and value.indices == (self.notation.abstract(index),):
                value = self.notation.abstract(base)
        if not isinstance(value, MatrixExpr):
            self.fail(f"{name}(...) takes vectors (distributions over the support)", position)
        return value

    def normal_logpdf(self, call: _Call):
        if len(call.items) != 3 or call.seps[0] not in (";", "|"):
            self.fail(r"write \log\mathcal{N}(z; \mu, \sigma^2)", call.pos)
        z, mean, variance = (self.value(i, call.pos) for i in call.items)
        return voc.normal_logpdf(z, mean, _std(variance))

    def abs(self, meta, ch):
        found = self.lookup(self.key(meta.node))  # a declared symbol spelt with bars: |V|, the vocabulary size
        if found is not None:
            return found
        return FUNCTIONS["abs"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def norm(self, meta, ch):
        found = self.lookup(self.key(meta.node))
        if found is not None:
            return found
        return voc.Norm(self.value(ch[0], _pos(meta)))

    def floor(self, meta, ch):
        return FUNCTIONS["floor"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def ceil(self, meta, ch):
        return FUNCTIONS["ceil"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def sqrt(self, meta, ch):
        arg = _entry_of_1x1(self.value(ch[-1], _pos(meta)))
        if len(ch) == 3:
            degree = self.value(ch[1], _pos(meta))
            if isinstance(arg, MatrixExpr):
                return _elementwise(lambda d: d ** (1 / degree), arg)
            return self.power(arg, 1 / degree, _pos(meta))
        return FUNCTIONS["sqrt"][1]([arg])

    def frac(self, meta, ch):
        nodes = meta.node.children
        found = self.lookup(self.key(meta.node))
        if found is not None:
            return found
        if _derivative_part(nodes[1]) is not None and _derivative_part(nodes[2]) is not None:
            return self.derivative(nodes[1], nodes[2], meta)
        if _starts_with_partial(nodes[1]) or _starts_with_partial(nodes[2]):
            self.unknown(self.snippet("∂", _pos(meta), getattr(meta, "end_pos", None)), _pos(meta))
        return self.divide(self.value(ch[1], _pos(meta)), self.value(ch[2], _pos(meta)), _pos(meta))

    def derivative(self, num, den, meta):
        r"""\frac{\partial L}{\partial Y_i}: the declared \frac{\partial L}{\partial Y} at index i."""
        found = self.lookup(self.key.derivative(num, den))
        if found is not None:
            return found
        num_power, num_var = _derivative_part(num)
        power, var = _derivative_part(den)
        if isinstance(var, Tree) and var.data in _SCRIPTED:
            scripts = var.children[1:]
            subs = [s for s in scripts if s.data == "sub"]
            if len(subs) == 1:
                rest = [s for s in scripts if s.data != "sub"]
                sub = self.transform(subs[0])
                for prefix, index in self.sub_splits(sub):
                    variable = _script_key(self.key(var.children[0]), prefix, self.key.scripts(rest)[1])
                    key = r"\frac{%s}{%s}" % (self.key.partial(num_power, num_var),
                                             r"\partial" + "".join("^{%s}" % self.key(p) for p in power) + " "
                                             + variable)
                    name = self.table.keys.get(key)
                    if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                        return self.index(self.notation.abstract(name), index, meta)
        shown = self.source[_pos(meta):getattr(meta, "end_pos", None)] if _pos(meta) is not None else "∂"
        return _Deferred(f"unknown symbol {shown}; this entry knows: {self.table.listing}", _pos(meta))

    def partial(self, meta, ch):
        return _Partial(_pos(meta))

    # -- lists, relations, conditions -------------------------------------------------------
    def seq(self, meta, ch):
        items = ch[0::2]
        seps = [_KEY_TOKENS.get(t.type, str(t)) for t in ch[1::2]]
        return _Seq(list(items), seps, _pos(meta))

    def relation(self, meta, ch):
        parts = [self.value(p, _pos(meta)) for p in ch[0::2]]
        return _Rel(parts, [str(t) for t in ch[1::2]], _pos(meta))

    def sim(self, meta, ch):
        return _Sim(ch[0], ch[2], _pos(meta))

    def cond(self, meta, ch):
        items = [c for c in ch if not (isinstance(c, Token) and c.type == "IFWORD")]
        relations = items[0::2]
        connectives = ["or" if str(t) == "or" else "and" for t in items[1::2]]
        return _Cond(relations, connectives, False, _pos(meta))

    def otherwise(self, meta, ch):
        return _Cond([], [], True, _pos(meta))

    def boolean(self, cond: _Cond):
        if cond.otherwise:
            return sympy.true
        values = [self.compare(r) for r in cond.relations]
        result = values[0]
        for conn, v in zip(cond.connectives, values[1:]):
            result = sympy.And(result, v) if conn == "and" else sympy.Or(result, v)
        return result

    def compare(self, rel: _Rel):
        relations = []
        for op, a, b in zip(rel.ops, rel.parts, rel.parts[1:]):
            if isinstance(a, MatrixExpr) or isinstance(b, MatrixExpr):
                self.fail(r"compare matrices entrywise inside an indicator, e.g. \mathbb{1}\{X > 0\}", rel.pos)
            relations.append(_COMPARE_NAMES[op](a, b, evaluate=False))
        return relations[0] if len(relations) == 1 else sympy.And(*relations)

    def crow(self, meta, ch):
        return self.value(ch[0], _pos(meta)), ch[-1]

    def cases(self, meta, ch):
        pairs = [(value, self.boolean(cond)) for value, cond in ch]
        return sympy.Piecewise(*pairs)

    def indicator(self, meta, ch):
        cond = ch[-1]
        if not cond.otherwise and len(cond.relations) == 1 and len(cond.relations[0].ops) == 1:
            rel = cond.relations[0]
            left, right = rel.parts
            if isinstance(left, MatrixExpr) and not isinstance(right, MatrixExpr):
                cls = _COMPARE_NAMES[rel.ops[0]]
                return _elementwise(lambda d: voc.indicator(cls(d, right)), left)
        return voc.indicator(self.boolean(cond))

    def expectation(self, meta, ch):
        sub, body = ch[1], ch[2]
        position = _pos(meta)
        if isinstance(sub, _Sim):
            lhs, rhs = sub.lhs, sub.rhs
            if isinstance(rhs, _Call) and rhs.key == r"\mathcal{N}":
                return self.normal_expectation(lhs, rhs, body, position)
            dist = self.value(rhs, position)
            var = lhs
        else:
            dist = self.value(sub, position)
            var = None
            if isinstance(dist, sympy.Indexed) and len(dist.indices) == 1:
                var = dist.indices[0]
        body = self.value(body, position)
        if not isinstance(var, sympy.Symbol) or self.notation.index(var.name) is None \
                or var != self.notation.abstract(var.name):
            self.fail(r"write the distribution with its declared index, e.g. \mathbb{E}_{q_\phi(z|x)}[\ldots]",
                      position)
        if var not in getattr(dist, "free_symbols", set()):
            self.fail(r"the distribution of \mathbb{E} must depend on its index", position)
        low, high = self.notation.bounds(var.name)
        return sympy.Sum(dist * body, (var, low, high))

    def normal_expectation(self, lhs, call: _Call, body, position):
        if len(call.items) != 2:
            self.fail(r"write \mathbb{E}_{z \sim \mathcal{N}(\mu, \sigma^2)}[\ldots]", position)
        if not isinstance(lhs, sympy.Symbol):
            self.fail(r"the variable of \mathbb{E}_{z \sim ...} must be a single letter", position)
        name = self.markers[lhs][1] if self.is_marker(lhs) else lhs.name
        if not name or not name.isidentifier():
            self.fail(r"the variable of \mathbb{E}_{z \sim ...} must be a single letter", position)
        z = sympy.Symbol(name, real=True)
        body = self.value(body, position).xreplace({lhs: z})
        mean, variance = (self.value(i, position) for i in call.items)
        return voc.NormalExpectation(body, z, mean, _std(variance))


_RULES = ("member", "underbrace", "dots", "dop",
          "letter", "greek", "word", "number", "mark", "negmark", "marked", "font", "style", "accent", "brace",
          "paren", "bracket", "opsub", "expr", "neg", "pos", "mulchain", "bigop", "sub", "sup", "prime",
          "named_scripted", "other_scripted", "group_scripted", "application", "fcall", "fbare", "abs", "norm",
          "floor", "ceil", "sqrt", "frac", "partial", "seq", "relation", "sim", "cond", "otherwise", "crow",
          "cases", "indicator", "expectation")
for _name in _RULES:
    setattr(_Builder, _name, _lazy(getattr(_Builder, _name)))
_Builder = v_args(meta=True)(_Builder)


def _constants(notation: Notation) -> dict:
    """Definitions that name an integer (T = 2 time steps, M = 2 samples): their values, for the limits of
    sums written out term by term."""
    out = {}
    for d in notation.definitions:
        text = d.text.strip()
        if not d.params and not d.shape and text.lstrip("-").isdigit() and len(text) < 10:
            out[notation.abstract(d.name)] = sympy.Integer(int(text))
    return out


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


def _log10(q: sympy.Rational) -> float:
    """log10 |q| for an exact rational of any size (no float overflow)."""
    p, d = abs(int(q.p)), int(q.q)
    return (math.log10(p) if p else -math.inf) - math.log10(d)


def _too_large(base, exponent) -> bool:
    """Would base**exponent have more than MAX_DIGITS digits (numerator or denominator)?"""
    if not (isinstance(base, sympy.Rational) and isinstance(exponent, sympy.Rational)):
        return False
    if base == 0 or abs(base) == 1:
        return False
    size = max(abs(math.log10(abs(int(base.p)))) if base.p else 0, math.log10(int(base.q)))
    if size == 0:
        return False
    return _log10(exponent) + math.log10(size) > math.log10(MAX_DIGITS)


def _too_many_digits(q: sympy.Rational) -> bool:
    limit = MAX_PRINTABLE_DIGITS * math.log2(10)
    return max(abs(int(q.p)).bit_length(), int(q.q).bit_length()) > limit


def _short(number) -> str:
    text = str(number) if len(str(abs(int(number.p)))) < 40 else "(a very large number)"
    return text


# ----------------------------------------------------------------------------------
# Entry point
# ----------------------------------------------------------------------------------

def _check_tree(tree: Tree) -> None:
    nodes, deepest = 0, 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        deepest = max(deepest, depth)
        if nodes > MAX_NODES:
            raise ClaimError(f"the claim is too large (more than {MAX_NODES} syntax nodes)")
        if deepest > MAX_TREE_DEPTH:
            raise ClaimError("the claim is nested too deeply")
        if isinstance(node, Tree):
            node.meta.node = node
            stack.extend((c, depth + 1) for c in node.children)


def _check_result(expr, builder: _Builder) -> None:
    if isinstance(expr, sympy.logic.boolalg.Boolean) and not isinstance(expr, sympy.Symbol):
        builder.fail("the claim is a condition; write the expression the entry asks for")
    if isinstance(expr, sympy.Tuple) and any(isinstance(e, sympy.logic.boolalg.Boolean)
                                             and not isinstance(e, sympy.Symbol) for e in expr):
        builder.fail("an item of the list is a condition")
    unknown = [m for m in expr.free_symbols if m in builder.markers]
    if unknown:
        key, _, position, end = min((builder.markers[m] for m in unknown),
                                    key=lambda info: info[2] if info[2] is not None else 0)
        builder.unknown(builder.snippet(key, position, end), position)
    for node in sympy.preorder_traversal(expr):
        if not isinstance(node, sympy.Indexed):
            for arg in node.args:
                if isinstance(arg, sympy.IndexedBase):
                    builder.value(arg)
        builder.number_guard(node)


def parse_latex(text: str, notation: Notation, *, what: str = "claim", relation: str = "=",
                tuple_length: int | None = None):
    r"""Read a claim written in LaTeX, in the entry's notation, into SymPy.

    A leading ``LHS =`` is dropped, from the claim and from each item of a list.
    A list (``10,\ 30``; ``X_{in} \in \mathbb{R}^{10 \times 300},\ s_0 \in
    \mathbb{R}^{50 \times 1}``, shapes contributing their dimensions) reads as a
    ``sympy.Tuple``.  ``relation``: the claim's relation; for a bound ("<=" or
    ">=") the claim is the bound's side, and ``LHS \le`` (or a bare leading
    ``\le``) is dropped too.  ``tuple_length``: where the quantity is a list of
    that many values (a shape), ``16 \times 28 \times 28`` at the top reads as
    the list (16, 28, 28) when it has exactly that many factors.  Raises
    :class:`ClaimError` (one line, with the column) for anything it cannot read.
    """
    if not isinstance(text, str):
        raise ClaimError(f"the {what} must be text")
    if not text.strip():
        raise ClaimError(f"the {what} is empty")
    if len(text) > MAX_LATEX_CHARS:
        raise ClaimError(f"the {what} is too long ({len(text)} characters; at most {MAX_LATEX_CHARS})")
    if relation not in ("=", "<=", ">="):
        raise ClaimError(f"unknown relation {relation!r}")
    token = _OPTIONS.set(_Options(relation))
    try:
        tree = _parse_tree(text)
    finally:
        _OPTIONS.reset(token)
    try:
        _check_tree(tree)
    except ClaimError as error:
        raise ClaimError(error.message, error.position, text) from None
    except RecursionError:
        raise ClaimError("the claim is nested too deeply", None, text) from None
    builder = _Builder(notation, text, tuple_length)
    try:
        result = builder.transform(tree)
        expr = result if isinstance(result, sympy.Tuple) else builder.value(result)
        _check_result(expr, builder)
        return expr
    except VisitError as error:
        original = error.orig_exc
        if isinstance(original, ClaimError):
            raise ClaimError(original.message, original.position, text) from None
        position = getattr(getattr(error.obj, "meta", None), "start_pos", None)
        raise ClaimError(_message(original), position, text) from None
    except ClaimError:
        raise
    except RecursionError:
        raise ClaimError("the claim is nested too deeply", None, text) from None
    except Exception as error:  # noqa: BLE001 - SymPy refusing to build something: one line, not a traceback
        raise ClaimError(_message(error), None, text) from None


def _message(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "the claim is nested too deeply"
    lines = str(error).strip().splitlines()
    detail = lines[0] if lines else type(error).__name__
    return f"cannot build this expression: {detail}"


# ----------------------------------------------------------------------------------
# Claims of a question: assignments, lists, bounds
# ----------------------------------------------------------------------------------

def _top_level_split(text: str, separators: str) -> list:
    """(start, end) of the pieces of text between top-level separators; braces, parentheses and
    brackets nest, and an escaped character (\\, is a thin space, \\{ a brace) separates nothing."""
    pieces, start, depth, k = [], 0, 0, 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            while k < len(text) and text[k - 1].isalpha() and text[k].isalpha():
                k += 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c in separators and depth == 0:
            pieces.append((start, k))
            start = k + 1
        k += 1
    pieces.append((start, len(text)))
    return pieces


def _assignment(text: str, start: int, end: int):
    """The position of the one top-level '=' of text[start:end] (not <=, >=, :=, ==), else None."""
    equals = [a + start for a, _ in _top_level_split(text[start:end], "=")[1:]]
    equals = [k - 1 for k in equals]
    plain = [k for k in equals if text[k - 1:k] not in ("<", ">", "!", ":", "=") and text[k + 1:k + 2] != "="]
    return plain[0] if len(plain) == 1 else None


def parse_latex_assignments(text: str, notation: Notation, names: list, *, what: str = "claim") -> dict:
    r"""Read ``w_1 = -1, w_2 = 1, b_2 = 0.5`` into {name: value}, like the text syntax's
    ``parse_assignments``: each item is a declared parameter (in its LaTeX) = a value; every name in
    ``names`` is given once and nothing else."""
    if not isinstance(text, str):
        raise ClaimError(f"the {what} must be text")
    if not text.strip():
        raise ClaimError(f"the {what} is empty")
    if len(text) > MAX_LATEX_CHARS:
        raise ClaimError(f"the {what} is too long ({len(text)} characters; at most {MAX_LATEX_CHARS})")
    body = text.strip().strip("$").rstrip(".")
    offset = text.index(body[:1]) if body else 0
    wanted = ", ".join(notation.variable(n).latex if notation.variable(n) else n for n in names)
    symbols = {notation.abstract(n): n for n in names}
    values = {}
    for a, b in _top_level_split(body, ",;"):
        item = body[a:b]
        if not item.strip():
            raise ClaimError(f"an empty item; write the {what} as parameter = value pairs: {wanted}",
                             a + offset, text)
        first = a + len(item) - len(item.lstrip()) + offset  # where the item starts, for the column
        cut = _assignment(body, a, b)
        if cut is None:
            raise ClaimError(f"write each item as parameter = value (the parameters: {wanted})", first, text)
        lhs_text = body[a:cut].strip()
        try:
            lhs = parse_latex(body[a:cut], notation, what=what)
        except ClaimError as error:
            if "unknown symbol" in error.message:
                raise ClaimError(f"unknown parameter {lhs_text}; this entry expects {wanted}", first, text) from None
            raise ClaimError(error.message, None if error.position is None else error.position + a + offset,
                             text) from None
        try:
            value = parse_latex(body[cut + 1:b], notation, what=what)
        except ClaimError as error:
            raise ClaimError(error.message, None if error.position is None else error.position + cut + 1 + offset,
                             text) from None
        name = symbols.get(lhs)
        if name is None:
            raise ClaimError(f"unknown parameter {lhs_text}; this entry expects {wanted}", first, text)
        if name in values:
            raise ClaimError(f"the parameter {lhs_text} is given twice", first, text)
        values[name] = value
    missing = [notation.variable(n).latex if notation.variable(n) else n for n in names if n not in values]
    if missing:
        raise ClaimError(f"missing parameter(s) {', '.join(missing)}; this entry expects {wanted}")
    return values


def _list_length(question) -> int | None:
    """The length of a question's quantity when it is a list of fixed length (a shape), else None."""
    if getattr(question, "kind", None) != "value":
        return None
    expr = getattr(question, "_expr", None)
    if isinstance(expr, sympy.Tuple):
        return len(expr)
    shape = getattr(question, "shape", None)
    if shape is not None and len(shape) == 1 and isinstance(shape[0], int):
        return shape[0]
    return None


def parse_latex_claim(question, text: str, *, relation: str = "=", what: str = "claim"):
    r"""A claim in LaTeX read the way ``question.parse`` reads the text syntax: parameter assignments
    for a behaviour question (``w_1 = -1, w_2 = 1``), a list for a quantity that is a list of fixed
    length (``16 \times 28 \times 28``), the bound's side for a bound (``relation`` "<=" or ">="), one
    expression otherwise.  The question must be bound to its entry."""
    notation = question.notation
    if getattr(question, "kind", None) == "behaviour":
        values = parse_latex_assignments(text, notation, list(question.parameters), what=what)
        for name, value in values.items():
            if not value.is_number or not value.is_real:
                raise ClaimError(f"parameter {name} must be a number, not {value}")
        return sympy.Dict(values)
    expr = parse_latex(text, notation, what=what, relation=relation, tuple_length=_list_length(question))
    question.check_free_indices(expr)
    return expr
