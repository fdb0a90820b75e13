"""Reading a Markdown answer sheet into its parts: the sheet header, the problems, their displays.

A document is ordinary Markdown.  Two kinds of fenced block carry what the
engine needs, in TOML (read by ``tomllib``, so there is one unambiguous way to
write each field)::

    ```toml sheet          the sheet: id, title, short description, source
    ```toml problem        one problem: id, notation, what is asked

A problem is the heading above its block and everything below the block up to
the next heading of the same or a higher level: its display mathematics
(``$$ ... $$``) are the answer.  Prose between the heading and the block is the
question as the sheet poses it.  Every other fenced block, heading and
paragraph is left alone, so the file still reads (and renders) as the answer
sheet it is.

This module only splits the text and remembers line numbers: what the blocks
and displays mean is document_entries.py's job.  Every error names a line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

#: the info strings of the fenced blocks symcheck reads
SHEET_BLOCK, PROBLEM_BLOCK = "toml sheet", "toml problem"
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(.*?)\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


class DocumentError(Exception):
    """Something in a document that cannot be read: the line, and a message saying what would be accepted."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Block:
    """A fenced TOML block: its text and the file line of its first line of text."""

    kind: str
    text: str
    line: int


@dataclass
class Line:
    """One line of a display: its LaTeX without the comment, the comment, and the file line."""

    tex: str
    comment: str
    number: int


@dataclass
class Display:
    """One ``$$ ... $$`` display, line by line."""

    lines: list
    line: int  # the line of the opening $$

    @property
    def comments(self) -> list[str]:
        return [ln.comment for ln in self.lines if ln.comment]


@dataclass
class Problem:
    heading: str
    heading_line: int | None
    block: Block
    question: str = ""  # the prose between the heading and the block
    displays: list = field(default_factory=list)


@dataclass
class Document:
    header: Block | None
    problems: list

    @property
    def is_sheet(self) -> bool:
        """Does the file hold anything for symcheck?  A README.md beside the entries does not."""
        return self.header is not None or bool(self.problems)


def split_comment(text: str) -> tuple[str, str]:
    """A LaTeX line split at its comment: ``%`` not escaped as ``\\%``."""
    k = 0
    while k < len(text):
        if text[k] == "\\":
            k += 2
            continue
        if text[k] == "%":
            return text[:k], text[k + 1:].strip()
        k += 1
    return text, ""


def read_document(text: str) -> Document:
    """The header block and the problems of a Markdown document."""
    lines = text.splitlines()
    header, problems = None, []
    heading, heading_level, heading_line = "", 0, None
    prose: list[str] = []
    current: Problem | None = None
    current_level = 0
    k = 0
    while k < len(lines):
        raw = lines[k]
        fence = _FENCE.match(raw)
        if fence:
            k, block = _fenced(lines, k, fence)
            if block is None:
                continue
            if block.kind == SHEET_BLOCK:
                if header is not None:
                    raise DocumentError(block.line - 1, "a second ```toml sheet block; a document declares one sheet")
                header = block
            else:
                current = Problem(heading, heading_line, block, _paragraphs(prose))
                current_level = heading_level
                problems.append(current)
            prose = []
            continue
        found = _HEADING.match(raw)
        if found:
            level = len(found.group(1))
            if current is not None and level <= current_level:
                current = None  # a new section: later displays are not this problem's answer
            if current is None:
                heading, heading_level, heading_line, prose = found.group(2), level, k + 1, []
            k += 1
            continue
        if raw.strip().startswith("$$"):
            k, display = _display(lines, k)
            if current is not None:
                current.displays.append(display)
            else:
                prose.append("$$" + " ".join(ln.tex for ln in display.lines) + "$$")
            continue
        if current is None:
            prose.append(raw)
        k += 1
    return Document(header, problems)


def _fenced(lines: list, k: int, fence) -> tuple[int, Block | None]:
    """Skip a fenced block; a symcheck block (``toml sheet``, ``toml problem``) is returned."""
    marker, info = fence.group(1), " ".join(fence.group(2).split())
    end = k + 1
    while end < len(lines) and not lines[end].strip().startswith(marker):
        end += 1
    if end == len(lines):
        if info in (SHEET_BLOCK, PROBLEM_BLOCK):
            raise DocumentError(k + 1, f"the ```{info} block is never closed; end it with a line {marker}")
        return end, None
    if info not in (SHEET_BLOCK, PROBLEM_BLOCK):
        return end + 1, None
    return end + 1, Block(info, "\n".join(lines[k + 1:end]), k + 2)


def _display(lines: list, k: int) -> tuple[int, Display]:
    """A ``$$ ... $$`` display starting on line k (it may open and close on one line)."""
    opening = k + 1
    first = lines[k].strip()[2:]
    if "$$" in first:  # $$ ... $$ on one line
        tex, comment = split_comment(first[:first.index("$$")])
        after = first[first.index("$$") + 2:]
        _, trailing = split_comment(after)
        return k + 1, Display([Line(tex, comment or trailing, opening)], opening)
    body = [Line(*split_comment(first), opening)] if first.strip() else []
    k += 1
    while k < len(lines):
        raw = lines[k]
        if "$$" in raw:
            before = raw[:raw.index("$$")]
            if before.strip():
                body.append(Line(*split_comment(before), k + 1))
            return k + 1, Display(body, opening)
        body.append(Line(*split_comment(raw), k + 1))
        k += 1
    raise DocumentError(opening, "the display opened with $$ is never closed; end it with $$")


def _paragraphs(lines: list) -> str:
    """The question's prose, blank-line paragraphs joined into one line each."""
    text = "\n".join(lines).strip()
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())
