"""Sheet 003, 1.1: convolution output sizes, and the Jacobians of a strided 1-D convolution.

The sheet gives only answers; each question is reconstructed from its answer.

* 1.1(a): an 11×21 input, a 5×4 kernel, stride 4, no padding (the numbers the
  sheet's arithmetic uses).  Its arithmetic, the rounding it says it applies,
  and its final 2×5 are three different statements, so three quantities: the
  unrounded formula (H−K)/S+1 per axis, that value rounded up, and the output
  size a strided convolution actually produces.
* 1.1(b): the output size for input size H, kernel K, padding P, dilation D,
  stride S, with F filters.  The reference counts the output positions p at
  which the dilated kernel fits inside the padded input
  (S·p + D(K−1) + 1 ≤ H + 2P); the oracle runs a dilated strided convolution in
  NumPy and returns its output length.  The sums run to a fixed bound (24), the
  largest H + 2P the domains allow, since a summation bound must be an
  integer, not a sampled variable.
* 1.1(c): x ∈ R^{5×7} (5 channels, length 7), one filter W ∈ R^{1×5×3}, stride
  2, no padding, so f_W(x) ∈ R^{1×3}.  Indices are 0-based as on the sheet.

The engine's Gradient takes a Jacobian only of a forward model that is a matrix
expression, and the text syntax cannot assemble a matrix from indexed entries.
The 1×3 output is therefore written as f_W(x)[0] e_0 + f_W(x)[1] e_1 +
f_W(x)[2] e_2, with e_i the standard basis rows of R^{1×3} declared as
constant "variables" (a constant domain defined below: no parameters, always the
same value).
"""
from dataclasses import dataclass

import numpy as np
import sympy
from numpy.lib.stride_tricks import sliding_window_view

from symcheck import (Claim, Entry, Gradient, Index, Notation, Size, Value, chain, define, domains, matrix, scalar,
                      tensor)
from symcheck.gradcheck import numeric_jacobian

SHEET = "003_be85b36419f743e7"


@dataclass(frozen=True)
class Constant(domains.Domain):
    """A fixed array: sampled as itself, with an explicit form of exact integers and no parameters."""

    values: tuple = ()
    description = "constant"

    @property
    def assumptions(self) -> dict:
        return {"integer": True}

    def sample(self, rng, shape, count):
        value = np.array(self.values, dtype=float).reshape(shape)
        return np.broadcast_to(value, (count, *shape)).copy()

    def explicit(self, name, shape, origin=1):
        flat = [sympy.Integer(int(v)) for v in np.ravel(self.values)]
        return np.array(flat, dtype=object).reshape(shape), [], []

    def parameters(self, value, exact):
        return []

    def contains(self, value):
        return bool(np.array_equal(np.asarray(value, dtype=float).ravel(), np.ravel(self.values).astype(float)))


# -- 1.1(a): the sheet's numbers --------------------------------------------------

EXAMPLE_SIZES = [
    Size("Hin", small=(11,), random=None, latex="H_{in}"),
    Size("Win", small=(21,), random=None, latex="W_{in}"),
    Size("KH", small=(5,), random=None, latex="K_H"),
    Size("KW", small=(4,), random=None, latex="K_W"),
    Size("S", small=(4,), random=None),
]
AXIS = Index("c", 1, 2, latex="c")
EXAMPLE_QUESTION = (r"A convolution with a $5 \times 4$ kernel and stride 4, no padding, is applied to an "
                    r"$11 \times 21$ input. What is the output size?")
EXAMPLE_READING = ("The question is not in the sheet; its numbers (11×21 input, 5×4 kernel, stride 4, no padding) "
                   "are the ones the sheet's arithmetic uses.")


def _example_notation():
    return Notation(sizes=EXAMPLE_SIZES, indices=[AXIS, Index("p", 0, "Win")])


def _strided_output_shape(Hin, Win, KH, KW, S):
    """Run a 2-D strided valid convolution (cross-correlation) and return its output shape."""
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(Hin, Win)), rng.normal(size=(KH, KW))
    rows = []
    for top in range(0, Hin, S):
        if top + KH > Hin:
            break
        row = []
        for left in range(0, Win, S):
            if left + KW > Win:
                break
            row.append(float((image[top:top + KH, left:left + KW] * kernel).sum()))
        rows.append(row)
    out = np.array(rows)
    return np.array(out.shape, dtype=float)


