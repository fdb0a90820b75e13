"""Run the real-world answer corpus (benchmarks/corpus/) through symcheck.

For each item the NumPy probe decides the truth; symcheck is then asked in
process.  symcheck is right when (probe true and the verdict is proved or
confirmed) or (probe false and the verdict is refuted).  A false accept is a
false claim proved or confirmed; a false refute a true claim refuted; bad input,
an error or an undecided verdict is not right either.

    python benchmarks/corpus_run.py [--json] [--topic NAME] [--entry ID] [--budget S]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

from corpus import all_items, probe_truth  # noqa: E402

ACCEPT = ("proved", "confirmed")


def classify(truth: bool, verdict: str) -> str:
    if verdict == "bad input":
        return "bad input"
    if verdict in ACCEPT:
        return "right" if truth else "false accept"
    if verdict == "refuted":
        return "false refute" if truth else "right"
    return "undecided/error"


def check_one(catalogue, it, budget):
    from symcheck.checking import check_claim
    from symcheck.errors import SymcheckError

    entry = catalogue.get(it["entry"])
    start = time.perf_counter()
    try:
        result, _ = check_claim(entry, it["claim"], latex=it["latex"], budget=budget)
        verdict, message = result.verdict, result.reason or ""
        evidence = getattr(result, "evidence", None)
        if evidence is not None:
            try:
                detail = evidence.summary()
            except Exception:  # noqa: BLE001 - the summary is a courtesy
                detail = ""
            message = "; ".join(part for part in (message, detail) if part)
    except SymcheckError as error:  # ClaimError and the rest: bad input
        verdict, message = "bad input", str(error)
    except Exception as error:  # noqa: BLE001 - an engine fault is a finding, not a crash of the run
        verdict, message = "error", f"{type(error).__name__}: {error}"
    return verdict, " ".join(str(message).split()), time.perf_counter() - start


def run(items=None, budget=10.0, progress=None):
    """Every item's probe truth, symcheck verdict and outcome; returns a list of records."""
    from symcheck.catalogue import load

    catalogue = load()
    items = all_items() if items is None else items
    records = []
    for k, it in enumerate(items):
        truth = probe_truth(it)
        verdict, message, seconds = check_one(catalogue, it, budget)
        rec = {key: it[key] for key in ("topic", "entry", "claim", "latex", "source", "probe")}
        rec.update(truth=truth, verdict=verdict, message=message, seconds=round(seconds, 3),
                   outcome=classify(truth, verdict))
        records.append(rec)
        if progress:
            progress(k, len(items), rec)
    return records


COLUMNS = ("items", "right", "false accept", "false refute", "bad input", "undecided/error")


def table(records):
    rows = {}
    for rec in records:
        for key in (rec["topic"], "total"):
            row = rows.setdefault(key, dict.fromkeys(COLUMNS, 0))
            row["items"] += 1
            row[rec["outcome"]] += 1
    total = rows.pop("total", dict.fromkeys(COLUMNS, 0))
    return rows, total


def summary(records):
    rows, total = table(records)
    return {
        "items": len(records),
        "entries": len({r["entry"] for r in records}),
        "sources": len({r["source"] for r in records}),
        "true claims": sum(r["truth"] for r in records),
        "agreement": round(total["right"] / max(1, total["items"]), 4),
        "table": {**rows, "total": total},
        "seconds": round(sum(r["seconds"] for r in records), 1),
        "disagreements": [r for r in records if r["outcome"] != "right"],
        "records": records,
    }


def print_report(s, out=sys.stdout):
    head = f"{'topic':<16}" + "".join(f"{c:>17}" for c in COLUMNS)
    print(head, file=out)
    for name, row in s["table"].items():
        print(f"{name:<16}" + "".join(f"{row[c]:>17}" for c in COLUMNS), file=out)
    print(f"\n{s['items']} items over {s['entries']} entries, {s['true claims']} true by their probes; "
          f"agreement {100 * s['agreement']:.1f}%; symcheck time {s['seconds']} s", file=out)
    if s["disagreements"]:
        print("\ndisagreements (entry | claim | probe truth | verdict: message):", file=out)
        for r in s["disagreements"]:
            kind = "latex" if r["latex"] else "text"
            print(f"- [{r['outcome']}] {r['entry']} | {kind}: {r['claim']} | probe {'true' if r['truth'] else 'false'}"
                  f" | {r['verdict']}: {r['message'][:300]}", file=out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--topic", action="append", help="only this topic (repeatable)")
    parser.add_argument("--entry", action="append", help="only this entry id (repeatable)")
    parser.add_argument("--budget", type=float, default=10.0, help="per-claim budget in seconds (default 10)")
    args = parser.parse_args(argv)
    items = all_items()
    if args.topic:
        items = [it for it in items if it["topic"] in args.topic]
    if args.entry:
        items = [it for it in items if it["entry"] in args.entry]

    def progress(k, n, rec):
        if not args.json:
            print(f"[{k + 1}/{n}] {rec['outcome']:<15} {rec['seconds']:6.2f}s {rec['entry']}: {rec['claim'][:70]}",
                  file=sys.stderr)

    s = summary(run(items, budget=args.budget, progress=progress))
    if args.json:
        print(json.dumps(s, default=str))
    else:
        print_report(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
