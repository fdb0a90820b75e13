"""What every kind of question provides to the verifier.

A question turns an entry into three views of one *quantity* (a scalar, a
vector, a matrix or a tensor of fixed shape at given sizes):

* ``reference(instance)``: derived by the engine from the question, explicit
  SymPy entries (an object array of the quantity's shape);
* ``oracle_values(instance, points)``: the independent numeric evaluation, floats of
  shape (P, *quantity shape);
* a claim's values, explicit (for the cascade), numeric (against the oracle)
  and exact (for high-precision rechecks).

The base class implements the claim side for claims that are expressions; the
kinds in this package implement ``reference`` and ``oracle``.
"""
from __future__ import annotations

import functools
import itertools
import numpy as np
import sympy
from sympy.matrices.expressions import MatrixExpr

from symcheck.budget import Budget
from symcheck.cascade import ProofContext
from symcheck.errors import BudgetExceeded, ClaimError, EntryError, EvaluationError
from symcheck.evaluation import as_batch, as_object_array, dims, matrix_dims
from symcheck.gradcheck import ATOL, RTOL
from symcheck.instance import Instance, Points
from symcheck.text_syntax import parse_claim

POINTS_PER_INSTANCE = 12
RANDOM_INSTANCES = 2
# A question without sizes has one instance; it gets as many points as four.
POINTS_WITHOUT_SIZES = 48
REFERENCE_BUDGET = 60.0


