"""The one error type of the LaTeX front end."""
from __future__ import annotations

import sympy

from symcheck.errors import ClaimError


class LatexError(ClaimError):
    """A LaTeX claim that cannot be read: one line, with the column, saying what would be accepted."""

    def pointer(self, width: int = 72) -> str:
        """The input around the column and a caret under it: two lines a terminal may print below the
        message ("" when there is no column)."""
        if self.position is None or not self.source:
            return ""
        text = " ".join(self.source.splitlines())
        start = max(0, min(self.position - width // 2, len(text) - width))
        shown = text[start:start + width]
        return f"{shown}\n{' ' * (self.position - start)}^"


def _fail(message: str, token=None):
    raise LatexError(" ".join(message.split()), getattr(token, "start_pos", token) if token is not None else None)


def _message(error: BaseException) -> str:
    """What went wrong, in the user's words: never the text of a Python or SymPy exception, which names
    internal classes (zoo, ImaginaryUnit, '_Deferred' object ...)."""
    if isinstance(error, RecursionError):
        return "the claim is nested too deeply"
    if isinstance(error, ZeroDivisionError):
        return "this part of the claim divides by zero"
    if isinstance(error, sympy.matrices.exceptions.NonSquareMatrixError):
        return "a power or inverse of a matrix that is not square"
    if isinstance(error, sympy.ShapeError):
        return "the shapes of this product or sum do not match"
    return "this part of the claim cannot be built: check the shapes and the arguments of its functions"
