"""The pytest plugin: a catalogue's claims as property tests in CI.

Registered by the ``pytest11`` entry point, so installing symcheck is enough.
``pytest`` collects entry files that are

* inside a catalogue the project's settings name (``[tool.symcheck] catalogue``), or
* named like the settings' ``pattern`` (default ``*_sheet.py``),

and makes one test item per claim, with the node id
``<file>::<sheet>::<entry id>::<claim label>``, so ``-k``, ``-x`` and ``--lf``
select and rerun single claims.  An entry is verified once per process
(through the verification cache) whichever of its claims runs first; its
claims are grouped for pytest-xdist's ``--dist loadgroup``.

A claim whose verdict differs from the recorded one fails with the verdict
line and its counterexample, never a Python traceback.
"""
from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

from symcheck import settings as project_settings


class VerdictMismatch(Exception):
    """A verdict other than the recorded one: the message is the whole report."""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "xdist_group(name): symcheck groups the claims of one entry")


def _settings(config):
    if not hasattr(config, "_symcheck_settings"):
        try:
            config._symcheck_settings = project_settings.find(Path(config.rootpath))
        except Exception as error:  # noqa: BLE001 - bad settings: one line from pytest, not a traceback
            raise pytest.UsageError(f"symcheck: {error}") from None
    return config._symcheck_settings


def _is_entry_file(path: Path, config) -> bool:
    if path.suffix not in (".py", ".md") or path.name.startswith("_"):
        return False
    found = _settings(config)
    for catalogue in found.catalogue:
        catalogue = catalogue.resolve()
        if path.resolve() == catalogue or (catalogue.is_dir() and path.resolve().parent == catalogue):
            return True
    # the pattern names Python files ("*_sheet.py"); a document is collected by the same name as .md
    pattern = found.pattern[:-3] + ".md" if path.suffix == ".md" and found.pattern.endswith(".py") else found.pattern
    return fnmatch.fnmatch(path.name, pattern)


def pytest_collect_file(file_path: Path, parent):
    if _is_entry_file(Path(file_path), parent.config):
        return SheetFile.from_parent(parent, path=Path(file_path))
    return None


class SheetFile(pytest.File):
    """One entry file: its sheets, entries and claims."""

    def collect(self):
        from symcheck.catalogue import load
        from symcheck.errors import SymcheckError

        try:
            catalogue = load([self.path])
        except SymcheckError as error:  # a malformed sheets.toml, a clash: one line, not a traceback
            raise self.CollectError(str(error)) from None
        for failure in catalogue.failures:
            yield LoadFailureItem.from_parent(self, name="load", failure=failure)
        for sheet in catalogue.sheets():
            entries = [e for e in catalogue.items(sheet) if hasattr(e, "claims")]
            if entries:
                yield SheetNode.from_parent(self, name=sheet, entries=entries)


class SheetNode(pytest.Collector):
    def __init__(self, *, entries: list, **kwargs):
        super().__init__(**kwargs)
        self.entries = entries

    def collect(self):
        for entry in self.entries:
            yield EntryNode.from_parent(self, name=entry.id, entry=entry)


class EntryNode(pytest.Collector):
    """One entry; verified once, the first time one of its claims runs."""

    def __init__(self, *, entry, **kwargs):
        super().__init__(**kwargs)
        self.entry = entry
        self._result = None

    def result(self):
        if self._result is None:
            from symcheck.runs import verify_many

            self._result = verify_many([self.entry], jobs=1)[0]
        return self._result

    def collect(self):
        for claim in self.entry.claims:
            item = ClaimItem.from_parent(self, name=claim.label, claim=claim)
            item.add_marker(pytest.mark.xdist_group(self.entry.id))
            yield item


class ClaimItem(pytest.Item):
    """One claim: passes when the engine's verdict is the one the catalogue records."""

    def __init__(self, *, claim, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim

    def runtest(self) -> None:
        from symcheck.display import claim_line

        entry = self.parent.entry
        result = self.parent.result()
        if result.error:
            raise VerdictMismatch(f"{entry.id}: error: {result.error}")
        claim = next((c for c in result.claims if c.label == self.claim.label), None)
        if claim is None:
            raise VerdictMismatch(f"{entry.id} [{self.claim.label}]: not verified")
        if not claim.matches:
            head = (f"{entry.id} [{claim.label}] is {claim.verdict}; the catalogue records {claim.expected}")
            raise VerdictMismatch("\n".join([head, *claim_line(claim)]))
        # the verdict is the recorded one; it must also carry the evidence it claims
        if claim.verdict == "refuted" and claim.evidence.counterexample is None:
            raise VerdictMismatch(f"{entry.id} [{claim.label}]: refuted without a counterexample")
        if claim.verdict == "proved" and not (claim.evidence.symbolic and claim.evidence.symbolic.get("proved")
                                              and claim.evidence.points > 0):
            raise VerdictMismatch(f"{entry.id} [{claim.label}]: proved without a symbolic proof and the numeric check")

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerdictMismatch):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"{self.parent.entry.id} [{self.claim.label}]"


class LoadFailureItem(pytest.Item):
    """An entry file that cannot be loaded fails as one line naming the file and the line."""

    def __init__(self, *, failure, **kwargs):
        super().__init__(**kwargs)
        self.failure = failure

    def runtest(self) -> None:
        raise VerdictMismatch(str(self.failure))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerdictMismatch):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.failure.line, "load"
