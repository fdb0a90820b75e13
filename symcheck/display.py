"""Plain-text rendering of entries and verdicts for the terminal."""
from __future__ import annotations

import textwrap

from symcheck.verdicts import VERDICTS, ClaimResult, EntryResult

MARK = {"proved": "proved", "confirmed": "confirmed", "refuted": "REFUTED", "undecided": "undecided",
        "error": "ERROR"}


def sheet_heading(sheet: str) -> str:
    from symcheck.catalogue import load

    meta = load().sheet_info(sheet)
    title = meta.get("title", "")
    return f"Sheet {sheet}" + (f": {title}" if title else "")


def claim_line(c: ClaimResult, width: int = 100) -> list[str]:
    expected = "" if c.matches else f"   <-- expected {c.expected}"
    head = f"    {c.label:<14} {MARK[c.verdict]:<10} {c.text}"
    if len(head) > width:
        head = head[: width - 3] + "..."
    lines = [head + expected]
    detail = c.evidence.summary() if c.verdict in ("proved", "confirmed", "refuted") else c.reason
    if c.verdict == "refuted" and c.corrects is None and c.source == "sheet":
        detail = "source error: " + detail
    elif c.verdict == "refuted" and c.source == "mistake":
        detail = "common mistake, wrong as the sheet says: " + detail
    for line in textwrap.wrap(detail, width - 8):
        lines.append(" " * 8 + line)
    if c.verdict == "refuted" and getattr(c, "diagnosis", None):
        lines.extend(" " * 8 + line for line in textwrap.wrap("diagnosis: " + c.diagnosis, width - 8))
    return lines


def entry_block(result: EntryResult) -> list[str]:
    lines = [f"  {result.id}  [{result.problem}]  {result.title}  ({result.seconds:.2f} s)"]
    if result.error:
        lines.append(f"    ERROR: {result.error}")
    for c in result.claims:
        lines.extend(claim_line(c))
    return lines


def counts(results: list[EntryResult]) -> dict:
    tally = {v: 0 for v in VERDICTS}
    for r in results:
        for c in r.claims:
            tally[c.verdict] += 1
    return tally


def summary(results: list[EntryResult], seconds: float) -> str:
    tally = counts(results)
    claims = sum(tally.values())
    mismatches = sum(1 for r in results for c in r.claims if not c.matches) + sum(1 for r in results if r.error)
    parts = [f"{tally['proved']} proved", f"{tally['confirmed']} confirmed",
             f"{tally['refuted']} refuted", f"{tally['undecided']} undecided", f"{tally['error']} error"]
    status = "every verdict as recorded" if not mismatches else (f"{mismatches} verdict differs from the catalogue" if mismatches == 1
                                                           else f"{mismatches} verdicts differ from the catalogue")
    return f"{_count(len(results), 'entry', 'entries')}, {_count(claims, 'claim')}: {', '.join(parts)}; {status}. {seconds:.1f} s"


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def sheet_summary(results: list[EntryResult]) -> str:
    """One line per sheet: what was proved, confirmed, refuted, and how many of
    the refutations are errors in the source sheet itself."""
    tally = counts(results)
    source_errors = sum(1 for r in results for c in r.claims if c.verdict == "refuted" and c.source == "sheet")
    return (f"  -> {_count(len(results), 'entry', 'entries')}: {tally['proved']} proved, {tally['confirmed']} confirmed, "
            f"{tally['refuted']} refuted ({_count(source_errors, 'source error')} found), {tally['undecided']} undecided"
            + (f", {tally['error']} error" if tally["error"] else ""))
