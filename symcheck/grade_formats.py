"""Writing a graded batch: a table, CSV, JSON Lines, JSON, or a course platform's results.json.

* ``table``: one line per answer, then the summary (counts per verdict, the
  most frequent mistakes);
* ``csv`` and ``jsonl``: one record per answer (JSONL rows carry the entry and
  the input position, so ``grade --merge`` can join shards);
* ``prairielearn``: PrairieLearn's external-grader results.json
  (``gradable``, ``score`` in 0..1, ``message``, ``output``, ``tests`` with
  ``name``, ``points``, ``max_points``, ``message``, ``output``); an answer that
  cannot be read is ``gradable: false`` with ``format_errors``, so it is not
  scored as wrong;
* ``gradescope``: Gradescope's autograder results.json (``score``, ``output``,
  ``tests`` with ``name``, ``score``, ``max_score``, ``status``, ``output``).

A platform grades one submission per job: with one answer the results.json
object is written as is; with several, ``--out DIR`` receives
``DIR/<student>/results.json`` for each.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from symcheck.errors import UsageError
from symcheck.grading import Row, summarise
from symcheck.verdicts import HOLDS

FORMATS = ("table", "csv", "jsonl", "prairielearn", "gradescope")
CSV_COLUMNS = ("student", "verdict", "mistake", "diagnosis", "counterexample", "seconds", "source", "format_error",
               "reason", "answer")
ROW_FIELDS = set(Row.__dataclass_fields__)


# -- for people -------------------------------------------------------------------------

def table(rows: list, summary: dict, entry: str) -> str:
    width = max([len("student")] + [len(r.student) for r in rows])
    lines = [f"{'student':<{width}}  {'verdict':<9}  {'diagnosis':<44}  {'counterexample':<44}  time"]
    for r in rows:
        what = r.diagnosis or (r.reason if r.verdict in ("error", "undecided") else "")
        lines.append(f"{r.student:<{width}}  {r.verdict:<9}  {_cut(what, 44):<44}  {_cut(_short(r), 44):<44}  "
                     f"{r.seconds:5.2f}s{'' if r.source == 'judged' else ' ' + r.source}")
    return "\n".join(lines + ["", summary_text(summary, entry)])


def summary_text(summary: dict, entry: str) -> str:
    counts = ", ".join(f"{v} {n}" for v, n in summary["verdicts"].items())
    lines = [f"graded {summary['graded']} of {summary['answers']} answers to {entry} in {summary['seconds']:.1f} s "
             f"(judged {summary['judged']}, duplicates {summary['duplicates']}, equivalent spellings "
             f"{summary.get('equivalent', 0)}, from the cache {summary['cached']})",
             f"  {counts} (unreadable: {summary['format_errors']})"]
    if summary["mistakes"]:
        lines.append("most frequent mistakes:")
        lines += [f"  {m['count']:>4}  {m['mistake']}: {m['example']}" for m in summary["mistakes"][:10]]
    return "\n".join(lines)


def _short(row: Row) -> str:
    """The counterexample without its preamble: the values claimed and wanted."""
    text = row.counterexample
    return text.split(": ", 1)[1] if text.startswith("counterexample") and ": " in text else text


def _cut(text: str, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


# -- for programs -------------------------------------------------------------------------

def csv_text(rows: list) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        data = r.to_json()
        writer.writerow([data[c] if data[c] is not None else "" for c in CSV_COLUMNS])
    return out.getvalue()


def jsonl_text(rows: list, entry: str) -> str:
    return "".join(json.dumps(dict(r.to_json(), entry=entry)) + "\n" for r in rows)


def json_text(rows: list, summary: dict, entry: str, latex: bool, interrupted: bool) -> str:
    return json.dumps({"entry": entry, "latex": latex, "interrupted": interrupted, "summary": summary,
                       "rows": [r.to_json() for r in rows]}, indent=2)


# -- course platforms ---------------------------------------------------------------------

def feedback(row: Row) -> str:
    """What the student reads."""
    if row.format_error or row.verdict == "error":
        return f"Your answer could not be read: {row.reason}"
    if row.verdict == "proved":
        return f"Correct: proved equal to the reference ({row.evidence})."
    if row.verdict == "confirmed":
        return f"Correct: equal to the reference at every sampled point ({row.evidence})."
    if row.verdict == "undecided":
        return f"Not decided within the time budget ({row.reason}); your instructor will review it."
    words = [f"Incorrect: {row.diagnosis}." if row.diagnosis else "Incorrect."]
    if row.counterexample:
        words.append(row.counterexample)
    return " ".join(words)


def prairielearn(row: Row, entry: str) -> dict:
    if row.format_error or row.verdict == "error":  # invalid, not wrong: PrairieLearn does not count it
        return {"gradable": False, "format_errors": [row.reason], "message": feedback(row)}
    points = 1 if row.verdict in HOLDS else 0
    return {"gradable": True, "score": float(points), "message": feedback(row), "output": row.evidence,
            "tests": [{"name": entry, "description": f"your answer: {row.answer}", "points": points,
                       "max_points": 1, "message": feedback(row), "output": row.counterexample or row.evidence}]}


def gradescope(row: Row, entry: str) -> dict:
    score = 1.0 if row.verdict in HOLDS else 0.0
    return {"score": score, "output": feedback(row), "execution_time": max(1, round(row.seconds)),
            "tests": [{"name": entry, "score": score, "max_score": 1.0,
                       "status": "passed" if score else "failed", "output": feedback(row)}]}


def write_platform(kind: str, rows: list, entry: str, out: str | None) -> str | None:
    """One results.json object (one answer) as text, or DIR/<student>/results.json for several."""
    build = {"prairielearn": prairielearn, "gradescope": gradescope}[kind]
    if len(rows) == 1:
        return json.dumps(build(rows[0], entry), indent=2) + "\n"
    if not out:
        raise UsageError(f"with several answers, --format {kind} writes one results.json per student: "
                         "give --out DIR")
    folder = Path(out)
    try:
        for r in rows:
            target = folder / safe_name(r.student)
            target.mkdir(parents=True, exist_ok=True)
            (target / "results.json").write_text(json.dumps(build(r, entry), indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot write {str(folder)!r}: {error.strerror}") from None
    return None


def safe_name(student: str) -> str:
    """A folder name for a student: the name itself when harmless, else a cleaned name and a hash."""
    clean = re.sub(r"\.{2,}", "_", re.sub(r"[^A-Za-z0-9._@-]", "_", student))[:80]
    if clean == student and clean not in (".", ".."):
        return clean
    return f"{clean.strip('.') or 'student'}-{hashlib.sha256(student.encode()).hexdigest()[:8]}"


# -- shards -------------------------------------------------------------------------------

def read_shards(paths: list[str]) -> tuple[str, list]:
    """The rows of several ``--format jsonl`` outputs, in input order; raises UsageError."""
    entries, rows = set(), {}
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UsageError(f"cannot read shard {path!r}: {getattr(error, 'strerror', None) or error}") from None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            row, entry = _shard_row(line, path, number)
            entries.add(entry)
            if row.index in rows:
                raise UsageError(f"{path}, line {number}: answer {row.index + 1} ({row.student}) is in two shards")
            rows[row.index] = row
    if len(entries) != 1:
        raise UsageError("the shards grade different entries: " + ", ".join(sorted(entries)) if entries
                         else "the shards hold no rows")
    return entries.pop(), [rows[i] for i in sorted(rows)]


def _shard_row(line: str, path: str, number: int):
    try:
        data = json.loads(line)
        entry = data.pop("entry")
        if set(data) != ROW_FIELDS or not isinstance(entry, str) or not isinstance(data["index"], int):
            raise ValueError
        return Row(**data), entry
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        raise UsageError(f"{path}, line {number}: not a row of 'symcheck grade --format jsonl'") from None


def merged_summary(rows: list) -> dict:
    return summarise(rows, len(rows), sum(r.seconds for r in rows))
