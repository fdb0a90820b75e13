"""Earning verdicts: the numeric side, the symbolic side, and the high-precision
recheck, put together claim by claim.

For each entry, at each size (the small ones, then random ones):

1. Sample points from every variable's domain (fixed seed per entry).
2. Self-check the entry: the engine's reference, evaluated at the points, must
   agree with the independent oracle.  If not, the entry is broken and every
   claim in it gets the verdict *error*: no verdict rests on a model that
   disagrees with itself.
3. Evaluate each claim at the points and compare with the oracle.  A mismatch
   is a *candidate*: it is re-checked exactly (claim vs reference at the exact
   point, 50 digits) and becomes a counterexample only if it survives.

Then, at the small sizes, the proof cascade (under a time budget) decides
*proved*.  A claim that agreed numerically but was not proved is searched once
more in high precision (a difference of 1e-15 escapes float64 but not this);
otherwise it is *confirmed*.  Finally a proof is cross-examined at one exact
point: a proof the numbers contradict is an engine fault, reported as *error*.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field

import numpy as np
import sympy

from symcheck import approximation, precision
from symcheck.budget import Budget
from symcheck.cascade import Proof, prove
from symcheck.entry import Claim, Entry
from symcheck.errors import ClaimError, EntryError, EvaluationError, IllFormed, SymcheckError
from symcheck.evaluation import Evaluator, NumpyBackend, as_batch, dims
from symcheck.gradcheck import close
from symcheck.instance import Instance
from symcheck.questions.base import ShapeMismatch
from symcheck.relations import MAX_RECHECKS, approximate, approximation_proof, point_scale, search_bound, where
from symcheck.thresholds import threshold_points
from symcheck.verdicts import ClaimResult, Counterexample, EntryResult, Evidence

# Wall-clock guards, in seconds.  Verdicts never depend on them: the cascade's
# limits are sizes (effort.py), and the catalogue's slowest proof takes ~1.5 s
# idle, so a guard is reached only by a pathological claim or a machine forty
# times slower; the verdict is then *undecided*, and never cached.
CLAIM_BUDGET = 60.0
# On a refuted claim the cheap cascade only watches for an engine that would
# "prove" it; its outcome never sets a verdict otherwise, so a short guard
# costs nothing in determinism (some refuted claims would take over 10 s).
REFUTED_BUDGET = 0.25
HP_SEARCH_POINTS = 3
#: what float64 cancellation leaves of an exact 0, relative to the size of the point's coordinates
ROUNDING = 1024 * float(np.finfo(float).eps)


@dataclass
class _Track:
    """What is known about one claim while an entry is verified."""

    claim: Claim
    expr: object = None
    verdict: str | None = None
    reason: str = ""
    points: int = 0
    worst: float = 0.0
    sizes: list = field(default_factory=list)
    counterexample: Counterexample | None = None
    notes: list = field(default_factory=list)
    proof: Proof | None = None
    proof_sizes: list = field(default_factory=list)
    margin: float | None = None
    #: for an approximate claim (≈ 1.39): half a unit of its last written digit
    tolerance: object = None


class EntryFault(SymcheckError):
    """The entry's symbolic model and its numeric oracle disagree."""


