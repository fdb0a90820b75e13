"""Catalogue entries: one question of a sheet, its notation, and its claims.

An entry is data.  It states the question as the sheet poses it (``asks``: a
forward model and the quantity wanted), the notation, and the claims: the
sheet's own answer, every step of its equality chain, and where the sheet is
wrong, the corrected answer.  The engine derives the reference from ``asks``;
no entry types the answer in twice.

Entries are module-level objects in files under ``derivations/``; the
catalogue finds them there, so adding one touches nothing else.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from symcheck.errors import EntryError
from symcheck.notation import Notation
from symcheck.verdicts import VERDICTS

SOURCES = ("sheet", "answer", "correction", "mistake")
RELATIONS = ("=", "<=", ">=")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Claim:
    """One claim: the text syntax (what ``symcheck check`` accepts) and the LaTeX
    the sheet prints.

    ``expect`` is the verdict the catalogue records; ``symcheck verify`` fails
    when the engine's verdict differs.  ``source`` is "sheet" for a claim taken
    from the source sheet, "answer" for an answer we wrote (sheet 004) and
    "correction" for the corrected form of a refuted sheet claim, named by
    ``corrects``, and "mistake" for a common mistake the sheet shows on purpose
    as wrong (``expect="refuted"``; it is not an erratum and needs no
    correction).  ``note`` records OCR repairs and readings.
    """

    text: str
    latex: str = ""
    label: str = ""
    expect: str = "proved"
    source: str = "sheet"
    note: str = ""
    corrects: str | None = None
    relation: str = "="
    chain: int | None = None
    #: the claim states the transpose of the quantity (its left side reads
    #: (∂l/∂h)ᵀ =): it is transposed back before it is judged, so that a vector
    #: of the other orientation is never accepted silently
    transposed: bool = False
    #: an already parsed expression (a user's LaTeX claim); entries leave it None
    parsed: object = field(default=None, repr=False, compare=False)


def chain(*steps: Claim, start: int = 1) -> list[Claim]:
    """The steps of one derivation ``a = b = c``: each is checked against the
    reference, so a wrong middle step is found even when the last is right."""
    out = []
    for k, step in enumerate(steps, start=start):
        if not step.label:
            step.label = f"step {k}"
        step.chain = start
        out.append(step)
    return out


@dataclass
class Entry:
    id: str
    title: str
    sheet: str
    problem: str
    question: str
    notation: Notation
    asks: object
    claims: list
    reading: str = ""
    answer: str = ""
    order: int = 0
    #: the derivations module the entry was found in (set by the catalogue)
    module: str = field(default="", repr=False)

    def __post_init__(self):
        self.claims = [c for item in self.claims for c in (item if isinstance(item, list) else [item])]
        self.validate()

    @property
    def seed(self) -> int:
        """A fixed seed per entry: runs are reproducible and independent of order."""
        return zlib.crc32(self.id.encode())

    def claim(self, label: str) -> Claim | None:
        return next((c for c in self.claims if c.label == label), None)

    def validate(self) -> None:
        where = f"entry {self.id!r}"
        if not _SLUG.match(self.id):
            raise EntryError(f"{where}: the id must be a lowercase slug like 'sigmoid-backward'")
        if not self.claims:
            raise EntryError(f"{where}: no claims")
        labels = set()
        for k, c in enumerate(self.claims, 1):
            if not c.label:
                c.label = f"claim {k}"
            if c.label in labels:
                raise EntryError(f"{where}: two claims are labelled {c.label!r}")
            labels.add(c.label)
            if c.expect not in VERDICTS:
                raise EntryError(f"{where}, claim {c.label!r}: expect must be one of {', '.join(VERDICTS)}")
            if c.source not in SOURCES:
                raise EntryError(f"{where}, claim {c.label!r}: source must be one of {', '.join(SOURCES)}")
            if c.source == "mistake" and c.expect != "refuted":
                raise EntryError(f"{where}, claim {c.label!r}: a common mistake is shown as wrong: expect='refuted'")
            if c.relation not in RELATIONS:
                raise EntryError(f"{where}, claim {c.label!r}: relation must be one of {', '.join(RELATIONS)}")
        for c in self.claims:
            if c.corrects is not None and c.corrects not in labels:
                raise EntryError(f"{where}: claim {c.label!r} corrects {c.corrects!r}, which is not a claim here")
        corrected = {c.corrects for c in self.claims if c.corrects}
        for c in self.claims:
            if c.source == "sheet" and c.expect == "refuted" and c.label not in corrected and not self._chain_fixed(c):
                raise EntryError(f"{where}: sheet claim {c.label!r} is expected refuted but no claim corrects it")

    def _chain_fixed(self, claim: Claim) -> bool:
        """A refuted step inside a chain is corrected by a claim that corrects any step of it."""
        if claim.chain is None:
            return False
        steps = {c.label for c in self.claims if c.chain == claim.chain}
        return any(c.corrects in steps for c in self.claims)


@dataclass
class Prose:
    """A question that is not machine-checkable, with its answer in prose."""

    id: str
    title: str
    sheet: str
    problem: str
    question: str
    answer: str
    why: str = "the answer is an explanation, not a formula"
    order: int = 0
    module: str = field(default="", repr=False)

    def __post_init__(self):
        if not _SLUG.match(self.id):
            raise EntryError(f"prose {self.id!r}: the id must be a lowercase slug")
