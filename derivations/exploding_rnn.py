"""Sheet 001, sections 4 and 5: exploding and vanishing gradients in RNNs.

4 (exploding RNN).  A scalar RNN with the shifted logistic φ(z) = σ(z) − 0.5:
z^t = w h^{(t)}, h^{(t+1)} = φ(z^t) (the input enters at the first step only).
At x = 0 every h^{(t)} = 0 and z^t = 0, so each backward step multiplies the
gradient by φ'(0) w = w/4.  The oracles simulate the RNN in NumPy at x = 0 and
measure the per-step gain of ∂h^{(T)}/∂h^{(1)} by the complex-step derivative
(exact to rounding), never using φ'.

5 (more exploding RNN).  z_{t+1} = W_t h_t + V_t x_{t+1}, h_{t+1} = φ(z_{t+1}),
D_{k+1} = Diag(φ'(z_{k+1})), gradients are row vectors.  Checked over T − t = 2
steps (h_t = h0, h_{t+1} = h1, h_T = h2) with n = 2 units, φ = tanh (5(a)–(c))
and φ = ReLU (5(d)).  Norms: the Euclidean norm of a vector and the operator
2-norm of a matrix, as the sheet defines them.  The bounds are checked as
bounds: at 600 random points per size plus an adversarial search, against the
true gradient norm from a NumPy RNN (finite differences).
"""
import numpy as np

from ._layers import Signed
from symcheck import Claim, Entry, Gradient, Index, Notation, Optimum, Size, Value, chain, define, domains, matrix, \
    scalar, vector
from symcheck.gradcheck import numeric_gradient

SHEET = "001_40bb9e3d6bfa7e9d"
DL = r"\frac{\delta l}{\delta h^{(t)}}"
DLN = r"\frac{\delta l}{\delta h^{(t+1)}}"

# -- 4: the scalar RNN with φ(z) = σ(z) − 0.5 ---------------------------------------------------

RNN4_QUESTION = (r"An RNN has a scalar input at the first time step, a scalar prediction at the last, and the shifted "
                 r"logistic activation $\phi(z) = \sigma(z) - 0.5$; $z^t$ is the input of the activation at time $t$: "
                 r"$z^t = w h^{(t)}$, $h^{(t+1)} = \phi(z^t)$.")


def _phi(z):
    return 1.0 / (1.0 + np.exp(-z)) - 0.5


phi_derivative = Entry(
    id="shifted-logistic-derivative",
    title="Exploding RNN: the derivative of φ(z) = σ(z) − 0.5",
    sheet=SHEET,
    problem="4(a)",
    question=r"For $\phi(z) = \sigma(z) - 0.5$, give $\phi'(z)$ (used in the backward pass of 4(a)–(c)).",
    notation=Notation(variables=[scalar("z", "z")]),
    asks=Gradient(forward="sigma(z) - 1/2", wrt="z", oracle=_phi),
    claims=[Claim("sigma(z)*(1 - sigma(z))", r"\phi'(z) = \sigma(z)(1 - \sigma(z))", source="answer",
                  note="The shift does not change the derivative; φ'(0) = σ'(0) = 1/4, the fact the question gives.")],
)

DPHI = define("dphi", "sigma(z)*(1 - sigma(z))", r"\phi'(z^t)", checked_by="shifted-logistic-derivative")


def _rnn4_notation():
    return Notation(variables=[scalar("h", r"h^{(t)}"), scalar("w", "w"), scalar("dldhn", DLN)],
                    definitions=[define("z", "w*h", "z^t"), DPHI])


backward_step = Entry(
    id="exploding-rnn-backward-step",
    title="Exploding RNN: one step of the backward pass",
    sheet=SHEET,
    problem="4(a)",
    question=RNN4_QUESTION + r" Write $\delta l/\delta h^{(t)}$ in terms of $\delta l/\delta h^{(t+1)}$ for $t < T$.",
    reading="The figure is not in the text; the recurrence z^t = w h^{(t)}, h^{(t+1)} = φ(z^t) is the one the "
            "sheet's answers use. φ'(z^t) is a definition checked against shifted-logistic-derivative.",
    notation=_rnn4_notation(),
    asks=Gradient(forward="sigma(w*h) - 1/2", wrt="h", upstream="dldhn", oracle=lambda h, w: _phi(w * h)),
    claims=[Claim("dldhn*dphi*w", DL + " = " + DLN + r" \phi'(z^t) w")],
)


