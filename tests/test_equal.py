"""``symcheck equal`` (issue 12, item 1): the engine's verdicts, its evidence,
the reading of text and LaTeX, the assumptions, every relation, and the command."""
import json
import re
import shlex
from pathlib import Path

import mpmath as mp
import pytest
import sympy

from symcheck.cli import main
from symcheck.equality import Comparison, compare, read_assumptions, read_side
from symcheck.errors import ClaimError


def judge(lhs, rhs, relation="=", assume=(), latex=False, approx=None) -> Comparison:
    given = read_assumptions(list(assume))
    left = read_side(lhs, latex, given)
    right = read_side(rhs, latex and relation != "approx", given)
    return compare(left, right, relation, given, approx_text=approx)


def value(text, point):
    """A side's value at a point at 50 digits, by SymPy (independent of the engine's evaluator)."""
    expr = sympy.sympify(text.replace("^", "**"), locals={"sigmoid": lambda t: 1 / (1 + sympy.exp(-t))})
    subs = {sympy.Symbol(k): sympy.Rational(v) for k, v in point.items()}
    return sympy.N(expr.subs(subs), 50)


# -- refuted, with a rechecked counterexample ---------------------------------------

@pytest.mark.parametrize("lhs, rhs", [
    ("(a + b)^2", "a^2 + b^2"),
    ("sqrt(a^2 + b^2)", "a + b"),
    ("sigmoid(x)*(1 - sigmoid(x))", "sigmoid(x)*(1 + sigmoid(x))"),
    ("log(a + b)", "log(a)*log(b)"),
    ("sin(2*x)", "2*sin(x)"),
    ("diff(x^3, x)", "3*x"),
    ("exp(a + b)", "exp(a) + exp(b)"),
])
def test_planted_wrong_identities_are_refuted_at_a_point_where_the_sides_differ(lhs, rhs):
    result = judge(lhs, rhs)
    assert result.verdict == "refuted", result.summary()
    point = result.counterexample["point"]
    if "diff" not in lhs:
        for side, text in (("lhs", lhs), ("rhs", rhs)):
            exact = value(text, point)
            if result.counterexample[side] == "undefined":
                assert not (exact.is_real and exact.is_finite), (side, point, exact)
            else:
                assert abs(sympy.Float(result.counterexample[side], 30) - exact) < 1e-10
        a, b = value(lhs, point), value(rhs, point)
        assert not (a.is_real and b.is_real) or abs(a - b) > 1e-10, (point, a, b)


def test_the_counterexample_is_shrunk_to_a_simple_point():
    result = judge("(a + b)^2", "a^2 + b^2")
    assert all(v in {"0", "1", "-1", "2", "-2", "1/2", "-1/2", "3", "-3"} for v in result.counterexample["point"].values())


def test_only_one_side_defined_is_a_disagreement():
    result = judge("exp(log(x))", "x")
    assert result.verdict == "refuted"
    assert result.counterexample["lhs"] == "undefined"
    assert float(result.counterexample["point"]["x"]) <= 0
    assert result.domain == {"condition": "x > 0", "verdict": "proved"}


# -- proved and confirmed -------------------------------------------------------------

@pytest.mark.parametrize("lhs, rhs", [
    ("sigmoid(x)*(1 - sigmoid(x))", "diff(sigmoid(x), x)"),
    ("1 - tanh(x)^2", "diff(tanh(x), x)"),
    ("sin(x)^2 + cos(x)^2", "1"),
    ("cosh(x)^2 - sinh(x)^2", "1"),
    ("(a + b)^2", "a^2 + 2*a*b + b^2"),
    ("softplus(x) - softplus(-x)", "x"),
    ("sqrt(x^2)", "abs(x)"),
    ("relu(x) - relu(-x)", "x"),
    ("Max(a, b) + Min(a, b)", "a + b"),
])
def test_true_identities_hold(lhs, rhs):
    result = judge(lhs, rhs)
    assert result.verdict in ("proved", "confirmed"), result.summary()
    assert result.points >= 20
    assert result.counterexample is None


def test_a_symbolic_proof_is_reported_as_proved():
    assert judge("(x + 1)^3", "x^3 + 3*x^2 + 3*x + 1").verdict == "proved"