def verify_entry(entry: Entry, claims: list[Claim] | None = None, budget: float = CLAIM_BUDGET) -> EntryResult:
    """Verify ``claims`` (default: the entry's own) against the entry's question."""
    start = time.monotonic()
    result = EntryResult(entry.id, entry.title, entry.sheet, entry.problem)
    claims = entry.claims if claims is None else claims
    tracks = [_Track(c) for c in claims]
    question = entry.asks
    try:
        with _one_blas_thread():
            _verify_tracks(entry, question, tracks, budget)
    except EntryFault as fault:
        result.error = str(fault)
        for t in tracks:
            t.verdict, t.reason = "error", str(fault)
    except (EntryError, EvaluationError, ClaimError) as error:
        result.error = f"{type(error).__name__}: {error}"
        for t in tracks:
            if t.verdict is None:
                t.verdict, t.reason = "error", str(error)
    except Exception as error:  # an engine bug: say so, with where it happened
        where = traceback.extract_tb(error.__traceback__)[-1]
        result.error = f"engine fault: {type(error).__name__}: {error} ({where.filename.split('/')[-1]}:{where.lineno})"
        for t in tracks:
            t.verdict, t.reason = "error", result.error
    result.claims = [_result(t) for t in tracks]
    from symcheck.diagnosis import diagnose_results  # issue 9: name the mistake of each refuted claim
    diagnose_results(entry, question, tracks, result.claims, deadline=start + 1.5 * budget)
    result.seconds = time.monotonic() - start
    return result


def _verify_tracks(entry: Entry, question, tracks, budget: float) -> None:
    question.bind(entry)
    _check_definitions(entry)
    for t in tracks:
        _parse(question, t)
    if hasattr(question, "judge"):  # a question that earns its verdicts itself (simulation)
        _judge(question, tracks)
    else:
        _numeric(entry, question, tracks)
        _symbolic(question, tracks, budget)


def _one_blas_thread():
    """The oracles' matrices are small, so BLAS threads only contend with the
    other worker of a parallel run (measured: 2 workers x 2 OpenBLAS threads
    cost ~12% more CPU than one process).  One thread everywhere also fixes
    the floating-point summation order, so every reported digit is the same
    under ``verify --jobs N``, ``check`` and ``show``."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _check_definitions(entry: Entry) -> None:
    """Definitions derived in another entry must hold there."""
    for d in entry.notation.definitions:
        if d.checked_by:
            verdict, reason = _definition_verdict(d.checked_by, d.text, latex=d.parsed is not None)
            if verdict not in ("proved", "confirmed"):
                raise EntryFault(f"the definition {d.name} = {d.text} is not what entry {d.checked_by!r} derives "
                                 f"({verdict}{': ' + reason if reason else ''})")


_DEFINITION_VERDICTS: dict = {}


def _definition_verdict(entry_id: str, text: str, latex: bool = False) -> tuple:
    """The verdict of entry ``entry_id`` on a definition's value; ``latex``: the value is a document's
    LaTeX, read in the target entry's notation as ``symcheck check --latex`` would read it."""
    key = (entry_id, text, latex)
    if key not in _DEFINITION_VERDICTS:
        from symcheck.catalogue import load

        target = load().get(entry_id)
        claim = Claim(text, label="definition", expect=None, source="answer")
        if latex:
            from symcheck.checking import parse_user_claim

            try:
                claim.parsed = parse_user_claim(target, text, latex=True)
            except ClaimError as error:
                return "error", f"its value cannot be read in entry {entry_id!r}'s notation: {error}"
            claim.text = str(claim.parsed)
        result = verify_entry(target, [claim])
        claim = result.claims[0]
        _DEFINITION_VERDICTS[key] = (claim.verdict, claim.reason or claim.evidence.summary())
    return _DEFINITION_VERDICTS[key]


def _judge(question, tracks) -> None:
    for t in _open(tracks):
        outcome = question.judge(t.expr)
        t.verdict, t.points = outcome["verdict"], outcome["points"]
        t.counterexample = outcome.get("counterexample")
        if outcome.get("note"):
            t.notes.append(outcome["note"])


def _parse(question, t: _Track) -> None:
    try:
        if t.claim.parsed is not None:
            question.check_free_indices(t.claim.parsed)
            t.expr = t.claim.parsed
        elif t.claim.relation == approximation.RELATION:
            t.expr, t.tolerance = approximation.read(t.claim.text)
        else:
            t.expr = question.parse(t.claim.text)
        if t.claim.transposed:
            t.expr = sympy.Transpose(t.expr)
    except ClaimError as error:
        t.verdict, t.reason = "error", f"the claim does not parse: {error}"


