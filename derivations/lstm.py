"""Sheet 004, problem 4: the LSTM, its gradients through time, and its cell path.

The standard LSTM (forget, input and output gates, candidate cell g, cell c):

    f^(t) = σ(W_f x^(t) + U_f h^(t-1) + b_f)      i^(t) = σ(W_i x^(t) + U_i h^(t-1) + b_i)
    o^(t) = σ(W_o x^(t) + U_o h^(t-1) + b_o)      g^(t) = tanh(W_c x^(t) + U_c h^(t-1) + b_c)
    c^(t) = f^(t) ⊙ c^(t-1) + i^(t) ⊙ g^(t)       h^(t) = o^(t) ⊙ tanh(c^(t))

with the output layer of eq. (4), y^(t) = softmax(V h^(t) + d) (its bias renamed
d: c is the cell; the logits are a^(t), o is the output gate) and J of eq. (5).
The gate deltas δ_f, δ_i, δ_o, δ_g are gradients with respect to the gates'
pre-activations z_f, z_i, z_o, z_g.

How 4(ii) is checked, and why so.  The gate parameters reach J only through the
states h^(t), and the output layer's share of ∂J/∂h^(t) is
e^(t) = Vᵀ(y^(t) − t^(t)) (1(ii), 1(iv)).  Holding e^(t) fixed, Σ_t e^(t)ᵀ h^(t)
has exactly the gradient of J in every gate parameter: the upstream form of
1(ii)/(iii), summed over time.  The checks differentiate that model for T = 2
(every delta of the recursion, including the cell path δ_c^(2) ⊙ f^(2), enters
step 1).  The end-to-end check against J itself with the softmax layer is kept
for ∂J/∂d, which confirms δ_a = y − t on the LSTM.  The symbolic proofs run at
widths n = H = 1 (the LSTM's expressions grow fast with the width); the numeric
check covers random widths 2–3, where a transposed Uᵀ → U is refuted.
"""

import numpy as np
import sympy

from symcheck import Claim, Entry, Gradient, Index, Notation, Prose, Size, define, domains, matrix, vector

SHEET = "004_1638b43a4d4b0ea1"
T = 2
GATES = ("f", "i", "o", "c")  # the parameters W_c, U_c, b_c belong to the candidate g
NX = Size("n", small=(1,), random=(2, 3))
NH = Size("H", small=(1,), random=(2, 3))
NK = Size("K", small=(2,), random=(2, 3))
PARAM = domains.Real(-1.0, 1.0)




def _gate_variables(domain=PARAM):
    out = []
    for q in GATES:
        out += [matrix(f"W{q}", "H", "n", rf"\mathbf{{W}}_{q}", domain),
                matrix(f"U{q}", "H", "H", rf"\mathbf{{U}}_{q}", domain),
                vector(f"b{q}", "H", rf"\mathbf{{b}}_{q}", domain)]
    return out


LSTM_VARIABLES = [
    *_gate_variables(),
    vector("h0", "H", r"\mathbf{h}^{(0)}", doc="initial state"),
    vector("c0", "H", r"\mathbf{c}^{(0)}", doc="initial cell"),
    *[vector(f"x{s}", "n", rf"\mathbf{{x}}^{{({s})}}") for s in range(1, T + 1)],
]
OUTPUT_VARIABLES = [
    matrix("V", "K", "H", r"\mathbf{V}", PARAM), vector("d", "K", r"\mathbf{d}", PARAM),
    *[vector(f"t{s}", "K", rf"\mathbf{{t}}^{{({s})}}", domains.probability) for s in range(1, T + 1)],
]
UPSTREAM_VARIABLES = [vector(f"e{s}", "H", rf"\mathbf{{e}}^{{({s})}}",
                             doc=f"∂J/∂h^({s}) through the output layer of step {s} alone")
                      for s in range(1, T + 1)]
# σ(z) = (1 + tanh(z/2))/2: see the module notes.
GATE = "sigmoid({})"


