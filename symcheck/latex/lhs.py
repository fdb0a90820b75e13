"""A leading ``LHS =`` (or, for a bound, ``LHS \\le``): dropped before parsing."""
from __future__ import annotations

from symcheck.latex.errors import _fail
from symcheck.latex.roles import _classify


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
