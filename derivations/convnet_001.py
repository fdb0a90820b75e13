"""Sheet 001, section 1: a small ConvNet's receptive field, units, parameters and max-pool derivative.

The architecture: a 256×256 image; a convolution with 3 filters of 3×3, stride
1, zero padding of one pixel (258×258 padded); then max pooling with 2×2
filters and stride 2.

* 1(a) The reference counts, along one axis, the input pixels p that reach the
  pooled unit j: p = (S_p·j + u)·S_c + v − P for a pooling tap u and a kernel
  tap v.  The oracle runs a NumPy convolution and max pooling and perturbs
  rows, then columns, of the image: a row influences the pooled unit when
  raising it changes the unit's value (the kernel weights are positive, so
  raising a row that reaches the window raises the maximum).  Groups of rows
  are raised together and split while they change the unit, so 256 rows cost
  a few dozen forward passes.
* 1(b) The image's channel count is not stated: one channel gives the sheet's
  30 parameters, an RGB image 84; both readings are checked.  The oracle counts
  the parameters whose finite-difference partial derivative of the layer's
  output is nonzero, on a small image (the count does not depend on the image
  size).
* 1(d) ∂y/∂z for y = max(z_1, ..., z_4) away from ties (a domain with no ties).
"""
from functools import lru_cache

import numpy as np

from ._layers import conv2d, pool2d
from symcheck import Claim, Entry, Gradient, Index, Notation, Size, Value, chain, domains, vector
from symcheck.gradcheck import numeric_gradient

SHEET = "001_40bb9e3d6bfa7e9d"


def _size(name, value, latex=None):
    return Size(name, small=(value,), random=None, latex=latex)


SIZES = [_size("H", 256), _size("F", 3), _size("Kc", 3, "K_c"), _size("Sc", 1, "S_c"), _size("P", 1),
         _size("Kp", 2, "K_p"), _size("Sp", 2, "S_p")]
QUESTION = (r"A $256 \times 256$ image goes through a convolution layer with 3 filters of $3 \times 3$, stride 1 and "
            r"zero padding of one pixel (the padded image is $258 \times 258$), then a max pooling layer with "
            r"$2 \times 2$ filters and stride 2.")
CONV = "conv_out(H, Kc, Sc, P)"
POOL = f"pool_out({CONV}, Kp, Sp)"


def _value(expr, oracle, points=1):
    asks = Value(expr=expr, oracle=oracle)
    asks.points_per_instance = points
    return asks


# -- 1(a): the receptive field ---------------------------------------------------------

RF_SIZES = SIZES + [Size("j", small=(10,), random=None, latex="j")]
# delta, not indicator(p == ...): SymPy folds a Piecewise out of a Sum nested in a condition (see the report).
REACH = "Sum(Sum(delta(p, (Sp*j + u)*Sc + v - P), (v, 0, Kc - 1)), (u, 0, Kp - 1))"
RF_COUNT = f"Sum(indicator({REACH} > 0), (p, 0, H - 1))"


def _forward(image, weights):
    """The layer pair on one image: 3×3 convolution (padding 1) then 2×2 max pooling, stride 2."""
    conv = conv2d(image[None], weights, np.zeros(len(weights)), stride=1, pad=(1, 1))
    return pool2d(conv, (2, 2), (2, 2))


def _influencing(changes, lo, hi) -> int:
    """How many of the lines lo..hi-1 influence the unit: a group of lines is bumped at once and split in two
    when the unit changes (adaptive group testing; exact because the response is monotone)."""
    if not changes(lo, hi):
        return 0
    if hi - lo == 1:
        return 1
    mid = (lo + hi) // 2
    return _influencing(changes, lo, mid) + _influencing(changes, mid, hi)


@lru_cache(maxsize=None)
def _receptive_field(H, F, Kc, j):
    rng = np.random.default_rng(0)
    image = rng.uniform(-1, 1, size=(H, H))
    weights = rng.uniform(0.5, 1.5, size=(F, 1, Kc, Kc))  # positive: raising an input raises every output it reaches
    base = _forward(image, weights)[0, j, j]

    def rows_change(lo, hi):
        bumped = image.copy()
        bumped[lo:hi, :] += 100.0
        return _forward(bumped, weights)[0, j, j] != base

    def cols_change(lo, hi):
        bumped = image.copy()
        bumped[:, lo:hi] += 100.0
        return _forward(bumped, weights)[0, j, j] != base

    return float(_influencing(rows_change, 0, H)), float(_influencing(cols_change, 0, H))