def _lstm_definitions(full: bool):
    out = [define("T", str(T), "T")]  # the number of time steps, for the sums over t = 1, ..., T
    for s in range(1, T + 1):
        p = s - 1
        pre = {q: f"W{q}*x{s} + U{q}*h{p} + b{q}" for q in GATES}
        out += [
            define(f"zf{s}", pre["f"], rf"\mathbf{{z}}_f^{{({s})}}", shape=("H",)),
            define(f"zi{s}", pre["i"], rf"\mathbf{{z}}_i^{{({s})}}", shape=("H",)),
            define(f"zo{s}", pre["o"], rf"\mathbf{{z}}_o^{{({s})}}", shape=("H",)),
            define(f"zg{s}", pre["c"], rf"\mathbf{{z}}_g^{{({s})}}", shape=("H",)),
            define(f"f{s}", GATE.format(f"zf{s}"), rf"\mathbf{{f}}^{{({s})}}", shape=("H",)),
            define(f"i{s}", GATE.format(f"zi{s}"), rf"\mathbf{{i}}^{{({s})}}", shape=("H",)),
            define(f"o{s}", GATE.format(f"zo{s}"), rf"\mathbf{{o}}^{{({s})}}", shape=("H",)),
            define(f"g{s}", f"tanh(zg{s})", rf"\mathbf{{g}}^{{({s})}}", shape=("H",)),
            define(f"c{s}", f"hadamard(f{s}, c{p}) + hadamard(i{s}, g{s})", rf"\mathbf{{c}}^{{({s})}}", shape=("H",)),
            define(f"h{s}", f"hadamard(o{s}, tanh(c{s}))", rf"\mathbf{{h}}^{{({s})}}", shape=("H",)),
        ]
        if full:
            out += [
                define(f"a{s}", f"V*h{s} + d", rf"\mathbf{{a}}^{{({s})}}", shape=("K",)),
                define(f"da{s}", f"softmax(a{s}) - t{s}", rf"\delta_a^{{({s})}}", shape=("K",)),
            ]
    # Backward through time (terms of step T + 1 are zero).  A square inside
    # "one − ..." is written with a second, separately built copy of the factor
    # (g ⊙ tanh(z_g), not g ⊙ g): SymPy folds hadamard(g, g) under a minus sign
    # into HadamardPower(g, 2), which the evaluator cannot evaluate.
    for s in range(T, 0, -1):
        p = s - 1
        local = f"V.T*da{s}" if full else f"e{s}"
        h_future = (f" + Uf.T*dzf{s + 1} + Ui.T*dzi{s + 1} + Uo.T*dzo{s + 1} + Uc.T*dzg{s + 1}"
                    if s < T else "")
        c_future = f" + hadamard(dc{s + 1}, f{s + 1})" if s < T else ""
        out += [
            define(f"dh{s}", f"{local}{h_future}", rf"\delta_h^{{({s})}}", shape=("H",)),
            define(f"dc{s}", f"hadamard(dh{s}, o{s}, 1 - hadamard(tanh(c{s}), tanh(c{s}))){c_future}",
                   rf"\delta_c^{{({s})}}", shape=("H",)),
            define(f"dzf{s}", f"hadamard(dc{s}, c{p}, f{s}, 1 - f{s})", rf"\delta_f^{{({s})}}", shape=("H",)),
            define(f"dzi{s}", f"hadamard(dc{s}, g{s}, i{s}, 1 - i{s})", rf"\delta_i^{{({s})}}", shape=("H",)),
            define(f"dzg{s}", f"hadamard(dc{s}, i{s}, 1 - hadamard(g{s}, tanh(zg{s})))", rf"\delta_g^{{({s})}}",
                   shape=("H",)),
            define(f"dzo{s}", f"hadamard(dh{s}, tanh(c{s}), o{s}, 1 - o{s})", rf"\delta_o^{{({s})}}",
                   shape=("H",)),
        ]
    return out


LSTM_NOTATION = Notation(variables=LSTM_VARIABLES + OUTPUT_VARIABLES, definitions=_lstm_definitions(True),
                         sizes=[NX, NH, NK], indices=[Index("k", 1, "K"), Index("j", 1, "K")])
UPSTREAM_NOTATION = Notation(variables=LSTM_VARIABLES + UPSTREAM_VARIABLES, definitions=_lstm_definitions(False),
                             sizes=[NX, NH])

LSTM_J = " + ".join(f"-Sum(t{s}[k]*(a{s}[k] - log(Sum(exp(a{s}[j]), j))), k)" for s in range(1, T + 1))


