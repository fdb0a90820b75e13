"""Say what is wrong: every mistake and convention of the table is named for a
planted claim on a real catalogue entry; a wrong claim that makes none of them
gets no diagnosis, a right claim none either; a diagnosis never changes a
verdict and travels in the JSON."""
import json

import pytest

from symcheck import diagnosis, mistakes
from symcheck.checking import check_claim
from symcheck.cli import main
from symcheck.verdicts import ClaimResult, Counterexample, EntryResult, Evidence, from_json
from symcheck.verifier import verify_entry

SIGMOID = "dEdy*sigma(x)*(1 - sigma(x))"
BATCHNORM = ("gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - ((X[i] - mu)/sigma)*Sum(dLdY[j]*(X[j] - mu)/sigma, j))")
CONV_DX = "Sum(dLdY[n, f, i - u + 1, j - v + 1]*W[f, c, u, v], f, u, v)"
KL = "Sum(1 + log(sigma[j]**2) - mu[j]**2 - sigma[j]**2, j)/2"

# (mistake, entry, planted claim, a fragment of the diagnosis printed)
PLANTED = [
    # SCALE
    ("sign-flipped", "sigmoid-backward", "-" + SIGMOID, "with the sign flipped"),
    ("times-2", "sigmoid-backward", "2*" + SIGMOID, "times 2"),
    ("times-half", "sigmoid-backward", SIGMOID + "/2", "times 1/2"),
    # CONVENTION
    ("transposed-layout", "fc-backward-wx-dw", "X*dLdY.T", "transposed: the numerator-layout convention"),
    ("transposed-layout", "mlp-dw-data", "dz[j]*h[k]", "transposed: the numerator-layout convention"),
    ("transposed-layout", "rnn-step-jacobian", "U.T*D", "transposed: the denominator-layout convention"),
    ("keep-vs-drop-probability", "dropout-inference-drop", "W*(x*p)", "p and 1 - p exchanged"),
    ("keep-vs-drop-probability", "dropout-inverted-backward", "hadamard(dLdY, M)/(1 - p)", "keep versus drop"),
    ("sum-vs-mean", "batchnorm-dmu-dx", "1", "times n: a sum over the n terms where the reference averages"),
    ("mean-vs-sum", "fc-backward-wtx-batch-db", "Sum(dLdY[j, s], s)/N", "divided by N: a mean over the N terms"),
    ("log-base", "initial-ce-loss", "2", "divided by ln 2: logarithms to base 2 where the reference takes natural"),
    ("log-base", "initial-ce-loss", "log(4)/log(10)", "divided by ln 10"),
    ("log-base", "gaussian-kl", KL + "*log(2)", "times ln 2: a conversion between base-2 and natural logarithms"),
    # STRUCTURE
    ("transposed-factor", "fc-backward-wx-dx", "W*dLdY", "with W transposed"),
    ("transposed-factor", "mlp-delta-h-prev", "Sum(dz[k]*W[j, k], k)", "with W transposed"),
    ("missing-term", "batchnorm-backward", "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j))",
     "without its term -gamma*(-mu + X[i])*Sum("),
    ("missing-term", "gaussian-kl", "Sum(1 + log(sigma[j]**2) - mu[j]**2, j)/2",
     "without its term Sum(-sigma[j]**2, j)/2"),
    ("missing-term", "mlp-dw-regularised", "dz*h.T", "without its term 2*lam*W"),
    ("missing-1/n", "batchnorm-backward", BATCHNORM.replace("- Sum(dLdY[j], j)", "- n*Sum(dLdY[j], j)"),
     "without the 1/n of its term -gamma*Sum(dLdY[j], j)/(n*sigma)"),
    ("term-sign-flipped", "sigmoid-backward", "dEdy*sigma(x)*(1 + sigma(x))",
     "with the sign of its term -dEdy*sigmoid(x)**2 flipped"),
    ("term-sign-flipped", "batchnorm-backward", BATCHNORM.replace("- Sum(dLdY[j], j)", "+ Sum(dLdY[j], j)"),
     "with the sign of its term -gamma*Sum(dLdY[j], j)/(n*sigma) flipped"),
    ("term-times-2", "mlp-dw-regularised", "dz*h.T + 4*lam*W", "with its term 2*lam*W times 2"),
    ("term-times-half", "mlp-dw-regularised", "dz*h.T + lam*W", "with its term 2*lam*W times 1/2"),
    ("dropped-upstream", "sigmoid-backward", "sigma(x)*(1 - sigma(x))", "the upstream gradient dEdy dropped"),
    ("dropped-upstream", "relu-layer-backward", "indicator(X > 0)", "the upstream gradient dLdY dropped"),
    ("index-off-by-one", "conv-backward-dx", CONV_DX.replace("i - u + 1", "i - u"),
     "with dLdY[n, f, i - u + 1, j - v + 1] read as dLdY[n, f, i - u, j - v + 1] (an index off by one)"),
    ("indices-swapped", "conv-backward-dx", CONV_DX.replace("W[f, c, u, v]", "W[f, c, v, u]"),
     "with the indices u and v of W[f, c, u, v] swapped"),
]


