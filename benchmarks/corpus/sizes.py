"""Sizes and counts: convolution and pooling output sizes (sheets 000, 001, 003),
the MNIST CNN's tensor shapes, parameter and unit counts, receptive fields.

Truth is computed by counting (window positions that fit, units, weights), not
from the catalogue's formulas.  A shape is a tuple, so "16 × 24 × 24" in a shape
question is the shape (16, 24, 24); in a question that asks for a count, "3 × 28"
is the product 84.  A flattened tensor's size may be written with or without the
leading batch dimension of 1 (10368 or 1 × 10368): both are compared as the
shape with its 1s dropped.  A question that asks for one count (the parameters
of a layer) is answered by that count alone.
"""
import numpy as np

from ._probe import Spec, item, softmax

CS231N_CONV = "https://cs231n.github.io/convolutional-networks/#conv"
CS231N_POOL = "https://cs231n.github.io/convolutional-networks/#pool"
D2L_PAD = "https://d2l.ai/chapter_convolutional-neural-networks/padding-and-strides.html"
TORCH_CONV = "https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html (shape section)"
JOVIAN = "https://jovianlin.io/calculate-the-output-size-of-conv-layer/"
ERRH = "https://errorhandle.ai/calculate-the-output-size-in-convolution-layer"
STUDENT = "typical student variant"


def positions(n, k, s=1, p=0, d=1):
    """How many windows of (dilated) size k fit in n + 2p at stride s, counted one by one."""
    span = d * (k - 1) + 1
    return sum(1 for start in range(0, n + 2 * p + 1, s) if start + span <= n + 2 * p)


def shape(*dims):
    return np.array(dims, dtype=float)


def flat(*dims):
    """A flattened size: the shape with its 1s dropped."""
    return np.array([d for d in dims if d != 1], dtype=float)


def const(value):
    return Spec(lambda rng: {}, lambda: value)


def _mnist(padding, stage):
    h, c = 28, 1
    shapes = [(1, 28, 28)]
    for depth in (16, 32):
        pad = 2 if padding else 0
        h = positions(h, 5, 1, pad)
        shapes.append((depth, h, h))
        h = positions(h, 2, 1)
        shapes.append((depth, h, h))
        c = depth
    if stage == "flatten":
        return flat(1, c * h * h)
    return shape(*shapes[["input", "conv1", "pool1", "conv2", "pool2"].index(stage)])


def _receptive_field():
    """The image pixels along one axis that reach pooled unit 10 (conv 3, stride 1, pad 1; pool 2, stride 2)."""
    pixels = {2 * 10 + u + v - 1 for u in range(2) for v in range(3)}
    side = len({p for p in pixels if 0 <= p < 256})
    return shape(side, side)


def _conv_sample(rng):
    return {k: int(rng.integers(lo, hi + 1)) for k, (lo, hi) in
            {"H": (10, 20), "W": (10, 20), "K": (1, 4), "S": (1, 4), "P": (0, 2), "D": (1, 3), "F": (1, 4)}.items()}


def _softmax_sample(c):
    return lambda rng: {"xf": rng.normal(size=c)}


