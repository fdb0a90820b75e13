"""Reading a class's answers: one per line, CSV, JSONL, or a folder of files.

Every reader returns :class:`Submission` rows in input order.  The format is
told by the path (a folder; ``.csv``; ``.jsonl``/``.ndjson``) or, for anything
else (``-`` for standard input included), by the content: a first line that
starts with ``{`` is JSONL, a first line ``student,answer`` (any column order,
any extra columns) is CSV, and anything else is one answer per line.

Bad input is a :class:`UsageError`: one line naming the file and the line.
"""
from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

from symcheck.errors import UsageError

#: an answer is one expression (as in ``check --file``)
MAX_ANSWER_BYTES = 1 << 16
#: a class, not a data set: refuse anything larger outright
MAX_INPUT_BYTES = 256 << 20


@dataclass(frozen=True)
class Submission:
    index: int      # position in the input, from 0: rows are reported in this order
    student: str
    answer: str


def read_submissions(path: str) -> list[Submission]:
    """The submissions in ``path`` ('-': standard input); raises UsageError."""
    if path != "-" and os.path.isdir(path):
        rows = _read_folder(Path(path))
    else:
        where = "standard input" if path == "-" else f"answers file {path!r}"
        text = _decode(_read_bytes(path, where), where)
        rows = _parse_text(text, _kind(path, text), where)
    if not rows:
        raise UsageError(f"no answers in {path if path != '-' else 'standard input'}")
    _check_unique(rows)
    return rows


def _read_bytes(path: str, where: str) -> bytes:
    from symcheck.input_files import read_input

    return read_input(path, where, MAX_INPUT_BYTES)


def _decode(data: bytes, where: str) -> str:
    import codecs

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, data = "utf-16", data
    else:
        encoding, data = "utf-8", data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UsageError(f"{where} is not {encoding.upper()} text (byte offset {error.start}: {error.reason})") \
            from None


def _kind(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("{"):
        return "jsonl"
    if _is_csv_header(first):
        return "csv"
    return "lines"


def _is_csv_header(line: str) -> bool:
    try:
        cells = [c.strip().lower() for c in next(csv.reader([line]))]
    except (csv.Error, StopIteration):
        return False
    return "student" in cells and "answer" in cells


def _parse_text(text: str, kind: str, where: str) -> list[Submission]:
    return {"csv": _parse_csv, "jsonl": _parse_jsonl, "lines": _parse_lines}[kind](text, where)


def _parse_lines(text: str, where: str) -> list[Submission]:
    """One answer per line; blank lines are skipped; the student is the line number."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            rows.append(Submission(len(rows), f"line-{number}", _bounded(line.strip(), where, number)))
    return rows


def _parse_csv(text: str, where: str) -> list[Submission]:
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "student" not in fields or "answer" not in fields:
            raise UsageError(f"{where}: a CSV needs a header with 'student' and 'answer' columns, "
                             f"got {', '.join(reader.fieldnames or []) or 'none'}")
        reader.fieldnames = fields
        rows = []
        for record in reader:
            line = reader.line_num
            student, answer = record.get("student"), record.get("answer")
            if student is None or answer is None:
                raise UsageError(f"{where}, line {line}: missing the student or the answer cell")
            rows.append(Submission(len(rows), _student(student, where, line), _bounded(answer.strip(), where, line)))
        return rows
    except csv.Error as error:
        raise UsageError(f"{where}: not valid CSV ({error})") from None


def _parse_jsonl(text: str, where: str) -> list[Submission]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError):
            raise UsageError(f"{where}, line {number}: not a JSON object") from None
        if not isinstance(record, dict) or not isinstance(record.get("answer"), str) \
                or not isinstance(record.get("student"), (str, int)) or isinstance(record.get("student"), bool):
            raise UsageError(f"{where}, line {number}: expected {{\"student\": ..., \"answer\": \"...\"}}")
        rows.append(Submission(len(rows), _student(str(record["student"]), where, number),
                               _bounded(record["answer"].strip(), where, number)))
    return rows


def _read_folder(folder: Path) -> list[Submission]:
    """One file per student, the student being the file's name without its suffix; sorted by name."""
    try:
        files = sorted(p for p in folder.iterdir() if not p.name.startswith(".") and p.is_file())
    except OSError as error:
        raise UsageError(f"cannot read folder {str(folder)!r}: {error.strerror}") from None
    rows = []
    for path in files:
        where = f"answer file {str(path)!r}"
        data = _read_bytes(str(path), where)
        if len(data) > MAX_ANSWER_BYTES:
            raise UsageError(f"{where} is larger than {MAX_ANSWER_BYTES >> 10} KiB; an answer is one expression")
        rows.append(Submission(len(rows), path.stem, _decode(data, where).strip()))
    return rows


def _student(name: str, where: str, line: int) -> str:
    name = name.strip()
    if not name:
        raise UsageError(f"{where}, line {line}: the student is empty")
    return name


def _bounded(answer: str, where: str, line: int) -> str:
    if len(answer.encode("utf-8", "surrogatepass")) > MAX_ANSWER_BYTES:
        raise UsageError(f"{where}, line {line}: the answer is larger than {MAX_ANSWER_BYTES >> 10} KiB")
    return answer


def _check_unique(rows: list[Submission]) -> None:
    """A student twice is ambiguous (which answer counts?): refuse rather than guess."""
    seen: dict = {}
    for row in rows:
        if row.student in seen:
            raise UsageError(f"student {row.student!r} appears twice (rows {seen[row.student] + 1} and "
                             f"{row.index + 1}); give one answer per student")
        seen[row.student] = row.index
