"""Catalogues are folders or files anywhere (issue 11, items 1, 2 and 7).

A user's folder, with no ``__init__.py`` and no installation, is read through
``--catalogue`` or the ``[tool.symcheck]`` settings; its sheets are declared
beside the entries; clashes and broken files are one line naming the files.
Each command runs in a subprocess, from a folder outside the repository, as a
user would.
"""
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from symcheck.catalogue import load

ROOT = Path(__file__).resolve().parent.parent


def symcheck(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def project(tmp_path):
    """A starter project (``symcheck init``) in a temporary folder."""
    code, out, err = symcheck("init", "hw", cwd=tmp_path)
    assert code == 0, err
    return tmp_path / "hw"


ENTRY = '''
from symcheck import Claim, Entry, Gradient, Notation, scalar
import numpy as np

{name} = Entry(
    id="{id}", title="Square", sheet="{sheet}", problem="{problem}",
    question="d/dx of x**2",
    notation=Notation(variables=[scalar("x", "x")]),
    asks=Gradient(forward="x**2", wrt="x", oracle=lambda x: x**2),
    claims=[Claim("{claim}", expect="{expect}", source="answer")],
)
'''


def write_entry(path, id="square-grad", sheet="hw1", problem="2", claim="2*x", expect="proved", name="square"):
    path.write_text(ENTRY.format(id=id, sheet=sheet, problem=problem, claim=claim, expect=expect, name=name))


def test_a_folder_without_init_verifies_through_the_option(tmp_path):
    folder = tmp_path / "anywhere"
    folder.mkdir()
    write_entry(folder / "square.py")
    code, out, err = symcheck("verify", "--catalogue", str(folder), cwd=tmp_path)
    assert code == 0, err
    assert "square-grad" in out and "proved" in out
    assert "sigmoid-backward" not in out, "an explicit catalogue replaces the built-in one"
    assert not (folder / "__init__.py").exists()


def test_a_single_file_and_repeated_options_combine(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_entry(tmp_path / "a" / "one.py", id="one-grad")
    write_entry(tmp_path / "b" / "two.py", id="two-grad")
    code, out, err = symcheck("list", "--json", "--catalogue", "a", "--catalogue", "b/two.py", cwd=tmp_path)
    assert code == 0, err
    assert {item["id"] for item in json.loads(out)} == {"one-grad", "two-grad"}


def test_settings_are_found_from_a_subfolder(project):
    below = project / "notes" / "week1"
    below.mkdir(parents=True)
    code, out, err = symcheck("verify", cwd=below)
    assert code == 0, err
    assert "hw1-softmax-ce-backward" in out and "every verdict as recorded" in out


def test_without_settings_the_builtin_catalogue_is_used(tmp_path):
    code, out, err = symcheck("list", "--sheet", "000", cwd=tmp_path)
    assert code == 0, err
    assert "sigmoid-backward" in out and "Foundations of Deep Learning" in out


def test_a_planted_wrong_step_is_refuted(project):
    entry = project / "sheets" / "softmax_sheet.py"
    text = entry.read_text()
    planted = text.replace('Claim("exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"y_k - t_k", label="corrected"',
                           'Claim("2*exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"2y_k - t_k", label="planted"),\n'
                           '        Claim("exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"y_k - t_k", label="corrected"')
    assert planted != text
    entry.write_text(planted)
    code, out, err = symcheck("verify", cwd=project)
    assert code == 1, (out, err)
    line = next(line for line in out.splitlines() if "planted" in line)
    assert "REFUTED" in line and "expected proved" in line
    assert "counterexample" in out


def test_ids_clash_across_catalogues_in_one_line(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_entry(tmp_path / name / "entry.py")
    code, out, err = symcheck("list", "--catalogue", "a", "--catalogue", "b", cwd=tmp_path)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "square-grad" in lines[0]
    assert str(tmp_path / "a" / "entry.py") in lines[0] and str(tmp_path / "b" / "entry.py") in lines[0]


def test_a_sheet_declared_twice_is_one_line(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "sheets.toml").write_text('[hw1]\ntitle = "Homework"\n')
    write_entry(tmp_path / "a" / "entry.py")
    code, _, err = symcheck("list", "--catalogue", "a", "--catalogue", "b", cwd=tmp_path)
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "hw1" in err and "a/sheets.toml" in err and "b/sheets.toml" in err


@pytest.mark.parametrize("broken, line, what", [
    ("x = 1\ndef f(:\n", 2, "SyntaxError"),
    ("x = 1\n\nraise RuntimeError('no data file')\n", 3, "RuntimeError: no data file"),
])
def test_a_file_that_fails_to_load_is_one_line_and_the_rest_verify(tmp_path, broken, line, what):
    write_entry(tmp_path / "good.py")
    (tmp_path / "bad.py").write_text(broken)
    code, out, err = symcheck("verify", "--catalogue", str(tmp_path), cwd=tmp_path)
    assert code == 1
    assert any(row.startswith(f"Error: {tmp_path / 'bad.py'}:{line}: {what}") for row in err.splitlines()), err
    assert "Traceback" not in err
    assert "square-grad" in out and "proved" in out, "the rest still verify"


def test_a_malformed_entry_comes_out_as_error_naming_the_line(tmp_path):
    write_entry(tmp_path / "good.py")
    write_entry(tmp_path / "bad.py", id="bad-grad", claim="2*x", expect="maybe", name="bad")
    code, out, err = symcheck("verify", "--catalogue", str(tmp_path), "--json", cwd=tmp_path)
    assert code == 1
    assert f"{tmp_path / 'bad.py'}:5: EntryError" in err
    results = {r["id"]: r for r in json.loads(out)["entries"]}
    assert results["square-grad"]["matches"]
    assert "bad.py:5" in results["bad-grad"]["error"], "the broken file's entry is an error"


def test_relative_imports_share_helpers_within_a_folder(tmp_path):
    (tmp_path / "_helpers.py").write_text("CLAIM = '2*x'\n")
    write_entry(tmp_path / "square.py")
    text = (tmp_path / "square.py").read_text().replace('Claim("2*x"', "Claim(CLAIM")
    (tmp_path / "square.py").write_text("from ._helpers import CLAIM\n" + text)
    assert [e.id for e in load([tmp_path]).entries] == ["square-grad"]


def test_list_sheet_takes_the_prefixes_report_takes(tmp_path):
    code, out, _ = symcheck("list", "--sheet", "002", cwd=tmp_path)
    assert code == 0 and "batchnorm-backward" in out
    code, _, err = symcheck("list", "--sheet", "00", cwd=tmp_path)
    assert code == 2 and "matches several sheets" in err


def test_report_writes_every_declared_sheet_into_the_project_from_anywhere(project):
    (project / "sheets" / "sheets.toml").write_text(
        (project / "sheets" / "sheets.toml").read_text() + '\n[hw3]\ntitle = "Homework 3"\nshort = "Soon"\n')
    below = project / "sheets"
    code, out, err = symcheck("report", cwd=below)
    assert code == 0, err
    assert all((project / "reports" / f"hw{k}.tex").is_file() for k in (1, 2, 3)), "a sheet without entries too"
    assert not (below / "reports").exists(), "the default output does not follow the current directory"
    tex = (project / "reports" / "hw1.tex").read_text()
    assert "A common mistake, shown as wrong" in tex and "wrong, as the sheet says" in tex
    assert tex.count(r"\begin{erratum}") == 1, "the sign error is an erratum; the common mistake is not"


def test_bad_catalogue_paths_and_settings_are_one_line(tmp_path):
    code, _, err = symcheck("verify", "--catalogue", "nowhere", cwd=tmp_path)
    assert code == 2 and err.count("\n") == 1 and "'nowhere' does not exist" in err
    (tmp_path / "pyproject.toml").write_text("[tool.symcheck]\ncatalog = 'x'\n")
    code, _, err = symcheck("list", cwd=tmp_path)
    assert code == 2 and err.count("\n") == 1 and "no setting 'catalog'" in err


def test_the_package_installs_no_top_level_derivations(tmp_path):
    """The wheel ships the built-in catalogue inside symcheck, and nothing called derivations."""
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {proc.stderr.strip().splitlines()[-1:]}")
    wheel = next(tmp_path.glob("symcheck-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert not [n for n in names if n.startswith("derivations")]
    assert "symcheck/_catalogue/sheets.toml" in names and "symcheck/_catalogue/batchnorm.py" in names
    assert "symcheck/starter_catalogue/softmax_sheet.py" in names