class Question:
    """Base class of the kinds of question."""

    kind = "question"
    rtol = RTOL
    atol = ATOL

    @property
    def points_per_instance(self) -> int:
        """Points sampled per size (an entry may set more, e.g. for integer domains)."""
        chosen = self.__dict__.get("_points_per_instance")
        if chosen:
            return chosen
        return POINTS_PER_INSTANCE if self.notation.sizes else POINTS_WITHOUT_SIZES

    @points_per_instance.setter
    def points_per_instance(self, value: int) -> None:
        self.__dict__["_points_per_instance"] = int(value)
    #: the quantity's free index names, one per axis (claims may use them)
    index: tuple = ()
    #: first value of each free index
    origin: int = 1

    # -- binding ----------------------------------------------------------------
    def bind(self, entry) -> None:
        self.entry = entry
        self.notation = entry.notation
        self._references = {}

    def parse(self, text: str, *, what: str = "claim"):
        expr = parse_claim(text, self.notation, what=what)
        self.check_free_indices(expr)
        return expr

    def oracle_arguments(self, fn) -> list[str]:
        """The names an oracle is called with: its parameters that name a
        variable, definition or size.  Any other parameter must have a default."""
        import inspect

        known = set(self.notation.names())
        names = []
        for param in inspect.signature(fn).parameters.values():
            if param.name in known:
                names.append(param.name)
            elif param.default is inspect.Parameter.empty:
                raise EntryError(f"entry {self.entry.id!r}: the oracle's parameter {param.name!r} names no symbol "
                                 f"of the entry (known: {', '.join(sorted(known))})")
        return names

    def parse_model(self, text: str, what: str):
        """Parse an expression of the entry itself: an error here is the entry's."""
        try:
            return parse_claim(text, self.notation, what=what)
        except ClaimError as error:
            raise EntryError(f"entry {self.entry.id!r}: {what} does not parse: {error}") from None

    def check_free_indices(self, expr) -> None:
        if not isinstance(expr, sympy.Basic):
            return
        allowed = set(self.index)
        declared = {i.name for i in self.notation.indices}
        free = {s.name for s in expr.free_symbols if s.name in declared}
        extra = sorted(free - allowed)
        if extra:
            wanted = ", ".join(self.index) if self.index else "none"
            raise ClaimError(f"the claim has free index {', '.join(extra)}; this quantity's free indices: {wanted}")

    # -- sizes ------------------------------------------------------------------
    def proof_sizes(self) -> list[dict]:
        sizes = self.notation.sizes
        if not sizes:
            return [{}]
        combos = list(itertools.product(*(s.small for s in sizes)))[:4]
        return [dict(zip((s.name for s in sizes), combo)) for combo in combos]

    def instances(self, rng: np.random.Generator) -> list[dict]:
        out = self.proof_sizes()
        sizes = self.notation.sizes
        if sizes and all(s.random for s in sizes):
            for _ in range(RANDOM_INSTANCES):
                out.append({s.name: int(rng.integers(s.random[0], s.random[1] + 1)) for s in sizes})
        return out

    # -- the quantity -----------------------------------------------------------
    def quantity_shape(self, inst: Instance) -> tuple:
        raise NotImplementedError

    def reference(self, inst: Instance):
        """The engine's reference at the instance's sizes (derived once per size,
        within REFERENCE_BUDGET seconds: a model too hard to derive is the
        entry's error, never a hang)."""
        cache = self.__dict__.setdefault("_references", {})
        key = tuple(sorted(inst.sizes.items()))
        if key not in cache:
            try:
                with Budget(REFERENCE_BUDGET).guard():
                    cache[key] = self.derive_reference(inst)
            except BudgetExceeded:
                raise EntryError(f"entry {self.entry.id!r}: the reference could not be derived within "
                                 f"{REFERENCE_BUDGET:g} s at {inst.label() or 'its sizes'}; simplify the model or "
                                 f"use smaller proof sizes") from None
        return cache[key]

    def derive_reference(self, inst: Instance):
        """Derive the reference from the question; None when there is none."""
        raise NotImplementedError

    def oracle_values(self, inst: Instance, points: Points) -> np.ndarray:
        raise NotImplementedError

    def proof_context(self, inst: Instance) -> ProofContext:
        """Kept algebraic definitions and domain constraints for the cascade."""
        algebraic = {}
        full = inst.sympy_evaluator()
        for d in self.notation.definitions:
            if d.params or d.is_matrix:
                continue
            value = full(sympy.Symbol(d.name))
            if isinstance(value, sympy.Pow) and value.exp == sympy.S.Half:
                algebraic[sympy.Symbol(d.name, **d.domain.assumptions)] = value
        return ProofContext(algebraic=algebraic, relations=inst.relations)

    def kept(self, inst: Instance) -> frozenset:
        return frozenset(s.name for s in self.proof_context(inst).algebraic)

    # -- claims -----------------------------------------------------------------
    def positions(self, inst: Instance):
        return list(np.ndindex(self.quantity_shape(inst)))

    def index_env(self, position: tuple) -> dict:
        env = {}
        for name, p in zip(self.index, position):
            origin = self.origin[len(env)] if isinstance(self.origin, tuple) else self.origin
            env[sympy.Symbol(name, integer=True)] = p + origin
        return env

    def listed(self) -> bool:
        """Is the quantity a list of numbers of fixed length (a shape)?"""
        return False

    def _flattened(self, expr, inst: Instance, shape: tuple):
        """One number where the question asks for a list (a shape) is never
        spread over its entries.  It is read as the whole shape only when the
        shape has one entry other than 1 (1 × 10368 and 10368 name the same
        flattened vector); otherwise it is the wrong kind of answer."""
        reference = [sympy.sympify(v) for v in np.asarray(self.reference(inst), dtype=object).ravel()]
        others = [k for k, v in enumerate(reference) if v != 1]
        if len(others) != 1:
            raise ShapeMismatch((), shape, f"a list of {shape[0]} numbers")
        return sympy.Tuple(*[expr if k == others[0] else sympy.Integer(1) for k in range(len(reference))])

    def layout(self, inst: Instance) -> str | None:
        """"row" or "column" when the quantity is a vector whose orientation
        the question fixes; None when either orientation is the same answer."""
        return None

    def _assemble(self, expr, inst: Instance, evaluate, fit, batch: int | None, env: dict | None = None):
        """Evaluate a claim over the quantity: a matrix claim at once, a scalar
        claim once per entry with the free indices bound to that entry, a tuple
        claim entry by entry."""
        shape = self.quantity_shape(inst)
        env = env or {}
        layout = self.layout(inst)
        if layout is not None:
            fit = functools.partial(_oriented, fit, layout)
        if self.listed() and not self.index and not isinstance(expr, (sympy.Tuple, MatrixExpr)):
            expr = self._flattened(expr, inst, shape)
        if isinstance(expr, sympy.Tuple):
            if len(shape) != 1 or shape[0] != len(expr):
                raise ShapeMismatch((len(expr),), shape)
            out = np.empty(shape, dtype=object) if batch is None else np.empty((batch, *shape))
            for k, item in enumerate(expr):
                value = fit(evaluate(item, env), ())
                out[(k,) if batch is None else (slice(None), k)] = value if batch is not None else value[()]
            return out
        if isinstance(expr, MatrixExpr) or not shape:
            return fit(evaluate(expr, env), shape)
        out = np.empty(shape, dtype=object) if batch is None else np.empty((batch, *shape))
        for position in np.ndindex(shape):
            key = position if batch is None else (slice(None), *position)
            out[key] = evaluate(expr, {**env, **self.index_env(position)})
        return out

    def claim_explicit(self, expr, inst: Instance, keep: frozenset = frozenset(), env: dict | None = None):
        """The claim as explicit SymPy entries (for the proof cascade)."""
        return self._assemble(expr, inst, inst.sympy_evaluator(keep), _fit_object, None, env)

    def claim_exact(self, expr, inst: Instance, exact_point: dict, env: dict | None = None) -> np.ndarray:
        """The claim's exact value at an exact point (for high-precision rechecks)."""
        return self._assemble(expr, inst, inst.exact_evaluator(exact_point), _fit_object, None, env)

    def claim_numeric(self, expr, inst: Instance, points: Points, env: dict | None = None) -> np.ndarray:
        """The claim at P points at once: floats of shape (P, *quantity shape)."""
        ev = inst.numpy_evaluator(points)
        count = points.count

        def evaluate(e, env):
            value = ev(e, env)
            return value if isinstance(e, MatrixExpr) else as_batch(value, count)

        return self._assemble(expr, inst, evaluate, lambda v, s: _fit_float(v, s, count), count, env)

    def claim_interval(self, expr, inst: Instance, points: Points) -> tuple:
        """(values, half-width): a Monte Carlo estimate carries a confidence
        half-width the comparison must allow; exact evaluations carry none."""
        return self.claim_numeric(expr, inst, points), 0.0

    def exact_pair(self, expr, inst: Instance, points: Points, k: int, reference: np.ndarray) -> tuple:
        """(claim, reference) at point k for a recheck: exactly when both are
        rational (then equality is exact), otherwise in mpmath to 60 digits."""
        if _rational(expr) and all(_rational(r) for r in np.asarray(reference, dtype=object).ravel()):
            return self.claim_exact(expr, inst, points.exact(k)), self.reference_exact(inst, points, k, reference)
        claim = self._assemble(expr, inst, inst.mpmath_evaluator(points, k), _fit_object, None)
        ev = inst.mpmath_parameter_evaluator(points, k)
        ref = np.empty(reference.shape, dtype=object)
        for idx in np.ndindex(reference.shape):
            ref[idx] = ev(sympy.sympify(reference[idx]))
        return claim, ref

    def reference_exact(self, inst: Instance, points: Points, k: int, reference: np.ndarray) -> np.ndarray:
        subs = inst.substitution(points, k)
        out = np.empty(reference.shape, dtype=object)
        for idx in np.ndindex(reference.shape):
            out[idx] = sympy.sympify(reference[idx]).xreplace(subs)
        return out

    def describe_point(self, points: Points, k: int) -> dict:
        """Point k for a counterexample (variables averaged over are left out)."""
        return points.describe(k)

    def describe(self) -> dict:
        return {"kind": self.kind}


