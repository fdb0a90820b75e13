"""Sheets as documents (issue 11, item 3): a Markdown file with LaTeX is a catalogue file.

The fixtures write sheet 000 §1 and sheet 002 Q1.4 as documents; they must
reach the verdicts the Python entries reach, claim by claim.  A document
written from scratch with a planted wrong step must be refuted by ``verify``
and by ``pytest``; a broken document is one line naming its file and line, and
the rest of the catalogue still verifies.
"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from symcheck import catalogue
from symcheck.auto_oracle import ForwardOracle
from symcheck.catalogue import builtin_path, load
from symcheck.runs import verify_many

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "documents"
PAIRS = ["sigmoid-backward", "tanh-backward", "relu-backward",
         "batchnorm-dmu-dx", "batchnorm-dsigma-dx", "batchnorm-dl-dxhat", "batchnorm-dl-dsigma",
         "batchnorm-dl-dmu", "batchnorm-dsigma-dmu", "batchnorm-backward"]


def symcheck(*args, cwd):
    proc = subprocess.run([sys.executable, "-m", "symcheck.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr


def pytest_in(folder, *args):
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, timeout=600, cwd=folder)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def both():
    """The built-in catalogue and the fixture documents, loaded together (their ids are distinct)."""
    catalogue.use([builtin_path(), FIXTURES])
    try:
        yield load()
    finally:
        catalogue.use(None)


def test_the_documents_reach_the_python_entries_verdicts_claim_by_claim(both):
    python = verify_many([both.get(name) for name in PAIRS], jobs=1, cache=False)
    documents = verify_many([both.get("doc-" + name) for name in PAIRS], jobs=1, cache=False)
    for name, py, doc in zip(PAIRS, python, documents):
        assert not py.error and not doc.error, (name, py.error, doc.error)
        assert [(c.verdict, c.expected) for c in doc.claims] == [(c.verdict, c.expected) for c in py.claims], name
        assert doc.matches, name
    refuted = [c for r in documents for c in r.claims if c.verdict == "refuted"]
    assert len(refuted) == 1 and refuted[0].evidence.counterexample is not None, "the sheet's dsigma/dmu is refuted"


def test_document_claims_keep_their_kinds(both):
    entry = both.get("doc-batchnorm-dsigma-dmu")
    assert [(c.label, c.source, c.expect, c.corrects) for c in entry.claims] == [
        ("step 1", "sheet", "refuted", None), ("corrected", "correction", "proved", "step 1")]
    assert both.sheet_info("doc-002")["title"] == "Sheet 002, Q1.4, as a document"
    assert both.get("doc-batchnorm-backward").sources == [FIXTURES / "_bn_oracles.py"]


def test_the_automatic_oracle_is_the_forward_model_in_numpy(both):
    """It agrees with batch norm written by hand in NumPy, at a batch of points (the batch contract)."""
    entry = both.get("doc-batchnorm-dl-dsigma")
    oracle = ForwardOracle(entry.notation, entry.asks.model, "X")
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4))
    dLdY, gamma, beta, eps = rng.normal(size=4), 0.7, -0.3, 0.2
    got = oracle(X=X, dLdY=dLdY, gamma=gamma, beta=beta, epsilon=eps, n=4)
    mu = X.mean(-1, keepdims=True)
    sigma = np.sqrt(((X - mu) ** 2).mean(-1, keepdims=True) + eps)
    assert got.shape == (5,)
    assert np.allclose(got, (dLdY * (gamma * (X - mu) / sigma + beta)).sum(-1), rtol=1e-12)


def test_a_wrong_python_oracle_named_by_a_document_is_not_trusted(tmp_path):
    """The document's own oracle is really used: one that computes twice the loss disagrees."""
    text = (FIXTURES / "sheet002_q14.md").read_text()
    (tmp_path / "q14.md").write_text(text)
    oracle = (FIXTURES / "_bn_oracles.py").read_text()
    (tmp_path / "_bn_oracles.py").write_text(oracle.replace("return (dLdY", "return 2 * (dLdY"))
    code, out, err = symcheck("verify", "--json", "--catalogue", str(tmp_path / "q14.md"), "doc-batchnorm-backward",
                              cwd=tmp_path)
    assert code == 1, out + err
    result = json.loads(out)["entries"][0]
    assert not result["matches"]


NEW = r'''# Homework 3

```toml sheet
id = "hw3"
title = "Homework 3"
short = "Logistic regression"
```

## Problem 1: the gradient of the logistic loss

For $p = \sigma(\sum_j w_j x_j)$, find $\partial L / \partial w_k$ for $L = -t \log p - (1 - t) \log(1 - p)$.

```toml problem
id = "hw3-logistic-grad"
sizes = { d = { small = [2, 3], random = [2, 5] } }
indices = { j = "1..d", k = "1..d" }

[symbols]
w = { latex = 'w', shape = ["d"], domain = "interval(-1, 1)" }
x = { latex = 'x', shape = ["d"], domain = "interval(-1, 1)" }
t = { latex = 't', domain = "interval(0.05, 0.95)" }

[definitions]
p = { latex = 'p', value = '\sigma\left(\sum_j w_j x_j\right)', domain = "interval(0, 1)" }

[gradient]
of = '-t \log\sigma\left(\sum_j w_j x_j\right) - (1 - t)\log\left(1 - \sigma\left(\sum_j w_j x_j\right)\right)'
wrt = "w"
index = ["k"]
```

$$
\begin{aligned}
\frac{\partial L}{\partial w_k}
  &= -t (1 - p) x_k + (1 - t) p x_k \\
  &= (p - t) x_k{planted}
\end{aligned}
$$

$$ % mistake: the sign the wrong way round
\frac{\partial L}{\partial w_k} = (t - p) x_k
$$
'''


