"""A verdict is a function of the catalogue, the claim and the seeds: never of
the machine's speed or load.  The cascade's limits are sizes (effort.py); the
wall clock is only an outer guard whose hit reads *undecided*."""
import subprocess
import sys

import numpy as np
import sympy

from symcheck import effort
from symcheck.budget import Budget
from symcheck.cascade import ProofContext, prove
from symcheck.catalogue import load
from symcheck.verifier import verify_entry

# the catalogue's slowest proofs (benchmarks/run.py names them), and the claims that once flipped under load
SLOWEST = ("vanishing-sigma-identity-h1-norm", "vanishing-sigma-half-h1-norm", "vanishing-sigma-two-h1-norm",
           "vanishing-another-way", "rnn-dj-du", "more-exploding-rnn-relu-gradient")


def test_the_slowest_proofs_keep_their_verdicts_with_a_core_kept_busy():
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        results = [verify_entry(load().get(i)) for i in SLOWEST]
    finally:
        busy.kill()
        busy.wait()
    for result in results:
        assert result.matches, [(c.label, c.verdict, c.expect, c.reason) for c in result.claims]


def test_a_wall_clock_guard_reached_reads_undecided_never_confirmed():
    result = verify_entry(load().get("rnn-dj-du"), budget=1e-3)
    claim = result.claims[0]
    assert claim.verdict == "undecided"
    assert "wall-clock guard" in claim.reason


def test_the_size_limit_gives_up_at_the_same_point_whatever_the_time():
    x = sympy.Symbol("x")
    big = sympy.Add(*[x**k for k in range(2, effort.NODE_LIMIT // 2)])
    for seconds in (0.5, 1000.0):
        proof = prove(np.array([big]), np.array([sympy.Integer(0)]), ProofContext(), Budget(seconds))
        assert not proof.proved and not proof.timed_out
        assert f"more than {effort.NODE_LIMIT} nodes" in proof.reason


def test_simplify_is_skipped_on_a_large_residual_by_size_not_time(monkeypatch):
    x, y = sympy.symbols("x y", positive=True)
    poly = 1 + y + y**2 + y**3
    # no cheap stage knows sin² + cos² = 1; simplify does, within its size limit and not past it
    claim, reference = np.array([(sympy.sin(x) ** 2 + sympy.cos(x) ** 2) * poly]), np.array([poly])
    assert prove(claim, reference, ProofContext(), Budget(1000.0)).stage == "simplify"
    monkeypatch.setattr(effort, "SIMPLIFY_NODE_LIMIT", 10)
    proof = prove(claim, reference, ProofContext(), Budget(1000.0))
    assert not proof.proved and not proof.timed_out and "simplify skipped" in proof.reason
