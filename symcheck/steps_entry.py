"""A chain read in a catalogue entry's notation, judged step by step.

See stepwise.py for the method.  The verification machinery is the verifier's
own (``verify_entry``): every line is a claim about the entry's quantity, so
its evidence (sampled points, proof, a counterexample rechecked to 50 digits,
the diagnosis of a common mistake) is exactly what ``check`` would give it.
A step between two lines that both differ from the quantity is judged with
the earlier line standing in for the reference (``_LineAsReference``).
"""
from __future__ import annotations

import dataclasses
import re

from symcheck import approximation
from symcheck.chain_text import APPROX, Chain
from symcheck.checking import parse_user_claim
from symcheck.entry import Claim
from symcheck.errors import ClaimError
from symcheck.stepwise import ChainResult, Step
from symcheck.verdicts import HOLDS
from symcheck.verifier import verify_entry

#: the line that names the quantity (``\frac{\partial E}{\partial x}``): it holds by definition
NAMED = "named"
#: how a derivative is named (∂E/∂x, \frac{dE}{dx}, \nabla_x E, dE/dx): a first line spelt so that cannot be
#: read as an expression names the quantity asked; any other unreadable line is an error
_NAMES_A_DERIVATIVE = re.compile(r"\\partial|\\nabla|∂|∇|\\frac\s*\{\s*d|^\s*d\w*\s*/\s*d\w+\s*$")
_CLAIM_RELATION = {"=": "=", "<=": "<=", ">=": ">=", APPROX: approximation.RELATION}


class _LineAsReference:
    """The entry's question, with one line of the chain as its reference.

    Everything else (the notation, the sizes, the layout, how a claim is
    evaluated) is the question's own, so two lines are compared exactly as a
    claim is compared with the quantity."""

    def __init__(self, question, expr):
        self.__dict__.update(_question=question, _expr=expr, _references={})

    def __getattr__(self, name):
        return getattr(self._question, name)

    def bind(self, entry) -> None:  # the question stays bound to its own entry
        pass

    def reference(self, inst):
        key = tuple(sorted(inst.sizes.items()))
        if key not in self._references:
            self._references[key] = self.derive_reference(inst)
        return self._references[key]

    def derive_reference(self, inst):
        return self._question.claim_explicit(self._expr, inst, self._question.kept(inst))

    def oracle_values(self, inst, points):
        return self._question.claim_numeric(self._expr, inst, points)


def judge_in_entry(chain: Chain, entry, *, latex: bool, budget: float) -> ChainResult:
    question = entry.asks
    question.bind(entry)
    if hasattr(question, "judge") or getattr(question, "kind", "") == "behaviour":
        raise ClaimError(f"entry {entry.id!r} asks for parameter values, not an expression: a chain cannot answer it")
    strict = [r for r in chain.relations if r in ("<", ">")]
    if strict:
        raise ClaimError(f"a strict inequality ({strict[0]}) cannot be judged against an entry, whose bounds "
                         f"are ≤ and ≥; write \\le or \\ge")
    exprs = _read_lines(chain, entry, latex)
    lines = _judge_lines(entry, chain, exprs, budget)
    result = ChainResult(chain.lines, entry=entry.id, named=exprs[0] is NAMED)
    for k, relation in enumerate(chain.relations):
        result.steps.append(_step(entry, chain, exprs, lines, k, relation, budget))
    result.reference = _against_reference(entry, chain, exprs, lines, budget)
    return result


def _read_lines(chain: Chain, entry, latex: bool) -> list:
    exprs = []
    for k, line in enumerate(chain.lines):
        if k and chain.relations[k - 1] == APPROX:
            approximation.read(line)  # the decimal as written; refused with its own message
            exprs.append(None)
            continue
        try:
            exprs.append(parse_user_claim(entry, line, latex))
        except ClaimError as error:
            if k == 0 and _NAMES_A_DERIVATIVE.search(line):  # the quantity's name: \frac{\partial E}{\partial x}
                exprs.append(NAMED)
                continue
            raise ClaimError(f"line {k + 1} of the chain: {error}") from None
    if exprs[0] is NAMED and len(exprs) > 1 and exprs[1] is None:
        raise ClaimError("line 2 of the chain is a decimal; write an expression first")
    return exprs


def _judge_lines(entry, chain: Chain, exprs: list, budget: float) -> dict:
    """Each expression line against the quantity asked, in one verification."""
    claims = [Claim(text=str(e), latex=chain.lines[k], label=f"line {k + 1}", expect=None, source="user", parsed=e)
              for k, e in enumerate(exprs) if e is not None and e is not NAMED]
    if not claims:
        return {}
    results = verify_entry(entry, claims, budget=budget).claims
    return {int(r.label.split()[1]) - 1: r for r in results}


