"""Say what is wrong: name the common mistake behind a refuted claim.

When a claim is refuted, the mistakes of the table in mistakes.py are tried
against the reference, phase by phase, and the first that matches is named:
"your claim equals the reference with the sign flipped", "... with W
transposed", "... times n: a sum over the n terms where the reference
averages".

**The reference, written down.**  A mistake is a transform of an expression
(drop a term, transpose W, shift an index), and the engine's reference is an
explicit array at each size.  So the transforms act on *reference forms*:
abstract expressions in the entry's notation known to equal the reference,
namely the entry's own claims recorded as proved or confirmed (corrections
first, then the last steps of chains first) and, for a value question, the
quantity as the question states it; each also with its definitions expanded.
A form is used only after it agreed with the engine's reference (or, without
one, the oracle) at every sampled point.

**A match is earned, never guessed.**  A claim C matches a mutated reference M
only if

1. C and M agree at every sampled point (8 points at each of two sizes: the
   first and the last of the entry's proof sizes, or with one proof size, it
   and a random size of the entry's), to a relative 1e-9;
2. C differs from the reference itself at one of those points (a claim that
   agrees with the reference there has no mistake to name); and
3. C and M are equal at one of the points in exact rational arithmetic, or to
   50 digits (the same recheck as a counterexample, precision.py).

A factor of a size (a sum for a mean, a missing 1/n) is named only for a size
that takes two values among the samples: where n is always 3, "times n" and
"times 3" cannot be told apart.  A claim judged by Monte Carlo (an expectation
over a normal variable) is not diagnosed.

**Cheap, and never in the way.**  Diagnosis runs only on refuted claims, after
the verdict is final, and only adds the ``diagnosis`` text and the
``mistake`` name to the result: it never changes a verdict.  It stops at the
first confirmed match, rewrites at most the STRUCTURAL_FORMS forms closest
to the claim's own symbols, evaluates at most MAX_CANDIDATES mutated
references, skips any whose evaluation raises, and gives up after BUDGET
seconds (or at the verifier's deadline).  Any error inside it means no
diagnosis, never a failed check.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import sympy
from sympy import Indexed, MatrixExpr, MatrixSymbol

from symcheck import mistakes, precision
from symcheck.errors import ClaimError, SymcheckError
from symcheck.evaluation import Evaluator, NumpyBackend, _parsed_definition, as_batch
from symcheck.instance import Instance
from symcheck.questions.base import ShapeMismatch

POINTS = 8
MIN_POINTS = 3
RTOL = 1e-9
ATOL = 1e-12
FORMS = 4
STRUCTURAL_FORMS = 2
MAX_CANDIDATES = 150
BUDGET = 10.0
HOLDS = ("proved", "confirmed")


@dataclass(frozen=True)
class Diagnosis:
    mistake: str
    phase: str
    message: str


# -- the hook -----------------------------------------------------------------------

def diagnose_results(entry, question, tracks, results, deadline: float | None = None) -> None:
    """Add a diagnosis to each refuted claim of a verified entry (the verifier's
    hook).  ``deadline`` (time.monotonic()) keeps a check that runs under a hard
    deadline (checking.py: twice the budget) clear of it, so that a diagnosis can
    never turn a refuted claim into an undecided one."""
    for track, result in zip(tracks, results):
        if result.verdict != "refuted" or track.expr is None or track.claim.relation != "=":
            continue
        try:
            found = diagnose(entry, question, track.expr, deadline)
        except Exception:  # noqa: BLE001 - a diagnosis is a courtesy: never fail the check for it
            found = None
        if found is not None:
            result.diagnosis, result.mistake = found.message, found.mistake


def diagnose(entry, question, expr, deadline: float | None = None) -> Diagnosis | None:
    """The first mistake of the table that the claim ``expr`` is confirmed to make."""
    if hasattr(question, "judge") or _monte_carlo(question) or not isinstance(expr, sympy.Basic):
        return None
    deadline = min(time.monotonic() + BUDGET, deadline if deadline is not None else float("inf"))
    samples = _samples(entry, question, expr)
    if not samples and isinstance(expr, MatrixExpr):
        return _other_convention(entry, question, expr)
    if not samples or not any(s.differs for s in samples) or time.monotonic() > deadline:
        return None
    flipped = _transposed_vector(question, expr, samples)
    if flipped is not None:
        return flipped
    forms = _valid_forms(question, _forms(entry, question, expr), samples)
    if not forms or time.monotonic() > deadline:
        return None
    ctx = _context(question, list(forms), samples)
    seen, tried = set(), 0
    for phase in mistakes.PHASES:
        for mistake in phase.mistakes:
            for form, values in list(forms.items())[:len(forms) if mistake.once else STRUCTURAL_FORMS]:
                produced = False
                for mutated, fields, *scale in mistake.transform(form, ctx):
                    produced = True
                    if mutated in seen:
                        continue
                    seen.add(mutated)
                    tried += 1
                    if tried > MAX_CANDIDATES or time.monotonic() > deadline:
                        return None
                    scaled = _scaled_values(samples, values, scale[0]) if scale else None
                    if _matches(question, samples, expr, mutated, scaled):
                        return Diagnosis(mistake.name, phase.name, mistake.say(fields))
                if produced and mistake.once:
                    break
    return None


def _transposed_vector(question, expr, samples) -> Diagnosis | None:
    """A vector of the other orientation whose transpose is the reference: the
    question fixes the layout (questions/base.py), so this is its one mistake."""
    if not samples or not all(s.transposed and len(s.reference.shape) == 2 for s in samples):
        return None
    if not all(_agree(s.claim, s.reference, RTOL, ATOL) for s in samples):
        return None
    s = samples[0]
    try:
        reference = question.reference(s.inst)
        claimed, exact = question.exact_pair(sympy.Transpose(expr), s.inst, s.points, 0, reference)
    except Exception:  # noqa: BLE001 - no exact confirmation, no diagnosis
        return None
    if reference is None or precision.first_disagreement(claimed, exact) is not None:
        return None
    wanted = question.layout(s.inst) or "column"
    other = "row" if wanted == "column" else "column"
    return Diagnosis("transposed-layout", "convention",
                     mistakes.PREFIX + f"transposed: a {other} vector where the question asks for a {wanted} "
                                       f"vector (the other layout convention)")


def _other_convention(entry, question, expr) -> Diagnosis | None:
    """A claim that is not even defined in the sheet's layout (V Σ Uᵀ ∂E/∂h_k
    with ∂E/∂h_k a row) may be right in the other one: every vector of the
    notation read with the other orientation, and the result transposed."""
    vectors = [v for v in question.notation.variables if len(v.shape) == 1]
    swap = {question.notation.abstract(v.name): sympy.Transpose(question.notation.abstract(v.name))
            for v in vectors if expr.has(question.notation.abstract(v.name))}
    if not swap:
        return None
    swapped = expr.xreplace(swap)
    found = _transposed_vector(question, swapped, _samples(entry, question, swapped))
    if found is None:
        return None
    names = ", ".join(sorted(str(k) for k in swap))
    written = next(v.layout for v in vectors if expr.has(question.notation.abstract(v.name)))
    read = "column" if written == "row" else "row"
    return Diagnosis("transposed-layout", "convention",
                     mistakes.PREFIX + f"in the other layout convention: it reads {names} as a {read} where this "
                                       f"sheet writes a {written}, and gives the transpose of the answer")


def _monte_carlo(question) -> bool:
    """Is a claim's value a Monte Carlo estimate (an expectation over a normal
    variable)?  Then it is known only to a confidence interval: no match could
    be earned to 1e-9, and each evaluation costs thousands of draws."""
    laws = getattr(question, "over", None)
    return isinstance(laws, dict) and any(type(law).__name__ == "Normal" for law in laws.values())


# -- samples ------------------------------------------------------------------------

@dataclass
class _Sample:
    inst: Instance
    points: object
    claim: np.ndarray          # the claim's values, (P, *quantity shape)
    reference: np.ndarray      # the reference's values
    exact_reference: bool      # from the engine's reference (not the oracle)
    transposed: bool           # the claim is compared transposed (its shape is the quantity's transpose)
    differs: bool = False


def _diagnosis_sizes(question, rng) -> list:
    """[(sizes, derive the engine's reference there?)]: the first and the last
    proof sizes; with a single proof size, a random size of the entry's as well
    (where the reference is the oracle's: deriving it there could cost more
    than the whole check)."""
    proof = question.proof_sizes()
    out = [(proof[0], True)]
    if len(proof) > 1 and proof[-1] != proof[0]:
        out.append((proof[-1], True))
    else:
        other = next((s for s in question.instances(rng)[len(proof):] if s != proof[0]), None)
        if other is not None:
            out.append((other, False))
    return out


def _samples(entry, question, expr) -> list:
    rng = np.random.default_rng([entry.seed, 9])
    out = []
    for sizes, engine in _diagnosis_sizes(question, rng):
        inst = Instance(question.notation, sizes)
        points = inst.sample(rng, POINTS)
        try:
            claim, transposed = _claim_values(question, expr, inst, points)
            reference, exact = _reference_values(question, inst, points, engine)
        except Exception:  # noqa: BLE001 - a size where the claim cannot be evaluated is left out
            continue
        if claim.shape != reference.shape:
            continue
        sample = _Sample(inst, points, claim, reference, exact, transposed)
        rtol, atol = (RTOL, ATOL) if exact else (question.rtol, question.atol)
        sample.differs = transposed or not _agree(claim, reference, rtol, atol, need=1)
        out.append(sample)
    return out


def _claim_values(question, expr, inst, points) -> tuple:
    """The claim's values, and whether they are taken transposed: a matrix claim
    of the transposed shape is compared as Cᵀ with Mᵀ."""
    try:
        return np.asarray(question.claim_numeric(expr, inst, points), dtype=float), False
    except ShapeMismatch:
        if not isinstance(expr, MatrixExpr):
            raise
        return np.asarray(question.claim_numeric(sympy.Transpose(expr), inst, points), dtype=float), True


def _reference_values(question, inst, points, engine: bool) -> tuple:
    """The reference's values: (values, from the engine's exact reference?)."""
    try:
        reference = question.reference(inst) if engine else None
    except SymcheckError:
        reference = None
    if reference is None:
        return np.asarray(question.oracle_values(inst, points), dtype=float), False
    ev = Evaluator(inst.notation, NumpyBackend(points.count), inst.explicit_numpy_values(points), inst.sizes)
    out = np.empty((points.count, *reference.shape))
    for idx in np.ndindex(reference.shape):
        out[(slice(None), *idx)] = as_batch(ev(sympy.sympify(reference[idx])), points.count)
    return out, True


def _agree(a, b, rtol, atol, need=MIN_POINTS) -> bool:
    """Do two value arrays agree at every point where both are finite (and at
    ``need`` points at least)?  Relative to each entry (rtol) and to the
    largest entry at the point (atol), never absolutely: values of 1e-15
    (a gradient vanished over 49 layers) are compared as closely as values of 1."""
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    finite_a, finite_b = np.isfinite(a).all(axis=1), np.isfinite(b).all(axis=1)
    if (finite_a != finite_b).any():
        return False
    usable = finite_a & finite_b
    if usable.sum() < need:
        return False
    a, b = a[usable], b[usable]
    scale = np.maximum(np.abs(a).max(axis=1, initial=0), np.abs(b).max(axis=1, initial=0))[:, None]
    with np.errstate(all="ignore"):
        return bool((np.abs(a - b) <= atol * scale + rtol * np.maximum(np.abs(a), np.abs(b))).all())


# -- reference forms ----------------------------------------------------------------

def _forms(entry, question, expr) -> list:
    """Abstract expressions of the reference: the entry's claims that hold
    (corrections first, then chains from their last step), the question's own
    quantity, each also with its definitions expanded; those written with the
    claim's own symbols first (a message names what the claim wrote)."""
    holding = [c for c in entry.claims if c.expect in HOLDS and c.relation == "="]
    ordered = [c for c in holding if c.source == "correction"] + \
              [c for c in reversed(holding) if c.source != "correction"]
    out = []
    for claim in ordered:
        try:
            out.append(claim.parsed if claim.parsed is not None else question.parse(claim.text))
        except (ClaimError, SymcheckError):
            continue
    model = getattr(question, "_expr", None) or getattr(getattr(question, "target", None), "_expr", None)
    if isinstance(model, sympy.Basic):
        out.append(model)
    forms = []
    for form in out[:FORMS]:
        for candidate in (form, expand_definitions(form, question.notation)):
            if candidate is not None and candidate not in forms:
                forms.append(candidate)
    wrote = _names(expr)
    return sorted(forms, key=lambda f: len(_names(f) ^ wrote))


def _names(expr) -> set:
    """The declared names an expression uses (symbols, matrices, indexed bases)."""
    out = {s.name for s in expr.atoms(sympy.Symbol)}  # bound indices too: Σ_u and Σ_p are told apart
    out |= {m.name for m in expr.atoms(MatrixSymbol)}
    out |= {i.base.label.name for i in expr.atoms(Indexed)}
    return out


def _valid_forms(question, forms, samples) -> dict:
    """{form: its values at each sample} for the forms that agree with the reference."""
    valid = {}
    for form in forms:
        try:
            values = [np.asarray(question.claim_numeric(form, s.inst, s.points), dtype=float) for s in samples]
            ok = all(v.shape == s.reference.shape and _agree(
                v, s.reference, *((RTOL * 10, ATOL * 10) if s.exact_reference else (question.rtol, question.atol)))
                for v, s in zip(values, samples))
        except Exception:  # noqa: BLE001 - a form that cannot be evaluated is not used
            ok = False
        if ok:
            valid[form] = values
    return valid


def _scaled_values(samples, values, factor) -> list | None:
    """The values of factor·form at each sample, from the form's (None: not a number)."""
    out = []
    for s, v in zip(samples, values):
        try:
            c = float(Evaluator(s.inst.notation, NumpyBackend(1), {}, s.inst.sizes)(factor))
        except Exception:  # noqa: BLE001
            return None
        out.append(c * v)
    return out


def expand_definitions(expr, notation, depth: int = 4):
    """``expr`` with every definition replaced by its body (None if it cannot
    be done safely: a bound index of a body would capture an argument)."""
    for _ in range(depth):
        subs = {}
        for d in notation.definitions:
            body = _parsed_definition(notation, d)
            if d.params:
                bound = {v for s in body.atoms(sympy.Sum, sympy.Product) for v, *_ in s.limits}
                for node in expr.atoms(Indexed):
                    if node.base.label.name != d.name or len(node.indices) != len(d.params):
                        continue
                    if any(s in bound for i in node.indices for s in i.free_symbols):
                        return None
                    params = {}
                    for p, value in zip(d.params, node.indices):
                        params[sympy.Symbol(p, integer=True)] = value
                        params[sympy.Symbol(p)] = value
                    subs[node] = body.xreplace(params)
            elif d.is_matrix:
                for m in expr.atoms(MatrixSymbol):
                    if m.name == d.name:
                        subs[m] = body
            else:
                for s in expr.free_symbols:
                    if isinstance(s, sympy.Symbol) and s.name == d.name:
                        subs[s] = body
        if not subs:
            return expr
        expr = expr.xreplace(subs)
    return None


def _context(question, forms, samples) -> mistakes.Context:
    notation = question.notation
    # a factor n is told from the number it happens to be only where n varies
    varying = tuple(s.name for s in notation.sizes if len({x.inst.sizes.get(s.name) for x in samples}) > 1)
    model = [getattr(question, name, None) for name in ("_forward", "_expr")]
    target = getattr(question, "target", None)
    if target is not None:
        model.append(getattr(target, "_expr", None))
    model = [m for m in model if isinstance(m, sympy.Basic)]
    expanded = [e for e in (expand_definitions(m, notation) for m in model) if e is not None]
    has_log = any(f.has(sympy.log) or any(type(n).__name__ in ("KL", "JSD") for n in sympy.preorder_traversal(f))
                  for f in forms)
    layout = None
    if getattr(question, "kind", "") == "gradient":
        inst = Instance(notation, question.proof_sizes()[0])
        layout = "denominator" if question._output_shape(inst) == () else "numerator"
    return mistakes.Context(
        notation=notation, question=question,
        summed_sizes=tuple(n for n in mistakes.summed_sizes([*forms, *model, *expanded], notation) if n in varying),
        upstream=mistakes.upstream_names(notation, question),
        probabilities=mistakes.probability_names(notation),
        has_log=has_log, layout=layout, sizes=varying)


# -- matching -----------------------------------------------------------------------

def _matches(question, samples, expr, mutated, scaled=None) -> bool:
    """Numerically at every sample, then exactly (or to 50 digits) at one point.
    ``scaled``: the mutated reference's values when it is a multiple of a form."""
    for k, s in enumerate(samples):
        if scaled is not None:
            if s.transposed:
                return False
            values = scaled[k]
        else:
            try:
                values = np.asarray(question.claim_numeric(sympy.Transpose(mutated) if s.transposed else mutated,
                                                           s.inst, s.points), dtype=float)
            except Exception:  # noqa: BLE001 - a mutation that cannot be evaluated is skipped
                return False
        if values.shape != s.claim.shape or not _agree(s.claim, values, RTOL, ATOL):
            return False
    return _confirmed(question, samples[0], expr, mutated)


def _confirmed(question, sample, expr, mutated) -> bool:
    claim_values = sample.claim.reshape(sample.points.count, -1)
    k = int(np.argmax(np.isfinite(claim_values).all(axis=1)))
    claim, mutated = (sympy.Transpose(expr), sympy.Transpose(mutated)) if sample.transposed else (expr, mutated)
    try:
        explicit = question.claim_explicit(mutated, sample.inst)
        claimed, reference = question.exact_pair(claim, sample.inst, sample.points, k, explicit)
        return precision.first_disagreement(claimed, reference) is None
    except Exception:  # noqa: BLE001 - a mutation that cannot be evaluated is skipped
        return False
