"""What each ``symcheck`` command does, once its arguments are parsed (cli.py
parses them, and owns exit codes, signals and the one-line errors)."""
from __future__ import annotations

import json
import sys
import time

from symcheck.errors import ClaimError, SymcheckError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_UNDECIDED = 0, 1, 2, 3


def _catalogue(args):
    """The catalogue the command reads: --catalogue, else the settings, else the built-in one."""
    from symcheck import catalogue

    catalogue.use(getattr(args, "catalogue", None))
    loaded = catalogue.load()
    for failure in loaded.failures:
        print(f"Error: {failure}", file=sys.stderr)
    return loaded


# -- commands ---------------------------------------------------------------------

def cmd_list(args) -> int:
    from symcheck.display import sheet_heading

    catalogue = _catalogue(args)
    sheets = catalogue.resolve_sheets([args.sheet] if args.sheet else [])
    if args.json:
        out = []
        for sheet in sheets:
            for item in catalogue.items(sheet):
                record = {"id": item.id, "title": item.title, "sheet": item.sheet, "problem": item.problem,
                          "checkable": hasattr(item, "claims")}
                if hasattr(item, "claims"):
                    record["claims"] = [{"label": c.label, "expect": c.expect, "source": c.source}
                                        for c in item.claims]
                out.append(record)
        print(json.dumps(out, indent=2))
        return EXIT_OK
    for sheet in sheets:
        print(sheet_heading(sheet))
        for item in catalogue.items(sheet):
            if hasattr(item, "claims"):
                tally = {}
                for c in item.claims:
                    tally[c.expect] = tally.get(c.expect, 0) + 1
                what = ", ".join(f"{n} {v}" for v, n in tally.items())
            else:
                what = "prose answer (not machine-checkable)"
            print(f"  {item.problem:<12} {item.id:<34} {item.title}  [{what}]")
    return EXIT_OK


def cmd_show(args) -> int:
    from symcheck.verifier import verify_entry

    catalogue = _catalogue(args)
    prose = next((p for p in catalogue.prose if p.id == args.id), None)
    if prose is not None:
        return _show_prose(prose, args.json)
    entry = catalogue.get(args.id)
    result = None if args.no_verify else verify_entry(entry)
    if args.json:
        data = {"id": entry.id, "title": entry.title, "sheet": entry.sheet, "problem": entry.problem,
                "question": entry.question, "reading": entry.reading, "asks": entry.asks.describe(),
                "symbols": entry.notation.describe(),
                "claims": [{"label": c.label, "text": c.text, "latex": c.latex, "expect": c.expect,
                            "source": c.source, "note": c.note, "corrects": c.corrects} for c in entry.claims],
                "reference": _reference_text(entry)}
        if result is not None:
            data["verification"] = result.to_json()
        print(json.dumps(data, indent=2, default=str))
        return EXIT_OK
    from symcheck.display import entry_block

    print(f"{entry.id}: {entry.title}")
    print(f"  sheet {entry.sheet}, problem {entry.problem}")
    print(f"  question: {entry.question}")
    if entry.reading:
        print(f"  reading: {entry.reading}")
    print(f"  asks: {entry.asks.describe()}")
    print("  notation (name: LaTeX, domain):")
    for s in entry.notation.describe():
        extra = s.get("domain") or s.get("kind")
        print(f"    {s['name']}: {s['latex']}  ({extra})")
    print("  reference (engine-derived, smallest size):")
    print("    " + _reference_text(entry))
    print("  claims:")
    for c in entry.claims:
        print(f"    [{c.label}] {c.text}   (recorded: {c.expect}; {c.source})" + (f"  note: {c.note}" if c.note else ""))
    if result is not None:
        print("  verdicts:")
        for line in entry_block(result)[1:]:
            print("  " + line)
    return EXIT_OK


def _show_prose(prose, as_json: bool) -> int:
    data = {"id": prose.id, "title": prose.title, "sheet": prose.sheet, "problem": prose.problem,
            "question": prose.question, "answer": prose.answer, "checkable": False, "why": prose.why}
    if as_json:
        print(json.dumps(data, indent=2))
    else:
        print(f"{prose.id}: {prose.title}")
        print(f"  sheet {prose.sheet}, problem {prose.problem} (not machine-checkable: {prose.why})")
        print(f"  question: {prose.question}")
        print(f"  answer: {prose.answer}")
    return EXIT_OK


def _reference_text(entry) -> str:
    from symcheck.instance import Instance

    if entry.asks.kind == "behaviour":
        return "(none: the claim's parameters are judged by simulating the network the question describes)"
    try:
        entry.asks.bind(entry)
        sizes = entry.asks.proof_sizes()[0]
        ref = entry.asks.reference(Instance(entry.notation, sizes))
        if ref is None:
            return "(no symbolic reference; numeric oracle only)"
        at = f" at {', '.join(f'{k}={v}' for k, v in sizes.items())}" if sizes else ""
        text = str(ref.tolist() if ref.shape else ref[()])
        return (text if len(text) < 400 else text[:397] + "...") + at
    except SymcheckError as error:
        return f"(cannot derive: {error})"