def _open(tracks) -> list[_Track]:
    return [t for t in tracks if t.verdict is None]


# -- numeric side ---------------------------------------------------------------

class _LazyReference:
    """The symbolic reference at one size, derived only when first needed.

    At the proof sizes it is needed anyway (self-check, proof).  At the random
    sizes the evidence is claim against oracle, and deriving a reference there
    (an L-layer network, a 5×5 parametrised orthogonal matrix) could cost more
    than the whole run; it is derived only to recheck a candidate
    counterexample found at that size.
    """

    def __init__(self, question, inst):
        self.question, self.inst, self._value, self._done = question, inst, None, False
        self._zeros = None
        #: the reference was exactly 0 everywhere at every proof size before this one
        self.zero_so_far = False

    def get(self):
        if not self._done:
            self._value, self._done = self.question.reference(self.inst), True
        return self._value

    def zeros(self, shape: tuple) -> np.ndarray | None:
        """Which entries of the quantity are exactly 0 (computed once): from the derived reference, or,
        where it is not derived, all of them when the reference was 0 at every proof size; else None."""
        if self._zeros is None and self._done and self._value is not None:
            self._zeros = _exact_zeros(self._value)
        if self._zeros is None and not self._done and self.zero_so_far:
            return np.ones(shape, dtype=bool)
        return self._zeros


def _numeric(entry: Entry, question, tracks) -> None:
    rng = np.random.default_rng(entry.seed)
    proof_sizes = question.proof_sizes()
    zero = True  # is the reference exactly 0 everywhere at the proof sizes (for the error statistic only)?
    for sizes in question.instances(rng):
        inst = Instance(entry.notation, sizes)
        points = inst.sample(rng, question.points_per_instance)
        oracle = np.asarray(question.oracle_values(inst, points), dtype=float)
        reference = _LazyReference(question, inst)
        reference.zero_so_far = zero
        if sizes in proof_sizes:
            derived = reference.get()
            if derived is not None:
                _self_check(entry, question, inst, points, derived, oracle, reference.zeros(derived.shape))
            zero = zero and derived is not None and bool(reference.zeros(derived.shape).all())
        usable = np.isfinite(oracle.reshape(points.count, -1)).all(axis=1)
        for t in _open(tracks):
            if t.claim.relation == "=":
                _compare(question, inst, points, oracle, reference, usable, t)
            elif t.claim.relation == approximation.RELATION:
                approximate(question, inst, points, oracle, reference, usable, t)
            else:
                search_bound(question, inst, rng, reference, t)


def _self_check(entry, question, inst, points, reference, oracle, zeros) -> None:
    values = _reference_numeric(inst, points, reference)
    scale = point_scale(oracle)
    ok = close(values, oracle, scale, question.rtol, question.atol) | ~np.isfinite(oracle)
    ok |= _rounded_zero(zeros, oracle, points)
    if not ok.all():
        k, *idx = np.argwhere(~ok)[0]
        raise EntryFault(
            f"the entry's symbolic model and its numeric oracle disagree at {inst.label() or 'the fixed sizes'}, "
            f"point {points.describe(int(k))}, entry {tuple(int(i) for i in idx)}: reference "
            f"{values[(k, *idx)]:.12g}, oracle {oracle[(k, *idx)]:.12g}. Fix the forward model or the oracle "
            f"in {_entry_file(entry)} for {entry.id!r}.")


def _entry_file(entry) -> str:
    """The file an entry is written in, as a message names it (a user's catalogue is not derivations/)."""
    path = getattr(entry, "path", "")
    return path.rsplit("/", 1)[-1] if path else "the entry file"


def _exact_zeros(reference) -> np.ndarray:
    return np.vectorize(lambda e: sympy.sympify(e) == 0, otypes=[bool])(np.asarray(reference, dtype=object))