def _step(entry, chain: Chain, exprs, lines: dict, k: int, relation: str, budget: float) -> Step:
    step = Step(k + 1, relation, chain.lines[k], chain.lines[k + 1], "undecided")
    a, b = _line_verdict(exprs, lines, k), _line_verdict(exprs, lines, k + 1)
    if relation == "=" and a is not None and b is not None:
        if a in HOLDS + (NAMED,) and b in HOLDS + (NAMED,):
            return _both_hold(step, lines, k)
        if a in HOLDS + (NAMED,) and b == "refuted":
            return _one_refuted(step, lines[k + 1], k + 2, k + 1, claimed_is_rhs=True)
        if a == "refuted" and b in HOLDS:
            return _one_refuted(step, lines[k], k + 1, k + 2, claimed_is_rhs=False)
        if "error" in (a, b) or "undecided" in (a, b):
            bad = lines.get(k) if a in ("error", "undecided") else lines.get(k + 1)
            step.verdict, step.reason = bad.verdict, bad.reason or bad.evidence.summary()
            return step
    return _direct(step, entry, exprs, lines, k, relation, budget)


def _line_verdict(exprs, lines: dict, k: int):
    if exprs[k] is NAMED:
        return NAMED
    return lines[k].verdict if k in lines else None


def _both_hold(step: Step, lines: dict, k: int) -> Step:
    verdicts = [lines[j].verdict for j in (k, k + 1) if j in lines]
    step.verdict = "confirmed" if "confirmed" in verdicts else "proved"
    said = [f"line {j + 1} {lines[j].verdict} ({lines[j].evidence.summary()})" for j in (k, k + 1) if j in lines]
    if k not in lines:  # line 1 names the quantity
        step.summary = f"line {k + 2} equals the quantity line 1 names: " + said[0]
    else:
        step.summary = "both lines equal the quantity asked: " + "; ".join(said)
    return step


def _one_refuted(step: Step, wrong, wrong_line: int, right_line: int, claimed_is_rhs: bool) -> Step:
    step.verdict = "refuted"
    step.diagnosis = f"line {wrong_line}: {wrong.diagnosis}" if wrong.diagnosis else None
    cx = wrong.evidence.counterexample
    step.summary = (f"line {wrong_line} differs from the quantity asked, which line {right_line} equals; "
                    + wrong.evidence.summary())
    step.reason = wrong.reason
    step.counterexample = _counterexample(cx, claimed_is_rhs)
    return step


def _direct(step: Step, entry, exprs, lines: dict, k: int, relation: str, budget: float) -> Step:
    """Judge line k + 1 against line k (or, after the quantity's name, against the reference)."""
    if exprs[k] is NAMED:
        target = entry
    else:
        target = dataclasses.replace(entry, asks=_LineAsReference(entry.asks, exprs[k]))
    claim = _claim(exprs[k + 1], step.rhs, k + 2, relation)
    outcome = verify_entry(target, [claim], budget=budget)
    result = outcome.claims[0]
    step.verdict = result.verdict
    step.summary = result.evidence.summary()
    step.reason = result.reason or (outcome.error if result.verdict == "error" else "")
    step.diagnosis = f"line {k + 2}: {result.diagnosis}" if exprs[k] is NAMED and result.diagnosis else None
    step.counterexample = _counterexample(result.evidence.counterexample, True)
    return step


def _claim(expr, text: str, number: int, relation: str) -> Claim:
    if relation == APPROX:
        return Claim(text=approximation.split("\\approx " + text) or text, label=f"line {number}", expect=None,
                     source="user", relation=approximation.RELATION)
    return Claim(text=str(expr), latex=text, label=f"line {number}", expect=None, source="user", parsed=expr,
                 relation=_CLAIM_RELATION[relation])


def _against_reference(entry, chain: Chain, exprs, lines: dict, budget: float) -> dict | None:
    """The last line against the quantity, by the relation the whole chain states."""
    relations = set(chain.relations)
    last = len(exprs) - 1
    if relations == {"="}:
        result = lines[last]
    elif relations <= {"=", "<="} or relations <= {"=", ">="} or (
            chain.relations[-1] == APPROX and set(chain.relations[:-1]) <= {"="}):
        overall = APPROX if APPROX in relations else ("<=" if "<=" in relations else ">=")
        result = verify_entry(entry, [_claim(exprs[last], chain.lines[last], last + 1, overall)], budget=budget).claims[0]
    else:
        return {"verdict": "undecided", "relation": None, "evidence": "",
                "reason": "the chain mixes ≤ and ≥ (or ≈ before its last step): its last line bounds nothing"}
    return {"verdict": result.verdict, "relation": _relation_of(relations), "evidence": result.evidence.summary(),
            "reason": result.reason, "diagnosis": result.diagnosis,
            "counterexample": _counterexample(result.evidence.counterexample, True)}


def _relation_of(relations: set) -> str:
    for r in (APPROX, "<=", ">="):
        if r in relations:
            return r
    return "="


def _counterexample(cx, claimed_is_rhs: bool) -> dict | None:
    """Both sides of the step at the counterexample: the claimed value is the
    line that was judged, the reference value the line (or quantity) it was judged against."""
    if cx is None:
        return None
    left, right = (cx.reference, cx.claimed) if claimed_is_rhs else (cx.claimed, cx.reference)
    data = {"sizes": cx.sizes, "point": cx.point, "entry": cx.entry, "lhs": left, "rhs": right,
            "digits": cx.digits, "exact": cx.exact, "describe": cx.describe()}
    if cx.note:
        data["note"] = cx.note
    return data
