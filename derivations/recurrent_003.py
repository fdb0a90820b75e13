"""Sheet 003, 1.2: a gated RNN and an attention RNN.

The sheet gives only answers; the questions are reconstructed from them.

* 1.2.1 (gated RNN).  As far as we know the question defines
      c[t] = σ(W_c x[t] + W_h h[t−1]),
      h[t] = c[t] ⊙ h[t−1] + (1 − c[t]) ⊙ W_x x[t],
  with x[t] ∈ R^n, h[t] ∈ R^m.  The sheet's ∂l/∂W_x is checked through the direct
  dependence of h[t] on W_x at step t, with h[t−1] held fixed (one step; over a
  sequence the gradient is the sum of these terms over t, each with the total
  ∂l/∂h[t]).  The text syntax has no vector of ones, so 1 is declared as a
  constant vector (a constant domain defined below).
* 1.2.2 (attention RNN).  AttentionRNN(2) exactly as the sheet's 1.2.2(c) defines
  it: q_i, k_i, v_i are Q_i, K_i, V_i applied to x[t], h[t−1], h[t−2];
  w_i = q_iᵀ k_i; a = softargmax(w); h[t] = Σ_i a_i v_i.  Small sizes (h of
  size 2, queries of size 2, inputs of size 2 at the proof size); entries of
  the weights and states in [−1, 1] keep the exponentials moderate.
"""
from dataclasses import dataclass

import numpy as np
import sympy

from symcheck import Claim, Entry, Gradient, Notation, Prose, Size, chain, define, domains, matrix, vector

SHEET = "003_be85b36419f743e7"


@dataclass(frozen=True)
class Ones(domains.Domain):
    """The constant all-ones array: no parameters, always 1."""

    description = "constant 1"

    @property
    def assumptions(self) -> dict:
        return {"integer": True, "positive": True}

    def sample(self, rng, shape, count):
        return np.ones((count, *shape))

    def explicit(self, name, shape, origin=1):
        out = np.empty(shape, dtype=object)
        for idx in np.ndindex(shape):
            out[idx] = sympy.Integer(1)
        return out, [], []

    def parameters(self, value, exact):
        return []

    def contains(self, value):
        return bool(np.all(np.asarray(value) == 1))


# -- 1.2.1: the gated RNN ------------------------------------------------------------

M = Size("m", small=(2, 3), random=(2, 4))
N = Size("n", small=(2, 3), random=(2, 4))
DLDH = r"\frac{\partial l}{\partial h[t]}"
GATED_VARIABLES = [
    vector("x", "n", "x[t]", doc="the input at step t"),
    vector("hprev", "m", "h[t-1]", doc="the previous state (held fixed)"),
    matrix("Wx", "m", "n", "W_x"),
    matrix("Wc", "m", "n", "W_c"),
    matrix("Wh", "m", "m", "W_h"),
    vector("dldh", "m", DLDH, doc="the gradient of the loss with respect to h[t]"),
    vector("one", "m", r"\mathbf{1}", Ones(), doc="constant: the vector of ones"),
]
GATE = define("c", "sigma(Wc*x + Wh*hprev)", "c[t]", shape=("m",))


def _gated_step(Wx, x, hprev, Wc, Wh):
    """h[t] for W_x with leading batch axes: (…, m, n) -> (…, m)."""
    c = 1.0 / (1.0 + np.exp(-(Wc @ x + Wh @ hprev)))
    return c * hprev + (1.0 - c) * (Wx @ x)


gated_rnn_dl_dwx = Entry(
    id="gated-rnn-dl-dwx",
    title="Gated RNN: gradient with respect to W_x",
    sheet=SHEET,
    problem="1.2.1(c)",
    question=r"For $c[t] = \sigma(W_c x[t] + W_h h[t-1])$ and $h[t] = c[t] \odot h[t-1] + (1 - c[t]) \odot W_x x[t]$, "
             r"give $\partial l/\partial W_x$ in terms of $\partial l/\partial h[t]$.",
    reading="The question is not in the sheet; the model above is our best knowledge of it (c[t] a sigmoid gate of "
            "x[t] and h[t−1], h[t] a gated mix of h[t−1] and W_x x[t]). The claim is checked as the gradient through "
            "the direct dependence at step t, h[t−1] held fixed (a single step).",
    notation=Notation(variables=GATED_VARIABLES, definitions=[GATE], sizes=[M, N]),
    asks=Gradient(forward="hadamard(c, hprev) + hadamard(one - c, Wx*x)", wrt="Wx", upstream="dldh",
                  oracle=_gated_step),
    claims=[
        Claim("hadamard(one - c, dldh)*x.T",
              r"\frac{\partial l}{\partial W_x} = ((1 - c[t]) \circ \frac{\partial l}{\partial h[t]}) x[t]^T",
              note="The shape the sheet states, R^{m×n}, is the quantity's shape."),
    ],
    answer=r"The sheet adds that both the forward and the backward pass involve the two inputs $x$ and $h$.",
)

