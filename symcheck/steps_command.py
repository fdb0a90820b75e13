"""``symcheck steps FILE``: check a whole derivation, step by step (and ``check ID``
with a chain ``A = B = C``, which reports the same way)."""
from __future__ import annotations

import argparse
import json

from symcheck.errors import ClaimError

EXIT_OK, EXIT_FAILED, EXIT_UNDECIDED = 0, 1, 3

DESCRIPTION = """\
Check every step of a derivation and name the first wrong one.

FILE holds a LaTeX display (\\begin{aligned} ... &= ... \\\\ &= ... \\end{aligned},
align, $$ a = b = c $$) or one expression per line ('-' reads standard input).
Step k relates line k to line k + 1; the relations are =, <=, >=, <, > and
\\approx (to the precision written).  Each step gets a verdict with its evidence:
proved, confirmed, refuted (a counterexample where both lines are evaluated,
rechecked to 50 digits, and the common mistake when one matches), undecided.

Without --entry the symbols are inferred (real unless --assume says more) and each
step must hold for every value where either side is defined.  With --entry ID the
chain is read in that entry's notation, and its last line is also judged against
the entry's reference: a student's whole derivation of a catalogue question.  A first
line that is only the quantity's name (\\frac{\\partial E}{\\partial x}) is not judged.
"""

EPILOG = """\
examples:
  symcheck steps derivation.tex --latex
  printf 'sqrt(x**2)\\nx\\n' | symcheck steps -            # refuted at x = -1; holds for x > 0
  symcheck steps chain.tex --latex --entry vanishing-sigma-half-h1-norm --json
  symcheck check sigmoid-backward 'dEdy*exp(-x)/(1+exp(-x))**2 = dEdy*sigma(x)*(1-sigma(x))'

exit codes: 0 every step holds, 1 a step is refuted (or an error), 2 bad input, 3 undecided
"""

#: a derivation, not a document
MAX_CHAIN_BYTES = 1 << 16


def add_parser(commands, parents) -> None:
    from symcheck.cli import budget_seconds

    p = commands.add_parser("steps", parents=parents, help="check a derivation step by step",
                            description=DESCRIPTION, epilog=EPILOG,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="the chain: a file, or '-' for standard input")
    p.add_argument("--entry", metavar="ID", help="read the chain in this entry's notation and judge its last line "
                                                 "against the entry's reference")
    p.add_argument("--latex", action="store_true", help="the lines are LaTeX (a display is read as LaTeX anyway)")
    p.add_argument("--assume", action="append", default=[], metavar="COND",
                   help="a condition on the symbols, such as 'x > 0', 'n integer' or '0 < p < 1' (repeatable)")
    p.add_argument("--json", action="store_true",
                   help='one JSON document: {"steps": [{"index", "verdict", ...}], "first_wrong_step": k or null}')
    p.add_argument("--budget", type=budget_seconds, default=None, help="time budget per step, seconds (default 10)")


def run(args) -> int:
    from symcheck.commands import _catalogue

    text = _read(args.file)
    latex = args.latex or _looks_latex(text)
    entry = _catalogue(args).get(args.entry) if args.entry else None
    result = judge(text, latex=latex, entry=entry, assumptions=args.assume, budget=args.budget)
    return report(result, as_json=args.json)


def judge(text: str, *, latex: bool, entry=None, assumptions=(), budget: float | None = None):
    """The chain judged in a bounded child (budget.py): bad input comes back as one ClaimError."""
    from symcheck.budget import DeadlineExceeded, run_with_deadline
    from symcheck.checking import CHECK_BUDGET
    from symcheck.stepwise import judge_text

    budget = budget or CHECK_BUDGET
    from symcheck.chain_text import read_chain

    steps = read_chain(text, latex).steps  # bad input is refused here, before any child
    try:
        return run_with_deadline(lambda: judge_text(text, latex=latex, entry=entry, assumptions=tuple(assumptions),
                                                    budget=budget), 2 * budget * (steps + 1))
    except DeadlineExceeded:
        raise ClaimError(f"the chain was not judged within {2 * budget * (steps + 1):g} s "
                         f"(twice the budget per step); give a larger --budget") from None


