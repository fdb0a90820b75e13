"""The project's promises: the README's two commands, CI running the test one,
the cache never changing a verdict, parallel runs equal to serial ones."""
import json
import re
from pathlib import Path

from symcheck.catalogue import load
from symcheck.runs import verify_many

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands():
    text = (ROOT / "README.md").read_text()
    return [line.strip() for line in text.splitlines() if line.startswith("    python3 -m venv")]


def test_readme_has_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("symcheck verify")
    assert "pip install -e \".[test]\"" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    assert _readme_commands()[1] in (ROOT / ".ci" / "run").read_text()


def _plain(results):
    data = [r.to_json() for r in results]
    for entry in data:
        entry.pop("seconds")
        for claim in entry["claims"]:
            claim.pop("seconds")
            if claim["evidence"]["symbolic"]:
                claim["evidence"]["symbolic"].pop("seconds")
    return json.dumps(data, sort_keys=True, default=str)


def test_the_cache_never_changes_a_verdict_and_jobs_change_nothing():
    entries = [load().get(i) for i in ("sigmoid-backward", "batchnorm-dsigma-dmu", "dropout-inference-drop",
                                       "gan-log-maximiser")]
    fresh = _plain(verify_many(entries, jobs=1, cache=False))
    assert _plain(verify_many(entries, jobs=2, cache=False)) == fresh
    verify_many(entries, jobs=1, cache=True)  # fills the cache
    assert _plain(verify_many(entries, jobs=1, cache=True)) == fresh  # served from it


def test_the_package_exposes_a_small_public_face():
    import symcheck

    assert {"Entry", "Claim", "chain", "Gradient", "Value", "Optimum", "Expectation", "Behaviour", "check_grads",
            "Notation", "scalar", "vector", "matrix"} <= set(symcheck.__all__)
    assert re.match(r"\d+\.\d+\.\d+", symcheck.__version__)


def test_verify_and_check_are_what_the_docstring_promises():
    import pytest

    from symcheck import UsageError, check, verify

    (result,) = verify("sigmoid-backward")
    assert result.matches and {c.verdict for c in result.claims} == {"proved"}
    assert check("sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))").verdict == "proved"
    assert check("sigmoid-backward", r"\frac{\partial E}{\partial y}\sigma(x)", latex=True).verdict == "refuted"
    for bad in (dict(budget=float("nan")), dict(budget=0), dict(budget=-1)):
        with pytest.raises(UsageError, match="budget must be a positive"):
            check("sigmoid-backward", "x", **bad)
    with pytest.raises(UsageError, match="No such derivation|no such"):
        verify("sigmoid-backwrd")
