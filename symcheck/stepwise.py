"""Judging a chain step by step, and naming the first wrong step.

Step k relates line k to line k + 1.  Two ways to judge it:

* **Free** (no entry): each line is read with its symbols inferred, and each
  step is an identity (or inequality, or approximation) over the reals,
  judged by ``equality.compare``: refuted at a rechecked point, or proved or
  confirmed, domain-qualified where it holds only for positive values.
* **In an entry's notation** (``--entry ID``, or a chain given to ``check``):
  every line is first judged against the entry's reference in one
  verification.  A step between two lines that both equal the quantity asked
  holds (by transitivity, with the weaker of their two verdicts); a step
  between one such line and one that does not is refuted by that line's own
  counterexample (the other line's value *is* the reference there).  Only a
  step between two wrong lines, or one whose relation is not ``=``, is judged
  directly, with the earlier line standing in as the reference (``step_entry``).
  The last line is judged against the reference by the relation the chain
  accumulates (``=`` throughout; ``≤`` when every step is ``=`` or ``≤``).

A first line that cannot be read in the entry's notation (``\\frac{\\partial
E}{\\partial x}``, the quantity's own name) is taken as naming the quantity
asked: it is not judged, and step 1 judges line 2 against the reference.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from symcheck import approximation
from symcheck.chain_text import APPROX, Chain, read_chain
from symcheck.errors import ClaimError
from symcheck.verdicts import HOLDS

#: a chain's verdict, from the verdicts of its steps: the worst wins
_ORDER = ("error", "refuted", "undecided", "confirmed", "proved")


@dataclass
class Step:
    index: int
    relation: str
    lhs: str
    rhs: str
    verdict: str
    summary: str = ""
    reason: str = ""
    counterexample: dict | None = None
    diagnosis: str | None = None
    domain: dict | None = None

    def to_json(self) -> dict:
        data = {"index": self.index, "lines": [self.index, self.index + 1], "relation": self.relation,
                "lhs": self.lhs, "rhs": self.rhs, "verdict": self.verdict, "evidence": self.summary,
                "reason": self.reason}
        for key in ("counterexample", "diagnosis", "domain"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data


@dataclass
class ChainResult:
    lines: list
    steps: list = field(default_factory=list)
    entry: str | None = None
    #: the last line against the entry's reference (entry mode)
    reference: dict | None = None
    #: line 1 names the quantity asked and is not judged (entry mode)
    named: bool = False

    @property
    def first_wrong_step(self) -> int | None:
        return next((s.index for s in self.steps if s.verdict == "refuted"), None)

    @property
    def verdict(self) -> str:
        verdicts = [s.verdict for s in self.steps]
        if self.reference is not None:
            verdicts.append(self.reference["verdict"])
        return min(verdicts, key=_ORDER.index)

    def to_json(self) -> dict:
        data = {"lines": self.lines, "steps": [s.to_json() for s in self.steps],
                "first_wrong_step": self.first_wrong_step, "verdict": self.verdict}
        if self.entry is not None:
            data.update(entry=self.entry, named=self.named, reference=self.reference)
        return data


def judge_text(text: str, *, latex: bool, entry=None, assumptions=(), budget: float = 10.0) -> ChainResult:
    """Read a chain and judge every step; ClaimError (one line) on bad input."""
    chain = read_chain(text, latex)
    if entry is not None:
        if assumptions:
            raise ClaimError("--assume applies to a free chain; with an entry its notation states the domains")
        from symcheck.steps_entry import judge_in_entry

        return judge_in_entry(chain, entry, latex=latex, budget=budget)
    return judge_free(chain, latex=latex, assumptions=assumptions, budget=budget)


# -- free chains ----------------------------------------------------------------------

def judge_free(chain: Chain, *, latex: bool, assumptions=(), budget: float = 10.0) -> ChainResult:
    from symcheck import equality

    context = equality.read_assumptions(list(assumptions))
    sides = [_read_free(chain, k, latex, context) for k in range(len(chain.lines))]
    result = ChainResult(chain.lines)
    for k, relation in enumerate(chain.relations):
        lhs, rhs = sides[k], sides[k + 1]
        if relation == APPROX:
            comparison = equality.compare(lhs, None, APPROX, context, budget=budget, approx_text=chain.lines[k + 1])
        else:
            comparison = equality.compare(lhs, rhs, relation, context, budget=budget)
        step = Step(k + 1, relation, chain.lines[k], chain.lines[k + 1], comparison.verdict,
                    comparison.reason, comparison.reason, comparison.counterexample, domain=comparison.domain)
        if step.verdict == "refuted" and relation == "=" and result.first_wrong_step is None:
            step.diagnosis = _free_diagnosis(equality, lhs, rhs, context)
        result.steps.append(step)
    return result


def _read_free(chain: Chain, k: int, latex: bool, context):
    from symcheck import equality

    if k and chain.relations[k - 1] == APPROX:
        approximation.read(chain.lines[k])  # a decimal as written; refused here with its own message
        return None
    try:
        return equality.read_side(chain.lines[k], latex, context)
    except ClaimError as error:
        raise ClaimError(f"line {k + 1} of the chain: {error}") from None


#: the mistakes a free step is tried against: (what the step did, the right side it would be right with)
_FREE_MISTAKES = (
    ("this one with the sign flipped", lambda rhs: -rhs),   # b = -a
    ("twice this one", lambda rhs: rhs / 2),                # b = 2a
    ("half of this one", lambda rhs: 2 * rhs),              # b = a/2
)


def _free_diagnosis(equality, lhs, rhs, context) -> str | None:
    """The common mistake of a refuted step, only when it is confirmed like a verdict."""
    for words, undo in _FREE_MISTAKES:
        try:
            comparison = equality.compare(lhs, undo(rhs), "=", context, budget=2.0)
        except ClaimError:
            continue
        if comparison.verdict in HOLDS and comparison.domain is None:
            return f"the next line is {words}"
    return None
