"""Where a symbol's values live, and how to draw points from there.

Every domain answers four questions:

* ``sample(rng, shape, count)``: ``count`` float points of the given shape, as one
  array of shape ``(count, *shape)``, drawn only from the domain (never on a kink,
  never on a tie, always on the simplex...).
* ``exact(value)``: the same point as exact rationals, satisfying the domain's
  constraint *exactly*.  A counterexample is re-checked in high precision at this
  exact point, so a float that is orthogonal only to 1e-16 can never fake a
  refutation.
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


def _exact_array(value: np.ndarray) -> np.ndarray:
    out = np.empty(value.shape, dtype=object)
    for idx in np.ndindex(value.shape):
        out[idx] = _rational(value[idx])
    return out


@dataclass(frozen=True)
class Domain:
    """Base class: the real line is the default domain."""

    description = "real number"

    @property
    def assumptions(self) -> dict:
        return {"real": True}

    def sample(self, rng: np.random.Generator, shape: tuple, count: int) -> np.ndarray:
        raise NotImplementedError

    def exact(self, value: np.ndarray) -> np.ndarray:
        return _exact_array(np.asarray(value, dtype=float))

    def contains(self, value: np.ndarray) -> bool:
        return bool(np.all(np.isfinite(value)))

    def describe(self) -> str:
        return self.description

    # Domains with a constraint (the simplex) may say how to eliminate a symbol
    # in a proof; most have none.
    def constraint(self, explicit) -> dict:
        return {}


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

    def exact(self, value):
        exact = _exact_array(np.asarray(value, dtype=float))
        total = sum(exact.ravel())
        return exact / total

    def contains(self, value):
        value = np.asarray(value, dtype=float)
        return bool(np.all(value > 0) and abs(value.sum() - 1) < 1e-9)

    def constraint(self, explicit):
        """Eliminate the last entry with sum = 1."""
        flat = list(explicit)
        last = flat[-1]
        return {last: 1 - sum(flat[:-1])}


@dataclass(frozen=True)
class UnitVector(Domain):
    """A vector of Euclidean norm 1."""

    description = "unit vector"

    def sample(self, rng, shape, count):
        v = rng.normal(size=(count, *shape))
        axes = tuple(range(1, v.ndim))
        return v / np.sqrt((v**2).sum(axis=axes, keepdims=True))

    def exact(self, value):
        # Inverse stereographic projection of a rational point is a rational
        # point of the sphere, so |v| = 1 holds exactly.  Project from the pole
        # farther from v to keep the map well conditioned.
        value = np.asarray(value, dtype=float)
        flat = value.ravel()
        if flat.size == 1:
            return np.array([sympy.Integer(1 if flat[0] >= 0 else -1)], dtype=object).reshape(value.shape)
        pole = 1 if flat[-1] <= 0 else -1
        t = [_rational(x / (1 - pole * flat[-1])) for x in flat[:-1]]
        s = sum(ti**2 for ti in t)
        point = [2 * ti / (s + 1) for ti in t] + [pole * (s - 1) / (s + 1)]
        return np.array(point, dtype=object).reshape(value.shape)

    def contains(self, value):
        return bool(abs(np.sqrt((np.asarray(value, dtype=float) ** 2).sum()) - 1) < 1e-9)


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
        # Cayley's map needs no eigenvalue at -1; flip a column if it is close.
        for k in range(count):
            if np.min(np.abs(np.linalg.eigvals(q[k]) + 1)) < 1e-3:
                q[k, :, 0] *= -1
        return q

    def exact(self, value):
        # Cayley transform: A = (I - Q)(I + Q)^-1 is skew; rounding A to a skew
        # rational matrix and mapping back gives an exactly orthogonal Q.
        q = np.asarray(value, dtype=float)
        n = q.shape[0]
        eye = np.eye(n)
        a = (eye - q) @ np.linalg.inv(eye + q)
        skew = sympy.zeros(n, n)
        for i in range(n):
            for j in range(i + 1, n):
                v = _rational(round((a[i, j] - a[j, i]) / 2, 12))
                skew[i, j], skew[j, i] = v, -v
        exact = (sympy.eye(n) - skew) * (sympy.eye(n) + skew).inv()
        return np.array(exact.tolist(), dtype=object)

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

    def exact(self, value):
        exact = _exact_array(np.asarray(value, dtype=float))
        return (exact + exact.T) / 2

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
