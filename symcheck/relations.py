"""Claims that are not equalities: bounds (≤, ≥) and approximations (≈ 1.39).

A bound is searched for a violation, at random points and then by
hill-climbing on the margin from the worst ones; a violation found in float64
is rechecked in high precision before it refutes.  An approximation must round
to the number written at every point, rechecked the same way, and is proved
when the quantity is a constant that rounds to it at 50 digits.
"""
from __future__ import annotations

import numpy as np
import sympy

from symcheck import approximation, precision
from symcheck.cascade import Proof
from symcheck.errors import EvaluationError
from symcheck.instance import Instance
from symcheck.verdicts import Counterexample

# A bound is searched at this many random points per size (a bound that fails
# on 1% of the domain escapes with probability 0.99^600 < 0.3%, and the
# adversarial rounds below push further), then by hill-climbing on the margin
# from the worst points found.
BOUND_POINTS = 600
ADVERSARIAL_ROUNDS = 8
ADVERSARIAL_SEEDS = 6
ADVERSARIAL_MOVES = 8
MAX_RECHECKS = 8  # float64 disagreements rechecked in high precision before giving up on a size


def where(inst) -> str:
    """' at n=2' for messages, or nothing at a question without sizes."""
    return f" at {inst.label()}" if inst.label() else ""


def point_scale(values: np.ndarray) -> np.ndarray:
    """Per point, the size of the quantity: atol is relative to it."""
    flat = np.abs(values.reshape(values.shape[0], -1))
    flat = np.where(np.isfinite(flat), flat, 0)
    scale = flat.max(axis=1) if flat.shape[1] else np.zeros(values.shape[0])
    return np.maximum(scale, 1e-300).reshape((-1,) + (1,) * (values.ndim - 1))


# -- approximations (≈ 1.39) ----------------------------------------------------------

def approximate(question, inst, points, oracle, reference, usable, t) -> None:
    """The quantity must round to the written number at every point; a point
    where it does not in float64 is rechecked in high precision."""
    value, half = float(t.expr), float(t.tolerance)
    flat = oracle.reshape(points.count, -1)
    off = np.abs(flat - value) > half * (1 + 1e-9) + 1e-12 * abs(value)
    off &= usable.reshape(-1, 1)
    t.points += int(usable.sum())
    t.sizes.append(inst.sizes)
    with np.errstate(all="ignore"):
        relative = np.abs(flat - value) / max(abs(value), 1e-300)
        t.worst = max(t.worst, float(np.max(np.where(usable.reshape(-1, 1), relative, 0), initial=0)))
    ref = reference.get() if hasattr(reference, "get") else reference
    if ref is None and off.any():
        # no exact reference to recheck against: the oracle's value is the evidence, and it says so
        t.verdict, t.reason = "undecided", (f"the oracle's value {flat[off][0]:.6g} does not round to "
                                            f"{t.claim.text}, but this question has no exact reference to "
                                            f"confirm it in high precision")
        return
    for k, i in np.argwhere(off)[:MAX_RECHECKS]:
        exact = question.reference_exact(inst, points, int(k), ref).reshape(-1)[int(i)]
        if not approximation.within(exact, t.expr, t.tolerance):
            t.verdict = "refuted"
            t.counterexample = Counterexample(
                inst.sizes, question.describe_point(points, int(k)), None, f"≈ {t.claim.text}",
                precision.show(exact), precision.DIGITS,
                f"the quantity does not round to {t.claim.text} (that allows ±{sympy.N(t.tolerance, 3)})")
            return


def approximation_proof(question, t, sizes_list) -> None:
    """A constant quantity (ln 4) compared with the written interval at 50
    digits at every proof size is a proof; one that varies is only confirmed."""
    for sizes in sizes_list:
        reference = question.reference(Instance(question.notation, sizes))
        if reference is None:
            return
        values = [sympy.sympify(v) for v in np.asarray(reference, dtype=object).ravel()]
        if any(v.free_symbols for v in values) or not all(approximation.within(v, t.expr, t.tolerance)
                                                          for v in values):
            return
        t.proof_sizes.append(sizes)
    t.verdict = "proved"
    t.proof = Proof(True, "interval", reason=f"the exact value rounds to {t.claim.text} (±{sympy.N(t.tolerance, 3)})")


