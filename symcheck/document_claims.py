"""A problem's displays made into claims: its answer steps, a sheet error's correction, a common mistake.

Every "=" of a display is a step of the derivation, checked against the
reference; the part before the first "=" names the quantity and is not a
claim.  Only the top level is split: an "=" inside braces, parentheses or a
``\\begin{cases} ... \\end{cases}`` belongs to its step, and so do its ``&``
and ``\\\\``.  LaTeX comments mark what is not a plain answer: ``% refuted`` at
the end of a line (the sheet's step is wrong), a display opening with
``% correction of step 2`` (its correction) or ``% mistake: what it forgets``
(a common mistake, shown as wrong on purpose).  Each step is read by the
engine's own LaTeX reader, as ``symcheck check --latex`` reads it.
"""
from __future__ import annotations

import re

from symcheck.chain_text import top_level_relations, without_alignment
from symcheck.document import DocumentError, Problem
from symcheck.entry import Claim
from symcheck.errors import ClaimError
from symcheck.latex import parse_latex_claim
from symcheck.verdicts import VERDICTS

_ENVIRONMENTS = re.compile(r"^\\begin\{(aligned|align\*?|split|gathered|gather\*?|equation\*?)\}(.*)"
                           r"\\end\{\1\}$", re.DOTALL)
_CORRECTION = re.compile(r"^correction(?:\s+of\s+(.+?))?\s*$", re.IGNORECASE)
_MISTAKE = re.compile(r"^(?:common\s+)?mistake(?:\s*:\s*(.+?))?\s*$", re.IGNORECASE)


def claims_of(problem: Problem, question, entry_id: str) -> list:
    """The claims of a problem's displays, in the order written; steps are numbered across its chains."""
    claims, step = [], 1
    for display in problem.displays:
        kind, label = _kind(display)
        pieces = _steps(display)
        if not pieces:
            continue
        if kind == "chain":
            chain_start = step
            for text, line, comment in pieces:
                claims.append(_claim(question, text, line, f"step {step}", _expect(comment, line), "sheet",
                                     chain=chain_start))
                step += 1
            continue
        if len(pieces) != 1:
            raise DocumentError(display.line, f"a {kind} is one expression; this display has {len(pieces)} "
                                              f"steps (write the chain as the answer, the {kind} on its own)")
        text, line, comment = pieces[0]
        if kind == "correction":
            target = label or next((c.label for c in reversed(claims) if c.expect == "refuted"), None)
            if target is None:
                raise DocumentError(display.line, "a correction of what? write % correction of step 2")
            own = "corrected" if not any(c.label == "corrected" for c in claims) else f"corrected {target}"
            claims.append(_claim(question, text, line, own, _expect(comment, line), "correction", corrects=target))
        else:
            own = label or f"mistake {sum(c.source == 'mistake' for c in claims) + 1}"
            claims.append(_claim(question, text, line, own, "refuted", "mistake"))
    if not claims:
        raise DocumentError(problem.block.line, f"problem {entry_id!r} has no answer: write it below its block "
                                                f"as display mathematics, $$ ... $$")
    return claims


def _kind(display) -> tuple[str, str | None]:
    """A display is a chain of answer steps, or a correction or a common mistake (marked by a comment)."""
    for line in display.lines:  # every comment is a marker: a misspelt one must not be dropped silently
        if line.comment:
            _expect(line.comment, line.number)
    for comment in display.comments:
        found = _CORRECTION.match(comment)
        if found:
            return "correction", found.group(1)
        found = _MISTAKE.match(comment)
        if found:
            return "mistake", found.group(1)
    return "chain", None


def _expect(comment: str, line: int) -> str:
    word = comment.strip().lower()
    if not word or _CORRECTION.match(word) or _MISTAKE.match(word):
        return "proved"
    if word in VERDICTS:
        return word
    raise DocumentError(line, f"the comment % {comment} is not a verdict; write % refuted for a wrong step of "
                              f"the sheet (verdicts: {', '.join(VERDICTS)}), % correction of step N, or "
                              f"% mistake: what it forgets")


def _claim(question, text: str, line: int, label: str, expect: str, source: str, **more) -> Claim:
    try:
        expr = parse_latex_claim(question, text)
    except ClaimError as error:  # the column counts in the step as read, so the message shows it
        shown = text if len(text) <= 70 else text[:67] + "..."
        raise DocumentError(line, f"{label} cannot be read: {error} (the step reads: {shown})") from None
    return Claim(text=str(expr), latex=text.strip(), label=label, expect=expect, source=source, parsed=expr, **more)


def _steps(display) -> list:
    """(LaTeX, line, comment) of each step of a display: its text split at the top-level "=" signs, the
    quantity's name before the first one left out.  A comment belongs to the last step ending on its line."""
    text, starts = "", []
    for ln in display.lines:
        starts.append((len(text), ln))
        text += ln.tex + "\n"
    body, offset = _unwrap(text)
    try:
        cuts = _top_level(body)
    except ClaimError as error:
        raise DocumentError(display.line, str(error)) from None
    bounds, begin = [], 0
    for cut in cuts + [len(body)]:
        bounds.append((begin, cut))
        begin = cut + 1
    if len(bounds) > 1:
        bounds = bounds[1:]  # the quantity's name: "\frac{\partial E}{\partial x} ="
    out = []
    for a, b in bounds:
        piece = without_alignment(body[a:b])
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
    r"""Positions of the top-level "=" of an aligned body (chain_text's reading); a document's chain is one
    of equalities, so any other relation there is refused rather than read into a step."""
    cuts = []
    for start, end, relation in top_level_relations(body):
        if relation != "=":
            raise ClaimError(f"a document's answer chain is a chain of '=' steps; {body[start:end]!r} is not one "
                             f"(bounds are not supported in documents)")
        cuts.append(start)
    return cuts


def _line_at(starts: list, position: int):
    """The display line (document.Line) holding a character position of the joined display text."""
    found = starts[0][1]
    for start, line in starts:
        if start <= position:
            found = line
    return found