def test_numbers_first_a_cancellation_is_refuted_at_the_removable_singularity():
    result = judge("(x^2 - 1)/(x - 1)", "x + 1")
    assert result.verdict == "refuted"
    assert result.counterexample == {"point": {"x": "1"}, "lhs": "undefined", "rhs": "2"}


# -- domain-qualified ---------------------------------------------------------------

def test_sqrt_of_a_square_says_both_verdicts():
    result = judge("sqrt(x^2)", "x")
    assert result.verdict == "refuted"
    assert result.counterexample == {"point": {"x": "-1"}, "lhs": "1", "rhs": "-1"}
    assert result.domain == {"condition": "x > 0", "verdict": "proved"}
    assert result.summary() == ("refuted on the reals: at x = -1, sqrt(x^2) = 1 but x = -1; "
                                "holds for x > 0 (proved)")


def test_log_of_a_product_says_both_verdicts_in_latex():
    result = judge(r"\log(a^2 b)", r"2\log a + \log b", latex=True)
    assert result.verdict == "refuted"
    assert result.domain["condition"] == "a > 0, b > 0"
    assert result.domain["verdict"] in ("proved", "confirmed")
    assert "holds for a > 0, b > 0" in result.summary()


def test_a_claim_false_even_for_positive_values_has_no_domain():
    result = judge("log(a + b)", "log(a) + log(b)")
    assert result.verdict == "refuted" and result.domain is None


# -- assumptions --------------------------------------------------------------------

def test_assumptions_restrict_the_domain():
    assert judge("(x^2 - 1)/(x - 1)", "x + 1", assume=["x != 1"]).verdict == "proved"
    assert judge("sqrt(x^2)", "x", assume=["x > 0"]).verdict == "proved"
    assert judge("sqrt(x^2)", "x", assume=["x >= 0"]).verdict in ("proved", "confirmed")
    assert judge("log(p) + log(1 - p)", "log(p - p^2)", assume=["0 < p < 1"]).verdict in ("proved", "confirmed")


def test_integer_assumptions_sample_integers():
    assert judge("Sum(k, (k, 1, n))", "n*(n + 1)/2", assume=["n integer", "n >= 0"]).verdict == "proved"
    assert judge("cos(pi*n)", "(-1)^n", assume=["n integer"]).verdict in ("proved", "confirmed")
    assert judge("cos(pi*n)", "(-1)^n").verdict == "refuted"


def test_read_assumptions():
    given = read_assumptions(["x>0", "n integer", "0<p<1", "x != 1", "n >= 0"])
    assert {"x", "p"} <= given.positive and given.integer == {"n"} and "n" in given.nonnegative
    assert given.bounds["p"] == [0.0, 1.0]
    assert given.symbol("x").is_positive and given.symbol("n").is_integer


@pytest.mark.parametrize("condition", ["x >", "x = 1", "", "x > > 1", "import os"])
def test_bad_assumptions_are_one_line(condition):
    with pytest.raises(ClaimError) as error:
        read_assumptions([condition])
    assert "\n" not in str(error.value)


# -- relations ------------------------------------------------------------------------

@pytest.mark.parametrize("lhs, relation, rhs, verdict", [
    ("x^2 + 1", ">=", "2*x", "proved"),
    ("x^2 + 1", ">", "2*x", "refuted"),
    ("2*x", "<=", "x^2 + 1", "proved"),
    ("2*x", "<", "x^2 + 1", "refuted"),
    ("exp(x)", ">", "x", "confirmed"),
    ("exp(x)", ">=", "1 + x", "confirmed"),
    ("sin(x)", "<=", "x", "refuted"),
    ("x^2 + 2", ">", "0", "proved"),
])
def test_inequalities(lhs, relation, rhs, verdict):
    result = judge(lhs, rhs, relation)
    if verdict == "confirmed":
        assert result.verdict in ("proved", "confirmed"), result.summary()
    else:
        assert result.verdict == verdict, result.summary()
    assert result.relation == relation


def test_an_inequality_counterexample_is_rechecked():
    result = judge("sin(x)", "x", "<=")
    x = mp.mpf(sympy.Rational(result.counterexample["point"]["x"]))
    assert mp.sin(x) > x