conv_example_height = Entry(
    id="conv-example-height-formula",
    title="Output height of the 11×21 example: the formula before rounding",
    sheet=SHEET,
    problem="1.1(a)",
    question=EXAMPLE_QUESTION,
    reading=EXAMPLE_READING + " This entry checks the sheet's arithmetic as arithmetic: the value of (H − K)/S + 1 "
                              "for the height, before any rounding (2.5 is not itself a size; the sheet rounds next).",
    notation=_example_notation(),
    asks=Value(expr="(Hin - KH)/S + 1", oracle=lambda Hin, KH, S: (Hin - KH) / S + 1),
    claims=chain(
        Claim("(11 - 5)/4 + 1", r"H = (11 - 5)/4 + 1"),
        Claim("2.5", r"2.5"),
    ),
)

conv_example_width = Entry(
    id="conv-example-width-formula",
    title="Output width of the 11×21 example: the formula before rounding",
    sheet=SHEET,
    problem="1.1(a)",
    question=EXAMPLE_QUESTION,
    reading=EXAMPLE_READING + " This entry checks the sheet's arithmetic as arithmetic: the value of (W − K)/S + 1 "
                              "for the width, before any rounding.",
    notation=_example_notation(),
    asks=Value(expr="(Win - KW)/S + 1", oracle=lambda Win, KW, S: (Win - KW) / S + 1),
    claims=chain(
        Claim("(21 - 4)/4 + 1", r"W = (21 - 4)/4 + 1"),
        Claim("5.25", r"5.25"),
    ),
)

conv_example_rounded_up = Entry(
    id="conv-example-rounded-up",
    title="The 11×21 example: the formula's values rounded up",
    sheet=SHEET,
    problem="1.1(a)",
    question=EXAMPLE_QUESTION,
    reading=EXAMPLE_READING + " The sheet says \"after rounding up, the output dimension will be 2×5\"; this entry "
                              "checks the rounding it names: 2.5 and 5.25 rounded up, as the pair (height, width), "
                              "indexed by c = 1 (height), 2 (width).",
    notation=_example_notation(),
    asks=Value(expr="ceiling((Hin - KH)/S + 1) if c == 1 else ceiling((Win - KW)/S + 1)",
               oracle=lambda Hin, Win, KH, KW, S: np.ceil([(Hin - KH) / S + 1, (Win - KW) / S + 1]),
               index=("c",), shape=(2,)),
    claims=[
        Claim("2 if c == 1 else 5", r"\text{After rounding up, the output dimension will be } 2 \times 5",
              label="rounded up", expect="refuted",
              note="Rounding 2.5 and 5.25 up gives 3×6, not 2×5; 2×5 is what rounding down gives (see "
                   "conv-example-output-shape, where 2×5 is the true output size)."),
        Claim("3 if c == 1 else 6", r"3 \times 6", label="corrected", source="correction", corrects="rounded up"),
    ],
)

conv_example_output_shape = Entry(
    id="conv-example-output-shape",
    title="The 11×21 example: the output size of the convolution",
    sheet=SHEET,
    problem="1.1(a)",
    question=EXAMPLE_QUESTION,
    reading=EXAMPLE_READING + " The quantity is the output size (height, width), indexed by c = 1, 2: the number of "
                              "positions p at which the kernel, moved by the stride, still fits inside the input "
                              "(S·p + K ≤ H).",
    notation=_example_notation(),
    asks=Value(expr="Sum(indicator(S*p + KH <= Hin), (p, 0, Hin)) if c == 1 "
                    "else Sum(indicator(S*p + KW <= Win), (p, 0, Win))",
               oracle=_strided_output_shape, index=("c",), shape=(2,)),
    claims=[
        Claim("2 if c == 1 else 5", r"2 \times 5", label="final size",
              note="The sheet's final answer is right, though it says it rounds up: it is the formula rounded down."),
        Claim("floor((Hin - KH)/S) + 1 if c == 1 else floor((Win - KW)/S) + 1",
              r"\left(\left\lfloor \frac{H_{in} - K_H}{S} \right\rfloor + 1\right) \times "
              r"\left(\left\lfloor \frac{W_{in} - K_W}{S} \right\rfloor + 1\right)",
              label="rounded down", source="answer"),
    ],
    answer=r"$\lfloor (11-5)/4 \rfloor + 1 = 2$ and $\lfloor (21-4)/4 \rfloor + 1 = 5$: the output is $2 \times 5$. "
           r"The windows start at rows 0, 4 (row 8 would need rows 8–12 of 11) and columns 0, 4, 8, 12, 16.",
)

