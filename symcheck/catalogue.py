"""The catalogue: every entry of the loaded catalogue folders, found, not listed.

A catalogue is a folder (or a single file) of entry files anywhere on disk;
each file's module-level :class:`Entry` and :class:`Prose` objects (or lists of
them) are collected in the order they are written (``symcheck.loading``), so
adding an entry touches one file.  The sheets are declared beside the entries
in ``sheets.toml`` (title, short description, source); the engine holds no
table of them.

Which catalogues: ``--catalogue PATH`` (repeatable, ``use``), else the
``[tool.symcheck]`` settings of the nearest pyproject.toml, else the built-in
catalogue of the five seed sheets, which is loaded the same way.

Within a sheet, items follow the sheet's own numbering: problem labels such as
"Q1.4", "1.1(c)(ii)", "5(i)" or "§2.3" are compared piece by piece, numbers
as numbers and roman numerals in parentheses as numbers.
"""
from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from symcheck.entry import Entry, Prose
from symcheck.errors import UsageError
from symcheck.loading import ENTRY_SUFFIXES, LoadFailure, entry_files, load_file

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12, "xiii": 13, "xiv": 14}
_TOKEN = re.compile(r"\d+|\([a-z]+\)|[a-z]+", re.IGNORECASE)


def problem_key(label: str) -> tuple:
    """A sort key that follows a sheet's numbering: 1.2 < 1.10, (iv) < (ix)."""
    key = []
    for token in _TOKEN.findall(label.lower()):
        if token.isdigit():
            key.append((0, int(token)))
        elif token.startswith("("):
            inner = token[1:-1]
            key.append((1, _ROMAN[inner]) if inner in _ROMAN and inner not in ("c", "d") else (1, ord(inner[0]) - 96))
        elif token in ("q", "s"):
            continue
        else:
            key.append((2, token))
    return tuple(key)


#: the file beside the entries that declares the sheets
SHEETS_FILE = "sheets.toml"
_SHEET_KEYS = {"title", "short", "source", "problems"}