ENTRIES = {
    **{f"mnist-same-{st}-shape": const(_mnist(True, st)) for st in ("input", "conv1", "pool1", "conv2", "pool2",
                                                                     "flatten")},
    **{f"mnist-valid-{st}-shape": const(_mnist(False, st)) for st in ("input", "conv1", "pool1", "conv2", "pool2",
                                                                       "flatten")},
    "convnet-receptive-field": const(_receptive_field()),
    "convnet-conv-output-side": const(positions(256, 3, 1, 1)),
    "convnet-conv-units": const(3 * positions(256, 3, 1, 1) ** 2),
    "convnet-conv-parameters-gray": const(3 * (3 * 3 * 1 + 1)),
    "convnet-conv-parameters-rgb": const(3 * (3 * 3 * 3 + 1)),
    "convnet-pool-output-side": const(positions(positions(256, 3, 1, 1), 2, 2)),
    "convnet-pool-units": const(3 * positions(positions(256, 3, 1, 1), 2, 2) ** 2),
    "conv-example-height-formula": const((11 - 5) / 4 + 1),
    "conv-example-width-formula": const((21 - 4) / 4 + 1),
    "conv-example-rounded-up": const(shape(np.ceil((11 - 5) / 4 + 1), np.ceil((21 - 4) / 4 + 1))),
    "conv-example-output-shape": const(shape(positions(11, 5, 4), positions(21, 4, 4))),
    "conv-output-size": Spec(_conv_sample, lambda H, K, S, P, D, **_: positions(H, K, S, P, D)),
    "conv-output-shape": Spec(_conv_sample, lambda F, H, W, K, S, P, D: shape(F, positions(H, K, S, P, D),
                                                                            positions(W, K, S, P, D))),
    "conv1d-strided-jacobian-x-size": const(positions(7, 3, 2) * 5 * 7),
    "sentence-cnn-input": const(shape(10, 300)),
    "sentence-cnn-conv-time-padding": const(shape(positions(10, 3, 1, 1), positions(300, 300), 5)),
    "sentence-cnn-pool": const(shape(positions(positions(10, 3, 1, 1), 10), 5)),
    "sentence-cnn-softmax": Spec(_softmax_sample(3), lambda xf: softmax(xf)),
    "sentence-rnn-softmax": Spec(_softmax_sample(4), lambda xf: softmax(xf)),
    "sentence-cnn-softmax-sum": Spec(_softmax_sample(3), lambda xf: float(np.sum(softmax(xf)))),
}


def c(value):
    return lambda **_: value


def _hout(H, K, S, P, D, floor=True, dilation=True):
    span = D * (K - 1) + 1 if dilation else K
    v = (H + 2 * P - span) / S + 1
    return np.floor(v) if floor else v


CLAIMS = {
    "s_1_28_28": c(shape(1, 28, 28)), "s_28_28_1": c(shape(28, 28, 1)),
    "s_16_28_28": c(shape(16, 28, 28)), "s_16_24_24": c(shape(16, 24, 24)), "s_16_27_27": c(shape(16, 27, 27)),
    "s_16_14_14": c(shape(16, 14, 14)), "s_32_27_27": c(shape(32, 27, 27)), "s_32_23_23": c(shape(32, 23, 23)),
    "s_32_26_26": c(shape(32, 26, 26)), "s_32_7_7": c(shape(32, 7, 7)), "s_16_23_23": c(shape(16, 23, 23)),
    "s_16_12_12": c(shape(16, 12, 12)), "s_32_19_19": c(shape(32, 19, 19)), "s_32_8_8": c(shape(32, 8, 8)),
    "s_32_18_18": c(shape(32, 18, 18)), "s_32_4_4": c(shape(32, 4, 4)),
    "f_21632": c(flat(21632)), "f_1568": c(flat(1568)), "f_10368": c(flat(10368)), "f_512": c(flat(512)),
    "rf_4": c(shape(4, 4)), "rf_3": c(shape(3, 3)), "rf_6": c(shape(6, 6)),
    "n_256": c(256), "n_254": c(254), "n_258": c(258),
    "n_196608": c(196608), "n_65536": c(65536), "n_199692": c(258 * 258 * 3),
    "n_30": c(30), "n_27": c(27), "n_84": c(84), "n_28": c(28), "n_81": c(81),
    "n_128": c(128), "n_127": c(127), "n_49152": c(49152), "n_16384": c(16384),
    "n_2.5": c(2.5), "n_2": c(2), "n_5.25": c(5.25), "n_4.5": c(4.5), "n_105": c(105), "n_35": c(35),
    "s_3_6": c(shape(3, 6)), "s_2_5": c(shape(2, 5)), "s_3_5": c(shape(3, 5)),
    "hout_ok": lambda H, K, S, P, D, **_: _hout(H, K, S, P, D),
    "hout_nofloor": lambda H, K, S, P, D, **_: _hout(H, K, S, P, D, floor=False),
    "hout_nodil": lambda H, K, S, P, D, **_: _hout(H, K, S, P, D, dilation=False),
    "hout_offby1": lambda H, K, S, P, D, **_: np.floor((H + 2 * P - D * (K - 1)) / S) + 1,
    "shape_ok": lambda F, H, W, K, S, P, D: shape(F, _hout(H, K, S, P, D), _hout(W, K, S, P, D)),
    "shape_nodil": lambda F, H, W, K, S, P, D: shape(F, _hout(H, K, S, P, D, dilation=False),
                                                     _hout(W, K, S, P, D, dilation=False)),
    "shape_no_f": lambda F, H, W, K, S, P, D: shape(_hout(H, K, S, P, D), _hout(W, K, S, P, D)),
    "s_10_300": c(shape(10, 300)), "s_300_10": c(shape(300, 10)),
    "s_10_1_5": c(shape(10, 1, 5)), "s_8_1_5": c(shape(8, 1, 5)),
    "s_1_5": c(shape(1, 5)), "s_10_5": c(shape(10, 5)),
    "sm_ok": lambda xf: np.exp(xf) / np.sum(np.exp(xf)),
    "sm_linear": lambda xf: xf / np.sum(xf),
    "sm_sheet": lambda xf: np.exp(xf) / np.sum(xf),
    "n_1": lambda xf: 1.0,
    "n_3": lambda xf: 3.0,
}