def _gain_at_zero(w, steps, residual=False):
    """The per-step gain of the RNN started at x = 0 (so h = 0 throughout): the complex-step derivative of
    h^{(steps+1)} with respect to h^{(1)}, then its steps-th root (real, keeping the sign)."""
    eps = 1e-30
    h = 0.0 + 1j * eps
    for _ in range(steps):
        h = 1.0 / (1.0 + np.exp(-w * h)) - 0.5 + (h if residual else 0.0)
    return float(np.cbrt(h.imag / eps)) if steps == 3 else float(np.sign(h.imag) * abs(h.imag / eps) ** (1 / steps))


threshold = Entry(
    id="exploding-rnn-threshold",
    title="Exploding RNN: the threshold α between vanishing and exploding",
    sheet=SHEET,
    problem="4(b)",
    question=RNN4_QUESTION + r" The input is $x = 0$, so $h^{(t)} = 0$ for all $t$. Determine $\alpha$ such that the "
                             r"gradient vanishes for $w < \alpha$ and explodes for $w > \alpha$ ($\sigma'(0) = 0.25$).",
    reading="The sheet's criterion: the gradient is stable when δl/δh^{(t)} = δl/δh^{(t+1)}, i.e. φ'(0) w = 1. The "
            "reference minimises (φ'(0) w − 1)² (φ'(0) = σ(0)(1 − σ(0))); the oracle minimises (g − 1)² with g the "
            "per-step gain measured on the NumPy RNN at x = 0 over 3 steps.",
    notation=Notation(variables=[scalar("w", "w")]),
    asks=Optimum(objective="(sigma(0)*(1 - sigma(0))*w - 1)**2", over="w",
                 oracle=lambda w: (_gain_at_zero(float(w), 3) - 1.0) ** 2),
    claims=[Claim("4", r"\alpha = 4", note="The sheet prints 'w = α = 4'.")],
    answer=r"$\alpha = 4$: at $x = 0$ each backward step multiplies the gradient by $\phi'(0) w = w/4$.",
)

regimes = Entry(
    id="exploding-rnn-regimes",
    title="Exploding RNN: which w make the gradient vanish or explode",
    sheet=SHEET,
    problem="4(b)",
    question=RNN4_QUESTION + r" The input is $x = 0$. For which $w$ does the gradient vanish, and for which does it "
                             r"explode?",
    reading="The quantity is −1 where the gradient vanishes and +1 where it explodes: the sign of |φ'(0) w| − 1, "
            "the per-step factor's size against 1. The oracle runs the NumPy RNN at x = 0 for 60 steps and reads the "
            "sign of log|∂h^{(60)}/∂h^{(1)}|. w ranges over [−10, 10], kept 0.05 away from ±4.",
    notation=Notation(variables=[scalar("w", "w", domains.Real(-10.0, 10.0, kinks=(-4.0, 4.0)))],
                      definitions=[define("alpha", "4", r"\alpha")]),
    asks=Value(expr="sign(abs(sigma(0)*(1 - sigma(0))*w) - 1)",
               oracle=lambda w: float(np.sign(abs(_gain_at_zero(float(w), 59)) - 1.0))),
    claims=[
        Claim("sign(w - 4)", r"\operatorname{sign}(w - \alpha)", label="sheet",
              expect="refuted",
              note="The sheet: 'w < α: the gradient vanishes; w > α: it explodes' (α = 4), read as the quantity "
                   "sign(w − α), −1 where it vanishes and +1 where it explodes. For w < −4 the factor w/4 has "
                   "modulus above 1: the gradient explodes (with alternating sign), though w < α."),
        Claim("sign(abs(w) - 4)", r"\operatorname{sign}(|w| - 4)", label="corrected",
              source="correction", corrects="sheet",
              note="|w| < 4: the gradient vanishes (−1); |w| > 4: it explodes (+1)."),
    ],
    answer=r"The gradient vanishes for $|w| < 4$ and explodes for $|w| > 4$; the sheet's 'w < α vanishes' misses "
           r"$w < -4$.",
)

