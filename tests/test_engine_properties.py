"""Property tests of the engine itself (Hypothesis).

* Pairs equal by construction (a random expression and an identity rewrite of
  it) are never refuted.
* A random perturbation of a correct catalogue claim (a sign, a factor, a
  dropped term, one wrong entry) is always refuted, with a counterexample whose
  claimed and reference values really differ.
* The proof cascade never proves two expressions that differ numerically.
* The samplers stay in their domains, and so do their perturbations and exact
  points.
"""
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from symcheck import Claim, Entry, Notation, Value, domains, scalar
from symcheck.budget import Budget
from symcheck.cascade import ProofContext, prove
from symcheck.catalogue import load
from symcheck.instance import Instance
from symcheck.verifier import verify_entry
from symcheck.vocabulary import sigmoid

X, Y = sympy.symbols("x y", real=True)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True)


# -- random expressions and identity rewrites ----------------------------------------

leaves = st.sampled_from([X, Y, sympy.Integer(2), sympy.Rational(1, 3), X + 1, Y - 2])


def _combine(children):
    return st.one_of(
        st.builds(lambda a, b: a + b, children, children),
        st.builds(lambda a, b: a * b, children, children),
        st.builds(lambda a, b: a - b, children, children),
        st.builds(lambda a: sympy.tanh(a / 3), children),
        st.builds(lambda a: sigmoid(a / 3), children),
        st.builds(lambda a: sympy.exp(a / 4), children),
    )


expressions = st.recursive(leaves, _combine, max_leaves=6)

REWRITES = {
    "expand": lambda e: sympy.expand(e),
    "exp": lambda e: e.rewrite(sympy.exp),
    "add-subtract": lambda e: (e + X * Y) - X * Y,
    "times-fraction": lambda e: e * (X**2 + 1) / (X**2 + 1),
    "sigmoid-symmetry": lambda e: e.replace(lambda n: isinstance(n, sigmoid),
                                            lambda n: 1 - sigmoid(-n.args[0])),
    "tanh-as-sigmoid": lambda e: e.replace(lambda n: isinstance(n, sympy.tanh),
                                           lambda n: 2 * sigmoid(2 * n.args[0]) - 1),
}


def _value_entry(expr, claim):
    f = sympy.lambdify([X, Y], expr, modules=[{"sigmoid": lambda v: 1 / (1 + np.exp(-v))}, "numpy"])
    return Entry(id="property", title="t", sheet="test", problem="1", question="q",
                 notation=Notation(variables=[scalar("x"), scalar("y")]),
                 asks=Value(expr=str(expr), oracle=lambda x, y: f(x, y) + 0.0 * x),
                 claims=[Claim(str(claim), label="claim", expect="proved", source="answer", parsed=claim)])


@SETTINGS
@given(expressions, st.sampled_from(sorted(REWRITES)))
def test_identity_rewrites_are_never_refuted(expr, rewrite):
    assume(expr.free_symbols)
    claim = REWRITES[rewrite](expr)
    result = verify_entry(_value_entry(expr, claim))
    assert not result.error, result.error
    assert result.claims[0].verdict in ("proved", "confirmed"), result.claims[0].evidence.summary()


@SETTINGS
@given(expressions, expressions)
def test_the_cascade_never_proves_a_false_identity(a, b):
    points = np.random.default_rng(0).uniform(-2, 2, size=(5, 2))
    fa = sympy.lambdify([X, Y], a, modules=[{"sigmoid": lambda v: 1 / (1 + np.exp(-v))}, "numpy"])
    fb = sympy.lambdify([X, Y], b, modules=[{"sigmoid": lambda v: 1 / (1 + np.exp(-v))}, "numpy"])
    differ = any(abs(float(fa(*p)) - float(fb(*p))) > 1e-6 * (1 + abs(float(fa(*p)))) for p in points)
    assume(differ)
    proof = prove(np.array(a, dtype=object), np.array(b, dtype=object), ProofContext(), Budget(2.0))
    assert not proof.proved


# -- perturbations of correct catalogue claims ---------------------------------------

def _candidates():
    out = []
    for entry in load().entries:
        kind = type(entry.asks).__name__
        if kind in ("Behaviour",):
            continue
        for claim in entry.claims:
            if claim.expect == "proved" and claim.relation == "=":
                out.append((entry.id, claim.label))
    return out