# -- 1.1(b): the general output size ------------------------------------------------

# The dilated kernel spans D(K−1)+1 ≤ 10 ≤ H entries, so it always fits at least once.
H = scalar("H", "H", domains.integer(10, 20), doc="input size along the axis")
W_IN = scalar("W", "W", domains.integer(10, 20), doc="input width")
K = scalar("K", "K", domains.integer(1, 4), doc="kernel size")
S = scalar("S", "S", domains.integer(1, 4), doc="stride")
P = scalar("P", "P", domains.integer(0, 2), doc="padding on each side")
D = scalar("D", "D", domains.integer(1, 3), doc="dilation")
F = scalar("F", "F", domains.integer(1, 4), doc="number of filters")
GENERAL_QUESTION = (r"A convolution layer has $F$ filters of size $K \times K$, padding $P$, dilation $D$ and "
                    r"stride $S$; its input is $H \times W$. What is the output size?")
GENERAL_READING = ("The question is not in the sheet; the answer's symbols fix it (PyTorch's Conv2d parameters). "
                   "Sizes are integers with the dilated kernel fitting in the input (D(K−1)+1 ≤ H + 2P); the "
                   "output positions are those p ≥ 0 with S·p + D(K−1) + 1 ≤ H + 2P.")
SHEET_HOUT = "(H + 2*P - D*(K - 1) - 1)/S + 1"
SHEET_WOUT = "(W + 2*P - D*(K - 1) - 1)/S + 1"
HOUT = "floor((H + 2*P - D*(K - 1) - 1)/S) + 1"
WOUT = "floor((W + 2*P - D*(K - 1) - 1)/S) + 1"
HOUT_TEX = r"H_{out} = \frac{(H+2 \times P-D \times (K-1)-1)}{S} + 1"
WOUT_TEX = r"W_{out} = \frac{(W+2 \times P-D \times (K-1)-1)}{S} + 1"
COUNT_H = "Sum(indicator(S*p + D*(K - 1) + 1 <= H + 2*P), (p, 0, 24))"
COUNT_W = "Sum(indicator(S*q + D*(K - 1) + 1 <= W + 2*P), (q, 0, 24))"
MANY_POINTS = 200  # five integer parameters: far more points than the default 12


def _ints(*values):
    return [int(round(float(v))) for v in values]


def _conv1d_length(H, K, S, P, D):
    """Run a 1-D dilated strided convolution of a length-H signal and return its output length."""
    H, K, S, P, D = _ints(H, K, S, P, D)
    signal = np.pad(np.arange(1.0, H + 1), P)
    kernel = np.linspace(1.0, 2.0, K)
    out = []
    start = 0
    while start + D * (K - 1) < signal.size:
        taps = signal[start:start + D * (K - 1) + 1:D]
        out.append(float(taps @ kernel))
        start += S
    return float(len(out))


def _conv2d_shape(F, H, W, K, S, P, D):
    """Run a 2-D convolution with F dilated K×K filters and return the output shape (F, H_out, W_out)."""
    F, H, W, K, S, P, D = _ints(F, H, W, K, S, P, D)
    image = np.pad(np.random.default_rng(1).normal(size=(H, W)), P)
    filters = np.random.default_rng(2).normal(size=(F, K, K))
    span = D * (K - 1) + 1
    windows = sliding_window_view(image, (span, span))[::S, ::S, ::D, ::D]  # (H_out, W_out, K, K)
    out = np.einsum("hwuv,fuv->fhw", windows, filters)
    return np.array(out.shape, dtype=float)


conv_output_size = Entry(
    id="conv-output-size",
    title="Convolution output size with padding, dilation and stride",
    sheet=SHEET,
    problem="1.1(b)",
    question=GENERAL_QUESTION + " (Here: the output length along one axis of size $H$.)",
    reading=GENERAL_READING + " This entry checks H_out; W_out is the same formula with W for H (see "
                              "conv-output-shape).",
    notation=Notation(variables=[H, K, S, P, D], indices=[Index("p", 0, 24)]),
    asks=Value(expr=COUNT_H, oracle=_conv1d_length),
    claims=[
        Claim(SHEET_HOUT, HOUT_TEX, label="sheet", expect="refuted",
              note="No floor: the formula is fractional whenever S does not divide H + 2P − D(K−1) − 1."),
        Claim(HOUT, r"H_{out} = \left\lfloor \frac{H + 2P - D(K-1) - 1}{S} \right\rfloor + 1", label="corrected",
              source="correction", corrects="sheet", expect="confirmed",
              note="The reference is a sum of indicators; the cascade has no stage that turns it into a floor, so "
                   "the evidence is numeric (exact integers at every sampled point)."),
    ],
    answer=r"$H_{out} = \lfloor (H + 2P - D(K-1) - 1)/S \rfloor + 1$: the last window must start at or before "
           r"$H + 2P - D(K-1) - 1$ in the padded input.",
)
conv_output_size.asks.points_per_instance = MANY_POINTS

