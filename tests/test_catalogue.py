"""The catalogue's own rules; its verdicts are tested by symcheck's pytest plugin.

``python -m pytest`` collects ``derivations/`` too (``testpaths`` and
``[tool.symcheck]`` in pyproject.toml): one test item per claim, failing
when the engine's verdict differs from the recorded one or lacks its evidence
(a refutation without a counterexample, a proof without the numeric check).
A new entry is tested without editing any test file.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from symcheck.catalogue import builtin_path, load

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = load([builtin_path()]).entries


def test_the_plugin_collects_one_item_per_claim_of_the_builtin_catalogue():
    proc = subprocess.run([sys.executable, "-m", "pytest", "derivations", "--collect-only", "-q", "-q",
                           "-p", "no:cacheprovider"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    counts = {}
    for line in proc.stdout.splitlines():
        if line.startswith("derivations/") and ": " in line:
            name, count = line.rsplit(": ", 1)
            counts[Path(name).stem] = int(count)
    expected = {}
    for entry in ENTRIES:
        stem = Path(entry.path).stem
        expected[stem] = expected.get(stem, 0) + len(entry.claims)
    assert counts == expected


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


def test_every_sheet_is_declared_beside_the_entries(catalogue):
    declared = load([builtin_path()]).declared
    assert set(catalogue.sheets()) == set(declared)
    for sheet, info in declared.items():
        assert info["title"] and info["short"] and info["source"], sheet
        assert Path(info["file"]).name == "sheets.toml"


def test_fixed_ids_exist(catalogue):
    for entry_id in ("sigmoid-backward", "tanh-backward", "relu-backward", "batchnorm-backward",
                     "batchnorm-dsigma-dx", "l2-optimum", "l2-eigen", "l1-optimum", "gan-optimal-discriminator",
                     "gan-global-minimum", "elbo-identity", "elbo-kl-form", "gaussian-kl", "initial-ce-loss",
                     "conv-output-size", "exploding-rnn-threshold"):
        assert catalogue.get(entry_id).id == entry_id


def test_the_builtin_catalogue_is_loaded_by_path_not_imported():
    entry = load([builtin_path()]).get("sigmoid-backward")
    assert Path(entry.path) == builtin_path() / "activations.py"


def test_loading_one_file_alone_leaves_the_catalogues_order():
    # the pytest plugin loads each entry file alone; the sheets must keep their order (a regression:
    # a file's entries were renumbered from 1 and the answer sheets came out reordered)
    whole = load([builtin_path()])
    before = {sheet: [item.id for item in whole.items(sheet)] for sheet in whole.sheets()}
    for path in sorted(builtin_path().glob("[!_]*.py")):
        load([path])
    assert {sheet: [item.id for item in whole.items(sheet)] for sheet in whole.sheets()} == before
