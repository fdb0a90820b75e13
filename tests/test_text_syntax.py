"""The text syntax of claims: what it reads, and what it refuses, with the column."""
import pytest
import sympy

from symcheck import ClaimError, Index, Notation, Size, define, domains, matrix, scalar, vector
from symcheck.text_syntax import MAX_CLAIM_CHARS, parse_assignments, parse_claim

NT = Notation(variables=[scalar("x"), scalar("dEdy", r"\frac{\partial E}{\partial y}"), vector("X", "n"),
                         matrix("W", "n", "n"), scalar("eps", domain=domains.positive)],
              definitions=[define("mu", "Sum(X[j], j)/n", r"\mu"), define("I", "eye(n)", shape=("n", "n"))],
              sizes=[Size("n")], indices=[Index("i", 1, "n"), Index("j", 1, "n")])


@pytest.mark.parametrize("text", [
    "dEdy*sigma(x)*(1 - sigma(x))", "dEdx = dEdy*exp(-x)/(1+exp(-x))^2", "Sum(X[j] - mu, j)",
    "Sum(X[k], (k, 1, n))", "(W + 0.5*I)**-1*X", "W.T*X", "inv(W)*X", "hadamard(X, indicator(X > 0))",
    "dEdy if x > 0 else 0", "max(0, x) + min(x, 1)", "log(x**2 + 1, 2)", "norm(X)", "1 - X", "ones(n).T*X",
    "vector_of(X[i]**2, i)", "floor(x) + ceil(x)", "delta(i, j)", "x·2 − 1",
])
def test_reads(text):
    assert isinstance(parse_claim(text, NT), sympy.Basic)


def test_decimals_are_exact():
    assert parse_claim("0.1*x", NT) == sympy.Rational(1, 10) * sympy.Symbol("x", real=True)


@pytest.mark.parametrize("text, message, column", [
    ("x + foo", "unknown symbol 'foo'", 5),
    ("x + sgima(x)", "unknown function 'sgima'", 5),
    ("x +* 2", "syntax error", 4),
    ("x.__class__", "attribute", 1),
    ("__import__('os')", "unknown function", 1),
    ("'text'", "only numbers", 1),
    ("9**9**9", "too large", 1),
    ("X[1, 2]", "takes 1 index", 1),
    ("x(1)", "not a function", 1),
    ("lambda: x", "unsupported syntax (lambda)", 1),
    ("[x]", "unsupported syntax", 1),
    ("mu[1]", "takes 0 index", 1),
    ("sum(x)", "needs a summand and at least one index", 1),
])
def test_refuses_with_the_column(text, message, column):
    with pytest.raises(ClaimError) as error:
        parse_claim(text, NT)
    assert message in str(error.value)
    assert error.value.position == column - 1


def test_size_limits():
    with pytest.raises(ClaimError, match="too long"):
        parse_claim("x+" * MAX_CLAIM_CHARS + "x", NT)
    with pytest.raises(ClaimError, match="empty"):
        parse_claim("   ", NT)
    with pytest.raises(ClaimError):
        parse_claim("(" * 300 + "x" + ")" * 300, NT)


def test_unknown_symbol_lists_what_the_entry_knows():
    with pytest.raises(ClaimError) as error:
        parse_claim("y", NT)
    assert "x, dEdy, X, W, eps" in str(error.value)


def test_assignments():
    values = parse_assignments("w1 = -1, w2 = 0.5", Notation(variables=[scalar("w1"), scalar("w2")]), ["w1", "w2"])
    assert values == {"w1": -1, "w2": sympy.Rational(1, 2)}
    with pytest.raises(ClaimError, match="missing parameter"):
        parse_assignments("w1 = 1", Notation(variables=[scalar("w1"), scalar("w2")]), ["w1", "w2"])


@pytest.mark.parametrize("text, words", [
    (r"\sigma(x)", "a backslash is LaTeX"),
    ("x $ 2", "the character '$'"),
    ("(x + 2", "'(' is never closed"),
    ("x +* 2", "not an expression of the text syntax"),
    ("f(x y)", "not an expression of the text syntax"),
])
def test_syntax_errors_speak_of_the_text_syntax_not_of_python(text, words):
    from symcheck.notation import Notation, scalar

    with pytest.raises(ClaimError) as raised:
        parse_claim(text, Notation(variables=[scalar("x", "x")]))
    message = str(raised.value)
    assert words in message
    for python in ("continuation", "Perhaps", "invalid syntax", "was never closed"):
        assert python not in message


def test_or_and_join_conditions_only_and_python_warnings_stay_quiet(recwarn):
    from symcheck.notation import Notation, scalar

    with pytest.raises(ClaimError, match="'or' joins conditions such as x > 0; '1' is not a condition"):
        parse_claim("1or 2", Notation(variables=[scalar("x", "x")]))
    assert not [w for w in recwarn if issubclass(w.category, SyntaxWarning)]
