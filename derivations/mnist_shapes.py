"""Sheet 000, sections 4.2 and 4.3: every tensor size of the MNIST CNN.

The model: input 1×28×28, convolution (16 filters, 5×5), max pooling (2×2),
convolution (32 filters, 5×5), max pooling (2×2), flatten, linear, soft(arg)max.
Stride 1 on convolutions and pooling (the question's stride_size = 1; the
sheet insists the pooling stride is 1 too).  Same padding is padding
(K − 1)/2 = 2 on every side; valid padding is none.  Sizes are written
(depth × width × height), as on the sheet.

The reference of each size is the engine's conv_out/pool_out; the oracle runs
a NumPy convolution and pooling (derivations/_layers.py) on zero tensors of
the stated sizes and reads the output shape.
"""
from functools import lru_cache

import numpy as np

from ._layers import conv2d, pool2d
from symcheck import Claim, Entry, Notation, Size, Value

SHEET = "000_0faae9380a816116"
SIZES = [
    Size("H", small=(28,), random=None),
    Size("Cin", small=(1,), random=None, latex="C_{in}"),
    Size("C1", small=(16,), random=None, latex="C_1"),
    Size("C2", small=(32,), random=None, latex="C_2"),
    Size("K", small=(5,), random=None),
    Size("Kp", small=(2,), random=None, latex="K_p"),
    Size("S", small=(1,), random=None),
]


@lru_cache(maxsize=None)
def _network_shapes(same: bool, H, Cin, C1, C2, K, Kp, S):
    """Run the model on a zero image with zero filters; the shape after each layer."""
    pad = (K - 1) // 2 if same else 0
    x = np.zeros((Cin, H, H))
    c1 = conv2d(x, np.zeros((C1, Cin, K, K)), np.zeros(C1), stride=S, pad=(pad, pad))
    p1 = pool2d(c1, (Kp, Kp), (S, S))
    c2 = conv2d(p1, np.zeros((C2, C1, K, K)), np.zeros(C2), stride=S, pad=(pad, pad))
    p2 = pool2d(c2, (Kp, Kp), (S, S))
    flat = p2.reshape(1, -1)
    return {"input": x.shape, "conv1": c1.shape, "pool1": p1.shape, "conv2": c2.shape, "pool2": p2.shape,
            "flatten": flat.shape}


def _stage_texts(pad: str) -> dict:
    conv1 = f"conv_out(H, K, S, {pad})"
    pool1 = f"pool_out({conv1}, Kp, S)"
    conv2 = f"conv_out({pool1}, K, S, {pad})"
    pool2 = f"pool_out({conv2}, Kp, S)"
    return {
        "input": "(Cin, H, H)",
        "conv1": f"(C1, {conv1}, {conv1})",
        "pool1": f"(C1, {pool1}, {pool1})",
        "conv2": f"(C2, {conv2}, {conv2})",
        "pool2": f"(C2, {pool2}, {pool2})",
        "flatten": f"(1, C2*{pool2}*{pool2})",
    }


STAGES = [
    ("input", "Input size", "2"),
    ("conv1", "Output of first convolution", "3"),
    ("pool1", "Output of first pooling", "4"),
    ("conv2", "Output of second convolution", "5"),
    ("pool2", "Output of second pooling", "6"),
    ("flatten", "Flattened before the linear layer", "7"),
]

PADDINGS = {
    "same": dict(problem="4.2", pad="(K - 1)/2", title="zero (same) padding",
                 question=r"With conv\_kernel\_size = 5, pooling\_kernel\_size = 2, stride\_size = 1, "
                          r"zero\_padding = True, max\_pooling = True, give every tensor size of the model "
                          r"(input, convolution, pooling, convolution, pooling, flatten).",
                 sheet={"input": ((1, 28, 28), r"1 \times 28 \times 28"),
                        "conv1": ((16, 28, 28), r"16 \times 28 \times 28"),
                        "pool1": ((16, 27, 27), r"16 \times 27 \times 27"),
                        "conv2": ((32, 27, 27), r"32 \times 27 \times 27"),
                        "pool2": ((32, 26, 26), r"32 \times 26 \times 26"),
                        "flatten": ((1, 21632), r"1 \times 21632")}),
    "valid": dict(problem="4.3", pad="0", title="valid padding",
                  question=r"With conv\_kernel\_size = 5, pooling\_kernel\_size = 2, stride\_size = 1, "
                           r"zero\_padding = False, max\_pooling = True, give every tensor size of the model "
                           r"(input, convolution, pooling, convolution, pooling, flatten).",
                  sheet={"input": ((1, 28, 28), r"1 \times 28 \times 28"),
                         "conv1": ((16, 24, 24), r"16 \times 24 \times 24"),
                         "pool1": ((16, 23, 23), r"16 \times 23 \times 23"),
                         "conv2": ((32, 19, 19), r"32 \times 19 \times 19"),
                         "pool2": ((32, 18, 18), r"32 \times 18 \times 18"),
                         "flatten": ((1, 10368), r"1 \times 10368")}),
}

READING = ("Filters are 5×5 (the question: 'the size of 5 implies a 5 by 5 kernel'), 16 then 32 of them (the "
           "sheet's depths); stride 1 on convolutions and pooling; no padding for the pooling. Same padding pads "
           "(K − 1)/2 = 2 on every side.")


def _entry(padding: str, stage: str, what: str, item: str):
    spec = PADDINGS[padding]
    same = padding == "same"
    value, latex = spec["sheet"][stage]

    def oracle(H, Cin, C1, C2, K, Kp, S):
        return np.array(_network_shapes(same, H, Cin, C1, C2, K, Kp, S)[stage], dtype=float)

    asks = Value(expr=_stage_texts(spec["pad"])[stage], oracle=oracle)
    asks.points_per_instance = 1  # a deterministic size: one run of the network is the evidence
    note = ""
    if stage == "flatten":
        note = "32 · 26 · 26 = 21632." if same else "32 · 18 · 18 = 10368."
    return Entry(
        id=f"mnist-{padding}-{stage}-shape",
        title=f"MNIST CNN with {spec['title']}: {what.lower()}",
        sheet=SHEET,
        problem=spec["problem"],
        question=spec["question"] + f" ({what}.)",
        reading=READING,
        notation=Notation(sizes=SIZES),
        asks=asks,
        claims=[Claim(str(value), latex, label="sheet",
                      note=(f"The sheet's item {item}: '{what}'. " + note).strip())],
    )


mnist_entries = [_entry(padding, stage, what, item) for padding in ("same", "valid")
                 for stage, what, item in STAGES]
