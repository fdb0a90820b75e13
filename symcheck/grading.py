"""Grading a class: many students' answers to one entry, judged as one batch.

The work is shared three ways.  Answers that normalise to the same text are
judged once (grade_cache.normalise); a judgement from an earlier run is read
from the grading cache; and what is left is judged by warm worker processes
(grade_pool), forked after the parent has verified the entry's own claims, so
each worker starts with the entry's reference, sample points and compiled
functions already built.  Each answer is judged by ``check_claim``, exactly as
``symcheck check`` judges it, so a grade is the verdict a check would give.

A row's verdict depends only on the entry and the normalised answer: never on
``--jobs``, on the order of the input, or on which worker judged it.
"""
from __future__ import annotations

import functools
import time
from collections import Counter
from dataclasses import asdict, dataclass, field

from symcheck import grade_cache, grade_pool
from symcheck.errors import ClaimError, SymcheckError
from symcheck.grade_inputs import Submission
from symcheck.verdicts import VERDICTS


@dataclass
class Row:
    index: int
    student: str
    answer: str
    verdict: str
    reason: str = ""
    diagnosis: str | None = None
    mistake: str | None = None
    counterexample: str = ""
    evidence: str = ""
    seconds: float = 0.0
    #: "judged" here, "duplicate" of an answer judged here (the same after normalisation),
    #: "equivalent" to one judged (the same parsed expression), or read from the "cache"
    source: str = "judged"
    #: the answer could not be read: not wrong, unreadable (PrairieLearn's format error)
    format_error: bool = False

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Batch:
    entry: str
    latex: bool
    total: int
    rows: list = field(default_factory=list)
    seconds: float = 0.0
    #: the Ctrl-C (or SIGTERM) that stopped the batch early, re-raised once the rows are written
    interrupted: BaseException | None = None

    def summary(self) -> dict:
        return summarise(self.rows, self.total, self.seconds)


def summarise(rows: list, total: int, seconds: float) -> dict:
    counts = Counter(r.verdict for r in rows)
    mistakes = Counter(r.mistake for r in rows if r.mistake)
    example = {}
    for r in rows:
        if r.mistake and r.mistake not in example:
            example[r.mistake] = r.diagnosis
    sources = Counter(r.source for r in rows)
    return {"answers": total, "graded": len(rows), "seconds": round(seconds, 3),
            "verdicts": {v: counts.get(v, 0) for v in VERDICTS},
            "format_errors": sum(r.format_error for r in rows),
            "mistakes": [{"mistake": m, "count": n, "example": example[m]} for m, n in
                         sorted(mistakes.items(), key=lambda item: (-item[1], item[0]))],
            "judged": sources.get("judged", 0), "duplicates": sources.get("duplicate", 0),
            "equivalent": sources.get("equivalent", 0), "cached": sources.get("cache", 0)}


# -- one answer (runs in a worker) --------------------------------------------------------

def judge(entry, text: str, latex: bool, budget: float) -> dict:
    """One answer's judgement, as plain data: what ``symcheck check`` would say."""
    from symcheck.checking import check_claim

    start = time.monotonic()
    try:
        result, _ = check_claim(entry, text, latex=latex, budget=budget)
    except ClaimError as error:
        return judgement("error", str(error), start, format_error=True)
    except SymcheckError as error:
        return judgement("error", str(error), start)
    counterexample = result.evidence.counterexample
    return {"verdict": result.verdict, "reason": result.reason or "", "diagnosis": result.diagnosis,
            "mistake": result.mistake, "counterexample": counterexample.describe() if counterexample else "",
            "evidence": result.evidence.summary(), "seconds": round(time.monotonic() - start, 4),
            # as in 'symcheck check': a claim that cannot even be evaluated is unreadable input
            "format_error": result.verdict == "error" and (result.reason or "").startswith("the claim")}


def judgement(verdict: str, reason: str, start: float | None = None, format_error: bool = False) -> dict:
    seconds = round(time.monotonic() - start, 4) if start is not None else 0.0
    return {"verdict": verdict, "reason": reason, "diagnosis": None, "mistake": None, "counterexample": "",
            "evidence": "", "seconds": seconds, "format_error": format_error}


def _judge_in_worker(entry, latex: bool, budget: float, shared: bool, text: str) -> dict:
    """Judge one answer, unless an equivalent spelling of it was judged already.

    Two answers that parse to the same SymPy expression get the same verdict
    (``check_claim`` judges the expression it parsed), so with the cache on,
    the judgement is also filed under the parsed form, and found there by any
    later spelling: ``sigma(x)*dEdy*(1 - sigma(x))`` after ``dEdy*sigma(x)*(1-sigma(x))``."""
    form = parsed_form(entry, text, latex, budget) if shared else None
    if form is not None:
        hit = grade_cache.lookup(entry, latex, budget, form, kind="parsed")
        if hit is not None:
            return dict(hit, seconds=0.0, equivalent=True)
    outcome = judge(entry, text, latex, budget)  # looked up at call time: a test may plant a crash
    if form is not None:
        grade_cache.store(entry, latex, budget, form, outcome, kind="parsed")
    return outcome