receptive_field = Entry(
    id="convnet-receptive-field",
    title="ConvNet: the receptive field of a pooling unit",
    sheet=SHEET,
    problem="1(a)",
    question=QUESTION + " Determine the size of the receptive field of a single unit in the pooling layer (the "
                        "region of the input image that influences its activation); assume it lies entirely within "
                        "the image.",
    reading="The pooled unit (j, j) with j = 10, an interior unit (0-based indices). Each axis is counted "
            "separately: the region is (rows) × (columns). Pooled unit j reads convolution outputs S_p·j + u "
            "(u = 0, 1); convolution output i reads the padded input at i·S_c + v (v = 0, 1, 2), the image pixel "
            "i·S_c + v − P.",
    notation=Notation(sizes=RF_SIZES),
    asks=_value(f"({RF_COUNT}, {RF_COUNT})", lambda H, F, Kc, j: np.array(_receptive_field(H, F, Kc, j))),
    claims=[Claim("(4, 4)", r"4 \times 4", label="sheet",
                  note="The sheet's 1-D picture: 4 input units feed the pooling unit, along each axis.")],
)


# -- 1(b): units and parameters of the convolution layer ------------------------------------

@lru_cache(maxsize=None)
def _conv_output(H, F, Kc, Sc, P):
    return conv2d(np.zeros((1, H, H)), np.zeros((F, 1, Kc, Kc)), np.zeros(F), stride=Sc, pad=(P, P)).shape


conv_side = Entry(
    id="convnet-conv-output-side",
    title="ConvNet: the side of the convolution output",
    sheet=SHEET,
    problem="1(b)",
    question=QUESTION + " How many units are there in the convolution layer? (First: its size along each axis.)",
    notation=Notation(sizes=SIZES),
    asks=_value(CONV, lambda H, F, Kc, Sc, P: float(_conv_output(H, F, Kc, Sc, P)[1])),
    claims=chain(
        Claim("(256 + 2*1 - 3)/1 + 1", r"(256 + 2 * 1 - 3)/1 + 1"),
        Claim("256", r"256"),
    ),
)

conv_units = Entry(
    id="convnet-conv-units",
    title="ConvNet: the number of units in the convolution layer",
    sheet=SHEET,
    problem="1(b)",
    question=QUESTION + " How many units are there in the convolution layer?",
    reading="One unit per output position and filter.",
    notation=Notation(sizes=SIZES),
    asks=_value(f"{CONV}*{CONV}*F", lambda H, F, Kc, Sc, P: float(np.prod(_conv_output(H, F, Kc, Sc, P)))),
    claims=[Claim("256*256*3", r"256 * 256 * 3",
                  note="The sheet says the layer's size is 256 * 256 * 3, the same width and height as the image.")],
)


def _parameter_counts(F, Kc, Cin):
    """(parameters of one filter, of the layer): those with a nonzero partial derivative of the layer's output."""
    rng = np.random.default_rng(1)
    image = rng.uniform(-1, 1, size=(Cin, 8, 8))  # the count does not depend on the image size
    upstream = rng.uniform(0.5, 1.5, size=(F, 8, 8))
    n_weights = F * Cin * Kc * Kc

    def loss(theta):
        theta = np.atleast_2d(theta)
        out = []
        for row in theta:
            w = row[:n_weights].reshape(F, Cin, Kc, Kc)
            b = row[n_weights:]
            out.append((upstream * conv2d(image, w, b, stride=1, pad=(1, 1))).sum())
        return np.array(out)

    theta0 = rng.uniform(-1, 1, size=n_weights + F)
    used = np.abs(numeric_gradient(loss, theta0)) > 1e-9
    filter0 = np.concatenate([used[:Cin * Kc * Kc], used[n_weights:n_weights + 1]])  # weights and bias of filter 0
    return float(filter0.sum()), float(used.sum())


# The question asks for one number, the layer's parameters; the per-filter count is a step on the way.
PARAMS = "Sum(1, (f, 1, F), (c, 1, Cin), (u, 1, Kc), (v, 1, Kc)) + F"


