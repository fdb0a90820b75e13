"""``symcheck grade --report DIR``: one short LaTeX page per student.

Each page shows the student's answer exactly as typed (as text, never as
mathematics: every character is escaped by the ``plain`` filter), the verdict
(only the closed set of ``symcheck.verdicts.VERDICTS`` is ever typeset), the
counterexample in short, the diagnosis, and the corrected answer: the entry's
own claim that the catalogue records as proved or confirmed, preferring a
"correction", then "answer", then the sheet's last correct step, shown with
its LaTeX (``report.claim_math``).

The layout is ``templates/student.tex``, rendered with report.py's Jinja2
environment and filters.  Student ids become file names through ``file_name``:
letters, digits, ``-`` and ``_`` only, so no id can name a path outside DIR
or a TeX control sequence; two ids that would share a name are refused before
anything is graded.  ``--pdf`` compiles each page with ``latex_build``
(confined) into ``DIR/build/``.
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from symcheck import report
from symcheck.errors import SymcheckError, UsageError
from symcheck.verdicts import VERDICTS

TEMPLATE = "student.tex"
BUILD = report.BUILD
#: a file name's longest stem (a long id is cut, and a clash after cutting is refused like any other)
NAME_CHARS = 80
#: an answer is typeset in chunks of this many characters with a break allowed between them
CHUNK = 40
#: which of the entry's claims is "the corrected answer", in order of preference
PREFERRED_SOURCES = ("correction", "answer", "sheet")


def file_name(student: str) -> str:
    """A safe file stem for a student id: runs of anything but letters, digits, '-' and '_' become one '_'."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", student).strip("_-")[:NAME_CHARS].strip("_-")
    return stem or "student"


def file_names(students: list[str]) -> dict[str, str]:
    """{student: file stem}, or UsageError (one line) when two students would share a page."""
    names: dict[str, str] = {}
    taken: dict[str, str] = {}
    for student in students:
        stem = file_name(student)
        key = stem.casefold()  # one page per student on a case-insensitive file system too
        if key in taken and taken[key] != student:
            raise UsageError(f"--report: students {taken[key]!r} and {student!r} would both be written to "
                             f"{stem}.tex; make their ids differ in letters or digits")
        taken[key] = student
        names[student] = stem
    return names


def corrected_claim(entry):
    """The entry's own correct answer: its last claim recorded proved/confirmed, by preferred source."""
    good = [c for c in entry.claims if c.expect in ("proved", "confirmed") and c.relation == "="]
    for source in PREFERRED_SOURCES:
        chosen = [c for c in good if c.source == source]
        if chosen:
            return chosen[-1]
    return None


def visible(text: str) -> str:
    """Control characters (which the ``plain`` filter passes through, and pdflatex rejects or drops) as
    ``[U+001B]``; a tab is a space.  Line breaks are kept for ``chunks``."""
    text = str(text or "").replace("\t", " ")
    return "".join(ch if ch in "\n\r" or unicodedata.category(ch) != "Cc" else f"[U+{ord(ch):04X}]" for ch in text)


def chunks(text: str) -> list[list[str]]:
    """The answer's lines, each cut into short pieces so that a long answer can break anywhere."""
    return [[line[i:i + CHUNK] for i in range(0, len(line), CHUNK)] or [""]
            for line in visible(text).splitlines() or [""]]


def page_context(entry, row, student_file: str) -> dict:
    claim = corrected_claim(entry)
    verdict = row.verdict if row.verdict in VERDICTS else "error"
    return {
        "version": _version(),
        "entry": {"id": entry.id, "title": entry.title, "question": entry.question or ""},
        "student": visible(row.student),
        "file": student_file,
        "answer": chunks(row.answer),
        "verdict": verdict,
        "reason": visible(row.reason),
        "format_error": bool(row.format_error),
        "counterexample": visible(row.counterexample),
        "diagnosis": visible(row.diagnosis),
        "corrected": None if claim is None else {
            "math": report.claim_math(entry, claim),
            "source_name": report.SOURCE_NAMES.get(claim.source, claim.source),
        },
    }


def _version() -> str:
    from symcheck import __version__

    return __version__


def render_page(entry, row, student_file: str, tex_filter: report.TexFilter | None = None) -> str:
    """The LaTeX source of one student's page."""
    env = report.environment(tex_filter or report.TexFilter())
    return env.get_template(TEMPLATE).render(**page_context(entry, row, student_file))


def check_destination(out: Path, pdf: bool) -> None:
    """Before grading: DIR (and DIR/build with --pdf) writable, and pdflatex there if asked for."""
    report.writable_directory(out, "--report")
    if pdf:
        report.latex_command()
        report.writable_directory(out / BUILD, "the build directory")


def write_pages(entry, rows: list, out: Path, pdf: bool = False) -> tuple[list[Path], list[Path]]:
    """Write DIR/<student>.tex for every row (and DIR/build/<student>.pdf with ``pdf``); (tex paths, pdfs)."""
    names = file_names([r.student for r in rows])
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for row in rows:
        path = out / f"{names[row.student]}.tex"
        report._write_if_changed(path, render_page(entry, row, names[row.student]))
        paths.append(path)
    pdfs, failures = [], []
    for path in paths if pdf else []:
        try:
            pdfs.append(report.build_pdf(path, out / BUILD))
        except report.LatexMissing:
            raise
        except SymcheckError as error:  # one page that does not compile costs that page, not the class
            failures.append(str(error))
    if failures:
        raise SymcheckError(f"{len(failures)} of {len(paths)} pages did not compile; the first: {failures[0]}")
    return paths, pdfs
