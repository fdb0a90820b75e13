"""Verdicts and the evidence behind them.

* **proved**: claim − reference reduced to 0 symbolically (at the sizes listed),
  and the numeric check agrees as well;
* **confirmed**: the numeric check agrees at every point; the symbolic side
  stayed inconclusive within its budget;
* **refuted**: a counterexample, re-checked in high precision;
* **undecided**: a budget ran out before either side could decide;
* **error**: the entry or the claim is malformed, or the engine contradicted
  itself (a symbolic proof the numbers refute), which is reported loudly.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

VERDICTS = ("proved", "confirmed", "refuted", "undecided", "error")
HOLDS = ("proved", "confirmed")


@dataclass
class Counterexample:
    sizes: dict
    point: dict
    entry: list | None
    claimed: str
    reference: str
    digits: int
    note: str = ""
    difference: str = ""
    #: both values were computed exactly (rational arithmetic): no rounding at all
    exact: bool = False

    def describe(self) -> str:
        if not self.digits:  # structural: shapes, an undefined product, a simulated input
            sizes = ", ".join(f"{k}={v}" for k, v in self.sizes.items())
            at = f" at {sizes}" if sizes else ""
            point = describe_point(self.point)
            return (f"counterexample{at}: {self.note or 'claimed ' + self.claimed + ', wanted ' + self.reference}"
                    + (f" (claimed {self.claimed}, wanted {self.reference})" if self.note and self.claimed not in
                       ("undefined",) and self.claimed.split()[-1] not in self.note else "") + (f"; {point}" if point else ""))
        where = f" entry {_position(self.entry)}" if self.entry else ""
        sizes = ", ".join(f"{k}={v}" for k, v in self.sizes.items())
        point = describe_point(self.point)
        at = f" at {sizes}" if sizes else ""
        how = "exact" if self.exact else f"checked to {self.digits} digits"
        return (f"counterexample{at}{where}: claimed {self.claimed}, reference {self.reference} "
                f"({how}){'; ' + self.note if self.note else ''}" + (f"; point: {point}" if point else ""))


def _position(entry: list) -> str:
    """Entry 3 of a vector, entry (2, 1) of a matrix: counted from 1, row first."""
    return str(entry[0]) if len(entry) == 1 else "(" + ", ".join(map(str, entry)) + ")"


#: a point value with more entries than this is a wall: it is shortened (the JSON keeps it whole)
WALL = 9


def wall(value) -> dict | None:
    """A vector or matrix too large to print, summarised: its shape and, when
    few of its entries are nonzero, those entries (counted from 1, row first);
    None for a value small enough to print as it is."""
    if not isinstance(value, (list, tuple)):
        return None
    try:
        import numpy as np

        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):  # ragged, or not numbers
        return None
    if array.size <= WALL:
        return None
    nonzero = [(tuple(int(i) + 1 for i in idx), float(v)) for idx, v in np.ndenumerate(array) if v != 0]
    return {"shape": array.shape, "nonzero": nonzero if len(nonzero) <= WALL else None}


def describe_point(point: dict) -> str:
    return "; ".join(f"{k} = {_short(v)}" for k, v in point.items())


def _short(value) -> str:
    summary = wall(value)
    if summary is not None:
        shape = "×".join(map(str, summary["shape"]))
        if summary["nonzero"] is None:
            kind = {1: "vector", 2: "matrix"}.get(len(summary["shape"]), "array")
            return f"(a {shape} {kind}: its entries are in the JSON output)"
        entries = ", ".join(f"{_position(list(i))} = {v:g}" for i, v in summary["nonzero"])
        return f"({shape}, zero except {entries})" if entries else f"({shape}, zero)"
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "..."


@dataclass
class Evidence:
    points: int = 0
    worst_error: float = 0.0
    sizes: list = field(default_factory=list)
    symbolic: dict | None = None
    counterexample: Counterexample | None = None
    notes: list = field(default_factory=list)
    #: for a bound: the largest excess of the quantity over the bound found by
    #: the search, relative to the values' size (negative: it held with room)
    margin: float | None = None

    def summary(self) -> str:
        parts = []
        if self.margin is not None:
            parts.append(f"bound searched at {self.points} points (random and adversarial), largest relative "
                         f"excess {self.margin:.1e}")
            if self.counterexample:
                parts.append(self.counterexample.describe())
            return "; ".join(parts)
        if self.symbolic and self.symbolic.get("proved"):
            sizes = self.symbolic.get("sizes") or []
            at = " at " + ", ".join(_sizes(s) for s in sizes) if any(sizes) else ""
            parts.append(f"symbolic ({self.symbolic['stage']}{at})")
        if self.points and self.symbolic is None and self.notes and self.notes[0].startswith("simulated"):
            parts.append(self.notes[0])
        elif self.points:
            parts.append(f"{self.points} points, worst relative error {self.worst_error:.1e}")
        if self.counterexample:
            parts.append(self.counterexample.describe())
        return "; ".join(parts)


def _sizes(sizes: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sizes.items())


@dataclass
class ClaimResult:
    label: str
    text: str
    latex: str
    verdict: str
    expected: str | None = None
    evidence: Evidence = field(default_factory=Evidence)
    reason: str = ""
    seconds: float = 0.0
    source: str = "sheet"
    note: str = ""
    corrects: str | None = None
    chain: int | None = None
    #: for a refuted claim, the common mistake it is confirmed to make, in words
    #: ("your claim equals the reference with the sign flipped"), and its name in
    #: the table of symcheck/mistakes.py ("sign-flipped"); None when none matches
    diagnosis: str | None = None
    mistake: str | None = None

    @property
    def matches(self) -> bool:
        return self.expected is None or self.verdict == self.expected

    def to_json(self) -> dict:
        data = asdict(self)
        data["matches"] = self.matches
        return data


@dataclass
class EntryResult:
    id: str
    title: str
    sheet: str
    problem: str
    claims: list = field(default_factory=list)
    seconds: float = 0.0
    error: str = ""
    notes: list = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.error and all(c.matches for c in self.claims)

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "sheet": self.sheet, "problem": self.problem,
                "seconds": round(self.seconds, 4), "error": self.error, "notes": self.notes,
                "matches": self.matches, "claims": [c.to_json() for c in self.claims]}


def from_json(data: dict) -> EntryResult:
    """Rebuild an EntryResult from its JSON form (the verification cache)."""
    claims = []
    for c in data["claims"]:
        c = dict(c)
        c.pop("matches", None)
        ev = dict(c.pop("evidence"))
        cx = ev.pop("counterexample")
        ev["counterexample"] = Counterexample(**cx) if cx else None
        claims.append(ClaimResult(evidence=Evidence(**ev), **c))
    data = {k: v for k, v in data.items() if k not in ("claims", "matches")}
    return EntryResult(claims=claims, **data)