def _rounded_zero(zeros: np.ndarray, values: np.ndarray, points) -> np.ndarray:
    """Where the reference is exactly 0 (``zeros``), a floating-point evaluation computes it by
    cancellation (Σ(X_i − μ) gives 2e-16): 0 to within ROUNDING of the size of the point's coordinates."""
    if not zeros.any():
        return np.zeros(np.shape(values), dtype=bool)
    sizes = [np.abs(np.asarray(v, dtype=float)).reshape(points.count, -1).max(axis=1) for v in points.values.values()
             if np.size(v)]
    inputs = np.maximum.reduce(sizes) if sizes else np.zeros(points.count)
    bound = ROUNDING * np.maximum(1.0, inputs).reshape((-1,) + (1,) * (np.ndim(values) - 1))
    return zeros.reshape((1,) + zeros.shape) & (np.abs(values) <= bound)


def _both_rounded_zero(reference, points, values, oracle) -> np.ndarray:
    """Where the reference is exactly 0 and claim and oracle are both 0 to rounding, the relative error
    is 0/0: it counts as 0, not as the 100% that two rounding residues would give (``zeros`` of
    _LazyReference says where).  This is the reported error only: the verdict never rests on it (a
    disagreement is still rechecked)."""
    zeros = reference.zeros(np.shape(oracle)[1:]) if isinstance(reference, _LazyReference) else None
    if zeros is None:
        return np.zeros(np.shape(oracle), dtype=bool)
    return _rounded_zero(zeros, oracle, points) & _rounded_zero(zeros, np.where(np.isfinite(values), values,
                                                                                 np.inf), points)


def _reference_numeric(inst: Instance, points, reference: np.ndarray) -> np.ndarray:
    ev = Evaluator(inst.notation, NumpyBackend(points.count), inst.explicit_numpy_values(points), inst.sizes)
    out = np.empty((points.count, *reference.shape))
    for idx in np.ndindex(reference.shape):
        out[(slice(None), *idx)] = as_batch(ev(sympy.sympify(reference[idx])), points.count)
    return out


def _compare(question, inst, points, oracle, reference, usable, t: _Track) -> None:
    try:
        values, halfwidth = question.claim_interval(t.expr, inst, points)
    except ShapeMismatch as mismatch:
        t.verdict = "refuted"
        t.counterexample = Counterexample(inst.sizes, {}, None, f"shape {dims(mismatch.got)}",
                                          f"shape {dims(mismatch.wanted)}", 0, str(mismatch))
        return
    except IllFormed as error:
        t.verdict = "refuted"
        t.counterexample = Counterexample(inst.sizes, {}, None, "undefined", "defined", 0,
                                          f"the claim is not defined{where(inst)}: {error}")
        return
    except EvaluationError as error:
        t.verdict, t.reason = "error", f"the claim cannot be evaluated{where(inst)}: {error}"
        return
    scale = point_scale(oracle)
    with np.errstate(all="ignore"):
        ok = close(values, oracle, scale, question.rtol, question.atol) | (np.abs(values - oracle) <= halfwidth)
        ok = ok | ~usable.reshape((-1,) + (1,) * (ok.ndim - 1))
        # Normwise relative error: against the larger of the two at the point, so
        # a claim that is nonzero where the quantity vanishes reads as 100%.
        err = np.abs(values - oracle) / np.maximum(scale, point_scale(np.where(np.isfinite(values), values, 0)))
        err = np.where(np.isfinite(values), err, np.inf)  # a claim undefined where the quantity is not
        err = np.where(_both_rounded_zero(reference, points, values, oracle), 0.0, err)
    t.points += int(usable.sum())
    t.sizes.append(inst.sizes)
    if usable.any():
        t.worst = max(t.worst, float(np.max(np.where(usable.reshape((-1,) + (1,) * (err.ndim - 1)), err, 0))))
    _refute_at(question, inst, points, reference, t, np.argwhere(~ok))