conv_output_shape = Entry(
    id="conv-output-shape",
    title="Convolution output shape F × H_out × W_out",
    sheet=SHEET,
    problem="1.1(b)",
    question=GENERAL_QUESTION,
    reading=GENERAL_READING + " The quantity is the output shape (F, H_out, W_out), indexed by c = 1, 2, 3, of a "
                              "square-kernel layer with the same P, D, S on both axes.",
    notation=Notation(variables=[F, H, W_IN, K, S, P, D],
                      indices=[Index("c", 1, 3), Index("p", 0, 24), Index("q", 0, 24)]),
    asks=Value(expr=f"F if c == 1 else ({COUNT_H} if c == 2 else {COUNT_W})", oracle=_conv2d_shape,
               index=("c",), shape=(3,)),
    claims=[
        Claim(f"F if c == 1 else ({SHEET_HOUT} if c == 2 else {SHEET_WOUT})",
              r"F \times \left(" + HOUT_TEX.split(" = ")[1] + r"\right) \times \left("
              + WOUT_TEX.split(" = ")[1] + r"\right)",
              label="sheet", expect="refuted",
              note="The sheet prints F × H_out × W_out with " + HOUT_TEX + " and " + WOUT_TEX + ", substituted here. "
                   "F is right; H_out and W_out lack the floor (the OCR's stray \"1.\" before W_out is dropped)."),
        Claim(f"F if c == 1 else ({HOUT} if c == 2 else {WOUT})",
              r"F \times \left(\left\lfloor \frac{H + 2P - D(K-1) - 1}{S} \right\rfloor + 1\right) \times "
              r"\left(\left\lfloor \frac{W + 2P - D(K-1) - 1}{S} \right\rfloor + 1\right)",
              label="corrected", source="correction", corrects="sheet", expect="confirmed"),
    ],
)
conv_output_shape.asks.points_per_instance = MANY_POINTS

# -- 1.1(c): the strided 1-D convolution and its Jacobians ---------------------------------

X = matrix("x", 5, 7, "x", origin=0, zero_outside=True,
           doc="input, 5 channels × length 7 (0-based; read as 0 outside, so a claim indexing outside x "
               "is evaluated and refuted rather than rejected)")
WEIGHT = tensor("W", (1, 5, 3), "W", origin=0, zero_outside=True,
                doc="one filter, 1×5×3 (0-based; read as 0 outside the kernel)")
BASIS = [matrix(f"e{k}", 1, 3, f"e_{k}", Constant(tuple(tuple(int(j == k) for j in range(3)) for _ in range(1))),
                origin=0, doc=f"constant: the standard basis row e_{k} of R^(1×3)") for k in range(3)]
DLDF = matrix("dldf", 1, 3, r"\frac{\partial l}{\partial f_W(x)}", origin=0, doc="upstream gradient, 1×3")
FW = define("fW", "Sum(Sum(x[m, u]*W[0, m, u - 2*i], (u, 0, 6)), (m, 0, 4))", r"f_W(x)[0]", params=("i",))
FORWARD = "fW[0]*e0 + fW[1]*e1 + fW[2]*e2"
CONV_QUESTION = (r"A 1-D convolution with one filter $W \in \mathbb{R}^{1 \times 5 \times 3}$ and stride 2 is applied "
                 r"to $x \in \mathbb{R}^{5 \times 7}$ (5 channels, length 7), no padding, giving $f_W(x)$. ")
CONV_READING = ("The question is not in the sheet; x ∈ R^{5×7}, W ∈ R^{1×5×3}, stride 2 and the 1×3 output follow "
                "from the answers. The forward model is written as a sum over input positions, "
                "f_W(x)[0][i] = Σ_m Σ_u x[m, u] W[0, m, u − 2i] (W read as 0 outside the kernel), not in the "
                "sheet's form.")


