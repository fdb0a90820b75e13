"""The verification cache: an unchanged catalogue re-verifies in no time.

A result is stored under a key that hashes everything its verdict depends on:

* the engine: the bytes of every module of the ``symcheck`` package and the
  versions of SymPy, NumPy, SciPy and mpmath;
* the entry: its id and the bytes of the module that defines it, plus the
  catalogue's shared helper modules (``derivations/_*.py``);
* the symbolic budget.

The cache cannot lie: a record is a file anyone with the directory can edit,
so it is only ever evidence *for* what a fresh run would say, never an
authority.  Each record carries the engine fingerprint, the entry's source
hash, the budget and the entry's claims (labels, texts, expectations); on
load it must parse, pass a strict schema (``symcheck.cache_schema``), match
all of those, and agree with every verdict the catalogue records.  Anything
else is a miss and is recomputed, never trusted and never fatal.  Only a
regular file of bounded size is read, and only a complete result in which
every claim was decided within its budget is stored.

``--no-cache`` bypasses it; the directory is ``$SYMCHECK_CACHE_DIR``, else
``$XDG_CACHE_HOME/symcheck``, else ``~/.cache/symcheck``.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from symcheck.cache_schema import SchemaMismatch, claim_ids, validate_result
from symcheck.verdicts import EntryResult, from_json

#: The record layout; a record of any other format is a miss.
FORMAT = "symcheck-cache/2"
#: A record is a few kilobytes; anything much bigger is not one of ours.
MAX_RECORD_BYTES = 8 << 20


def directory() -> Path:
    explicit = os.environ.get("SYMCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "symcheck"


@lru_cache(maxsize=1)
def engine_fingerprint() -> str:
    import mpmath
    import numpy
    import scipy
    import sympy

    import symcheck

    digest = hashlib.sha256()
    root = Path(symcheck.__file__).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    for module in (sympy, numpy, scipy, mpmath):
        digest.update(f"{module.__name__}={module.__version__};".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


@lru_cache(maxsize=None)
def _file_bytes(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b""


def _shared_helpers(folder: Path) -> bytes:
    """The helper files (``_*.py``) beside an entry file: entries import from them."""
    return b"".join(_file_bytes(str(p)) for p in sorted(folder.glob("_*.py")))


def source_hash(entry) -> str:
    """The hash of the code that defines the entry: the file it was loaded from and its helpers."""
    source = getattr(entry, "path", None)
    digest = hashlib.sha256()
    digest.update(entry.id.encode())
    digest.update(_file_bytes(source) if source else repr(entry).encode())
    if source:
        digest.update(_shared_helpers(Path(source).parent))
    # files the entry depends on besides its own (a document's Python oracle)
    for extra in getattr(entry, "sources", ()):
        digest.update(_file_bytes(str(extra)))
    return digest.hexdigest()


def key(entry, budget: float) -> str:
    digest = hashlib.sha256()
    digest.update(engine_fingerprint().encode())
    digest.update(source_hash(entry).encode())
    digest.update(repr(float(budget)).encode())
    return digest.hexdigest()


def _header(entry, budget: float) -> dict:
    """What a record must say about itself to be about this entry, engine and budget."""
    return {"format": FORMAT, "engine": engine_fingerprint(), "entry": entry.id, "source": source_hash(entry),
            "budget": float(budget), "claims": claim_ids(entry)}


# -- reading ----------------------------------------------------------------------------

def lookup(entry, budget: float) -> EntryResult | None:
    """The cached result for the entry, or None: a miss for anything not provably ours."""
    data = _read_record(directory() / f"{key(entry, budget)}.json")
    if data is None:
        return None
    try:
        return _trusted(entry, budget, data)
    except (SchemaMismatch, RecursionError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _trusted(entry, budget: float, data) -> EntryResult | None:
    if not isinstance(data, dict) or set(data) != set(_header(entry, budget)) | {"result"}:
        raise SchemaMismatch("record fields")
    header = {k: v for k, v in data.items() if k != "result"}
    if header != _header(entry, budget):
        raise SchemaMismatch("the record is about another entry, engine, budget or claim set")
    validate_result(entry, data["result"])
    result = from_json(data["result"])
    # A record only ever confirms the catalogue: a verdict that differs from
    # what the catalogue records is recomputed, so a cache can never make a
    # surprise, nor hide one that a fresh run would show.
    return result if result.matches else None


def _read_record(path: Path):
    """The parsed JSON at ``path`` if it is a regular file of bounded size, else None.

    Never blocks (a FIFO, a device) and never raises: the cache is optional."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a device or a FIFO at all
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError):
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the stat
            return None
        raw = os.read(fd, MAX_RECORD_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    if len(raw) > MAX_RECORD_BYTES:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError):  # garbage, truncated, or nested too deep
        return None


# -- writing ----------------------------------------------------------------------------

def cacheable(result: EntryResult) -> bool:
    """Only a complete result that the catalogue agrees with is worth keeping.

    An *undecided* verdict may be a wall-clock guard that a quieter machine
    would not hit, so it is never frozen into the cache; a surprise would be
    recomputed on load anyway."""
    return bool(result.claims) and result.matches and all(c.verdict != "undecided" for c in result.claims)


def store(entry, budget: float, result: EntryResult) -> None:
    if not cacheable(result):
        return
    record = dict(_header(entry, budget), result=result.to_json())
    write_record(directory(), f"{key(entry, budget)}.json", record)


def write_record(folder: Path, name: str, record: dict) -> None:
    """Write a JSON record atomically; a cache that cannot be written is only a slower run."""
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # a private temporary name, then an atomic rename: a reader sees the old
        # record or the whole new one, and two writers never share a file
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".record-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, default=str)
        os.replace(tmp, folder / name)
        tmp = None
    except (OSError, ValueError, TypeError):
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