@pytest.mark.parametrize("mistake, entry_id, claim, fragment", PLANTED,
                         ids=[f"{m}:{e}" for m, e, _, _ in PLANTED])
def test_a_planted_mistake_is_refuted_and_named(catalogue, mistake, entry_id, claim, fragment):
    result, _ = check_claim(catalogue.get(entry_id), claim)
    assert result.verdict == "refuted", result.reason or result.evidence.summary()
    assert result.mistake == mistake, result.diagnosis
    assert result.diagnosis.startswith("your claim equals the reference")
    assert fragment in result.diagnosis


def test_every_line_of_the_table_has_a_planted_claim():
    names = {m.name for phase in mistakes.PHASES for m in phase.mistakes}
    assert names == {m for m, *_ in PLANTED}
    assert [p.name for p in mistakes.PHASES] == ["scale", "convention", "structure"]
    assert len(names) == sum(len(p.mistakes) for p in mistakes.PHASES), "two lines share a name"


@pytest.mark.parametrize("entry_id, claim", [
    ("sigmoid-backward", "dEdy*exp(-x)/(1 + exp(-x))"),           # the square of the denominator dropped
    ("sigmoid-backward", SIGMOID + "**2"),
    ("relu-layer-backward", "hadamard(dLdY, indicator(X < 0))"),
    ("dropout-inverted-backward", "hadamard(dLdY, M)"),            # the sheet's claim: a factor 1/p missing
    ("gaussian-kl", "Sum(1 + log(sigma[j]**2) - mu[j] - sigma[j]**2, j)/2"),    # mu for mu squared
    ("conv-backward-dx", CONV_DX.replace("W[f, c, u, v]", "W[f, c, v, u]**2")),
    ("fc-backward-wtx-batch-db", "dLdY"),                          # a matrix where a vector is asked: shapes
    ("conv-backward-dx", "3*" + CONV_DX),                          # WY is 3 at every size: not "times WY"
])
def test_a_wrong_claim_that_makes_no_listed_mistake_gets_no_diagnosis(catalogue, entry_id, claim):
    result, _ = check_claim(catalogue.get(entry_id), claim)
    assert result.verdict == "refuted"
    assert result.diagnosis is None and result.mistake is None


@pytest.mark.parametrize("entry_id, claim", [
    ("sigmoid-backward", SIGMOID),
    ("batchnorm-backward", BATCHNORM),
    ("fc-backward-wx-dw", "dLdY*X.T"),
    ("dropout-inference-drop", "W*(x*(1 - p))"),
])
def test_a_right_claim_gets_no_diagnosis(catalogue, entry_id, claim):
    result, _ = check_claim(catalogue.get(entry_id), claim)
    assert result.verdict in ("proved", "confirmed")
    assert result.diagnosis is None and result.mistake is None