def _conv1d(x, W):
    """Stride-2 valid cross-correlation; x (…, 5, 7) and W (…, 1, 5, 3) may carry batch axes. Returns (…, 1, 3)."""
    windows = sliding_window_view(x, 3, axis=-1)[..., ::2, :]  # (..., m, i, n)
    out = np.einsum("...mn,...min->...i", W[..., 0, :, :], windows)
    return out[..., None, :]


def _conv_notation(extra=(), indices=()):
    bound = [Index("m", 0, 4), Index("n", 0, 2), Index("u", 0, 6)]  # summation indices
    names = {i.name for i in indices}
    return Notation(variables=[X, WEIGHT, *BASIS, *extra], definitions=[FW],
                    indices=list(indices) + [b for b in bound if b.name not in names])


conv1d_forward = Entry(
    id="conv1d-strided-forward",
    title="Strided 1-D convolution: the output",
    sheet=SHEET,
    problem="1.1(c)(i)",
    question=CONV_QUESTION + r"Give $f_W(x)$ and its shape.",
    reading=CONV_READING + " The quantity is f_W(x) ∈ R^{1×3} (free indices r = 0 and i = 0..2), so the sheet's "
                           "shape 1×3 is the quantity's shape.",
    notation=_conv_notation(indices=[Index("r", 0, 0), Index("i", 0, 2)]),
    asks=Value(expr="fW[i]", oracle=_conv1d, index=("r", "i"), origin=0, shape=(1, 3)),
    claims=[
        Claim("Sum(Sum(W[0, m, n]*x[m, 2*i + n], (n, 0, 2)), (m, 0, 4))",
              r"f_W(x)[0][i] = \sum_{m=0}^4 \sum_{n=0}^2 W[0, m, n] x[m, i \times 2 + n]"),
    ],
)

conv1d_jacobian_w = Entry(
    id="conv1d-strided-jacobian-w",
    title="Strided 1-D convolution: Jacobian with respect to the filter",
    sheet=SHEET,
    problem="1.1(c)(ii)",
    question=CONV_QUESTION + r"Give $\partial f_W(x)/\partial W$.",
    reading=CONV_READING + " ∂f/∂W ∈ R^{1×3×15} is the Jacobian with W flattened row-major: "
                           "[0, i, j] = ∂f_W(x)[0][i] / ∂W[0, j // 3, j % 3] (the layout the sheet's 1×15 in (iv) "
                           "also uses). The engine's Jacobian (1×3 output, then W) is reshaped to 1×3×15.",
    notation=_conv_notation(indices=[Index("a", 0, 0), Index("i", 0, 2), Index("j", 0, 14)]),
    asks=Gradient(forward=FORWARD, wrt="W", oracle=_conv1d, index=("a", "i", "j"), origin=0, shape=(1, 3, 15)),
    claims=[
        Claim("x[j % 3 + 2*i, j // 3]",
              r"\frac{\partial f_W(x)}{\partial W}[0, i, j] = x[j \% 3 + 2 \times i, j // 3]", label="sheet",
              expect="refuted",
              note="The two indices of x are swapped: the channel is j // 3 and the position 2i + j % 3. As written "
                   "the first index reaches 6 (x has rows 0..4; read as 0 there)."),
        Claim("x[j // 3, 2*i + j % 3]", r"x[j // 3, 2 \times i + j \% 3]", label="corrected", source="correction",
              corrects="sheet"),
    ],
)

