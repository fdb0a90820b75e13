"""A cache that cannot lie: every tampered, stale, foreign or hostile record is a
miss, recomputed, never trusted and never fatal.  Each test tampers with a real
record and requires the verdicts a fresh run gives."""
import copy
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symcheck import cache, report
from symcheck.cache_schema import claim_ids
from symcheck.errors import SymcheckError
from symcheck.runs import verify_many
from symcheck.verifier import CLAIM_BUDGET, verify_entry

#: the sheet's known error (a factor 1/2 dropped) and its correction: refuted + proved
ENTRY = "batchnorm-dsigma-dmu"
PAYLOAD = r"proved}\input{/etc/hostname}\immediate\openout5=/tmp/symcheck-pwned.tex"


def verdicts(result) -> list:
    return [(c.label, c.verdict, c.expected) for c in result.claims]


@pytest.fixture(scope="module")
def entry(catalogue):
    return catalogue.get(ENTRY)


@pytest.fixture(scope="module")
def fresh(entry):
    result = verify_entry(entry)
    assert {c.verdict for c in result.claims} == {"refuted", "proved"}  # the case this file is about
    return verdicts(result)


@pytest.fixture
def record(entry, tmp_path, monkeypatch):
    """A real record of the entry in a private cache; returns (path, its JSON)."""
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path / "cache"))
    verify_many([entry], jobs=1, cache=True)
    path = cache.directory() / f"{cache.key(entry, CLAIM_BUDGET)}.json"
    assert path.is_file()
    return path, json.loads(path.read_text(encoding="utf-8"))


def write(path: Path, data) -> None:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")


def cached_verdicts(entry) -> list:
    return verdicts(verify_many([entry], jobs=1, cache=True)[0])


def test_an_untouched_record_is_served(entry, fresh, record):
    hit = cache.lookup(entry, CLAIM_BUDGET)
    assert hit is not None and verdicts(hit) == fresh


def test_a_flipped_verdict_and_expectation_change_nothing(entry, fresh, record):
    path, data = record
    sheet = next(c for c in data["result"]["claims"] if c["verdict"] == "refuted")
    sheet.update(verdict="proved", expected="proved", matches=True)
    sheet["evidence"]["counterexample"] = None
    next(c for c in data["claims"] if c["label"] == sheet["label"])["expect"] = "proved"
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


def test_a_flipped_verdict_alone_changes_nothing(entry, fresh, record):
    path, data = record
    next(c for c in data["result"]["claims"] if c["verdict"] == "refuted")["verdict"] = "proved"
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


def test_an_emptied_claim_list_is_recomputed(entry, fresh, record):
    path, data = record
    data["result"]["claims"] = []
    data["claims"] = []
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh and len(fresh) == len(entry.claims)


@pytest.mark.parametrize("field, value", [
    ("engine", "0" * 64), ("source", "0" * 64), ("budget", 1.0), ("entry", "sigmoid-backward"),
    ("format", "symcheck-cache/1"),
])
def test_a_record_about_something_else_is_recomputed(entry, fresh, record, field, value):
    path, data = record
    data[field] = value
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


def test_a_record_with_other_claim_texts_is_recomputed(entry, fresh, record):
    path, data = record
    for claim in (data["claims"][0], data["result"]["claims"][0]):
        claim["text"] = claim["text"] + " + 0"
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


@pytest.mark.parametrize("where", ["verdict", "size name", "stage type"])
def test_a_tex_payload_in_a_record_is_recomputed(entry, fresh, record, where):
    path, data = record
    claim = next(c for c in data["result"]["claims"] if c["evidence"]["symbolic"])
    if where == "verdict":
        claim["verdict"] = PAYLOAD
    elif where == "size name":
        claim["evidence"]["symbolic"]["sizes"] = [{PAYLOAD: 2}]
    else:
        claim["evidence"]["symbolic"]["stage"] = {"$": PAYLOAD}  # a stage is a string
    write(path, data)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


