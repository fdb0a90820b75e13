r"""Every claim of the catalogue, read from its LaTeX, is the claim its text says.

The test is parametrised over (entry id, claim label) as the catalogue has them
when the tests are collected, so new entries are picked up without editing
this file.  A claim passes when its LaTeX, read the way its question reads
claims (``parse_latex_claim``: parameter assignments for a behaviour question,
a list where the quantity is a list of fixed length, the bound's side for a
bound ``<=`` or ``>=``), and its text, read by the question's own ``parse``,
are structurally equal SymPy trees, or else equal at the entry's first proof
size: both are instantiated (``claim_explicit``) and every entry of the
difference reduces to 0 in the proof cascade under a small budget.  A claim
whose LaTeX cannot be read is a failure, never a skip.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy

from symcheck.budget import Budget
from symcheck.cascade import ProofContext, prove
from symcheck.catalogue import load
from symcheck.instance import Instance
from symcheck.latex import parse_latex_claim

BUDGET_SECONDS = 5.0


def _claims():
    out = []
    for entry in load().entries:
        for claim in entry.claims:
            out.append(pytest.param(entry.id, claim.label, id=f"{entry.id}:{claim.label}"))
    return out


def _find(entry_id: str, label: str):
    entry = load().get(entry_id)
    claim = entry.claim(label)
    assert claim is not None, f"{entry_id} has no claim {label!r}"
    return entry, claim


def _sympified(values) -> np.ndarray:
    """Entries as SymPy objects (a constant claim can come back as a Python int)."""
    array = np.asarray(values, dtype=object)
    out = np.empty(array.shape, dtype=object)
    for index in np.ndindex(array.shape):
        out[index] = sympy.sympify(array[index])
    return out


@pytest.mark.parametrize("entry_id, label", _claims())
def test_latex_reads_as_the_text(entry_id, label):
    entry, claim = _find(entry_id, label)
    assert claim.latex.strip(), f"{entry_id} [{label}] has no LaTeX"
    entry.asks.bind(entry)
    from_text = entry.asks.parse(claim.text)
    from_latex = parse_latex_claim(entry.asks, claim.latex, relation=claim.relation)
    if from_latex == from_text:
        return
    sizes = entry.asks.proof_sizes()[0]
    inst = Instance(entry.notation, sizes)
    explicit_latex = _sympified(entry.asks.claim_explicit(from_latex, inst))
    explicit_text = _sympified(entry.asks.claim_explicit(from_text, inst))
    assert explicit_latex.shape == explicit_text.shape, (
        f"shapes differ at {sizes}: LaTeX {explicit_latex.shape}, text {explicit_text.shape}\n"
        f"  LaTeX reads: {from_latex}\n  text reads:  {from_text}")
    proof = prove(explicit_latex, explicit_text, ProofContext(), Budget(BUDGET_SECONDS))
    assert proof.proved, (f"not equal at {sizes} ({proof.reason}; residual {proof.residual})\n"
                          f"  LaTeX reads: {from_latex}\n  text reads:  {from_text}")