# -- 1.2.2(e): the attention RNN Jacobian ---------------------------------------------

D = Size("d", small=(2,), random=(2, 3), latex="d")
NX = Size("nx", small=(2,), random=(1, 3), latex="n")
PQ = Size("pq", small=(2,), random=(1, 3), latex="p")
SMALL = domains.Real(-1.0, 1.0)
ATTENTION_VARIABLES = [
    vector("x", "nx", "x[t]", SMALL),
    vector("h1", "d", "h[t-1]", SMALL),
    vector("h2", "d", "h[t-2]", SMALL),
    *[matrix(f"{name}{i}", rows, "nx" if i == 0 else "d", f"{name}_{i}", SMALL)
      for i in range(3) for name, rows in (("Q", "pq"), ("K", "pq"), ("V", "d"))],
]
SOFTARGMAX = "exp(w{i})/(exp(w0) + exp(w1) + exp(w2))"
ATTENTION_DEFINITIONS = [
    define("q0", "Q0*x", "q_0[t]", shape=("pq",)),
    define("k0", "K0*x", "k_0[t]", shape=("pq",)),
    define("v0", "V0*x", "v_0[t]", shape=("d",)),
    define("q1", "Q1*h1", "q_1[t]", shape=("pq",)),
    define("k1", "K1*h1", "k_1[t]", shape=("pq",)),
    define("v1", "V1*h1", "v_1[t]", shape=("d",)),
    define("q2", "Q2*h2", "q_2[t]", shape=("pq",)),
    define("k2", "K2*h2", "k_2[t]", shape=("pq",)),
    define("v2", "V2*h2", "v_2[t]", shape=("d",)),
    define("w0", "trace(q0.T*k0)", "w_0[t]"),
    define("w1", "trace(q1.T*k1)", "w_1[t]"),
    define("w2", "trace(q2.T*k2)", "w_2[t]"),
    define("a0", SOFTARGMAX.format(i=0), "a_0[t]", domain=domains.positive),
    define("a1", SOFTARGMAX.format(i=1), "a_1[t]", domain=domains.positive),
    define("a2", SOFTARGMAX.format(i=2), "a_2[t]", domain=domains.positive),
    define("h", "a0*v0 + a1*v1 + a2*v2", "h[t]", shape=("d",)),
    # ∂w_1/∂h[t−1] as a row (1×d): the layout in which (column)·(row) is the d×d Jacobian.
    define("g1", "k1.T*Q1 + q1.T*K1", r"\frac{\partial w_1[t]}{\partial h[t-1]}", shape=(1, "d")),
    define("Sw", "w0 + w1 + w2", r"\sum_{i=0}^2 w_i[t]"),
    # the softargmax's local derivatives the sheet leaves symbolic: ∂a_i/∂w_1 = a_i(δ_i1 − a_1)
    define("da0", "-a0*a1", r"\frac{\partial a_0[t]}{\partial w_1[t]}"),
    define("da1", "a1*(1 - a1)", r"\frac{\partial a_1[t]}{\partial w_1[t]}"),
    define("da2", "-a2*a1", r"\frac{\partial a_2[t]}{\partial w_1[t]}"),
]


def _attention_step(h1, x, h2, Q0, K0, V0, Q1, K1, V1, Q2, K2, V2):
    """h[t] of AttentionRNN(2); h1 = h[t−1] may carry leading batch axes: (…, d) -> (…, d)."""
    batch = h1.shape[:-1]
    q0, k0, v0 = Q0 @ x, K0 @ x, V0 @ x
    q2, k2, v2 = Q2 @ h2, K2 @ h2, V2 @ h2
    q1, k1, v1 = h1 @ Q1.T, h1 @ K1.T, h1 @ V1.T
    scores = np.stack([np.broadcast_to(q0 @ k0, batch), (q1 * k1).sum(axis=-1), np.broadcast_to(q2 @ k2, batch)],
                      axis=-1)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights[..., 0:1] * v0 + weights[..., 1:2] * v1 + weights[..., 2:3] * v2


SHEET_PREFACTOR = "(v1/Sw - (w0*v0 + w1*v1 + w2*v2)/Sw**2)"
SHEET_PREFACTOR_TEX = (r"\left(\frac{v_1[t]}{\sum_{i=0}^2 w_i[t]} - \frac{\sum_{i=0}^2 w_i[t]v_i[t]}"
                       r"{(\sum_{i=0}^2 w_i[t])^2} \right)")