residual_step = Entry(
    id="exploding-rnn-residual-step",
    title="Exploding RNN with a residual connection: one backward step",
    sheet=SHEET,
    problem="4(c)",
    question=RNN4_QUESTION + r" Make it residual: $h^{(t+1)} = \phi(z^t) + h^{(t)}$. Write $\delta l/\delta h^{(t)}$ "
                             r"in terms of $\delta l/\delta h^{(t+1)}$.",
    notation=_rnn4_notation(),
    asks=Gradient(forward="sigma(w*h) - 1/2 + h", wrt="h", upstream="dldhn", oracle=lambda h, w: _phi(w * h) + h),
    claims=[Claim("dldhn*(dphi*w + 1)", DL + " = " + DLN + r" (\phi'(z^t) w + 1)")],
)

residual_setting = Entry(
    id="exploding-rnn-residual-setting",
    title="Exploding RNN with a residual connection: a w with a stable gradient",
    sheet=SHEET,
    problem="4(c)",
    question=RNN4_QUESTION + r" With $h^{(t+1)} = \phi(z^t) + h^{(t)}$ and $x = 0$, give a setting of $w$ such that "
                             r"the gradient does not vanish or explode.",
    reading="As in 4(b): the reference minimises (φ'(0) w + 1 − 1)², the per-step factor against 1; the oracle "
            "measures the per-step gain of the residual NumPy RNN at x = 0 over 3 steps.",
    notation=Notation(variables=[scalar("w", "w")]),
    asks=Optimum(objective="(sigma(0)*(1 - sigma(0))*w + 1 - 1)**2", over="w",
                 oracle=lambda w: (_gain_at_zero(float(w), 3, residual=True) - 1.0) ** 2),
    claims=[Claim("0", r"w = 0")],
)


# -- 5: more exploding RNN ------------------------------------------------------------------------

N = Size("n", small=(2,), random=(2, 3))
SMALL = domains.Real(-3.0, 3.0)
UNIT_BOX = domains.Real(-1.0, 1.0)
RNN5_QUESTION = (r"An RNN has $z_{t+1} = W_t h_t + V_t x_{t+1}$, $h_{t+1} = \phi(z_{t+1})$, and "
                 r"$D_{k+1} = \mathrm{Diag}(\phi'(z_{k+1}))$. ")
RNN5_READING = ("T − t = 2: h0 = h_t, h1 = h_{t+1}, h2 = h_T; gradients are row vectors (δl/δh_T = g given). n = 2 "
                "units (numbers also at n = 3).")
INDICES = [Index("i", 1, "n"), Index("j", 1, "n")]


def _rnn5_variables(weights, relu=False):
    if relu:
        # The input terms V_t x_{t+1} as single vectors, large enough that no pre-activation comes near the kink:
        # |(W0 h0)_i| ≤ ‖h0‖ ≤ √2 < 1.6 ≤ |u1_i|, and |(W1 relu(z1))_i| ≤ ‖z1‖ ≤ √2 + 3√2 < 6 ≤ |u2_i|.
        return [vector("h0", "n", "h_t", domains.Real(-1.0, 1.0)),
                matrix("W0", "n", "n", "W_t", weights), matrix("W1", "n", "n", "W_{t+1}", weights),
                vector("u1", "n", "V_t x_{t+1}", Signed(1.6, 3.0)), vector("u2", "n", "V_{t+1} x_{t+2}", Signed(6.0, 8.0)),
                vector("g", "n", r"\frac{\delta l}{\delta h_T}", SMALL, row=True)]
    # Moderate inputs keep |z| small enough that 1 − tanh²(z) is not lost to cancellation in float64.
    return [vector("h0", "n", "h_t", UNIT_BOX), matrix("W0", "n", "n", "W_t", weights), matrix("W1", "n", "n", "W_{t+1}", weights),
            matrix("V0", "n", "n", "V_t", UNIT_BOX), matrix("V1", "n", "n", "V_{t+1}", UNIT_BOX),
            vector("x1", "n", "x_{t+1}", UNIT_BOX), vector("x2", "n", "x_{t+2}", UNIT_BOX),
            vector("g", "n", r"\frac{\delta l}{\delta h_T}", SMALL, row=True)]