def cmd_verify(args) -> int:
    from symcheck.display import entry_block, sheet_heading, sheet_summary, summary
    from symcheck.runs import verify_many

    catalogue = _catalogue(args)
    broken = {i: f for f in catalogue.failures for i in f.ids}
    wanted = args.ids or [e.id for e in catalogue.entries] + list(broken)
    entries = [catalogue.get(i) for i in wanted if i not in broken]
    start = time.monotonic()
    results = verify_many(entries, jobs=args.jobs, cache=not args.no_cache, budget=args.budget,
                          progress=not args.json and sys.stderr.isatty())
    results += [_unloadable(i, broken[i]) for i in wanted if i in broken]
    if not args.ids:  # a file that fails before naming any entry still fails the run
        results += [_unloadable(f.path.stem, f) for f in catalogue.failures if not f.ids]
    seconds = time.monotonic() - start
    ok = all(r.matches for r in results)
    if args.json:
        print(json.dumps({"ok": ok, "seconds": round(seconds, 3), "entries": [r.to_json() for r in results]},
                         indent=2, default=str))
        return EXIT_OK if ok else EXIT_FAILED
    by_sheet = {}
    for r in results:
        by_sheet.setdefault(r.sheet, []).append(r)
    for sheet in sorted(by_sheet):
        print(sheet_heading(sheet))
        for r in by_sheet[sheet]:
            print("\n".join(entry_block(r)))
        print(sheet_summary(by_sheet[sheet]))
        print()
    print(summary(results, seconds))
    return EXIT_OK if ok else EXIT_FAILED


def _unloadable(entry_id: str, failure):
    """The verdict of an entry whose file cannot be loaded: an error naming the file and the line."""
    from symcheck.verdicts import EntryResult

    return EntryResult(entry_id, "(cannot be loaded)", failure.sheet or "(unknown sheet)", "?", error=str(failure))


#: a claim is one expression; a file larger than this is not one
MAX_CLAIM_BYTES = 1 << 16


def _read_claim(args) -> str:
    if args.file and args.claim:
        raise UsageError("give the claim either as an argument or with --file, not both")
    if args.file:
        from symcheck.input_files import read_input

        where = "the claim on standard input" if args.file == "-" else f"claim file {args.file!r}"
        return decode_claim(read_input(args.file, where, MAX_CLAIM_BYTES, "a claim is one expression"), where)
    if args.claim is None:
        raise UsageError("missing CLAIM (or --file FILE); see 'symcheck check --help'")
    return args.claim


def decode_claim(data: bytes, where: str, what: str = "claim") -> str:
    """The text of a claim read as bytes: UTF-8, or UTF-16 when it starts with a byte-order mark."""
    import codecs

    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0  # offsets count from the file's start
    try:
        return data.decode("utf-16") if utf16 else data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = error.start + (0 if utf16 else skip)
        raise UsageError(f"{where} is not {'UTF-16' if utf16 else 'UTF-8'} text: byte 0x{data[offset]:02x} at "
                         f"offset {offset} ({error.reason}); save the {what} as UTF-8") from None


def cmd_check(args) -> int:
    from symcheck.checking import check_claim

    entry = _catalogue(args).get(args.id)
    text = _read_claim(args)
    if _is_chain(entry, text, args.latex):  # issue 12: "A = B = C" is judged step by step, as 'steps --entry'
        from symcheck import steps_command

        chain = steps_command.judge(text, latex=args.latex, entry=entry, budget=args.budget)
        return steps_command.report(chain, as_json=args.json)
    result, parsed = check_claim(entry, text, latex=args.latex, budget=args.budget)
    if result.verdict == "error" and result.reason.startswith("the claim"):
        # the claim itself cannot be judged (it cannot be evaluated): bad input
        raise ClaimError(result.reason)
    code = {"proved": EXIT_OK, "confirmed": EXIT_OK, "refuted": EXIT_FAILED, "undecided": EXIT_UNDECIDED,
            "error": EXIT_FAILED}[result.verdict]
    if args.json:
        data = {"id": entry.id, "claim": text, "verdict": result.verdict, "reason": result.reason,
                "evidence": result.to_json()["evidence"]}
        data.update(parsed)
        data.update(diagnosis=result.diagnosis, mistake=result.mistake)  # issue 9: what is wrong
        print(json.dumps(data, indent=2, default=str))
        return code
    print(f"{result.verdict}: {result.evidence.summary() or result.reason}")
    if result.diagnosis:  # issue 9: what is wrong
        print(f"diagnosis: {result.diagnosis}")
    return code


def _is_chain(entry, text: str, latex: bool) -> bool:
    """A chain ('A = B = C'), judged step by step; see steps_command.is_chain.  Deciding it reads
    the claim's left side, so it runs in a bounded child like everything else a claim does."""
    from symcheck.budget import DeadlineExceeded, run_with_deadline
    from symcheck.checking import CHECK_BUDGET
    from symcheck.steps_command import is_chain

    try:
        return run_with_deadline(lambda: is_chain(entry, text, latex), CHECK_BUDGET)
    except (DeadlineExceeded, MemoryError):
        return False  # then it is read as one claim, under check's own deadline


def cmd_report(args) -> int:
    from symcheck.catalogue import default_report_dir
    from symcheck.report import main as report_main

    _catalogue(args)
    if args.out is None:
        args.out = str(default_report_dir())
    return report_main(args)


def cmd_grade(args) -> int:
    from symcheck.grade_command import main as grade_main

    return grade_main(args)


def cmd_init(args) -> int:
    from pathlib import Path

    from symcheck.starter import write_starter

    for path in write_starter(Path(args.dir)):
        print(f"wrote {path}")
    print(f"next: cd {args.dir} && symcheck verify && symcheck report --pdf && pytest")
    return EXIT_OK
