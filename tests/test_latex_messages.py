r"""Every failure of the LaTeX front end is one line that says what, where and what would be accepted;
no Python or SymPy internal name ever reaches it; reading is bounded from the first byte."""
from __future__ import annotations

import re
import time

import pytest

from symcheck.checking import check_claim
from symcheck.errors import ClaimError
from symcheck.latex import LatexError, parse_latex, parse_latex_claim

# names of SymPy and Python internals that must never be shown to a user
INTERNAL = re.compile(r"zoo|ImaginaryUnit|ComplexInfinity|NaN\b|\bnan\b|Infinity|_Deferred|_OpenSum|_Seq|"
                      r"object has no attribute|Error\b|Exception|Traceback|MatrixSymbol|MatPow|MatMul|Indexed|"
                      r"Dummy|(?<!\\)Lambda|Tree\(|Token\(|\bI\b:|\w+\(\w+=|‹|›")

BAD = [
    r"\sqrt{-1}", r"\frac{1}{0}", r"\frac{0}{0}", r"x + \log(-1)", r"(-1)^{\frac{1}{2}}", r"\log 0",
    r"\frac{1}{\sigma(x) - \sigma(x)}", r"\frac{d}{dx}", r"\frac{d}{dz} x", r"\frac{d}{d\mathbf{W}} x", r"\max'(x, 1)",
    r"\mathbb{1}\{\max(0, x)\}", r"\mathbb{1}\{\max(0, z) > 0\}", r"\sum_{x=1}^{2} x", r"\sum_{e=1}^{2} x",
    r"\sigma''''(x)", r"\tanh^{2}'(x)", r"x^{10^{9}}", r"2^{10^{9}}", r"0.3^{10^9}", "1" * 1001, r"W^{1000000}",
    r"W^{10^{9}}", r"W \odot W^{\top}", r"W^{\frac{1}{2}}", r"\frac{x}{W}", r"x_1", r"\mathbf{x}_1",
    r"\frac{\partial E}{\partial x}", r"N", r"\operatorname{diag}(x, x)", r"\sqrt{}", r"\frac{1}{", r"\input{x}",
    r"\frac{d^2}{dx} x", r"\nabla_{\mathbf W} x", r"\nabla_z x", r"\log_{-2} x", r"\frac{\partial}{\partial x}",
]


@pytest.fixture(scope="module")
def notation():
    from symcheck import Notation, matrix, scalar
    return Notation(variables=[scalar("x", "x"), scalar("dEdy", r"\frac{\partial E}{\partial y}"),
                               matrix("W", 2, 3, r"\mathbf{W}")])


@pytest.mark.parametrize("latex", BAD)
def test_no_internal_name_reaches_a_message(latex, notation):
    start = time.monotonic()
    with pytest.raises(LatexError) as info:
        parse_latex(latex, notation)
    message = str(info.value)
    assert time.monotonic() - start < 1.0, f"{latex!r} took too long to refuse"
    assert "\n" not in message and message.strip() == message, message
    assert not INTERNAL.search(message), f"{latex!r}: {message}"
    assert isinstance(info.value, ClaimError)


@pytest.mark.parametrize("latex, fragment", [
    (r"\sqrt{-1}", r"the claim is not a real number: \sqrt{-1} at column 1"),
    (r"x + \frac{1}{0}", r"divides by zero: \frac{1}{0} at column 5"),
    ("1" * 1001, "a number of 1001 digits; at most 1000 are read"),
    (r"2^{10^{9}}", "a number may have at most"),
    (r"0.3^{10^9}", "a number may have at most"),
    (r"W^{1000000}", "powers of a matrix are read up to 100"),
    (r"W^{10^{9}}", "powers of a matrix are read up to 100"),
    (r"N", "did you mean"),
])
def test_what_where_and_what_is_accepted(latex, fragment, notation):
    from symcheck import Notation, Size, matrix, scalar
    sized = Notation(variables=[scalar("x", "x"), matrix("W", "n", "n", r"\mathbf{W}")], sizes=[Size("n")])
    start = time.monotonic()
    with pytest.raises(LatexError) as info:
        parse_latex(latex, sized)
    assert time.monotonic() - start < 1.0
    assert fragment in str(info.value), str(info.value)


def test_unknown_symbols_name_the_closest_declared_spellings(catalogue):
    entry = catalogue.get("batchnorm-dmu-dx")
    with pytest.raises(LatexError, match=r"unknown symbol N \(did you mean n\?\)"):
        parse_latex(r"\frac{1}{N}", entry.notation)
    entry = catalogue.get("batchnorm-dl-dxhat")
    with pytest.raises(LatexError, match=r"did you mean \\frac\{\\partial L\}\{\\partial Y\}\?"):
        parse_latex(r"\gamma \frac{\partial L}{\partial y_i}", entry.notation)


def test_an_indicator_of_a_condition_on_a_matrix(catalogue):
    # was "cannot build this expression: '_Deferred' object has no attribute 'ops'"
    entry = catalogue.get("relu-layer-backward")
    result, _ = check_claim(entry, r"\frac{\partial L}{\partial Y} \odot \mathbb{1}\{\max(0, X) > 0\}", latex=True)
    assert result.verdict == "proved", result.reason


