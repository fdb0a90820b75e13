"""Sheet 004, problem 1: backpropagation for an L-layer MLP (eqs. 1–3).

Layer l computes z^(l) = W^(l) h^(l-1) + b^(l), h^(l) = f^(l)(z^(l)), and the
output is y = softmax(z^(L)).  J (eq. 2) is the cross-entropy summed over a
minibatch plus λ‖Θ‖², Θ the stacked vec(W^(l)), so ‖Θ‖² = Σ_l ‖W^(l)‖_F².

The local rules (i)–(iv) are checked one layer at a time with an upstream
gradient: J depends on the layer's input only through its output, so ∂J/∂input
is the vector-Jacobian product of the layer with ∂J/∂output, which is exactly
what ``Gradient(upstream=...)`` differentiates.  Problem 1(v) then checks the
whole algorithm against J itself on a three-layer network and a minibatch of
two examples.

Targets: the derivation of (iv) uses only Σ_k t_k = 1, so the target is a
probability vector; a one-hot t is the special case of a vertex of the simplex,
and ∂J/∂z is linear in t, so the identity extends to it.
"""

import numpy as np
import sympy

from symcheck import Claim, Entry, Gradient, Index, Notation, Prose, Size, chain, define, domains, matrix, scalar, \
    vector

SHEET = "004_1638b43a4d4b0ea1"



# -- notation for one layer l -----------------------------------------------------
N = Size("n", small=(2, 3), random=(2, 5), latex="n_l")
M = Size("m", small=(2, 3), random=(2, 5), latex="n_{l-1}")
I_N = Index("i", 1, "n")
K_N = Index("k", 1, "n")
J_M = Index("j", 1, "m")

DELTA_H = r"\delta_h^{(l)}"
DELTA_Z = r"\delta_z^{(l)}"


def _activation_notation(z_domain=domains.real, definitions=()):
    return Notation(variables=[vector("z", "n", r"\mathbf{z}^{(l)}", z_domain, doc="pre-activation of layer l"),
                               vector("dh", "n", DELTA_H, doc="∂J/∂h^(l), from the layer above")],
                    definitions=list(definitions), sizes=[N], indices=[I_N, K_N])


mlp_delta_z_sigmoid = Entry(
    id="mlp-delta-z-sigmoid",
    title="MLP backprop: δ_z from δ_h through a smooth activation (sigmoid)",
    sheet=SHEET,
    problem="1(i)",
    question=r"Express $\delta_z^{(l)} = \partial J/\partial \mathbf z^{(l)}$ through $\delta_h^{(l)}$ and "
             r"$f^{(l)\prime}$ for $\mathbf h^{(l)} = f^{(l)}(\mathbf z^{(l)})$ applied entrywise; here "
             r"$f^{(l)} = \sigma$, the logistic function, with $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.",
    # the chain rule's local derivatives, in the sheet's notation: f = σ here, and ∂z_k/∂z_i = δ_ki
    notation=_activation_notation(definitions=[
        define("dfz", "sigma(z[k])*(1 - sigma(z[k]))", r"f^{(l)\prime}(z_k^{(l)})", params=("k",)),
        define("dzdz", "delta(k, i)", r"\frac{\partial z_k^{(l)}}{\partial z_i^{(l)}}", params=("k", "i"))]),
    asks=Gradient(forward="sigma(z)", wrt="z", upstream="dh", index=("i",),
                  oracle=lambda z: 1.0 / (1.0 + np.exp(-z))),
    claims=chain(
        Claim("Sum(dh[k]*sigma(z[k])*(1 - sigma(z[k]))*delta(k, i), k)",
              r"\sum_k \delta_{h,k}^{(l)} f^{(l)\prime}(z_k^{(l)}) \frac{\partial z_k^{(l)}}{\partial z_i^{(l)}}",
              source="answer"),
        Claim("dh[i]*sigma(z[i])*(1 - sigma(z[i]))", r"\delta_{h,i}^{(l)} \sigma(z_i^{(l)})(1 - \sigma(z_i^{(l)}))",
              source="answer"),
        Claim("hadamard(dh, sigma(z)) - hadamard(dh, sigma(z), sigma(z))",
              DELTA_H + r" \odot f^{(l)\prime}(\mathbf z^{(l)}) = " + DELTA_H +
              r" \odot \sigma(\mathbf z^{(l)}) \odot (1 - \sigma(\mathbf z^{(l)}))", source="answer"),
    ),
    answer=r"$h_k^{(l)} = f^{(l)}(z_k^{(l)})$ depends on $z_i^{(l)}$ only for $k = i$, so the Jacobian "
           r"$\partial \mathbf h^{(l)}/\partial \mathbf z^{(l)}$ is $\operatorname{diag}(f^{(l)\prime}(\mathbf "
           r"z^{(l)}))$ "
           r"and the chain rule $\delta_{z,i}^{(l)} = \sum_k \delta_{h,k}^{(l)}\, \partial h_k^{(l)}/\partial "
           r"z_i^{(l)}$ "
           r"collapses to $\delta_z^{(l)} = \delta_h^{(l)} \odot f^{(l)\prime}(\mathbf z^{(l)})$. The check uses "
           r"$f = \sigma$; the same one-line argument holds for any differentiable entrywise $f$ (tanh is checked in "
           r"the next entry).",
)

