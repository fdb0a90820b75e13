"""Grading a class, measured side by side with one CLI process per answer (issue 13).

For sigmoid-backward and batchnorm-backward, generate N answers (default 500)
the way a class writes them: correct rewrites, the typical mistakes, unreadable
ones, the same answer spelled with other spacing, and answers made unique by a
harmless constant.  Then, in this one run:

1. ``symcheck grade ID answers.csv --jobs J --json`` as a subprocess, with an
   empty cache (cold), so process start and the entry's preparation count;
2. the same command again with one new answer added (the warm re-run);
3. the one-process-per-answer loop a grader would write,
   ``symcheck check ID ANSWER --json`` per answer, timed on a sample (default 20)
   and extrapolated to N, which is said in the table;
4. exact agreement: grade's verdict against one ``check_claim`` per answer on a
   sample (``--agree K``; ``--agree all`` or ``--agree 0`` checks every answer,
   in ``--jobs`` fresh processes, about ten minutes for 500 + 500; each
   disagreement is listed with both verdicts).

Ends with one JSON line.  ``python benchmarks/grade_bench.py --answers 100 --sample 10`` is the quick run.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

SIGMOID_RIGHT = ["dEdy*sigma(x)*(1 - sigma(x))", "dEdy*(sigma(x) - sigma(x)**2)", "dEdy*exp(-x)/(1 + exp(-x))**2",
                 "dEdy*exp(x)/(1 + exp(x))**2", "dEdy*sigma(x)*sigma(-x)", "dEdy/(2 + exp(x) + exp(-x))",
                 "dEdy*(1 - sigma(x))*sigma(x)", "dEdy/(4*cosh(x/2)**2)", "dEdy/(1 + exp(-x))*(1 - 1/(1 + exp(-x)))"]
SIGMOID_WRONG = ["-dEdy*sigma(x)*(1 - sigma(x))", "sigma(x)*(1 - sigma(x))", "dEdy*sigma(x)*(1 + sigma(x))",
                 "dEdy*sigma(x)", "dEdy*(1 - sigma(x))", "dEdy*sigma(x)**2", "2*dEdy*sigma(x)*(1 - sigma(x))",
                 "dEdy*exp(-x)/(1 + exp(-x))", "dEdy*exp(x)/(1 + exp(-x))**2"]
BN_RIGHT = ["gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - ((X[i] - mu)/sigma)*Sum(dLdY[j]*(X[j] - mu)/sigma, j))",
            "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
            "gamma/sigma*(dLdY[i] - Sum(dLdY[j], j)/n - Xhat[i]*Sum(dLdY[j]*Xhat[j], j)/n)",
            "(gamma/sigma)*dLdY[i] - (gamma/(n*sigma))*Sum(dLdY[k], k) - (gamma/(n*sigma))*Xhat[i]*Sum(dLdY[k]*Xhat[k], k)",
            "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - (X[i] - mu)*Sum(dLdY[j]*(X[j] - mu), j)/sigma**2)"]
BN_WRONG = ["gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) + Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
            "1/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
            "gamma/(n*sigma**2)*(n*dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
            "gamma/(n*sigma)*(n*dLdY[i] - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
            "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j))", "gamma*dLdY[i]/sigma",
            "gamma/(n*sigma)*(dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))"]
UNREADABLE = {"sigmoid-backward": ["dEdy*sigma(x", "dEdy sigma(x)", "dEdy*sigmoid'(x)"],
              "batchnorm-backward": ["gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j)", "gamma/sigma * dLdY_i"]}
#: the installed command, as a grader runs it
SYMCHECK = os.path.join(os.path.dirname(sys.executable), "symcheck")
FORMS = {"sigmoid-backward": (SIGMOID_RIGHT, SIGMOID_WRONG), "batchnorm-backward": (BN_RIGHT, BN_WRONG)}


def respace(text: str, rng: random.Random) -> str:
    """The same answer as another student types it: spaces around operators, or none."""
    out = []
    for ch in text:
        if ch in "+-*/" and rng.random() < 0.5 and not (out and out[-1] == "*") and ch != "*":
            out.append(f" {ch} ")
        elif ch == "," and rng.random() < 0.5:
            out.append(", ")
        else:
            out.append(ch.replace(" ", "") if rng.random() < 0.3 else ch)
    return "".join(out)


def generate(entry: str, count: int, seed: int = 13) -> list[str]:
    """A class: 45% correct, 40% typical mistakes, 5% unreadable, each respaced at random, and 10% made unique
    by a harmless constant (k*(...)/k) or a scaling mistake (k*(...))."""
    rng = random.Random(seed)
    right, wrong = FORMS[entry]
    answers = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            answer = respace(rng.choice(right), rng)
        elif roll < 0.85:
            answer = respace(rng.choice(wrong), rng)
        elif roll < 0.90:
            answer = rng.choice(UNREADABLE[entry])
        else:
            k = rng.randint(2, 500)
            base = rng.choice(right)
            answer = f"{k}*({base})/{k}" if rng.random() < 0.5 else f"{k}*({base})"
        answers.append(answer)
    return answers


def generate_distinct(entry: str, count: int, seed: int = 13) -> list[str]:
    """The worst case for sharing: every answer a different expression, so every one is judged.
    Half are scaling mistakes k*(...), half correct answers times (s + k)**2/(s**2 + 2ks + k**2), which
    SymPy does not cancel when it reads them (s is x, or gamma for batch norm)."""
    rng = random.Random(seed)
    right, wrong = FORMS[entry]
    s = "x" if entry.startswith("sigmoid") else "gamma"
    answers = []
    for k in rng.sample(range(2, 100 * count), count):
        if len(answers) % 2:
            answers.append(f"{k}*({rng.choice(right + wrong)})")
        else:
            answers.append(f"({rng.choice(right)})*({s} + {k})**2/({s}**2 + {2 * k}*{s} + {k * k})")
    return answers


def write_csv(path: str, answers: list[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "answer"])
        for i, answer in enumerate(answers):
            writer.writerow([f"s{i:04d}", answer])


def run_grade(entry: str, path: str, jobs: int, env: dict) -> tuple[float, dict]:
    start = time.monotonic()
    done = subprocess.run([SYMCHECK, "grade", entry, path, "--jobs", str(jobs), "--json"],
                          capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        raise SystemExit(f"grade failed ({done.returncode}): {done.stderr.strip()}")
    return seconds, json.loads(done.stdout)


def cli_verdict(entry: str, answer: str, env: dict) -> tuple[float, str]:
    start = time.monotonic()
    done = subprocess.run([SYMCHECK, "check", entry, "--json", "--", answer],
                          capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    verdict = json.loads(done.stdout)["verdict"] if done.returncode != 2 and done.stdout.strip() else "error"
    return seconds, verdict


def direct_verdict(entry, answer: str) -> str:
    """What one ``symcheck check`` says, in this process: ``check_claim`` with check's budget; an answer
    it refuses to read (ClaimError) or any other SymcheckError is an error row in grade too."""
    from symcheck.checking import CHECK_BUDGET, check_claim
    from symcheck.errors import SymcheckError

    try:
        return check_claim(entry, answer, budget=CHECK_BUDGET)[0].verdict
    except SymcheckError:
        return "error"


def _direct_by_id(item: tuple[str, str]) -> str:
    from symcheck.catalogue import load

    entry_id, answer = item
    return direct_verdict(load().get(entry_id), answer)


def direct_verdicts(entry_id: str, answers: list[str], jobs: int) -> list[str]:
    """One check_claim per answer, spread over ``jobs`` processes (each answer checked on its own:
    no sharing, no cache), in input order."""
    import multiprocessing

    items = [(entry_id, a) for a in answers]
    if jobs <= 1:
        return [_direct_by_id(item) for item in items]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.map(_direct_by_id, items, chunksize=1)


def agree_count(text: str) -> int:
    """--agree K: K answers, or 'all' (also 0) for every answer."""
    if text.strip().lower() == "all":
        return 0
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("--agree takes a count or 'all'")
    return value


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))] if values else 0.0


def bench(entry_id: str, args, workdir: str) -> dict:
    answers = (generate_distinct if args.distinct else generate)(entry_id, args.answers)
    path = os.path.join(workdir, f"{entry_id}.csv")
    write_csv(path, answers)
    env = dict(os.environ, SYMCHECK_CACHE_DIR=os.path.join(workdir, f"cache-{entry_id}"))
    cold_s, cold = run_grade(entry_id, path, args.jobs, env)
    judged = [r["seconds"] for r in cold["rows"] if r["source"] == "judged"]
    write_csv(path, answers + ["dEdy*x" if entry_id.startswith("sigmoid") else "gamma*dLdY[i]"])
    warm_s, _ = run_grade(entry_id, path, args.jobs, env)
    rng = random.Random(7)
    sample = rng.sample(range(len(answers)), min(args.sample, len(answers)))
    loop = [cli_verdict(entry_id, answers[i], env) for i in sample]
    loop_each = statistics.mean(s for s, _ in loop)
    grade_verdicts = [r["verdict"] for r in cold["rows"]]
    agree_on = list(range(len(answers))) if args.agree == 0 else rng.sample(range(len(answers)),
                                                                             min(args.agree, len(answers)))
    agree_start = time.monotonic()
    direct = direct_verdicts(entry_id, [answers[i] for i in agree_on], args.jobs)
    agree_s = time.monotonic() - agree_start
    disagree = [{"answer": answers[i], "grade": grade_verdicts[i], "check_claim": v}
                for i, v in zip(agree_on, direct) if v != grade_verdicts[i]]
    disagree += [{"answer": answers[i], "grade": grade_verdicts[i], "cli_check": v}
                 for i, (_, v) in zip(sample, loop) if v != grade_verdicts[i]]
    summary = cold["summary"]
    return {"entry": entry_id, "answers": len(answers), "distinct": summary["judged"],
            "equivalent": summary["equivalent"], "duplicates": summary["duplicates"], "jobs": args.jobs,
            "grade_s": round(cold_s, 2), "answers_per_s": round(len(answers) / cold_s, 1),
            "p50_s": round(percentile(judged, 0.5), 3), "p95_s": round(percentile(judged, 0.95), 3),
            "rerun_one_new_s": round(warm_s, 2), "cli_each_s": round(loop_each, 2), "cli_sample": len(sample),
            "cli_extrapolated_s": round(loop_each * len(answers), 1),
            "speedup": round(loop_each * len(answers) / cold_s, 1),
            "verdicts": summary["verdicts"], "agree_checked": len(agree_on), "agree_s": round(agree_s, 1), "disagree": disagree}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=500, help="answers per entry (default 500)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sample", type=int, default=20, help="answers timed through the CLI loop (default 20)")
    parser.add_argument("--agree", type=agree_count, default=60, metavar="K|all",
                        help="answers re-checked with one check_claim each (default 60; 'all' or 0: every answer)")
    parser.add_argument("--distinct", action="store_true",
                        help="the worst case: every answer a different expression (nothing shared)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="grade-bench-") as workdir:
        for entry_id in ("sigmoid-backward", "batchnorm-backward"):
            rows.append(bench(entry_id, args, workdir))
    print(f"{'entry':<20} {'answers':>7} {'judged':>6} {'equiv':>5} {'grade s':>8} {'ans/s':>6} {'p50 s':>6} {'p95 s':>6} "
          f"{'re-run s':>8} {'CLI s/ans':>9} {'CLI est. s':>10} {'speed-up':>8}  agree")
    for r in rows:
        print(f"{r['entry']:<20} {r['answers']:>7} {r['distinct']:>6} {r['equivalent']:>5} {r['grade_s']:>8} {r['answers_per_s']:>6} "
              f"{r['p50_s']:>6} {r['p95_s']:>6} {r['rerun_one_new_s']:>8} {r['cli_each_s']:>9} "
              f"{r['cli_extrapolated_s']:>10} {r['speedup']:>7}x  "
              f"{r['agree_checked'] + r['cli_sample'] - len(r['disagree'])}/{r['agree_checked'] + r['cli_sample']}")
    for r in rows:
        for d in r["disagree"]:
            other = "check_claim" if "check_claim" in d else "cli_check"
            print(f"disagree {r['entry']}: grade {d['grade']}, {other} {d[other]}: {d['answer']}")
    print(f"(CLI loop: 'symcheck check' per answer, timed on {args.sample} sampled answers and extrapolated; "
          f"p50/p95: per distinct answer judged, inside its worker)")
    print(json.dumps({"grade_bench": rows}))


if __name__ == "__main__":
    main()
