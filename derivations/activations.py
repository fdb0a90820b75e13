"""Sheet 000, section 1: the backward pass of sigmoid, tanh and ReLU.

Each forward model appears twice: as text the engine differentiates, and as a
NumPy oracle whose finite differences are the independent evidence.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Notation, chain, domains, scalar

SHEET = "000_0faae9380a816116"
DEDY = r"\frac{\partial E}{\partial y}"
OCR_MINUS = "OCR dropped the minus sign; restored."


def _notation(x_domain=domains.real):
    return Notation(variables=[
        scalar("x", "x", x_domain, doc="the input scalar"),
        scalar("dEdy", DEDY, doc="the error back-propagated to y"),
    ])


sigmoid_backward = Entry(
    id="sigmoid-backward",
    title="Sigmoid: backward pass",
    sheet=SHEET,
    problem="1",
    question=r"For $y = \sigma(x) = 1/(1+\exp(-x))$, write $\partial E/\partial x$ in terms of $\partial E/\partial y$.",
    notation=_notation(),
    asks=Gradient(
        forward="1/(1 + exp(-x))",
        wrt="x",
        upstream="dEdy",
        oracle=lambda x: 1.0 / (1.0 + np.exp(-x)),
    ),
    claims=chain(
        Claim("dEdy*exp(-x)/(1 + exp(-x))**2", DEDY + r" \frac{\exp(-x)}{(1+\exp(-x))^2}"),
        Claim("dEdy*(sigma(x) - sigma(x)**2)", DEDY + r" (\sigma(x) - \sigma^2(x))", note=OCR_MINUS),
        Claim("dEdy*sigma(x)*(1 - sigma(x))", DEDY + r" \sigma(x) (1 - \sigma(x))", note=OCR_MINUS),
    ),
)

tanh_backward = Entry(
    id="tanh-backward",
    title="tanh: backward pass",
    sheet=SHEET,
    problem="1",
    question=r"For $y = \tanh(x) = (\exp(2x)-1)/(\exp(2x)+1)$, write $\partial E/\partial x$ in terms of "
             r"$\partial E/\partial y$.",
    notation=_notation(),
    asks=Gradient(
        forward="(exp(2*x) - 1)/(exp(2*x) + 1)",
        wrt="x",
        upstream="dEdy",
        oracle=lambda x: np.tanh(x),
    ),
    claims=chain(
        Claim("dEdy*4*exp(2*x)/(exp(2*x) + 1)**2", DEDY + r" \frac{4 \exp(2x)}{(\exp(2x)+1)^2}"),
        Claim("dEdy*(1 - tanh(x)**2)", DEDY + r" (1 - \tanh^2(x))", note=OCR_MINUS),
    ),
)

relu_backward = Entry(
    id="relu-backward",
    title="ReLU: backward pass",
    sheet=SHEET,
    problem="1",
    question=r"For $y = (x)^+ = \max(0, x)$, write $\partial E/\partial x$ in terms of $\partial E/\partial y$ "
             r"(ReLU has a kink at 0; the derivative is asked for $x \neq 0$).",
    notation=_notation(domains.nonzero()),
    asks=Gradient(
        forward="max(0, x)",
        wrt="x",
        upstream="dEdy",
        oracle=lambda x: np.maximum(0.0, x),
    ),
    claims=[
        Claim("dEdy if x > 0 else 0",
              r"\begin{cases} \frac{\partial E}{\partial y} & x > 0 \\ 0 & \text{otherwise} \end{cases}"),
    ],
)
