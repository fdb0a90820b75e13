"""Every entry of the catalogue verifies as recorded.

Parametrised over the catalogue itself: a new entry is tested without editing
this file.
"""
import pytest

from symcheck.catalogue import load
from symcheck.verifier import verify_entry

ENTRIES = load().entries


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_entry_verifies_as_recorded(entry):
    result = verify_entry(entry)
    assert not result.error, result.error
    for claim in result.claims:
        assert claim.verdict not in ("error", "undecided"), f"{claim.label}: {claim.verdict}: {claim.reason}"
        assert claim.verdict == claim.expected, (
            f"{entry.id} [{claim.label}] is {claim.verdict}, the catalogue records {claim.expected}: "
            f"{claim.reason or claim.evidence.summary()}")
        if claim.verdict == "refuted":
            assert claim.evidence.counterexample is not None, f"{claim.label}: refuted without a counterexample"
        if claim.verdict == "proved":
            assert claim.evidence.symbolic and claim.evidence.symbolic["proved"]
            assert claim.evidence.points > 0, "a proof always carries the numeric check as well"


@pytest.mark.parametrize("entry", ENTRIES, ids=[e.id for e in ENTRIES])
def test_refuted_sheet_claims_have_a_correction(entry):
    corrected = {c.corrects for c in entry.claims if c.corrects}
    chains = {}
    for c in entry.claims:
        if c.chain is not None:
            chains.setdefault(c.chain, set()).add(c.label)
    for claim in entry.claims:
        if claim.source == "sheet" and claim.expect == "refuted":
            fixed = claim.label in corrected or any(claim.label in steps and steps & corrected
                                                    for steps in chains.values())
            assert fixed, f"{entry.id}: the refuted sheet claim {claim.label!r} has no corrected claim"
    for claim in entry.claims:
        if claim.source == "correction":
            assert claim.expect in ("proved", "confirmed"), f"{entry.id}: a correction must hold"


def test_every_sheet_is_in_the_catalogue(catalogue):
    from derivations import SHEETS

    assert set(catalogue.sheets()) == set(SHEETS)


def test_fixed_ids_exist(catalogue):
    for entry_id in ("sigmoid-backward", "tanh-backward", "relu-backward", "batchnorm-backward",
                     "batchnorm-dsigma-dx", "l2-optimum", "l2-eigen", "l1-optimum", "gan-optimal-discriminator",
                     "gan-global-minimum", "elbo-identity", "elbo-kl-form", "gaussian-kl", "initial-ce-loss",
                     "conv-output-size", "exploding-rnn-threshold"):
        assert catalogue.get(entry_id).id == entry_id