# -- bounds -------------------------------------------------------------------------

def _violation(question, inst, points, relation, expr):
    """Per point, by how much the bound fails, relative to the values' size
    (positive: violated beyond tolerance).  Points the oracle cannot judge: -inf."""
    oracle = np.asarray(question.oracle_values(inst, points), dtype=float).reshape(points.count, -1)
    claim = question.claim_numeric(expr, inst, points).reshape(points.count, -1)
    excess = oracle - claim if relation == "<=" else claim - oracle
    size = np.maximum(np.abs(oracle), np.abs(claim))
    scale = np.maximum(point_scale(oracle), point_scale(claim)).reshape(-1, 1)
    allowed = question.atol * scale + question.rtol * size
    with np.errstate(all="ignore"):
        amount = np.where(np.isfinite(oracle) & np.isfinite(claim), (excess - allowed) / scale, -np.inf)
    return amount.max(axis=1)


def search_bound(question, inst, rng, reference, t) -> None:
    """Random points in bulk, then hill-climbing on the margin from the worst."""
    relation = t.claim.relation
    try:
        points = inst.sample(rng, BOUND_POINTS)
        amount = _violation(question, inst, points, relation, t.expr)
    except EvaluationError as error:
        t.verdict, t.reason = "error", f"the claim cannot be evaluated{where(inst)}: {error}"
        return
    t.points += points.count
    t.sizes.append(inst.sizes)
    largest = -np.inf
    for round_ in range(ADVERSARIAL_ROUNDS + 1):
        for k in np.argsort(-amount)[:3]:
            if amount[k] <= 0:
                break
            cx = _recheck_bound(question, inst, points, int(k), t, reference)
            if cx is not None:
                t.verdict, t.counterexample, t.margin = "refuted", cx, float(amount[k])
                return
        largest = max(largest, float(np.max(amount[np.isfinite(amount)], initial=-np.inf)))
        if round_ == ADVERSARIAL_ROUNDS:
            break
        seeds = np.argsort(-amount)[:ADVERSARIAL_SEEDS]
        points = _perturbed(inst, rng, points, seeds, 0.5 * 0.5**round_)
        amount = _violation(question, inst, points, relation, t.expr)
        t.points += points.count
    t.margin = largest


def _perturbed(inst, rng, points, seeds, step):
    from symcheck.instance import Points, natural_shape

    values = {}
    for name, value in points.values.items():
        decl = inst.notation.variable(name)
        natural = natural_shape(decl, inst.sizes)
        base = np.repeat(value[seeds], ADVERSARIAL_MOVES, axis=0).reshape(-1, *natural)
        moved = decl.domain.perturb(rng, base, step)
        # keep the seed itself among the candidates
        moved[::ADVERSARIAL_MOVES] = base[::ADVERSARIAL_MOVES]
        values[name] = moved.reshape(-1, *value.shape[1:])
    return Points(values, len(seeds) * ADVERSARIAL_MOVES, inst)


def _recheck_bound(question, inst, points, k, t, reference) -> Counterexample | None:
    if hasattr(reference, "get"):
        reference = reference.get()
    if reference is None:
        return None
    claimed, ref = question.exact_pair(t.expr, inst, points, k, reference)
    for idx in np.ndindex(ref.shape):
        value, bound = (ref[idx], claimed[idx]) if t.claim.relation == "<=" else (claimed[idx], ref[idx])
        if precision.exceeds(value, bound):
            cx = Counterexample(inst.sizes, question.describe_point(points, k), list(idx) or None, precision.show(claimed[idx]),
                                precision.show(ref[idx]), precision.DIGITS,
                                f"the quantity {'exceeds' if t.claim.relation == '<=' else 'falls below'} the bound")
            cx.difference = precision.show(precision.numeric(ref[idx]) - precision.numeric(claimed[idx]))
            return cx
    return None
