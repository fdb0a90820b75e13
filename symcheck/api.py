"""The two calls the package docstring promises: ``verify`` and ``check``.

They are the command line's ``symcheck verify`` and ``symcheck check`` as
functions, with their arguments validated here, at the boundary, so that a
mistake is one ``UsageError`` that says what to pass instead.
"""
from __future__ import annotations

from symcheck.budget import validated


def verify(*ids: str, jobs: int = 1, cache: bool = False, budget: float | None = None) -> list:
    """Verify catalogue entries (all of them when no id is given).

    Returns one ``EntryResult`` per entry, in the order asked; each has
    ``.claims`` (verdict, evidence) and ``.matches`` (every verdict as recorded).
    """
    from symcheck.catalogue import load
    from symcheck.runs import verify_many

    _budget(budget)
    if not isinstance(jobs, int) or jobs < 1:
        raise _usage(f"jobs must be a positive whole number, not {jobs!r}")
    catalogue = load()
    entries = [catalogue.get(_text(i, "an entry id")) for i in ids] if ids else catalogue.entries
    return verify_many(entries, jobs=jobs, cache=cache, budget=budget)


def check(entry_id: str, claim: str, *, latex: bool = False, budget: float | None = None):
    """Check one claim against a catalogue entry, exactly as ``symcheck check``.

    Returns a ``ClaimResult``: ``.verdict`` is proved, confirmed, refuted,
    undecided or error, ``.evidence`` the points, the proof and the
    counterexample.  A claim that cannot be read raises ``ClaimError``.
    """
    from symcheck.catalogue import load
    from symcheck.checking import check_claim

    _budget(budget)
    entry = load().get(_text(entry_id, "an entry id"))
    result, _ = check_claim(entry, _text(claim, "the claim"), latex=bool(latex), budget=budget)
    return result


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _usage(f"{what} must be a non-empty string, not {value!r}")
    return value


def _budget(budget) -> None:
    if budget is not None:
        validated(budget)


def _usage(message: str):
    from symcheck.errors import UsageError

    return UsageError(message)