mlp_delta_z_tanh = Entry(
    id="mlp-delta-z-tanh",
    title="MLP backprop: δ_z from δ_h through tanh",
    sheet=SHEET,
    problem="1(i)",
    question=r"The rule $\delta_z^{(l)} = \delta_h^{(l)} \odot f^{(l)\prime}(\mathbf z^{(l)})$ for "
             r"$f^{(l)} = \tanh$, whose derivative is $1 - \tanh^2$ (used by 1(v) and the RNN of problem 2).",
    notation=_activation_notation(definitions=[define("h", "tanh(z)", r"\mathbf{h}^{(l)}", shape=("n",))]),
    asks=Gradient(forward="tanh(z)", wrt="z", upstream="dh", index=("i",), oracle=lambda z: np.tanh(z)),
    claims=[
        Claim("dh[i]*(1 - tanh(z[i])**2)", r"\delta_{h,i}^{(l)} (1 - \tanh^2(z_i^{(l)}))", source="answer"),
        Claim("dh - hadamard(dh, tanh(z), tanh(z))",
              DELTA_H + r" \odot (1 - \mathbf h^{(l)} \odot \mathbf h^{(l)})", source="answer", label="vector form"),
    ],
    answer=r"With $f = \tanh$, $f'(z) = 1 - \tanh^2(z)$, so $\delta_z^{(l)} = \delta_h^{(l)} \odot "
           r"(1 - \mathbf h^{(l)} \odot \mathbf h^{(l)})$: the derivative is read off the stored activations.",
)

mlp_delta_z_relu = Entry(
    id="mlp-delta-z-relu",
    title="MLP backprop: δ_z from δ_h through ReLU",
    sheet=SHEET,
    problem="1(i)",
    question=r"When $f^{(l)}$ is ReLU, $\mathbf h^{(l)} = \max(\mathbf z^{(l)}, \mathbf 0)$, express "
             r"$\delta_z^{(l)}$ using $\delta_h^{(l)}$ (away from the kink $z_i^{(l)} = 0$).",
    notation=_activation_notation(domains.nonzero()),
    asks=Gradient(forward="relu(z)", wrt="z", upstream="dh", index=("i",), oracle=lambda z: np.maximum(z, 0.0)),
    claims=[
        Claim("dh[i]*indicator(z[i] > 0)", r"\delta_{h,i}^{(l)} \, \mathbb 1[z_i^{(l)} > 0]", source="answer"),
        Claim("hadamard(dh, indicator(z > 0))", DELTA_H + r" \odot \mathbb 1[\mathbf z^{(l)} > 0]",
              source="answer", label="vector form"),
    ],
    answer=r"ReLU's derivative is $1$ for $z > 0$ and $0$ for $z < 0$, so $\delta_z^{(l)} = \delta_h^{(l)} \odot "
           r"\mathbb 1[\mathbf z^{(l)} > 0]$: the gradient passes through the active units unchanged and is "
           r"blocked at the inactive ones. At $z = 0$ ReLU is not differentiable; any value in $[0, 1]$ is a "
           r"subgradient and implementations use $0$.",
)


