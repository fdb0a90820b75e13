"""The one error type of the LaTeX front end."""
from __future__ import annotations

from symcheck.errors import ClaimError


class LatexError(ClaimError):
    """A LaTeX claim that cannot be read: one line, with the column, saying what would be accepted."""


def _fail(message: str, token=None):
    raise LatexError(" ".join(message.split()), getattr(token, "start_pos", token) if token is not None else None)


def _message(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "the claim is nested too deeply"
    lines = str(error).strip().splitlines()
    detail = lines[0] if lines else type(error).__name__
    return f"cannot build this expression: {detail}"