def test_approx_is_judged_to_the_digits_written():
    assert judge("2*log(2)", "1.39", "approx", approx="1.39").verdict == "proved"
    assert judge("2*log(2)", "1.38", "approx", approx="1.38").verdict == "refuted"
    # 1.4 is within half a unit of its last digit; 1.40 is not
    assert judge("2*log(2)", "1.4", "approx", approx="1.4").verdict == "proved"
    assert judge("2*log(2)", "1.40", "approx", approx="1.40").verdict == "refuted"


# -- reading -----------------------------------------------------------------------

@pytest.mark.parametrize("latex, text", [
    (r"\frac{d}{dx}\left(x^3\right)", "3*x^2"),
    (r"\frac{\partial}{\partial x} \tanh(x)", "1 - tanh(x)^2"),
    (r"\sigma(x)(1-\sigma(x))", "sigmoid(x)*(1 - sigmoid(x))"),
    (r"\lfloor x \rfloor + \lceil x \rceil", "floor(x) + ceil(x)"),
    (r"\max(x, y)", "Max(x, y)"),
    (r"\mathrm{ReLU}(x)", "relu(x)"),
    (r"\sum_{k=1}^{n} k", "Sum(k, (k, 1, n))"),
    (r"\prod_{k=1}^{n} k", "Product(k, (k, 1, n))"),
    (r"|x|", "abs(x)"),
    (r"\theta^2", "theta^2"),
])
def test_latex_and_text_read_the_same(latex, text):
    given = read_assumptions(["n integer", "n >= 0"])
    result = compare(read_side(latex, True, given), read_side(text, False, given), "=", given)
    assert result.verdict in ("proved", "confirmed"), result.summary()


def test_symbols_are_inferred_and_real():
    expr = read_side("a*x + b", False, read_assumptions([]))
    assert {s.name for s in expr.free_symbols} == {"a", "b", "x"}
    assert all(s.is_real for s in expr.free_symbols)


def test_reading_keeps_the_expression_as_written():
    # SymPy would evaluate exp(log(x)) to x and x/x to 1 while reading
    assert read_side("exp(log(x))", False, read_assumptions([])).has(sympy.log)
    assert judge("x/x", "1").verdict == "refuted"


@pytest.mark.parametrize("text", ["x +* 2", "foo(x)", "__import__('os').system('echo')", "", "x = = 1", "diff(x, 2)"])
def test_bad_text_is_a_one_line_claim_error(text):
    with pytest.raises(ClaimError) as error:
        read_side(text, False, read_assumptions([]))
    assert "\n" not in str(error.value)


# -- the command ------------------------------------------------------------------------

