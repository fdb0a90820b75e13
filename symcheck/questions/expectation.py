"""Expectation questions: an estimator is unbiased, an identity holds in expectation.

``Expectation(target, over)`` checks E[claim] = E[target], both averaged over
the random variables in ``over``; a side that does not depend on them is its
own expectation.  So "the score-function estimator is unbiased" is a claim
(the estimator, random) against a target (the exact gradient, deterministic),
and "dropout's output at inference" is a claim (deterministic) against a
target (the training-time output, random in the mask).

Exactly where possible:

* ``Bernoulli(p)``: every 0/1 assignment of the variable's entries, weighted;
* ``Categorical(probs)``: every value of an index, weighted by ``probs``;
* ``Normal(mean, std)``: symbolically by the moments of the normal distribution
  (the expression must be polynomial in the variable); numerically by Monte
  Carlo with ``samples`` draws per point, and the comparison allows five
  standard errors (a correct claim fails with probability below 1e-6 per
  point, and with fixed seeds the run is reproducible).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
import sympy

from symcheck.errors import EntryError, EvaluationError
from symcheck.evaluation import as_batch, flatten
from symcheck.instance import Instance, Points, natural_shape
from symcheck.questions.base import Question
from symcheck.vocabulary import normal_moment

Z_SCORE = 5.0
MAX_ENUMERATED = 1 << 12


@dataclass(frozen=True)
class Bernoulli:
    """Each entry of a variable is 1 with probability ``p`` (text), independently."""

    p: str


@dataclass(frozen=True)
class Categorical:
    """A declared index takes value k with probability ``probs`` (text in that index)."""

    probs: str


@dataclass(frozen=True)
class Normal:
    """Each entry of a variable is N(mean, std²), independently (texts)."""

    mean: str = "0"
    std: str = "1"


def _per_entry(value, count: int) -> list:
    """A law's parameter for each entry: a matrix gives one per entry, a scalar is shared."""
    if isinstance(value, sympy.MatrixBase):
        return list(value)
    return [value] * count


def _batch_law(value, count: int, storage: tuple) -> np.ndarray:
    """A law's parameter as an array of shape (count, *storage)."""
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0 or arr.shape == (count,):
        arr = arr.reshape((-1,) + (1,) * len(storage))
    return np.broadcast_to(arr, (count, *storage)).copy()