_TRANSCENDENTAL = (sympy.exp, sympy.log, sympy.tanh, sympy.sinh, sympy.cosh, sympy.sin, sympy.cos)


def _rational(expr) -> bool:
    """Is the expression a rational function of its symbols (exact arithmetic
    evaluates it quickly and decides equality exactly)?"""
    expr = sympy.sympify(expr)
    if not isinstance(expr, sympy.Basic):
        return True
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, _TRANSCENDENTAL) or type(node).__name__ in ("sigmoid", "Norm", "KL", "JSD", "Softmax",
                                                                        "NormalExpectation"):
            return False
        if isinstance(node, sympy.Pow) and not node.exp.is_Integer:
            return False
    return True


def _as_object(value):
    """An mpmath matrix (of the evaluator's own mpmath context) as an object array."""
    if hasattr(value, "rows") and hasattr(value, "cols") and hasattr(value, "tolist"):
        return np.array(value.tolist(), dtype=object)
    return value


def _fit_object(value, shape) -> np.ndarray:
    arr = as_object_array(_as_object(value))
    _check_fit(arr.shape, shape)
    return arr.reshape(shape)


def _fit_float(value, shape, count) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 2 and arr.shape[0] != count:  # a constant matrix (an identity): no batch axis
        arr = np.broadcast_to(arr, (count, *arr.shape))
    _check_fit(arr.shape[1:], shape)
    return arr.reshape((count, *shape))


def _oriented(fit, layout: str, value, shape):
    """``fit``, after checking that a vector claim has the question's orientation."""
    got = matrix_dims(value)
    if len(shape) == 1 and got is not None and 1 in got and got[0] * got[1] == shape[0] and shape[0] > 1:
        wanted = (1, shape[0]) if layout == "row" else (shape[0], 1)
        if got != wanted:
            raise ShapeMismatch(got, wanted, f"a {layout} vector")
    return fit(value, shape)


def _check_fit(got: tuple, shape: tuple) -> None:
    """Accept a column or row where a vector is wanted (the question's
    ``layout``, checked before, decides when orientation matters); otherwise
    shapes must match."""
    if got == shape:
        return
    if len(shape) == 1 and len(got) == 2 and 1 in got and got[0] * got[1] == shape[0]:
        return
    if shape == () and int(np.prod(got)) == 1:
        return
    raise ShapeMismatch(got, shape)


class ShapeMismatch(EvaluationError):
    """A claim of the wrong shape: it is wrong, not malformed."""

    def __init__(self, got: tuple, wanted: tuple, kind: str = ""):
        self.got, self.wanted = got, wanted
        what = f"is {kind}, " if kind else "has "
        super().__init__(f"the claim has shape {dims(got)}; the quantity {what}shape {dims(wanted)}")
