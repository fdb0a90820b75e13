"""Sheet 004, problems 2 and 3: backpropagation through time for the RNN of eq. (4).

    z^(t) = W x^(t) + U h^(t-1) + b,   h^(t) = tanh(z^(t)),
    o^(t) = V h^(t) + c,               y^(t) = softmax(o^(t)),
    J = −Σ_t t^(t)ᵀ ln y^(t)   (eq. 5).

Problem 2 is checked on T = 2 steps (step 1 receives error both from its own
output and from the future, so both terms of δ_h appear), with the initial state h^(0) a free
vector (h^(0) = 0 is the usual choice and a special case).  Every gradient is
derived by the engine from J and compared with finite differences of an
independent NumPy RNN.

Targets are probability vectors (see derivations/mlp_backprop.py: a one-hot
target is a vertex of the simplex and ∂J/∂o^(t) = (Σ_k t_k) y^(t) − t^(t) is
linear in t).  The cross-entropy is written with ln softmax(o)_k = o_k −
ln Σ_j exp(o_j).
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Prose, Size, define, domains, matrix, vector

SHEET = "004_1638b43a4d4b0ea1"
T = 2
# Proofs at input width 1 and hidden/output width 2; numbers also at random widths.
NX = Size("n", small=(1,), random=(2, 3))
NH = Size("H", small=(2,), random=(2, 4))
NK = Size("K", small=(2,), random=(2, 4))
PARAM = domains.Real(-1.0, 1.0)

RNN_VARIABLES = [
    matrix("W", "H", "n", r"\mathbf{W}", PARAM), matrix("U", "H", "H", r"\mathbf{U}", PARAM),
    vector("b", "H", r"\mathbf{b}", PARAM), matrix("V", "K", "H", r"\mathbf{V}", PARAM),
    vector("c", "K", r"\mathbf{c}", PARAM), vector("h0", "H", r"\mathbf{h}^{(0)}", doc="initial state"),
    *[vector(f"x{s}", "n", rf"\mathbf{{x}}^{{({s})}}") for s in range(1, T + 1)],
    *[vector(f"t{s}", "K", rf"\mathbf{{t}}^{{({s})}}", domains.probability) for s in range(1, T + 1)],
]


def _rnn_definitions():
    out = [define("T", str(T), "T")]  # the number of time steps, for the sums over t = 1, ..., T
    for s in range(1, T + 1):
        out += [
            define(f"z{s}", f"W*x{s} + U*h{s - 1} + b", rf"\mathbf{{z}}^{{({s})}}", shape=("H",)),
            define(f"h{s}", f"tanh(z{s})", rf"\mathbf{{h}}^{{({s})}}", shape=("H",)),
            define(f"o{s}", f"V*h{s} + c", rf"\mathbf{{o}}^{{({s})}}", shape=("K",)),
            define(f"do{s}", f"softmax(o{s}) - t{s}", rf"\delta_o^{{({s})}}", shape=("K",)),
        ]
    # Backward through time.  δ_h ⊙ (1 − h ⊙ h) is written δ_h − δ_h ⊙ h ⊙ tanh(z):
    # SymPy folds hadamard(g, h, h) under a minus sign into HadamardPower(h, 2),
    # which the evaluator cannot evaluate.
    for s in range(T, 0, -1):
        future = f" + U.T*dz{s + 1}" if s < T else ""
        out += [
            define(f"dh{s}", f"V.T*do{s}{future}", rf"\delta_h^{{({s})}}", shape=("H",)),
            define(f"dz{s}", f"dh{s} - hadamard(dh{s}, h{s}, tanh(z{s}))", rf"\delta_z^{{({s})}}", shape=("H",)),
        ]
    return out


RNN_NOTATION = Notation(variables=RNN_VARIABLES, definitions=_rnn_definitions(), sizes=[NX, NH, NK],
                        indices=[Index("k", 1, "K"), Index("j", 1, "K")])

RNN_J = " + ".join(f"-Sum(t{s}[k]*(o{s}[k] - log(Sum(exp(o{s}[j]), j))), k)" for s in range(1, T + 1))


def _mv(M, v):
    return np.einsum("...ij,...j->...i", M, v)


def _rnn_j(W, U, b, V, c, h0, x1, x2, t1, t2):
    """An independent NumPy RNN: J of eq. (5); any argument may carry leading axes."""
    h, total = h0, 0.0
    for x, t in ((x1, t1), (x2, t2)):
        h = np.tanh(_mv(W, x) + _mv(U, h) + b)
        o = _mv(V, h) + c
        top = o.max(axis=-1, keepdims=True)
        log_y = o - top - np.log(np.exp(o - top).sum(axis=-1, keepdims=True))
        total = total - (t * log_y).sum(axis=-1)
    return total


RNN_QUESTION = (r"For the RNN of eq. (4) over $T = 2$ steps and the loss $J$ of eq. (5), with "
                r"$\delta_o^{(t)} = \mathbf y^{(t)} - \mathbf t^{(t)}$, "
                r"$\delta_h^{(t)} = \mathbf V^\top \delta_o^{(t)} + \mathbf U^\top \delta_z^{(t+1)}$ "
                r"($\delta_z^{(T+1)} = \mathbf 0$) and "
                r"$\delta_z^{(t)} = \delta_h^{(t)} \odot (1 - \mathbf h^{(t)} \odot \mathbf h^{(t)})$, derive ")

BPTT = (r"BPTT: $\delta_o^{(t)} = \partial J/\partial \mathbf o^{(t)} = \mathbf y^{(t)} - \mathbf t^{(t)}$ by 1(iv), "
        r"each step's loss depending on $\mathbf o^{(t)}$ alone. $\mathbf h^{(t)}$ feeds $\mathbf o^{(t)}$ and "
        r"$\mathbf z^{(t+1)}$, so by 1(ii) applied to both $\delta_h^{(t)} = \mathbf V^\top\delta_o^{(t)} + "
        r"\mathbf U^\top\delta_z^{(t+1)}$ (only the first term at $t = T$), and by 1(i) "
        r"$\delta_z^{(t)} = \delta_h^{(t)} \odot (1 - \mathbf h^{(t)} \odot \mathbf h^{(t)})$; the recursion runs "
        r"from $t = T$ down to $1$. The parameters are shared across time, so each gradient is the sum over $t$ "
        r"of the per-step gradients of 1(iii). ")


def _rnn_entry(ident, wrt, what, text, latex, answer, note=""):
    return Entry(
        id=ident,
        title=f"RNN backprop through time: {what}",
        sheet=SHEET,
        problem="2",
        question=RNN_QUESTION + "$" + latex.split("=")[0].strip() + "$.",
        notation=RNN_NOTATION,
        asks=Gradient(forward=RNN_J, wrt=wrt, oracle=_rnn_j),
        claims=[Claim(text, latex, source="answer", note=note)],
        answer=BPTT + answer,
    )


rnn_dj_dv = _rnn_entry(
    "rnn-dj-dv", "V", "∂J/∂V",
    "do1*h1.T + do2*h2.T",
    r"\frac{\partial J}{\partial \mathbf V} = \sum_{t=1}^{T} \delta_o^{(t)} \mathbf h^{(t)\top}",
    r"$\mathbf o^{(t)} = \mathbf V\mathbf h^{(t)} + \mathbf c$ gives $\partial J/\partial\mathbf V = "
    r"\sum_t \delta_o^{(t)}\mathbf h^{(t)\top}$.")

rnn_dj_dc = _rnn_entry(
    "rnn-dj-dc", "c", "∂J/∂c",
    "do1 + do2",
    r"\frac{\partial J}{\partial \mathbf c} = \sum_{t=1}^{T} \delta_o^{(t)}",
    r"$\partial J/\partial\mathbf c = \sum_t \delta_o^{(t)} = \sum_t (\mathbf y^{(t)} - \mathbf t^{(t)})$.",
    note="That is, = Σ_t (y^(t) − t^(t)), since δ_o^(t) = y^(t) − t^(t); the claim is the sum of the deltas.")

rnn_dj_dw = _rnn_entry(
    "rnn-dj-dw", "W", "∂J/∂W",
    "dz1*x1.T + dz2*x2.T",
    r"\frac{\partial J}{\partial \mathbf W} = \sum_{t=1}^{T} \delta_z^{(t)} \mathbf x^{(t)\top}",
    r"$\mathbf z^{(t)}$ is linear in $\mathbf W$ with input $\mathbf x^{(t)}$: $\partial J/\partial\mathbf W = "
    r"\sum_t \delta_z^{(t)}\mathbf x^{(t)\top}$.")

rnn_dj_du = _rnn_entry(
    "rnn-dj-du", "U", "∂J/∂U",
    "dz1*h0.T + dz2*h1.T",
    r"\frac{\partial J}{\partial \mathbf U} = \sum_{t=1}^{T} \delta_z^{(t)} \mathbf h^{(t-1)\top}",
    r"$\mathbf z^{(t)}$ is linear in $\mathbf U$ with input $\mathbf h^{(t-1)}$: $\partial J/\partial\mathbf U = "
    r"\sum_t \delta_z^{(t)}\mathbf h^{(t-1)\top}$ (the $t = 1$ term vanishes when $\mathbf h^{(0)} = \mathbf 0$).")

rnn_dj_db = _rnn_entry(
    "rnn-dj-db", "b", "∂J/∂b",
    "dz1 + dz2",
    r"\frac{\partial J}{\partial \mathbf b} = \sum_{t=1}^{T} \delta_z^{(t)}",
    r"$\partial J/\partial\mathbf b = \sum_t \delta_z^{(t)}$.")


# -- problem 3: the Jacobian of the state through time ------------------------------
# Weights in [-1, 1] keep tanh out of deep saturation, where the Jacobian's
# entries fall to 1e-8 and finite differences lose their relative accuracy.
# diag(1 − h ⊙ h) is written I − I ⊙ (h hᵀ): the text syntax has no diag(·), and the
# Hadamard product with I keeps exactly the diagonal h_i² of h hᵀ.
H_INDICES = [Index("i", 1, "H"), Index("j", 1, "H"), Index("k", 1, "H"), Index("l", 1, "H")]
NH_SMALL = Size("H", small=(2, 3), random=(2, 5))


def _step(W, U, b, x, h):
    return np.tanh(_mv(W, x) + _mv(U, h) + b)


rnn_step_jacobian = Entry(
    id="rnn-step-jacobian",
    title="RNN: the one-step state Jacobian",
    sheet=SHEET,
    problem="3",
    question=r"For $\mathbf h^{(t)} = \tanh(\mathbf W\mathbf x^{(t)} + \mathbf U\mathbf h^{(t-1)} + \mathbf b)$, find "
             r"the Jacobian $\partial \mathbf h^{(t)}/\partial \mathbf h^{(t-1)}$.",
    notation=Notation(
        variables=[matrix("W", "H", "n", r"\mathbf{W}", PARAM), matrix("U", "H", "H", r"\mathbf{U}", PARAM),
                   vector("b", "H", r"\mathbf{b}", PARAM), vector("x", "n", r"\mathbf{x}^{(t)}"),
                   vector("hp", "H", r"\mathbf{h}^{(t-1)}", doc="the previous state")],
        definitions=[define("h", "tanh(W*x + U*hp + b)", r"\mathbf{h}^{(t)}", shape=("H",)),
                     define("D", "eye(H) - hadamard(eye(H), h*h.T)",
                            r"\operatorname{diag}(1 - \mathbf h^{(t)} \odot \mathbf h^{(t)})", shape=("H", "H"))],
        sizes=[Size("n", small=(2,), random=(1, 4)), NH_SMALL], indices=H_INDICES),
    asks=Gradient(forward="tanh(W*x + U*hp + b)", wrt="hp", index=("i", "j"),
                  oracle=lambda hp, W, U, b, x: _step(W, U, b, x, hp)),
    claims=[
        Claim("(1 - h[i]**2)*U[i, j]", r"(1 - (h_i^{(t)})^2)\, U_{ij}", source="answer"),
        Claim("D*U", r"\operatorname{diag}(1 - \mathbf h^{(t)} \odot \mathbf h^{(t)})\, \mathbf U", source="answer",
              label="matrix form"),
    ],
    answer=r"$\partial h_i^{(t)}/\partial h_j^{(t-1)} = \tanh'(z_i^{(t)})\, \partial z_i^{(t)}/\partial h_j^{(t-1)} = "
           r"(1 - (h_i^{(t)})^2)\, U_{ij}$, i.e. $\partial\mathbf h^{(t)}/\partial\mathbf h^{(t-1)} = "
           r"\operatorname{diag}(1 - \mathbf h^{(t)} \odot \mathbf h^{(t)})\,\mathbf U$.",
)

JAC_STEPS = (2, 3, 4)  # h^(4) as a function of h^(1): t − k = 3 steps


def _jacobian_notation():
    variables = [matrix("W", "H", "n", r"\mathbf{W}", PARAM), matrix("U", "H", "H", r"\mathbf{U}", PARAM),
                 vector("b", "H", r"\mathbf{b}", PARAM),
                 *[vector(f"x{s}", "n", rf"\mathbf{{x}}^{{({s})}}") for s in JAC_STEPS],
                 vector("h1", "H", r"\mathbf{h}^{(1)}", doc="the state at time k = 1")]
    definitions = []
    for s in JAC_STEPS:
        definitions += [
            define(f"h{s}", f"tanh(W*x{s} + U*h{s - 1} + b)", rf"\mathbf{{h}}^{{({s})}}", shape=("H",)),
            define(f"D{s}", f"eye(H) - hadamard(eye(H), h{s}*h{s}.T)",
                   rf"\operatorname{{diag}}(1 - \mathbf h^{{({s})}} \odot \mathbf h^{{({s})}})", shape=("H", "H")),
        ]
    return Notation(variables=variables, definitions=definitions,
                    sizes=[Size("n", small=(1,), random=(1, 3)), NH_SMALL], indices=H_INDICES)


def _unroll(h1, W, U, b, x2, x3, x4):
    h = h1
    for x in (x2, x3, x4):
        h = _step(W, U, b, x, h)
    return h


rnn_jacobian_product = Entry(
    id="rnn-jacobian-product",
    title="RNN: the state Jacobian across time is a product of step Jacobians",
    sheet=SHEET,
    problem="3",
    question=r"Show $\partial \mathbf h^{(t)}/\partial \mathbf h^{(k)} = \prod_{s=k+1}^{t} "
             r"\operatorname{diag}(1 - \mathbf h^{(s)} \odot \mathbf h^{(s)})\,\mathbf U$ (later factors on the left); "
             r"checked for $k = 1$, $t = 4$.",
    notation=_jacobian_notation(),
    asks=Gradient(forward="h4", wrt="h1", index=("i", "j"), oracle=_unroll),
    claims=[
        Claim("Sum((1 - h4[i]**2)*U[i, k]*(1 - h3[k]**2)*U[k, l]*(1 - h2[l]**2)*U[l, j], k, l)",
              r"\sum_{k,l} (1 - (h_i^{(4)})^2) U_{ik} (1 - (h_k^{(3)})^2) U_{kl} (1 - (h_l^{(2)})^2) U_{lj}",
              source="answer"),
        Claim("D4*U*D3*U*D2*U",
              r"\operatorname{diag}(1 - \mathbf h^{(4)} \odot \mathbf h^{(4)})\,\mathbf U\,"
              r"\operatorname{diag}(1 - \mathbf h^{(3)} \odot \mathbf h^{(3)})\,\mathbf U\,"
              r"\operatorname{diag}(1 - \mathbf h^{(2)} \odot \mathbf h^{(2)})\,\mathbf U",
              source="answer", label="matrix form",
              note="The product Π_{s=2}^{4} diag(1 − h^(s) ⊙ h^(s)) U with the later factors on the left, "
                   "written out (a \\prod is read in increasing order of its index)."),
    ],
    answer=r"$\mathbf h^{(t)}$ depends on $\mathbf h^{(k)}$ only through the chain $\mathbf h^{(k)} \to "
           r"\mathbf h^{(k+1)} \to \dots \to \mathbf h^{(t)}$, so the chain rule multiplies the one-step Jacobians: "
           r"$\partial\mathbf h^{(t)}/\partial\mathbf h^{(k)} = \prod_{s=k+1}^{t} \partial\mathbf h^{(s)}/"
           r"\partial\mathbf h^{(s-1)} = \prod_{s=k+1}^{t} \operatorname{diag}(1 - \mathbf h^{(s)}\odot"
           r"\mathbf h^{(s)})\,\mathbf U$.",
)

rnn_vanishing_exploding = Prose(
    id="rnn-vanishing-exploding",
    title="RNN: why gradients vanish or explode",
    sheet=SHEET,
    problem="3",
    question=r"Show that training the RNN by backpropagation through time suffers from vanishing and exploding "
             r"gradients.",
    answer=r"Unrolling the recursion of problem 2, the error that the loss at step $t$ sends back to step $k < t$ is "
           r"$\partial J^{(t)}/\partial\mathbf h^{(k)} = \big(\partial\mathbf h^{(t)}/\partial\mathbf "
           r"h^{(k)}\big)^\top "
           r"\mathbf V^\top\delta_o^{(t)}$ with $\partial\mathbf h^{(t)}/\partial\mathbf h^{(k)} = \prod_{s=k+1}^{t}"
           r"\operatorname{diag}(1 - \mathbf h^{(s)}\odot\mathbf h^{(s)})\,\mathbf U$ (entry rnn-jacobian-product), "
           r"and $\partial J/\partial\mathbf U = \sum_t \delta_z^{(t)}\mathbf h^{(t-1)\top}$ sums such contributions "
           r"over all gaps $t - k$. By submultiplicativity of the spectral norm and "
           r"$0 < \tanh'(z) = 1 - \tanh^2(z) \le 1$: "
           r"$\|\partial\mathbf h^{(t)}/\partial\mathbf h^{(k)}\| \le \prod_{s=k+1}^{t} "
           r"\|\operatorname{diag}(\tanh'(\mathbf z^{(s)}))\|\,\|\mathbf U\| \le (\gamma\,\|\mathbf U\|)^{t-k}$, with "
           r"$\gamma = \max_{s,i} |\tanh'(z_i^{(s)})| \le 1$. If $\gamma\|\mathbf U\| < 1$ (in particular if the "
           r"largest singular value of $\mathbf U$ is below 1, or the units saturate so that $\gamma \ll 1$), the "
           r"contribution of step $k$ decays geometrically in $t - k$: long-range dependencies receive "
           r"exponentially small gradients and are not learned (vanishing gradients). Conversely, the same product "
           r"with the saturation factors near 1 (units near $z = 0$) behaves like $\mathbf U^{t-k}$, whose norm grows "
           r"like $\rho(\mathbf U)^{t-k}$ when the spectral radius $\rho(\mathbf U) > 1$: the gradient explodes "
           r"exponentially in $t - k$ and SGD steps become unstable (the usual remedy is gradient clipping; "
           r"for vanishing, gated units such as the LSTM of problem 4). Because the same $\mathbf U$ is reused at "
           r"every step, the product is a matrix power in disguise, and nothing keeps it near norm 1 over long "
           r"spans.",
    why="an argument about norms: the Jacobian identities it rests on are checked by rnn-step-jacobian and "
        "rnn-jacobian-product; the bound ‖∂h(t)/∂h(k)‖ ≤ (γ‖U‖)^(t−k) is not machine-checked",
)