@dataclass
class Expectation(Question):
    target: Question
    over: dict
    samples: int = 20000
    kind: str = field(default="expectation", init=False)

    def bind(self, entry) -> None:
        super().bind(entry)
        self.target.bind(entry)
        self.index, self.origin = self.target.index, self.target.origin
        self.rtol, self.atol = self.target.rtol, self.target.atol
        self._parsed = {}
        for name, law in self.over.items():
            if isinstance(law, Categorical):
                if self.notation.index(name) is None:
                    raise EntryError(f"entry {entry.id!r}: a Categorical variable must be a declared index, "
                                     f"not {name!r}")
                self._parsed[name] = (self.parse_model(law.probs, f"the probabilities of {name}"),)
            elif isinstance(law, (Bernoulli, Normal)):
                if self.notation.variable(name) is None:
                    raise EntryError(f"entry {entry.id!r}: {name!r} is not a declared variable")
                texts = (law.p,) if isinstance(law, Bernoulli) else (law.mean, law.std)
                self._parsed[name] = tuple(self.parse_model(t, f"the law of {name}") for t in texts)
            else:
                raise EntryError(f"entry {entry.id!r}: unknown distribution {law!r}")

    def check_free_indices(self, expr) -> None:
        categorical = {n for n, law in self.over.items() if isinstance(law, Categorical)}
        saved = self.index
        self.index = tuple(saved) + tuple(categorical)
        try:
            super().check_free_indices(expr)
        finally:
            self.index = saved

    def quantity_shape(self, inst: Instance) -> tuple:
        return self.target.quantity_shape(inst)

    # -- exact expectations -------------------------------------------------------
    def _law_values(self, name, inst, evaluator, env=None):
        return tuple(evaluator(e, env or {}) for e in self._parsed[name])

    def _exact_expectation(self, value, inst: Instance, evaluator, symbols: dict | None = None):
        """E over Bernoulli and Normal variables of an explicit expression."""
        value = sympy.sympify(value)
        for name, law in self.over.items():
            if isinstance(law, Categorical):
                continue
            entries = [e for e in flatten((symbols or inst.explicit)[name]) if isinstance(e, sympy.Symbol)]
            if isinstance(law, Bernoulli):
                (p,) = self._law_values(name, inst, evaluator)
                value = self._bernoulli(value, entries, evaluator.backend.lift(p))
            else:
                mean, std = (_per_entry(evaluator.backend.lift(v), len(entries))
                             for v in self._law_values(name, inst, evaluator))
                value = self._normal(value, entries, mean, std)
        return value

    @staticmethod
    def _bernoulli(value, entries, p):
        if 2 ** len(entries) > MAX_ENUMERATED:
            raise EvaluationError(f"too many Bernoulli entries to enumerate ({len(entries)})")
        total = 0
        for bits in itertools.product((0, 1), repeat=len(entries)):
            weight = sympy.Mul(*[p if b else 1 - p for b in bits])
            total += weight * value.xreplace(dict(zip(entries, map(sympy.Integer, bits))))
        return total

    @staticmethod
    def _normal(value, entries, mean, std):
        laws = [(e, m, s) for e, m, s in zip(entries, mean, std) if value.has(e)]
        if not laws:
            return value
        present = [e for e, _, _ in laws]
        expanded = sympy.expand(value)
        if not expanded.is_polynomial(*present):
            raise EvaluationError("the expression is not polynomial in the normal variable; its expectation is "
                                  "only estimated by Monte Carlo")
        total = 0
        for powers, coeff in sympy.Poly(expanded, *present).terms():
            term = coeff
            for k, (_, m, s) in zip(powers, laws):
                term *= normal_moment(k, m, s)
            total += term
        return total

    def _categorical_explicit(self, evaluate_with_env, evaluator):
        """Σ_k probs(k) · value(k) over every Categorical index."""
        names = [n for n, law in self.over.items() if isinstance(law, Categorical)]
        if not names:
            return evaluate_with_env({})
        total = None
        for combo in itertools.product(*(range(*self._range(n, evaluator)) for n in names)):
            env = {sympy.Symbol(n, integer=True): k for n, k in zip(names, combo)}
            weight = sympy.Integer(1)
            for n in names:
                weight = weight * evaluator.backend.lift(evaluator(self._parsed[n][0], env))
            term = evaluate_with_env(env) * weight
            total = term if total is None else total + term
        return total

    def _range(self, name, evaluator):
        low, high = self.notation.bounds(name)
        lo, hi = evaluator.ints([low, high], {})
        return lo, hi + 1

    def derive_reference(self, inst: Instance):
        reference = self.target.reference(inst)
        if reference is None:
            return None
        ev = inst.sympy_evaluator()
        out = np.empty(reference.shape, dtype=object)
        try:
            for idx in np.ndindex(reference.shape):
                out[idx] = self._exact_expectation(reference[idx], inst, ev)
        except EvaluationError:
            return None
        return out

    def claim_explicit(self, expr, inst, keep=frozenset(), env=None):
        ev = inst.sympy_evaluator(keep)
        values = self._categorical_explicit(lambda e: super(Expectation, self).claim_explicit(expr, inst, keep, e), ev)
        return np.vectorize(lambda v: self._exact_expectation(v, inst, ev), otypes=[object])(values)

    def claim_exact(self, expr, inst, exact_point, env=None):
        # Random variables stay symbolic (their explicit symbols); everything
        # else is exact.  Then the expectation is taken exactly.
        point = dict(exact_point)
        for name, law in self.over.items():
            if not isinstance(law, Categorical):
                point[name] = inst.explicit[name]
        ev = inst.exact_evaluator(point)
        values = self._categorical_explicit(
            lambda e: super(Expectation, self).claim_exact(expr, inst, point, e), ev)
        return np.vectorize(lambda v: self._exact_expectation(v, inst, ev), otypes=[object])(values)

    def exact_pair(self, expr, inst, points, k, reference):
        # Expectations are taken exactly (moments, enumeration), never in mpmath.
        return self.claim_exact(expr, inst, points.exact(k)), self.reference_exact(inst, points, k, reference)

    # -- numeric expectations -----------------------------------------------------
    def _rng(self, inst) -> np.random.Generator:
        return np.random.default_rng([self.entry.seed, *sorted(inst.sizes.values())])

    def _average(self, inst: Instance, points: Points, evaluate, allow_normal: bool):
        """E over the random variables of evaluate(points, env), numerically.
        Returns (values, half-width)."""
        laws = list(self.over.items())
        return self._average_over(inst, points, evaluate, laws, {}, allow_normal)

    def _average_over(self, inst, points, evaluate, laws, env, allow_normal):
        if not laws:
            return evaluate(points, env), 0.0
        (name, law), rest = laws[0], laws[1:]
        ev = inst.numpy_evaluator(points)
        if isinstance(law, Categorical):
            total, width = 0.0, 0.0
            for k in range(*self._range(name, ev)):
                inner = {**env, sympy.Symbol(name, integer=True): k}
                weight = as_batch(ev(self._parsed[name][0], inner), points.count)
                value, w = self._average_over(inst, points, evaluate, rest, inner, allow_normal)
                weight = weight.reshape((-1,) + (1,) * (np.ndim(value) - 1))
                total, width = total + weight * value, width + np.abs(weight) * w
            return total, width
        if isinstance(law, Bernoulli):
            natural = natural_shape(self.notation.variable(name), inst.sizes)
            storage = points.values[name].shape[1:]
            p = as_batch(ev(self._parsed[name][0]), points.count)
            size = int(np.prod(natural)) if natural else 1
            if 2**size > MAX_ENUMERATED:
                raise EvaluationError(f"too many Bernoulli entries to enumerate ({size})")
            total, width = 0.0, 0.0
            for bits in itertools.product((0.0, 1.0), repeat=size):
                mask = np.array(bits)
                weight = np.prod(np.where(mask[None, :] == 1, p[:, None], 1 - p[:, None]), axis=1)
                values = dict(points.values)
                values[name] = np.broadcast_to(mask.reshape(storage), (points.count, *storage)).copy()
                value, w = self._average_over(inst, Points(values, points.count, inst), evaluate, rest, env,
                                              allow_normal)
                weight = weight.reshape((-1,) + (1,) * (np.ndim(value) - 1))
                total, width = total + weight * value, width + weight * w
            return total, width
        if not allow_normal:
            raise EntryError(f"entry {self.entry.id!r}: the target may not depend on the normal variable {name!r}; "
                             f"give its oracle in closed form or by quadrature")
        # Every remaining normal variable is drawn in the same replication of the
        # points: one batch of P·S rows, whatever their number.
        normals = [(n, law) for n, law in laws if isinstance(law, Normal)]
        others = [(n, law) for n, law in laws if not isinstance(law, Normal)]
        if others:
            raise EntryError(f"entry {self.entry.id!r}: list normal variables after the discrete ones in `over`")
        draws = self.samples
        rng = self._rng(inst)
        values = {k: np.repeat(v, draws, axis=0) for k, v in points.values.items()}
        for n, _ in normals:
            storage = points.values[n].shape[1:]
            mean, std = (_batch_law(ev(e), points.count, storage) for e in self._parsed[n])
            noise = rng.normal(size=(points.count * draws, *storage))
            values[n] = np.repeat(mean, draws, axis=0) + np.repeat(std, draws, axis=0) * noise
        sample = evaluate(Points(values, points.count * draws, inst), env)
        sample = sample.reshape(points.count, draws, *sample.shape[1:])
        mean_value = sample.mean(axis=1)
        error = sample.std(axis=1, ddof=1) / np.sqrt(draws)
        return mean_value, Z_SCORE * error

    def claim_interval(self, expr, inst, points):
        return self._average(inst, points,
                             lambda pts, env: super(Expectation, self).claim_numeric(expr, inst, pts, env), True)

    def claim_numeric(self, expr, inst, points, env=None):
        return self.claim_interval(expr, inst, points)[0]

    def oracle_values(self, inst: Instance, points: Points) -> np.ndarray:
        uses = [n for n, law in self.over.items() if not isinstance(law, Categorical)
                and n in getattr(self.target, "_oracle_args", [])]
        if not uses:
            return self.target.oracle_values(inst, points)
        values, _ = self._average(inst, points, lambda pts, env: self.target.oracle_values(inst, pts), False)
        return values

    def describe_point(self, points: Points, k: int) -> dict:
        return {n: v for n, v in points.describe(k).items() if n not in self.over}

    def describe(self) -> dict:
        laws = {n: f"{type(law).__name__}({', '.join(str(v) for v in vars(law).values())})"
                for n, law in self.over.items()}
        return {"kind": self.kind, "target": self.target.describe(), "over": laws}