def _rnn5_definitions(derivative):
    """z1, z2 and D1 = Diag(φ'(z1)), D2 = Diag(φ'(z2)); derivative is φ' as text in _.  The layer numbers
    t = 0 and T = 2 (h0 = h_t, h2 = h_T) only serve the sheet's products over k = t, ..., T − 1."""
    tanh = "tanh" in derivative
    return [
        define("t", "0", "t"),
        define("T", "2", "T"),
        define("z1", "W0*h0 + V0*x1" if tanh else "W0*h0 + u1", "z_{t+1}", shape=("n",)),
        define("z2", "W1*tanh(z1) + V1*x2" if tanh else "W1*relu(z1) + u2", "z_{t+2}", shape=("n",)),
        define("D1", f"matrix_of(delta(i, j)*{derivative.replace('_', 'z1[i]')}, i, j)", "D_{t+1}",
               shape=("n", "n")),
        define("D2", f"matrix_of(delta(i, j)*{derivative.replace('_', 'z2[i]')}, i, j)", "D_{t+2}",
               shape=("n", "n")),
    ]


TANH_DERIVATIVE = "(1 - tanh(_)**2)"
RELU_DERIVATIVE = "indicator(_ > 0)"


def _mv(M, v):
    return np.einsum("ij,...j->...i", M, v)


def _tanh_forward(h0, W0, W1, V0, V1, x1, x2):
    """h_T of the tanh RNN; h0 may carry leading batch axes (and be complex, for the complex step)."""
    h1 = np.tanh(_mv(W0, h0) + V0 @ x1)
    return np.tanh(_mv(W1, h1) + V1 @ x2)


def _relu_forward(h0, W0, W1, u1, u2):
    """h_T of the ReLU RNN (u = V x, the input terms); h0 may carry leading batch axes."""
    h1 = np.maximum(_mv(W0, h0) + u1, 0.0)
    return np.maximum(_mv(W1, h1) + u2, 0.0)


def _rnn5_gradient_entry(id, title, problem, activation_name, weights, claims, reading_extra=""):
    tanh = activation_name == "tanh"
    return Entry(
        id=id,
        title=title,
        sheet=SHEET,
        problem=problem,
        question=RNN5_QUESTION + r"Write $\delta l/\delta h_t$ in terms of $\delta l/\delta h_T$, $\phi'(z)$ and "
                                 r"$W$ for each layer.",
        reading=RNN5_READING + f" φ = {activation_name}." + reading_extra,
        notation=Notation(variables=_rnn5_variables(weights, relu=not tanh),
                          definitions=_rnn5_definitions(TANH_DERIVATIVE if tanh else RELU_DERIVATIVE),
                          sizes=[N], indices=INDICES),
        asks=Gradient(forward=("tanh(W1*tanh(W0*h0 + V0*x1) + V1*x2)" if tanh else
                               "relu(W1*relu(W0*h0 + u1) + u2)"),
                      wrt="h0", upstream="g", oracle=_tanh_forward if tanh else _relu_forward),
        claims=claims,
    )


PRODUCT_TEX = DL.replace("h^{(t)}", "h_t") + r" = \frac{\delta l}{\delta h_T} \prod_{k=t}^{T-1} D_{k+1} W_k^T"

