"""The catalogue: every entry under ``derivations/``, found, not listed.

Each module of the ``derivations`` package is imported and its module-level
:class:`Entry` and :class:`Prose` objects (or lists of them) are collected in
the order they are written.  Adding an entry therefore touches one file.

Within a sheet, items follow the sheet's own numbering: problem labels such as
"Q1.4", "1.1(c)(ii)", "5(i)" or "§2.3" are compared piece by piece, numbers
as numbers and roman numerals in parentheses as numbers.
"""
from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from dataclasses import dataclass
from functools import lru_cache

from symcheck.entry import Entry, Prose
from symcheck.errors import EntryError, UsageError

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


@dataclass
class Catalogue:
    entries: list
    prose: list

    def ids(self) -> list[str]:
        return [e.id for e in self.entries]

    def get(self, entry_id: str) -> Entry:
        for e in self.entries:
            if e.id == entry_id:
                return e
        if any(p.id == entry_id for p in self.prose):
            raise UsageError(f"{entry_id!r} is a prose answer (not machine-checkable); "
                             f"'symcheck show {entry_id}' prints it")
        close = difflib.get_close_matches(entry_id, self.ids(), n=1, cutoff=0.6)
        hint = f" Did you mean {close[0]!r}?" if close else " Run 'symcheck list' to see the ids."
        raise UsageError(f"No such derivation {entry_id!r}.{hint}")

    def sheets(self) -> list[str]:
        return sorted({item.sheet for item in (*self.entries, *self.prose)})

    def items(self, sheet: str) -> list:
        """Entries and prose answers of one sheet, in the sheet's order."""
        items = [i for i in (*self.entries, *self.prose) if i.sheet == sheet]
        return sorted(items, key=lambda i: (problem_key(i.problem), i.order))


def _collect(module) -> list:
    found = []
    for value in vars(module).values():
        if isinstance(value, (Entry, Prose)):
            found.append(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(v, (Entry, Prose)) for v in value):
            found.extend(value)
    return found


@lru_cache(maxsize=1)
def load() -> Catalogue:
    """Import every module of ``derivations`` and collect its entries."""
    import derivations

    items, seen, order = [], {}, 0
    for info in sorted(pkgutil.iter_modules(derivations.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"derivations.{info.name}")
        except EntryError:
            raise
        except Exception as error:
            raise EntryError(f"derivations/{info.name}.py cannot be loaded: {type(error).__name__}: {error}") from None
        for item in _collect(module):
            if id(item) in seen:
                continue
            seen[id(item)] = True
            order += 1
            item.order = order
            item.module = module.__name__
            items.append(item)
    ids = {}
    for item in items:
        if item.id in ids:
            raise EntryError(f"the id {item.id!r} is used twice in derivations/")
        ids[item.id] = item
    entries = [i for i in items if isinstance(i, Entry)]
    prose = [i for i in items if isinstance(i, Prose)]
    return Catalogue(entries, prose)
