"""Answer sheets: verified entries turned into LaTeX.

``symcheck report`` writes one ``<sheet>.tex`` per source sheet: the problems in
the sheet's own order and numbering, each question with its answer, the
derivation as an aligned display with a verdict mark on every step, the
evidence behind each verdict, an erratum box wherever the source sheet is
wrong, and an appendix stating the method and the versions used.

This module renders and writes the sheets.  What a sheet shows is
``report_views.py``; prose and numbers as TeX, ``tex_text.py``; where a long
step breaks, ``tex_layout.py``.  Verification is ``symcheck.runs.verify_many``
(with its cache); layout lives in the Jinja2 templates of ``symcheck/templates/``.  The templates use LaTeX-safe delimiters::

    \\VAR{expression}   \\BLOCK{statement}   \\#{comment}   %% line statement

Prose (questions, answers, readings, notes, titles) is escaped where the
template uses it, with the ``tex`` filter: TeX's special characters are
escaped, the unicode the catalogue writes in prose becomes LaTeX, and inline
``$...$`` mathematics is left as written.  Mathematics comes from the claims'
``latex`` fields, or, for a claim without one, from SymPy's printer in the
entry's notation.

The output is deterministic: no dates, no timings, nothing unordered; the
verdicts come from fixed seeds per entry.  Running the command twice gives
byte-identical files.
"""
from __future__ import annotations

import os
import unicodedata
import shutil  # noqa: F401 - the tests stub shutil.which through this module
import sys
import tempfile
from pathlib import Path

import jinja2

from symcheck.errors import UsageError
from symcheck.latex_build import LATEX_PACKAGES, LatexMissing, build_pdf, first_error, latex_command  # noqa: F401
# the answer sheet's parts, named here as before the split (tests and grade_report use them through this module)
from symcheck.report_views import SOURCE_NAMES, claim_math, sheet_context, top_number  # noqa: F401
from symcheck.tex_layout import break_math, width  # noqa: F401
from symcheck.tex_text import TexFilter, math_unicode, number, pdf_string, sci, tex  # noqa: F401

#: Where ``symcheck report`` writes when ``--out`` is not given: ``reports/``
#: relative to the current directory (run it from the project root).
DEFAULT_OUT = Path("reports")
BUILD = "build"
TEMPLATE = "sheet.tex"



# =====================================================================================
# Jinja2
# =====================================================================================

def environment(tex_filter: TexFilter | None = None) -> jinja2.Environment:
    """The template environment: LaTeX-safe delimiters, StrictUndefined, no autoescape."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        line_statement_prefix="%%", line_comment_prefix="%#",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False, undefined=jinja2.StrictUndefined,
    )
    tex_filter = tex_filter or TexFilter()
    env.filters["tex"] = tex_filter
    # the engine's words (reasons, stages, notes on a counterexample) may quote a claim or a cached
    # record, which are not ours to typeset: every character is text there, a $ is a dollar sign
    env.filters["plain"] = lambda text: tex_filter.text(unicodedata.normalize("NFC", str(text or "")))
    env.filters["sci"] = sci
    env.filters["num"] = number
    env.filters["pdfstring"] = pdf_string
    return env


# =====================================================================================
# Rendering, writing, compiling
# =====================================================================================

def render_sheet(sheet: str, catalogue, results: dict, tex_filter: TexFilter | None = None) -> str:
    """The LaTeX source of one sheet's answer sheet."""
    tex_filter = tex_filter or TexFilter()
    template = environment(tex_filter).get_template(TEMPLATE)
    return template.render(**sheet_context(sheet, catalogue, results))


def all_sheets() -> list[str]:
    """Every sheet the loaded catalogues declare (or their entries name)."""
    from symcheck.catalogue import load

    return load().sheets()


def resolve_sheets(names: list[str]) -> list[str]:
    """Sheet ids from the command line: a full id or a unique prefix ('004')."""
    from symcheck.catalogue import load

    return load().resolve_sheets(names)


def verify_sheets(sheets: list[str], jobs: int | None = None, cache: bool = True, progress: bool = False) -> dict:
    """Verify the entries of the sheets (through the cache); {entry id: EntryResult}."""
    from symcheck.catalogue import load
    from symcheck.runs import verify_many

    catalogue = load()
    entries = [e for e in catalogue.entries if e.sheet in sheets]
    results = verify_many(entries, jobs=jobs, cache=cache, progress=progress)
    return {r.id: r for r in results}


def write_reports(sheets: list[str], out: Path, jobs: int | None = None, cache: bool = True,
                  progress: bool = False) -> tuple[list[Path], list[str]]:
    """Write <out>/<sheet>.tex for each sheet; returns (paths, warnings)."""
    from symcheck.catalogue import load

    catalogue = load()
    results = verify_sheets(sheets, jobs=jobs, cache=cache, progress=progress)
    out.mkdir(parents=True, exist_ok=True)
    paths, warnings = [], []
    for sheet in sheets:
        tex_filter = TexFilter()
        text = render_sheet(sheet, catalogue, results, tex_filter)
        path = out / f"{sheet}.tex"
        _write_if_changed(path, text)
        paths.append(path)
        if tex_filter.unmapped:
            chars = " ".join(f"{c!r} (U+{ord(c[0]):04X})" for c in sorted(tex_filter.unmapped))
            warnings.append(f"{path}: no LaTeX for the characters {chars}; add them to symcheck/report.py")
    for r in sorted(results.values(), key=lambda r: r.id):
        for c in r.claims:
            if not c.matches:
                warnings.append(f"{r.id}, {c.label}: the engine says {c.verdict}, the catalogue records "
                                f"{c.expected} (the sheet shows the engine's verdict)")
        if r.error:
            warnings.append(f"{r.id}: {r.error}")
    return paths, warnings


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def writable_directory(path: Path, what: str) -> None:
    """A directory we can write files in (created if missing), or UsageError saying why not."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {str(path)!r} is an existing file, not a directory; give a directory (it is "
                         f"created if missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise UsageError(f"{what} {str(path)!r} is not a directory symcheck can write in "
                         f"({error.strerror or error}); give a writable directory") from None


def main(args) -> int:
    """``symcheck report [SHEET ...] [--out DIR] [--pdf]``."""
    sheets = resolve_sheets(getattr(args, "sheets", None) or [])
    out = Path(args.out) if getattr(args, "out", None) else DEFAULT_OUT
    # fail before verifying anything, which takes a while
    writable_directory(out, "--out")
    if getattr(args, "pdf", False):
        latex_command()
        writable_directory(out / BUILD, "the build directory")
    paths, warnings = write_reports(sheets, out, jobs=getattr(args, "jobs", None),
                                    cache=not getattr(args, "no_cache", False),
                                    progress=sys.stderr.isatty())
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in paths:
        print(f"wrote {path}")
    if getattr(args, "pdf", False):
        for path in paths:
            pdf = build_pdf(path, out / BUILD)
            print(f"built {pdf}")
    return 0