gradient5 = _rnn5_gradient_entry(
    "more-exploding-rnn-gradient", "More exploding RNN: δl/δh_t as a product over layers", "5(a)", "tanh", SMALL,
    [Claim("g*D1*W0.T*D2*W1.T", PRODUCT_TEX, label="sheet", expect="refuted",
           note="Π read in increasing k, as written: (D_{t+1}W_tᵀ)(D_{t+2}W_{t+1}ᵀ). The factors come in the wrong "
                "order and with transposed W."),
     Claim("g*D2*W1.T*D1*W0.T",
           r"\frac{\delta l}{\delta h_t} = \frac{\delta l}{\delta h_T} D_{t+2} W_{t+1}^T D_{t+1} W_t^T",
           label="sheet, decreasing k", expect="refuted",
           note="Π read in decreasing k (the order a backward pass multiplies in): still wrong, by the transposes "
                "alone. The sheet prints the product of the claim above, " + PRODUCT_TEX.split(" = ")[1] + "; here "
                "it is written out in decreasing k (T = t + 2)."),
     Claim("g*D2*W1*D1*W0",
           r"\frac{\delta l}{\delta h_t} = \frac{\delta l}{\delta h_T} D_{t+2} W_{t+1} D_{t+1} W_t",
           label="corrected", source="correction", corrects="sheet",
           note="The product Π_{k=T−1}^{t} D_{k+1} W_k in decreasing k, written out (T = t + 2)."),
     Claim("W0.T*D1*W1.T*D2*g.T",
           r"\left(\frac{\delta l}{\delta h_t}\right)^T = \left(\prod_{k=t}^{T-1} W_k^T D_{k+1}\right) "
           r"\left(\frac{\delta l}{\delta h_T}\right)^T", label="corrected, columns", source="correction",
           corrects="sheet, decreasing k", transposed=True,
           note="The same gradient as a column: the sheet's W_kᵀ and increasing k fit this form, with D_{k+1} on the "
                "right of W_kᵀ.")],
)

GRADIENT_DEF = define("dldh0", "g*D2*W1*D1*W0", r"\frac{\delta l}{\delta h_t}", shape=(1, "n"),
                      checked_by="more-exploding-rnn-gradient")


def _tanh_gradient_norm(h0, W0, W1, V0, V1, x1, x2, g):
    """‖δl/δh_t‖ of the NumPy tanh RNN by the complex-step derivative (exact to rounding, even where tanh
    saturates and the gradient is tiny)."""
    eps = 1e-30
    steps = h0 + 1j * eps * np.eye(len(h0))  # one complex perturbation per coordinate
    grad = (np.einsum("j,...j->...", g, _tanh_forward(steps, W0, W1, V0, V1, x1, x2))).imag / eps
    return np.sqrt((grad**2).sum())


def _relu_gradient_norm(h0, W0, W1, u1, u2, g):
    """‖δl/δh_t‖ of the NumPy ReLU RNN by finite differences (exact for a piecewise-linear map off its kinks)."""
    grad = numeric_gradient(lambda h: np.einsum("j,...j->...", g, _relu_forward(h, W0, W1, u1, u2)), h0)
    return np.sqrt((grad**2).sum())


def _bound_entry(id, title, problem, question, reading, weights, activation_name, definition, claims, answer=""):
    tanh = activation_name == "tanh"
    return Entry(
        id=id,
        title=title,
        sheet=SHEET,
        problem=problem,
        question=RNN5_QUESTION + question,
        reading=RNN5_READING + f" φ = {activation_name}. " + reading,
        notation=Notation(variables=_rnn5_variables(weights, relu=not tanh),
                          definitions=_rnn5_definitions(TANH_DERIVATIVE if tanh else RELU_DERIVATIVE) + [definition],
                          sizes=[N], indices=INDICES),
        asks=Value(expr="norm(dldh0)", oracle=_tanh_gradient_norm if tanh else _relu_gradient_norm),
        claims=claims,
        answer=answer,
    )


NORM_L = r"\left\| \frac{\delta l}{\delta h_t} \right\|"
NORM_T = r"\left\| \frac{\delta l}{\delta h_T} \right\|"
SHEET_BOUND_TEX = NORM_T + r" \prod_{k=t}^{T-1} \| D_{k+1} W_k^T \|"

