"""parse_latex: text -> tree -> SymPy, with every failure one line."""
from __future__ import annotations

import sympy
from lark import Tree
from lark.exceptions import VisitError

from symcheck.errors import ClaimError
from symcheck.latex.builder import Builder
from symcheck.latex.errors import LatexError, _message
from symcheck.latex.lexer import _OPTIONS, _Options
from symcheck.latex.limits import MAX_LATEX_CHARS, MAX_TREE_DEPTH
from symcheck.latex.parser import parse_tree
from symcheck.notation import Notation
from symcheck.text_syntax import MAX_NODES, not_real


def _check_tree(tree: Tree) -> None:
    nodes, deepest = 0, 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        deepest = max(deepest, depth)
        if nodes > MAX_NODES:
            raise LatexError(f"the claim is too large (more than {MAX_NODES} syntax nodes)")
        if deepest > MAX_TREE_DEPTH:
            raise LatexError("the claim is nested too deeply")
        if isinstance(node, Tree):
            node.meta.node = node
            stack.extend((c, depth + 1) for c in node.children)


def _check_result(expr, builder: Builder) -> None:
    if isinstance(expr, sympy.logic.boolalg.Boolean) and not isinstance(expr, sympy.Symbol):
        builder.fail("the claim is a condition; write the expression the entry asks for")
    if isinstance(expr, sympy.Tuple) and any(isinstance(e, sympy.logic.boolalg.Boolean)
                                             and not isinstance(e, sympy.Symbol) for e in expr):
        builder.fail("an item of the list is a condition")
    wrong = not_real(expr)
    if wrong is not None:
        builder.fail(wrong)
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
    require_text(text, what)
    if relation not in ("=", "<=", ">="):
        raise LatexError(f"unknown relation {relation!r}")
    token = _OPTIONS.set(_Options(relation))
    try:
        tree = parse_tree(text)
    finally:
        _OPTIONS.reset(token)
    try:
        _check_tree(tree)
    except ClaimError as error:
        raise LatexError(error.message, error.position, text) from None
    except RecursionError:
        raise LatexError("the claim is nested too deeply", None, text) from None
    builder = Builder(notation, text, tuple_length)
    try:
        result = builder.transform(tree)
        expr = result if isinstance(result, sympy.Tuple) else builder.value(result)
        _check_result(expr, builder)
        return expr
    except VisitError as error:
        original = error.orig_exc
        if isinstance(original, ClaimError):
            raise LatexError(original.message, original.position, text) from None
        position = getattr(getattr(error.obj, "meta", None), "start_pos", None)
        raise LatexError(_message(original), position, text) from None
    except ClaimError:
        raise
    except RecursionError:
        raise LatexError("the claim is nested too deeply", None, text) from None
    except Exception as error:  # noqa: BLE001 - SymPy refusing to build something: one line, not a traceback
        raise LatexError(_message(error), None, text) from None


def require_text(text, what: str) -> None:
    """A claim is non-empty text of bounded length, before anything reads it."""
    if not isinstance(text, str):
        raise LatexError(f"the {what} must be text")
    if not text.strip():
        raise LatexError(f"the {what} is empty")
    if len(text) > MAX_LATEX_CHARS:
        raise LatexError(f"the {what} is too long ({len(text)} characters; at most {MAX_LATEX_CHARS})")
