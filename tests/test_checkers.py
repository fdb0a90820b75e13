"""Every checker catches a planted error, and accepts the correct claim.

As in autograd's own tests of check_grads: a checker that accepts a wrong claim
is a failing test here, never a skipped one.
"""
import itertools

import numpy as np
import pytest

from symcheck import (Behaviour, Bernoulli, Categorical, Claim, Entry, Expectation, Gradient, Index, Notation,
                      Optimum, Size, Value, define, domains, matrix, scalar, vector)
from symcheck.verifier import verify_entry


def _entry(asks, notation, *claims):
    return Entry(id="planted", title="planted", sheet="test", problem="1", question="q", notation=notation,
                 asks=asks, claims=list(claims))


def _verdicts(entry):
    result = verify_entry(entry)
    assert not result.error or all(c.verdict == "error" for c in result.claims), result.error
    return {c.label: c for c in result.claims}


def _claim(text, label, expect="proved"):
    return Claim(text, label=label, expect=expect, source="answer")


SIGMOID = Gradient(forward="1/(1 + exp(-x))", wrt="x", upstream="g", oracle=lambda x: 1 / (1 + np.exp(-x)))
SCALARS = Notation(variables=[scalar("x"), scalar("g")])


def test_gradient_checker_catches_a_wrong_derivative():
    out = _verdicts(_entry(SIGMOID, SCALARS, _claim("g*sigma(x)*(1 - sigma(x))", "right"),
                           _claim("g*sigma(x)*(1 + sigma(x))", "sign"), _claim("2*g*sigma(x)*(1 - sigma(x))", "factor"),
                           _claim("g*sigma(x)", "dropped")))
    assert out["right"].verdict == "proved"
    for label in ("sign", "factor", "dropped"):
        assert out[label].verdict == "refuted"
        cx = out[label].evidence.counterexample
        assert cx is not None and cx.claimed != cx.reference


def test_gradient_checker_catches_one_wrong_matrix_entry():
    nt = Notation(variables=[matrix("W", "m", "n"), vector("x", "n"), vector("g", "m")],
                  sizes=[Size("m", (2,), (2, 4)), Size("n", (3,), (2, 4))], indices=[Index("i", 1, "m"),
                                                                                    Index("j", 1, "n")])
    asks = Gradient(forward="W*x", wrt="W", upstream="g", index=("i", "j"), oracle=lambda W, x: W @ x)
    out = _verdicts(_entry(asks, nt, _claim("g[i]*x[j]", "right"),
                           _claim("g[i]*x[j] + delta(i, 2)*delta(j, 1)", "one-entry"),
                           _claim("g[i]*x[j] if i < 2 else -g[i]*x[j]", "row-sign")))
    assert out["right"].verdict == "proved"
    assert out["one-entry"].verdict == "refuted"
    assert out["one-entry"].evidence.counterexample.entry == [2, 1]
    assert out["row-sign"].verdict == "refuted"


def test_gradient_checker_refutes_a_transposed_matrix():
    nt = Notation(variables=[matrix("W", "n", "n"), vector("x", "n"), vector("g", "n")],
                  sizes=[Size("n", (2, 3), (2, 4))])
    asks = Gradient(forward="W*x", wrt="x", upstream="g", oracle=lambda W, x: x @ W.T)
    out = _verdicts(_entry(asks, nt, _claim("W.T*g", "right"), _claim("W*g", "transposed"),
                           _claim("g.T*W", "a-row"), _claim("g*W", "undefined")))
    assert out["right"].verdict == "proved"
    assert out["transposed"].verdict == "refuted"
    # a row where the question's column is wanted is another answer (layout), refuted with both shapes
    assert out["a-row"].verdict == "refuted"
    assert "1×2" in out["a-row"].evidence.counterexample.note and "column" in out["a-row"].evidence.counterexample.note
    assert out["undefined"].verdict == "refuted"
    assert "not defined" in out["undefined"].evidence.counterexample.note


