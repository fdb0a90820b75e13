"""The pytest plugin (issue 11, item 5): a user's catalogue as property tests.

``pytest`` runs in a subprocess in a starter project outside the repository,
as a course's CI would: one item per claim, ids ``sheet::entry::label``, a
wrong verdict fails with the verdict line and its counterexample (not a
traceback), and ``-k``, ``-x`` and ``--lf`` select claims.
"""
import subprocess
import sys

import pytest

ENTRY = "hw1-softmax-ce-backward"


def pytest_in(folder, *args):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", *args], capture_output=True,
                          text=True, timeout=600, cwd=folder)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture
def project(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", "init", "hw"], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return tmp_path / "hw"


def plant(project):
    """A wrong step the sheet records as proved: the engine must refute it."""
    entry = project / "sheets" / "softmax_sheet.py"
    text = entry.read_text()
    anchor = '        Claim("exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"y_k - t_k", label="corrected"'
    assert anchor in text
    entry.write_text(text.replace(anchor, '        Claim("2*exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"2y_k - t_k", '
                                          'label="planted"),\n' + anchor))


def test_one_item_per_claim_with_sheet_entry_label_ids(project):
    code, out = pytest_in(project, "--collect-only", "-q")
    assert code == 0, out
    ids = [line for line in out.splitlines() if "::" in line]
    assert ids == [f"sheets/hw2.md::hw2::hw2-logistic-grad::{label}"
                   for label in ("step 1", "step 2", "forgot the inner derivative")] + [
                   f"sheets/softmax_sheet.py::hw1::{ENTRY}::{label}"
                   for label in ("step 1", "step 2", "corrected", "forgot the normaliser")]


def test_the_starter_is_green(project):
    code, out = pytest_in(project, "-q")
    assert code == 0, out
    assert "7 passed" in out


def test_a_planted_wrong_step_fails_with_the_verdict_line_not_a_traceback(project):
    plant(project)
    code, out = pytest_in(project, "-q")
    assert code == 1, out
    assert "1 failed, 7 passed" in out
    assert f"{ENTRY} [planted] is refuted; the catalogue records proved" in out
    assert "counterexample at K=2" in out and "checked to 50 digits" in out
    assert "Traceback" not in out and "def runtest" not in out and "raise VerdictMismatch" not in out


def test_k_x_and_last_failed_select_claims(project):
    plant(project)
    code, out = pytest_in(project, "-q", "-k", "normaliser or corrected")
    assert code == 0 and "2 passed, 6 deselected" in out, out
    code, out = pytest_in(project, "-q", "-x")
    assert code == 1 and "stopping after 1 failures" in out and "1 failed, 5 passed" in out, out
    code, out = pytest_in(project, "-q", "--lf")
    assert code == 1 and "1 failed, 7 deselected" in out, out


def test_files_named_like_the_pattern_are_collected_without_settings(tmp_path, project):
    # no pyproject.toml: the default pattern *_sheet.py finds the entry file, and *_sheet.md the document
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "softmax_sheet.py").write_text((project / "sheets" / "softmax_sheet.py").read_text())
    (tmp_path / "loose" / "hw2_sheet.md").write_text((project / "sheets" / "hw2.md").read_text())
    (tmp_path / "loose" / "notes.md").write_text((project / "sheets" / "hw2.md").read_text())  # not the pattern
    (tmp_path / "loose" / "notes.py").write_text("raise SystemExit('not an entry file: never imported')\n")
    code, out = pytest_in(tmp_path / "loose", "-q", "-p", "no:cacheprovider")
    assert code == 0 and "7 passed" in out, out


def test_an_entry_file_that_fails_to_load_is_one_failing_line(project):
    (project / "sheets" / "broken_sheet.py").write_text("x = 1\n\nraise RuntimeError('no data')\n")
    code, out = pytest_in(project, "-q", "-p", "no:cacheprovider")
    assert code == 1 and "1 failed, 7 passed" in out, out
    assert "broken_sheet.py:3: RuntimeError: no data" in out
    assert "Traceback" not in out


def test_a_malformed_sheets_file_is_a_one_line_collection_error(project):
    (project / "sheets" / "sheets.toml").write_text("[hw1]\nshort = 'no title'\n")
    code, out = pytest_in(project, "-q", "-p", "no:cacheprovider")
    assert code != 0 and "sheet 'hw1' needs a table with at least a title" in out, out
    assert "Traceback" not in out
