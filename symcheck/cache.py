"""The verification cache: an unchanged catalogue re-verifies in no time.

A result is stored under a key that hashes everything its verdict depends on:

* the engine: the bytes of every module of the ``symcheck`` package and the
  versions of SymPy, NumPy, SciPy and mpmath;
* the entry: its id and the bytes of the module that defines it, plus the
  catalogue's shared helper modules (``derivations/_*.py``);
* the symbolic budget.

So any edit to the engine or to an entry's file misses the cache, and a hit
returns exactly what a fresh run computed.  ``--no-cache`` bypasses it; the
directory is ``$SYMCHECK_CACHE_DIR``, else ``$XDG_CACHE_HOME/symcheck``, else
``~/.cache/symcheck``.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from symcheck.verdicts import EntryResult, from_json


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


def _shared_helpers() -> bytes:
    import derivations

    root = Path(derivations.__file__).parent
    return b"".join(_file_bytes(str(p)) for p in sorted(root.glob("_*.py")))


def key(entry, budget: float) -> str:
    source = getattr(sys.modules.get(entry.module), "__file__", None)
    digest = hashlib.sha256()
    digest.update(engine_fingerprint().encode())
    digest.update(entry.id.encode())
    digest.update(_file_bytes(source) if source else repr(entry).encode())
    digest.update(_shared_helpers())
    digest.update(repr(float(budget)).encode())
    return digest.hexdigest()


def lookup(entry, budget: float) -> EntryResult | None:
    path = directory() / f"{key(entry, budget)}.json"
    try:
        with open(path, encoding="utf-8") as handle:
            return from_json(json.load(handle))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(entry, budget: float, result: EntryResult) -> None:
    folder = directory()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{key(entry, budget)}.json"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(result.to_json(), handle, default=str)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only a slower run