def _refute_at(question, inst, points, reference, t: _Track, candidates) -> None:
    """Recheck float64 disagreements in high precision: the first that survives
    refutes the claim.  A point where the claim is too large even for the
    high-precision evaluator (exp of exp of ...) is skipped for the next; if
    every candidate is such a point, the overflow itself is the counterexample."""
    overflowed = None
    for k, *idx in candidates[:MAX_RECHECKS]:
        try:
            cx = _recheck(question, inst, points, int(k), tuple(int(i) for i in idx), t, reference)
        except (OverflowError, MemoryError):
            overflowed = overflowed if overflowed is not None else int(k)
            continue
        if cx is not None:
            t.verdict, t.counterexample = "refuted", cx
            return
        t.notes.append(f"float64 disagreement at point {int(k)}{where(inst)} vanished in high precision")
        return
    if overflowed is not None:
        t.verdict = "refuted"
        t.counterexample = Counterexample(inst.sizes, question.describe_point(points, overflowed), None,
                                          "too large to compute", "finite", 0,
                                          "the claim overflows (even in high precision) where the quantity is finite")


def _recheck(question, inst, points, k, idx, t, reference) -> Counterexample | None:
    """The exact value of claim and reference at point k; a counterexample if they differ."""
    if isinstance(reference, _LazyReference):
        reference = reference.get()
    claimed, ref = question.exact_pair(t.expr, inst, points, k, reference)
    if not precision.agree(claimed[idx], ref[idx]):
        bad = idx
    else:
        bad = precision.first_disagreement(claimed, ref)
        if bad is None:
            return None
    entry = [i + o for i, o in zip(bad, _origins(question, len(bad)))] if bad else None
    cx = Counterexample(inst.sizes, question.describe_point(points, k), entry, precision.show(claimed[bad]),
                        precision.show(ref[bad]), precision.DIGITS,
                        exact=precision.is_exact(claimed[bad]) and precision.is_exact(ref[bad]))
    cx.difference = precision.show(precision.numeric(claimed[bad]) - precision.numeric(ref[bad]))
    return cx


def _origins(question, n: int) -> tuple:
    """Counterexample entries are counted from 1, row first, everywhere (the
    sheets' own notation); the report turns them into index values."""
    return (1,) * n


# -- symbolic side --------------------------------------------------------------

def _symbolic(question, tracks, budget: float) -> None:
    sizes_list = question.proof_sizes()
    for t in tracks:
        if t.verdict == "error" or t.expr is None:
            continue
        refuted = t.verdict == "refuted"
        if t.claim.relation == approximation.RELATION and t.verdict is None:
            approximation_proof(question, t, sizes_list)
        if t.claim.relation != "=":
            if t.verdict is None:
                t.verdict = "confirmed" if t.points else "undecided"
            continue
        seconds = REFUTED_BUDGET if refuted else budget
        proof = _prove(question, t, sizes_list, seconds, cheap=refuted)
        if proof is None:  # the question has no symbolic reference
            if t.verdict is None:
                t.verdict = "confirmed" if t.points else "undecided"
                if not t.points:
                    t.reason = "no numeric evidence and no symbolic reference"
            continue
        if refuted:
            # The cheap cascade on a refuted claim only watches for an engine
            # fault; its (timing-dependent) outcome is not evidence to record.
            if proof.proved:
                _engine_fault(t, "the cascade proved a claim that a high-precision counterexample refutes")
            t.proof, t.proof_sizes = None, []
            continue
        if proof.timed_out:
            t.verdict, t.reason = "undecided", proof.reason
            continue
        if proof.proved:
            _cross_examine(question, t, sizes_list[0])
            if t.verdict is None:
                t.verdict = "proved"
            continue
        _search_high_precision(question, t)
        if t.verdict is None:
            if t.points:
                t.verdict = "confirmed"
            else:
                t.verdict, t.reason = "undecided", proof.reason