def _parameter_entry(channels):
    rgb = channels == 3
    sizes = SIZES + [_size("Cin", channels, "C_{in}")]
    claims = chain(
        Claim("3*(3*3 + 1)", r"3 \cdot (3 \cdot 3 + 1)",
              expect="refuted" if rgb else "proved",
              note=("The sheet: '3 * 3 + 1 = 10 parameters for each filter (+1 for the bias term) and 3 * 10 = 30 for "
                    "all the 3 filters'." + (" Each 3×3 filter of an RGB image has 3·3·3 weights, so 28 parameters."
                                             if rgb else ""))),
        Claim("30", r"30", expect="refuted" if rgb else "proved"),
    )
    if rgb:
        claims.append(Claim("3*(3*3*3 + 1)", r"3 \cdot (3 \cdot 3 \cdot 3 + 1)", label="corrected",
                            source="correction", corrects="step 2", note="28 per filter, 84 for the layer."))
    return Entry(
        id="convnet-conv-parameters-rgb" if rgb else "convnet-conv-parameters-gray",
        title=f"ConvNet: parameters of the convolution layer ({'RGB' if rgb else 'one-channel'} image)",
        sheet=SHEET,
        problem="1(b)",
        question=QUESTION + " How many parameters are there in the convolution layer?",
        reading=("The image has 3 channels (RGB): each filter is 3×3×3." if rgb else
                 "The image has one channel (grey scale): each filter is 3×3.") +
                " The quantity is the number of parameters of the layer: weights plus one bias per filter.",
        notation=Notation(sizes=sizes),
        asks=_value(PARAMS, lambda F, Kc, Cin: _parameter_counts(F, Kc, Cin)[1]),
        claims=claims,
        answer=("With an RGB input the layer has 3·(27 + 1) = 84 parameters; the sheet's 30 assumes one channel."
                if rgb else "30: the sheet's answer holds for a one-channel image."),
    )


parameters_gray = _parameter_entry(1)
parameters_rgb = _parameter_entry(3)


# -- 1(c): the pooling layer ------------------------------------------------------------------

@lru_cache(maxsize=None)
def _pool_output(H, F, Kc, Sc, P, Kp, Sp):
    conv = conv2d(np.zeros((1, H, H)), np.zeros((F, 1, Kc, Kc)), np.zeros(F), stride=Sc, pad=(P, P))
    return pool2d(conv, (Kp, Kp), (Sp, Sp)).shape


pool_side = Entry(
    id="convnet-pool-output-side",
    title="ConvNet: the side of the pooling output",
    sheet=SHEET,
    problem="1(c)",
    question=QUESTION + " How many units are there in the max pooling layer? (First: its size along each axis.)",
    notation=Notation(sizes=SIZES),
    asks=_value(POOL, lambda H, F, Kc, Sc, P, Kp, Sp: float(_pool_output(H, F, Kc, Sc, P, Kp, Sp)[1])),
    claims=chain(
        Claim("(256 - 2)/2 + 1", r"(256 - 2)/2 + 1"),
        Claim("128", r"128"),
    ),
)

pool_units = Entry(
    id="convnet-pool-units",
    title="ConvNet: the number of units in the pooling layer",
    sheet=SHEET,
    problem="1(c)",
    question=QUESTION + " How many units are there in the max pooling layer?",
    notation=Notation(sizes=SIZES),
    asks=_value(f"F*{POOL}*{POOL}", lambda H, F, Kc, Sc, P, Kp, Sp: float(np.prod(_pool_output(H, F, Kc, Sc, P, Kp, Sp)))),
    claims=[Claim("3*128*128", r"3 * 128 * 128")],
)


# -- 1(d): the derivative of max pooling -----------------------------------------------------

maxpool_derivative = Entry(
    id="convnet-maxpool-derivative",
    title="ConvNet: the derivative of max pooling",
    sheet=SHEET,
    problem="1(d)",
    question=r"What is the derivative of the output of the max pooling layer, $y = \max\{z_1, z_2, z_3, z_4\}$, with "
             r"respect to its inputs?",
    reading="The z_i are distinct (no ties), so the maximum is attained at one index i* and y is differentiable.",
    notation=Notation(variables=[vector("z", 4, "z", domains.distinct)],
                      indices=[Index("j", 1, 4)]),
    asks=Gradient(forward="max(z[1], z[2], z[3], z[4])", wrt="z", index=("j",),
                  oracle=lambda z: z.max(axis=-1)),
    claims=[Claim("Product(indicator(z[k] <= z[j]), (k, 1, 4))",
                  r"\frac{\partial y}{\partial z_j} = \prod_{k=1}^{4} \mathbb{1}\{z_k \le z_j\}",
                  expect="confirmed",
                  note="The sheet: 'i* = argmax_i z_i, ∂y/∂z_{i*} = 1 and ∂y/∂z_j = 0 for j ≠ i*', written as one "
                       "formula: ∂y/∂z_j is 1 exactly when z_j is the largest (the product of indicators is 1 only at "
                       "j = i*). The reference is SymPy's derivative of Max (Heaviside factors); the cascade does not "
                       "decide which of the z_i is largest, so the verdict rests on the numbers.")],
    answer="The gradient is passed back only to the unit with the maximum value.",
)
