"""The steps of a display: ``$$ a = b = c $$`` or an aligned chain, split at its "=" signs.

Only the top level is split: an "=" inside braces, parentheses or a
``\\begin{cases} ... \\end{cases}`` belongs to its step, and so do its ``&`` and
``\\\\``.  Each step keeps the file line it starts on (for messages) and the
LaTeX comment of the line it ends on (its marker, e.g. ``% refuted``).
"""
from __future__ import annotations

import re

_ENVIRONMENTS = re.compile(r"^\\begin\{(aligned|align\*?|split|gathered|gather\*?|equation\*?)\}(.*)"
                           r"\\end\{\1\}$", re.DOTALL)


def steps(display) -> list:
    """(LaTeX, line, comment) of each step of a display: its text split at the top-level "=" signs, the
    quantity's name before the first one left out.  A comment belongs to the last step ending on its line."""
    text, starts = "", []
    for ln in display.lines:
        starts.append((len(text), ln))
        text += ln.tex + "\n"
    body, offset = _unwrap(text)
    cuts = _top_level(body)
    bounds, begin = [], 0
    for cut in cuts + [len(body)]:
        bounds.append((begin, cut))
        begin = cut + 1
    if len(bounds) > 1:
        bounds = bounds[1:]  # the quantity's name: "\frac{\partial E}{\partial x} ="
    out = []
    for a, b in bounds:
        piece = _clean(body[a:b])
        if not piece:
            continue
        end = _line_at(starts, offset + a + len(body[a:b].rstrip()) - 1)
        out.append([piece, _line_at(starts, offset + a + len(body[a:b]) - len(body[a:b].lstrip())).number,
                    end])
    for k, item in enumerate(out):  # the comment of a line goes to the last step that ends on it
        last_on_line = k + 1 == len(out) or out[k + 1][2] is not item[2]
        item[2] = item[2].comment if last_on_line else ""
    return [tuple(item) for item in out]


def _unwrap(text: str) -> tuple[str, int]:
    r"""The inside of \begin{aligned} ... \end{aligned} (or align, split ...), and where it starts."""
    stripped = text.strip()
    found = _ENVIRONMENTS.match(stripped)
    if not found:
        return text, 0
    return found.group(2), text.index(stripped) + stripped.index("}") + 1


def _top_level(body: str) -> list[int]:
    r"""Positions of the top-level "=" of an aligned body, not inside braces or \begin ... \end."""
    cuts, depth, k = [], 0, 0
    while k < len(body):
        c = body[k]
        if c == "\\":
            name = re.match(r"\\([A-Za-z]+|.)", body[k:])
            word = name.group(1) if name else ""
            depth += {"begin": 1, "end": -1}.get(word, 0)
            k += 1 + len(word)
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "=" and depth == 0 and body[k - 1:k] not in ("<", ">", "!", ":") and body[k + 1:k + 2] != "=":
            cuts.append(k)
        k += 1
    return cuts


def _clean(piece: str) -> str:
    r"""A step without the alignment marks (&), line breaks (\\) and closing punctuation of the display."""
    out, depth, k = [], 0, 0
    while k < len(piece):
        c = piece[k]
        if c == "\\":
            name = re.match(r"\\([A-Za-z]+|.)", piece[k:])
            word = name.group(1) if name else ""
            depth += {"begin": 1, "end": -1}.get(word, 0)
            if word == "\\" and depth == 0:
                out.append(" ")
            else:
                out.append(piece[k:k + 1 + len(word)])
            k += 1 + len(word)
            continue
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        out.append(" " if c == "&" and depth == 0 else c)
        k += 1
    return " ".join("".join(out).split()).rstrip(".,;").strip()


def _line_at(starts: list, position: int):
    """The display line (document.Line) holding a character position of the joined display text."""
    found = starts[0][1]
    for start, line in starts:
        if start <= position:
            found = line
    return found
