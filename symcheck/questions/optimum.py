"""Optimum questions: the argmin (or argmax) of an objective, or its optimal value.

* The reference solves the optimality conditions: the engine differentiates the
  objective (text, in the entry's notation) with respect to every entry of
  ``over`` and solves the stationarity system with SymPy.  A non-unique or
  missing solution is an entry error, never a guess.
* The oracle optimises the NumPy objective numerically (SciPy's L-BFGS-B,
  within the domain's bounds when it has them), then polishes with Newton steps
  on finite-difference derivatives; it shares no code with the symbolic side.

With ``value=True`` the quantity is the optimal *value* (C(G) = max_D V(G, D)):
the reference substitutes the solved optimum into the objective, and the oracle
evaluates the objective at the numeric optimum.
"""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy

from symcheck import domains
from symcheck.errors import EntryError
from symcheck.evaluation import flatten, scalarize
from symcheck.gradcheck import numeric_gradient, numeric_jacobian
from symcheck.instance import Instance, Points, natural_shape
from symcheck.questions.base import Question



@dataclass
class Optimum(Question):
    objective: str
    over: str
    oracle: Callable
    sense: str = "min"
    value: bool = False
    index: tuple = ()
    origin: int | tuple = 1
    # The optimiser stops near 1e-10 in the gradient; 1e-6 relative leaves a
    # margin of four orders of magnitude.
    rtol: float = 1e-6
    atol: float = 1e-8
    kind: str = field(default="optimum", init=False)

    def bind(self, entry) -> None:
        super().bind(entry)
        if self.sense not in ("min", "max"):
            raise EntryError(f"entry {entry.id!r}: sense must be 'min' or 'max'")
        self._objective = self.parse_model(self.objective, "the objective")
        self._over = self.notation.variable(self.over)
        if self._over is None:
            raise EntryError(f"entry {entry.id!r}: over={self.over!r} names no variable")
        self._oracle_args = self.oracle_arguments(self.oracle)
        if isinstance(self.origin, int) and self.index:
            self.origin = (self.origin,) * len(self.index)

    def quantity_shape(self, inst: Instance) -> tuple:
        return () if self.value else natural_shape(self._over, inst.sizes)

    # -- reference: solve the stationarity conditions --------------------------
    def derive_reference(self, inst: Instance) -> np.ndarray:
        return self._solve(inst)

    def _solve(self, inst: Instance) -> np.ndarray:
        objective = scalarize(inst.sympy_evaluator()(self._objective))
        unknowns = [s for s in flatten(inst.explicit[self.over]) if isinstance(s, sympy.Symbol)]
        kinked = sorted({a.args[0] for a in objective.atoms(sympy.Abs) if a.args[0] in unknowns}, key=str)
        if kinked:
            optimum = self._solve_by_cases(objective, unknowns, kinked, inst)
        else:
            optimum = dict(zip(unknowns, self._stationary(objective, unknowns, inst)))
        if self.value:
            out = np.empty((), dtype=object)
            out[()] = objective.xreplace(optimum)
            return out
        explicit = inst.explicit[self.over]
        values = np.array([sympy.sympify(e).xreplace(optimum) for e in flatten(explicit)], dtype=object)
        return values.reshape(self.quantity_shape(inst))

    def _stationary(self, objective, unknowns, inst) -> list:
        """The unique admissible solution of ∇objective = 0 (a smooth objective)."""
        solutions = self._stationary_points(objective, unknowns)
        solutions = [s for s in solutions if self._admissible(s)]
        if len(solutions) != 1:
            raise EntryError(f"entry {self.entry.id!r}: the optimality conditions have {len(solutions)} admissible "
                             f"solutions at {inst.label() or 'these sizes'}; the engine needs exactly one")
        return [solutions[0][u] for u in unknowns]

    @staticmethod
    def _stationary_points(objective, unknowns) -> list:
        equations = [sympy.together(sympy.diff(objective, u)) for u in unknowns]
        numerators = [sympy.fraction(e)[0] for e in equations]
        solutions = sympy.solve(numerators, unknowns, dict=True) if unknowns else [{}]
        return [s for s in solutions if all(v.is_real is not False for v in s.values())]

    def _solve_by_cases(self, objective, unknowns, kinked, inst) -> dict:
        """An objective with |u_k| terms, split by the sign of each kinked unknown.

        In each case (u_k > 0, u_k < 0 or u_k = 0) the objective is smooth; its
        stationary point is admissible when the signs it assumed hold and, for
        each u_k = 0, the one-sided derivatives bracket zero (the subgradient
        condition).  For a convex objective exactly one case holds at each
        point of the domain; the optimum is the Piecewise over the cases.
        """
        import itertools

        branches = []
        for signs in itertools.product((1, -1, 0), repeat=len(kinked)):
            subs, slack = {}, {}
            for u, sign in zip(kinked, signs):
                if sign == 0:
                    subs[u] = sympy.Integer(0)
                else:
                    slack[u] = sympy.Dummy(f"t_{u}", positive=True)
                    subs[u] = sign * slack[u]
            smooth = objective.xreplace(subs)
            free = [u for u in unknowns if u not in subs] + list(slack.values())
            for solution in self._stationary_points(smooth, free):
                point = {u: sympy.sympify(subs.get(u, u)).xreplace(solution) for u in unknowns}
                condition = sympy.And(*[solution[t] > 0 for t in slack.values()])
                for u, sign in zip(kinked, signs):
                    if sign == 0:
                        right = sympy.diff(objective.xreplace({sympy.Abs(u): u}), u).xreplace(point)
                        left = sympy.diff(objective.xreplace({sympy.Abs(u): -u}), u).xreplace(point)
                        condition = sympy.And(condition, right >= 0, left <= 0)
                if condition is not sympy.false:
                    branches.append((point, condition))
        if not branches:
            raise EntryError(f"entry {self.entry.id!r}: no case of the non-smooth optimality conditions has a "
                             f"solution at {inst.label() or 'these sizes'}")
        # evaluate=False: SymPy's merging of equal branches rewrites the
        # conditions into large CNF forms at great cost and no benefit.
        return {u: sympy.Piecewise(*[(point[u], cond) for point, cond in branches], evaluate=False)
                for u in unknowns}

    def _admissible(self, solution: dict) -> bool:
        """A stationary point outside the variable's domain (D = 0 for a log) is not the optimum."""
        domain = self._over.domain
        for v in solution.values():
            if isinstance(domain, domains.Interval):
                lo, hi = sympy.Integer(0) if domain.low == 0 else domain.low, domain.high
                inside = sympy.And(v > lo, v < hi)
                if inside is sympy.false:
                    return False
            if isinstance(domain, domains.Positive) and v.is_positive is False:
                return False
        return True

    # -- oracle: optimise numerically -------------------------------------------
    def oracle_values(self, inst: Instance, points: Points) -> np.ndarray:
        shape = natural_shape(self._over, inst.sizes)
        out = np.empty((points.count, *self.quantity_shape(inst)))
        sign = 1.0 if self.sense == "min" else -1.0
        for k in range(points.count):
            row = points.row(k)
            row.update(inst.sizes)
            kwargs = {a: row[a] for a in self._oracle_args if a != self.over}

            def f(v, kwargs=kwargs):
                return sign * float(self.oracle(**kwargs, **{self.over: np.asarray(v).reshape(shape)}))

            best = self._optimise(f, shape)
            out[k] = sign * f(best) if self.value else best.reshape(shape)
        return out

    def _optimise(self, f, shape) -> np.ndarray:
        import scipy.optimize  # imported here: a cold start that needs no optimiser skips it

        size = int(np.prod(shape)) if shape else 1
        domain = self._over.domain
        bounds = None
        # Start off the kinks (an L1 term is not differentiable at 0).
        x0 = np.full(size, 0.5)
        if isinstance(domain, domains.Interval):
            bounds = [(domain.low + 1e-12, domain.high - 1e-12)] * size
            x0 = np.full(size, (domain.low + domain.high) / 2)
        elif isinstance(domain, domains.Positive):
            bounds = [(1e-12, None)] * size
            x0 = np.ones(size)
        # The optimiser only has to get near the optimum: the Newton polish
        # below supplies the last digits, more cheaply than tight tolerances here.
        result = scipy.optimize.minimize(f, x0, method="L-BFGS-B", bounds=bounds,
                                         options={"ftol": 1e-12, "gtol": 1e-8, "maxiter": 2_000})
        if not result.success:  # a line search stuck on a kink: a derivative-free method
            result = scipy.optimize.minimize(f, result.x, method="Powell", bounds=bounds,
                                             options={"xtol": 1e-12, "ftol": 1e-15, "maxiter": 100_000})
        x = _snap_to_zero(f, result.x)
        free = np.flatnonzero(x != 0)

        def batch(v):
            rows = np.asarray(v).reshape(-1, free.size)
            out = []
            for row in rows:
                full = x.copy()
                full[free] = row
                out.append(f(full))
            return np.array(out)

        # Newton polish on the free coordinates: the optimiser's last digits are
        # loose; two Newton steps on finite-difference derivatives bring the
        # gradient to ~1e-11.
        for _ in range(2 if free.size else 0):
            y = x[free]
            g = numeric_gradient(batch, y)
            hessian = numeric_jacobian(lambda v: np.array([numeric_gradient(batch, row) for row in
                                                           np.asarray(v).reshape(-1, free.size)]), y)
            try:
                step = np.linalg.solve((hessian + hessian.T) / 2, g)
            except np.linalg.LinAlgError:
                break
            candidate = y - step
            if bounds is not None and any(lo is not None and c <= lo or hi is not None and c >= hi
                                          for c, (lo, hi) in zip(candidate, [bounds[i] for i in free])):
                break
            x[free] = candidate
        return x

    def describe(self) -> dict:
        return {"kind": self.kind, "objective": self.objective, "over": self.over, "sense": self.sense,
                "quantity": "optimal value" if self.value else f"arg{self.sense} over {self.over}"}


def _snap_to_zero(f, x: np.ndarray, threshold: float = 1e-5) -> np.ndarray:
    """Set coordinates the optimiser left near 0 to exactly 0 when that does not
    raise the objective: a non-smooth objective (an L1 term) has its minimiser
    on the kink, which a smooth optimiser only approaches."""
    x = x.copy()
    for i in np.argsort(np.abs(x)):
        if abs(x[i]) >= threshold:
            break
        trial = x.copy()
        trial[i] = 0.0
        if f(trial) <= f(x) + 1e-13 * max(1.0, abs(f(x))):
            x = trial
    return x
