"""``symcheck grade``: read the answers, grade them, write the results.

Exit 0 when grading completed, whatever the verdicts; 2 on bad input (one
line on stderr); on Ctrl-C the rows finished so far are written first, then
the interrupt goes on to the command's handler (exit 130).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from symcheck.errors import UsageError

PLATFORMS = ("prairielearn", "gradescope")


def main(args) -> int:
    from symcheck import grade_formats

    report_dir = getattr(args, "report", None)
    if getattr(args, "pdf", False) and not report_dir:
        raise UsageError("--pdf builds the --report pages: give --report DIR too")
    if args.merge:
        if report_dir:
            raise UsageError("--report needs the entry and the answers, not --merge: grade the shards with --report")
        if args.id or args.answers or args.shard:
            raise UsageError("--merge takes only the shards' files: symcheck grade --merge A.jsonl B.jsonl ...")
        entry_id, rows = grade_formats.read_shards(args.merge)
        emit(args, entry_id, rows, grade_formats.merged_summary(rows), interrupted=False)
        return 0
    if not args.id or not args.answers:
        raise UsageError("give an entry id and the answers: symcheck grade ID ANSWERS (see 'symcheck grade --help')")
    batch = run(args)
    emit(args, batch.entry, batch.rows, batch.summary(), interrupted=batch.interrupted is not None)
    if report_dir:
        write_report(batch, Path(report_dir), getattr(args, "pdf", False))
    if batch.interrupted is not None:
        raise batch.interrupted
    return 0


def write_report(batch, out: Path, pdf: bool) -> None:
    """The --report pages of the rows graded (after a Ctrl-C, of those finished)."""
    from symcheck import grade_report
    from symcheck.catalogue import load

    paths, pdfs = grade_report.write_pages(load().get(batch.entry), batch.rows, out, pdf=pdf)
    where = f"{out}" + (f" (PDFs in {out / grade_report.BUILD})" if pdfs else "")
    print(f"wrote {len(paths)} student page{'s' if len(paths) != 1 else ''} to {where}", file=sys.stderr)


def run(args):
    from symcheck.catalogue import load
    from symcheck.grade_inputs import read_submissions
    from symcheck.grading import grade, in_shard

    entry = load().get(args.id)  # an unknown id is the catalogue's one-line UsageError
    shard = shard_spec(args.shard) if args.shard else None
    submissions = read_submissions(args.answers)
    if shard:
        submissions = [s for s in submissions if in_shard(s.student, shard)]
    if getattr(args, "report", None):  # said before grading: a clash of file names, an unwritable DIR, no pdflatex
        from symcheck import grade_report

        grade_report.file_names([s.student for s in submissions])
        grade_report.check_destination(Path(args.report), getattr(args, "pdf", False))
    if args.format in PLATFORMS and len(submissions) > 1 and not args.out and not args.json:
        # said before grading, not after it
        raise UsageError(f"with several answers, --format {args.format} writes one results.json per student: "
                         "give --out DIR")
    return grade(entry, submissions, latex=args.latex, jobs=args.jobs, budget=args.budget,
                 cache=not args.no_cache)


def shard_spec(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise UsageError(f"--shard takes K/N with 1 <= K <= N, such as 1/4; got {text!r}")
    return int(match.group(1)), int(match.group(2))


def emit(args, entry_id: str, rows: list, summary: dict, interrupted: bool) -> None:
    from symcheck import grade_formats as formats

    kind = args.format
    if args.json:
        _write(args.out, formats.json_text(rows, summary, entry_id, args.latex, interrupted) + "\n")
        return
    if kind == "table":
        _write(args.out, formats.table(rows, summary, entry_id) + "\n")
        if args.out:
            print(formats.summary_text(summary, entry_id))
        return
    if kind in PLATFORMS:
        if not rows:
            raise UsageError("no answers were graded, so there is no results.json to write")
        text = formats.write_platform(kind, rows, entry_id, args.out)
        if text is not None:
            _write(args.out, text)
            return
    else:
        _write(args.out, formats.csv_text(rows) if kind == "csv" else formats.jsonl_text(rows, entry_id))
    # the records went to a file (or a folder): the summary is for the person at the terminal
    print(formats.summary_text(summary, entry_id), file=sys.stdout if args.out else sys.stderr)


def _write(out: str | None, text: str) -> None:
    if not out or out == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UsageError(f"cannot write {out!r}: {error.strerror}") from None
