"""Issue 9's cases: every answer is judged against the question as the sheet
asks it.  Each test plants the claim the issue reports and requires the right
verdict (and, when wrong, the reason or the diagnosis)."""
import pytest
import sympy

from symcheck.catalogue import load
from symcheck.checking import check_claim
from symcheck.errors import ClaimError


def check(entry_id, text, latex=False):
    result, _ = check_claim(load().get(entry_id), text, latex=latex, budget=30.0)
    return result


# -- a row is not a column where the question fixes the layout (sheet 002 Q1.1) ------------

@pytest.mark.parametrize("entry_id, right, row", [
    ("fc-backward-wx-db", "dLdY", "dLdY.T"),
    ("fc-backward-wtx-db", "dLdY", "dLdY.T"),
])
def test_a_row_for_a_column_is_refuted_with_both_shapes_and_diagnosed(entry_id, right, row):
    assert check(entry_id, right).verdict == "proved"
    wrong = check(entry_id, row)
    assert wrong.verdict == "refuted"
    note = wrong.evidence.counterexample.note
    assert "1×2" in note and "2×1" in note and "column" in note
    assert wrong.mistake == "transposed-layout" and "row vector where the question asks for a column" in wrong.diagnosis


def test_a_column_where_the_sheet_writes_rows_is_refuted_not_proved_silently():
    wrong = check("vanishing-backward-recurrence", r"V\Sigma U^\top\left(\frac{\partial E}{\partial h_k}\right)^\top",
                  latex=True)
    assert wrong.verdict == "refuted" and wrong.mistake == "transposed-layout"


def test_the_column_convention_answer_is_named_as_such():
    wrong = check("vanishing-backward-recurrence", "V*Sigma*U.T*dEdhk")
    assert wrong.verdict == "refuted"
    assert "not defined" in wrong.evidence.counterexample.note
    assert "other layout convention" in wrong.diagnosis and "dEdhk" in wrong.diagnosis


# -- a number is a number: sheet 000's 49 layers are judged at 49 -------------------------------

@pytest.mark.parametrize("entry_id, text, latex, verdict", [
    ("vanishing-sigma-two-h1-norm", "562949953421312", False, "proved"),
    ("vanishing-sigma-two-h1-norm", r"\frac{2^{50}}{2}", True, "proved"),
    ("vanishing-sigma-two-h1-norm", r"2^{48}", True, "refuted"),
    ("vanishing-sigma-half-h1-norm", r"\frac{1}{562949953421312}", True, "proved"),
])
def test_the_sheets_own_numbers(entry_id, text, latex, verdict):
    assert check(entry_id, text, latex).verdict == verdict


# -- the quantity asked, answered alone -------------------------------------------------------

def test_one_number_answers_a_one_number_question():
    assert check("convnet-conv-parameters-rgb", "84").verdict == "proved"
    assert check("convnet-conv-parameters-rgb", "30").verdict == "refuted"
    assert check("convnet-conv-parameters-gray", "30").verdict == "proved"


def test_a_flattened_size_is_its_length_and_nothing_else_is_spread_over_a_shape():
    assert check("mnist-valid-flatten-shape", "10368").verdict == "proved"
    assert check("mnist-valid-flatten-shape", "(1, 10368)").verdict == "proved"
    assert check("mnist-valid-flatten-shape", "10369").verdict == "refuted"
    spread = check("mnist-valid-pool2-shape", "10368")
    assert spread.verdict == "refuted" and "a list of 3 numbers" in spread.evidence.counterexample.note


# -- what the question fixes stays fixed; an estimator is checked as a function of its samples ----

def test_the_biases_the_question_fixes_stay_fixed():
    assert check("rnn-lm-index-tracker", "a = 2, b = -1").verdict == "confirmed"
    assert check("rnn-lm-index-tracker", "a = 2").verdict == "confirmed"
    changed = check("rnn-lm-index-tracker", "a = 2, b = 0")
    assert changed.verdict == "refuted" and "fixes b = -1" in changed.evidence.counterexample.note


def test_the_estimators_gradient_is_checked_sample_by_sample():
    exact_gradient = "-mu + W.T*(x - W*mu - b)"  # the right mean, the wrong estimator
    assert check("reparameterised-gradient", exact_gradient).verdict == "refuted"
    assert check("reparameterised-gradient-unbiased", exact_gradient).verdict in ("proved", "confirmed")


# -- approximations to the precision written --------------------------------------------------

@pytest.mark.parametrize("text, verdict", [(r"\approx 1.39", "proved"), (r"-\ln 0.25 \approx 1.386", "proved"),
                                           (r"\approx 1.30", "refuted"), (r"\approx 1.4", "proved")])
def test_approximately_to_the_precision_written(text, verdict):
    assert check("initial-ce-loss", text, latex=True).verdict == verdict


def test_approximately_takes_a_number():
    with pytest.raises(ClaimError, match="decimal number"):
        check("initial-ce-loss", r"\approx \ln 4", latex=True)


# -- ill-typed claims are refuted, not engine faults; what is not real is bad input -------------

@pytest.mark.parametrize("text, reason", [("hadamard(dLdY, W)", "Hadamard product of shapes 2×1 and 2×2"),
                                          ("dLdY + W", "sum of shapes"),
                                          ("log(-dLdY.T*dLdY)*dLdY", "not a real number")])
def test_an_ill_typed_or_unreal_claim_is_refuted_with_its_reason(text, reason):
    result = check("fc-backward-wx-db", text)
    assert result.verdict == "refuted"
    cx = result.evidence.counterexample
    assert reason in (cx.note or "") + cx.claimed


@pytest.mark.parametrize("text", ["sqrt(-1)", "1/0 + x", "(1/2)**U*V.T"])
def test_what_cannot_be_a_real_claim_is_one_line_of_bad_input(text):
    entry_id = "vanishing-sigma-half-step" if "U" in text else "sigmoid-backward"
    with pytest.raises(ClaimError) as error:
        check(entry_id, text)
    message = str(error.value)
    assert "\n" not in message
    for internal in ("zoo", "ImaginaryUnit", "ComplexInfinity", "MatMul", "NotImplementedError"):
        assert internal not in message


def test_a_claim_too_large_even_for_high_precision_is_refuted_not_an_engine_fault():
    result = check("sigmoid-backward", "exp(exp(exp(exp(exp(x)))))")
    assert result.verdict == "refuted"


def test_the_precision_written_is_half_a_unit_of_the_last_digit():
    from symcheck import approximation

    assert approximation.read("1.39") == (sympy.Rational(139, 100), sympy.Rational(1, 200))
    assert approximation.read("2e-3") == (sympy.Rational(1, 500), sympy.Rational(1, 2000))
    assert approximation.read("10") == (10, sympy.Rational(1, 2))
    assert approximation.split(r"f(\approx 2) \approx 3.1") == "3.1"  # the claim's own sign, not a nested one
    assert approximation.split("no sign") is None
    assert approximation.within(sympy.log(4), sympy.Rational(139, 100), sympy.Rational(1, 200))
    assert not approximation.within(sympy.log(4), sympy.Rational(130, 100), sympy.Rational(1, 200))
