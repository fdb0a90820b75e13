"""The probe machinery: the truth of a corpus item, decided by NumPy alone.

Nothing here imports symcheck.  Each topic module declares, per catalogue entry
it covers, a ``Spec``: ``sample(rng)`` draws one random point (a dict of NumPy
arrays, with random sizes where the entry has sizes) and ``truth(**point)``
computes the true quantity there (a forward model differentiated by central
finite differences, a closed form for sizes and counts, an exact sum).  Each
item names a claimed function ``claimed(**point)``, the NumPy reading of what
the item's text says.  The item is true when claimed and true values have the
same shape and agree to ~1e-6 relative at every one of ``POINTS`` random points.

Shapes are part of the truth: a column vector is an (n, 1) array and a row
vector a (1, n) array wherever the entry's question is about layout; a claim of
the wrong shape (or one whose NumPy evaluation is ill-typed) is false.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

RTOL = 1e-6
POINTS = 6
STEP = 1e-5


@dataclass(frozen=True)
class Spec:
    """One catalogue entry as a probe sees it."""

    sample: Callable[[np.random.Generator], dict]
    truth: Callable[..., object]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def col(v):
    return np.asarray(v, dtype=float).reshape(-1, 1)


def row(v):
    return np.asarray(v, dtype=float).reshape(1, -1)


def num_grad(f, x, h=STEP):
    """Central finite differences of the scalar f at the array x (same shape as x)."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[idx] += h
        xm[idx] -= h
        g[idx] = (f(xp) - f(xm)) / (2 * h)
    return g


def num_jacobian(f, x, h=STEP):
    """J[a, b] = ∂f_a/∂x_b for vector f and vector x, by central differences."""
    x = np.array(x, dtype=float).ravel()
    cols = []
    for b in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp[b] += h
        xm[b] -= h
        cols.append((np.ravel(f(xp)) - np.ravel(f(xm))) / (2 * h))
    return np.stack(cols, axis=1)


@dataclass(frozen=True)
class Approx:
    """A value the claim states to a number of significant figures ("≈ 1.39" is Approx(1.39, 3))."""

    value: float
    figures: int

    def matches(self, true) -> bool:
        true = float(true)
        if true == 0:
            return self.value == 0
        return abs(self.value - true) <= 0.5 * 10 ** (np.floor(np.log10(abs(true))) - self.figures + 1)


def agree(claimed, true) -> bool:
    """Same shape, finite, and equal to ~RTOL relative to the larger array's largest entry (no absolute slack: 2^-50 is not 2^-49)."""
    try:
        a = np.asarray(claimed, dtype=float)
        b = np.asarray(true, dtype=float)
    except (TypeError, ValueError):
        return False
    if a.shape != b.shape or not np.all(np.isfinite(a)):
        return False
    if not b.size:
        return True
    scale = max(float(np.max(np.abs(b))), float(np.max(np.abs(a))))
    return bool(np.all(np.abs(a - b) <= RTOL * scale))


def judge(spec: Spec, claimed: Callable[..., object], points: int = POINTS, seed: int = 12345) -> bool:
    """True iff the claimed function equals the entry's true quantity at every random point."""
    rng = np.random.default_rng(seed)
    for _ in range(points):
        point = spec.sample(rng)
        try:
            with np.errstate(all="ignore"):
                value = claimed(**point)
        except (ValueError, IndexError, ZeroDivisionError, np.linalg.LinAlgError):
            return False  # ill-typed (mismatched shapes, an index out of range): not the quantity asked
        true = spec.truth(**point)
        if not (value.matches(true) if isinstance(value, Approx) else agree(value, true)):
            return False
    return True


def planted(spec: Spec) -> Callable[..., object]:
    """A wrong claim for any entry: the truth scaled and shifted (used by the tests as an oracle check)."""
    def wrong(**point):
        return np.asarray(spec.truth(**point), dtype=float) * 1.5 + 1.0
    return wrong


def item(entry: str, claim: str, probe: str, source: str, latex: bool = True) -> dict:
    return {"entry": entry, "claim": claim, "latex": latex, "source": source, "probe": probe}
