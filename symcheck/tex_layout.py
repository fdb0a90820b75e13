"""Where a long step of a display is broken: estimated widths of LaTeX mathematics.

The estimates decide only where to break; LaTeX measures every line and scales
one that would still be too wide.
"""
from __future__ import annotations

import re

#: Estimated widths, in em, used only to decide where a long step is broken;
#: LaTeX measures every line and scales one that would still be too wide.
LINE_EM = 29.0
ERRATUM_EM = 26.0
CONTINUATION_INDENT_EM = 2.0

# =====================================================================================
# Breaking long mathematics
# =====================================================================================

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.S)
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\textstyle", r"\limits", r"\nolimits", r"\middle"}
_SPACES = {r"\,": 0.17, r"\:": 0.22, r"\;": 0.28, r"\!": -0.17, r"\quad": 1.0, r"\qquad": 2.0, r"\ ": 0.3,
           "~": 0.3, r"\enspace": 0.5}
_ONE_ARG_SAME = {r"\mathbf", r"\mathrm", r"\mathcal", r"\mathbb", r"\boldsymbol", r"\mathit", r"\mathsf",
                 r"\bm", r"\hat", r"\tilde", r"\bar", r"\vec", r"\dot", r"\ddot", r"\widehat", r"\widetilde",
                 r"\overline", r"\underline", r"\mathring", r"\check", r"\breve", r"\acute", r"\grave",
                 r"\operatorname", r"\mathop", r"\mathrel", r"\mathbin", r"\left.", r"\boxed", r"\phantom",
                 r"\textcolor"}
_TEXT_ARG = {r"\text", r"\textrm", r"\textbf", r"\textit", r"\mbox", r"\texttt", r"\mathrm"}
_BIG_OPS = {r"\sum", r"\prod", r"\int", r"\oint", r"\bigcup", r"\bigcap", r"\lim", r"\max", r"\min",
            r"\sup", r"\inf", r"\argmax", r"\argmin"}
_FUNCTIONS = {r"\log", r"\ln", r"\exp", r"\sin", r"\cos", r"\tan", r"\tanh", r"\sinh", r"\cosh", r"\det",
              r"\max", r"\min", r"\sup", r"\inf", r"\lim", r"\arg", r"\sgn", r"\dim", r"\ker", r"\Pr"}
