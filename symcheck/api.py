"""The calls the package docstring promises: ``verify``, ``check``, ``equal`` and ``steps``.

They are the command line's ``symcheck verify``, ``check``, ``equal`` and ``steps`` as
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


def equal(lhs: str, rhs: str, *, latex: bool = False, assume=(), relation: str = "=",
          budget: float | None = None):
    """Are two expressions equal (or ordered) for every real value where either is defined, exactly as
    ``symcheck equal``?  Returns a ``Comparison``: ``.verdict``, ``.reason``, ``.counterexample`` and,
    when it holds only for positive values, ``.domain``."""
    from symcheck.equal_command import judge_texts
    from symcheck.equality import RELATIONS

    _budget(budget)
    if relation not in RELATIONS:
        raise _usage(f"relation must be one of {', '.join(RELATIONS)}, not {relation!r}")
    return judge_texts(_text(lhs, "the left side"), _text(rhs, "the right side"), latex=bool(latex),
                       assume=_conditions(assume), relation=relation, budget=budget)


def steps(chain: str, *, entry: str | None = None, latex: bool = False, assume=(), budget: float | None = None):
    """Judge a derivation step by step, exactly as ``symcheck steps``: ``chain`` is its text (an aligned
    display, or one expression per line).  Returns a ``ChainResult``: ``.steps`` (each with ``.verdict``,
    ``.counterexample``, ``.diagnosis``), ``.first_wrong_step`` (from 1, or None) and ``.verdict``."""
    from symcheck.catalogue import load
    from symcheck.steps_command import judge

    _budget(budget)
    found = load().get(_text(entry, "an entry id")) if entry is not None else None
    return judge(_text(chain, "the chain"), latex=bool(latex), entry=found, assumptions=_conditions(assume),
                 budget=budget)


def _conditions(assume) -> list:
    if isinstance(assume, str):
        return [assume]
    if not all(isinstance(c, str) for c in assume):
        raise _usage(f"assume must be a condition or a list of them, such as ['x > 0'], not {assume!r}")
    return list(assume)


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
