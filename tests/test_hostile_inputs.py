"""Issue 10's pathological inputs, each held to its bound: a verdict within
twice the budget (plus a margin for a loaded machine), or one line of bad
input.  benchmarks/hostile_inputs.py measures the same list through the
command line, with peak memory."""
import sys
import time
from pathlib import Path

import pytest

from symcheck.catalogue import load
from symcheck.checking import check_claim
from symcheck.errors import ClaimError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from hostile_inputs import INPUTS  # noqa: E402 - one list for the test and the measurement

BUDGET = 2.0
SLACK = 6.0  # start-up of the forked check and a loaded CI machine


@pytest.mark.parametrize("entry_id, claim, latex", INPUTS, ids=[f"{e}:{c[:30]}" for e, c, _ in INPUTS])
def test_a_pathological_input_ends_within_its_bound(entry_id, claim, latex):
    start = time.monotonic()
    try:
        result, _ = check_claim(load().get(entry_id), claim, latex=latex, budget=BUDGET)
    except ClaimError as error:
        message = str(error)
        assert message and "\n" not in message
        for internal in ("Traceback", "zoo", "ImaginaryUnit", "NotImplementedError", "_Deferred"):
            assert internal not in message
    else:
        assert result.verdict in ("refuted", "undecided"), (result.verdict, result.reason)
    assert time.monotonic() - start < 2 * BUDGET + SLACK
