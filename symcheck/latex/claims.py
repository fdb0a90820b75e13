"""Claims of a question: parameter assignments, lists, bounds."""
from __future__ import annotations

import re

import sympy

from symcheck.errors import ClaimError
from symcheck.latex.errors import LatexError
from symcheck.latex.reader import parse_latex, require_text
from symcheck.notation import Notation


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
    require_text(text, what)
    body = text.strip().strip("$").rstrip(".")
    offset = text.index(body[:1]) if body else 0
    wanted = ", ".join(notation.variable(n).latex if notation.variable(n) else n for n in names)
    symbols = {notation.abstract(n): n for n in names}
    values = {}
    for a, b in _top_level_split(body, ",;"):
        item = body[a:b]
        if not item.strip():
            raise LatexError(f"an empty item; write the {what} as parameter = value pairs: {wanted}",
                             a + offset, text)
        first = a + len(item) - len(item.lstrip()) + offset  # where the item starts, for the column
        cut = _assignment(body, a, b)
        if cut is None:
            raise LatexError(f"write each item as parameter = value (the parameters: {wanted})", first, text)
        lhs_text = body[a:cut].strip()
        try:
            lhs = parse_latex(body[a:cut], notation, what=what)
        except ClaimError as error:
            if "unknown symbol" in error.message:
                raise LatexError(f"unknown parameter {lhs_text}; this entry expects {wanted}", first, text) from None
            raise LatexError(error.message, None if error.position is None else error.position + a + offset,
                             text) from None
        try:
            value = parse_latex(body[cut + 1:b], notation, what=what)
        except ClaimError as error:
            raise LatexError(error.message, None if error.position is None else error.position + cut + 1 + offset,
                             text) from None
        name = symbols.get(lhs)
        if name is None:
            raise LatexError(f"unknown parameter {lhs_text}; this entry expects {wanted}", first, text)
        if name in values:
            raise LatexError(f"the parameter {lhs_text} is given twice", first, text)
        values[name] = value
    missing = [notation.variable(n).latex if notation.variable(n) else n for n in names if n not in values]
    if missing:
        raise LatexError(f"missing parameter(s) {', '.join(missing)}; this entry expects {wanted}")
    return values


def _list_length(question) -> int | None:
    r"""The length of a question's quantity when it is a shape (16 \times 28 \times 28), else None.

    Only a shape may be written with \times between its dimensions; anywhere else a number is a
    number and 3 \times 28 is 84.  A question says it asks for a shape with ``answer_is_shape``; without
    that flag, the sheet's own answers tell: a shape is what they print with \times or \mathbb{R}^{...}."""
    if getattr(question, "kind", None) != "value":
        return None
    expr = getattr(question, "_expr", None)
    length = None
    if isinstance(expr, sympy.Tuple):
        length = len(expr)
    shape = getattr(question, "shape", None)
    if length is None and shape is not None and len(shape) == 1 and isinstance(shape[0], int):
        length = shape[0]
    return length if length is not None and _is_shape(question) else None


def _is_shape(question) -> bool:
    flag = getattr(question, "answer_is_shape", None)
    if flag is not None:
        return bool(flag)
    claims = getattr(getattr(question, "entry", None), "claims", ())
    return any(_SHAPE_SPELLING.search(claim.latex or "") for claim in claims)


# \times between two dimensions at the top of a claim, or a space \mathbb{R}^{...}
_SHAPE_SPELLING = re.compile(r"\\times|×|\\mathbb\s*\{?R")


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
                raise LatexError(f"parameter {name} must be a number, not {value}")
        return sympy.Dict(values)
    expr = parse_latex(text, notation, what=what, relation=relation, tuple_length=_list_length(question))
    question.check_free_indices(expr)
    return expr
