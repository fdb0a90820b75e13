"""Bad input is one line and exit 2, from the real command, before any work is done;
and output survives a terminal that cannot show the catalogue's characters."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

#: what must never reach a user: a traceback, or Python's own exception names
INTERNALS = re.compile(r"Traceback|internal error|\b[A-Z][A-Za-z]*(Error|Exception)\b|File \"")


def run(*args, stdin: bytes | None = None, env: dict | None = None, cache_dir: Path | None = None):
    environment = dict(os.environ, **(env or {}))
    if cache_dir is not None:
        environment["SYMCHECK_CACHE_DIR"] = str(cache_dir)
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", *args], input=stdin, capture_output=True,
                          timeout=300, env=environment, cwd=os.path.dirname(__file__))
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def assert_one_line(code: int, err: str, *fragments: str) -> str:
    assert code == 2, (code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("Error: ") and not INTERNALS.search(lines[0]), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


# -- --budget ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e999", "ten"])
@pytest.mark.parametrize("command", [("verify", "sigmoid-backward"), ("check", "sigmoid-backward", "x")],
                         ids=["verify", "check"])
def test_a_budget_that_is_not_a_positive_finite_number_is_refused(tmp_path, command, value):
    code, _, err = run(*command, f"--budget={value}", cache_dir=tmp_path)  # "--budget -inf" reads as an option
    assert_one_line(code, err, "budget must be a positive finite number of seconds", repr(value))
    assert not any(tmp_path.iterdir()), "verified despite the bad budget"


def test_a_good_budget_is_accepted():
    code, out, err = run("check", "sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))", "--budget", "2.5")
    assert code == 0 and out.startswith(("proved", "confirmed")), err


@pytest.mark.parametrize("value", ["0", "-2", "two", "1.5"])
@pytest.mark.parametrize("command", ["verify", "report"])
def test_a_job_count_below_one_is_refused(tmp_path, command, value):
    code, _, err = run(command, f"--jobs={value}", cache_dir=tmp_path)
    assert_one_line(code, err, "number of jobs must be a whole number of at least 1", repr(value))
    assert not any(tmp_path.iterdir()), "verified despite the bad job count"


# -- claims read as bytes -------------------------------------------------------------------

BAD_BYTES = {
    "utf8": (b"dEdy*\xff\xfe(x)", 5),
    "utf8-after-bom": (b"\xef\xbb\xbfdEdy*\xc3", 8),
    "utf16": ("dEdy*x".encode("utf-16") + b"\x00\xd8", 14),  # a lone high surrogate at the end
}


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_a_claim_file_that_is_not_text_names_the_file_and_the_byte(tmp_path, case):
    data, offset = BAD_BYTES[case]
    path = tmp_path / "claim.txt"
    path.write_bytes(data)
    code, _, err = run("check", "sigmoid-backward", "--file", str(path))
    assert_one_line(code, err, str(path), f"offset {offset}", f"byte 0x{data[offset]:02x}")


@pytest.mark.parametrize("case", sorted(BAD_BYTES))
def test_the_same_bytes_on_stdin_say_the_same(case):
    data, offset = BAD_BYTES[case]
    code, _, err = run("check", "sigmoid-backward", "--file", "-", stdin=data)
    assert_one_line(code, err, "standard input", f"offset {offset}")


def test_a_utf16_claim_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "claim.txt"
    path.write_bytes("dEdy*sigma(x)*(1 - sigma(x))".encode("utf-16"))  # as Windows editors save it
    code, out, err = run("check", "sigmoid-backward", "--file", str(path))
    assert code == 0 and out.startswith(("proved", "confirmed")), err


def test_an_oversized_claim_file_is_refused(tmp_path):
    path = tmp_path / "claim.txt"
    path.write_bytes(b"x + " * 20000 + b"x")
    code, _, err = run("check", "sigmoid-backward", "--file", str(path))
    assert_one_line(code, err, str(path), "KiB")


# -- report --out, checked before verifying anything ----------------------------------------

def test_report_out_at_an_existing_file(tmp_path):
    target = tmp_path / "sheet.pdf"
    target.write_text("not a directory")
    started = time.monotonic()
    code, _, err = run("report", "--out", str(target), cache_dir=tmp_path / "cache")
    assert_one_line(code, err, str(target), "not a directory")
    assert target.read_text() == "not a directory"
    assert not (tmp_path / "cache").exists(), "verified before refusing --out"
    assert time.monotonic() - started < 60


def _unwritable_directory(tmp_path: Path) -> Path:
    """A directory this process cannot create files in (root ignores permissions: use sysfs)."""
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o555)
        return locked / "out"
    candidate = Path("/sys/symcheck-test-out")
    try:
        candidate.mkdir()
    except OSError:
        return candidate
    candidate.rmdir()
    pytest.skip("no unwritable directory available to this user")


def test_report_out_in_an_unwritable_directory(tmp_path):
    target = _unwritable_directory(tmp_path)
    code, _, err = run("report", "--out", str(target), cache_dir=tmp_path / "cache")
    assert_one_line(code, err, str(target), "writable directory")
    assert not (tmp_path / "cache").exists(), "verified before refusing --out"


# -- a terminal that only speaks ASCII -------------------------------------------------------

@pytest.mark.parametrize("args, expected", [
    (("show", "batchnorm-dsigma-dmu"), "dsigma/dmu"),
    (("verify", "batchnorm-dsigma-dmu"), "dsigma/dmu"),
    (("check", "sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))"), "proved"),
    (("check", "sigmoid-backward", "--latex", r"\frac{\partial E}{\partial y}\sigma(x)(1+\sigma(x))"), "refuted"),
    (("list",), "Batch norm"),
])
def test_an_ascii_terminal_gets_ascii_spellings(tmp_path, args, expected):
    code, out, err = run(*args, env={"PYTHONIOENCODING": "ascii"}, cache_dir=tmp_path)
    assert code in (0, 1), err  # 1: the refuted claim
    assert not INTERNALS.search(err), err
    assert out.isascii() and expected in out, out[:500]


def test_an_ascii_terminal_gets_bad_input_as_one_ascii_line():
    code, out, err = run("check", "sigmoid-backward", "σ(x) +", env={"PYTHONIOENCODING": "ascii"})
    assert_one_line(code, err)
    assert err.isascii()
