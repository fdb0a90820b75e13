"""The strict shape of a cached result, checked before anything in it is used.

A cache record is untrusted input: every field must have exactly the type and
the keys a fresh run produces, every verdict must come from the closed set,
and everything the catalogue itself states about a claim (label, text,
LaTeX, expectation, source, note, correction, chain) must equal the entry's
own value.  Any difference raises :class:`SchemaMismatch`, which the cache
treats as a miss.
"""
from __future__ import annotations

import math
import re

from symcheck.verdicts import VERDICTS

#: a size or a point coordinate is named like a symbol of the notation
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: a coordinate's value: a number, or a (nested) list of them; deeper is not ours
_MAX_VALUE_DEPTH = 8


class SchemaMismatch(ValueError):
    """The record is not a result this engine wrote for this entry."""


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise SchemaMismatch(what)


def claim_ids(entry) -> list:
    """What the catalogue states about each claim; a record must repeat it exactly."""
    return [{"label": c.label, "text": c.text, "latex": c.latex, "expect": c.expect, "source": c.source,
             "note": c.note, "corrects": c.corrects, "chain": c.chain} for c in entry.claims]


# -- scalar checks ------------------------------------------------------------------------

def _str(value, where: str) -> None:
    _require(isinstance(value, str), f"{where}: not a string")


def _int(value, where: str) -> None:
    _require(isinstance(value, int) and not isinstance(value, bool) and value >= 0,
             f"{where}: not a non-negative integer")


def _number(value, where: str) -> None:
    _require(isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: not a number")


def _seconds(value, where: str) -> None:
    _number(value, where)
    _require(math.isfinite(value) and value >= 0, f"{where}: not a duration")


def _strings(value, where: str) -> None:
    _require(isinstance(value, list), f"{where}: not a list")
    for item in value:
        _str(item, where)


def _fields(data, names: set, where: str) -> None:
    _require(isinstance(data, dict) and set(data) == names, f"{where}: not the expected fields")


def _sizes(value, where: str) -> None:
    _require(isinstance(value, dict), f"{where}: not a mapping")
    for name, size in value.items():
        _require(isinstance(name, str) and _NAME.fullmatch(name) is not None, f"{where}: bad name")
        _int(size, where)


def _size_list(value, where: str) -> None:
    _require(isinstance(value, list), f"{where}: not a list")
    for sizes in value:
        _sizes(sizes, where)


def _value(value, where: str, depth: int = 0) -> None:
    _require(depth <= _MAX_VALUE_DEPTH, f"{where}: nested too deep")
    if isinstance(value, list):
        for item in value:
            _value(item, where, depth + 1)
    else:
        _require(value is None or isinstance(value, (int, float, str)), f"{where}: not a value")


# -- records ------------------------------------------------------------------------------

def validate_result(entry, data) -> None:
    """Raise SchemaMismatch unless ``data`` is exactly an EntryResult.to_json() for ``entry``."""
    _fields(data, {"id", "title", "sheet", "problem", "seconds", "error", "notes", "matches", "claims"}, "result")
    for name in ("id", "title", "sheet", "problem"):
        _require(data[name] == getattr(entry, name), f"result.{name}: another entry's")
    _seconds(data["seconds"], "result.seconds")
    _str(data["error"], "result.error")
    _strings(data["notes"], "result.notes")
    _require(isinstance(data["matches"], bool), "result.matches: not a boolean")
    claims = data["claims"]
    _require(isinstance(claims, list) and len(claims) == len(entry.claims) > 0, "result.claims: not the entry's")
    for stated, claim in zip(claim_ids(entry), claims):
        _claim(stated, claim)


def _claim(stated: dict, data) -> None:
    where = f"claim {stated['label']!r}"
    _fields(data, {"label", "text", "latex", "verdict", "expected", "evidence", "reason", "seconds", "source",
                   "note", "corrects", "chain", "matches", "diagnosis", "mistake"}, where)
    for name, value in stated.items():
        _require(data["expected" if name == "expect" else name] == value, f"{where}.{name}: not the catalogue's")
    _require(data["verdict"] in VERDICTS, f"{where}.verdict: not one of {', '.join(VERDICTS)}")
    _str(data["reason"], f"{where}.reason")
    for name in ("diagnosis", "mistake"):  # what a refuted claim gets wrong, or None
        _require(data[name] is None or isinstance(data[name], str), f"{where}.{name}: not text or null")
    _require(data["mistake"] is None or data["verdict"] == "refuted", f"{where}.mistake: only a refuted claim has one")
    _seconds(data["seconds"], f"{where}.seconds")
    _require(isinstance(data["matches"], bool), f"{where}.matches: not a boolean")
    _evidence(data["evidence"], f"{where}.evidence")


def _evidence(data, where: str) -> None:
    _fields(data, {"points", "worst_error", "sizes", "symbolic", "counterexample", "notes", "margin"}, where)
    _int(data["points"], f"{where}.points")
    _number(data["worst_error"], f"{where}.worst_error")
    _size_list(data["sizes"], f"{where}.sizes")
    _strings(data["notes"], f"{where}.notes")
    if data["margin"] is not None:
        _number(data["margin"], f"{where}.margin")
    if data["symbolic"] is not None:
        _symbolic(data["symbolic"], f"{where}.symbolic")
    if data["counterexample"] is not None:
        _counterexample(data["counterexample"], f"{where}.counterexample")


def _symbolic(data, where: str) -> None:
    _fields(data, {"proved", "stage", "seconds", "sizes", "reason"}, where)
    _require(isinstance(data["proved"], bool), f"{where}.proved: not a boolean")
    if data["stage"] is not None:
        _str(data["stage"], f"{where}.stage")
    _seconds(data["seconds"], f"{where}.seconds")
    _size_list(data["sizes"], f"{where}.sizes")
    _str(data["reason"], f"{where}.reason")


def _counterexample(data, where: str) -> None:
    _fields(data, {"sizes", "point", "entry", "claimed", "reference", "digits", "note", "difference", "exact"},
            where)
    _sizes(data["sizes"], f"{where}.sizes")
    _require(isinstance(data["point"], dict), f"{where}.point: not a mapping")
    for name, value in data["point"].items():
        _require(_NAME.fullmatch(name) is not None, f"{where}.point: bad name")
        _value(value, f"{where}.point")
    if data["entry"] is not None:
        _require(isinstance(data["entry"], list), f"{where}.entry: not a list")
        for index in data["entry"]:
            _int(index, f"{where}.entry")
    for name in ("claimed", "reference", "note", "difference"):
        _str(data[name], f"{where}.{name}")
    _int(data["digits"], f"{where}.digits")
    _require(isinstance(data["exact"], bool), f"{where}.exact: not a boolean")
