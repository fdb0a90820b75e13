"""Sheet 000, section 2: vanishing and exploding gradients in a deep linear network.

The network has 51 layers counting the input: h_0 = x, h_k = W^k x, and the
output y = h_50 = W^49 h_1, with W = U Σ Vᵀ (U, V orthogonal, Σ diagonal
positive).  Gradients are row vectors, as the sheet's products ∂E/∂h_k W
imply, and ‖∂E/∂y‖ = 1 (a unit-vector domain).

Depth.  The sheet's network is asked at its own numbers: 49 weight layers
between h_1 and y = h_50.  The model writes that count as a size L fixed at
49 (L = 49 at every check), so a claim is judged at the sheet's network and
a number in a claim is a number: 2^{49}, 562949953421312 and \frac{2^{50}}{2}
are the same answer.  SymPy cannot expand the 49th power of a product of
parametrised 2×2 orthogonal matrices (W^49 at n = 2 did not finish in 300 s),
so the proofs run at n = 1, where W^49 is a number; the numeric evidence is
at n = 2 to 4, each at L = 49, rechecked in high precision.

Norms.  ‖v‖ = sqrt(v vᵀ) for a row vector; the sheet's "√(a aᵀ)" is written
sqrt(trace(a*a.T)) (a 1×1 product inside sqrt(...) is not evaluable, see the
report).  The cascade's squares stage proves a norm claim by comparing
squares (both sides are non-negative) over the rational parametrisation of
the orthogonal matrices, whose reflection signs s satisfy s² = 1, |s| = 1.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Notation, Size, Value, chain, define, domains, matrix, scalar, vector
from symcheck.gradcheck import numeric_gradient

SHEET = "000_0faae9380a816116"

N23 = Size("n", small=(2, 3), random=(2, 4))
# The sheet's network: L = 49 weight layers between h_1 and y = h_50, at every check (see above); the
# proofs at n = 1, the numbers at n = 2 to 4.
DEPTH = Size("L", small=(49,), random=(49, 49))
N_AT_49 = Size("n", small=(1,), random=(2, 4))
N = Size("n", small=(1, 2), random=(2, 4))

DEDY = r"\frac{\partial E}{\partial y}"
DEDHK = r"\frac{\partial E}{\partial h_k}"
DEDHK1 = r"\frac{\partial E}{\partial h_{k-1}}"
DEDH1 = r"\frac{\partial E}{\partial h_1}"
DEDH49 = r"\frac{\partial E}{\partial h_{49}}"
DEDHY = r"\frac{\partial E}{\partial h_{y}}"

U = matrix("U", "n", "n", r"U", domains.orthogonal, doc="left singular vectors (orthogonal)")
V = matrix("V", "n", "n", r"V", domains.orthogonal, doc="right singular vectors (orthogonal)")
SIGMA = matrix("Sigma", "n", "n", r"\Sigma", domains.PositiveDiagonal(), doc="singular values (diagonal, positive)")
W_DEF = define("W", "U*Sigma*V.T", r"W", shape=("n", "n"))
DEDHK_VAR = vector("dEdhk", "n", DEDHK, row=True, doc="∂E/∂h_k, a row vector")
HPREV = vector("hprev", "n", r"h_{k-1}", doc="the layer below h_k")
DEDY_UNIT = vector("dEdy", "n", DEDY, domains.unit, row=True, doc="∂E/∂y, a row vector of norm 1")
WEIGHTS = domains.Real(-1.0, 1.0)
# Gradient oracles receive no sizes (Value oracles do): this unused vector, one entry per weight layer,
# tells the oracle the depth L through its length.
LAYERS = vector("layers", "L", r"\ell", doc="unused by the model; its length is the depth L (for the oracle)")  # a general W; moderate entries keep W^49 finite


def _linear(W, h):
    """W h for h with leading batch axes (the gradient oracles' contract)."""
    return np.einsum("ij,...j->...i", W, h)


# -- 2.1 ------------------------------------------------------------------------------

forward_chain = Entry(
    id="vanishing-forward-chain",
    title="Deep linear network: h_k = W h_{k−1}",
    sheet=SHEET,
    problem="2.1",
    question=r"The value at hidden layer $k$ is $h_k = W^k x$. Show $h_k = W h_{k-1}$.",
    reading="The identity holds for any square W, so W is a general real matrix here (in particular W = UΣVᵀ). "
            "The layer index k is a size (k = 1 gives W^0 = I).",
    notation=Notation(
        variables=[matrix("W", "n", "n", r"W"), vector("x", "n", r"x", doc="the input")],
        definitions=[define("hprev", "W**(k - 1)*x", r"h_{k-1}", shape=("n",))],
        sizes=[N23, Size("k", small=(1, 3), random=(1, 8))]),
    asks=Value(expr="W**k*x", oracle=lambda W, x, k: np.linalg.matrix_power(W, k) @ x),
    claims=chain(
        Claim("W**k*x", r"h_k = W^k x"),
        Claim("W*W**(k - 1)*x", r"W \cdot W^{k-1} x"),
        Claim("W*hprev", r"W h_{k-1}"),
    ),
)

backward_recurrence = Entry(
    id="vanishing-backward-recurrence",
    title="Deep linear network: the backward recurrence",
    sheet=SHEET,
    problem="2.1",
    question=r"With $W = U\Sigma V^\top$ the SVD, write $\partial E/\partial h_{k-1}$ in terms of "
             r"$\partial E/\partial h_k$ and $U, \Sigma, V$, for $1 \le k \le 50$.",
    reading="Gradients are row vectors (the sheet's products ∂E/∂h_k W): E depends on h_{k−1} through "
            "h_k = W h_{k−1}; ∂E/∂h_k is given.",
    notation=Notation(variables=[U, SIGMA, V, DEDHK_VAR, HPREV], definitions=[W_DEF], sizes=[N23]),
    asks=Gradient(forward="W*hprev", wrt="hprev", upstream="dEdhk",
                  oracle=lambda hprev, U, Sigma, V: _linear(U @ Sigma @ V.T, hprev)),
    claims=chain(
        Claim("dEdhk*W", DEDHK1 + r" = " + DEDHK + r" W"),
        Claim("dEdhk*U*Sigma*V.T", DEDHK + r" U \Sigma V^{\top}"),
    ),
    answer=r"$\partial E/\partial h_{k-1} = \partial E/\partial h_k\, W = \partial E/\partial h_k\, U\Sigma V^\top$.",
)

gradient_h49 = Entry(
    id="vanishing-gradient-h49",
    title="Deep linear network: the gradient one layer below the output",
    sheet=SHEET,
    problem="2.2",
    question=r"With $y = h_{50} = W h_{49}$, give $\partial E/\partial h_{49}$ in terms of $\partial E/\partial y$.",
    reading="2.1 at k = 50 (y = h_50). W is a general real matrix. Used by the induction entries as the "
            "definition of ∂E/∂h_49.",
    notation=Notation(variables=[matrix("W", "n", "n", r"W", WEIGHTS), vector("dEdy", "n", DEDY, row=True),
                                 vector("h", "n", r"h_{49}")], sizes=[N23]),
    asks=Gradient(forward="W*h", wrt="h", upstream="dEdy", oracle=lambda h, W: _linear(W, h)),
    claims=[Claim("dEdy*W", DEDH49 + r" = " + DEDY + r" W", source="answer")],
)

gradient_h1 = Entry(
    id="vanishing-gradient-h1",
    title="Deep linear network: ∂E/∂h_1 = ∂E/∂y W^49",
    sheet=SHEET,
    problem="2.2–2.4",
    question=r"With $y = h_{50} = W^{49} h_1$, show $\partial E/\partial h_1 = \partial E/\partial y\, W^{49}$ "
             r"(the start of the sheet's 'another way').",
    reading="y = W^{49} h_1: L = 49 weight layers between h_1 and y. W is a general real matrix (the identity "
            "does not need the SVD). Proved at n = 1; numbers at n = 2 to 4, all at L = 49.",
    notation=Notation(variables=[matrix("W", "n", "n", r"W", WEIGHTS), vector("dEdy", "n", DEDY, row=True),
                                 vector("h1", "n", r"h_1"), LAYERS], sizes=[N_AT_49, DEPTH]),
    asks=Gradient(forward="W**L*h1", wrt="h1", upstream="dEdy",
                  oracle=lambda h1, W, layers: _linear(np.linalg.matrix_power(W, len(layers)), h1)),
    claims=[Claim("dEdy*W**L", DEDH1 + r" = " + DEDY + r" W^{49}",
                  note="The sheet derives it from 2.1 by applying the recurrence 49 times.")],
)


# -- 2.2–2.4: Σ = cI --------------------------------------------------------------------

def _gradient_norm(dEdy, W, L):
    """‖∂E/∂h_1‖ by finite differences of the NumPy forward pass y = W^L h_1, E = ∂E/∂y · y."""
    power = np.linalg.matrix_power(W, L)
    grad = numeric_gradient(lambda h: np.einsum("j,...j->...", dEdy, _linear(power, h)), np.zeros(len(W)))
    return np.sqrt((grad**2).sum())


CASES = [
    # (problem, slug, name, Σ as text, Σ as LaTeX, c as text, c as LaTeX, c^49 as LaTeX, answer)
    ("2.2", "sigma-identity", "Σ = I", "eye(n)", r"\mathbb{I}", "1", "", "1", "1"),
    ("2.3", "sigma-half", "Σ = ½I", "eye(n)/2", r"\frac{1}{2}\mathbb{I}", "(1/2)", r"\frac{1}{2}",
     r"\frac{1}{2^{49}}", r"1/2^{49}"),
    ("2.4", "sigma-two", "Σ = 2I", "2*eye(n)", r"2\mathbb{I}", "2", "2", "2^{49}", r"2^{49}"),
]


def _sigma_notation(sigma, extra_variables, extra_definitions=(), sizes=(N23,)):
    return Notation(variables=[U, V, *extra_variables],
                    definitions=[define("Sigma", sigma, r"\Sigma", shape=("n", "n")), W_DEF, *extra_definitions],
                    sizes=list(sizes))


def _case_entries(problem, slug, name, sigma, sigma_tex, c, c_tex, c49_tex, answer):
    c_value = {"1": 1.0, "(1/2)": 0.5, "2": 2.0}[c]
    scale = "" if c == "1" else f"{c}*"
    question = (rf"Let $\Sigma = {sigma_tex}$. What is the $\ell_2$ norm of $\partial E/\partial h_1$? "
                r"Explain why.")

    def _step_oracle(hprev, U, V):
        return _linear(U @ (c_value * np.eye(len(U))) @ V.T, hprev)

    step = Entry(
        id=f"vanishing-{slug}-step",
        title=f"{name}: one step of the backward recurrence",
        sheet=SHEET,
        problem=problem,
        question=question + r" (First step: $\partial E/\partial h_{k-1}$ in terms of $\partial E/\partial h_k$.)",
        reading="Gradients are row vectors; h_k = W h_{k−1} with W = UΣVᵀ, U and V orthogonal.",
        notation=_sigma_notation(sigma, [DEDHK_VAR, HPREV]),
        asks=Gradient(forward="W*hprev", wrt="hprev", upstream="dEdhk", oracle=_step_oracle),
        claims=chain(
            Claim("dEdhk*U*Sigma*V.T", DEDHK1 + r" = " + DEDHK + r" U \Sigma V^{\top}"),
            Claim(f"{scale}dEdhk*U*V.T", DEDHK + rf" {c_tex} U V^{{\top}}"),
        ),
    )

    def _step_norm_oracle(dEdhk, U, V):
        W = U @ (c_value * np.eye(len(U))) @ V.T
        grad = numeric_gradient(lambda h: np.einsum("j,...j->...", dEdhk, _linear(W, h)), np.zeros(len(W)))
        return np.sqrt((grad**2).sum())

    step_norm = Entry(
        id=f"vanishing-{slug}-step-norm",
        title=f"{name}: the norm of one backward step",
        sheet=SHEET,
        problem=problem,
        question=question + r" (Second step: $\|\partial E/\partial h_{k-1}\|$ against $\|\partial E/\partial h_k\|$.)",
        reading="∂E/∂h_{k−1} = ∂E/∂h_k W (the definition is checked against vanishing-backward-recurrence); U and V "
                "orthogonal do not change the norm of a vector they multiply.",
        notation=_sigma_notation(sigma, [DEDHK_VAR], [
            define("dEdhprev", "dEdhk*W", DEDHK1, shape=(1, "n"), checked_by="vanishing-backward-recurrence")],
            sizes=(N,)),
        asks=Value(expr="norm(dEdhprev)", oracle=_step_norm_oracle),
        claims=[Claim(f"{scale}norm(dEdhk)",
                      r"\left\|" + DEDHK1 + r"\right\| = " + c_tex + r"\left\|" + DEDHK + r"\right\|",
                      expect="proved")],
    )

    sheet_middle = f"{c}**L*norm(dEdhL)" if c != "1" else "norm(dEdhL)"
    middle_tex = (rf"{c49_tex}\left\|" + DEDH49 + r"\right\|") if c != "1" else r"\left\|" + DEDH49 + r"\right\|"
    claims = chain(
        Claim(sheet_middle, r"\left\|" + DEDH1 + r"\right\| = " + middle_tex,
              expect="proved" if c == "1" else "refuted",
              note=("With y = h_50 there are 48 weight layers between h_1 and h_49, not 49: "
                    "‖∂E/∂h_1‖ = c^{48}‖∂E/∂h_49‖ and ‖∂E/∂h_49‖ = c. For c = 1 the slip is invisible."
                    if c != "1" else "For c = 1 every power of c is 1; the layer count does not matter.")),
        Claim(f"{c}**L" if c != "1" else "1", c49_tex, expect="proved"),
    )
    if c != "1":
        claims.append(Claim(f"{c}**(L - 1)*norm(dEdhL)",
                            r"\left\|" + DEDH1 + r"\right\| = " + c_tex + r"^{48}\left\|" + DEDH49 + r"\right\|",
                            label="corrected", source="correction", corrects="step 1", expect="proved",
                            note="Or, equivalently, c^{49}‖∂E/∂h_50‖ with h_50 = y."))

    def _h1_norm_oracle(dEdy, U, V, L):
        return _gradient_norm(dEdy, U @ (c_value * np.eye(len(U))) @ V.T, L)

    induction = Entry(
        id=f"vanishing-{slug}-h1-norm",
        title=f"{name}: the norm of ∂E/∂h_1 by induction",
        sheet=SHEET,
        problem=problem,
        question=question,
        reading="y = h_50 = W^L h_1 with L = 49 (the sheet's 51 layers counting the input); ‖∂E/∂y‖ = 1. "
                "∂E/∂h_1 = ∂E/∂y W^L and ∂E/∂h_49 = ∂E/∂y W are definitions checked against "
                "vanishing-gradient-h1 and vanishing-gradient-h49. The sheet's 49 is L, its h_49 is h_L.",
        notation=_sigma_notation(sigma, [DEDY_UNIT], [
            define("dEdh1", "dEdy*W**L", DEDH1, shape=(1, "n"), checked_by="vanishing-gradient-h1"),
            define("dEdhL", "dEdy*W", DEDH49, shape=(1, "n"), checked_by="vanishing-gradient-h49"),
        ], sizes=(N_AT_49, DEPTH)),
        asks=Value(expr="norm(dEdh1)", oracle=_h1_norm_oracle),
        claims=claims,
        answer=rf"$\|\partial E/\partial h_1\| = {answer}$: each backward step multiplies the norm by "
               r"$c$ (U and V preserve norms), and there are 49 steps from $y = h_{50}$ down to $h_1$.",
    )
    return step, step_norm, induction


identity_step, identity_step_norm, identity_h1_norm = _case_entries(*CASES[0])
half_step, half_step_norm, half_h1_norm = _case_entries(*CASES[1])
two_step, two_step_norm, two_h1_norm = _case_entries(*CASES[2])


# -- "another way": the norm as sqrt(g gᵀ) for Σ = cI -----------------------------------------

def _another_way_oracle(dEdy, U, V, c, L):
    return _gradient_norm(dEdy, c * U @ V.T, L)


SQRT_NOTE = ("OCR: the square root spans the whole product (\\sqrt{a} a^T is \\sqrt{a a^T}); ∂E/∂h_y is the "
             "sheet's name for ∂E/∂y. The 1×1 product under the root is written with trace.")

another_way = Entry(
    id="vanishing-another-way",
    title="Σ = cI: ‖∂E/∂h_1‖ = c^49 in one chain",
    sheet=SHEET,
    problem="2.2–2.4",
    question=r"For $\Sigma = c\mathbb{I}$, $c \in \{1, 1/2, 2\}$, show $\|\partial E/\partial h_1\|_2 = c^{49}$ "
             r"using $\partial E/\partial h_1 = \partial E/\partial y\, W^{49}$.",
    reading="c is any positive number in [1/2, 2] (the sheet's three values and everything between). "
            "y = W^{49} h_1 (L = 49 at every check); the products the sheet writes out with dots are powers. "
            "Proofs at n = 1; numbers at n = 2 to 4. "
            "∂E/∂h_1 = ∂E/∂y W^L is a definition checked against vanishing-gradient-h1.",
    notation=Notation(
        variables=[U, V, DEDY_UNIT, scalar("c", "c", domains.Positive(0.5, 2.0))],
        definitions=[define("Sigma", "c*eye(n)", r"\Sigma", shape=("n", "n")), W_DEF,
                     define("dEdh1", "dEdy*W**L", DEDH1, shape=(1, "n"), checked_by="vanishing-gradient-h1"),
                     # the sheet's names in this chain: ∂E/∂h_y for ∂E/∂y, 𝕀 the identity, 98 = 2L
                     define("dEdhy", "dEdy", DEDHY, shape=(1, "n")),
                     define("Id", "eye(n)", r"\mathbb{I}", shape=("n", "n"))],
        sizes=[N_AT_49, DEPTH]),
    asks=Value(expr="norm(dEdh1)", oracle=_another_way_oracle),
    claims=chain(
        Claim("sqrt(trace(dEdh1*dEdh1.T))",
              r"\left\| " + DEDH1 + r" \right\|_{2} = \sqrt{" + DEDH1 + " " + DEDH1 + r"^{\top}}", note=SQRT_NOTE),
        Claim("sqrt(trace(dEdy*W**L*(W.T)**L*dEdy.T))",
              r"\sqrt{" + DEDHY + r" (W^{49})(W^{\top})^{49} " + DEDHY + r"^{\top}}", note=SQRT_NOTE),
        Claim("sqrt(trace(dEdy*(U*Sigma*V.T)**L*(V*Sigma*U.T)**L*dEdy.T))",
              r"\sqrt{" + DEDHY + r" \underbrace{(U\Sigma V^{\top}) \cdots (U\Sigma V^{\top})}_{49}"
              r"\underbrace{(V\Sigma U^{\top}) \cdots (V\Sigma U^{\top})}_{49} " + DEDHY + r"^{\top}}",
              note=SQRT_NOTE + " Each ⋯ product has 49 factors; the sheet leaves the count implicit (the "
                               "underbraces are ours)."),
        Claim("sqrt(trace(dEdy*(U*(c*eye(n))*V.T)**L*(V*(c*eye(n))*U.T)**L*dEdy.T))",
              r"\sqrt{" + DEDHY + r" \underbrace{(U(c\mathbb{I})V^{\top}) \cdots (U(c\mathbb{I})V^{\top})}_{49}"
              r"\underbrace{(V(c\mathbb{I})U^{\top}) \cdots (V(c\mathbb{I})U^{\top})}_{49} " + DEDHY + r"^{\top}}",
              note=SQRT_NOTE + " Each ⋯ product has 49 factors (the underbraces are ours)."),
        Claim("sqrt(c**(2*L))*trace(dEdy*(U*V.T)**L*(V*U.T)**L*dEdy.T)",
              r"\sqrt{c^{98}} " + DEDHY + r" \underbrace{(UV^{\top}) \cdots (UV^{\top})}_{49}"
              r"\underbrace{(VU^{\top}) \cdots (VU^{\top})}_{49} " + DEDHY + r"^{\top}",
              expect="proved",
              note="As printed, the root covers only c^98; the rest, (∂E/∂y)(∂E/∂y)ᵀ = 1 after the orthogonal "
                   "factors cancel, is the same with or without the root, so the step holds as printed. Each ⋯ "
                   "product has 49 factors (the underbraces are ours)."),
        Claim("c**L*sqrt(trace(dEdy*dEdy.T))", r"c^{49} \sqrt{" + DEDHY + " " + DEDHY + r"^{\top}}",
              expect="proved", note=SQRT_NOTE),
        Claim("c**L*1", r"c^{49} \cdot 1", expect="proved"),
    ),
    answer=r"$\|\partial E/\partial h_1\| = c^{49}$: 1 for $\Sigma = \mathbb{I}$, $2^{-49}$ for "
           r"$\Sigma = \frac12\mathbb{I}$ (vanishing) and $2^{49}$ for $\Sigma = 2\mathbb{I}$ (exploding).",
)
