"""``symcheck steps``: reading a chain, judging it step by step in an entry's
notation, and naming the first wrong step (issue 12).

The oracles: the catalogue's own chains, whose every line carries a recorded
verdict against the entry's reference, and the sheets' chains fed as text files.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from symcheck.catalogue import load
from symcheck.chain_text import read_chain
from symcheck.cli import main
from symcheck.errors import ClaimError
from symcheck.stepwise import judge_text

CHAINS = Path(__file__).parent / "fixtures" / "chains"


# -- reading ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, latex, lines, relations", [
    ("$$ a = b = c $$", True, ["a", "b", "c"], ["=", "="]),
    (r"\begin{aligned} f &= g \\ &\le h \quad\text{(by AM-GM)} \\ &\approx 1.39 \end{aligned}", True,
     ["f", "g", "h", "1.39"], ["=", "<=", "approx"]),
    (r"\[ x^2 - 1 = (x-1)(x+1) \]", True, ["x^2 - 1", "(x-1)(x+1)"], ["="]),
    ("x**2\n= x*x   # squared\n<= 2*x\n", False, ["x**2", "x*x", "2*x"], ["=", "<="]),
    ("sqrt(x**2)\nabs(x)\n", False, ["sqrt(x**2)", "abs(x)"], ["="]),
    ("dEdy if x > 0 else 0\n0", False, ["dEdy if x > 0 else 0", "0"], ["="]),
    (r"\begin{align*} A &= \begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} \\ &= B \\ &\quad + C \end{align*}", True,
     ["A", r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", r"B \quad + C"], ["=", "="]),
    (r"\sum_{k=0}^{n} k = \frac{n(n+1)}{2}", True, [r"\sum_{k=0}^{n} k", r"\frac{n(n+1)}{2}"], ["="]),
])
def test_a_chain_is_cut_into_lines_and_relations(text, latex, lines, relations):
    chain = read_chain(text, latex)
    assert chain.lines == lines
    assert chain.relations == relations


@pytest.mark.parametrize("text, latex, words", [
    ("a", False, "at least two lines"),
    (r"\begin{aligned} a &= b \\ c \end{aligned}", True, "row 2 of the display has no relation"),
    ("a != b", False, "not a step"),
    (r"a \neq b", True, "states no step"),
    ("= a\nb", False, "first line must be an expression"),
    ("a =", False, "nothing follows"),
    ("$$ a = b", True, "not closed"),
    ("$$ a = b $$ and $$ c = d $$", True, "one chain per file"),
    (r"a \approx 1.39 = b", True, "can only be the last line"),
])
def test_what_is_not_a_chain_is_refused_with_what_would_be(text, latex, words):
    with pytest.raises(ClaimError, match=words):
        read_chain(text, latex)


# -- the sheets' chains, as text files ------------------------------------------------------

def test_sheet_000_2_3_the_middle_step_is_the_first_wrong_one():
    """The sheet writes c^49 ||dE/dh_49|| where there are 48 layers between h_1 and h_49."""
    result = _judge(CHAINS / "sheet000_2_3.tex", "vanishing-sigma-half-h1-norm")
    assert result.first_wrong_step == 1
    step = result.steps[0]
    assert step.verdict == "refuted" and step.counterexample["digits"] == 50
    assert "1/2" in step.diagnosis
    assert result.reference["verdict"] == "proved"  # its last line, (1/2)^49, is the right answer


def test_sheet_003_1_2_2e_steps_4_and_5_are_wrong():
    """Lines 2-4 of the file are the sheet's lines 3-5 after the quantity's name."""
    result = _judge(CHAINS / "sheet003_1_2_2e.tex", "attention-rnn-jacobian")
    assert result.named
    assert [s.verdict for s in result.steps] == ["proved", "refuted", "proved"]
    assert result.first_wrong_step == 2  # the sheet's step 3 -> 4
    assert result.reference["verdict"] == "refuted"  # and its last line (the sheet's step 5) is still wrong


def test_sheet_001_bound_chain_its_equality_is_wrong_and_its_bound_holds():
    """The sheet transposes W in the product (step 1); the submultiplicative bound (step 2) holds."""
    result = _judge(CHAINS / "sheet001_bound.tex", "more-exploding-rnn-bound")
    assert [(s.relation, s.verdict) for s in result.steps] == [("=", "refuted"), ("<=", "confirmed")]
    assert result.first_wrong_step == 1
    assert result.reference["verdict"] == "refuted" and result.reference["relation"] == "<="


def _judge(path, entry_id):
    return judge_text(path.read_text(), latex=True, entry=load().get(entry_id))


# -- every chain of the catalogue ----------------------------------------------------------

def _catalogue_chains():
    out = []
    for entry in load().entries:
        chains = defaultdict(list)
        for claim in entry.claims:
            if claim.chain is not None:
                chains[claim.chain].append(claim)
        for claims in chains.values():
            # a chain of bounds states each line's bound on the quantity, not a relation between lines
            if len(claims) > 1 and all(c.relation == "=" and not c.transposed for c in claims):
                out.append(pytest.param(entry.id, claims, id=entry.id))
    return out


@pytest.mark.parametrize("entry_id, claims", _catalogue_chains())
def test_every_chain_of_the_catalogue_is_judged_as_its_steps_are_recorded(entry_id, claims):
    text = "\n".join(c.text for c in claims)  # one expression per line, in the text syntax
    result = judge_text(text, latex=False, entry=load().get(entry_id))
    holds = [c.expect in ("proved", "confirmed") for c in claims]
    if all(holds):
        assert result.first_wrong_step is None, result.to_json()
        assert result.verdict in ("proved", "confirmed")
        return
    # a line recorded wrong next to one recorded right: that step is the first wrong one
    expected = next((k + 1 for k in range(len(claims) - 1) if holds[k] != holds[k + 1]), None)
    assert result.first_wrong_step == expected, result.to_json()
    assert result.verdict == "refuted"


def test_a_planted_wrong_step_in_a_right_chain_is_named():
    entry = load().get("batchnorm-backward")
    lines = [c.text for c in entry.claims if c.chain is not None]
    planted = lines[:2] + ["2*(" + lines[1] + ")"] + lines[2:]
    result = judge_text("\n".join(planted), latex=False, entry=entry)
    assert result.first_wrong_step == 2
    assert [s.verdict for s in result.steps][2] == "refuted"  # and back again: also wrong
    assert "2" in (result.steps[1].diagnosis or "")


# -- the command line ------------------------------------------------------------------------

def test_steps_json_has_the_documented_shape(tmp_path, capsys):
    code = main(["steps", str(CHAINS / "sheet000_2_3.tex"), "--entry", "vanishing-sigma-half-h1-norm", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    assert data["first_wrong_step"] == 1
    assert [s["index"] for s in data["steps"]] == [1, 2]
    assert {"index", "verdict", "lines", "relation", "lhs", "rhs", "evidence"} <= set(data["steps"][0])
    assert data["steps"][0]["counterexample"]["lhs"] != data["steps"][0]["counterexample"]["rhs"]


def test_check_accepts_a_chain_and_reports_it_step_by_step(capsys):
    code = main(["check", "sigmoid-backward",
                 "dEdy*exp(-x)/(1+exp(-x))**2 = dEdy*sigma(x)*(1-sigma(x)) = -dEdy*sigma(x)*(1-sigma(x))"])
    out = capsys.readouterr().out
    assert code == 1
    assert "first wrong step: 2" in out
    assert "sign flipped" in out


def test_check_with_a_right_chain_in_latex_exits_0(capsys):
    code = main(["check", "sigmoid-backward", "--latex",
                 r"\frac{\partial E}{\partial x} = \frac{\partial E}{\partial y}\sigma(x)(1-\sigma(x))"
                 r" = \frac{\partial E}{\partial y}\frac{e^{-x}}{(1+e^{-x})^2}"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "no wrong step" in out


@pytest.mark.parametrize("content, words", [
    ("x\n", "at least two lines"),
    ("$$ a = b", "not closed"),
    ("x + \n= y", "line 1 of the chain"),
])
def test_malformed_chains_get_one_line_and_exit_2(tmp_path, capsys, content, words):
    path = tmp_path / "chain.txt"
    path.write_text(content)
    code = main(["steps", str(path), "--entry", "sigmoid-backward"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("Error: ")
    assert words in err


def test_a_missing_file_is_one_line(capsys):
    assert main(["steps", "/nonexistent/chain.tex"]) == 2
    assert "cannot read chain file" in capsys.readouterr().err


# -- a wall of matrices is shortened ------------------------------------------------------

def test_a_counterexample_point_that_is_a_wall_of_matrices_is_shortened():
    from symcheck.verdicts import Counterexample

    shift = [[2.0 if i == j + 1 else 0.0 for j in range(9)] for i in range(9)]
    dense = [[float(i * 7 + j + 1) for j in range(7)] for i in range(5)]
    cx = Counterexample({}, {"A": shift, "x": dense, "h": [1.0, 0.0]}, [2, 1], "-2.93", "-1.25", 50)
    text = cx.describe()
    assert "A = (9×9, zero except (2, 1) = 2, (3, 2) = 2" in text
    assert "x = (a 5×7 matrix: its entries are in the JSON output)" in text
    assert "h = [1.0, 0.0]" in text  # small values are printed as they are
    assert "entry (2, 1): claimed -2.93, reference -1.25" in text
    assert "0.0, 0.0, 0.0" not in text


# -- the README's examples ------------------------------------------------------------------

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
STEP_SECTION = README.split("## Step by step", 1)[1].split("\n## ", 1)[0]
STEP_EXAMPLES = [line.strip() for line in STEP_SECTION.splitlines()
                 if line.startswith(("    symcheck steps", "    symcheck check")) and "#" in line]


def test_the_step_section_has_examples():
    assert len(STEP_EXAMPLES) >= 3


@pytest.mark.parametrize("line", STEP_EXAMPLES)
def test_each_step_example_says_what_the_readme_says(line, capsys, monkeypatch):
    import shlex

    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    command, _, said = line.partition("#")
    code = main(shlex.split(command)[1:])
    out = capsys.readouterr().out
    assert said.strip() in out, out
    assert code == (0 if "no wrong step" in said else 1)


def test_a_left_side_that_is_an_expression_is_judged_never_dropped(capsys):
    """'wrong = right' was read as 'LHS = right' and proved; the left side is a claim too."""
    code = main(["check", "sigmoid-backward", "dEdy*sigma(x) = dEdy*sigma(x)*(1 - sigma(x))"])
    out = capsys.readouterr().out
    assert code == 1 and "first wrong step: 1" in out


def test_a_left_side_that_only_names_the_quantity_is_dropped_as_before(capsys):
    assert main(["check", "sigmoid-backward", "dEdx = dEdy*sigma(x)*(1 - sigma(x))"]) == 0
    assert capsys.readouterr().out.startswith("proved")


@pytest.mark.parametrize("content, words", [
    ("(" * 5000 + "x" + ")" * 5000 + "\n= x", "too long"),
    ("(" * 1500 + "x" + ")" * 1500 + "\n= x", "line 1 of the chain"),
    ("\n".join(["x"] * 200), "at most 60"),
    ("x = " * 6000 + "x", "characters long"),
    ("2**2**2**2**2**2 = x", "line 1 of the chain"),
])
def test_hostile_chains_are_one_line_and_exit_2_quickly(tmp_path, capsys, content, words):
    import time

    path = tmp_path / "chain.txt"
    path.write_text(content)
    start = time.monotonic()
    code = main(["steps", str(path), "--entry", "sigmoid-backward"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1, err
    assert words in err
    assert time.monotonic() - start < 30


def test_a_relation_inside_an_environment_or_group_is_not_a_step():
    from symcheck.chain_text import top_level_relations, without_alignment

    text = r"f = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} \le g_{i=1}"
    assert [r for _, _, r in top_level_relations(text)] == ["=", "<="]
    assert without_alignment(r"&= a \\ &\quad + b.") == r"= a \quad + b"
    chain = read_chain(r"$$ f = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases} $$", True)
    assert chain.relations == ["="]


# -- free chains: symbols inferred, every real value ------------------------------------------

def test_a_free_chain_names_its_wrong_step_and_says_where_it_holds():
    result = judge_text((CHAINS / "log_power.tex").read_text(), latex=True)
    assert result.first_wrong_step == 2
    step = result.steps[1]
    assert step.counterexample["point"] and step.domain == {"condition": "a > 0, b > 0", "verdict": "proved"}


def test_an_assumption_makes_the_cancellation_right():
    text = (CHAINS / "cancel.txt").read_text()
    assert judge_text(text, latex=False).first_wrong_step == 2
    assert judge_text(text, latex=False, assumptions=("x != 1",)).first_wrong_step is None


@pytest.mark.parametrize("text, verdicts", [
    ("sin(2*x)\n2*sin(x)*cos(x)\n-2*sin(x)*cos(x)", ["proved", "refuted"]),
    ("x**2 + 1\n>= 2*x\n> 2*x - 1", ["proved", "proved"]),
    ("x**2 + 1\n<= 2*x", ["refuted"]),
    (r"$$ 2\log 2 \approx 1.39 $$", ["proved"]),
    (r"$$ 2\log 2 \approx 1.38 $$", ["refuted"]),
])
def test_every_relation_is_judged(text, verdicts):
    result = judge_text(text, latex="$" in text)
    assert [s.verdict for s in result.steps] == verdicts, result.to_json()


def test_a_free_step_with_a_flipped_sign_is_diagnosed():
    result = judge_text("sin(2*x)\n2*sin(x)*cos(x)\n-2*sin(x)*cos(x)", latex=False)
    assert result.first_wrong_step == 2
    assert result.steps[1].diagnosis == "the next line is this one with the sign flipped"


def test_a_free_chain_json_is_the_documented_shape(capsys):
    code = main(["steps", str(CHAINS / "cancel.txt"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1 and data["first_wrong_step"] == 2
    assert data["steps"][1]["counterexample"]["point"] == {"x": "1"}


def test_the_python_api_gives_the_commands_verdicts():
    import symcheck
    from symcheck.errors import UsageError

    assert symcheck.equal("sqrt(x**2)", "x").domain == {"condition": "x > 0", "verdict": "proved"}
    assert symcheck.equal("sqrt(x**2)", "x", assume="x > 0").verdict == "proved"
    assert symcheck.steps("sin(2*x)\n2*sin(x)*cos(x)\n2*sin(x)").first_wrong_step == 2
    chain = (CHAINS / "sheet000_2_3.tex").read_text()
    assert symcheck.steps(chain, entry="vanishing-sigma-half-h1-norm", latex=True).first_wrong_step == 1
    for bad in ({"relation": "=="}, {"assume": [1]}, {"budget": -1}):
        with pytest.raises(UsageError):
            symcheck.equal("x", "x", **bad)
    with pytest.raises(UsageError):
        symcheck.steps("")


def test_a_student_typing_latex_habits_gets_told_what_to_write(tmp_path, capsys):
    path = tmp_path / "chain.txt"
    path.write_text("x^2 - 1 = (x-1)(x+1)\n")  # no backslash: read as the text syntax
    assert main(["steps", str(path)]) == 2
    assert "a product needs '*' in the text syntax, (x-1)*(x+1), or pass --latex" in capsys.readouterr().err
    assert main(["steps", str(path), "--latex"]) == 0
    assert main(["check", "sigmoid-backward", "--latex", r"dE/dy\,\sigma(x)(1-\sigma(x))"]) == 2
    assert r"for a derivative write \frac{dE}{dy}" in capsys.readouterr().err