def _mv(M, v):
    return np.einsum("...ij,...j->...i", M, v)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _lstm_states(Wf, Uf, bf, Wi, Ui, bi, Wo, Uo, bo, Wc, Uc, bc, h0, c0, xs):
    """An independent NumPy LSTM: the states h^(1), h^(2), ...; any argument may carry leading axes."""
    h, c = h0, c0
    for x in xs:
        f = _sigmoid(_mv(Wf, x) + _mv(Uf, h) + bf)
        i = _sigmoid(_mv(Wi, x) + _mv(Ui, h) + bi)
        o = _sigmoid(_mv(Wo, x) + _mv(Uo, h) + bo)
        g = np.tanh(_mv(Wc, x) + _mv(Uc, h) + bc)
        c = f * c + i * g
        h = o * np.tanh(c)
        yield h


def _lstm_j(Wf, Uf, bf, Wi, Ui, bi, Wo, Uo, bo, Wc, Uc, bc, V, d, h0, c0, x1, x2, t1, t2):
    """J of eq. (5) on the NumPy LSTM."""
    total = 0.0
    states = _lstm_states(Wf, Uf, bf, Wi, Ui, bi, Wo, Uo, bo, Wc, Uc, bc, h0, c0, (x1, x2))
    for h, t in zip(states, (t1, t2)):
        a = _mv(V, h) + d
        top = a.max(axis=-1, keepdims=True)
        log_y = a - top - np.log(np.exp(a - top).sum(axis=-1, keepdims=True))
        total = total - (t * log_y).sum(axis=-1)
    return total


# The gate parameters reach J only through the states h^(t); with the output
# layer's share of ∂J/∂h^(t) given as e^(t) = Vᵀ(y^(t) − t^(t)) (1(ii), 1(iv)),
# J and Σ_t e^(t)ᵀ h^(t) have the same gradient in every gate parameter: the
# upstream form of 1(ii)/(iii), here summed over time.
UPSTREAM_J = "e1.T*h1 + e2.T*h2"


def _lstm_e(Wf, Uf, bf, Wi, Ui, bi, Wo, Uo, bo, Wc, Uc, bc, h0, c0, x1, x2, e1, e2):
    states = _lstm_states(Wf, Uf, bf, Wi, Ui, bi, Wo, Uo, bo, Wc, Uc, bc, h0, c0, (x1, x2))
    return sum((e * h).sum(axis=-1) for h, e in zip(states, (e1, e2)))


LSTM_QUESTION = (r"For the LSTM over $T = 2$ steps with the loss $J$ of eq. (5), derive ")

BACKWARD = (r"Backward through time, from $t = T$ down to 1: $\delta_a^{(t)} = \mathbf y^{(t)} - \mathbf t^{(t)}$ "
            r"(1(iv)); $\delta_h^{(t)} = \mathbf V^\top\delta_a^{(t)} + \sum_{q \in \{f,i,o,g\}} \mathbf U_q^\top "
            r"\delta_q^{(t+1)}$, since $\mathbf h^{(t)}$ feeds the output and all four gates of step $t+1$; "
            r"$\delta_c^{(t)} = \delta_h^{(t)} \odot \mathbf o^{(t)} \odot (1 - \tanh^2(\mathbf c^{(t)})) + "
            r"\delta_c^{(t+1)} \odot \mathbf f^{(t+1)}$, since $\mathbf c^{(t)}$ feeds $\mathbf h^{(t)}$ and "
            r"$\mathbf c^{(t+1)}$; then the pre-activation deltas of the gates: "
            r"$\delta_f^{(t)} = \delta_c^{(t)} \odot \mathbf c^{(t-1)} \odot \mathbf f^{(t)} \odot (1 - \mathbf "
            r"f^{(t)})$, "
            r"$\delta_i^{(t)} = \delta_c^{(t)} \odot \mathbf g^{(t)} \odot \mathbf i^{(t)} \odot (1 - \mathbf "
            r"i^{(t)})$, "
            r"$\delta_g^{(t)} = \delta_c^{(t)} \odot \mathbf i^{(t)} \odot (1 - \mathbf g^{(t)} \odot \mathbf "
            r"g^{(t)})$, "
            r"$\delta_o^{(t)} = \delta_h^{(t)} \odot \tanh(\mathbf c^{(t)}) \odot \mathbf o^{(t)} \odot "
            r"(1 - \mathbf o^{(t)})$ (terms with index $T+1$ are zero). Each parameter is shared over time, so its "
            r"gradient sums 1(iii) over $t$: $\partial J/\partial\mathbf W_q = \sum_t \delta_q^{(t)}\mathbf "
            r"x^{(t)\top}$, "
            r"$\partial J/\partial\mathbf U_q = \sum_t \delta_q^{(t)}\mathbf h^{(t-1)\top}$, "
            r"$\partial J/\partial\mathbf b_q = \sum_t \delta_q^{(t)}$, $\partial J/\partial\mathbf V = "
            r"\sum_t \delta_a^{(t)}\mathbf h^{(t)\top}$, $\partial J/\partial\mathbf d = \sum_t \delta_a^{(t)}$. ")