def _layer_notation(extra=(), definitions=()):
    return Notation(variables=[matrix("W", "n", "m", r"\mathbf{W}^{(l)}"),
                               vector("h", "m", r"\mathbf{h}^{(l-1)}", doc="the layer's input"),
                               vector("b", "n", r"\mathbf{b}^{(l)}"),
                               vector("dz", "n", DELTA_Z, doc="∂J/∂z^(l)"), *extra],
                    definitions=list(definitions), sizes=[N, M], indices=[I_N, K_N, J_M])


def _affine(W, h, b):
    """z = W h + b, batch-friendly in whichever argument carries leading axes."""
    return np.einsum("...ij,...j->...i", W, h) + b


mlp_delta_h_prev = Entry(
    id="mlp-delta-h-prev",
    title="MLP backprop: δ_h of the layer below",
    sheet=SHEET,
    problem="1(ii)",
    question=r"Express $\delta_h^{(l-1)} = \partial J/\partial \mathbf h^{(l-1)}$ using $\delta_z^{(l)}$ and "
             r"$\mathbf W^{(l)}$, where $\mathbf z^{(l)} = \mathbf W^{(l)} \mathbf h^{(l-1)} + \mathbf b^{(l)}$.",
    notation=_layer_notation(),
    asks=Gradient(forward="W*h + b", wrt="h", upstream="dz", index=("j",), oracle=_affine),
    claims=chain(
        Claim("Sum(dz[k]*W[k, j], k)", r"\sum_{k} \delta_{z,k}^{(l)} W_{kj}^{(l)}", source="answer"),
        Claim("W.T*dz", r"\mathbf{W}^{(l)\top} \delta_z^{(l)}", source="answer"),
    ),
    answer=r"$z_k^{(l)} = \sum_j W_{kj}^{(l)} h_j^{(l-1)} + b_k^{(l)}$ gives $\partial z_k^{(l)}/\partial h_j^{(l-1)} "
           r"= W_{kj}^{(l)}$. $J$ depends on $\mathbf h^{(l-1)}$ only through $\mathbf z^{(l)}$ (the regulariser "
           r"does not involve activations), so $\delta_{h,j}^{(l-1)} = \sum_k \delta_{z,k}^{(l)} W_{kj}^{(l)}$, i.e. "
           r"$\delta_h^{(l-1)} = \mathbf W^{(l)\top} \delta_z^{(l)}$.",
)

mlp_dw_data = Entry(
    id="mlp-dw-data",
    title="MLP backprop: weight gradient of the data term",
    sheet=SHEET,
    problem="1(iii)",
    question=r"Write $\Delta \mathbf W^{(l)}$ for the data (cross-entropy) term of $J$ using $\delta_z^{(l)}$ and "
             r"$\mathbf h^{(l-1)}$, for one example.",
    notation=_layer_notation(),
    asks=Gradient(forward="W*h + b", wrt="W", upstream="dz", index=("k", "j"), oracle=_affine),
    claims=chain(
        Claim("dz[k]*h[j]", r"\delta_{z,k}^{(l)} h_j^{(l-1)}", source="answer"),
        Claim("dz*h.T", r"\delta_z^{(l)} \mathbf{h}^{(l-1)\top}", source="answer"),
    ),
    answer=r"$\partial z_{k'}^{(l)}/\partial W_{kj}^{(l)} = [k' = k]\, h_j^{(l-1)}$, so "
           r"$\partial J/\partial W_{kj}^{(l)} = \delta_{z,k}^{(l)} h_j^{(l-1)}$: the outer product "
           r"$\delta_z^{(l)} \mathbf h^{(l-1)\top}$. Over a minibatch the data term is a sum over examples, and so is "
           r"its gradient: $\sum_{(\mathbf x, \mathbf t)} \delta_z^{(l)} \mathbf h^{(l-1)\top}$, each term with that "
           r"example's $\delta_z^{(l)}$ and $\mathbf h^{(l-1)}$.",
)

