"""``symcheck equal LHS RHS``: the command line of equality.py.

Verdicts and exit codes are those of ``check``: 0 proved or confirmed, 1
refuted (with the rechecked counterexample), 2 bad input (one line), 3
undecided.  The work runs in a forked child under a hard deadline a little
beyond the budget, so that no input can hang the command.
"""
from __future__ import annotations

import argparse
import json


EXIT_CODES = {"proved": 0, "confirmed": 0, "refuted": 1, "undecided": 3, "error": 1}
DEFAULT_BUDGET = 10.0

DESCRIPTION = """\
Are LHS and RHS equal for every real value of their variables that satisfies
the assumptions?  Symbols are inferred from the input and are real.  Both sides
are evaluated at sample points (special values 0, ±1/2, ±1, ±2, ±3 first, then
seeded random draws); a disagreement is rechecked at 50 digits and refutes,
with the simplest point found.  When every point agrees a symbolic proof is
tried: 'proved' if it succeeds, else 'confirmed'.

A side is defined at a point when every intermediate value is a finite real,
and the sides are equal when wherever either is defined, both are and agree:
exp(log(x)) = x is refuted at x = 0 (only the right side exists there).  When a
claim is refuted on the reals but holds for positive variables, both verdicts
are given.

Exit codes: 0 proved or confirmed, 1 refuted, 2 bad input, 3 undecided."""

EPILOG = r"""examples:
  symcheck equal "sigmoid(x)*(1 - sigmoid(x))" "diff(sigmoid(x), x)"
  symcheck equal "sqrt(x^2)" "x"                  refuted at x = -1; holds for x > 0
  symcheck equal "(x^2 - 1)/(x - 1)" "x + 1" --assume "x != 1"
  symcheck equal "Sum(k, (k, 1, n))" "n*(n + 1)/2" --assume "n integer" --assume "n >= 0"
  symcheck equal "x^2 + 1" "2*x" --relation ">="
  symcheck equal "2*log(2)" "1.39" --relation approx
  symcheck equal --latex "\log(a^2 b)" "2\log a + \log b" --json
  symcheck equal -- "-log(1 - x)" "Sum(x^k/k, (k, 1, oo))"   a side starting with '-' comes after --

text syntax: + - * / ^ (or **), sqrt exp log ln sin cos tan asin acos atan sinh
  cosh tanh asinh acosh atanh abs floor ceil min max, sigmoid (or sigma, σ),
  relu, softplus, diff(f, x) and diff(f, x, 2), Sum(f, (k, a, b)),
  Product(f, (k, a, b)), log(x, b) (base b), pi, e, oo (a series' bound).
LaTeX: \frac, \sqrt, \log, \ln, \exp, \sin.., \sigma(x), \mathrm{ReLU},
  \operatorname{softplus}, \lfloor x \rfloor, \lceil x \rceil, \max, \min, |x|,
  \frac{d}{dx}(...), \frac{\partial}{\partial x}, \sum_{k=1}^{n}, \prod_{k=1}^{n},
  \sum_{k=1}^{\infty} (a series has a value only where it converges).
assumptions (--assume, repeatable): "x > 0", "n integer", "0 < p < 1",
  "x != 1", "n >= 0", "x*y < 1"."""


def add_parser(subparsers, parents) -> argparse.ArgumentParser:
    from symcheck.cli import budget_seconds  # the one --budget type of every command

    p = subparsers.add_parser("equal", parents=list(parents), help="are two expressions equal for every real value?",
                              description=DESCRIPTION, epilog=EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("lhs", metavar="LHS", help="the left side")
    p.add_argument("rhs", metavar="RHS", help="the right side (a decimal as written for --relation approx)")
    p.add_argument("--latex", action="store_true", help="both sides are LaTeX")
    p.add_argument("--assume", action="append", default=[], metavar="COND",
                   help='a condition on the variables, e.g. "x > 0", "n integer", "0 < p < 1" (repeatable)')
    p.add_argument("--relation", default="=", choices=("=", "<=", ">=", "<", ">", "approx"),
                   help="the relation to judge (default =); approx: within half a unit of RHS's last digit")
    p.add_argument("--json", action="store_true", help="one JSON object")
    p.add_argument("--budget", type=budget_seconds, default=None,
                   help=f"wall-clock guard, seconds (default {DEFAULT_BUDGET:g}); reaching it is 'undecided'")
    return p


def run(args) -> int:
    result = judge_texts(args.lhs, args.rhs, latex=args.latex, assume=args.assume, relation=args.relation,
                         budget=args.budget)
    if args.json:
        print(json.dumps({"lhs": args.lhs, "rhs": args.rhs, **result.to_json()}, indent=2))
    else:
        print(result.summary())
    return EXIT_CODES[result.verdict]


def judge_texts(lhs: str, rhs: str, *, latex: bool = False, assume=(), relation: str = "=",
                budget: float | None = None):
    """Read and compare two sides in a bounded child (budget.py); a Comparison, or ClaimError (one line)."""
    from symcheck.budget import DeadlineExceeded, run_with_deadline
    from symcheck.equality import Comparison

    budget = budget or DEFAULT_BUDGET
    try:
        return run_with_deadline(lambda: _judge(lhs, rhs, latex, list(assume), relation, budget), budget + 5)
    except DeadlineExceeded:
        return Comparison("undecided", relation, f"the hard deadline of {budget + 5:g} s was reached")


def _judge(lhs_text: str, rhs_text: str, latex: bool, assume: list, relation: str, budget: float):
    """Read and compare (in the child): a ClaimError travels back to the CLI's one line."""
    from symcheck.equality import compare, read_assumptions, read_side

    given = read_assumptions(assume)
    lhs = _side(read_side, lhs_text, latex, given, "left side")
    if relation == "approx":
        rhs = _side(read_side, rhs_text, False, given, "right side")
        return compare(lhs, rhs, "approx", given, budget=budget, approx_text=rhs_text)
    rhs = _side(read_side, rhs_text, latex, given, "right side")
    return compare(lhs, rhs, relation, given, budget=budget)


def _side(read_side, text, latex, given, what):
    """A side, or the reader's one line saying which side it is about."""
    from symcheck.errors import ClaimError

    try:
        return read_side(text, latex, given, what=what)
    except ClaimError as error:
        if error.message.startswith(f"the {what}"):
            raise
        raise ClaimError(f"{what}: {error.message}", error.position, error.source) from None