bound5 = _bound_entry(
    "more-exploding-rnn-bound", "More exploding RNN: an upper bound on ‖δl/δh_t‖", "5(b)",
    r"Using the derivative from 5(a), give an upper bound for $\|\delta l/\delta h_t\|$ ($\|Av\| \le \|A\|\|v\|$).",
    "The quantity is the true ‖δl/δh_t‖ (the definition g D2 W1 D1 W0 is checked against "
    "more-exploding-rnn-gradient; the oracle differentiates a NumPy RNN).",
    SMALL, "tanh", GRADIENT_DEF,
    chain(
        Claim("norm(g*D1*W0.T*D2*W1.T)", NORM_L + r" = \left\| \frac{\delta l}{\delta h_T} \prod_{k=t}^{T-1} "
                                                  r"D_{k+1} W_k^T \right\|", expect="refuted",
              note="It carries 5(a)'s product, which is not the gradient."),
        Claim("norm(g)*norm(D1*W0.T)*norm(D2*W1.T)", SHEET_BOUND_TEX, relation="<=", expect="refuted",
              note="‖D Wᵀ‖ = ‖W D‖ is not ‖D W‖: the bound fails (the adversarial search finds the gradient larger "
                   "than the bound)."),
    ) + [
        Claim("norm(g*D2*W1*D1*W0)", NORM_L + r" = \left\| \frac{\delta l}{\delta h_T} D_{t+2} W_{t+1} D_{t+1} W_t "
                                             r"\right\|", label="step 1 corrected", source="correction",
              corrects="step 1",
              note="The norm of the corrected product of 5(a), Π_{k=T−1}^{t} D_{k+1} W_k in decreasing k, written "
                   "out (T = t + 2)."),
        Claim("norm(g)*norm(D1*W0)*norm(D2*W1)", NORM_L + r" \leq " + NORM_T + r" \prod_{k=t}^{T-1} \| D_{k+1} W_k \|",
              relation="<=", label="step 2 corrected", source="correction", corrects="step 2", expect="confirmed",
              note="Submultiplicativity applied to g D_T W_{T−1} ⋯ D_{t+1} W_t."),
    ],
)

ORTHOGONAL = domains.orthogonal
bound_orthogonal = _bound_entry(
    "more-exploding-rnn-orthogonal-bound", "More exploding RNN: the bound with orthogonal weights", "5(c)",
    r"Assuming the weight matrices are orthogonal, simplify the bound ($\|AB\| = \|B\|$ for orthogonal $A$).",
    "W_t, W_{t+1} orthogonal. The quantity is the true ‖δl/δh_t‖; both lines of the sheet are checked as bounds "
    "on it.",
    ORTHOGONAL, "tanh", GRADIENT_DEF,
    chain(
        Claim("norm(g)*norm(D1*W0.T)*norm(D2*W1.T)", NORM_L + r" \leq " + SHEET_BOUND_TEX, relation="<=",
              expect="confirmed",
              note="With W orthogonal, ‖D Wᵀ‖ = ‖D‖ = ‖D W‖, so the bound of 5(b) holds here."),
        Claim("norm(g)*norm(D1)*norm(D2)", NORM_T + r" \prod_{k=t}^{T-1} \| D_{k+1} \|", relation="<=",
              expect="confirmed",
              note="The sheet writes '= ‖δl/δh_T‖ Π‖D_{k+1}‖' (equal to the bound above); checked as a bound on "
                   "‖δl/δh_t‖, the equality of the two bounds is orthogonal-operator-norm."),
    ),
)

orthogonal_norm = Entry(
    id="orthogonal-operator-norm",
    title="An orthogonal factor does not change the operator norm",
    sheet=SHEET,
    problem="5(c)",
    question=r"For orthogonal $W$ and $D = \mathrm{Diag}(\phi'(z))$, show $\|D W^T\| = \|D W\| = \|D\|$ (the step "
             r"from $\prod \|D_{k+1} W_k^T\|$ to $\prod \|D_{k+1}\|$; the sheet's hint: $\|AB\| = \|B\|$ for "
             r"orthogonal $A$).",
    reading="D is any diagonal matrix with entries in (0, 1] (φ'(z) of tanh or the sigmoid lies there), n = 1 and 2 "
            "(a 3×3 operator norm needs the roots of a cubic); the operator 2-norm. The orthogonal factor is on the "
            "right here; the 2-norm is unitarily invariant on both sides.",
    notation=Notation(variables=[matrix("W", "n", "n", "W_k", ORTHOGONAL),
                                 matrix("D", "n", "n", "D_{k+1}", domains.PositiveDiagonal(0.05, 1.0))],
                      sizes=[Size("n", small=(1, 2), random=(2, 2))]),
    asks=Value(expr="norm(D*W.T)", oracle=lambda W, D: np.linalg.norm(D @ W.T, 2)),
    claims=[
        Claim("norm(D)", r"\| D_{k+1} W_k^T \| = \| D_{k+1} \|", label="sheet", expect="confirmed",
              note="The cascade does not use s² = 1 (the sign of the orthogonal domain) inside Max or a root."),
        Claim("norm(D*W)", r"\| D_{k+1} W_k \|", label="with W", source="answer", expect="confirmed"),
    ],
)