def test_the_catalogue_keeps_its_verdicts_and_names_the_sheets_mistakes(catalogue):
    for entry_id, mistake in [("fc-backward-wx-dx", "transposed-factor"), ("fc-backward-wx-dw", "transposed-layout"),
                              ("dropout-inference-drop", "keep-vs-drop-probability"),
                              ("batchnorm-dsigma-dmu", "times-2")]:
        result = verify_entry(catalogue.get(entry_id))
        assert result.matches, entry_id
        sheet = next(c for c in result.claims if c.verdict == "refuted")
        assert sheet.mistake == mistake, (entry_id, sheet.diagnosis)
        assert all(c.diagnosis is None for c in result.claims if c.verdict != "refuted")


def test_a_failing_diagnosis_never_changes_a_verdict(catalogue, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(diagnosis, "diagnose", broken)
    result = verify_entry(catalogue.get("fc-backward-wx-dx"))
    assert result.matches and not result.error
    assert all(c.diagnosis is None for c in result.claims)


def test_a_spent_deadline_means_no_diagnosis_and_the_same_verdict(catalogue):
    entry = catalogue.get("sigmoid-backward")
    entry.asks.bind(entry)
    expr = entry.asks.parse("-" + SIGMOID)
    assert diagnosis.diagnose(entry, entry.asks, expr, deadline=0.0) is None
    assert diagnosis.diagnose(entry, entry.asks, expr).mistake == "sign-flipped"


def test_a_match_must_be_confirmed_exactly(catalogue, monkeypatch):
    """Numeric agreement alone names nothing: the exact recheck must agree too."""
    monkeypatch.setattr(diagnosis.precision, "first_disagreement", lambda claimed, reference: (0,))
    entry = catalogue.get("sigmoid-backward")
    entry.asks.bind(entry)
    assert diagnosis.diagnose(entry, entry.asks, entry.asks.parse("-" + SIGMOID)) is None


def test_the_diagnosis_round_trips_through_the_json_cache():
    claim = ClaimResult("sheet", "W*dLdY", "", "refuted", "refuted",
                        Evidence(24, 1.0, [{"n": 2}], None, Counterexample({"n": 2}, {}, [1], "1", "2", 50)),
                        diagnosis="your claim equals the reference with W transposed", mistake="transposed-factor")
    entry = EntryResult("fc-backward-wx-dx", "t", "s", "p", [claim])
    data = json.loads(json.dumps(entry.to_json()))
    assert data["claims"][0]["diagnosis"] == claim.diagnosis and data["claims"][0]["mistake"] == claim.mistake
    back = from_json(data)
    assert back.claims[0] == claim
    old = dict(data, claims=[{k: v for k, v in data["claims"][0].items() if k not in ("diagnosis", "mistake")}])
    assert from_json(old).claims[0].diagnosis is None  # a cache written before diagnoses still reads


def test_check_prints_the_diagnosis_and_puts_it_in_the_json(capsys):
    assert main(["check", "sigmoid-backward", "-" + SIGMOID, "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "refuted"
    assert data["diagnosis"] == "your claim equals the reference with the sign flipped"
    assert data["mistake"] == "sign-flipped"
    assert main(["check", "sigmoid-backward", "-" + SIGMOID]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("refuted: ") and lines[1] == "diagnosis: your claim equals the reference with the " \
                                                                "sign flipped"
    assert main(["check", "sigmoid-backward", SIGMOID, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["diagnosis"] is None and data["mistake"] is None


def test_latex_claims_are_diagnosed_too(catalogue):
    result, _ = check_claim(catalogue.get("sigmoid-backward"), r"\sigma(x)(1-\sigma(x))", latex=True)
    assert result.verdict == "refuted" and result.mistake == "dropped-upstream"