UPSTREAM_READING = (r"The gate parameters reach $J$ only through $\mathbf h^{(1)}, \mathbf h^{(2)}$; with the "
                    r"output layer's share $\mathbf e^{(t)} = \mathbf V^\top(\mathbf y^{(t)} - \mathbf t^{(t)})$ of "
                    r"$\partial J/\partial \mathbf h^{(t)}$ held fixed, $\sum_t \mathbf e^{(t)\top}\mathbf h^{(t)}$ "
                    r"has the same gradient as $J$ in each of them, so that model is differentiated (then "
                    r"$\delta_h^{(t)} = \mathbf e^{(t)} + \sum_q \mathbf U_q^\top\delta_q^{(t+1)}$).")


def _lstm_entry(ident, wrt, what, text, latex, answer="", full=False, note=""):
    return Entry(
        id=ident,
        title=f"LSTM backprop through time: {what}",
        sheet=SHEET,
        problem="4(ii)",
        question=LSTM_QUESTION + "$" + latex.split("=")[0].strip() + "$.",
        notation=LSTM_NOTATION if full else UPSTREAM_NOTATION,
        asks=(Gradient(forward=LSTM_J, wrt=wrt, oracle=_lstm_j) if full else
              Gradient(forward=UPSTREAM_J, wrt=wrt, oracle=_lstm_e)),
        claims=[Claim(text, latex, source="answer", note=note)],
        reading="" if full else UPSTREAM_READING,
        answer=BACKWARD + answer,
    )


lstm_dj_dwf = _lstm_entry(
    "lstm-dj-dwf", "Wf", "∂J/∂W_f (forget gate)",
    "dzf1*x1.T + dzf2*x2.T",
    r"\frac{\partial J}{\partial \mathbf W_f} = \sum_{t=1}^{T} \delta_f^{(t)} \mathbf x^{(t)\top}",
    r"Here $\delta_f^{(1)}$ uses $\delta_c^{(1)} = \delta_h^{(1)} \odot \mathbf o^{(1)} \odot "
    r"(1 - \tanh^2(\mathbf c^{(1)})) + \delta_c^{(2)} \odot \mathbf f^{(2)}$, the cell-state recursion.")

lstm_dj_dui = _lstm_entry(
    "lstm-dj-dui", "Ui", "∂J/∂U_i (input gate)",
    "dzi1*h0.T + dzi2*h1.T",
    r"\frac{\partial J}{\partial \mathbf U_i} = \sum_{t=1}^{T} \delta_i^{(t)} \mathbf h^{(t-1)\top}",
    r"The recurrent weights multiply the previous state, so $\mathbf h^{(t-1)}$ replaces $\mathbf x^{(t)}$.")

lstm_dj_dwo = _lstm_entry(
    "lstm-dj-dwo", "Wo", "∂J/∂W_o (output gate)",
    "dzo1*x1.T + dzo2*x2.T",
    r"\frac{\partial J}{\partial \mathbf W_o} = \sum_{t=1}^{T} \delta_o^{(t)} \mathbf x^{(t)\top}",
    r"The output gate acts on $\mathbf h^{(t)}$ directly, so $\delta_o^{(t)}$ starts from $\delta_h^{(t)}$, "
    r"not from $\delta_c^{(t)}$.")

lstm_dj_dbc = _lstm_entry(
    "lstm-dj-dbc", "bc", "∂J/∂b_c (candidate cell)",
    "dzg1 + dzg2",
    r"\frac{\partial J}{\partial \mathbf b_c} = \sum_{t=1}^{T} \delta_g^{(t)}",
    r"A bias gradient is the sum of its deltas over time.")