@pytest.fixture
def course(tmp_path):
    """A course project whose settings name a folder of documents."""
    (tmp_path / "pyproject.toml").write_text('[tool.symcheck]\ncatalogue = "sheets"\n')
    (tmp_path / "sheets").mkdir()
    (tmp_path / "sheets" / "hw3.md").write_text(NEW.replace("{planted}", ""))
    return tmp_path


def test_a_new_document_verifies_and_tests_green(course):
    code, out, err = symcheck("verify", "sheets/hw3.md", cwd=course)
    assert code == 0, out + err
    assert "2 proved, 0 confirmed, 1 refuted" in out
    code, out = pytest_in(course, "-q")
    assert code == 0, out
    assert "3 passed" in out


def test_a_planted_wrong_step_is_refuted_by_verify_and_by_pytest(course):
    """A wrong last step (x_k squared) that the sheet records as an answer."""
    (course / "sheets" / "hw3.md").write_text(NEW.replace("{planted}", r" \\" + "\n  &= (p - t) x_k x_k"))
    code, out, err = symcheck("verify", "--catalogue", "sheets", cwd=course)
    assert code == 1, out + err
    assert "step 3         REFUTED" in out and "expected proved" in out and "counterexample" in out
    code, out = pytest_in(course, "-q")
    assert code == 1, out
    assert "1 failed, 3 passed" in out
    assert "hw3-logistic-grad [step 3] is refuted; the catalogue records proved" in out
    assert "Traceback" not in out


def test_pytest_ids_are_sheet_entry_label(course):
    code, out = pytest_in(course, "--collect-only", "-q")
    assert code == 0, out
    assert [line for line in out.splitlines() if "::" in line] == [
        f"sheets/hw3.md::hw3::hw3-logistic-grad::{label}"
        for label in ("step 1", "step 2", "the sign the wrong way round")]


@pytest.mark.parametrize("change, line, words", [
    (('wrt = "w"', 'wrt = "w"\nwith = "x"'), 29, "[gradient] has no field 'with'; fields: of, wrt"),
    (("'\\sigma\\left(\\sum_j w_j x_j\\right)'", "'\\sigma\\left(\\sum_j w_j q_j\\right)'"), 24,
     "the value of p cannot be read: unknown symbol q"),
    (("  &= (p - t) x_k", "  &= (p - t) \\frac{x_k"), 36, "step 2 cannot be read: syntax error"),
    (('id = "hw3-logistic-grad"\n', ""), 14, "a problem needs id = "),
    (("(t - p) x_k\n$$", "(t - p) x_k\n"), 40, "the display opened with $$ is never closed"),
    (("[symbols]", "[symbol]"), 18, "a problem has no field 'symbol'; fields: id, title"),
    (("% mistake: the sign", "% wrong: the sign"), 40, "the comment % wrong: the sign the wrong way round is "
                                                       "not a verdict; write % refuted"),
])
def test_a_broken_document_is_one_line_naming_the_file_and_line(tmp_path, change, line, words):
    old, new = change
    text = NEW.replace("{planted}", "")
    assert old in text
    (tmp_path / "hw3.md").write_text(text.replace(old, new, 1))
    (tmp_path / "ok.md").write_text(text.replace('"hw3"', '"hw4"').replace("hw3-logistic", "hw4-logistic"))
    code, out, err = symcheck("verify", "--catalogue", str(tmp_path), cwd=tmp_path)
    assert code == 1, out + err
    errors = [row for row in err.splitlines() if row.strip()]
    assert len(errors) == 1 and errors[0].startswith(f"Error: {tmp_path / 'hw3.md'}:{line}: "), err
    assert words in errors[0], errors[0]
    assert "Traceback" not in err + out and "sympy" not in err.lower() and "Error(" not in err
    assert "hw4-logistic-grad" in out and "2 proved" in out, "the rest still verify"