conv1d_jacobian_x = Entry(
    id="conv1d-strided-jacobian-x",
    title="Strided 1-D convolution: Jacobian with respect to the input",
    sheet=SHEET,
    problem="1.1(c)(iii)",
    question=CONV_QUESTION + r"Give $\partial f_W(x)/\partial x$.",
    reading=CONV_READING + " The sheet's ∂f/∂x ∈ R^{5×21} is read as the Jacobian laid out [i, 3p + o] = "
                           "∂f_W(x)[0][o] / ∂x[i, p] (channel i, input position p = 0..6, output o = 0..2), i.e. "
                           "input axes first, output last. The OCR's \"[i, 7m × 3n]\" is read as [i, 7m + 3n]: the "
                           "nonzero entries sit at p = 2m + n, column 3(2m + n) + m = 7m + 3n. (With the output "
                           "first, [i, 7o + p], they would sit at 9m + n instead.) The engine's Jacobian has axes "
                           "(0, o, i, p); each claim is evaluated at those indices, the sheet's through its "
                           "column 3p + o.",
    notation=_conv_notation(indices=[Index("a", 0, 0), Index("o", 0, 2), Index("i", 0, 4), Index("p", 0, 6)]),
    asks=Gradient(forward=FORWARD, wrt="x", oracle=_conv1d, index=("a", "o", "i", "p"), origin=0,
                  shape=(1, 3, 5, 7)),
    claims=[
        Claim("Sum(W[0, i, n]*KroneckerDelta(3*p + o, 7*m + 3*n), (m, 0, 2), (n, 0, 2))",
              r"\frac{\partial f_W(x)}{\partial x}[i, 3p + o] = \sum_{m=0}^{2} \sum_{n=0}^{2} W[0, i, n]\, "
              r"\delta_{3p + o,\, 7m + 3n}",
              label="sheet",
              note="The sheet: '∂f_W(x)/∂x[i, 7m + 3n] = W[0, i, n] for m ∈ 0, 1, 2, n ∈ 0, 1, 2, and the rest of "
                   "∂f_W(x)/∂x are all 0', written as one formula for column 3p + o. OCR repair: \"7m × 3n\" read "
                   "as \"7m + 3n\" (see the reading). Column 3p + o of the sheet's 5×21 matrix is compared with "
                   "∂f[0][o]/∂x[i, p]."),
        Claim("W[0, i, p - 2*o]", r"\frac{\partial f_W(x)[0][o]}{\partial x[i, p]} = W[0, i, p - 2o]",
              label="index form", source="answer",
              note="W is read as 0 outside the kernel, i.e. unless 0 ≤ p − 2o ≤ 2."),
    ],
)


def _jacobian_size(x, W):
    """The number of entries of the numeric Jacobian of the NumPy convolution with respect to x."""
    return float(numeric_jacobian(lambda xb: _conv1d(xb, W), x).size)


conv1d_jacobian_x_size = Entry(
    id="conv1d-strided-jacobian-x-size",
    title="Strided 1-D convolution: the size of ∂f/∂x",
    sheet=SHEET,
    problem="1.1(c)(iii)",
    question=CONV_QUESTION + r"How many entries does $\partial f_W(x)/\partial x$ have (the sheet: $5 \times 21$)?",
    reading=CONV_READING + " The stated shape 5×21 is checked by its number of entries: one partial derivative per "
                           "(output, input) pair, the outputs counted as the positions o where the stride-2 window "
                           "of 3 fits in length 7 (2o + 3 ≤ 7). Its layout is checked in conv1d-strided-jacobian-x.",
    notation=_conv_notation(indices=[Index("o", 0, 6)]),
    asks=Value(expr="Sum(indicator(2*o + 3 <= 7), (o, 0, 6))*Sum(1, (m, 0, 4), (u, 0, 6))", oracle=_jacobian_size),
    claims=[Claim("5*21", r"5 \times 21",
                  note="The sheet prints ∂f_W(x)/∂x ∈ R^{5×21}; its number of entries, 5 × 21, is the claim.")],
)

conv1d_dl_dw = Entry(
    id="conv1d-strided-dl-dw",
    title="Strided 1-D convolution: gradient of the loss with respect to the filter",
    sheet=SHEET,
    problem="1.1(c)(iv)",
    question=CONV_QUESTION + r"Given $\partial l/\partial f_W(x)$, give $\partial l/\partial W$.",
    reading=CONV_READING + " ∂l/∂W ∈ R^{1×15} flattens W row-major: [0, i] is ∂l/∂W[0, i // 3, i % 3].",
    notation=_conv_notation(extra=[DLDF], indices=[Index("a", 0, 0), Index("i", 0, 14)]),
    asks=Gradient(forward=FORWARD, wrt="W", upstream="dldf", oracle=_conv1d, index=("a", "i"), origin=0,
                  shape=(1, 15)),
    claims=[
        Claim("Sum(dldf[0, n]*x[i // 3, i % 3 + 2*n], (n, 0, 2))",
              r"\frac{\partial l}{\partial W}[0, i] = \sum_{n=0}^2 \frac{\partial l}{\partial f_W(x)}[0, n] "
              r"x[i // 3, i \% 3 + 2 \times n]"),
    ],
    answer=r"The sheet adds: both $f_W(x)$ and $\partial l/\partial W$ sum from 0 to 2 and index $x$ as "
           r"$a + 2b$, but their dimensions differ ($1 \times 3$ against $1 \times 15$). (Its (ii) has the two "
           r"indices of $x$ the other way round; this (iv) has them right.)",
)
