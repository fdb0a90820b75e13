"""Finite differences, vectorised: the numeric oracle for gradients.

Users can check their own backward passes with it, as with autograd's
``check_grads``::

    from symcheck import check_grads
    result = check_grads(loss, my_gradient, x)
    assert result.ok, result

**The batch contract.**  ``f`` receives its input with extra leading axes and
must return one value per leading index: for ``x`` of shape ``s``, ``f`` is
called with an array of shape ``(B, *s)`` and returns shape ``(B,)``.  Code
written with ``...``, negative axes and ``@`` satisfies it.  All perturbed
copies of ``x`` then go through ``f`` in one call (chunked to bound memory), so
there is no Python loop over coordinates.

**Step and tolerance policy.**  The stencil is the fourth-order central
difference ``(-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h``.  Its truncation
error is O(h⁴ f⁽⁵⁾) and its rounding error about ``eps·|f|/h``; both balance
at ``h ≈ eps^(1/5) ≈ 7e-4`` (times ``max(1, |x_k|)``), leaving an error near
``eps^(4/5) ≈ 3e-13`` relative to the size of ``f``.  Comparisons therefore use
``|a - b| <= atol + rtol·max(|a|, |b|)`` with ``rtol = 1e-6`` and an ``atol``
scaled by the largest entry of the quantity: six orders of magnitude above the
stencil's error, and far below any mistake a derivation makes.  Samplers keep
points at least ``domains.KINK_MARGIN = 0.05`` away from kinks, about 30 steps,
so a stencil never straddles one.

**Directional mode.**  For large inputs (``check_grads`` with ``d`` above
``FULL_LIMIT``), the gradient is checked along a few random Rademacher
directions u: ``<g, u>`` against the difference quotient along u, which costs
O(1) evaluations of ``f`` instead of O(d).  A wrong entry j changes ``<g, u>`` by
``δ·u_j`` with ``|u_j| = 1/√d``, so any error above about
``rtol·‖g‖·√d`` is caught in every direction.  A failing direction is then
localised (O(log d) more evaluations) to one coordinate, which is
re-checked with the per-coordinate stencil and reported.  Each round measures
all parts but one (the last is the whole minus the others, by linearity).  Halving is the
fastest split measured: wider splits save calls but evaluate more rows, and on
inputs large enough to matter a row costs more than a call.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

EPS = np.finfo(float).eps
STEP = EPS ** (1 / 5)
RTOL = 1e-6
ATOL = 1e-9
FULL_LIMIT = 512
SPLIT_WAYS = 2
_MAX_BATCH_FLOATS = 1 << 22
_STENCIL = np.array([-2.0, -1.0, 1.0, 2.0])
_WEIGHTS = np.array([1.0, -8.0, 8.0, -1.0]) / 12.0


def _steps(x: np.ndarray) -> np.ndarray:
    return STEP * np.maximum(1.0, np.abs(x))


def _call(f: Callable, batch: np.ndarray) -> np.ndarray:
    out = np.asarray(f(batch), dtype=float)
    if out.shape[:1] != batch.shape[:1]:
        raise ValueError(f"the function must return one value per batch row: called with batch shape "
                         f"{batch.shape}, it returned shape {out.shape} (see the batch contract in gradcheck.py)")
    return out


def numeric_jacobian(f: Callable, x: np.ndarray) -> np.ndarray:
    """∂f/∂x by the fourth-order stencil; shape ``f(x).shape + x.shape``.

    ``f`` follows the batch contract but may return any shape per row.
    """
    x = np.asarray(x, dtype=float)
    d = x.size
    flat = x.reshape(-1)
    h = _steps(flat)
    out_shape = None
    columns = []
    per_coordinate = 4 * d
    chunk = max(1, _MAX_BATCH_FLOATS // max(per_coordinate, 1))
    for start in range(0, d, chunk):
        idx = np.arange(start, min(d, start + chunk))
        batch = np.repeat(flat[None, :], 4 * idx.size, axis=0).reshape(idx.size, 4, d)
        offsets = _STENCIL[None, :] * h[idx][:, None]
        batch[np.arange(idx.size)[:, None], np.arange(4)[None, :], idx[:, None]] += offsets
        values = _call(f, batch.reshape(idx.size * 4, *x.shape))
        out_shape = values.shape[1:]
        values = values.reshape(idx.size, 4, -1)
        columns.append(np.einsum("k,ckm->cm", _WEIGHTS, values) / h[idx][:, None])
    jac = np.concatenate(columns, axis=0)  # (d, out)
    return np.moveaxis(jac, 0, -1).reshape(tuple(out_shape) + x.shape)


def numeric_gradient(f: Callable, x: np.ndarray) -> np.ndarray:
    """∇f at x for a scalar-valued f (one value per batch row); shape of x."""
    return numeric_jacobian(f, x).reshape(np.shape(x))


def directional_derivatives(f: Callable, x: np.ndarray, directions: np.ndarray) -> np.ndarray:
    """f'(x; u) for each row u of ``directions`` (shape (K, *x.shape)), in one call."""
    x = np.asarray(x, dtype=float)
    h = STEP * max(1.0, float(np.abs(x).max()))
    k = directions.shape[0]
    batch = x[None, None] + _STENCIL[None, :, *([None] * x.ndim)] * h * directions[:, None]
    values = _call(f, batch.reshape(k * 4, *x.shape)).reshape(k, 4)
    return values @ _WEIGHTS / h