CANDIDATES = _candidates()
PERTURBATIONS = ("negate", "double", "drop-term", "one-entry")


def _perturb(expr, kind, question):
    if isinstance(expr, sympy.Tuple):  # a shape: perturb entry by entry
        if kind == "negate":
            return sympy.Tuple(*(-e for e in expr))
        if kind == "double":
            return sympy.Tuple(*(2 * e for e in expr))
        if kind == "one-entry":
            return sympy.Tuple(expr[0] + 1, *expr[1:])
        return None
    if kind == "negate":
        return -expr
    if kind == "double":
        return 2 * expr
    if kind == "drop-term":
        terms = sympy.Add.make_args(expr) if not isinstance(expr, sympy.MatrixExpr) else expr.args
        if len(terms) < 2 or isinstance(expr, sympy.MatrixExpr):
            return None
        return sympy.Add(*terms[1:]), terms[0]
    if kind == "one-entry":
        if not question.index or isinstance(expr, sympy.MatrixExpr):
            return None
        origin = question.origin if isinstance(question.origin, tuple) else (question.origin,) * len(question.index)
        bump = sympy.Integer(1)
        for name, o in zip(question.index, origin):
            bump = bump * sympy.KroneckerDelta(sympy.Symbol(name, integer=True), o)
        return expr + bump
    return None


def _numeric(entry, expr, inst, rng):
    points = inst.sample(rng, 6)
    return entry.asks.claim_numeric(expr, inst, points)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.sampled_from(CANDIDATES), st.sampled_from(PERTURBATIONS))
def test_perturbed_claims_are_always_refuted(candidate, kind):
    entry_id, label = candidate
    entry = load().get(entry_id)
    entry.asks.bind(entry)
    original = entry.asks.parse(entry.claim(label).text)
    if entry.claim(label).transposed:  # the claim states the quantity's transpose
        original = sympy.Transpose(original)
    perturbed = _perturb(original, kind, entry.asks)
    assume(perturbed is not None)
    inst = Instance(entry.notation, entry.asks.proof_sizes()[0])
    rng = np.random.default_rng(0)
    if kind == "drop-term":
        perturbed, dropped = perturbed
        # Dropping a term that vanishes on the domain (Σ(X_i − μ) = 0) changes nothing.
        assume(np.abs(_numeric(entry, dropped, inst, rng)).max() > 1e-6)
    else:
        # Negating or doubling a quantity that is zero everywhere changes nothing.
        assume(np.abs(_numeric(entry, original, inst, rng)).max() > 1e-6)
    claim = Claim(str(perturbed), label="perturbed", expect="refuted", source="answer", parsed=perturbed)
    result = verify_entry(entry, [claim])
    verdict = result.claims[0]
    assert verdict.verdict == "refuted", f"{entry_id}/{label} {kind}: {verdict.verdict} {verdict.reason}"
    cx = verdict.evidence.counterexample
    assert cx is not None
    assert cx.claimed != cx.reference


# -- samplers -------------------------------------------------------------------------

DOMAINS = [(domains.real, (3,)), (domains.nonzero(), (4,)), (domains.positive, (2,)),
           (domains.interval(0, 1), (3,)), (domains.integer(1, 9), (2,)), (domains.binary, (5,)),
           (domains.distinct, (4,)), (domains.probability, (4,)), (domains.unit, (3,)),
           (domains.orthogonal, (3, 3)), (domains.orthogonal, (2, 2)), (domains.spd, (3, 3)),
           (domains.PositiveDiagonal(), (2, 2))]


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(range(len(DOMAINS))), st.integers(0, 2**32 - 1), st.floats(0.001, 2.0))
def test_samplers_stay_in_their_domains(which, seed, step):
    domain, shape = DOMAINS[which]
    rng = np.random.default_rng(seed)
    values = domain.sample(rng, shape, 8)
    assert values.shape == (8, *shape)
    assert all(domain.contains(v) for v in values)
    moved = domain.perturb(rng, values, step)
    assert all(domain.contains(v) for v in moved)
    exact = np.array(domain.exact(values[0]), dtype=float)
    assert domain.contains(exact)
    assert np.allclose(exact, values[0], atol=1e-9)