@dataclass
class Catalogue:
    entries: list
    prose: list
    #: {sheet id: {"title", "short", "source", "file"}} as the catalogues declare them
    declared: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    roots: list = field(default_factory=list)
    #: {entry file: its rank in this catalogue}: items of one problem follow the files' order
    ranks: dict = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def get(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        if any(p.id == entry_id for p in self.prose):
            raise UsageError(f"{entry_id!r} is a prose answer (not machine-checkable); "
                             f"'symcheck show {entry_id}' prints it")
        broken = next((f for f in self.failures if entry_id in f.ids), None)
        if broken is not None:
            raise UsageError(f"{entry_id!r} is in a file that cannot be loaded: {broken}")
        close = difflib.get_close_matches(entry_id, self.ids(), n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else " Run 'symcheck list' to see the ids."
        raise UsageError(f"No such derivation {entry_id!r}.{hint}")

    def sheets(self) -> list[str]:
        """Every sheet declared, and any an entry names without its being declared."""
        used = {item.sheet for item in (*self.entries, *self.prose)}
        return sorted(used | set(self.declared))

    def sheet_info(self, sheet: str) -> dict:
        return self.declared.get(sheet, {})

    def items(self, sheet: str) -> list:
        """Entries and prose answers of one sheet, in the sheet's order."""
        items = [i for i in (*self.entries, *self.prose) if i.sheet == sheet]
        return sorted(items, key=lambda i: (problem_key(i.problem), self.ranks.get(i.path, 0), i.order))

    def resolve_sheets(self, names: list[str]) -> list[str]:
        """Sheet ids from the command line: a full id or a unique prefix ('004'); all without names."""
        known = self.sheets()
        if not names:
            return known
        out = []
        for name in names:
            name = Path(name).stem if name.endswith((".txt", ".tex")) else name
            matches = [s for s in known if s == name] or [s for s in known if s.startswith(name)]
            if len(matches) != 1:
                what = f"{name!r} matches several sheets" if matches else f"No such sheet {name!r}"
                raise UsageError(f"{what}; sheets: {', '.join(known)}")
            if matches[0] not in out:
                out.append(matches[0])
        return out


# -- which catalogues -------------------------------------------------------------------

_chosen: list | None = None
_loaded: dict = {}


def builtin_path() -> Path:
    """The built-in catalogue's folder: package data of an installed symcheck
    (``symcheck/_catalogue``), or the repository's ``derivations/`` (a checkout,
    an editable install)."""
    import importlib.util

    import symcheck

    packaged = Path(symcheck.__file__).parent / "_catalogue"
    if packaged.is_dir():
        return packaged
    try:  # an editable install maps symcheck._catalogue onto derivations/
        spec = importlib.util.find_spec("symcheck._catalogue")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return Path(symcheck.__file__).parent.parent / "derivations"


def use(paths: list | None) -> None:
    """Choose the catalogues for this process (``--catalogue``); None: the settings or the built-in."""
    global _chosen
    _chosen = [Path(p) for p in paths] if paths else None


def chosen_paths() -> list[Path]:
    from symcheck import settings

    if _chosen:
        return _chosen
    return settings.find().catalogue or [builtin_path()]


def default_report_dir() -> Path:
    """Where ``report`` writes without ``--out``: never wherever the shell happens to be.

    The settings' ``reports``, else ``reports/`` in the project that holds the
    settings, else beside the first catalogue (for the built-in catalogue of a
    checkout that is the repository's ``reports/``); an installed built-in
    catalogue, inside site-packages, writes to ./reports."""
    from symcheck import settings

    if not _chosen:
        found = settings.find()
        if found.root is not None:
            return found.reports or found.root / "reports"
    first = chosen_paths()[0].resolve()
    folder = first.parent if first.is_file() else first
    if folder.name == "_catalogue" and folder.parent.name == "symcheck":
        return Path("reports")
    return folder.parent / "reports"


def load(paths: list | None = None) -> Catalogue:
    """The catalogue of the given paths (default: the chosen ones), loaded once per process."""
    paths = [Path(p) for p in paths] if paths else chosen_paths()
    key = tuple(str(p.resolve()) for p in paths)
    if key not in _loaded:
        _loaded[key] = _load(paths)
    return _loaded[key]


def _load(paths: list[Path]) -> Catalogue:
    files, folders = [], []
    for path in paths:
        if path.is_dir():
            folders.append(path.resolve())
            files.extend(entry_files(path))
        elif path.is_file() and path.suffix in ENTRY_SUFFIXES:
            folders.append(path.resolve().parent)
            files.append(path)
        else:
            what = "does not exist" if not path.exists() else "is neither a folder nor a .py or .md entry file"
            raise UsageError(f"the catalogue {str(path)!r} {what}")
    items, failures, done = [], [], set()
    for path in files:
        if path.resolve() in done:
            continue
        done.add(path.resolve())
        found, failure = load_file(path)
        items.extend(found)
        if failure is not None:
            failures.append(failure)
    _unique(items, "id", lambda i: i.id)
    declared = _declared(list(dict.fromkeys(folders)))
    _document_sheets(items, declared)
    entries = [i for i in items if isinstance(i, Entry)]
    prose = [i for i in items if isinstance(i, Prose)]
    ranks: dict = {}
    for rank, path in enumerate(files):
        ranks.setdefault(str(path.resolve()), rank)
    return Catalogue(entries, prose, declared, failures, [str(p) for p in paths], ranks)


def _unique(items: list, what: str, name) -> None:
    seen: dict = {}
    for item in items:
        other = seen.setdefault(name(item), item)
        if other is not item:
            raise UsageError(f"the {what} {name(item)!r} is used twice: in {other.path} and in {item.path}")


def _declared(folders: list[Path]) -> dict:
    """The sheets declared in each folder's sheets.toml; a sheet id declared twice is a clash."""
    declared: dict = {}
    for folder in folders:
        path = folder / SHEETS_FILE
        if not path.is_file():
            continue
        for sheet, info in _read_sheets(path).items():
            if sheet in declared:
                raise UsageError(f"the sheet {sheet!r} is declared twice: in {declared[sheet]['file']} and in {path}")
            declared[sheet] = {**info, "file": str(path)}
    return declared


def _document_sheets(items: list, declared: dict) -> None:
    """The sheets that documents declare in their headers, added to ``declared``.  Several documents
    may make up one sheet; a sheet declared differently in two places is a clash naming both files."""
    for item in items:
        info = getattr(item, "declared_sheet", None)
        if not info:
            continue
        fields = {"title": info["title"], "short": info["short"], "source": info["source"]}
        other = declared.get(info["id"])
        if other is None:
            declared[info["id"]] = {**fields, "file": item.path}
        elif other["file"] != item.path and any(other.get(k, "") != v for k, v in fields.items()):
            raise UsageError(f"the sheet {info['id']!r} is declared twice, differently: in {other['file']} "
                             f"and in {item.path}")


def _read_sheets(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read the sheets ({error})") from None
    for sheet, info in data.items():
        if not isinstance(info, dict) or not isinstance(info.get("title"), str):
            raise UsageError(f"{path}: sheet {sheet!r} needs a table with at least a title = \"...\"")
        unknown = sorted(set(info) - _SHEET_KEYS)
        if unknown:
            raise UsageError(f"{path}: sheet {sheet!r} has no field {unknown[0]!r}; fields: "
                             f"{', '.join(sorted(_SHEET_KEYS))}")
    return data
