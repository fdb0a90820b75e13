"""``symcheck init DIR``: a starter catalogue that verifies and tests green as written.

The files are package data (``symcheck/starter_catalogue/``), copied as they are: a
sheets file, one Python entry and one document sheet (Markdown with LaTeX) in
``DIR/sheets/``, and the settings in ``DIR/pyproject.toml``.  Nothing that exists
is overwritten.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from symcheck.errors import UsageError

#: (file in symcheck/starter_catalogue, where it goes in DIR)
FILES = [("pyproject.toml", "pyproject.toml"),
         ("sheets.toml", "sheets/sheets.toml"),
         ("softmax_sheet.py", "sheets/softmax_sheet.py"),
         ("hw2.md", "sheets/hw2.md")]


def write_starter(folder: Path) -> list[Path]:
    """Write the starter files into ``folder``; the paths written."""
    targets = [folder / target for _, target in FILES]
    existing = [str(t) for t in targets if t.exists()]
    if existing:
        raise UsageError(f"{existing[0]} already exists; symcheck init writes into a new or empty folder")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{str(folder)!r} is a file, not a folder")
    source = resources.files("symcheck") / "starter_catalogue"
    try:
        for (name, _), target in zip(FILES, targets):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write the starter catalogue in {str(folder)!r}: {error.strerror or error}") from None
    return targets