lstm_dj_dd = _lstm_entry(
    "lstm-dj-dd", "d", "∂J/∂d (output layer, against J itself)",
    "da1 + da2",
    r"\frac{\partial J}{\partial \mathbf d} = \sum_{t=1}^{T} \delta_a^{(t)}",
    r"This entry differentiates $J$ of eq. (5) itself, softmax included: the output deltas "
    r"$\delta_a^{(t)} = \mathbf y^{(t)} - \mathbf t^{(t)}$ that feed $\mathbf e^{(t)} = \mathbf V^\top\delta_a^{(t)}$.",
    full=True,
    note="That is, = Σ_t (y^(t) − t^(t)), since δ_a^(t) = y^(t) − t^(t) (1(iv)); the claim is the sum of the "
         "deltas.")

# -- 4(iii): the cell path ---------------------------------------------------------
# The partial derivative of c^(t) in c^(t-1) with h^(t-1) held fixed: the direct,
# additive path of the cell state.  (The gates see c^(t-1) only through
# h^(t-1) = o^(t-1) ⊙ tanh(c^(t-1)), the RNN-like path; see the prose answer.)
CELL_H = Size("H", small=(2, 3), random=(2, 5))
CELL_INDICES = [Index("i", 1, "H"), Index("j", 1, "H")]
CELL_GATES = ("f", "i", "c")


def _cell_variables():
    out = []
    for q in CELL_GATES:
        out += [matrix(f"W{q}", "H", "n", rf"\mathbf{{W}}_{q}", PARAM),
                matrix(f"U{q}", "H", "H", rf"\mathbf{{U}}_{q}", PARAM),
                vector(f"b{q}", "H", rf"\mathbf{{b}}_{q}", PARAM)]
    return out


def _cell(Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x, h, c):
    f = _sigmoid(_mv(Wf, x) + _mv(Uf, h) + bf)
    i = _sigmoid(_mv(Wi, x) + _mv(Ui, h) + bi)
    g = np.tanh(_mv(Wc, x) + _mv(Uc, h) + bc)
    return f * c + i * g


def _cell_step_text(s, cp, hp):
    return (f"hadamard(sigma(Wf*x{s} + Uf*{hp} + bf), {cp}) + "
            f"hadamard(sigma(Wi*x{s} + Ui*{hp} + bi), tanh(Wc*x{s} + Uc*{hp} + bc))")


lstm_cell_jacobian = Entry(
    id="lstm-cell-jacobian",
    title="LSTM: the cell-to-cell Jacobian is diag(f)",
    sheet=SHEET,
    problem="4(iii)",
    question=r"For $\mathbf c^{(t)} = \mathbf f^{(t)} \odot \mathbf c^{(t-1)} + \mathbf i^{(t)} \odot \mathbf "
             r"g^{(t)}$, "
             r"whose gates depend on $\mathbf x^{(t)}$ and $\mathbf h^{(t-1)}$, find "
             r"$\partial \mathbf c^{(t)}/\partial \mathbf c^{(t-1)}$ along the cell path ($\mathbf h^{(t-1)}$ held "
             r"fixed).",
    notation=Notation(
        variables=[*_cell_variables(), vector("x2", "n", r"\mathbf{x}^{(t)}"),
                   vector("h1", "H", r"\mathbf{h}^{(t-1)}"), vector("c1", "H", r"\mathbf{c}^{(t-1)}")],
        definitions=[define("f2", "sigma(Wf*x2 + Uf*h1 + bf)", r"\mathbf{f}^{(t)}", shape=("H",))],
        sizes=[Size("n", small=(2,), random=(1, 4)), CELL_H], indices=CELL_INDICES),
    asks=Gradient(forward=_cell_step_text(2, "c1", "h1"), wrt="c1", index=("i", "j"),
                  oracle=lambda c1, Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x2, h1:
                  _cell(Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x2, h1, c1)),
    claims=[Claim("f2[i]*delta(i, j)", r"\operatorname{diag}(\mathbf f^{(t)})_{ij} = f_i^{(t)}\,\delta_{ij}",
                  source="answer")],
    answer=r"$c_i^{(t)} = f_i^{(t)} c_i^{(t-1)} + i_i^{(t)} g_i^{(t)}$, and with $\mathbf h^{(t-1)}$ fixed neither "
           r"the gates nor $\mathbf g^{(t)}$ depend on $\mathbf c^{(t-1)}$: $\partial c_i^{(t)}/\partial c_j^{(t-1)} "
           r"= f_i^{(t)}\delta_{ij}$, i.e. $\operatorname{diag}(\mathbf f^{(t)})$. This is the term "
           r"$\delta_c^{(t+1)} \odot \mathbf f^{(t+1)}$ of the cell-state recursion.",
)