def parsed_form(entry, text: str, latex: bool, budget: float) -> str | None:
    """The answer's parsed expression as a cache key, or None (unreadable, approximate, or slow to read)."""
    import sympy

    from symcheck import approximation
    from symcheck.budget import Budget
    from symcheck.checking import parse_user_claim
    from symcheck.errors import BudgetExceeded

    if approximation.split(text) is not None:
        return None
    try:
        with Budget(min(budget, 2.0)).guard():  # this worker's own timer: reading is cheap or it is skipped
            return sympy.srepr(parse_user_claim(entry, text, latex))
    except (SymcheckError, BudgetExceeded, RecursionError, ValueError, TypeError):
        return None


# -- the batch --------------------------------------------------------------------------

def grade(entry, submissions: list[Submission], latex: bool = False, jobs: int | None = None,
          budget: float | None = None, cache: bool = True) -> Batch:
    """Grade every submission; rows come back in input order.  A Ctrl-C stops the batch with the
    rows finished so far and ``Batch.interrupted`` set."""
    from symcheck.checking import CHECK_BUDGET
    from symcheck.runs import default_jobs

    budget = budget or CHECK_BUDGET
    start = time.monotonic()
    batch = Batch(entry.id, latex, len(submissions))
    groups: dict = {}  # normalised answer -> its submissions, in input order
    for s in submissions:
        groups.setdefault(grade_cache.normalise(s.answer, latex), []).append(s)
    rows: dict = {}

    def settle(answer: str, verdict: dict, source: str) -> None:
        for k, s in enumerate(groups[answer]):
            seconds = verdict["seconds"] if k == 0 and source == "judged" else 0.0
            rows[s.index] = Row(s.index, s.student, s.answer, **dict(verdict, seconds=seconds),
                                source=source if k == 0 or source == "cache" else "duplicate")

    todo = []
    for answer in groups:
        if not answer:
            settle(answer, judgement("error", "the answer is empty", format_error=True), "judged")
            continue
        hit = grade_cache.lookup(entry, latex, budget, answer) if cache else None
        if hit is not None:
            settle(answer, hit, "cache")
        else:
            todo.append((answer, answer))

    def finished(answer: str, outcome: dict) -> None:
        source = "equivalent" if outcome.pop("equivalent", False) else "judged"
        if "crash" in outcome:
            outcome = judgement("error", outcome["crash"])
        elif cache:
            grade_cache.store(entry, latex, budget, answer, outcome)
        settle(answer, outcome, source)

    jobs = jobs or default_jobs()
    try:
        if todo:
            if len(todo) > jobs:  # some worker judges several answers: worth starting them warm
                prepare(entry, latex, budget)
            work = functools.partial(_judge_in_worker, entry, latex, budget, cache)
            grade_pool.run(todo, work, jobs, 2 * budget + grade_pool.GRACE_SECONDS, finished)
    except BaseException as stop:  # noqa: BLE001 - Ctrl-C, SIGTERM: keep what is finished
        batch.interrupted = stop
    batch.rows = [rows[i] for i in sorted(rows)]
    batch.seconds = time.monotonic() - start
    return batch


def prepare(entry, latex: bool, budget: float) -> None:
    """Warm this process before the workers fork from it: verify the entry's own claims (trusted
    catalogue text), one wrong claim (the diagnosis tables) and, for LaTeX, read the sheet's LaTeX.

    Pure speed: anything that goes wrong here is left for the workers to meet and report."""
    from symcheck.entry import Claim
    from symcheck.verifier import verify_entry

    budget = min(budget, 2.0)  # the catalogue's slowest proof takes ~1.5 s; warming needs no more
    try:
        verify_entry(entry, budget=budget)
        first = next((c for c in entry.claims if c.relation == "="), None)
        if first is not None:
            wrong = Claim(f"2*({first.text})", label="warm-up", expect=None, source="user")
            verify_entry(entry, [wrong], budget=budget)
        if latex:
            from symcheck.checking import parse_user_claim

            for claim in entry.claims:
                if claim.latex:
                    try:
                        parse_user_claim(entry, claim.latex, latex=True)
                    except SymcheckError:
                        pass
    except Exception:  # noqa: BLE001 - see the docstring
        pass


# -- shards ---------------------------------------------------------------------------

def in_shard(student: str, shard: tuple[int, int]) -> bool:
    """Shard K of N (from 1) holds the students whose stable hash is K-1 modulo N."""
    import hashlib

    k, n = shard
    return int.from_bytes(hashlib.sha256(student.encode("utf-8")).digest()[:8], "big") % n == k - 1
