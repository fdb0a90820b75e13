"""Delimiters: sized ones (\\left, \\big), nesting depth, and the role of each | and \\|."""
from __future__ import annotations

from lark import Token

from symcheck.latex.commands import _BAR_COMMANDS, _CLOSERS, _OPENERS, _OPERAND_END, _retype, _token
from symcheck.latex.errors import _fail
from symcheck.latex.limits import MAX_DEPTH


def _check_depth(tokens: list) -> None:
    depth = 0
    for t in tokens:
        if t.type in _OPENERS or t.type in ("_ABS_OPEN", "_NORM_OPEN"):
            depth += 1
            if depth > MAX_DEPTH:
                _fail(f"the claim is nested too deeply (more than {MAX_DEPTH} levels)", t)
        elif t.type in _CLOSERS or t.type in ("_ABS_CLOSE", "_NORM_CLOSE"):
            depth -= 1


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