def test_value_checker_catches_a_wrong_identity():
    nt = Notation(variables=[vector("p", "K", domain=domains.probability), vector("q", "K", domain=domains.probability)],
                  sizes=[Size("K")], indices=[Index("k", 1, "K")])
    asks = Value(expr="KL(p, q)", oracle=lambda p, q: np.sum(p * np.log(p / q)))
    out = _verdicts(_entry(asks, nt, _claim("Sum(p[k]*log(p[k]) - p[k]*log(q[k]), k)", "right"),
                           _claim("Sum(q[k]*log(q[k]/p[k]), k)", "reversed")))
    assert out["right"].verdict == "proved"
    assert out["reversed"].verdict == "refuted"


def test_optimum_checker_catches_a_wrong_argmin():
    nt = Notation(variables=[matrix("H", "n", "n", domain=domains.spd), vector("c", "n"), vector("w", "n")],
                  sizes=[Size("n", (2,), (2, 3))])
    asks = Optimum(objective="w.T*H*w/2 - c.T*w", over="w", oracle=lambda H, c, w: w @ H @ w / 2 - c @ w)
    out = _verdicts(_entry(asks, nt, _claim("inv(H)*c", "right"), _claim("H*c", "wrong")))
    assert out["right"].verdict == "proved"
    assert out["wrong"].verdict == "refuted"


def test_expectation_checker_catches_a_biased_estimator():
    softmax = lambda phi: np.exp(phi - phi.max(-1, keepdims=True)) / np.exp(phi - phi.max(-1, keepdims=True)).sum(
        -1, keepdims=True)
    nt = Notation(variables=[vector("phi", "K"), vector("f", "K")], definitions=[define("q", "softmax(phi)",
                                                                                       shape=("K",))],
                  sizes=[Size("K")], indices=[Index("z", 1, "K"), Index("i", 1, "K")])
    asks = Expectation(target=Gradient(forward="Sum(q[z]*f[z], z)", wrt="phi", index=("i",),
                                       oracle=lambda phi, f: (softmax(phi) * f).sum(-1)),
                       over={"z": Categorical("q[z]")})
    out = _verdicts(_entry(asks, nt, _claim("f[z]*(delta(z, i) - q[i])", "unbiased"),
                           _claim("f[z]*delta(z, i)", "biased")))
    assert out["unbiased"].verdict == "proved"
    assert out["biased"].verdict == "refuted"


def test_expectation_checker_with_monte_carlo_catches_a_wrong_mean():
    nt = Notation(variables=[scalar("mu"), scalar("s", domain=domains.positive), scalar("eps")])
    asks = Expectation(target=Value(expr="mu**2 + s**2", oracle=lambda mu, s: mu**2 + s**2),
                       over={"eps": Normal_(0, 1)})
    out = _verdicts(_entry(asks, nt, _claim("(mu + s*eps)**2", "right"), _claim("(mu + s*eps)**2 + s**2", "wrong")))
    assert out["right"].verdict == "proved"
    assert out["wrong"].verdict == "refuted"


def Normal_(mean, std):
    from symcheck import Normal

    return Normal(str(mean), str(std))


def test_bernoulli_expectation_catches_the_wrong_dropout_scaling():
    nt = Notation(variables=[vector("x", "n"), vector("m", "n", domain=domains.binary),
                             scalar("p", domain=domains.interval(0, 1))], sizes=[Size("n", (2,), (2, 3))])
    asks = Expectation(target=Value(expr="hadamard(x, m)", oracle=lambda x, m: x * m), over={"m": Bernoulli("p")})
    out = _verdicts(_entry(asks, nt, _claim("p*x", "right"), _claim("(1 - p)*x", "wrong")))
    assert out["right"].verdict == "proved"
    assert out["wrong"].verdict == "refuted"


def test_bound_checker_catches_a_bound_that_fails_on_one_percent():
    nt = Notation(variables=[scalar("x", domain=domains.Real(-3, 3)), scalar("y", domain=domains.Real(-3, 3))])
    asks = Value(expr="x**2 + y**2", oracle=lambda x, y: x**2 + y**2)
    # x² + y² > 17.64 on about 1% of the square [-3, 3]²; > 17.99 only in the corners.
    out = _verdicts(_entry(asks, nt, Claim("18.5", label="holds", relation="<=", source="answer"),
                           Claim("17.64", label="one-percent", relation="<=", source="answer"),
                           Claim("17.99", label="corners", relation="<=", source="answer")))
    assert out["holds"].verdict == "confirmed"
    assert out["one-percent"].verdict == "refuted"
    assert out["corners"].verdict == "refuted"


