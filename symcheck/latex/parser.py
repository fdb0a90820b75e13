"""The Lark parser built from ``claim.lark``, and its errors as one line with the column."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from lark import Lark, Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedToken

from symcheck.errors import ClaimError
from symcheck.latex.commands import _CLOSERS, _OPENERS
from symcheck.latex.errors import LatexError
from symcheck.latex.lexer import PostLexer


@lru_cache(maxsize=1)
def _parser() -> Lark:
    grammar = resources.files("symcheck.latex").joinpath("claim.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer="basic", postlex=PostLexer(), propagate_positions=True,
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


def parse_tree(text: str) -> Tree:
    """The parse tree of ``text``; ClaimError (with the column) when it does not parse."""
    try:
        return _parser().parse(text)
    except ClaimError as error:
        raise LatexError(error.message, error.position, text) from None
    except UnexpectedToken as error:
        token = error.token
        wanted = sorted(_EXPECTED_NAMES[e] for e in (error.expected or ()) if e in _EXPECTED_NAMES)
        hint = f"; expected {' or '.join(wanted)}" if wanted and len(wanted) <= 2 else ""
        if token.type == "$END":
            opener = _unclosed(text)
            if opener is not None:
                what = text[opener.start_pos:opener.end_pos]
                raise LatexError(f"syntax error: the claim ends before the {what!r} at column {opener.start_pos + 1} "
                                 f"is closed", len(text.rstrip()), text) from None
            raise LatexError("syntax error: the claim ends too early", len(text.rstrip()), text) from None
        raise LatexError(f"syntax error: unexpected {_describe(token, text)}{hint}", token.start_pos, text) from None
    except UnexpectedCharacters as error:
        raise LatexError(f"unexpected character {text[error.pos_in_stream]!r}", error.pos_in_stream, text) from None
    except UnexpectedEOF:
        raise LatexError("syntax error: the claim ends too early", len(text.rstrip()), text) from None
    except RecursionError:
        raise LatexError("the claim is nested too deeply", None, text) from None
    except LarkError as error:
        raise LatexError(f"cannot read the claim: {str(error).strip().splitlines()[0]}", None, text) from None


def rule_names() -> set:
    """The names a parse tree's nodes can carry: every rule and alias of the grammar."""
    names = {str(rule.alias or rule.origin.name) for rule in _parser().rules}
    return {name for name in names if not name.startswith("_")}  # Lark's own helper rules start with _