def _cell_two_steps(c1, Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x2, x3, h1, h2):
    c2 = _cell(Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x2, h1, c1)
    return _cell(Wf, Uf, bf, Wi, Ui, bi, Wc, Uc, bc, x3, h2, c2)


lstm_cell_path_product = Entry(
    id="lstm-cell-path-product",
    title="LSTM: along the cell path the Jacobians multiply to diag(Π f)",
    sheet=SHEET,
    problem="4(iii)",
    question=r"Along the cell path (the states $\mathbf h$ fed to the gates held fixed), find "
             r"$\partial \mathbf c^{(t)}/\partial \mathbf c^{(k)}$; checked for $k = 1$, $t = 3$.",
    notation=Notation(
        variables=[*_cell_variables(), vector("x2", "n", r"\mathbf{x}^{(2)}"), vector("x3", "n", r"\mathbf{x}^{(3)}"),
                   vector("h1", "H", r"\mathbf{h}^{(1)}"), vector("h2", "H", r"\mathbf{h}^{(2)}"),
                   vector("c1", "H", r"\mathbf{c}^{(1)}")],
        definitions=[define("f2", "sigma(Wf*x2 + Uf*h1 + bf)", r"\mathbf{f}^{(2)}", shape=("H",)),
                     define("f3", "sigma(Wf*x3 + Uf*h2 + bf)", r"\mathbf{f}^{(3)}", shape=("H",)),
                     define("c2", _cell_step_text(2, "c1", "h1"), r"\mathbf{c}^{(2)}", shape=("H",))],
        sizes=[Size("n", small=(1,), random=(1, 3)), CELL_H], indices=CELL_INDICES),
    asks=Gradient(forward=_cell_step_text(3, "c2", "h2"), wrt="c1", index=("i", "j"), oracle=_cell_two_steps),
    claims=[Claim("f3[i]*f2[i]*delta(i, j)",
                  r"\Big(\prod_{s=2}^{3} f_i^{(s)}\Big) \delta_{ij}", source="answer",
                  note="Entry (i, j) of diag(Π_{s=2}^{3} f^(s)), the entrywise product of the forget gates on the "
                       "diagonal.")],
    answer=r"By the chain rule and the previous entry, $\partial\mathbf c^{(t)}/\partial\mathbf c^{(k)} = "
           r"\prod_{s=k+1}^{t}\operatorname{diag}(\mathbf f^{(s)}) = \operatorname{diag}\big(\prod_{s=k+1}^{t} "
           r"\mathbf f^{(s)}\big)$: no weight matrix and no squashing derivative appears, only the forget gates.",
)

