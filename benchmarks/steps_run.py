"""Name the first wrong step of every chain in benchmarks/identities/ (issue 12).

    python benchmarks/steps_run.py [--show] [--limit N]

Each chain (3-6 lines; some with one planted wrong step, some right) is judged
by ``symcheck.stepwise.judge_text`` in this process, warm, twice: as the sheet
prints it (the aligned LaTeX display) and as one text expression per line.
Side by side in the same run, the baseline: plain ``sympy.simplify(a - b) == 0``
on each '=' step (``identities_run.run_chains``).  The truth is the chain's
planted step, decided by mpmath (``identities/_truth.py``).

Counted per judge: chains whose first wrong step is named exactly, *false
accepts* (a chain with a planted wrong step judged to have none, or judged
wrong only later), *false rejects* (a right chain, or a right step, called
wrong), undecided chains, and the median and p95 seconds per chain.  The last
line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import identities  # noqa: E402


def judge_steps(chain: dict, latex: bool):
    """(first wrong step or None or "undecided", seconds) from symcheck steps."""
    from symcheck.errors import ClaimError
    from symcheck.stepwise import judge_text

    text = chain["latex"] if latex else "\n".join(_text_line(line, rel) for line, rel in
                                                  zip(chain["lines"], [None] + chain["rels"]))
    start = time.perf_counter()
    try:
        assume = chain["latex_assume"] if latex else chain["assume"]  # the display may write σ where the text has s
        result = judge_text(text, latex=latex, assumptions=tuple(assume), budget=10.0)
        found = result.first_wrong_step
        if found is None and any(s.verdict not in ("proved", "confirmed") for s in result.steps):
            found = "undecided"
    except ClaimError as error:
        found = f"unread: {error}"
    return found, time.perf_counter() - start


def _text_line(line: str, relation: str | None) -> str:
    sign = {None: "", "=": "= ", "<=": "<= ", ">=": ">= ", "<": "< ", ">": "> ", "approx": "~= "}[relation]
    return sign + line


def score(chains, findings) -> dict:
    named = sum(found == c["first_wrong"] for c, (found, _) in zip(chains, findings))
    false_accepts = sum(c["first_wrong"] is not None and (found is None or (isinstance(found, int)
                        and found > c["first_wrong"])) for c, (found, _) in zip(chains, findings))
    false_rejects = sum(isinstance(found, int) and (c["first_wrong"] is None or found < c["first_wrong"])
                        for c, (found, _) in zip(chains, findings))
    undecided = sum(not isinstance(found, int) and found is not None for found, _ in findings)
    times = sorted(t for _, t in findings)
    return {"chains": len(chains), "named": named, "agreement": round(named / len(chains), 4),
            "false_accepts": false_accepts, "false_rejects": false_rejects, "undecided": undecided,
            "median_s": round(statistics.median(times), 4) if times else None,
            "p95_s": round(times[int(0.95 * (len(times) - 1))], 4) if times else None}


def baseline(chains, timeout: float) -> list:
    """Plain simplify per '=' step; the first step it cannot call equal is its first wrong step."""
    import identities_run as run

    out = []
    for c in chains:
        start = time.perf_counter()
        found = None
        for k, (a, b, rel) in enumerate(zip(c["lines"], c["lines"][1:], c["rels"]), start=1):
            if rel == "=":
                verdict, _ = run.timed(run.sympy_simplify, a, b, c["assume"], timeout)
            elif rel == "approx":
                verdict = run._approx(a, b)
            else:
                verdict = run.UNDECIDED  # simplify has no inequalities
            if verdict != run.EQUAL:
                found = k if verdict == run.NOT_EQUAL else "undecided"
                break
        out.append((found, time.perf_counter() - start))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--show", action="store_true", help="print every chain a judge gets wrong")
    ap.add_argument("--limit", type=int, default=None, help="only the first N chains")
    ap.add_argument("--timeout", type=float, default=5.0, help="the baseline's guard per step, seconds")
    args = ap.parse_args()
    chains = identities.chains()[:args.limit]
    judge_steps(chains[0], True)  # warm: imports and caches, as a served checker would be
    results = {}
    for name, findings in (("symcheck steps (LaTeX display)", [judge_steps(c, True) for c in chains]),
                           ("symcheck steps (text lines)", [judge_steps(c, False) for c in chains]),
                           ("simplify per step (baseline)", baseline(chains, args.timeout))):
        results[name] = score(chains, findings)
        if args.show:
            for c, (found, _) in zip(chains, findings):
                if found != c["first_wrong"]:
                    print(f"  {name}: {c['id']} planted {c['first_wrong']}, judged {found}")
    print(f"{'judge':<32} {'named':>7} {'false acc':>9} {'false rej':>9} {'undecided':>9} {'median s':>9} {'p95 s':>7}")
    for name, r in results.items():
        print(f"{name:<32} {r['named']:>3}/{r['chains']:<3} {r['false_accepts']:>9} {r['false_rejects']:>9} "
              f"{r['undecided']:>9} {r['median_s']:>9} {r['p95_s']:>7}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
