"""Reading what a user hands in (a claim, a chain, a class's answers) from a
file or standard input: bounded in size before it is read, one line on failure."""
from __future__ import annotations

import sys

from symcheck.errors import UsageError


def read_input(path: str, where: str, limit: int, what: str = "") -> bytes:
    """The bytes of ``path`` ('-' is standard input), at most ``limit`` of them:
    reading one byte more tells a file that is too large from one that fits."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
    except OSError as error:
        raise UsageError(f"cannot read {where}: {error.strerror}") from None
    if len(data) > limit:
        size = f"{limit >> 20} MiB" if limit >= 1 << 20 else f"{limit >> 10} KiB"
        raise UsageError(f"{where} is larger than {size}{'; ' + what if what else ''}")
    return data