lstm_recurrences = Prose(
    id="lstm-recurrences",
    title="LSTM: components, recurrences and parameters",
    sheet=SHEET,
    problem="4(i)",
    question=r"Give the detailed components of the LSTM with the full definition of its recurrence. What are the "
             r"parameters of the LSTM?",
    answer=r"An LSTM cell carries two states, the cell $\mathbf c^{(t)}$ (long-term memory) and the hidden state "
           r"$\mathbf h^{(t)}$ (its output), and three sigmoid gates with values in $(0, 1)$. At each step, from "
           r"$\mathbf x^{(t)}$ and $\mathbf h^{(t-1)}$: forget gate $\mathbf f^{(t)} = \sigma(\mathbf W_f\mathbf "
           r"x^{(t)} "
           r"+ \mathbf U_f\mathbf h^{(t-1)} + \mathbf b_f)$ (how much of the old cell to keep); input gate "
           r"$\mathbf i^{(t)} = \sigma(\mathbf W_i\mathbf x^{(t)} + \mathbf U_i\mathbf h^{(t-1)} + \mathbf b_i)$ "
           r"(how much "
           r"new content to write); candidate cell $\mathbf g^{(t)} = \tanh(\mathbf W_c\mathbf x^{(t)} + "
           r"\mathbf U_c\mathbf h^{(t-1)} + \mathbf b_c)$; output gate $\mathbf o^{(t)} = \sigma(\mathbf W_o"
           r"\mathbf x^{(t)} + \mathbf U_o\mathbf h^{(t-1)} + \mathbf b_o)$ (how much of the cell to expose); cell "
           r"update $\mathbf c^{(t)} = \mathbf f^{(t)} \odot \mathbf c^{(t-1)} + \mathbf i^{(t)} \odot \mathbf "
           r"g^{(t)}$; "
           r"hidden state $\mathbf h^{(t)} = \mathbf o^{(t)} \odot \tanh(\mathbf c^{(t)})$. As in eq. (4), the output "
           r"is $\mathbf a^{(t)} = \mathbf V\mathbf h^{(t)} + \mathbf d$, $\mathbf y^{(t)} = "
           r"\operatorname{softmax}(\mathbf a^{(t)})$, with $\mathbf h^{(0)}, \mathbf c^{(0)}$ given (usually "
           r"$\mathbf 0$). Parameters, shared over all time steps: the input weights $\mathbf W_f, \mathbf W_i, "
           r"\mathbf W_o, \mathbf W_c \in \mathbb R^{H\times n}$, the recurrent weights $\mathbf U_f, \mathbf U_i, "
           r"\mathbf U_o, \mathbf U_c \in \mathbb R^{H\times H}$, the biases $\mathbf b_f, \mathbf b_i, \mathbf b_o, "
           r"\mathbf b_c \in \mathbb R^H$, and the output layer $\mathbf V \in \mathbb R^{K\times H}$, "
           r"$\mathbf d \in \mathbb R^K$: $4H(n + H + 1) + K(H + 1)$ numbers in all.",
    why="definitions and a list of parameters; the gradients they lead to are checked in 4(ii)",
)

lstm_no_vanishing = Prose(
    id="lstm-no-vanishing",
    title="LSTM: why the cell path does not vanish",
    sheet=SHEET,
    problem="4(iii)",
    question=r"Show how the LSTM does not suffer from vanishing gradients, unlike the vanilla RNN.",
    answer=r"In the RNN, the error reaching step $k$ from step $t$ is multiplied by "
           r"$\prod_{s=k+1}^{t}\operatorname{diag}(1 - \mathbf h^{(s)}\odot\mathbf h^{(s)})\,\mathbf U$ "
           r"(problem 3): the same matrix and a squashing derivative $\le 1$ at every step, so its norm behaves like "
           r"$(\gamma\|\mathbf U\|)^{t-k}$. In the LSTM the cell state is updated additively, "
           r"$\mathbf c^{(t)} = \mathbf f^{(t)}\odot\mathbf c^{(t-1)} + \mathbf i^{(t)}\odot\mathbf g^{(t)}$, so the "
           r"backward recursion contains the term $\delta_c^{(t)} \mathrel{+}= \delta_c^{(t+1)}\odot\mathbf f^{(t+1)}$ "
           r"and, along the cell path, $\partial\mathbf c^{(t)}/\partial\mathbf c^{(k)} = "
           r"\operatorname{diag}(\prod_{s=k+1}^{t}\mathbf f^{(s)})$ (entries lstm-cell-jacobian and "
           r"lstm-cell-path-product). No weight matrix and no $\tanh'$ factor appears on this path: the error is "
           r"rescaled only by the forget gates, which the network learns and which can stay close to 1 (forget-gate "
           r"biases are commonly initialised positive for this reason), so $\delta_c$ can be carried over many "
           r"steps nearly unchanged (the constant error carousel; with $\mathbf f = \mathbf 1$ exactly, "
           r"$\partial\mathbf c^{(t)}/\partial\mathbf c^{(k)} = \mathbf I$). From the cell, the error enters each "
           r"step's gates and inputs locally through $\delta_f, \delta_i, \delta_g$ (4(ii)), so the gradients of "
           r"the parameters at distant steps do not shrink geometrically in $t - k$. Vanishing happens only when the "
           r"network itself chooses to forget ($\mathbf f \approx \mathbf 0$), which is then the intended behaviour. "
           r"The other paths, through $\mathbf h^{(t-1)}$ into the gates, still contain $\mathbf U_q$ and can vanish "
           r"like the RNN's, but they add to the cell path instead of multiplying it. (Exploding gradients are not "
           r"removed by the LSTM; clipping is still used.)",
    why="an explanation; its two Jacobian identities are checked by lstm-cell-jacobian and lstm-cell-path-product",
)
