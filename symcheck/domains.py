"""Where a symbol's values live, and how to draw points from there.

Every domain answers four questions:

* ``sample(rng, shape, count)``: ``count`` float points of the given shape, as one
  array of shape ``(count, *shape)``, drawn only from the domain (never on a kink,
  never on a tie, always on the simplex...).
* ``explicit(...)`` and ``parameters(...)``: an exact rational parametrisation
  of the domain and its inverse.  ``exact(value)`` is the parametrisation at
  exact parameters: it satisfies the constraint *exactly*, so a float that is
  orthogonal only to 1e-16 can never fake a refutation, and the proof cascade
  sees the constraint through the same parametrisation.
* ``contains(value)``: membership, used by the property tests of the samplers.
* ``assumptions``: the SymPy assumptions an explicit symbol of this domain carries.

Sampling ranges are deliberately moderate ([-3, 3], [0.2, 5]): the claims are
identities, so any open set of points is as good as any other, and moderate
values keep float64 evaluation of exp/log far from overflow.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import sympy

# A sample closer than this to a kink (ReLU at 0, a max tie) is moved away.  It is
# far larger than the finite-difference stencil (see gradcheck.py), so a
# difference quotient never straddles a kink.
KINK_MARGIN = 0.05


def _rational(x) -> sympy.Rational:
    """The exact rational value of a float (every float is a dyadic rational)."""
    f = Fraction(float(x))
    return sympy.Rational(f.numerator, f.denominator)


@dataclass(frozen=True)
class Domain:
    """Base class: the real line is the default domain.

    ``explicit(name, shape, origin)`` gives the domain's exact parametrisation:
    an object array of the given shape whose entries are expressions in
    parameter symbols, the parameters, and polynomial relations the parameters
    satisfy (a sign s with s² = 1).  ``parameters(value, exact)`` inverts it at a
    sampled value.  The exact point is the parametrisation at exact parameters,
    so it satisfies the domain's constraint exactly, and the proof cascade sees
    the same constraint through the same parametrisation.
    """

    description = "real number"

    @property
    def assumptions(self) -> dict:
        return {"real": True}

    def sample(self, rng: np.random.Generator, shape: tuple, count: int) -> np.ndarray:
        raise NotImplementedError

    def contains(self, value: np.ndarray) -> bool:
        return bool(np.all(np.isfinite(value)))

    def describe(self) -> str:
        return self.description

    # -- parametrisation: by default, one free parameter per entry ------------
    def explicit(self, name: str, shape: tuple, origin: int = 1):
        out = np.empty(shape, dtype=object)
        for idx in np.ndindex(shape):
            out[idx] = sympy.Symbol(_entry_name(name, idx, origin), **self.assumptions)
        return out, list(out.ravel()), []

    def parameters(self, value: np.ndarray, exact: bool) -> list:
        flat = np.asarray(value, dtype=float).ravel()
        return [_rational(x) for x in flat] if exact else list(flat)

    def perturb(self, rng: np.random.Generator, values: np.ndarray, step: float) -> np.ndarray:
        """Points near ``values`` (shape (count, *shape)), still in the domain:
        the moves of the adversarial search for violated bounds.  The default
        draws fresh points."""
        return self.sample(rng, values.shape[1:], values.shape[0])

    def exact(self, value: np.ndarray) -> np.ndarray:
        """The exact point for a sampled value: the parametrisation at exact parameters."""
        value = np.asarray(value, dtype=float)
        structure, params, _ = explicit_form(self, "_", value.shape)
        subs = dict(zip(params, self.parameters(value, exact=True)))
        out = np.empty(value.shape, dtype=object)
        for idx in np.ndindex(value.shape):
            out[idx] = sympy.sympify(structure[idx]).xreplace(subs)
        return out


def explicit_form(domain: "Domain", name: str, shape: tuple, origin: int = 1):
    """``domain.explicit(...)``, computed once per (domain, name, shape, origin)."""
    key = (domain, name, tuple(shape), origin)
    if key not in _EXPLICIT:
        _EXPLICIT[key] = domain.explicit(name, tuple(shape), origin)
    return _EXPLICIT[key]


_EXPLICIT: dict = {}


def _entry_name(name: str, idx: tuple, origin: int) -> str:
    if not idx:
        return name
    return f"{name}[{','.join(str(i + origin) for i in idx)}]"


@dataclass(frozen=True)
class Real(Domain):
    """Reals in [low, high], kept ``KINK_MARGIN`` away from every listed kink."""

    low: float = -3.0
    high: float = 3.0
    kinks: tuple = ()

    @property
    def description(self):  # type: ignore[override]
        text = "real number"
        if self.kinks:
            text += " (never at " + ", ".join(f"{k:g}" for k in self.kinks) + ")"
        return text

    def sample(self, rng, shape, count):
        x = rng.uniform(self.low, self.high, size=(count, *shape))
        for k in self.kinks:
            near = np.abs(x - k) < KINK_MARGIN
            # Push the point out of the forbidden band, keeping its side.
            x = np.where(near, k + np.where(x >= k, 1, -1) * (KINK_MARGIN + rng.uniform(0, 0.5, size=x.shape)), x)
        return x

    def perturb(self, rng, values, step):
        moved = values + step * (self.high - self.low) / 2 * rng.normal(size=values.shape)
        moved = np.clip(moved, self.low, self.high)
        for k in self.kinks:
            near = np.abs(moved - k) < KINK_MARGIN
            moved = np.where(near, k + np.where(moved >= k, 1, -1) * KINK_MARGIN * 1.01, moved)
        return moved

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        ok = np.all(np.isfinite(value))
        for k in self.kinks:
            ok = ok and bool(np.all(np.abs(value - k) >= KINK_MARGIN))
        return bool(ok)


@dataclass(frozen=True)
class Positive(Domain):
    """Positive reals, log-uniform in [low, high]."""

    low: float = 0.2
    high: float = 5.0
    description = "positive real"

    @property
    def assumptions(self):
        return {"positive": True}

    def sample(self, rng, shape, count):
        return np.exp(rng.uniform(math.log(self.low), math.log(self.high), size=(count, *shape)))

    def perturb(self, rng, values, step):
        moved = values * np.exp(step * rng.normal(size=values.shape))
        return np.clip(moved, self.low, self.high)

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all(np.isfinite(value)) and np.all(value > 0))


@dataclass(frozen=True)
class Interval(Domain):
    """An open interval (low, high), sampled strictly inside."""

    low: float = 0.0
    high: float = 1.0

    @property
    def description(self):  # type: ignore[override]
        return f"real in ({self.low:g}, {self.high:g})"

    @property
    def assumptions(self):
        return {"positive": True} if self.low >= 0 else {"real": True}

    def sample(self, rng, shape, count):
        pad = 0.05 * (self.high - self.low)
        return rng.uniform(self.low + pad, self.high - pad, size=(count, *shape))

    def perturb(self, rng, values, step):
        pad = 0.01 * (self.high - self.low)
        moved = values + step * (self.high - self.low) * rng.normal(size=values.shape)
        return np.clip(moved, self.low + pad, self.high - pad)

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all(value > self.low) and np.all(value < self.high))


@dataclass(frozen=True)
class Integer(Domain):
    """Integers in [low, high]; for questions about sizes and counts."""

    low: int = 1
    high: int = 64

    @property
    def description(self):  # type: ignore[override]
        return f"integer in [{self.low}, {self.high}]"

    @property
    def assumptions(self):
        if self.low >= 1:
            return {"integer": True, "positive": True}
        if self.low >= 0:
            return {"integer": True, "nonnegative": True}
        return {"integer": True}

    def sample(self, rng, shape, count):
        return rng.integers(self.low, self.high + 1, size=(count, *shape)).astype(float)

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all(value == np.round(value)) and np.all(value >= self.low) and np.all(value <= self.high))


@dataclass(frozen=True)
class Binary(Domain):
    """Values in {0, 1}: dropout masks, threshold units."""

    description = "0 or 1"

    @property
    def assumptions(self):
        return {"integer": True, "nonnegative": True}

    def sample(self, rng, shape, count):
        return rng.integers(0, 2, size=(count, *shape)).astype(float)

    def explicit(self, name, shape, origin=1):
        out, params, _ = super().explicit(name, shape, origin)
        return out, params, [(p**2 - p, p) for p in params]

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all((value == 0) | (value == 1)))


@dataclass(frozen=True)
class Distinct(Domain):
    """Reals whose entries are pairwise at least ``gap`` apart (no max ties)."""

    low: float = -3.0
    high: float = 3.0
    gap: float = 0.1
    description = "real numbers with no ties"

    def sample(self, rng, shape, count):
        size = int(np.prod(shape)) if shape else 1
        span = self.high - self.low - self.gap * (size - 1)
        base = np.sort(rng.uniform(0, span, size=(count, size)), axis=1)
        values = self.low + base + self.gap * np.arange(size)
        for row in values:
            rng.shuffle(row)
        return values.reshape((count, *shape))

    def contains(self, value):
        flat = np.sort(np.asarray(value, dtype=float).ravel())
        return bool(np.all(np.diff(flat) >= self.gap * (1 - 1e-9)))


@dataclass(frozen=True)
class ProbabilityVector(Domain):
    """A point of the open simplex: positive entries summing to 1."""

    floor: float = 0.02
    description = "probability vector"

    @property
    def assumptions(self):
        return {"positive": True}

    def sample(self, rng, shape, count):
        size = int(np.prod(shape))
        p = rng.dirichlet(np.full(size, 2.0), size=count)
        p = (p + self.floor) / (1 + self.floor * size)
        return p.reshape((count, *shape))

    def explicit(self, name, shape, origin=1):
        # K positive symbols and the relation sum = 1.  Keeping every entry a
        # positive symbol (rather than eliminating the last) lets the proof
        # cascade split log(p_K) soundly; the relation reduces polynomials.
        out, params, _ = super().explicit(name, shape, origin)
        return out, params, [(sum(params) - 1, params[-1])]

    def perturb(self, rng, values, step):
        moved = values * np.exp(step * rng.normal(size=values.shape))
        moved = np.maximum(moved, self.floor / 2)
        axes = tuple(range(1, values.ndim))
        return moved / moved.sum(axis=axes, keepdims=True)

    def parameters(self, value, exact):
        flat = np.asarray(value, dtype=float).ravel()
        if not exact:
            return list(flat)
        exact_values = [_rational(x) for x in flat]
        total = sum(exact_values)
        return [v / total for v in exact_values]

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all(value > 0) and abs(value.sum() - 1) < 1e-9)


@dataclass(frozen=True)
class UnitVector(Domain):
    """A vector of Euclidean norm 1."""

    description = "unit vector"

    def sample(self, rng, shape, count):
        v = rng.normal(size=(count, *shape))
        axes = tuple(range(1, v.ndim))
        return v / np.sqrt((v**2).sum(axis=axes, keepdims=True))

    def perturb(self, rng, values, step):
        moved = values + step * rng.normal(size=values.shape)
        axes = tuple(range(1, values.ndim))
        return moved / np.sqrt((moved**2).sum(axis=axes, keepdims=True))

    def explicit(self, name, shape, origin=1):
        # Inverse stereographic projection: a rational point of the sphere for
        # every rational t, so |v| = 1 holds identically.
        size = int(np.prod(shape))
        if size == 1:  # the unit "sphere" of the line is {-1, 1}: a sign
            sign = sympy.Symbol(f"{name}~s", real=True)
            return np.array([sign], dtype=object).reshape(shape), [sign], [(sign**2 - 1, sign)]
        t = [sympy.Symbol(f"{name}~t{k + 1}", real=True) for k in range(size - 1)]
        norm2 = sum(ti**2 for ti in t)
        flat = [2 * ti / (norm2 + 1) for ti in t] + [(norm2 - 1) / (norm2 + 1)]
        return np.array(flat, dtype=object).reshape(shape), t, []

    def parameters(self, value, exact):
        flat = np.asarray(value, dtype=float).ravel()
        if flat.size == 1:
            sign = 1 if flat[0] >= 0 else -1
            return [sympy.Integer(sign)] if exact else [float(sign)]
        t = flat[:-1] / (1 - flat[-1])
        return [_rational(x) for x in t] if exact else list(t)

    def contains(self, value):
        return bool(abs(np.sqrt((np.asarray(value, dtype=float) ** 2).sum()) - 1) < 1e-9)


def _cayley_distance(q: np.ndarray) -> float:
    rotation = q.copy()
    if np.linalg.det(q) < 0:
        rotation[:, -1] *= -1
    return float(np.min(np.abs(np.linalg.eigvals(rotation) + 1)))


def _square(shape) -> int:
    if len(shape) != 2 or shape[0] != shape[1]:
        raise ValueError(f"this domain needs a square matrix, not shape {shape}")
    return shape[0]


@dataclass(frozen=True)
class Orthogonal(Domain):
    """Orthogonal matrices (QᵀQ = I), Haar-distributed."""

    description = "orthogonal matrix"

    def sample(self, rng, shape, count):
        n = _square(shape)
        a = rng.normal(size=(count, n, n))
        q, r = np.linalg.qr(a)
        d = np.sign(np.diagonal(r, axis1=1, axis2=2))
        q = q * d[:, None, :]
        # Cayley's map needs no eigenvalue near -1 (after the sign is taken
        # out): redraw the few samples that come close.
        for k in range(count):
            while _cayley_distance(q[k]) < 0.05:
                z, r = np.linalg.qr(rng.normal(size=(n, n)))
                q[k] = z * np.sign(np.diagonal(r))[None, :]
        return q

    def perturb(self, rng, values, step):
        n = values.shape[-1]
        skew = step * rng.normal(size=values.shape)
        skew = (skew - np.swapaxes(skew, -1, -2)) / 2
        rotation = np.linalg.solve(np.eye(n) + skew, np.eye(n) - skew)  # Cayley: exactly orthogonal
        moved = values @ rotation
        for k in range(moved.shape[0]):
            if _cayley_distance(moved[k]) < 0.05:
                moved[k] = values[k]
        return moved

    def explicit(self, name, shape, origin=1):
        # Q = (I - A)(I + A)^-1 · diag(1, ..., 1, s): A skew, s = ±1.  Every
        # orthogonal matrix without eigenvalue -1 (after the sign) is of this
        # form, and the entries are rational in A: QᵀQ = I holds identically.
        n = _square(shape)
        a = sympy.zeros(n, n)
        params = []
        for i in range(n):
            for j in range(i + 1, n):
                p = sympy.Symbol(f"{name}~a{i + 1}{j + 1}", real=True)
                a[i, j], a[j, i] = p, -p
                params.append(p)
        sign = sympy.Symbol(f"{name}~s", real=True)
        reflect = sympy.diag(*([1] * (n - 1) + [sign]))
        plus = sympy.eye(n) + a
        # (I + A)^-1 = adj(I + A) / det(I + A): polynomial entries over one
        # common denominator, far cheaper than a general symbolic inverse.
        q = (sympy.eye(n) - a) * plus.adjugate() * reflect / plus.det()
        return np.array(q.tolist(), dtype=object), params + [sign], [(sign**2 - 1, sign)]

    def parameters(self, value, exact):
        q = np.asarray(value, dtype=float)
        n = q.shape[0]
        sign = 1.0 if np.linalg.det(q) > 0 else -1.0
        rotation = q.copy()
        rotation[:, -1] *= sign
        a = (np.eye(n) - rotation) @ np.linalg.inv(np.eye(n) + rotation)
        upper = [(a[i, j] - a[j, i]) / 2 for i in range(n) for j in range(i + 1, n)]
        if exact:
            return [_rational(round(x, 12)) for x in upper] + [sympy.Integer(int(sign))]
        return upper + [sign]

    def contains(self, value):
        q = np.asarray(value, dtype=float)
        return bool(np.allclose(q.T @ q, np.eye(q.shape[0]), atol=1e-9))


@dataclass(frozen=True)
class SymmetricPositiveDefinite(Domain):
    """Symmetric positive-definite matrices, eigenvalues bounded away from 0."""

    ridge: float = 0.5
    description = "symmetric positive-definite matrix"

    def sample(self, rng, shape, count):
        n = _square(shape)
        a = rng.normal(size=(count, n, n))
        return a @ np.swapaxes(a, 1, 2) / n + self.ridge * np.eye(n)

    def perturb(self, rng, values, step):
        noise = step * rng.normal(size=values.shape)
        moved = values + (noise + np.swapaxes(noise, -1, -2)) / 2
        w, v = np.linalg.eigh(moved)
        w = np.maximum(w, self.ridge / 2)
        return (v * w[:, None, :]) @ np.swapaxes(v, -1, -2)

    def explicit(self, name, shape, origin=1):
        n = _square(shape)
        out = np.empty((n, n), dtype=object)
        params = []
        for i in range(n):
            for j in range(i, n):
                p = sympy.Symbol(f"{name}[{i + origin},{j + origin}]", real=True)
                out[i, j] = out[j, i] = p
                params.append(p)
        return out, params, []

    def parameters(self, value, exact):
        h = np.asarray(value, dtype=float)
        n = h.shape[0]
        upper = [(h[i, j] + h[j, i]) / 2 for i in range(n) for j in range(i, n)]
        return [_rational(x) for x in upper] if exact else upper

    def contains(self, value):
        h = np.asarray(value, dtype=float)
        return bool(np.allclose(h, h.T) and np.min(np.linalg.eigvalsh(h)) > 0)


@dataclass(frozen=True)
class PositiveDiagonal(Domain):
    """Diagonal matrices with positive diagonal (e.g. a diagonal Hessian)."""

    low: float = 0.2
    high: float = 5.0
    description = "diagonal matrix with positive diagonal"

    def sample(self, rng, shape, count):
        n = _square(shape)
        d = np.exp(rng.uniform(math.log(self.low), math.log(self.high), size=(count, n)))
        return d[:, :, None] * np.eye(n)

    def perturb(self, rng, values, step):
        d = np.diagonal(values, axis1=-2, axis2=-1) * np.exp(step * rng.normal(size=values.shape[:-1]))
        d = np.clip(d, self.low, self.high)
        return d[..., :, None] * np.eye(values.shape[-1])

    def explicit(self, name, shape, origin=1):
        n = _square(shape)
        params = [sympy.Symbol(f"{name}[{i + origin},{i + origin}]", positive=True) for i in range(n)]
        out = np.array(sympy.diag(*params).tolist(), dtype=object)
        return out, params, []

    def parameters(self, value, exact):
        d = np.diagonal(np.asarray(value, dtype=float))
        return [_rational(x) for x in d] if exact else list(d)

    def contains(self, value):
        h = np.asarray(value, dtype=float)
        return bool(np.allclose(h, np.diag(np.diagonal(h))) and np.all(np.diagonal(h) > 0))


# The short names entries use.
real = Real()
positive = Positive()
unit_interval = Interval(0.0, 1.0)
binary = Binary()
probability = ProbabilityVector()
unit = UnitVector()
orthogonal = Orthogonal()
spd = SymmetricPositiveDefinite()
distinct = Distinct()


def nonzero(low: float = -3.0, high: float = 3.0) -> Real:
    """Reals kept away from 0: the input of ReLU, sign, |x|."""
    return Real(low, high, kinks=(0.0,))


def integer(low: int, high: int) -> Integer:
    return Integer(low, high)


def interval(low: float, high: float) -> Interval:
    return Interval(low, high)