relu_gradient = _rnn5_gradient_entry(
    "more-exploding-rnn-relu-gradient", "More exploding RNN with ReLU: δl/δh_t", "5(d)", "ReLU", ORTHOGONAL,
    [Claim("g*D2*W1*D1*W0", r"\frac{\delta l}{\delta h_t} = \frac{\delta l}{\delta h_T} D_{t+2} W_{t+1} D_{t+1} W_t",
           source="answer", expect="confirmed",
           note="The corrected product of 5(a) with D = Diag(1{z > 0}). The cascade does not match SymPy's "
                "Heaviside factors with the indicators of D, so the evidence is numeric.")],
    " W orthogonal. The input terms V_t x_{t+1}, V_{t+1} x_{t+2} are single vectors u1, u2, drawn large enough "
    "(1.6 ≤ |u1_i| ≤ 3, 6 ≤ |u2_i| ≤ 8, ‖h_t‖∞ ≤ 1) that no pre-activation comes near the ReLU's kink, where a "
    "finite difference would straddle it.",
)

RELU_DEF = define("dldh0", "g*D2*W1*D1*W0", r"\frac{\delta l}{\delta h_t}", shape=(1, "n"),
                  checked_by="more-exploding-rnn-relu-gradient")

bound_relu = _bound_entry(
    "more-exploding-rnn-relu-bound", "More exploding RNN with ReLU: the gradient does not explode", "5(d)",
    r"Why might ReLU be a good choice for the activation function?",
    "W orthogonal; the input terms u1, u2 as in more-exploding-rnn-relu-gradient (kept away from the kink). The "
    "quantity is the true ‖δl/δh_t‖ (the definition is checked against more-exploding-rnn-relu-gradient).",
    ORTHOGONAL, "ReLU", RELU_DEF,
    chain(
        Claim("norm(g)*norm(D1)*norm(D2)", NORM_L + r" \leq " + NORM_T + r" \prod_{k=t}^{T-1} \| D_{k+1} \|",
              relation="<=", expect="confirmed"),
        Claim("norm(g)", NORM_T, relation="<=", expect="confirmed",
              note="The sheet writes '= ‖δl/δh_T‖'; checked as a bound on ‖δl/δh_t‖. As an equality of the bounds it "
                   "needs every ‖D_k‖ = 1, i.e. no "
                   "dead layer (relu-derivative-norm); with a dead layer the gradient is 0 and the bound still "
                   "holds."),
    ),
)

relu_derivative_norm = Entry(
    id="relu-derivative-norm",
    title="ReLU: the norm of D = Diag(φ'(z))",
    sheet=SHEET,
    problem="5(d)",
    question=r"With ReLU, $D_k = \mathrm{Diag}(\phi'(z_k))$. What is $\|D_k\|$?",
    reading="z is kept away from the kink 0; the operator 2-norm; n = 2 and 3.",
    notation=Notation(variables=[vector("z", "n", "z", domains.nonzero())],
                      definitions=[define("D", "matrix_of(delta(i, j)*indicator(z[i] > 0), i, j)", "D_k",
                                          shape=("n", "n"))],
                      sizes=[Size("n", small=(2, 3), random=(2, 5))], indices=INDICES),
    asks=Value(expr="norm(D)", oracle=lambda z: np.linalg.norm(np.diag((z > 0).astype(float)), 2)),
    claims=[Claim("1 - Product(indicator(z[i] < 0), (i, 1, n))",
                  r"\|D_k\| = 1 - \prod_{i=1}^{n} \mathbb{1}\{z_i < 0\}",
                  label="sheet",
                  note="The sheet: '‖D_k‖ = 1 unless all the activations of the layer are killed (D_k = 0)', written "
                       "as a formula. The largest entry of D_k is 1 unless every z is negative.")],
)