def test_times_between_numbers_is_a_product_except_in_a_shape(catalogue):
    entry = catalogue.get("convnet-conv-parameters-rgb")  # a pair of counts, not a shape
    entry.asks.bind(entry)
    assert parse_latex_claim(entry.asks, r"3 \times 28") == 84
    entry = catalogue.get("mnist-valid-conv1-shape")
    entry.asks.bind(entry)
    assert tuple(parse_latex_claim(entry.asks, r"16 \times 24 \times 24")) == (16, 24, 24)
    entry = catalogue.get("sentence-cnn-input")
    entry.asks.bind(entry)
    assert tuple(parse_latex_claim(entry.asks, r"X_{in} \in \mathbb{R}^{10 \times 300}")) == (10, 300)


def test_the_negated_kl_the_entry_declares(catalogue):
    entry = catalogue.get("reparameterised-elbo")
    neg_kl = parse_latex(r"-D_{KL}(q_\phi(z|x)\|p_\theta(z))", entry.notation)
    assert str(neg_kl) == "negKL"
    assert parse_latex(r"D_{KL}(q_\phi(z|x)\|p_\theta(z))", entry.notation) == -neg_kl
    with pytest.raises(LatexError) as info:  # an abbreviation: refused, saying what to write
        parse_latex(r"-D_{KL}(q\|p)", entry.notation)
    assert r"-D_{KL}(q_\phi(z|x)\|p_\theta(z))" in str(info.value)


def test_the_caret_points_at_the_column(notation):
    with pytest.raises(LatexError) as info:
        parse_latex(r"x + \sqrt{-1}", notation)
    shown, caret = info.value.pointer().split("\n")
    assert shown == r"x + \sqrt{-1}" and caret == "    ^"
    assert str(info.value).endswith("at column 5")


def _mutants(latex: str, rng):
    """A few mangled versions of a sheet's LaTeX: a character dropped, a bad value planted."""
    yield latex[:len(latex) // 2]
    k = rng.randrange(len(latex))
    yield latex[:k] + latex[k + 1:]
    for planted in (r"\sqrt{-1}", r"\frac{1}{0}", r"^{10^{9}}", r"\frac{d}{dx}", "'", r"\log(-2)", "}", "_{"):
        k = rng.randrange(len(latex) + 1)
        yield latex[:k] + planted + latex[k:]


def test_mangled_sheet_latex_never_leaks_an_internal_name(catalogue):
    import random

    rng = random.Random(9)
    tried = 0
    for entry in catalogue.entries[::3]:
        entry.asks.bind(entry)
        for claim in entry.claims:
            if not claim.latex:
                continue
            for text in _mutants(claim.latex, rng):
                tried += 1
                try:
                    parse_latex_claim(entry.asks, text)
                except ClaimError as error:
                    message = str(error)
                    assert "\n" not in message, (entry.id, text, message)
                    assert not INTERNAL.search(message.replace(text, "")), (entry.id, text, message)
    assert tried > 300


def test_a_shape_in_parentheses_and_a_prime_on_a_matrix_in_parentheses(catalogue):
    entry = catalogue.get("mnist-valid-conv1-shape")  # was "a list of several values where one was expected"
    entry.asks.bind(entry)
    assert tuple(parse_latex_claim(entry.asks, "(16, 24, 24)")) == (16, 24, 24)
    entry = catalogue.get("fc-backward-wtx-dw")  # (A)' is A transposed, as in Octave; was refused
    entry.asks.bind(entry)
    assert parse_latex_claim(entry.asks, r"X \cdot \left(\frac{\partial L}{\partial Y}\right)'") == \
        parse_latex_claim(entry.asks, r"X \left(\frac{\partial L}{\partial Y}\right)^\top")
    with pytest.raises(LatexError, match="after a scalar"):
        parse_latex(r"(x)'", catalogue.get("sigmoid-backward").notation)


# -- a slash followed by juxtaposition reads two ways: refused with both ------------------------

@pytest.mark.parametrize("text, then", [("a/2b", "b"), (r"e^{-(x-\mu)^2/2\sigma^2}", r"\sigma^{2}"), ("1/n x", "x")])
def test_a_slash_then_a_juxtaposed_product_names_both_readings(text, then):
    from symcheck import equality

    with pytest.raises(ClaimError) as raised:
        equality.read_side(text, True, equality.read_assumptions([]))
    message = str(raised.value)
    assert f"·{then} or" in message and "\\frac" in message


@pytest.mark.parametrize("text, same_as", [("a/(2b)", r"\frac{a}{2b}"), ("(a/2) b", r"\frac{a}{2} b"),
                                           (r"a/2 \cdot b", r"\frac{a}{2} b"), ("a/2", r"\frac{a}{2}")])
def test_a_slash_with_the_grouping_written_reads_one_way(text, same_as):
    from symcheck import equality

    context = equality.read_assumptions([])
    assert equality.compare(equality.read_side(text, True, context), equality.read_side(same_as, True, context),
                            "=", context).verdict == "proved"