def _prove(question, t: _Track, sizes_list, seconds, cheap: bool) -> Proof | None:
    budget = Budget(seconds)  # one guard for the claim, across its sizes
    last = None
    for sizes in sizes_list:
        inst = Instance(question.notation, sizes)
        reference = question.reference(inst)
        if reference is None:
            return None
        try:
            claim = question.claim_explicit(t.expr, inst, question.kept(inst))
        except (ShapeMismatch, IllFormed):
            return Proof(False, reason="the claim is not defined at these sizes")
        except EvaluationError as error:
            return Proof(False, reason=str(error))
        context = question.proof_context(inst)
        last = prove(claim, reference, context, budget, cheap=cheap)
        t.proof_sizes.append(sizes)
        if not last.proved:
            t.proof = last
            return last
    t.proof = last
    return last


def _cross_examine(question, t: _Track, sizes) -> None:
    """A proof must survive one exact evaluation; if not, the engine is at fault."""
    inst = Instance(question.notation, sizes)
    rng = np.random.default_rng(1)
    points = inst.sample(rng, 1)
    reference = question.reference(inst)
    claimed, ref = question.exact_pair(t.expr, inst, points, 0, reference)
    if precision.first_disagreement(claimed, ref) is not None:
        _engine_fault(t, "the cascade proved a claim that differs from the reference at an exact point")


def _search_high_precision(question, t: _Track) -> None:
    """Differences below float64's reach: exact evaluation at a few points."""
    sizes = question.proof_sizes()[0]
    inst = Instance(question.notation, sizes)
    reference = question.reference(inst)
    if reference is None:
        return
    points = inst.sample(np.random.default_rng(2), HP_SEARCH_POINTS)
    for k in range(points.count):
        try:
            cx = _recheck(question, inst, points, k, next(np.ndindex(reference.shape)), t, reference)
        except (EvaluationError, ZeroDivisionError, TypeError, ValueError):
            return
        if cx is not None:
            cx.note = f"the difference, {cx.difference}, is below float64 resolution"
            t.verdict, t.counterexample = "refuted", cx
            return
    _search_thresholds(question, inst, reference, t)


def _search_thresholds(question, inst, reference, t: _Track) -> None:
    """A piecewise claim is also checked exactly at its own thresholds (thresholds.py)."""
    points = threshold_points(inst, t.expr, np.random.default_rng(3))
    for k in range(points.count if points is not None else 0):
        try:
            cx = _recheck(question, inst, points, k, next(np.ndindex(reference.shape)), t, reference)
        except (EvaluationError, ZeroDivisionError, TypeError, ValueError, OverflowError):
            continue  # a point where the claim cannot be evaluated is no evidence either way
        if cx is not None:
            cx.note = "at one of the claim's own thresholds, where random points did not fall"
            t.verdict, t.counterexample = "refuted", cx
            return


def _engine_fault(t: _Track, what: str) -> None:
    t.verdict = "error"
    t.reason = f"ENGINE FAULT: {what}. This is a bug in symcheck; please report it with this entry and claim."


def _result(t: _Track) -> ClaimResult:
    c = t.claim
    symbolic = None
    if t.proof is not None:
        symbolic = {"proved": t.proof.proved, "stage": t.proof.stage, "seconds": round(t.proof.seconds, 4),
                    "sizes": t.proof_sizes, "reason": t.proof.reason}
    evidence = Evidence(t.points, t.worst, t.sizes, symbolic, t.counterexample, t.notes, t.margin)
    seconds = t.proof.seconds if t.proof is not None else 0.0
    return ClaimResult(c.label, c.text, c.latex, t.verdict or "undecided", c.expect, evidence,
                       t.reason, round(seconds, 4), c.source, c.note, c.corrects, c.chain)