HOUT = r"\left\lfloor\frac{H+2P-D(K-1)-1}{S}\right\rfloor+1"
WOUT = r"\left\lfloor\frac{W+2P-D(K-1)-1}{S}\right\rfloor+1"
SM = r"\frac{e^{X_f[i]}}{\sum_{j} e^{X_f[j]}}"

ITEMS = [
    item("mnist-same-input-shape", r"1 \times 28 \times 28", "s_1_28_28", STUDENT),
    item("mnist-same-input-shape", r"(28, 28, 1)", "s_28_28_1", "https://www.tensorflow.org/tutorials/images/cnn"),
    item("mnist-same-conv1-shape", r"(16, 28, 28)", "s_16_28_28", D2L_PAD),
    item("mnist-same-conv1-shape", r"(16, 24, 24)", "s_16_24_24", STUDENT),
    item("mnist-same-pool1-shape", r"16 \times 27 \times 27", "s_16_27_27", STUDENT),
    item("mnist-same-pool1-shape", r"(16, 14, 14)", "s_16_14_14", STUDENT),
    item("mnist-same-conv2-shape", r"(32, 27, 27)", "s_32_27_27", STUDENT),
    item("mnist-same-conv2-shape", r"(32, 23, 23)", "s_32_23_23", STUDENT),
    item("mnist-same-pool2-shape", r"32 \times 26 \times 26", "s_32_26_26", STUDENT),
    item("mnist-same-pool2-shape", r"(32, 7, 7)", "s_32_7_7", "https://github.com/pytorch/examples/blob/main/mnist/main.py"),
    item("mnist-same-flatten-shape", r"21632", "f_21632", STUDENT),
    item("mnist-same-flatten-shape", r"1 \times 21632", "f_21632", STUDENT),
    item("mnist-same-flatten-shape", r"32 \cdot 7 \cdot 7", "f_1568", STUDENT),
    item("mnist-valid-input-shape", r"(1, 28, 28)", "s_1_28_28", STUDENT),
    item("mnist-valid-input-shape", r"(16, 28, 28)", "s_16_28_28", STUDENT),
    item("mnist-valid-conv1-shape", r"(16, 24, 24)", "s_16_24_24", CS231N_CONV),
    item("mnist-valid-conv1-shape", r"16 \times 24 \times 24", "s_16_24_24", STUDENT),
    item("mnist-valid-conv1-shape", r"(16, 23, 23)", "s_16_23_23", STUDENT),
    item("mnist-valid-pool1-shape", r"(16, 23, 23)", "s_16_23_23", STUDENT),
    item("mnist-valid-pool1-shape", r"(16, 12, 12)", "s_16_12_12", STUDENT),
    item("mnist-valid-conv2-shape", r"(32, 19, 19)", "s_32_19_19", STUDENT),
    item("mnist-valid-conv2-shape", r"(32, 8, 8)", "s_32_8_8", STUDENT),
    item("mnist-valid-pool2-shape", r"(32, 18, 18)", "s_32_18_18", STUDENT),
    item("mnist-valid-pool2-shape", r"(32, 4, 4)", "s_32_4_4", STUDENT),
    item("mnist-valid-flatten-shape", r"10368", "f_10368", "issue 9, case 5"),
    item("mnist-valid-flatten-shape", r"(1, 10368)", "f_10368", STUDENT),
    item("mnist-valid-flatten-shape", r"32 \cdot 4 \cdot 4", "f_512", STUDENT),
    item("convnet-receptive-field", r"4 \times 4", "rf_4", STUDENT),
    item("convnet-receptive-field", r"(4, 4)", "rf_4", STUDENT),
    item("convnet-receptive-field", r"3 \times 3", "rf_3", STUDENT),
    item("convnet-receptive-field", r"(6, 6)", "rf_6", STUDENT),
    item("convnet-conv-output-side", r"256", "n_256", CS231N_CONV),
    item("convnet-conv-output-side", r"\frac{256-3+2\cdot 1}{1}+1", "n_256", CS231N_CONV),
    item("convnet-conv-output-side", r"\frac{H-K_c+2P}{S_c}+1", "n_256", JOVIAN),
    item("convnet-conv-output-side", r"256 - 3 + 1", "n_254", STUDENT),
    item("convnet-conv-output-side", r"258", "n_258", STUDENT),
    item("convnet-conv-units", r"256 \times 256 \times 3", "n_196608", STUDENT),
    item("convnet-conv-units", r"196608", "n_196608", STUDENT),
    item("convnet-conv-units", r"256^2", "n_65536", STUDENT),
    item("convnet-conv-units", r"258 \cdot 258 \cdot 3", "n_199692", STUDENT),
    item("convnet-conv-parameters-gray", r"30", "n_30", CS231N_CONV),
    item("convnet-conv-parameters-gray", r"3 \times (3 \times 3 + 1)", "n_30", STUDENT),
    item("convnet-conv-parameters-gray", r"27", "n_27", STUDENT),
    item("convnet-conv-parameters-rgb", r"84", "n_84", "issue 9, case 5"),
    item("convnet-conv-parameters-rgb", r"3 \times 28", "n_84", "issue 9, case 5"),
    item("convnet-conv-parameters-rgb", r"3\left(3 \cdot 3 \cdot 3 + 1\right)", "n_84", CS231N_CONV),
    item("convnet-conv-parameters-rgb", r"28", "n_28", STUDENT),
    item("convnet-conv-parameters-rgb", r"81", "n_81", STUDENT),
    item("convnet-pool-output-side", r"128", "n_128", CS231N_POOL),
    item("convnet-pool-output-side", r"\frac{256-2}{2}+1", "n_128", CS231N_POOL),
    item("convnet-pool-output-side", r"127", "n_127", STUDENT),
    item("convnet-pool-units", r"128 \times 128 \times 3", "n_49152", STUDENT),
    item("convnet-pool-units", r"128^2", "n_16384", STUDENT),
    item("conv-example-height-formula", r"\frac{11-5}{4}+1", "n_2.5", CS231N_CONV),
    item("conv-example-height-formula", r"2.5", "n_2.5", STUDENT),
    item("conv-example-height-formula", r"\left\lfloor\frac{11-5}{4}\right\rfloor+1", "n_2", STUDENT),
    item("conv-example-width-formula", r"\frac{W_{in}-K_W}{S}+1", "n_5.25", CS231N_CONV),
    item("conv-example-width-formula", r"\frac{21-4}{4}+1", "n_5.25", STUDENT),
    item("conv-example-width-formula", r"\frac{21-4+1}{4}", "n_4.5", STUDENT),
    item("conv-example-rounded-up", r"3 \times 6", "s_3_6", STUDENT),
    item("conv-example-rounded-up", r"2 \times 5", "s_2_5", STUDENT),
    item("conv-example-output-shape", r"2 \times 5", "s_2_5", JOVIAN),
    item("conv-example-output-shape", r"3 \times 6", "s_3_6", STUDENT),
    item("conv-example-output-shape", r"3 \times 5", "s_3_5", STUDENT),
    item("conv-output-size", HOUT, "hout_ok", TORCH_CONV),
    item("conv-output-size", r"\left\lfloor \frac{H + 2P - D\cdot(K-1) - 1}{S} + 1 \right\rfloor", "hout_ok", STUDENT),
    item("conv-output-size", r"\frac{H+2P-D(K-1)-1}{S}+1", "hout_nofloor", STUDENT),
    item("conv-output-size", r"\left\lfloor\frac{H+2P-K}{S}\right\rfloor+1", "hout_nodil", ERRH),
    item("conv-output-size", r"\left\lfloor\frac{H+2P-D(K-1)}{S}\right\rfloor+1", "hout_offby1", STUDENT),
    item("conv-output-shape", r"F \times \left(" + HOUT + r"\right) \times \left(" + WOUT + r"\right)", "shape_ok",
         TORCH_CONV),
    item("conv-output-shape", r"F \times \left(\left\lfloor\frac{H+2P-K}{S}\right\rfloor+1\right) \times "
         r"\left(\left\lfloor\frac{W+2P-K}{S}\right\rfloor+1\right)", "shape_nodil", STUDENT),
    item("conv-output-shape", r"\left(" + HOUT + r"\right) \times \left(" + WOUT + r"\right)", "shape_no_f", STUDENT),
    item("conv1d-strided-jacobian-x-size", r"105", "n_105", STUDENT),
    item("conv1d-strided-jacobian-x-size", r"3 \times 35", "n_105", STUDENT),
    item("conv1d-strided-jacobian-x-size", r"35", "n_35", STUDENT),
    item("sentence-cnn-input", r"10 \times 300", "s_10_300", "https://arxiv.org/abs/1408.5882"),
    item("sentence-cnn-input", r"300 \times 10", "s_300_10", STUDENT),
    item("sentence-cnn-conv-time-padding", r"10 \times 1 \times 5", "s_10_1_5", STUDENT),
    item("sentence-cnn-conv-time-padding", r"(8, 1, 5)", "s_8_1_5", STUDENT),
    item("sentence-cnn-pool", r"1 \times 5", "s_1_5", STUDENT),
    item("sentence-cnn-pool", r"10 \times 5", "s_10_5", STUDENT),
    item("sentence-cnn-softmax", SM, "sm_ok", "https://d2l.ai/chapter_linear-classification/softmax-regression.html"),
    item("sentence-cnn-softmax", r"\frac{X_f[i]}{\sum_{j} X_f[j]}", "sm_linear", STUDENT),
    item("sentence-cnn-softmax", r"\frac{e^{X_f[i]}}{\sum_{j} X_f[j]}", "sm_sheet", STUDENT),
    item("sentence-rnn-softmax", r"\frac{\exp(X_f[i])}{\sum_{j=1}^{4} \exp(X_f[j])}", "sm_ok", STUDENT),
    item("sentence-rnn-softmax", r"\frac{X_f[i]}{\sum_{j} X_f[j]}", "sm_linear", STUDENT),
    item("sentence-cnn-softmax-sum", r"1", "n_1", STUDENT),
    item("sentence-cnn-softmax-sum", r"3", "n_3", STUDENT),
]
