"""``symcheck init`` and the README's "Your own sheet" (issue 11, items 6 and 8).

The starter catalogue passes ``symcheck verify``, ``report`` and ``pytest`` as
written, in a folder outside the repository; the README's commands are run as
they are printed.
"""
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = str(Path(sys.executable).parent)
HAVE_LATEX = shutil.which("pdflatex") is not None
REQUIRE_LATEX = bool(os.environ.get("SYMCHECK_REQUIRE_LATEX"))


def shell(command: str, cwd: Path):
    """A command as a user types it: the virtual environment's symcheck and pytest first on PATH."""
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(["bash", "-ec", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Your own sheet", 1)[1].split("\n## ", 1)[0]
    lines = [line[4:] for line in section.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    return [re.sub(r"\s{2,}#.*$", "", line).strip() for line in lines if line.strip()]


def test_init_writes_a_catalogue_that_verifies_reports_and_tests_green(tmp_path):
    proc = shell("symcheck init course", tmp_path)
    assert proc.returncode == 0, proc.stderr
    course = tmp_path / "course"
    assert sorted(p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()) == [
        "pyproject.toml", "sheets/hw2.md", "sheets/sheets.toml", "sheets/softmax_sheet.py"]
    proc = shell("symcheck verify", course)
    assert proc.returncode == 0 and "every verdict as recorded" in proc.stdout, proc.stdout + proc.stderr
    assert "2 entries, 7 claims: 4 proved, 0 confirmed, 3 refuted, 0 undecided, 0 error" in proc.stdout, proc.stdout
    proc = shell("symcheck report", course)
    assert proc.returncode == 0, proc.stderr
    assert (course / "reports" / "hw1.tex").is_file() and (course / "reports" / "hw2.tex").is_file()
    proc = shell("pytest -q -p no:cacheprovider", course)
    assert proc.returncode == 0 and "7 passed" in proc.stdout, proc.stdout + proc.stderr


def test_init_never_overwrites(tmp_path):
    assert shell("symcheck init course", tmp_path).returncode == 0
    proc = shell("symcheck init course", tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "already exists" in proc.stderr
    (tmp_path / "file").write_text("x")
    proc = shell("symcheck init file", tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_the_readme_section_runs_as_written(tmp_path):
    commands = readme_commands()
    assert commands[0].startswith("symcheck init") and any(c.startswith("pytest") for c in commands)
    if not HAVE_LATEX:
        if REQUIRE_LATEX:
            pytest.fail("SYMCHECK_REQUIRE_LATEX is set but pdflatex is not installed")
        commands = [c.replace(" --pdf", "") for c in commands]
    proc = shell(" && ".join(commands), tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "7 passed" in proc.stdout and proc.stdout.rstrip().splitlines()[-1].startswith("proved")
    if HAVE_LATEX:
        assert (tmp_path / "hw" / "reports" / "build" / "hw1.pdf").is_file()
        assert (tmp_path / "hw" / "reports" / "build" / "hw2.pdf").is_file()