def run(args, capsys):
    code = main(["equal", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes(capsys):
    assert run(["sigmoid(x)*(1 - sigmoid(x))", "diff(sigmoid(x), x)"], capsys)[0] == 0
    code, out, _ = run(["sqrt(x^2)", "x"], capsys)
    assert code == 1 and "holds for x > 0 (proved)" in out
    assert run(["x", "x", "--budget", "0.000001"], capsys)[0] == 3


@pytest.mark.parametrize("args", [
    ["x +* 2", "x"], ["x", "foo(x)"], ["--latex", r"\frac{x}{", "x"], ["x", "x", "--assume", "x >"],
    ["x", "x", "--relation", "~"], ["x"], ["x", "x", "--budget", "-1"], ["2*log(2)", "ln 4", "--relation", "approx"],
    ["x", "x", "--assume", "import os"],
])
def test_cli_bad_input_is_one_line_and_exit_2(args, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    assert out == "" and len(err.strip().splitlines()) == 1 and err.startswith("Error: ")
    assert "Traceback" not in err and not re.search(r"sympy\.|SympifyError|ast\.", err)


def test_cli_json_shape(capsys):
    code, out, _ = run(["sqrt(x^2)", "x", "--json"], capsys)
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"lhs", "rhs", "relation", "verdict", "reason", "counterexample", "domain", "points"}
    assert data["counterexample"]["point"] == {"x": "-1"}
    assert data["domain"] == {"condition": "x > 0", "verdict": "proved"}
    code, out, _ = run(["(x+1)^2", "x^2 + 2*x + 1", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "proved" and "counterexample" not in data and data["points"] == 40


def test_cli_help_teaches(capsys):
    with pytest.raises(SystemExit):
        main(["equal", "--help"])
    out = capsys.readouterr().out
    assert "examples:" in out and "--assume" in out and "sqrt(x^2)" in out


def test_verdicts_are_deterministic():
    first = judge("sin(a + b)", "sin(a) + sin(b)")
    second = judge("sin(a + b)", "sin(a) + sin(b)")
    assert first.to_json() == second.to_json()
    random_point = judge("exp(x)", "1 + x + x^2/2 + x^3/6")
    assert random_point.to_json() == judge("exp(x)", "1 + x + x^2/2 + x^3/6").to_json()


README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
EXAMPLES = [line.strip() for line in README.splitlines() if line.startswith("    symcheck equal")]


@pytest.mark.parametrize("line", EXAMPLES)
def test_the_readme_examples_give_the_verdicts_written(line, capsys):
    command, _, said = line.partition("#")
    words = shlex.split(command)
    main(words[1:])
    out = capsys.readouterr().out
    assert out.startswith(said.split()[0]), (line, out)
    holds = re.search(r"\(holds for ([^)]*)\)", said)
    if holds:
        assert f"holds for {holds.group(1)}" in out


def test_series_have_values_only_where_they_converge():
    assert judge("Sum(1/k**2, (k, 1, oo))", "pi^2/6").verdict in ("proved", "confirmed")
    assert judge("Sum(1/2**k, (k, 1, oo))", "1").verdict in ("proved", "confirmed")
    harmonic = judge("Sum(1/k, (k, 1, oo))", "12")      # nsum alone would extrapolate it to ~11.8
    assert harmonic.verdict == "refuted" and harmonic.counterexample["lhs"] == "undefined"
    geometric = judge("Sum(x**k, (k, 0, oo))", "1/(1 - x)")
    assert geometric.verdict == "refuted" and abs(float(sympy.Rational(geometric.counterexample["point"]["x"]))) >= 1
    assert judge("Sum(x**k, (k, 0, oo))", "1/(1 - x)", assume=["-1 < x < 1"]).verdict in ("proved", "confirmed")
    assert judge("Product(1 - 1/(k + 1)**2, (k, 1, oo))", "1/2").verdict in ("proved", "confirmed")
    assert judge("Product(1 + 1/k, (k, 1, oo))", "551").counterexample["lhs"] == "undefined"   # diverges


def test_a_closed_bound_is_sampled_at_the_bound():
    # x >= 0 includes 0, where only the right side exists; x > 0 does not
    at_zero = judge("x/sqrt(x)", "sqrt(x)", assume=["x >= 0"])
    assert at_zero.verdict == "refuted" and at_zero.counterexample["point"] == {"x": "0"}
    assert judge("x/sqrt(x)", "sqrt(x)", assume=["x > 0"]).verdict in ("proved", "confirmed")


def test_nested_sums_too_long_to_add_are_undecided_not_hung():
    result = judge("Sum(Sum(1, (i, 1, 10000)), (j, 1, 10000))", "10^8")
    assert result.verdict == "undecided" and "10000 terms" in result.reason


def test_a_constant_offset_below_the_tolerance_is_still_refuted():
    result = judge("x", "x + 10^-30")
    assert result.verdict == "refuted" and "constant" in result.reason
    assert sympy.Rational(result.counterexample["rhs"]) - sympy.Rational(result.counterexample["lhs"]) != 0


def test_inequalities_with_a_gap_below_the_tolerance_are_decided_exactly():
    assert judge("x", "x + 10^-30", "<").verdict == "proved"
    assert judge("x + 10^-30", "x", "<=").verdict == "refuted"
    assert judge("x", "x", "<").verdict == "refuted"


def test_latex_series_to_infinity():
    assert judge(r"\sum_{k=1}^{\infty} \frac{1}{k^2}", r"\frac{\pi^2}{6}", latex=True).verdict in ("proved", "confirmed")
    with pytest.raises(ClaimError):
        read_side(r"x + \infty", True, read_assumptions([]))


def test_latex_names_subscripts_and_a_bare_sigma():
    given = read_assumptions([])
    assert {s.name for s in read_side(r"x_1 + w_{ij}", True, given).free_symbols} == {"x_1", "w_ij"}
    assert judge("(sigma + mu)^2", "sigma^2 + 2*sigma*mu + mu^2").verdict == "proved"   # text: a bare name
    assert compare(read_side(r"(\sigma + \mu)^2", True, given),
                   read_side(r"\sigma^2 + 2\sigma\mu + \mu^2", True, given)).verdict == "proved"
    assert compare(read_side(r"\sigma(x_1)", True, given), read_side("sigmoid(x_1)", False, given)).verdict == "proved"


def test_the_counterexample_names_only_the_variables_that_matter():
    result = judge("(a + b)^2", "a^2 + b^2", assume=["n integer"])
    assert set(result.counterexample["point"]) == {"a", "b"}
    tied = judge("sqrt(x - y)", "sqrt(x) - sqrt(y)", assume=["y < x"])
    assert tied.verdict == "refuted" and set(tied.counterexample["point"]) == {"x", "y"}


@pytest.mark.parametrize("latex, text", [
    (r"\sin 2x", "sin(2*x)"),                       # a number and a letter are one argument, as printed
    (r"\cos 3x + 1", "cos(3*x) + 1"),
    (r"\log 2\pi", "log(2*pi)"),
    (r"\tfrac12\log 2\pi\sigma^2", "log(2*pi*sigma^2)/2"),
    (r"1 + \tan^2 x", "sec(x)^2"),
    (r"\cot x", "1/tan(x)"),
    (r"\operatorname{arsinh} x", "log(x + sqrt(x^2 + 1))"),
    (r"\operatorname{artanh} x", "log((1 + x)/(1 - x))/2"),
    (r"\sigma_1^2 + \mu_{2}", "sigma_1^2 + mu_2"),
])
def test_latex_reads_as_printed(latex, text):
    given = read_assumptions([])
    result = compare(read_side(latex, True, given), read_side(text, False, given))
    assert result.verdict in ("proved", "confirmed"), result.summary()


def test_the_double_angle_in_latex_is_an_identity():
    assert judge(r"\sin 2x", r"2\sin x\cos x", latex=True).verdict == "proved"


def test_approx_takes_the_decimal_as_text_with_no_right_side():
    given = read_assumptions([])
    lhs = read_side("2*log(2)", False, given)
    assert compare(lhs, None, "approx", given, approx_text="1.39").verdict == "proved"
    assert compare(lhs, None, "approx", given, approx_text="1.30").verdict == "refuted"
    with pytest.raises(ClaimError):
        compare(lhs, None, "approx", given)


def test_the_norm_of_a_scalar_is_its_absolute_value():
    given = read_assumptions(["0 < c < 2"])
    assert compare(read_side(r"\bigl\|c^{48}g\bigr\|", True, given), read_side("c^48*abs(g)", False, given),
                   "=", given).verdict == "proved"


def test_latex_sums_with_numeric_limits_and_an_index_without_limits():
    assert judge(r"\sum_{k=1}^{3} k^2", "14", latex=True).verdict == "proved"
    with pytest.raises(ClaimError, match="not a declared index"):
        read_side(r"\sum_i x_i", True, read_assumptions([]))


# -- a piecewise side is probed at its own thresholds; sides are shown in the user's words -------

@pytest.mark.parametrize("lhs, rhs, at", [
    ("relu(x)", "x if x > 0 and x < 500 or x > 600 else 0", "x = 500"),
    ("abs(x)", "x if x >= 0 and x != 7 else -x", "x = 7"),
])
def test_a_wrong_branch_far_from_the_sampled_values_is_refuted_at_its_threshold(lhs, rhs, at):
    from symcheck.equal_command import judge_texts

    result = judge_texts(lhs, rhs)
    assert result.verdict == "refuted" and at in result.reason
    for internal in ("Piecewise", "Max(", "Ne(", "Abs("):
        assert internal not in result.reason