attention_rnn_jacobian = Entry(
    id="attention-rnn-jacobian",
    title="AttentionRNN(2): Jacobian of h[t] with respect to h[t−1]",
    sheet=SHEET,
    problem="1.2.2(e)",
    question=r"For AttentionRNN(2) as defined in 1.2.2(c) ($q_i, k_i, v_i$ from $Q_i, K_i, V_i$ applied to "
             r"$x[t], h[t-1], h[t-2]$; $w_i = q_i^T k_i$; $a = \mathrm{softargmax}(w)$; $h[t] = \sum_i a_i v_i$), "
             r"give $\partial h[t]/\partial h[t-1]$.",
    reading="The model is the sheet's own 1.2.2(c) with k = 2. Only w_1 and v_1 depend on h[t−1]. The Jacobian is "
            "d×d (output rows, h[t−1] columns). The sheet's first two lines restate the chain rule and the linearity "
            "of ∂ in Leibniz notation and are not separate claims; the chain is checked from its third line on.",
    notation=Notation(variables=ATTENTION_VARIABLES, definitions=ATTENTION_DEFINITIONS, sizes=[D, NX, PQ]),
    asks=Gradient(forward="a0*v0 + a1*v1 + a2*v2", wrt="h1", oracle=_attention_step),
    claims=chain(
        Claim("-a0*a1*v0*g1 + a1*(1 - a1)*v1*g1 + a1*V1 - a2*a1*v2*g1",
              r"v_0[t] \frac{\partial a_0[t]}{\partial w_1[t]} \frac{\partial w_1[t]}{\partial h[t-1]} + "
              r"v_1[t] \frac{\partial a_1[t]}{\partial w_1[t]} \frac{\partial w_1[t]}{\partial h[t-1]} + a_1[t]V_1 + "
              r"v_2[t] \frac{\partial a_2[t]}{\partial w_1[t]} \frac{\partial w_1[t]}{\partial h[t-1]}",
              note="The sheet leaves the local derivatives symbolic; they are substituted: the softargmax's "
                   "∂a_i/∂w_1 = a_i(δ_i1 − a_1) and ∂w_1/∂h[t−1] = k_1ᵀQ_1 + q_1ᵀK_1 (a row). Each term is read as "
                   "v_i (∂a_i/∂w_1)(∂w_1/∂h[t−1]), a d×d outer product; the sheet writes the factors in another "
                   "order, (∂a_i/∂w_1)(∂w_1/∂h[t−1]) v_i[t], which as printed multiplies a row by a column."),
        Claim(SHEET_PREFACTOR + "*g1 + a1*V1",
              SHEET_PREFACTOR_TEX + r"\frac{\partial w_1[t]}{\partial h[t-1]} + a_1[t]V_1", expect="refuted",
              note="The first step that fails: its ∂a_i/∂w_1 are those of a_i = w_i / Σ_j w_j, a plain "
                   "normalisation, not of the softargmax the model uses."),
        Claim(SHEET_PREFACTOR + "*(k1.T*Q1 + q1.T*K1) + a1*V1",
              SHEET_PREFACTOR_TEX + r"(k_1[t]^T Q_1 + q_1[t]^T K_1) + a_1[t]V_1", expect="refuted",
              note="The sheet prints Q_1^T k_1[t] (a column), read as its transpose k_1[t]^T Q_1, so that "
                   "∂w_1/∂h[t−1] is the row k_1ᵀQ_1 + q_1ᵀK_1 and the product is d×d; as printed the sum mixes a "
                   "column and a row. Refuted as the step before it, whose error it carries."),
        start=3,
    ) + [
        Claim("(a1*v1 - a1*(a0*v0 + a1*v1 + a2*v2))*g1 + a1*V1",
              r"\left(a_1[t] v_1[t] - a_1[t] \sum_{i=0}^2 a_i[t] v_i[t]\right) "
              r"\frac{\partial w_1[t]}{\partial h[t-1]} + a_1[t]V_1",
              label="step 4 corrected", source="correction", corrects="step 4",
              note="Σ_i v_i ∂a_i/∂w_1 with the softargmax's derivatives a_i(δ_i1 − a_1)."),
        Claim("a1*V1 + a1*(v1 - h)*(k1.T*Q1 + q1.T*K1)",
              r"a_1[t] V_1 + a_1[t] (v_1[t] - h[t]) (k_1[t]^T Q_1 + q_1[t]^T K_1)",
              label="corrected", source="correction", corrects="step 5"),
    ],
    answer=r"$\partial h[t]/\partial h[t-1] = a_1 V_1 + a_1 (v_1 - h[t])(k_1^T Q_1 + q_1^T K_1)$: the value path "
           r"$a_1 V_1$ plus the attention path, where moving $w_1$ shifts weight towards $v_1$ and away from the "
           r"current mixture $h[t]$.",
)