def is_chain(entry, text: str, latex: bool) -> bool:
    """Is a claim given to ``check`` a chain?  Two relations or more at the top
    level; or one '=' whose left side is itself an expression in the entry's
    notation (then it is a claim too, and is judged, never silently dropped).
    A left side that is only a name (``dEdx =``, ``\\frac{\\partial E}{\\partial x} =``)
    is dropped as before, and lists (``a = 2, b = 0``) are never chains."""
    from symcheck.chain_text import read_chain
    from symcheck.checking import parse_user_claim

    if getattr(entry.asks, "kind", "") == "behaviour" or _top_level_comma(text):
        return False
    try:
        chain = read_chain(text, latex)
    except ClaimError:
        return False
    if chain.steps >= 2:
        return True
    if chain.relations != ["="]:
        return False
    try:
        parse_user_claim(entry, chain.lines[0], latex)
    except ClaimError:
        return False
    return True


def _top_level_comma(text: str) -> bool:
    depth = 0
    for c in text:
        depth += (c in "({[") - (c in ")}]")
        if c == "," and depth == 0:
            return True
    return False


def report(result, as_json: bool) -> int:
    code = {"proved": EXIT_OK, "confirmed": EXIT_OK, "refuted": EXIT_FAILED, "undecided": EXIT_UNDECIDED,
            "error": EXIT_FAILED}[result.verdict]
    if as_json:
        print(json.dumps(result.to_json(), indent=2, default=str))
        return code
    for step in result.steps:
        said = step.summary or step.reason
        if step.index == result.first_wrong_step:  # its counterexample is printed in full below
            said = said.split("; counterexample")[0] + "; see below"
        print(f"step {step.index} (line {step.index} {_sign(step.relation)} line {step.index + 1}): "
              f"{step.verdict}: {said}")
    if result.reference is not None:
        ref = result.reference
        print(f"last line against {result.entry}'s reference: {ref['verdict']}: {ref['evidence'] or ref['reason']}")
    wrong = result.first_wrong_step
    if wrong is None:
        print("no wrong step" if code == EXIT_OK else f"no step refuted; the chain is {result.verdict}")
        return code
    step = result.steps[wrong - 1]
    print(f"first wrong step: {wrong}")
    print(f"  line {wrong}: {_one_line(step.lhs)}")
    print(f"  line {wrong + 1}: {_one_line(step.rhs)}")
    if step.counterexample:
        print(f"  counterexample: {_where(step.counterexample, wrong)}")
    if step.domain:
        print(f"  holds for {step.domain['condition']} ({step.domain['verdict']})")
    if step.diagnosis:
        print(f"  diagnosis: {step.diagnosis}")
    return code


def _where(cx: dict, k: int) -> str:
    """Both lines' values at the counterexample, then where it is and how it was checked."""
    from symcheck.verdicts import describe_point

    values = f"line {k} = {cx.get('lhs')}, line {k + 1} = {cx.get('rhs')}"
    if "describe" not in cx:  # a free chain: the point is all there is
        point = ", ".join(f"{name} = {value}" for name, value in cx.get("point", {}).items())
        return f"at {point}: {values}" + (" (checked to 50 digits)" if cx.get("lhs") else "")
    sizes = ", ".join(f"{name}={value}" for name, value in (cx.get("sizes") or {}).items())
    entry = cx.get("entry")
    where = (f" at {sizes}" if sizes else "") + (f" in entry {_position(entry)}" if entry else "")
    how = "" if not cx.get("digits") else (" (exact)" if cx.get("exact") else f" (checked to {cx['digits']} digits)")
    point = describe_point(cx.get("point") or {})
    return values + where + how + (f"; {cx['note']}" if cx.get("note") else "") + (f"; point: {point}" if point else "")


def _position(entry: list) -> str:
    return str(entry[0]) if len(entry) == 1 else "(" + ", ".join(map(str, entry)) + ")"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _sign(relation: str) -> str:
    return {"<=": "≤", ">=": "≥", "approx": "≈"}.get(relation, relation)


def _looks_latex(text: str) -> bool:
    """A display or a backslash command is LaTeX whatever the flag says: the text syntax has neither."""
    return "\\" in text or "$" in text


def _read(path: str) -> str:
    from symcheck.commands import decode_claim
    from symcheck.input_files import read_input

    where = "the chain on standard input" if path == "-" else f"chain file {path!r}"
    return decode_claim(read_input(path, where, MAX_CHAIN_BYTES, "a chain is one derivation"), where, "chain")
