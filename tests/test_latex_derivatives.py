r"""Derivatives are operators: \frac{d}{dx} f, \frac{\partial}{\partial x} f, \frac{df}{dx}, \nabla_x f and
primes apply a true derivative.  Before, \frac{d}{dx} read as the fraction d/(dx), and a wrong answer to
tanh-backward was proved."""
from __future__ import annotations

import pytest
import sympy

from symcheck import Notation, define, matrix, scalar
from symcheck import vocabulary as voc
from symcheck.checking import check_claim
from symcheck.errors import ClaimError
from symcheck.latex import parse_latex

X = sympy.Symbol("x", real=True)
DEDY = sympy.Symbol("dEdy", real=True)
NOTATION = Notation(variables=[scalar("x", "x"), scalar("dEdy", r"\frac{\partial E}{\partial y}"),
                               matrix("W", 2, 2, r"\mathbf{W}")],
                    definitions=[define("y", "x**3", "y")])


def verdict(catalogue, entry_id: str, latex: str) -> str:
    result, _ = check_claim(catalogue.get(entry_id), latex, latex=True)
    return result.verdict


def same(latex: str, expected) -> None:
    got = parse_latex(latex, NOTATION)
    assert sympy.simplify(got - expected) == 0, f"{latex} read as {got}"


def test_the_wrong_tanh_answer_is_refuted_and_the_right_one_proved(catalogue):
    wrong = r"\frac{\partial E}{\partial y}\frac{d}{dx}\left(x - x\tanh^2 x\right)"
    assert verdict(catalogue, "tanh-backward", wrong) == "refuted"
    assert verdict(catalogue, "tanh-backward", r"\frac{\partial E}{\partial y}\frac{d}{dx}\tanh(x)") == "proved"


@pytest.mark.parametrize("latex", [
    r"\frac{d}{dx} \tanh(x)", r"\frac{\partial}{\partial x}\tanh(x)", r"\frac{d\tanh(x)}{dx}",
    r"\frac{\mathrm{d}}{\mathrm{d}x} \tanh x", r"\nabla_x \tanh(x)", r"\tanh'(x)", r"\tanh^{\prime}(x)",
    r"\operatorname{sech}^2(x)", r"\mathrm{sech}^2 x", r"1 - \coth(x)^{-2}",
])
def test_every_spelling_of_the_derivative_of_tanh(latex):
    same(latex, 1 - sympy.tanh(X) ** 2)


def test_the_operator_covers_the_rest_of_its_product_only():
    same(r"2 \frac{d}{dx} x^2 \cdot x + 1", 2 * 3 * X ** 2 + 1)


def test_second_derivatives_and_definitions():
    same(r"\frac{d^2}{dx^2} x^3", 6 * X)
    same(r"\frac{d^2 y}{dx^2}", 6 * X)
    same(r"\frac{\partial^2 y}{\partial x^2}", 6 * X)
    same(r"\frac{\partial (x^2)}{\partial x}", 2 * X)
    same(r"\frac{\partial y}{\partial x}", 3 * X ** 2)  # y is defined as x^3: its definition is differentiated


def test_sigma_prime():
    same(r"\sigma'(x)", voc.sigmoid(X) * (1 - voc.sigmoid(X)))
    assert parse_latex(r"\sigma'(0)", NOTATION) == sympy.Rational(1, 4)


def test_a_declared_upstream_gradient_stays_a_symbol():
    assert parse_latex(r"\frac{\partial E}{\partial y}", NOTATION) == DEDY
    assert parse_latex(r"\frac{dE}{dy}", NOTATION) == DEDY


@pytest.mark.parametrize("latex, fragments", [
    (r"\frac{d}{d\mathbf{W}} x", (r"\mathbf{W} is a matrix", "with respect to a scalar variable (x")),
    (r"\frac{d}{dz} x", ("unknown symbol z",)),
    (r"\frac{d}{dx}", (r"\frac{d}{dx} needs what it differentiates after it",)),
    (r"\max'(x, 1)", ("derivative of max",)),
])
def test_derivatives_that_cannot_be_taken_are_refused_with_what_to_write(latex, fragments):
    with pytest.raises(ClaimError) as info:
        parse_latex(latex, NOTATION)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def test_sigma_prime_in_the_catalogue(catalogue):
    assert verdict(catalogue, "sigmoid-backward", r"\frac{\partial E}{\partial y}\sigma'(x)") == "proved"
    # the sheet's own value: sigma'(0) = 1/4, so 1/sigma'(0) = 4 (was "cannot evaluate ComplexInfinity")
    assert verdict(catalogue, "exploding-rnn-threshold", r"\frac{1}{\sigma'(0)}") == "proved"


def test_a_power_on_an_entrywise_function_is_entrywise(catalogue):
    # \tanh^2 of a vector was read as a matrix power of a column ("not defined"); it is the square of each entry
    latex = r"\delta_h^{(l)} \odot (\sigma(\mathbf{z}^{(l)}) - \sigma^2(\mathbf{z}^{(l)}))"
    assert verdict(catalogue, "mlp-delta-z-sigmoid", latex) == "proved"
    assert verdict(catalogue, "mlp-delta-z-sigmoid", r"\delta_h^{(l)} \odot \sigma^2(\mathbf{z}^{(l)})") == "refuted"
