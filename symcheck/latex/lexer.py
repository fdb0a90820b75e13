"""The post-lexer: the passes that give each raw token of the grammar its role, in order."""
from __future__ import annotations

import contextvars
from dataclasses import dataclass

from symcheck.latex.commands import _RAW
from symcheck.latex.delimiters import _bars, _check_depth
from symcheck.latex.errors import _fail
from symcheck.latex.lhs import _cut_lhs
from symcheck.latex.limits import MAX_TOKENS
from symcheck.latex.passes import _letters, _prose, _split_arguments, _stars
from symcheck.latex.roles import _classify


@dataclass(frozen=True)
class _Options:
    """How the claim is read, set by :func:`parse_latex` for one parse.

    ``relation``: the claim's relation; for a bound ("<=" or ">=") a leading
    ``LHS \\le`` (or a bare leading ``\\le``) is dropped like a leading ``LHS =``.
    """

    relation: str = "="


_OPTIONS: contextvars.ContextVar = contextvars.ContextVar("symcheck_latex_options", default=_Options())


class PostLexer:
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



def _strip_ends(raw: list) -> list:
    """Drop $ ... $ around the claim and the full stop or comma of a displayed formula."""
    start, end = 0, len(raw)
    while start < end and str(raw[start]) == "$":
        start += 1
    while end > start and str(raw[end - 1]) in ("$", ".", ","):
        end -= 1
    return raw[start:end]