mlp_db_data = Entry(
    id="mlp-db-data",
    title="MLP backprop: bias gradient",
    sheet=SHEET,
    problem="1(iii)",
    question=r"Write $\Delta \mathbf b^{(l)}$ using $\delta_z^{(l)}$, for one example.",
    notation=_layer_notation(),
    asks=Gradient(forward="W*h + b", wrt="b", upstream="dz", index=("k",), oracle=_affine),
    claims=[Claim("dz", r"\delta_z^{(l)}", source="answer")],
    answer=r"$\partial z_{k'}^{(l)}/\partial b_k^{(l)} = [k' = k]$, so $\Delta\mathbf b^{(l)} = \delta_z^{(l)}$ "
           r"(summed over the minibatch). $\Theta$ stacks only the weight matrices, so the biases are not "
           r"regularised and this is also the gradient of the full $J$.",
)

# The full J at layer l: J depends on W^(l) through z^(l) (the data term, whose
# gradient there is δ_z^(l)) and through λ‖Θ‖² = λ Σ_l' ‖W^(l')‖_F².  With δ_z^(l)
# held fixed, dzᵀ(W h + b) reproduces the data term's gradient exactly; Wo stands
# for any other layer's weights, which the regulariser also contains.
REGULARISED = "dz.T*(W*h + b) + lam*(trace(W.T*W) + trace(Wo.T*Wo))"
LAM = scalar("lam", r"\lambda", domains.positive, doc="weight of the L2 term")
WO = matrix("Wo", "m", "m", r"\mathbf{W}^{(l')}", doc="the weights of another layer l' ≠ l")


def _regularised(W, h, b, dz, lam, Wo):
    return (dz * _affine(W, h, b)).sum(-1) + lam * ((W**2).sum((-2, -1)) + (Wo**2).sum((-2, -1)))


def _regularised_b(b, W, h, dz, lam, Wo):
    return _regularised(W, h, b, dz, lam, Wo)


mlp_dw_regularised = Entry(
    id="mlp-dw-regularised",
    title="MLP backprop: weight gradient of the L2-regularised J",
    sheet=SHEET,
    problem="1(iii)",
    question=r"With $J$ of eq. (2), which includes $\lambda\|\Theta\|^2 = \lambda \sum_{l'} "
             r"\|\operatorname{vec}\mathbf W^{(l')}\|^2$, write $\Delta \mathbf W^{(l)}$.",
    # the derivative of the regulariser's block of layer l, as step 1 writes it, is 2 W^(l)
    notation=_layer_notation([LAM, WO], [
        define("dreg", "2*W", r"\frac{\partial}{\partial \mathbf W^{(l)}} \sum_{i,j} (W_{ij}^{(l)})^2",
               shape=("n", "m"))]),
    asks=Gradient(forward=REGULARISED, wrt="W", oracle=_regularised),
    claims=chain(
        Claim("dz*h.T + lam*2*W", r"\delta_z^{(l)} \mathbf{h}^{(l-1)\top} + \lambda \frac{\partial}{\partial "
                                  r"\mathbf W^{(l)}} \sum_{i,j} (W_{ij}^{(l)})^2", source="answer"),
        Claim("dz*h.T + 2*lam*W", r"\delta_z^{(l)} \mathbf{h}^{(l-1)\top} + 2\lambda \mathbf{W}^{(l)}",
              source="answer"),
    ),
    answer=r"$\|\Theta\|^2 = \sum_{l'} \sum_{i,j} (W_{ij}^{(l')})^2$; only the $l' = l$ block depends on "
           r"$\mathbf W^{(l)}$, with gradient $2\mathbf W^{(l)}$. Adding the data term of the previous entry: "
           r"$\Delta\mathbf W^{(l)} = \sum_{(\mathbf x, \mathbf t)} \delta_z^{(l)} \mathbf h^{(l-1)\top} + "
           r"2\lambda \mathbf W^{(l)}$ (the decay term is added once per minibatch, not once per example).",
)

mlp_db_regularised = Entry(
    id="mlp-db-regularised",
    title="MLP backprop: the bias gradient is unchanged by the L2 term",
    sheet=SHEET,
    problem="1(iii)",
    question=r"With $J$ of eq. (2), write $\Delta \mathbf b^{(l)}$ ($\Theta$ contains only the weight matrices).",
    notation=_layer_notation([LAM, WO]),
    asks=Gradient(forward=REGULARISED, wrt="b", oracle=_regularised_b),
    claims=[Claim("dz", r"\delta_z^{(l)}", source="answer")],
    answer=r"$\lambda\|\Theta\|^2$ does not involve $\mathbf b^{(l)}$, so $\Delta \mathbf b^{(l)} = \delta_z^{(l)}$, "
           r"summed over the minibatch.",
)

