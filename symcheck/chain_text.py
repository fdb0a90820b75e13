r"""Reading a derivation chain: its lines and the relations between them.

A chain is what a student hands in: ``a = b = c``, an aligned display, or one
expression per line.  This module only cuts the text; each line is read later
by the text syntax or the LaTeX reader, in the notation of an entry or with its
symbols inferred.  Step k relates line k to line k + 1, counted from 1.

Accepted shapes:

* a LaTeX display: ``$$ a = b = c $$``, ``\[ ... \]``, or an environment
  ``aligned``, ``align``, ``align*``, ``equation``, ``split``, ``gathered`` (one
  per file).  Rows are separated by ``\\``; ``&`` is alignment; a row states its
  relation (``&= ...``) or, starting with ``+`` or ``-``, continues the row
  before.  A row with neither is refused: it could be either.
* one expression per line (text syntax, or LaTeX without a display): a line
  may begin with its relation (``<= 2*x``); without one it is ``=``.

Relations: ``=``, ``<=``/``\le``/``≤``, ``>=``/``\ge``/``≥``, ``<``, ``>``,
``\approx``/``≈``/``~=``.  ``\neq`` and ``:=`` are refused: a chain of such
steps proves nothing.  Comments (``%`` in LaTeX, ``#`` in text), ``\tag``,
``\label``, ``\nonumber`` and a closing full stop are dropped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from symcheck.errors import ClaimError

APPROX = "approx"
RELATIONS = ("=", "<=", ">=", "<", ">", APPROX)
#: the longest chain read, in lines (a derivation, not a document)
MAX_LINES = 60
MAX_CHARS = 20_000

_LATEX_RELATIONS = {r"\le": "<=", r"\leq": "<=", r"\leqslant": "<=", r"\ge": ">=", r"\geq": ">=",
                    r"\geqslant": ">=", r"\lt": "<", r"\gt": ">", r"\approx": APPROX, r"\simeq": APPROX}
_REFUSED = {r"\neq": "'\\neq' states no step", r"\ne": "'\\ne' states no step",
            r"\coloneqq": "':=' is a definition, not a step", r"\equiv": "'\\equiv' is ambiguous in a chain"}
_SYMBOLS = {"≤": "<=", "≥": ">=", "≈": APPROX, "≠": None}
_ENVIRONMENTS = ("aligned", "align", "align*", "equation", "equation*", "split", "gathered", "gather",
                 "gather*", "alignat", "alignat*", "eqnarray", "eqnarray*")
_DROPPED = re.compile(r"\\(?:tag|label)\*?\s*\{[^{}]*\}|\\nonumber\b|\\notag\b")
_ANNOTATION = re.compile(r"\\q?quad\s*\\text\s*\{[^{}]*\}")
_SPACING = re.compile(r"^(?:\s|\\q?quad\b|\\[,;:! ])*")
_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


@dataclass
class Chain:
    """The lines of a chain (as written) and the relation of each step."""

    lines: list
    relations: list

    @property
    def steps(self) -> int:
        return len(self.relations)


def read_chain(text: str, latex: bool) -> Chain:
    """Cut a chain into lines and relations; ClaimError (one line) when it is not a chain."""
    if len(text) > MAX_CHARS:
        raise ClaimError(f"the chain is {len(text):,} characters long; at most {MAX_CHARS:,} are read")
    if latex and _display(text):
        lines, relations = _display_rows(_strip_display(text))
    else:
        lines, relations = _line_per_expression(text, latex)
    if len(lines) < 2:
        raise ClaimError("a chain needs at least two lines related by =, \\le, \\ge, <, > or \\approx "
                         "(e.g. 'a = b = c', or one expression per line)")
    if len(lines) > MAX_LINES:
        raise ClaimError(f"the chain has {len(lines)} lines; at most {MAX_LINES} are checked")
    if APPROX in relations[:-1]:  # a rounded number is where a derivation ends, never a step to go on from
        raise ClaimError(f"step {relations.index(APPROX) + 1} is \\approx, but the chain goes on after it: "
                         f"a rounded value can only be the last line")
    for k, line in enumerate(lines, 1):
        if not line.strip():
            raise ClaimError(f"line {k} of the chain is empty: a relation must stand between two expressions")
    return Chain([line.strip() for line in lines], relations)


# -- a LaTeX display ----------------------------------------------------------------

def _display(text: str) -> bool:
    body = _uncomment(text, True)
    return "$" in body or r"\[" in body or any(rf"\begin{{{e}}}" in body for e in _ENVIRONMENTS)


def _strip_display(text: str) -> str:
    """The body of the one display in the text, without its delimiters."""
    body = _uncomment(text, True).strip()
    for opener, closer in (("$$", "$$"), (r"\[", r"\]"), ("$", "$")):
        if body.startswith(opener):
            end = body.find(closer, len(opener))
            if end < 0:
                raise ClaimError(f"the display opened by {opener!r} is not closed")
            rest = body[end + len(closer):].strip().lstrip(".,").strip()
            if rest:
                raise ClaimError(f"text after the display: {rest[:40]!r}; give one chain per file")
            body = body[len(opener):end].strip()
            break
    for env in _ENVIRONMENTS:
        begin, end = rf"\begin{{{env}}}", rf"\end{{{env}}}"
        if body.startswith(begin):
            if not body.rstrip(" .,").endswith(end):
                raise ClaimError(f"{begin} is not closed by {end} at the end of the display")
            body = body[len(begin):body.rstrip(" .,").rfind(end)]
            if env.startswith("alignat"):
                body = re.sub(r"^\s*\{\d+\}", "", body)
            break
    if re.search(r"\\begin\{(?:" + "|".join(map(re.escape, _ENVIRONMENTS)) + r")\}", body):
        raise ClaimError("the display holds a second alignment environment; give one chain per file")
    return _tidy(body)


def _display_rows(body: str) -> tuple[list, list]:
    lines, relations = [""], []
    for n, row in enumerate(_split_rows(body), 1):
        row = _top_level_replace(row, "&", " ").strip()
        if not row:
            continue
        pieces = _split_relations(row, latex=True)
        head, rest = pieces[0], pieces[1:]
        if head.strip():
            if n > 1 and lines[-1] and not _SPACING.sub("", head).startswith(("+", "-", r"\cdot", r"\times")):
                raise ClaimError(f"row {n} of the display has no relation: begin it with '&=' (or \\le, \\ge, "
                                 f"\\approx) to make it a step, or with + or - to continue the row before")
            lines[-1] = (lines[-1] + " " + head).strip()
        for relation, expression in rest:
            relations.append(relation)
            lines.append(expression)
    return lines, relations


def _split_rows(body: str) -> list[str]:
    """Rows at environment depth 0 (a matrix's own ``\\`` stays inside it)."""
    rows, start, depth = [], 0, 0
    for match in re.finditer(r"\\begin\{[^}]*\}|\\end\{[^}]*\}|\\\\", body):
        token = match.group()
        if token.startswith(r"\begin"):
            depth += 1
        elif token.startswith(r"\end"):
            depth -= 1
        elif depth == 0:
            rows.append(body[start:match.start()])
            start = match.end()
    rows.append(body[start:])
    return rows


def _top_level_replace(row: str, old: str, new: str) -> str:
    out, depth, k = [], 0, 0
    while k < len(row):
        if row.startswith(r"\begin{", k):
            depth += 1
        elif row.startswith(r"\end{", k):
            depth -= 1
        elif row[k] == "\\" and k + 1 < len(row):  # an escaped character such as \& is not alignment
            out.append(row[k:k + 2])
            k += 2
            continue
        out.append(new if row[k] == old and depth == 0 else row[k])
        k += 1
    return "".join(out)


def top_level_relations(text: str) -> list:
    """(start, end, relation) of each relation of a LaTeX text outside every group and environment."""
    return list(_relations(text, latex=True))


def without_alignment(piece: str) -> str:
    r"""A piece of a display without its alignment (``&``), row breaks (``\\``) and closing punctuation;
    a matrix or cases inside it keeps its own."""
    joined = " ".join(_split_rows(piece))
    return " ".join(_top_level_replace(joined, "&", " ").split()).rstrip(".,;").strip()


# -- one expression per line --------------------------------------------------------

def _line_per_expression(text: str, latex: bool) -> tuple[list, list]:
    lines, relations = [], []
    for raw in _uncomment(text, latex).splitlines():
        row = _tidy(raw) if latex else raw.strip()
        if not row:
            continue
        pieces = _split_relations(row, latex)
        head, rest = pieces[0], pieces[1:]
        if head.strip():
            if lines:
                relations.append("=")  # one expression per line: adjacent lines are equal
            lines.append(head)
        elif not lines:
            raise ClaimError(f"the chain begins with a relation ({_spelt(rest[0][0])}); "
                             f"its first line must be an expression")
        for relation, expression in rest:
            relations.append(relation)
            lines.append(expression)
    return lines, relations


# -- relations at the top level -----------------------------------------------------

def _split_relations(row: str, latex: bool) -> list:
    """[head, (relation, expression), ...]: the row cut at its top-level relations."""
    cuts = list(_relations(row, latex))
    pieces = [row[:cuts[0][0]] if cuts else row]
    for n, (start, end, relation) in enumerate(cuts):
        stop = cuts[n + 1][0] if n + 1 < len(cuts) else len(row)
        expression = row[end:stop]
        if not expression.strip():
            raise ClaimError(f"nothing follows the relation {_spelt(relation)} at column {end}")
        pieces.append((relation, expression))
    return pieces


def _relations(row: str, latex: bool):
    depth, k, condition = 0, 0, False
    while k < len(row):
        c = row[k]
        if latex and c == "\\":
            match = _COMMAND.match(row, k)
            word = match.group()
            depth += {r"\begin": 1, r"\end": -1}.get(word, 0)  # a cases' "x > 0" is inside its environment
            if depth == 0 and word in _LATEX_RELATIONS:
                yield k, match.end(), _LATEX_RELATIONS[word]
            elif depth == 0 and word in _REFUSED:
                raise ClaimError(f"{_REFUSED[word]}: a chain's steps are =, \\le, \\ge, <, > or \\approx")
            k = match.end()
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        elif depth == 0 and not latex and row.startswith((" if ", "if "), k) and _word_at(row, k, "if"):
            condition = True  # 'a if x > 0 else b': the condition's > is not a step
        elif depth == 0 and not latex and _word_at(row, k, "else"):
            condition = False
        elif depth == 0 and not condition:
            found = _relation_at(row, k, latex)
            if found:
                yield k, k + found[0], found[1]
                k += found[0]
                continue
        k += 1


def _relation_at(row: str, k: int, latex: bool):
    """(width, relation) of a relation starting at k, or None."""
    two = row[k:k + 2]
    if two in ("<=", ">="):
        return 2, two
    if two == "~=" and not latex:
        return 2, APPROX
    if two in ("==", "!=", ":=") or row[k:k + 1] == "=" and k and row[k - 1] in "<>!:=":
        raise ClaimError(f"{two!r} at column {k + 1} is not a step of a chain; write '=' between two lines")
    c = row[k]
    if c == "=":
        return 1, "="
    if c in "<>":
        return 1, c
    if c in _SYMBOLS:
        if _SYMBOLS[c] is None:
            raise ClaimError("'≠' states no step: a chain's steps are =, ≤, ≥, <, > or ≈")
        return 1, _SYMBOLS[c]
    return None


def _word_at(row: str, k: int, word: str) -> bool:
    k = k + 1 if row[k] == " " else k
    end = k + len(word)
    return row[k:end] == word and (k == 0 or not row[k - 1].isalnum()) and (end >= len(row) or not row[end].isalnum())


# -- clean-up -------------------------------------------------------------------------

def _uncomment(text: str, latex: bool) -> str:
    mark = re.compile(r"(?<!\\)%.*$" if latex else r"#.*$", re.MULTILINE)
    return mark.sub("", text)


def _tidy(body: str) -> str:
    body = _DROPPED.sub(" ", body)
    body = _ANNOTATION.sub(" ", body)
    return body.strip().rstrip(".,;").strip()


def _spelt(relation: str) -> str:
    return {"<=": "≤", ">=": "≥", APPROX: "≈"}.get(relation, relation)
