"""Loading entry files by path: no package, no installation, no ``__init__.py``.

Each catalogue folder becomes a private package (``_symcheck_catalogue_<hash>``,
hashed from the folder's absolute path) registered in ``sys.modules`` with
the folder as its ``__path__``; each entry file is executed as a submodule of
it.  Two catalogues therefore never collide on module names, entry files can
share helpers with relative imports (``from ._layers import conv2d``), and
nothing the user did not write ends up on ``sys.path``.

A file that cannot be loaded does not stop the others: it becomes a
:class:`LoadFailure` naming the file and the line, and the entry ids its
text declares, so that ``verify`` can report them as errors.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import sys
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path

from symcheck.entry import Entry, Prose

#: entry files whose names start with this are helpers, not entries
HELPER_PREFIX = "_"
#: how an entry's id reads in its source: enough to name the entries of a file that cannot be run
_ID_IN_SOURCE = re.compile(r"""\bid\s*=\s*["']([a-z0-9]+(?:-[a-z0-9]+)*)["']""")
_SHEET_IN_SOURCE = re.compile(r"""\bSHEET\s*=\s*["']([^"'\n]+)["']|\bsheet\s*=\s*["']([^"'\n]+)["']""")


@dataclass
class LoadFailure:
    """An entry file that could not be loaded: one line names the file and the line."""

    path: Path
    line: int | None
    message: str
    ids: list = field(default_factory=list)
    sheet: str = ""  # the one sheet the file's text names, if it names exactly one

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


def package_name(folder: Path) -> str:
    """The private package name of a catalogue folder (stable across runs and forks)."""
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:12]
    return f"_symcheck_catalogue_{digest}"


def _package(folder: Path) -> str:
    name = package_name(folder)
    if name not in sys.modules:
        package = types.ModuleType(name, f"symcheck catalogue {folder}")
        package.__path__ = [str(folder.resolve())]
        package.__file__ = None
        sys.modules[name] = package
    return name


#: the kinds of entry file: Python entries and Markdown documents (symcheck.document_entries)
ENTRY_SUFFIXES = (".py", ".md")


def entry_files(folder: Path) -> list[Path]:
    """The entry files of a folder, in name order; helpers (``_*.py``) are left out."""
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in ENTRY_SUFFIXES
                  and not p.name.startswith(HELPER_PREFIX))


def load_file(path: Path) -> tuple[list, LoadFailure | None]:
    """The Entry and Prose objects a file defines, in the order it writes them; or its failure."""
    path = path.resolve()
    if path.suffix == ".md":
        items, failure = _load_document(path)
        return _placed(items, path), failure
    name = f"{_package(path.parent)}.{path.stem}"
    module = sys.modules.get(name)
    if module is None or getattr(module, "__file__", None) != str(path):
        try:
            module = _execute(name, path)
        except BaseException as error:  # noqa: BLE001 - any failure is the file's, reported as one line
            if not isinstance(error, Exception):
                raise
            return [], _failure(path, error)
    return _placed(_collect(module), path), None


def _placed(items: list, path: Path) -> list:
    """Items with their place: the order the file writes them, the file's name and path."""
    for position, item in enumerate(items, 1):
        # the same values whichever load reaches the file: a file may be loaded alone (the pytest
        # plugin) and within its folder, and both see the same objects
        item.order = position
        # a readable name ("derivations.lstm"): runs group an entry file's entries by it
        item.module = f"{path.parent.name}.{path.stem}"
        item.path = str(path)
    return items


#: documents already read, by path: a document is read once per process, as a module is imported once
_DOCUMENTS: dict = {}


def _load_document(path: Path) -> tuple[list, LoadFailure | None]:
    """The entries of a Markdown document, each carrying the sheet its header declares; or its failure."""
    from symcheck.document import DocumentError
    from symcheck.document_entries import read_entries

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], LoadFailure(path, None, f"cannot read the document ({getattr(error, 'strerror', None) or error})")
    key = (str(path), text)  # an edited document is read again
    if key in _DOCUMENTS:
        return _DOCUMENTS[key]
    try:
        entries, sheet = read_entries(path, text)
        for entry in entries:
            entry.declared_sheet = sheet
        found = (entries, None)
    except Exception as error:  # noqa: BLE001 - a bug reading one document must not stop the others
        if not isinstance(error, DocumentError):
            if os.environ.get("SYMCHECK_DEBUG"):
                raise
            error = DocumentError(None, "symcheck could not read this document (an internal error; rerun with "
                                        "SYMCHECK_DEBUG=1 and report it)")
        # the ids and the sheet the text names, so that verify reports this file's entries as errors
        header = re.search(r"```toml sheet[ \t]*\n(?:[^`]*?\n)?\s*id\s*=\s*[\"']([^\"'\n]+)", text)
        sheet = header.group(1) if header else ""
        ids = [i for i in _ID_IN_SOURCE.findall(text) if i != sheet]
        found = ([], LoadFailure(path, error.line, error.message, ids, sheet))
    _DOCUMENTS[key] = found
    return found


def _execute(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # before executing: dataclasses and relative imports look it up
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def _failure(path: Path, error: Exception) -> LoadFailure:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    ids = _ID_IN_SOURCE.findall(text)
    sheets = {a or b for a, b in _SHEET_IN_SOURCE.findall(text)}
    sheet = sheets.pop() if len(sheets) == 1 else ""
    if isinstance(error, SyntaxError) and (error.filename or "") == str(path):
        return LoadFailure(path, error.lineno, f"SyntaxError: {error.msg}", ids, sheet)
    # the innermost line of the file itself: where the entry file called what failed
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename) == path:
            line = frame.lineno
    message = str(error).splitlines()[0] if str(error) else ""
    what = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return LoadFailure(path, line, what, ids, sheet)


def _collect(module) -> list:
    found, seen = [], set()
    for value in vars(module).values():
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values or not all(isinstance(v, (Entry, Prose)) for v in values):
            continue
        for v in values:
            if id(v) not in seen:
                seen.add(id(v))
                found.append(v)
    return found
