"""Run the identities corpus (benchmarks/identities/) through equality judges.

    python benchmarks/identities_run.py [--judge NAME]... [--limit N] [--category C]
                                        [--positive] [--chains] [--timeout S]

The truth is the stored mpmath label (``_truth.py``).  A *judge* is a function
``judge(lhs, rhs, assumptions) -> "equal" | "not equal" | "undecided"``; the
baseline the issue names, plain ``sympy.simplify(lhs - rhs) == 0`` with real
symbols, is one.  A future ``symcheck equal`` plugs in as another entry of
``JUDGES`` and gets its own column, measured side by side in the same warm
process.  Per pair: agreement with the truth on the reals (and, with
``--positive``, with the truth when every variable is > 0), false accepts
("equal" where the truth is false), and the median wall time.

Each judge call runs under a ``signal`` timer (default 5 s); a hit reads
"undecided", which never counts as agreement.  The last line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import identities  # noqa: E402

EQUAL, NOT_EQUAL, UNDECIDED = "equal", "not equal", "undecided"


# -- the SymPy baseline --------------------------------------------------------------

def _sympy_namespace(symbols):
    """The corpus vocabulary as SymPy objects (activations expanded to their definitions)."""
    import sympy as sp
    ns = {name: sym for name, sym in symbols.items()}
    ns.update({
        "sqrt": sp.sqrt, "exp": sp.exp, "log": sp.log, "sin": sp.sin, "cos": sp.cos,
        "tan": sp.tan, "asin": sp.asin, "acos": sp.acos, "atan": sp.atan, "sinh": sp.sinh,
        "cosh": sp.cosh, "tanh": sp.tanh, "asinh": sp.asinh, "acosh": sp.acosh,
        "atanh": sp.atanh, "abs": sp.Abs, "Abs": sp.Abs, "floor": sp.floor,
        "ceiling": sp.ceiling, "Min": sp.Min, "Max": sp.Max, "diff": sp.diff,
        "Sum": sp.Sum, "Product": sp.Product, "pi": sp.pi, "E": sp.E, "oo": sp.oo,
        "sigmoid": lambda x: 1 / (1 + sp.exp(-x)),
        "relu": lambda x: sp.Max(x, 0),
        "softplus": lambda x: sp.log(1 + sp.exp(x)),
    })
    return ns


def _symbols(texts, assumptions):
    """Real symbols for every name in the texts; 'x > 0' makes x positive, 'n integer' integer.
    Other conditions (x != 1, 0 < p < 1) have no SymPy assumption and are dropped."""
    import sympy as sp
    from identities._truth import free_symbols, parse
    names = set()
    for t in texts:
        names |= free_symbols(parse(t))
    flags = {n: {"real": True} for n in names}
    for cond in assumptions:
        words = cond.replace(" ", "")
        if cond.endswith(" integer"):
            flags.setdefault(cond.split()[0], {"real": True})["integer"] = True
        elif words.endswith(">0") and words[:-2].isidentifier():
            flags.setdefault(words[:-2], {"real": True})["positive"] = True
    return {n: sp.Symbol(n, **f) for n, f in flags.items()}


def sympy_simplify(lhs, rhs, assumptions=()):
    """The baseline: plain simplify(lhs - rhs) == 0 (SymPy parses the corpus's own text)."""
    import sympy as sp
    ns = _sympy_namespace(_symbols([lhs, rhs], assumptions))
    a = sp.sympify(lhs, locals=ns)
    b = sp.sympify(rhs, locals=ns)
    return EQUAL if sp.simplify(a - b) == 0 else NOT_EQUAL


def symcheck_equal(lhs, rhs, assumptions=()):
    """symcheck's own judge (issue 12): ``symcheck equal`` in process, warm, with the
    pair's conditions as --assume; proved/confirmed is "equal", refuted "not equal"."""
    from symcheck.equality import compare, read_assumptions, read_side
    given = read_assumptions(list(assumptions))
    verdict = compare(read_side(lhs, False, given), read_side(rhs, False, given), "=", given).verdict
    return {"proved": EQUAL, "confirmed": EQUAL, "refuted": NOT_EQUAL}.get(verdict, UNDECIDED)


JUDGES = {"sympy-simplify": sympy_simplify, "symcheck": symcheck_equal}


# -- running -------------------------------------------------------------------------

class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def timed(judge, lhs, rhs, assumptions, timeout):
    """(verdict, seconds); a timer hit or an exception inside the judge reads undecided."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        verdict = judge(lhs, rhs, assumptions)
    except _Timeout:
        verdict = UNDECIDED
    except Exception:               # a judge that cannot read an item has not decided it
        verdict = UNDECIDED
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return verdict, time.perf_counter() - start


def positive_assumptions(item):
    from identities._truth import free_symbols, parse
    names = free_symbols(parse(item["lhs"])) | free_symbols(parse(item["rhs"]))
    return tuple(item["assume"]) + tuple(f"{n} > 0" for n in sorted(names))


def score(rows):
    """Agreement, false accepts, false refutes, undecided, median time over (truth, verdict, s)."""
    n = len(rows)
    agree = sum((v == EQUAL) == t and v != UNDECIDED for t, v, _ in rows)
    return {"n": n, "agree": agree, "agreement": round(agree / n, 4) if n else None,
            "false_accepts": sum(v == EQUAL and not t for t, v, _ in rows),
            "false_refutes": sum(v == NOT_EQUAL and t for t, v, _ in rows),
            "undecided": sum(v == UNDECIDED for t, v, _ in rows),
            "median_s": round(statistics.median(s for _, _, s in rows), 4) if n else None,
            "p95_s": round(sorted(s for _, _, s in rows)[int(0.95 * (n - 1))], 4) if n else None}


def run_pairs(items, judges, timeout, positive, show=False):
    results = {}
    for name in judges:
        reals, pos = [], []
        for it in items:
            v, s = timed(JUDGES[name], it["lhs"], it["rhs"], it["assume"], timeout)
            reals.append((it["true_on_reals"], v, s))
            if show and (v == EQUAL) != it["true_on_reals"]:
                _show_miss(name, it, v)
            if positive:
                v, s = timed(JUDGES[name], it["lhs"], it["rhs"], positive_assumptions(it), timeout)
                pos.append((it["true_for_positive"], v, s))
        results[name] = {"reals": score(reals), **({"positive": score(pos)} if positive else {}),
                         "by_category": _by_category(items, reals)}
    return results


def _show_miss(name, it, verdict):
    """One line per miss; a false accept also gets mpmath's counterexample."""
    from identities._truth import compare
    kind = "FALSE ACCEPT" if verdict == EQUAL else verdict
    extra = ""
    if verdict == EQUAL:
        extra = f"  (mpmath: differs at {compare(it['lhs'], it['rhs'], '=', it['assume']).counterexample})"
    print(f"  {name}: {kind:12} {it['id']}: {it['lhs']}  vs  {it['rhs']}  {it['assume'] or ''}{extra}")


def _by_category(items, rows):
    out = {}
    for it, row in zip(items, rows):
        out.setdefault(it["category"], []).append(row)
    return {c: score(r) for c, r in out.items()}


def _approx(lhs, rhs):
    """An '\\approx' step for the baseline: SymPy's numeric value rounds to the digits written."""
    import sympy as sp
    digits = len(rhs.split(".")[1]) if "." in rhs else 0
    value = sp.N(sp.sympify(lhs, locals=_sympy_namespace(_symbols([lhs], ()))), 30)
    return EQUAL if abs(value - sp.Float(rhs, 30)) <= sp.Rational(5, 10 ** (digits + 1)) else NOT_EQUAL


def run_chains(chains, judge_name, timeout, show=False):
    """Chains named right: the first step judged 'not equal' is the planted one (or none is).
    Inequality steps are undecided for an equality judge; an undecided step before the
    planted one makes the chain unnamed."""
    judge = JUDGES[judge_name]
    right = 0
    for c in chains:
        found = None
        for k, (a, b, rel) in enumerate(zip(c["lines"], c["lines"][1:], c["rels"]), start=1):
            if rel == "=":
                v, _ = timed(judge, a, b, c["assume"], timeout)
            elif rel == "approx":
                v, _ = timed(lambda x, y, _a: _approx(x, y), a, b, c["assume"], timeout)
            else:
                v = UNDECIDED
            if v != EQUAL:
                found = k if v == NOT_EQUAL else "undecided"
                break
        right += found == c["first_wrong"]
        if show and found != c["first_wrong"]:
            print(f"  {judge_name}: chain {c['id']} planted {c['first_wrong']}, judged {found}")
    return {"chains": len(chains), "first_wrong_named": right}


# -- reporting -----------------------------------------------------------------------

def counts(items, chains):
    by = {}
    for it in items:
        c = by.setdefault(it["category"], {"pairs": 0, "true": 0, "false": 0, "needs_positivity": 0})
        c["pairs"] += 1
        c["true" if it["true_on_reals"] else "false"] += 1
        c["needs_positivity"] += it["needs_positivity"]
    planted = sum(c["first_wrong"] is not None for c in chains)
    return by, {"chains": len(chains), "with_wrong_step": planted, "all_right": len(chains) - planted}


def print_counts(by, chain_counts):
    print("| category | pairs | true on reals | false on reals | needs positivity |")
    print("| --- | --- | --- | --- | --- |")
    tot = {"pairs": 0, "true": 0, "false": 0, "needs_positivity": 0}
    for name, c in by.items():
        print(f"| {name} | {c['pairs']} | {c['true']} | {c['false']} | {c['needs_positivity']} |")
        for k in tot:
            tot[k] += c[k]
    print(f"| **total** | {tot['pairs']} | {tot['true']} | {tot['false']} | {tot['needs_positivity']} |")
    print(f"\nchains: {chain_counts['chains']} ({chain_counts['with_wrong_step']} with one planted wrong step, "
          f"{chain_counts['all_right']} right)\n")


def print_results(results):
    cols = list(results)
    print("| measure | " + " | ".join(cols) + " |")
    print("| --- |" + " --- |" * len(cols))
    for part in ("reals", "positive"):
        if part not in results[cols[0]]:
            continue
        for key in ("agreement", "false_accepts", "false_refutes", "undecided", "median_s", "p95_s"):
            vals = [str(results[c][part][key]) for c in cols]
            print(f"| {part}: {key} | " + " | ".join(vals) + " |")
    print()
    for c in cols:
        print(f"{c} by category (reals): " + ", ".join(
            f"{k} {v['agree']}/{v['n']} ({v['false_accepts']} FA, {v['undecided']} undecided)"
            for k, v in results[c]["by_category"].items()))


def _first_of_each(items, limit):
    """The first ``limit`` pairs of each category (a quick, still mixed subset)."""
    taken, out = {}, []
    for it in items:
        taken[it["category"]] = taken.get(it["category"], 0) + 1
        if taken[it["category"]] <= limit:
            out.append(it)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--judge", action="append", choices=sorted(JUDGES))
    ap.add_argument("--limit", type=int, help="only the first N pairs of each category")
    ap.add_argument("--category", action="append")
    ap.add_argument("--positive", action="store_true", help="also judge under 'every variable > 0'")
    ap.add_argument("--chains", action="store_true", help="also name the first wrong step of each chain")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--show", action="store_true", help="print every pair a judge gets wrong (reals)")
    args = ap.parse_args(argv)
    items = [it for it in identities.pairs() if not args.category or it["category"] in args.category]
    if args.limit:
        items = _first_of_each(items, args.limit)
    chains = identities.chains()
    by, chain_counts = counts(items, chains)
    print_counts(by, chain_counts)
    judges = args.judge or sorted(JUDGES)
    results = run_pairs(items, judges, args.timeout, args.positive, args.show)
    print_results(results)
    if args.chains:
        for name in judges:
            results[name]["chains"] = run_chains(chains, name, args.timeout, args.show)
            print(f"{name}: first wrong step named in {results[name]['chains']['first_wrong_named']}"
                  f"/{len(chains)} chains")
    print(json.dumps({"pairs": len(items), "chains": len(chains),
                      "judges": {k: {p: v[p] for p in v if p != "by_category"} for k, v in results.items()}}))


if __name__ == "__main__":
    main()