# -- (iv) the output layer ------------------------------------------------------
KO = Size("K", small=(2, 3), random=(2, 6))


def _cross_entropy(z, t):
    """−tᵀ log softmax(z), via a stable log-sum-exp."""
    top = z.max(axis=-1, keepdims=True)
    log_y = z - top - np.log(np.exp(z - top).sum(axis=-1, keepdims=True))
    return -(t * log_y).sum(axis=-1)


mlp_output_delta = Entry(
    id="mlp-output-delta",
    title="MLP backprop: δ_z at the softmax output under cross-entropy",
    sheet=SHEET,
    problem="1(iv)",
    question=r"Derive $\delta_z^{(L)}$ at the output layer, $\mathbf y = \operatorname{softmax}(\mathbf z^{(L)})$, "
             r"for one example's term $-\mathbf t^\top \ln \mathbf y$ of eq. (2).",
    notation=Notation(variables=[vector("z", "K", r"\mathbf{z}^{(L)}", doc="output pre-activation"),
                                 vector("t", "K", r"\mathbf{t}", domains.probability,
                                        doc="target: one-hot, or any vector on the simplex")],
                      definitions=[define("y", "softmax(z)", r"\mathbf{y}", shape=("K",))],
                      sizes=[KO], indices=[Index("k", 1, "K"), Index("j", 1, "K")]),
    asks=Gradient(forward="-t.T*log(softmax(z))", wrt="z", index=("k",), oracle=_cross_entropy),
    claims=chain(
        Claim("-t[k] + Sum(t[j], j)*exp(z[k])/Sum(exp(z[j]), j)",
              r"-t_k + \Big(\sum_j t_j\Big) \frac{\exp(z_k^{(L)})}{\sum_j \exp(z_j^{(L)})}", source="answer"),
        Claim("exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"y_k - t_k", source="answer"),
        Claim("softmax(z) - t", r"\mathbf{y} - \mathbf{t}", source="answer"),
    ),
    answer=r"$-\mathbf t^\top \ln \mathbf y = -\sum_j t_j z_j^{(L)} + \big(\sum_j t_j\big) \ln \sum_m "
           r"\exp(z_m^{(L)})$. Differentiating in $z_k^{(L)}$ gives $-t_k + (\sum_j t_j)\, y_k$, and "
           r"$\sum_j t_j = 1$ for a one-hot (or any probability) target, so $\delta_z^{(L)} = \mathbf y - \mathbf t$. "
           r"The regulariser does not depend on $\mathbf z^{(L)}$. $J$ sums over the minibatch and each "
           r"$\mathbf z^{(L)}$ belongs to one example, so each example has its own "
           r"$\delta_z^{(L)} = \mathbf y - \mathbf t$; the sum over examples appears in the parameter gradients.",
)

# -- (v) the whole algorithm on a three-layer MLP, minibatch of two --------------
# Widths: input n0, hidden n1 and n2, output K.  The examples are (x_1, t_1), (x_2, t_2)
# (names xa, ta and xb, tb); hidden activations are tanh (smooth, so finite
# differences never straddle a kink; ReLU only changes f' as in 1(i)).
# The proof runs at input width 1 (the exact cross-examination of a proof, one
# 50-digit evaluation per gradient entry, dominates the time); the numeric check
# adds two random sizes with every width in 2..4.
N0 = Size("n0", small=(1,), random=(2, 4), latex="n_0")
N1 = Size("n1", small=(2,), random=(2, 4), latex="n_1")
N2 = Size("n2", small=(2,), random=(2, 4), latex="n_2")
NK = Size("K", small=(2,), random=(2, 4))

# Moderate weights keep tanh out of saturation: there the gradients of the first
# layer are tiny next to J, and finite differences lose digits.
PARAM = domains.Real(-1.0, 1.0)
MLP_VARIABLES = [
    matrix("W1", "n1", "n0", r"\mathbf{W}^{(1)}", PARAM), vector("b1", "n1", r"\mathbf{b}^{(1)}", PARAM),
    matrix("W2", "n2", "n1", r"\mathbf{W}^{(2)}", PARAM), vector("b2", "n2", r"\mathbf{b}^{(2)}", PARAM),
    matrix("W3", "K", "n2", r"\mathbf{W}^{(3)}", PARAM), vector("b3", "K", r"\mathbf{b}^{(3)}", PARAM),
    vector("xa", "n0", r"\mathbf{x}_1"), vector("xb", "n0", r"\mathbf{x}_2"),
    vector("ta", "K", r"\mathbf{t}_1", domains.probability), vector("tb", "K", r"\mathbf{t}_2", domains.probability),
    scalar("lam", r"\lambda", domains.interval(0.01, 1.0), doc="weight of the L2 term"),
]


def _mlp_definitions():
    out = []
    for e, k in (("a", "1"), ("b", "2")):
        shapes = {"1": ("n1",), "2": ("n2",), "3": ("K",)}
        out += [
            # forward pass, eq. (1)
            define(f"z1{e}", f"W1*x{e} + b1", rf"\mathbf{{z}}_{k}^{{(1)}}", shape=shapes["1"]),
            define(f"h1{e}", f"tanh(z1{e})", rf"\mathbf{{h}}_{k}^{{(1)}}", shape=shapes["1"]),
            define(f"z2{e}", f"W2*h1{e} + b2", rf"\mathbf{{z}}_{k}^{{(2)}}", shape=shapes["2"]),
            define(f"h2{e}", f"tanh(z2{e})", rf"\mathbf{{h}}_{k}^{{(2)}}", shape=shapes["2"]),
            define(f"z3{e}", f"W3*h2{e} + b3", rf"\mathbf{{z}}_{k}^{{(3)}}", shape=shapes["3"]),
            # backward pass: (iv), then (ii) and (i) alternately.  δ_h ⊙ (1 − h ⊙ h) is
            # written δ_h − δ_h ⊙ h ⊙ tanh(z): SymPy folds hadamard(g, h, h) under a
            # minus sign into HadamardPower(h, 2), which the evaluator cannot evaluate.
            define(f"d3{e}", f"softmax(z3{e}) - t{e}", rf"\delta_{{z,{k}}}^{{(3)}}", shape=shapes["3"]),
            define(f"g2{e}", f"W3.T*d3{e}", rf"\delta_{{h,{k}}}^{{(2)}}", shape=shapes["2"]),
            define(f"d2{e}", f"g2{e} - hadamard(g2{e}, h2{e}, tanh(z2{e}))", rf"\delta_{{z,{k}}}^{{(2)}}",
                   shape=shapes["2"]),
            define(f"g1{e}", f"W2.T*d2{e}", rf"\delta_{{h,{k}}}^{{(1)}}", shape=shapes["1"]),
            define(f"d1{e}", f"g1{e} - hadamard(g1{e}, h1{e}, tanh(z1{e}))", rf"\delta_{{z,{k}}}^{{(1)}}",
                   shape=shapes["1"]),
        ]
    return out


MLP_NOTATION = Notation(variables=MLP_VARIABLES, definitions=_mlp_definitions(), sizes=[N0, N1, N2, NK],
                        indices=[Index("k", 1, "K"), Index("j", 1, "K")])

# J of eq. (2) for this network: cross-entropy of the softmax output summed over
# the minibatch, plus λ‖Θ‖² with ‖Θ‖² = Σ_l ‖vec W^(l)‖² = Σ_l tr(W^(l)ᵀ W^(l)).
# −tᵀ ln softmax(z) is written entrywise with ln softmax(z)_k = z_k − ln Σ_j exp(z_j)
# (the log-sum-exp form every implementation uses).  The matrix form
# −t.T*log(softmax(z)) cannot be used here: it is a 1×1 matrix, and adding the
# scalar regulariser makes the parser take its entry [0, 0], which Softmax does not
# implement.  The entrywise log of exp(z_k)/Σ_j exp(z_j) also works, but leaves
# exp(z_k) in denominators and makes the proofs about ten times slower.
MLP_J = ("-Sum(ta[k]*(z3a[k] - log(Sum(exp(z3a[j]), j))), k) - Sum(tb[k]*(z3b[k] - log(Sum(exp(z3b[j]), j))), k)"
         " + lam*(trace(W1.T*W1) + trace(W2.T*W2) + trace(W3.T*W3))")


def _mlp_j(W1, b1, W2, b2, W3, b3, xa, xb, ta, tb, lam):
    """An independent NumPy MLP: J of eq. (2); any argument may carry leading axes."""
    def layer(W, v, b):
        return np.einsum("...ij,...j->...i", W, v) + b

    data = 0.0
    for x, t in ((xa, ta), (xb, tb)):
        out = layer(W3, np.tanh(layer(W2, np.tanh(layer(W1, x, b1)), b2)), b3)
        top = out.max(axis=-1, keepdims=True)
        log_y = out - top - np.log(np.exp(out - top).sum(axis=-1, keepdims=True))
        data = data - (t * log_y).sum(axis=-1)
    weights = sum((W**2).sum(axis=(-2, -1)) for W in (W1, W2, W3))
    return data + lam * weights


MLP_QUESTION = (r"For $L = 3$ (tanh hidden layers, softmax output) and the minibatch "
                r"$\{(\mathbf x_1, \mathbf t_1), (\mathbf x_2, \mathbf t_2)\}$, the backward recursion "
                r"$\delta_z^{(3)} = \mathbf y - \mathbf t$, $\delta_h^{(l-1)} = \mathbf W^{(l)\top}\delta_z^{(l)}$, "
                r"$\delta_z^{(l)} = \delta_h^{(l)} \odot (1 - \mathbf h^{(l)} \odot \mathbf h^{(l)})$, run per "
                r"example, "
                r"gives the gradient of $J$ (eq. 2) with respect to ")


def _mlp_entry(ident, wrt, what, text, latex, answer):
    return Entry(
        id=ident,
        title=f"MLP backprop, full algorithm: {what}",
        sheet=SHEET,
        problem="1(v)",
        question=MLP_QUESTION + "$" + latex.split("=")[0].replace(r"\Delta", "").strip() + "$, namely $" +
                 latex.split("=")[0].strip() + "$.",
        notation=MLP_NOTATION,
        asks=Gradient(forward=MLP_J, wrt=wrt, oracle=_mlp_j),
        claims=[Claim(text, latex, source="answer")],
        answer=answer,
    )


mlp3_dw3 = _mlp_entry(
    "mlp3-dw3", "W3", "ΔW⁽³⁾",
    "d3a*h2a.T + d3b*h2b.T + 2*lam*W3",
    r"\Delta\mathbf W^{(3)} = \delta_{z,1}^{(3)} \mathbf h_1^{(2)\top} + \delta_{z,2}^{(3)} \mathbf h_2^{(2)\top} "
    r"+ 2\lambda \mathbf W^{(3)}",
    r"Rule (iii) with the output deltas of (iv), summed over the two examples, plus the decay $2\lambda\mathbf "
    r"W^{(3)}$.")

mlp3_dw2 = _mlp_entry(
    "mlp3-dw2", "W2", "ΔW⁽²⁾",
    "d2a*h1a.T + d2b*h1b.T + 2*lam*W2",
    r"\Delta\mathbf W^{(2)} = \delta_{z,1}^{(2)} \mathbf h_1^{(1)\top} + \delta_{z,2}^{(2)} \mathbf h_2^{(1)\top} "
    r"+ 2\lambda \mathbf W^{(2)}",
    r"$\delta_z^{(2)}$ comes from $\delta_z^{(3)}$ by (ii) then (i): $\delta_z^{(2)} = (\mathbf W^{(3)\top} "
    r"\delta_z^{(3)}) \odot (1 - \mathbf h^{(2)} \odot \mathbf h^{(2)})$, per example; then (iii) and the decay.")

mlp3_dw1 = _mlp_entry(
    "mlp3-dw1", "W1", "ΔW⁽¹⁾",
    "d1a*xa.T + d1b*xb.T + 2*lam*W1",
    r"\Delta\mathbf W^{(1)} = \delta_{z,1}^{(1)} \mathbf x_1^\top + \delta_{z,2}^{(1)} \mathbf x_2^\top "
    r"+ 2\lambda \mathbf W^{(1)}",
    r"One more step of the recursion, $\delta_z^{(1)} = (\mathbf W^{(2)\top}\delta_z^{(2)}) \odot "
    r"(1 - \mathbf h^{(1)} \odot \mathbf h^{(1)})$; the input of layer 1 is $\mathbf h^{(0)} = \mathbf x$.")

mlp3_db1 = _mlp_entry(
    "mlp3-db1", "b1", "Δb⁽¹⁾",
    "d1a + d1b",
    r"\Delta\mathbf b^{(1)} = \delta_{z,1}^{(1)} + \delta_{z,2}^{(1)}",
    r"Biases are not in $\Theta$: $\Delta\mathbf b^{(l)}$ is the sum of the examples' $\delta_z^{(l)}$, with no "
    r"decay term.")

mlp_backprop_algorithm = Prose(
    id="mlp-backprop-algorithm",
    title="MLP backprop: the full minibatch algorithm",
    sheet=SHEET,
    problem="1(v)",
    question=r"Combining (i)–(iv), describe the full backpropagation algorithm for the $L$-layer MLP under "
             r"minibatch stochastic gradient descent.",
    answer=r"For each minibatch $\mathcal D$: set $\Delta\mathbf W^{(l)} = \mathbf 0$, $\Delta\mathbf b^{(l)} = "
           r"\mathbf 0$. "
           r"For each $(\mathbf x, \mathbf t) \in \mathcal D$: "
           r"(1) forward pass: $\mathbf h^{(0)} = \mathbf x$, $\mathbf z^{(l)} = \mathbf W^{(l)}\mathbf h^{(l-1)} + "
           r"\mathbf b^{(l)}$, $\mathbf h^{(l)} = f^{(l)}(\mathbf z^{(l)})$ for $l = 1, \dots, L-1$, "
           r"$\mathbf z^{(L)} = \mathbf W^{(L)}\mathbf h^{(L-1)} + \mathbf b^{(L)}$, $\mathbf y = "
           r"\operatorname{softmax}(\mathbf z^{(L)})$, storing every $\mathbf z^{(l)}$ and $\mathbf h^{(l)}$; "
           r"(2) output error (iv): $\delta_z^{(L)} = \mathbf y - \mathbf t$; "
           r"(3) for $l = L, \dots, 1$: accumulate (iii) $\Delta\mathbf W^{(l)} \mathrel{+}= \delta_z^{(l)}"
           r"\mathbf h^{(l-1)\top}$, $\Delta\mathbf b^{(l)} \mathrel{+}= \delta_z^{(l)}$, and if $l > 1$ propagate "
           r"(ii) $\delta_h^{(l-1)} = \mathbf W^{(l)\top}\delta_z^{(l)}$ and (i) $\delta_z^{(l-1)} = "
           r"\delta_h^{(l-1)} \odot f^{(l-1)\prime}(\mathbf z^{(l-1)})$ (for ReLU, $\odot\, \mathbb 1[\mathbf "
           r"z^{(l-1)} "
           r"> 0]$). After the minibatch add the regulariser's gradient once: $\Delta\mathbf W^{(l)} \mathrel{+}= "
           r"2\lambda\mathbf W^{(l)}$ (biases are not in $\Theta$). Update $\mathbf W^{(l)} \leftarrow "
           r"\mathbf W^{(l)} - \eta\,\Delta\mathbf W^{(l)}$, $\mathbf b^{(l)} \leftarrow \mathbf b^{(l)} - "
           r"\eta\,\Delta\mathbf b^{(l)}$ with learning rate $\eta$, and move to the next minibatch. "
           r"In matrix form, with the $m$ examples as the columns of $\mathbf H^{(0)} = \mathbf X$ and "
           r"$\mathbf T$: $\Delta_Z^{(L)} = \mathbf Y - \mathbf T$, $\Delta\mathbf W^{(l)} = \Delta_Z^{(l)} "
           r"\mathbf H^{(l-1)\top} + 2\lambda\mathbf W^{(l)}$, $\Delta\mathbf b^{(l)} = \Delta_Z^{(l)}\mathbf 1$, "
           r"$\Delta_Z^{(l-1)} = (\mathbf W^{(l)\top}\Delta_Z^{(l)}) \odot f^{(l-1)\prime}(\mathbf Z^{(l-1)})$. "
           r"The entries mlp3-dw3, mlp3-dw2, mlp3-dw1 and mlp3-db1 check this recursion against "
           r"$J$ itself for $L = 3$ and a minibatch of two.",
    why="an algorithm, stated in prose; its formulas are checked by the 1(v) entries",
)