# -- prose ------------------------------------------------------------------------------


def _prose(id, problem, title, question, answer, why="the answer is an explanation, not a formula"):
    return Prose(id=id, title=title, sheet=SHEET, problem=problem, question=question, answer=answer, why=why)


RECURRENT_PROSE = [
    _prose("gated-rnn-diagram", "1.2.1(a)", "Gated RNN: diagram",
           "Draw a diagram of the gated RNN.", "See Fig. 1 of the sheet (the figure is not in the text).",
           why="the answer is a figure"),
    _prose("gated-rnn-gate-dimension", "1.2.1(b)", "Gated RNN: dimension of the gate",
           "What is the dimension of c[t]?",
           r"$c[t] \in \mathbb{R}^m$ (one gate per hidden unit; it multiplies $h[t-1] \in \mathbb{R}^m$ "
           r"entrywise).",
           why="a dimension; it is the shape of c[t] in the model of gated-rnn-dl-dwx, where the sheet's "
               "∂l/∂W_x is checked"),
    _prose("gated-rnn-vanishing-gradient", "1.2.1(d)", "Gated RNN: vanishing and exploding gradients",
           "Is this model subject to vanishing or exploding gradients? Why?",
           r"Not subject to vanishing gradients: through the term $c[t] \circ h[t-1]$ part of the gradient of "
           r"$h[t-1]$ does not pass through the sigmoid and is preserved. The sheet adds that this makes exploding "
           r"gradients more likely.",
           why="a qualitative argument; its claim (no vanishing gradient) is a statement about all weights and "
               "sequence lengths, not an identity"),
    _prose("attention-rnn-diagram", "1.2.2(a)", "Attention RNN: diagram",
           "Draw a diagram of the attention RNN.", "See Fig. 2 of the sheet (the figure is not in the text).",
           why="the answer is a figure"),
    _prose("attention-rnn-weights-dimension", "1.2.2(b)", "Attention RNN: dimension of the attention weights",
           "What is the dimension of a[t]?",
           r"$a[t] \in \mathbb{R}^3$ (one weight for each of $x[t], h[t-1], h[t-2]$).",
           why="a dimension (one softargmax weight per attended input: 3 for AttentionRNN(2))"),
    _prose("attention-rnn-k-definition", "1.2.2(c)", "AttentionRNN(k): definition",
           "Extend the model to attend over the k previous states: define AttentionRNN(k).",
           r"$q_0, \dots, q_k = Q_0 x[t], Q_1 h[t-1], \dots, Q_k h[t-k]$; likewise $k_i$ with $K_i$ and $v_i$ with "
           r"$V_i$; $w_i = q_i^T k_i$; $a = \mathrm{softargmax}(w_0, \dots, w_k)$; $h[t] = \sum_{i=0}^k a_i v_i$.",
           why="a definition (it is the model of attention-rnn-jacobian, with k = 2)"),
    _prose("attention-rnn-infinite-definition", "1.2.2(d)", "AttentionRNN(∞): definition",
           "Define AttentionRNN(∞), attending over all previous states with shared weights.",
           r"As AttentionRNN(k) with shared $Q, K, V$ ($q_0 = Qx[t]$, $q_i = Qh[t-i]$, ...) and the sums running "
           r"over all $i \ge 0$: $a = \mathrm{softargmax}(w_0, w_1, \dots)$, $h[t] = \sum_{i=0}^\infty a_i v_i$.",
           why="a definition"),
    _prose("attention-rnn-backprop", "1.2.2(f)", "AttentionRNN(∞): back-propagation to h[T]",
           r"Write $\partial l/\partial h[T]$ for AttentionRNN(∞).",
           r"$\frac{\partial l}{\partial h[T]} = \sum_{t>T} \frac{\partial l}{\partial h[t]} "
           r"\frac{\partial h[t]}{\partial h[T]}$: every later state attends to $h[T]$ directly. (Read with "
           r"$\partial h[t]/\partial h[T]$ the direct partial derivative and $\partial l/\partial h[t]$ the total "
           r"one; a loss term on $h[T]$ itself would add $\partial l_T/\partial h[T]$.)",
           why="a recurrence over an unbounded sequence, not a closed form to compare"),
]
