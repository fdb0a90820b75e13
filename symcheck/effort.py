"""Symbolic work measured in deterministic units.

A proof must succeed or give up at the same point on every machine, idle or
busy, so the cascade's limits are sizes, never seconds: the nodes of the
expression trees it works on, counted before a stage starts.  A stage whose input is
over a limit is skipped with a reason that names the measure and the limit.
Wall-clock time stays only as an outer guard (budget.py) that a proof of the
catalogue never comes near; hitting it makes a verdict *undecided*, and such a
verdict is never cached.

The limits were set from the catalogue: its largest proved difference
(rnn-dj-du, the BPTT gradient) has 7,200 nodes and the largest one that
reaches ``simplify`` about 1,000; the limits leave a wide margin above that.
(An a-priori bound on the terms of an expansion was tried and rejected: on
the catalogue's own sums of fractions it saturates, since it cannot see
denominators that coincide.)
"""
from __future__ import annotations

import sympy

NODE_LIMIT = 60_000          # nodes of one claim - reference entering the cascade
SIMPLIFY_NODE_LIMIT = 2_000  # simplify only on residuals this small


class TooMuchWork(Exception):
    """A stage's input exceeds a deterministic limit; the message says which."""


def nodes(expr, limit: int = NODE_LIMIT) -> int:
    """The nodes of the tree, counted up to ``limit + 1``."""
    count = 0
    for _ in sympy.preorder_traversal(expr):
        count += 1
        if count > limit:
            break
    return count


def require_nodes(expr, limit: int, what: str) -> None:
    n = nodes(expr, limit)
    if n > limit:
        raise TooMuchWork(f"{what}: the expression has more than {limit} nodes")