@pytest.mark.parametrize("content", [
    "", "null", "[]", "{}", '"proved"', "{\"format\": ", "\x00\x01garbage", "1e999999", "[" * 100_000 + "]" * 100_000,
    '{"result": ' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["empty", "null", "list", "object", "string", "truncated", "binary", "huge-number", "deep", "deep-inside"])
def test_garbage_is_a_miss(entry, fresh, record, content):
    path, _ = record
    write(path, content)
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


def test_a_truncated_record_and_invalid_utf8_are_misses(entry, fresh, record):
    path, _ = record
    whole = path.read_bytes()
    for damaged in (whole[: len(whole) // 2], whole.replace(b'"refuted"', b'"\xffrefuted"', 1)):
        path.write_bytes(damaged)
        assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


def test_an_oversized_record_is_not_read(entry, fresh, record):
    path, data = record
    path.write_text(json.dumps(data) + " " * (cache.MAX_RECORD_BYTES + 1), encoding="utf-8")
    assert cache.lookup(entry, CLAIM_BUDGET) is None
    assert cached_verdicts(entry) == fresh


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_a_cache_path_that_is_not_a_regular_file_never_blocks(entry, fresh, record, kind):
    """Run in a subprocess with a timeout: a blocking open would hang the test, not fail it."""
    path, _ = record
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")  # endless: read without a size cap, it would never return
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", "verify", ENTRY, "--json"], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, SYMCHECK_CACHE_DIR=str(path.parent)))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)["entries"][0]
    assert [(c["label"], c["verdict"], c["expected"]) for c in result["claims"]] == fresh


def test_undecided_and_surprising_results_are_never_stored(entry, tmp_path, monkeypatch):
    monkeypatch.setenv("SYMCHECK_CACHE_DIR", str(tmp_path))
    result = verify_entry(entry)
    path = cache.directory() / f"{cache.key(entry, CLAIM_BUDGET)}.json"
    for verdict in ("undecided", "proved"):  # undecided: maybe a wall-clock guard; proved: not what is recorded
        tampered = copy.deepcopy(result)
        next(c for c in tampered.claims if c.verdict == "refuted").verdict = verdict
        cache.store(entry, CLAIM_BUDGET, tampered)
        assert not path.exists()
    cache.store(entry, CLAIM_BUDGET, result)
    assert path.is_file() and not list(tmp_path.glob("*.tmp"))
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["claims"] == claim_ids(entry) and stored["engine"] == cache.engine_fingerprint()


# -- nothing from a cache or a claim reaches TeX unescaped ------------------------------------

class _OneEntry:
    """A catalogue of one entry, to render a sheet around a hostile result or label."""

    def __init__(self, entry):
        self.entry = entry

    def items(self, sheet):
        return [self.entry]

    def sheet_info(self, sheet):
        from symcheck.catalogue import load

        return load().sheet_info(sheet)

    @property
    def entries(self):
        return [self.entry]


def test_a_forged_verdict_never_reaches_the_tex(entry):
    result = verify_entry(entry)
    result.claims[0].verdict = PAYLOAD
    text = report.render_sheet(entry.sheet, _OneEntry(entry), {entry.id: result})
    assert r"\input{/etc/hostname}" not in text and r"\openout5" not in text
    assert r"\verdict{error}" in text  # shown for what it is: not a verdict of the closed set


def test_free_text_in_a_served_record_is_escaped_in_the_tex(entry, record):
    """A stage name or a counterexample note is free text the schema cannot judge: a record
    carrying a payload there may be served, and the sheet must still set it as text."""
    path, data = record
    proved = next(c for c in data["result"]["claims"] if c["verdict"] == "proved")
    proved["evidence"]["symbolic"]["stage"] = "$" + PAYLOAD + "$"
    refuted = next(c for c in data["result"]["claims"] if c["verdict"] == "refuted")
    refuted["evidence"]["counterexample"]["note"] = "$\\input{/etc/passwd}$"
    refuted["evidence"]["counterexample"]["claimed"] = "$\\input{/etc/group}$"
    write(path, data)
    served = cache.lookup(entry, CLAIM_BUDGET)
    assert served is not None  # the verdicts are the catalogue's own: nothing to recompute
    text = report.render_sheet(entry.sheet, _OneEntry(entry), {entry.id: served})
    for target in ("/etc/hostname", "/etc/passwd", "/etc/group"):
        assert "\\input{" + target not in text
    assert "\\textbackslash{}input\\{/etc/hostname\\}" in text


def test_a_tex_payload_in_a_claim_label_text_or_reason_is_escaped(entry):
    hostile = copy.deepcopy(entry)
    hostile.claims[0].label = r"\input{/etc/hostname}"
    hostile.claims[0].latex = ""
    hostile.claims[0].text = r"$\input{/etc/passwd}$"  # not a claim the printer can read: shown as text
    result = verify_entry(entry)
    result.claims[0].label = hostile.claims[0].label
    result.claims[0].verdict, result.claims[0].reason = "error", r"$\input{/etc/group}$"
    text = report.render_sheet(entry.sheet, _OneEntry(hostile), {entry.id: result})
    for path in ("/etc/hostname", "/etc/passwd", "/etc/group"):
        assert r"\input{" + path not in text
    assert r"\textbackslash{}input\{/etc/hostname\}" in text


@pytest.mark.parametrize("attack", ["read", "write"])
def test_pdflatex_cannot_read_or_write_outside_the_build_directory(tmp_path, attack):
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    secret, outside = tmp_path / "secret.txt", tmp_path / "outside.txt"
    secret.write_text("SECRET-CONTENT\n")
    body = (f"\\input{{{secret}}}" if attack == "read"
            else f"\\immediate\\openout5={outside} \\immediate\\write5{{x}}\\immediate\\closeout5")
    tex = tmp_path / "hostile.tex"
    tex.write_text(f"\\documentclass{{article}}\\begin{{document}}\n{body}\nhello\n\\end{{document}}\n")
    with pytest.raises(SymcheckError, match="pdflatex failed"):
        report.build_pdf(tex, tmp_path / "build")
    assert not outside.exists()
    for built in (tmp_path / "build").iterdir():
        assert b"SECRET-CONTENT" not in built.read_bytes(), built