_OPENERS = {r"\left", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl"}
_CLOSERS = {r"\right", r"\bigr", r"\Bigr", r"\biggr", r"\Biggr"}
_RELATIONS = {"=", "<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq", r"\approx", r"\equiv",
              r"\propto", r"\sim", r"\simeq", r"\coloneqq", r"\leqslant", r"\geqslant"}
_BINARY = {"+", "-", r"\pm", r"\mp"}


def _tokens(latex: str) -> list[str]:
    return _TOKEN.findall(latex)


def _group(tokens: list, i: int) -> tuple[list, int]:
    """The argument at tokens[i] (a braced group or one token); returns (tokens, next index)."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return [], i
    if tokens[i] != "{":
        return [tokens[i]], i + 1
    depth, j = 0, i
    while j < len(tokens):
        if tokens[j] == "{":
            depth += 1
        elif tokens[j] == "}":
            depth -= 1
            if depth == 0:
                return tokens[i + 1:j], j + 1
        j += 1
    return tokens[i + 1:], len(tokens)


def width(latex: str) -> float:
    """A rough display width of math in em: enough to choose where to break a line."""
    return _width(_tokens(latex))


def _width(tokens: list) -> float:
    total, i, last_big = 0.0, 0, False
    while i < len(tokens):
        t = tokens[i]
        if t.isspace():
            i += 1
            continue
        big = False
        if t in ("^", "_"):
            arg, i = _group(tokens, i + 1)
            w = 0.7 * _width(arg)
            total += max(0.0, w - 1.4) if last_big else w
            big = last_big
        elif t == "{" or t == "}":
            arg, i = _group(tokens, i) if t == "{" else ([], i + 1)
            total += _width(arg)
        elif t in (r"\frac", r"\dfrac", r"\tfrac", r"\binom"):
            a, i = _group(tokens, i + 1)
            b, i = _group(tokens, i)
            scale = 0.75 if t == r"\tfrac" else 0.9
            total += scale * max(_width(a), _width(b)) + 0.4
        elif t == r"\sqrt":
            j = i + 1
            if j < len(tokens) and tokens[j] == "[":
                while j < len(tokens) and tokens[j] != "]":
                    j += 1
                j += 1
            a, i = _group(tokens, j)
            total += _width(a) + 1.0
        elif t == r"\begin":
            name, i = _group(tokens, i + 1)
            body, i = _environment(tokens, i, "".join(name))
            rows = _split_top(body, r"\\")
            total += max((sum(_width(c) + 1.0 for c in _split_top(r, "&")) for r in rows), default=0) + 1.0
        elif t in _TEXT_ARG:
            arg, i = _group(tokens, i + 1)
            total += 0.5 * len("".join(arg))
        elif t in _ONE_ARG_SAME:
            arg, i = _group(tokens, i + 1)
            total += _width(arg) if t != r"\phantom" else _width(arg)
        elif t in (r"\vphantom",):
            _, i = _group(tokens, i + 1)
        elif t in _ZERO:
            i += 1
        elif t in _SPACES:
            total += _SPACES[t]
            i += 1
        elif t in _BIG_OPS:
            total += 1.4 if t in (r"\sum", r"\prod", r"\int") else 0.55 * len(t)
            big = True
            i += 1
        elif t in _FUNCTIONS:
            total += 0.5 * (len(t) - 1) + 0.2
            i += 1
        elif t in _RELATIONS or t in _BINARY or t in (r"\cdot", r"\times", r"\odot", r"\otimes", r"\circ"):
            total += 1.3
            i += 1
        elif t.startswith("\\"):
            total += 0.65 if len(t) > 2 else 0.3
            i += 1
        elif t in "()[]|.,;:!'":
            total += 0.35
            i += 1
        else:
            total += 0.55
            i += 1
        last_big = big or (last_big and t in ("^", "_"))
    return total


def _environment(tokens: list, i: int, name: str) -> tuple[list, int]:
    depth, j = 1, i
    while j < len(tokens):
        if tokens[j] == r"\begin":
            depth += 1
        elif tokens[j] == r"\end":
            depth -= 1
            if depth == 0:
                _, k = _group(tokens, j + 1)
                return tokens[i:j], k
        j += 1
    return tokens[i:], len(tokens)


def _split_top(tokens: list, separator: str) -> list[list]:
    """Split tokens at a separator that is not nested in braces or environments."""
    parts, current, depth = [], [], 0
    for t in tokens:
        if t in ("{", r"\begin"):
            depth += 1
        elif t in ("}", r"\end"):
            depth -= 1
        if t == separator and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    return parts


def _operand_end(tokens: list, i: int) -> bool:
    """Does the material before tokens[i] end with an operand (so + or - there is binary)?"""
    j = i - 1
    while j >= 0 and tokens[j].isspace():
        j -= 1
    if j < 0:
        return False
    prev = tokens[j]
    if prev in _RELATIONS or prev in _BINARY or prev in ("(", "[", "&", ",", "{", r"\left", r"\cdot", r"\times"):
        return False
    if j >= 1 and tokens[j - 1] in _OPENERS:
        return False
    return True


def _break_points(tokens: list) -> list[tuple[int, bool]]:
    """Where a line may break: (index, preference) before a top-level + or - (0) or a relation (1),
    or after a top-level comma (2)."""
    points, depth, i = [], 0, 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("{", r"\begin") or t in _OPENERS:
            depth += 1
            if t in _OPENERS:
                i += 1  # the delimiter itself
        elif t in ("}", r"\end") or t in _CLOSERS:
            depth -= 1
            if t in _CLOSERS:
                i += 1
        elif t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and i > 0 and (t in _RELATIONS or (t in _BINARY and _operand_end(tokens, i))):
            points.append((i, 1 if t in _RELATIONS else 0))
        elif depth == 0 and t == "," and i + 1 < len(tokens):
            j = i + 1  # after a comma: the next line starts with the next item, its spacing dropped
            while j < len(tokens) and (tokens[j].isspace() or tokens[j] in _SPACES):
                j += 1
            if j < len(tokens):
                points.append((j, 2))
        i += 1
    return points


def break_math(latex: str, budget: float = LINE_EM) -> list[str]:
    """Break display math into lines no wider than ``budget`` em (estimated).

    Lines break before a top-level relation or binary + and -, continuation
    lines starting with that operator, or after a top-level comma.  A single term too wide for a line is
    broken inside its outermost \\left( ... \\right) group, the delimiters
    completed with \\right. / \\left. and sized alike by a \\vphantom of the
    whole group.  A line that still does not fit is scaled by LaTeX (\\fitmath).
    """
    latex = latex.strip()
    if width(latex) <= budget:
        return [latex]
    tokens = _tokens(latex)
    pieces = _pack(tokens, _break_points(tokens), budget)
    out = []
    for k, piece in enumerate(pieces):
        text = "".join(piece).strip()
        room = budget - (CONTINUATION_INDENT_EM if k else 0)
        if width(text) > room:
            out.extend(_break_inside(piece, room))
        else:
            out.append(text)
    return [line for line in out if line]


def _pack(tokens: list, points: list, budget: float) -> list[list]:
    """Cut tokens into lines that fit: the cut is the most natural point (comma, then relation, then
    + or -) among those that keep the line at least half full, the latest such point on a tie."""
    lines, start = [], 0
    while start < len(tokens):
        room = budget - (CONTINUATION_INDENT_EM if lines else 0)
        if _width(tokens[start:]) <= room:
            lines.append(tokens[start:])
            break
        fitting = [(i, kind) for i, kind in points if i > start and _width(tokens[start:i]) <= room]
        if not fitting:
            later = [i for i, _ in points if i > start]
            if not later:
                lines.append(tokens[start:])
                break
            cut = later[0]  # nothing fits: the shortest overlong line (LaTeX scales it)
        else:
            full = [(kind, i) for i, kind in fitting if _width(tokens[start:i]) >= room / 2]
            cut = max(full)[1] if full else fitting[-1][0]
        line = tokens[start:cut]
        while line and (line[-1].isspace() or line[-1] in _SPACES):
            line = line[:-1]  # the spacing after a comma is dropped at the break
        lines.append(line)
        start = cut
    return lines


def _break_inside(tokens: list, budget: float) -> list[str]:
    """Break one long term inside its widest top-level \\left ... \\right group."""
    best = None
    depth, i = 0, 0
    while i < len(tokens):
        t = tokens[i]
        if t == r"\left" and depth == 0:
            start, j, inner = i, i + 2, 1
            while j < len(tokens) and inner:
                if tokens[j] == r"\left":
                    inner += 1
                elif tokens[j] == r"\right":
                    inner -= 1
                j += 1
            end = j - 1  # index of the matching \right
            if end < len(tokens) and tokens[end] == r"\right":
                w = _width(tokens[start + 2:end])
                if best is None or w > best[2]:
                    best = (start, end, w)
            i = end + 2
            continue
        if t in ("{", r"\begin"):
            depth += 1
        elif t in ("}", r"\end"):
            depth -= 1
        i += 1
    if best is None:
        return ["".join(tokens).strip()]
    start, end, _ = best
    open_delim, close_delim = tokens[start + 1], tokens[end + 1] if end + 1 < len(tokens) else "."
    body = tokens[start + 2:end]
    before, after = "".join(tokens[:start]), "".join(tokens[end + 2:])
    inner_lines = _pack(body, _break_points(body), max(budget - _width(_tokens(before)) - 1.0, 10.0))
    if len(inner_lines) < 2:
        return ["".join(tokens).strip()]
    phantom = r"\vphantom{" + "".join(body) + "}"
    out = []
    for k, piece in enumerate(inner_lines):
        text = "".join(piece).strip()
        left = (before + r"\left" + open_delim) if k == 0 else r"\left."
        right = (r"\right" + close_delim + after) if k == len(inner_lines) - 1 else r"\right."
        out.append(f"{left} {phantom} {text} {right}".strip())
    return out


