"""Sheet 002, Q1.5: the backward pass of a valid convolution, index by index.

Forward model (1-based indices, as the sheet writes them):

    Y[n,f,p,q] = Σ_c Σ_{u,v} X[n,c,p+u−1,q+v−1] W[f,c,u,v],

a valid cross-correlation: X is N×C×H×W, the filters W are F×C×K_h×K_w and Y is
N×F×(H−K_h+1)×(W−K_w+1).  With ∂L/∂Y given, the loss is linear in Y, so the
forward model the engine differentiates is L = Σ ∂L/∂Y ⊙ Y written out in
full; the oracle is a NumPy cross-correlation.

The sheet defines *full and *filt through its index steps: (W *full G)[i,j] =
Σ_{u,v} G[i−u+1, j−v+1] W[u,v] with G read as 0 outside its range (the full
convolution), and (X *filt G)[i,j] = Σ_{u,v} G[u,v] X[i+u−1, j+v−1] (a valid
cross-correlation of X with G as the filter).  The lines "∂L/∂Y ∂Y/∂X" of each
derivation restate the chain rule in Leibniz notation and are not separate
claims; where a line still holds a local derivative ∂Y/∂X, the claim
substitutes its value and says so.

Sizes: a tensor's shape can only name sizes, not expressions such as H−K_h+1,
and sizes are drawn independently, so the output size cannot be tied to the
input size at random sizes.  The spatial sizes are therefore fixed (H = 3,
W = 4, K_h = K_w = 2, hence 2×3 outputs; neither input nor output is square, so
a swapped i, j cannot go unnoticed); N, C and F vary.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Size, chain, define, tensor

SHEET = "002_d2426a2ad95018f2"

# Spatial sizes are fixed (see above): one value, and a random range of that one
# value.  N, C and F are drawn at random as well.
SIZES = [
    Size("C", small=(2,), random=(1, 3)),
    Size("F", small=(2, 3), random=(1, 3)),
    Size("N", small=(1, 2), random=(1, 3)),
    Size("HX", small=(3,), random=(3, 3), latex="H"),
    Size("WX", small=(4,), random=(4, 4), latex="W"),
    Size("HK", small=(2,), random=(2, 2), latex="K_h"),
    Size("WK", small=(2,), random=(2, 2), latex="K_w"),
    Size("HY", small=(2,), random=(2, 2), latex="H - K_h + 1"),
    Size("WY", small=(3,), random=(3, 3), latex="W - K_w + 1"),
]
DLDY_TEX = r"\frac{\partial L}{\partial Y}"

LOSS = ("Sum(dLdY[n, f, p, q]*X[n, c, p + u - 1, q + v - 1]*W[f, c, u, v], "
        "(n, 1, N), (f, 1, F), (c, 1, C), (p, 1, HY), (q, 1, WY), (u, 1, HK), (v, 1, WK))")

QUESTION = (r"Valid convolution $Y_{n,f,p,q} = \sum_c \sum_{u,v} X_{n,c,p+u-1,q+v-1} W_{f,c,u,v}$: "
            r"given $\partial L/\partial Y$, find $\partial L/\partial WRT$.")


def _variables(zero_w=False):
    return [
        tensor("X", ("N", "C", "HX", "WX"), "X", doc="input, N×C×H×W"),
        tensor("W", ("F", "C", "HK", "WK"), "W", zero_outside=zero_w,
               doc="filters, F×C×K_h×K_w" + ("; read as 0 outside the kernel" if zero_w else "")),
        tensor("dLdY", ("N", "F", "HY", "WY"), DLDY_TEX, zero_outside=True,
               doc="upstream gradient, N×F×(H−K_h+1)×(W−K_w+1); read as 0 outside its range"),
    ]


def _conv_loss(X, W, dLdY):
    """L = Σ dLdY ⊙ valid_xcorr(X, W); X or W may carry leading batch axes."""
    kh, kw = W.shape[-2:]
    hy, wy = X.shape[-2] - kh + 1, X.shape[-1] - kw + 1
    Y = 0.0
    for u in range(kh):
        for v in range(kw):
            Y = Y + np.einsum("...ncpq,...fc->...nfpq", X[..., u:u + hy, v:v + wy], W[..., u, v])
    return (dLdY * Y).sum(axis=(-4, -3, -2, -1))


conv_backward_dx = Entry(
    id="conv-backward-dx",
    title="Valid convolution: gradient with respect to the input",
    sheet=SHEET,
    problem="Q1.5",
    question=QUESTION.replace("WRT", "X"),
    notation=Notation(
        variables=_variables(zero_w=True),
        definitions=[define("full", "Sum(dLdY[n, f, i - u + 1, j - v + 1]*W[f, c, u, v], u, v)",
                            r"W_{f,c} *_{full} \frac{\partial L}{\partial Y_{n,f}}",
                            params=("n", "f", "c", "i", "j")),
                     # the local derivative of step 4 (W read as 0 outside the kernel)
                     define("dYdX", "W[f, c, i - p + 1, j - q + 1]",
                            r"\frac{\partial Y_{n,f,p,q}}{\partial X_{n,c,i,j}}",
                            params=("n", "f", "p", "q", "c", "i", "j"))],
        sizes=SIZES,
        indices=[Index("n", 1, "N"), Index("c", 1, "C"), Index("f", 1, "F"), Index("i", 1, "HX"),
                 Index("j", 1, "WX"), Index("u", 1, "HK"), Index("v", 1, "WK"), Index("p", 1, "HY"),
                 Index("q", 1, "WY")]),
    asks=Gradient(forward=LOSS, wrt="X", oracle=_conv_loss, index=("n", "c", "i", "j")),
    claims=chain(
        Claim("Sum(dLdY[n, f, p, q]*W[f, c, i - p + 1, j - q + 1], f, p, q)",
              r"\sum_f \sum_{p,q} \frac{\partial L}{\partial Y_{n,f,p,q}} "
              r"\frac{\partial Y_{n,f,p,q}}{\partial X_{n,c,i,j}}",
              label="step 4",
              note="The local derivative ∂Y_{n,f,p,q}/∂X_{n,c,i,j} = W_{f,c,i−p+1,j−q+1} (0 when i−p+1 or j−q+1 "
                   "falls outside the kernel) is substituted (the LaTeX reads it as the entry's declared "
                   "derivative, which has that value). The three lines before it restate the chain rule in "
                   "Leibniz notation."),
        Claim("Sum(dLdY[n, f, i - u + 1, j - v + 1]*W[f, c, u, v], f, u, v)",
              r"\sum_f \sum_{u,v} \frac{\partial L}{\partial Y_{n,f,i-u+1,j-v+1}} W_{f,c,u,v}",
              label="step 7",
              note="Lines 5 and 6 (printed twice) are this sum with the local derivative "
                   "∂Y_{n,f,i−u+1,j−v+1}/∂X_{n,c,i,j} = W_{f,c,u,v} not yet substituted. ∂L/∂Y is read as 0 "
                   "where i−u+1 or j−v+1 falls outside the output."),
        Claim("Sum(full[n, f, c, i, j], f)",
              r"\sum_{f} W_{f,c} *_{full} \left(\frac{\partial L}{\partial Y_{n,f}} \right)",
              label="step 8",
              note="*full as the sheet defines it by the line before: the full 2-D convolution of ∂L/∂Y_{n,f} "
                   "with W_{f,c} (∂L/∂Y zero-padded)."),
        start=4,
    ),
    answer=r"$\partial L/\partial X_{n,c} = \sum_f W_{f,c} *_{full} \partial L/\partial Y_{n,f}$: each input "
           r"pixel collects the upstream gradient of every output it touched, weighted by the filter tap "
           r"that connected them.",
)

conv_backward_dw = Entry(
    id="conv-backward-dw",
    title="Valid convolution: gradient with respect to the filters",
    sheet=SHEET,
    problem="Q1.5",
    question=QUESTION.replace("WRT", "W"),
    notation=Notation(
        variables=_variables(),
        definitions=[define("filt", "Sum(dLdY[n, f, u, v]*X[n, c, i + u - 1, j + v - 1], u, v)",
                            r"X_{n,c} *_{filt} \frac{\partial L}{\partial Y_{n,f}}",
                            params=("n", "c", "f", "i", "j"))],
        sizes=SIZES,
        # In this derivation the sheet's u, v run over the output positions.
        indices=[Index("n", 1, "N"), Index("c", 1, "C"), Index("f", 1, "F"), Index("i", 1, "HK"),
                 Index("j", 1, "WK"), Index("u", 1, "HY"), Index("v", 1, "WY"), Index("p", 1, "HY"),
                 Index("q", 1, "WY")]),
    asks=Gradient(forward=LOSS, wrt="W", oracle=_conv_loss, index=("f", "c", "i", "j")),
    claims=chain(
        Claim("Sum(dLdY[n, f, u, v]*X[n, c, i + u - 1, j + v - 1], n, u, v)",
              r"\sum_n \sum_{\mathbf{u},\mathbf{v}} \frac{\partial L}{\partial Y_{n,f,\mathbf{u},\mathbf{v}}} "
              r"X_{n,c,i+\mathbf{u}-1,j+\mathbf{v}-1}",
              label="step 5",
              note="Printed twice (lines 5 and 6). The line before it writes the local derivative as "
                   "∂Y_{n,f,u,v}/∂W_{f,c,i+u−1,j+v−1}, a typo for ∂Y_{n,f,u,v}/∂W_{f,c,i,j} = X_{n,c,i+u−1,j+v−1}: "
                   "the derivative taken literally would be X_{n,c,i+2u−2,j+2v−2}. The value the sheet "
                   "substitutes, here, is the right one; u and v run over the output positions."),
        Claim("Sum(filt[n, c, f, i, j], n)",
              r"\sum_n X_{n,c} *_{filt} \left(\frac{\partial L}{\partial Y_{n,f}} \right)",
              label="step 7",
              note="*filt as the sheet defines it by the line before: the valid cross-correlation of X_{n,c} "
                   "with ∂L/∂Y_{n,f} as the filter."),
        start=5,
    ),
    answer=r"$\partial L/\partial W_{f,c} = \sum_n X_{n,c} *_{filt} \partial L/\partial Y_{n,f}$: the "
           r"correlation of each input channel with the upstream gradient of the output channel, summed over "
           r"the batch.",
)
