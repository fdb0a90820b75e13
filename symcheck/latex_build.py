"""Compiling an answer sheet with pdflatex, confined to its build directory.

The .tex is generated from the catalogue and verification results, so pdflatex
runs as for an untrusted document: no shell escape, and kpathsea's paranoid
mode (``openin_any=p``, ``openout_any=p``), which refuses to read or write
absolute paths outside the build directory (``TEXMFOUTPUT``), dot files, and
anything in a parent directory.  The sheet is copied into the build directory
and compiled there, so it needs nothing from outside it but the TeX
installation itself.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from symcheck.errors import SymcheckError

LATEX_PACKAGES = "texlive-latex-base texlive-latex-recommended"
#: a sheet compiles in seconds; ten minutes means a runaway document
TIMEOUT = 600


class LatexMissing(SymcheckError):
    """--pdf without a LaTeX installation."""

    exit_code = 1


def latex_command() -> str:
    """The pdflatex executable, or LatexMissing with what to install."""
    exe = shutil.which("pdflatex")
    if exe is None:
        raise LatexMissing(f"--pdf needs pdflatex, which is not installed (Debian/Ubuntu: apt-get install "
                           f"{LATEX_PACKAGES})")
    return exe


def confined_environment(build_dir: Path) -> dict:
    """The environment pdflatex runs in: reproducible output, no shell, files only inside ``build_dir``."""
    return dict(os.environ, SOURCE_DATE_EPOCH="0", FORCE_SOURCE_DATE="1", openin_any="p", openout_any="p",
                shell_escape="f", TEXMFOUTPUT=str(build_dir.resolve()))


def command(exe: str, tex_name: str) -> list[str]:
    return [exe, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", tex_name]


def build_pdf(tex_path: Path, build_dir: Path, runs: int = 3) -> Path:
    """Compile one sheet with pdflatex in ``build_dir``, rerunning while LaTeX asks to."""
    exe = latex_command()
    build_dir.mkdir(parents=True, exist_ok=True)
    source = build_dir / tex_path.name
    if tex_path.resolve() != source.resolve():
        shutil.copyfile(tex_path, source)
    log_path = build_dir / f"{tex_path.stem}.log"
    for _ in range(runs):
        try:
            proc = subprocess.run(command(exe, source.name), cwd=build_dir, env=confined_environment(build_dir),
                                  stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SymcheckError(f"pdflatex did not finish on {tex_path} within {TIMEOUT} s (see {log_path})") \
                from None
        except OSError as error:
            raise SymcheckError(f"cannot run pdflatex: {error.strerror}") from None
        log = log_path.read_text(encoding="latin-1") if log_path.exists() else proc.stdout.decode("latin-1")
        if proc.returncode != 0:
            raise SymcheckError(f"pdflatex failed on {tex_path}: {first_error(log)} (full log: {log_path})")
        if not re.search(r"Rerun to get|Rerun LaTeX|Label\(s\) may have changed|Table widths have changed", log):
            break
    return build_dir / f"{tex_path.stem}.pdf"


def first_error(log: str) -> str:
    """The first error of a pdflatex log, as one line."""
    lines = log.splitlines()
    for k, line in enumerate(lines):
        if line.startswith("!") or re.match(r"^[^:\s]+\.tex:\d+:", line):
            detail = " ".join(x.strip() for x in lines[k:k + 3] if x.strip())
            return detail[:300]
    return "no error message in the log"
