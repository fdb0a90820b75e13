"""Private helpers for the entries of sheets 000 and 001: plain NumPy layers used
by the oracles (independent of the SymPy side), and a constant domain.

The layers are written for the oracles only: a convolution and a pooling that
really run on arrays, so that an output size is read off an actual output.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy
from numpy.lib.stride_tricks import sliding_window_view

from symcheck import domains


@dataclass(frozen=True)
class Constant(domains.Domain):
    """A fixed array (or number): sampled as itself, explicit as exact rationals,
    no parameters.  For weights a question fixes (a shift matrix, the sheet's
    parameter values)."""

    values: tuple = ()
    description = "constant"

    @property
    def assumptions(self) -> dict:
        return {"real": True}

    def _floats(self) -> np.ndarray:
        return np.vectorize(lambda v: float(sympy.Rational(str(v))), otypes=[float])(np.array(self.values, dtype=object))

    def sample(self, rng, shape, count):
        value = self._floats().reshape(shape)
        return np.broadcast_to(value, (count, *shape)).copy()

    def explicit(self, name, shape, origin=1):
        flat = [sympy.Rational(str(v)) for v in np.ravel(np.array(self.values, dtype=object))]
        return np.array(flat, dtype=object).reshape(shape), [], []

    def parameters(self, value, exact):
        return []

    def contains(self, value):
        return bool(np.allclose(np.asarray(value, dtype=float).ravel(), self._floats().ravel()))


def constant(values) -> Constant:
    """A Constant domain from a nested list (or a number)."""
    def freeze(v):
        return tuple(freeze(x) for x in v) if isinstance(v, (list, tuple)) else v

    return Constant(freeze(values))


def conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None = None, stride: int = 1,
           pad: tuple = (0, 0)) -> np.ndarray:
    """Cross-correlation of x (C, H, W) with filters w (F, C, kh, kw), zero padding
    pad = (rows, cols) on each side, the same stride on both axes; output (F, Ho, Wo)."""
    x = np.pad(np.asarray(x, dtype=float), ((0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    f, c, kh, kw = w.shape
    if x.shape[0] != c:
        raise ValueError(f"input has {x.shape[0]} channels, the filters expect {c}")
    windows = sliding_window_view(x, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]  # (C, Ho, Wo, kh, kw)
    out = np.tensordot(w, windows, axes=([1, 2, 3], [0, 3, 4]))  # (F, Ho, Wo)
    if b is not None:
        out = out + np.asarray(b, dtype=float)[:, None, None]
    return out


def pool2d(x: np.ndarray, size: tuple, stride: tuple, mode: str = "max") -> np.ndarray:
    """Max (or average) pooling of x (C, H, W) with a size = (kh, kw) window moved
    by stride = (sh, sw); no padding."""
    windows = sliding_window_view(np.asarray(x, dtype=float), size, axis=(1, 2))[:, ::stride[0], ::stride[1]]
    return windows.max(axis=(-2, -1)) if mode == "max" else windows.mean(axis=(-2, -1))


def shape_of(array) -> np.ndarray:
    return np.array(np.shape(array), dtype=float)


@dataclass(frozen=True)
class Signed(domains.Domain):
    """Reals with |x| in [low, high] and either sign: inputs that keep a ReLU's
    pre-activation away from its kink by a margin (not merely KINK_MARGIN)."""

    low: float = 1.0
    high: float = 3.0

    @property
    def description(self):  # type: ignore[override]
        return f"real with {self.low:g} ≤ |x| ≤ {self.high:g}"

    def sample(self, rng, shape, count):
        size = rng.uniform(self.low, self.high, size=(count, *shape))
        return np.where(rng.random(size=(count, *shape)) < 0.5, -size, size)

    def perturb(self, rng, values, step):
        moved = values * np.exp(step * rng.normal(size=values.shape))
        return np.sign(values) * np.clip(np.abs(moved), self.low, self.high)

    def contains(self, value):
        value = np.abs(np.asarray(value, dtype=float))
        return bool(np.all(value >= self.low) and np.all(value <= self.high))
