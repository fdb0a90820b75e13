"""Sheet 004, problems 9(i) and 10: a planted wrong step in every entry is refuted.

Each planted claim is a plausible mistake in the derivation it sits in (a bias
dropped, keys taken as columns, a missing normaliser, two softmaxes instead of
one, the concatenation in the wrong order, input feeding forgotten).  It is
verified against the catalogue entry's own question and must come out refuted,
with a counterexample.  The entries' own claims are checked by test_catalogue.
"""
import pytest

from symcheck import Claim
from symcheck.catalogue import load
from symcheck.report import top_number
from symcheck.verifier import verify_entry

CTX = "exp(Sum(K[s, j]*q[j], j))"
MEM = "exp(Sum(Mk[i, j]*q[j], j))"

#: entry id -> [(label, planted claim, relation)]
PLANTED = {
    "ff-key-value-sum": [
        ("bias dropped", "Sum(relu(kx[i])*u[i, m], i) + c[m]", "="),
        ("keys as columns of V", "Sum(relu(Sum(V[j, i]*x[j], j) + b[i])*u[i, m], i) + c[m]", "="),
        ("ReLU outside the sum", "relu(Sum((kx[i] + b[i])*u[i, m], i)) + c[m]", "="),
    ],
    "ff-relu-weights-unnormalised": [
        ("ReLU weights sum to 1", "1", "="),
        ("total weight independent of the scale", "Sum(relu(kx[i]), i)", "="),
        ("ReLU weights at most 1", "1", "<="),
    ],
    "persistent-vector-attention": [
        ("softmax without its normaliser", "Sum(exp(kx[i])*u[i, m], i)", "="),
        ("the ReLU form is the softmax form", "Sum(relu(kx[i])*u[i, m], i)", "="),
    ],
    "persistent-attention-weights-sum": [
        ("unnormalised total", "Sum(exp(kx[i]), i)", "="),
        ("one weight per key", "Df", "="),
    ],
    "all-attention-layer": [
        ("two softmaxes added", "yctx + ypers", "="),
        ("equal shares", "(yctx + ypers)/2", "="),
        ("persistent memory ignored", "yctx", "="),
        ("separate normalisers inside one sum", f"Sum({CTX}*Vc[m, s], s)/Zc + Sum({MEM}*Mv[m, i], i)/Zp", "="),
    ],
    "luong-alignment-sums-to-one": [
        ("unnormalised scores", "Sum(exp(score[s]), s)", "="),
        ("one per source position", "S", "="),
    ],
    "luong-alignment-weights": [
        ("W_a transposed",
         "exp(Sum(ht[i]*Wa[j, i]*Hbar[j, s], i, j))/Sum(exp(Sum(ht[i]*Wa[j, i]*Hbar[j, r], i, j)), r)", "="),
        ("scores without softmax", "Sum(ht[i]*Wa[i, j]*Hbar[j, s], i, j)", "="),
        ("weights at most 0", "0", "<="),
    ],
    "luong-context-vector": [
        ("uniform average", "Sum(Hbar[m, s], s)/S", "="),
        ("weights not applied", "Sum(Hbar[m, s], s)", "="),
    ],
    "luong-general-score-dot": [
        ("product of norms", "norm(ht)*norm(hbar)", "="),
        ("sum of entries", "Sum(ht[i], i)*Sum(hbar[i], i)", "="),
    ],
    "luong-attentional-state": [
        ("[h_t; c_t] order", "tanh(Wcc*ht + Wch*c)", "="),
        ("tanh of each block", "tanh(Wcc*c) + tanh(Wch*ht)", "="),
        ("one block only", "tanh(Sum(Wc[m, j]*c[j], j))", "="),
    ],
    "luong-input-feeding-step": [
        ("no input feeding", "tanh(Wcc*c2 + Wch*tanh(Wy*y1 + U*h1))", "="),
        ("h_1 fed instead of the attentional state", "tanh(Wcc*c2 + Wch*tanh(Wy*y1 + Wf*h1 + U*h1))", "="),
        ("the step's own attentional state fed", "tanh(Wcc*c2 + Wch*tanh(Wy*y1 + Wf*hh2 + U*h1))", "="),
    ],
    "luong-input-feeding-shapes": [
        ("no input feeding", "(E, n, S, n, 2*n, n, K)", "="),
        ("[c_t; h_t] of size n", "(E + n, n, S, n, n, n, K)", "="),
        ("weights over target words", "(E + n, n, K, n, 2*n, n, K)", "="),
    ],
}

CASES = [(entry_id, label, text, relation) for entry_id, planted in PLANTED.items()
         for label, text, relation in planted]


@pytest.mark.parametrize("entry_id, label, text, relation", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_a_planted_wrong_step_is_refuted(entry_id, label, text, relation):
    entry = load().get(entry_id)
    planted = Claim(text, label=label, expect="refuted", source="answer", relation=relation)
    result = verify_entry(entry, [planted])
    assert not result.error, result.error
    claim = result.claims[0]
    assert claim.verdict == "refuted", f"{entry_id} [{label}]: {claim.verdict}: {claim.reason}"
    cx = claim.evidence.counterexample
    assert cx is not None, f"{entry_id} [{label}]: refuted without a counterexample"


def test_every_attention_entry_has_planted_steps():
    modules = {"derivations.persistent_memory", "derivations.luong_attention"}
    ids = {e.id for e in load().entries if e.module in modules}
    assert ids == set(PLANTED)


def test_problems_9_and_10_are_answered_by_checked_entries():
    sheet = "004_1638b43a4d4b0ea1"
    items = load().items(sheet)
    for number, wanted in (("9", 7), ("10", 5)):
        entries = [i for i in items if top_number(i.problem) == number and hasattr(i, "claims")]
        assert len(entries) >= wanted, f"problem {number}: {[e.id for e in entries]}"
    # the definitions of 9(i) and the key idea of 10 stay prose, marked as such
    prose = {i.id: i for i in items if not hasattr(i, "claims")}
    assert "definitions" in prose["input-feeding"].why
    assert prose["persistent-memory"].problem == "10"