def test_behaviour_checker_catches_wrong_weights():
    def simulate(p, xs):
        h, out = 0, []
        for x in xs:
            h = 1 if p["a"] * x + p["b"] * h + p["c"] > 0 else 0
            out.append(h)
        return out

    def spec(xs):  # remembers whether a 1 has been seen
        out, seen = [], False
        for x in xs:
            seen = seen or x == 1
            out.append(int(seen))
        return out

    inputs = lambda: (s for n in range(1, 9) for s in itertools.product((0, 1), repeat=n))
    nt = Notation(variables=[scalar("a"), scalar("b"), scalar("c")])
    asks = Behaviour(parameters=("a", "b", "c"), simulate=simulate, spec=spec, inputs=inputs)
    out = _verdicts(_entry(asks, nt, _claim("a=1, b=1, c=-0.5", "right"), _claim("a=1, b=-1, c=-0.5", "wrong")))
    assert out["right"].verdict == "confirmed"
    assert out["wrong"].verdict == "refuted"
    assert out["wrong"].evidence.counterexample.point["input"]


def test_an_entry_whose_oracle_disagrees_with_its_model_is_an_error():
    bad = Gradient(forward="1/(1 + exp(-x))", wrt="x", upstream="g", oracle=lambda x: np.tanh(x))
    result = verify_entry(_entry(bad, SCALARS, _claim("g*sigma(x)*(1 - sigma(x))", "c")))
    assert "disagree" in result.error
    assert all(c.verdict == "error" for c in result.claims)


def test_a_float_accident_is_not_a_refutation():
    nt = Notation(variables=[scalar("x", domain=domains.Positive(0.5, 2.0))])
    asks = Value(expr="1", oracle=lambda x: 1.0)
    # Catastrophic cancellation in float64, exactly 1 in exact arithmetic.
    out = _verdicts(_entry(asks, nt, _claim("((x + 10**8)**2 - 10**16 - 2*10**8*x)/x**2", "cancels")))
    assert out["cancels"].verdict in ("proved", "confirmed")


def test_a_difference_below_float_resolution_is_refuted():
    out = _verdicts(_entry(SIGMOID, SCALARS, _claim("g*sigma(x)*(1 - sigma(x)) + 10**-20*x", "tiny")))
    assert out["tiny"].verdict == "refuted"
    assert "below float64" in out["tiny"].evidence.counterexample.note


def test_a_proof_the_numbers_contradict_is_an_engine_fault(monkeypatch):
    from symcheck import cascade, verifier

    monkeypatch.setattr(verifier, "prove", lambda *a, **k: cascade.Proof(True, "planted", 0.0))
    out = _verdicts(_entry(SIGMOID, SCALARS, _claim("g*sigma(x)*(1 + sigma(x))", "wrong")))
    assert out["wrong"].verdict == "error"
    assert "ENGINE FAULT" in out["wrong"].reason


@pytest.mark.parametrize("claim", ["g*x", "g*(1 - sigma(x))**2"])
def test_wrong_claims_are_never_confirmed(claim):
    out = _verdicts(_entry(SIGMOID, SCALARS, _claim(claim, "c")))
    assert out["c"].verdict == "refuted"


def test_a_matrix_claim_through_tanh_is_rechecked_in_high_precision():
    # tanh makes the recheck go through mpmath (not exact arithmetic): the claim's
    # matrix must still be compared entry by entry.
    nt = Notation(variables=[matrix("W", "n", "n"), vector("x", "n"), vector("g", "n")],
                  sizes=[Size("n", (2,), (2, 3))])
    asks = Gradient(forward="tanh(W*x)", wrt="W", upstream="g",
                    oracle=lambda W, x: np.tanh(W @ x))
    out = _verdicts(_entry(asks, nt, _claim("hadamard(g, 1 - hadamard(tanh(W*x), tanh(W*x)))*x.T", "right"),
                           _claim("hadamard(g, 1 - tanh(W*x))*x.T", "wrong")))
    assert out["right"].verdict == "proved"
    assert out["wrong"].verdict == "refuted"
    assert "digits" in out["wrong"].evidence.counterexample.describe()
