"""The README's examples of how claims are read are run, and each verdict (and
diagnosis) written after its '#' is required: the documentation stays true."""
import re
import shlex
from pathlib import Path

import pytest

from symcheck.catalogue import load
from symcheck.checking import check_claim

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## How claims are read", 1)[1].split("\n## ", 1)[0]
EXAMPLES = [line.strip() for line in SECTION.splitlines() if line.startswith("    symcheck check")]


def test_the_section_has_examples():
    assert len(EXAMPLES) >= 8


@pytest.mark.parametrize("line", EXAMPLES)
def test_each_example_gives_the_verdict_the_readme_states(line):
    command, _, said = line.partition("#")
    words = shlex.split(command)
    latex = "--latex" in words
    entry_id, claim = [w for w in words[2:] if w != "--latex"]
    result, _ = check_claim(load().get(entry_id), claim, latex=latex, budget=30.0)
    assert result.verdict == said.split()[0], (line, result.reason)
    diagnosis = re.search(r"\(diagnosis: ([^)]*)\)", said)
    if diagnosis:
        assert diagnosis.group(1) in (result.diagnosis or ""), result.diagnosis


def test_the_python_example_runs():
    from symcheck import check, verify

    assert check("sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))").verdict == "proved"
    assert [r.matches for r in verify("batchnorm-backward")] == [True]
    from symcheck import equal, steps

    assert equal("sqrt(x**2)", "x").domain == {"condition": "x > 0", "verdict": "proved"}
    assert steps("sin(2*x)\n2*sin(x)*cos(x)\n2*sin(x)").first_wrong_step == 2