@dataclass
class GradCheck:
    """The outcome of :func:`check_grads`."""

    ok: bool
    mode: str
    evaluations: int
    worst: float = 0.0
    index: tuple | None = None
    analytic: float | None = None
    numeric: float | None = None
    details: list = field(default_factory=list)

    def __str__(self) -> str:
        if self.ok:
            return f"gradient agrees ({self.mode}, {self.evaluations} evaluations, worst error {self.worst:.2e})"
        return (f"gradient disagrees at index {self.index}: analytic {self.analytic!r}, "
                f"finite differences {self.numeric!r} ({self.mode}, {self.evaluations} evaluations)")


def close(a, b, scale, rtol: float = RTOL, atol: float = ATOL) -> np.ndarray:
    """The engine's one comparison: |a - b| <= atol·scale + rtol·max(|a|, |b|).
    A non-finite value is close only to the same non-finite value (a relative
    tolerance would let an infinity pass)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(invalid="ignore"):
        within = np.abs(a - b) <= atol * scale + rtol * np.maximum(np.abs(a), np.abs(b))
        finite = np.isfinite(a) & np.isfinite(b)
        return np.where(finite, within, a == b)


def check_grads(f: Callable, grad, x, *, mode: str = "auto", directions: int = 4, seed: int = 0,
                rtol: float = RTOL, atol: float = ATOL) -> GradCheck:
    """Check an analytic gradient ``grad`` (array, or function of x) of scalar ``f`` at ``x``.

    ``mode`` is "full" (every coordinate), "directional" (random directions and
    bisection, see the module notes) or "auto" (full up to ``FULL_LIMIT``
    coordinates).
    """
    x = np.asarray(x, dtype=float)
    g = np.asarray(grad(x) if callable(grad) else grad, dtype=float)
    if g.shape != x.shape:
        return GradCheck(False, "shape", 0, index=(), analytic=float("nan"), numeric=float("nan"),
                         details=[f"gradient shape {g.shape} differs from input shape {x.shape}"])
    if mode == "auto":
        mode = "full" if x.size <= FULL_LIMIT else "directional"
    if mode == "full":
        return _check_full(f, g, x, rtol, atol)
    return _check_directional(f, g, x, directions, seed, rtol, atol)


def _check_full(f, g, x, rtol, atol) -> GradCheck:
    num = numeric_gradient(f, x)
    scale = max(float(np.abs(num).max()), float(np.abs(g).max()), 1e-300)
    ok = close(g, num, scale, rtol, atol)
    err = np.abs(g - num) / np.maximum(scale, 1e-300)
    if ok.all():
        return GradCheck(True, "full", 4 * x.size, float(err.max()))
    bad = np.unravel_index(int(np.argmax(np.where(ok, -1.0, err))), x.shape)
    return GradCheck(False, "full", 4 * x.size, float(err.max()), tuple(int(i) for i in bad), float(g[bad]),
                     float(num[bad]))


def _check_directional(f, g, x, k, seed, rtol, atol) -> GradCheck:
    rng = np.random.default_rng(seed)
    d = x.size
    u = rng.choice([-1.0, 1.0], size=(k, *x.shape)) / np.sqrt(d)
    fd = directional_derivatives(f, x, u)
    an = np.tensordot(u, g, axes=x.ndim)
    norm = float(np.sqrt((g**2).sum()))
    ok = np.abs(an - fd) <= rtol * norm + atol * max(norm, 1e-300)
    evaluations = 4 * k
    worst = float(np.max(np.abs(an - fd)) / max(norm, 1e-300))
    if ok.all():
        return GradCheck(True, "directional", evaluations, worst)
    direction = u[int(np.argmin(ok))]
    index, used = _bisect(f, g, x, direction, norm, rtol, atol, known=float(fd[int(np.argmin(ok))]))
    evaluations += used
    coordinate = np.zeros((1, *x.shape))
    coordinate[(0, *index)] = 1.0
    single = float(directional_derivatives(f, x, coordinate)[0])
    return GradCheck(False, "directional", evaluations + 4, worst, tuple(int(i) for i in index), float(g[index]),
                     single)


def _bisect(f, g, x, direction, norm, rtol, atol, ways: int | None = None, known: float | None = None):
    """Split the support of a failing direction ``ways`` ways per round until
    one coordinate is left.  A directional derivative is linear in the
    direction, so the last part's is the whole's minus the others': each round
    evaluates ``ways - 1`` parts in one batched call.  ``known`` is the
    whole direction's difference quotient, when the caller has it."""
    ways = ways or SPLIT_WAYS
    flat = direction.reshape(-1)
    support = np.flatnonzero(flat)
    whole = known if known is not None else float(directional_derivatives(f, x, direction[None])[0])
    used = 0 if known is not None else 4
    tolerance = rtol * norm + atol * max(norm, 1e-300)
    gflat = g.reshape(-1)
    while support.size > 1:
        parts = [p for p in np.array_split(support, min(ways, support.size)) if p.size]
        dirs = np.zeros((len(parts) - 1, x.size))
        for row, part in enumerate(parts[:-1]):
            dirs[row, part] = flat[part]
        measured = directional_derivatives(f, x, dirs.reshape(len(parts) - 1, *x.shape))
        fd = np.append(measured, whole - measured.sum())
        an = np.array([flat[part] @ gflat[part] for part in parts])
        used += 4 * (len(parts) - 1)
        worst = int(np.argmax(np.abs(an - fd) - tolerance))
        support, whole = parts[worst], float(fd[worst])
    return np.unravel_index(int(support[0]), x.shape), used
