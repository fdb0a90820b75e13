"""A mutation fuzzer over the catalogue's own claims: whatever a user types,
reading and evaluating it ends in a claim or in one of the package's own
errors, never in another exception (an internal error at the command line).

Each case mutates one catalogue claim (text or LaTeX) by deleting, doubling,
swapping or inserting pieces that users and attackers type, then reads it as
``symcheck check`` does and, when it reads, evaluates it numerically at the
entry's first size.  SYMCHECK_FUZZ_CASES sets the number of cases (the issue's
measurement used 10,000; CI runs the default)."""
import os
import random

import numpy as np
import pytest

from symcheck.catalogue import load
from symcheck.checking import parse_user_claim
from symcheck.errors import SymcheckError
from symcheck.instance import Instance

CASES = int(os.environ.get("SYMCHECK_FUZZ_CASES", "2000"))
EVALUATED = 1 / 8  # the share of readable mutants also evaluated (evaluation costs ~100x reading)
PIECES = ["(", ")", "{", "}", "[", "]", "^", "_", "*", "**", "/", "-", "+", ",", "=", "|", "\\", "'", ".T",
          "0", "1e308", "10**10**10", "-1", "0.5", "x", "W", "\\frac", "\\sqrt", "\\sum_{i=1}^{n}", "\\left(",
          "\\right)", "\\mathbf{", "\\top", "\\cdot", "\\odot", "\\log", "\\exp", "\\sigma", "\\partial", "d",
          "__import__", "eval(", "lambda x:", "[x for x in ()]", "().__class__", "\\input{/etc/passwd}", "\\def",
          "\\approx", "inv(", "hadamard(", "Sum(", "max(", "if", "else", "\0", "\u2212", "\u00b7", " "]


def _claims():
    out = []
    for entry in load().entries:
        if entry.asks.kind == "behaviour":
            continue
        for claim in entry.claims:
            if claim.relation == "=":
                out.append((entry.id, claim.text, False))
                if claim.latex:
                    out.append((entry.id, claim.latex, True))
    return out


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 3)):
        k = rng.randrange(len(text) + 1)
        j = min(len(text), k + rng.randint(1, 6))
        move = rng.randrange(4)
        if move == 0:
            text = text[:k] + text[j:]
        elif move == 1:
            text = text[:k] + rng.choice(PIECES) + text[k:]
        elif move == 2:
            text = text[:k] + text[k:j] * rng.randint(2, 4) + text[j:]
        else:
            text = text[:k] + text[j:] + text[k:j]
    return text or " "


def test_fuzzed_claims_end_in_a_claim_or_a_symcheck_error():
    rng = random.Random(20261203)
    claims = _claims()
    failures, read = [], 0
    for _ in range(CASES):
        entry_id, text, latex = rng.choice(claims)
        mutant = _mutate(text, rng)
        entry = load().get(entry_id)
        try:
            expr = parse_user_claim(entry, mutant, latex)
            read += 1
            if rng.random() < EVALUATED:
                question = entry.asks
                inst = Instance(entry.notation, question.proof_sizes()[0])
                question.claim_numeric(expr, inst, inst.sample(np.random.default_rng(0), 2))
        except SymcheckError as error:
            assert str(error) and "\n" not in str(error).strip(), (entry_id, mutant, str(error))
        except RecursionError:
            failures.append((entry_id, latex, mutant, "RecursionError"))
        except Exception as error:  # noqa: BLE001 - what this test hunts
            failures.append((entry_id, latex, mutant, f"{type(error).__name__}: {error}"))
    assert read > CASES // 20, "the mutations are so destructive that nothing reads: the fuzzer tests nothing"
    assert not failures, f"{len(failures)} of {CASES} fuzzed claims escaped as exceptions, e.g. {failures[:5]}"


@pytest.mark.parametrize("payload", ["__import__('os').system('touch /tmp/symcheck-pwned')",
                                     "().__class__.__bases__[0].__subclasses__()", "eval('1')", "lambda: 1",
                                     "open('/etc/passwd').read()", "x.__class__", "[x for x in ()]",
                                     "exec('import os')", "globals()", "sigma.__globals__"])
def test_a_code_payload_is_refused_and_never_runs(payload):
    entry = load().get("sigmoid-backward")
    with pytest.raises(SymcheckError):
        parse_user_claim(entry, payload, False)
    assert not os.path.exists("/tmp/symcheck-pwned")