def test_a_markdown_file_without_symcheck_blocks_is_not_an_entry_file(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n\n$$ a = b $$\n")
    (tmp_path / "hw3.md").write_text(NEW.replace("{planted}", ""))
    code, out, err = symcheck("verify", "--catalogue", str(tmp_path), cwd=tmp_path)
    assert code == 0 and not err.strip(), out + err


def test_the_readme_example_of_a_document_verifies_as_it_says(tmp_path):
    """The README's short example: step 2 is refuted as its comment records, and the correction holds."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## A sheet as a document", 1)[1].split("\n## ", 1)[0]
    example = "\n".join(line[4:] for line in section.splitlines() if line.startswith("    ") or not line.strip())
    example = example.strip().split("\n\n\n")[0]
    header = '```toml sheet\nid = "hw2"\ntitle = "Homework 2"\n```\n\n'
    (tmp_path / "example.md").write_text(header + example + "\n")
    code, out, err = symcheck("verify", "--json", "example.md", cwd=tmp_path)
    assert code == 0, out + err
    claims = json.loads(out)["entries"][0]["claims"]
    assert [(c["label"], c["verdict"]) for c in claims] == [
        ("step 1", "proved"), ("step 2", "refuted"), ("corrected", "proved")]


VALUE = r'''```toml sheet
id = "hw5"
title = "Homework 5"
```

## The variance

```toml problem
id = "hw5-variance"
sizes = { n = { small = [2, 3], random = [2, 6] } }
indices = { i = "1..n", j = "1..n" }

[symbols]
X = { latex = 'X', shape = ["n"] }

[definitions]
mu = { latex = '\mu', value = '\frac{1}{n}\sum_j X_j' }

[value]
of = '\frac{1}{n}\sum_i (X_i - \mu)^2'
```

$$ \frac{1}{n}\sum_i (X_i - \mu)^2 = \frac{1}{n}\sum_i X_i^2 - \mu^2 = \frac{1}{n}\sum_i X_i^2 - 2\mu^2 % refuted
$$

$$ % correction of step 2
= \frac{1}{n}\sum_i X_i^2 - \mu^2 $$
'''


def test_a_value_question_in_a_document(tmp_path):
    """A [value] problem: the quantity's symbolic expansion is the reference, its NumPy evaluation the oracle."""
    (tmp_path / "hw5.md").write_text(VALUE)
    code, out, err = symcheck("verify", "--json", "hw5.md", cwd=tmp_path)
    assert code == 0, out + err
    claims = json.loads(out)["entries"][0]["claims"]
    assert [(c["label"], c["verdict"]) for c in claims] == [
        ("step 1", "proved"), ("step 2", "refuted"), ("corrected", "proved")]
    (tmp_path / "hw5.md").write_text(VALUE.replace(" % refuted", ""))  # the wrong step recorded as holding
    code, out, err = symcheck("verify", "hw5.md", cwd=tmp_path)
    assert code == 1 and "REFUTED" in out and "expected proved" in out, out + err


def test_a_document_sheet_is_reported_with_its_erratum(tmp_path):
    (tmp_path / "hw5.md").write_text(VALUE)
    code, out, err = symcheck("report", "hw5.md", "--out", "out", cwd=tmp_path)
    assert code == 0, out + err
    tex = (tmp_path / "out" / "hw5.tex").read_text()
    assert "Homework 5" in tex and tex.count(r"\begin{erratum}") == 1


def test_a_definition_checked_by_another_problem_must_hold_there(tmp_path):
    """dL/dXhat written twice too large in the problems that use it: they come out as errors."""
    text = (FIXTURES / "sheet002_q14.md").read_text()
    good = r"value = '\gamma \frac{\partial L}{\partial Y_i}'"
    assert text.count(good) == 3
    (tmp_path / "q14.md").write_text(text.replace(good, good.replace(r"'\gamma", r"'2\gamma")))
    (tmp_path / "_bn_oracles.py").write_text((FIXTURES / "_bn_oracles.py").read_text())
    code, out, err = symcheck("verify", "--json", "q14.md", cwd=tmp_path)
    assert code == 1, out + err
    results = {r["id"]: r for r in json.loads(out)["entries"]}
    for name in ("doc-batchnorm-dl-dsigma", "doc-batchnorm-dl-dmu", "doc-batchnorm-backward"):
        assert "is not what entry 'doc-batchnorm-dl-dxhat' derives (refuted" in results[name]["error"], name
    assert results["doc-batchnorm-dl-dxhat"]["matches"]


def test_a_quantity_that_is_exactly_zero_is_not_an_oracle_disagreement(tmp_path, capsys):
    """Σ(X_i − μ) is 0; NumPy computes 2e-16.  That is rounding, not a broken entry, and a claim of
    10^-12 is still refuted (exactly) while the right chain is proved with no spurious error."""
    import json

    from symcheck.cli import main

    source = (FIXTURES / "zero_sum.md").read_text()
    assert main(["verify", str(FIXTURES / "zero_sum.md"), "--json", "--no-cache"]) == 0
    claims = json.loads(capsys.readouterr().out)["entries"][0]["claims"]
    assert [c["verdict"] for c in claims] == ["proved", "proved"]
    assert all(c["evidence"]["worst_error"] == 0 for c in claims)
    planted = tmp_path / "zero_sum.md"
    planted.write_text(source.replace(r"- n\mu = 0", r"- n\mu = 10^{-12}"))
    assert main(["verify", str(planted), "--json", "--no-cache"]) == 1
    claims = json.loads(capsys.readouterr().out)["entries"][0]["claims"]
    assert claims[1]["verdict"] == "refuted" and claims[1]["evidence"]["counterexample"]["exact"]
