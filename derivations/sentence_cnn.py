"""Sheet 000, section 3: the sizes of a sentence CNN and a sentence RNN, and their softmax layers.

3(a) CNN.  A 10-word sentence of 300-dimensional embeddings (10×300) goes
through F kernels of size 3×300 (stride 1, zero padding 1), max pooling with a
10×1 window, a fully connected layer to 3 classes and a softmax.  Sizes are
written as the sheet does: the convolution output is positions × width ×
kernels (10×1×5).

"Zero padding size = 1" has two readings, both checked: padding on the time
axis only (the usual one for text: the kernel spans the whole embedding), and
padding on both axes (as a 2-D convolution's padding=1 does): then the
embedding axis gives 300 + 2 − 300 + 1 = 3 positions, not 1.  Part 2 says
"Conv Kernel number: 10" with output 10×1×5; with 10 kernels the output has
10 channels.

The reference of each size is the engine's conv_out/pool_out; the oracle runs a
NumPy convolution and pooling (derivations/_layers.py) on zero tensors of the
stated sizes.

3(b) RNN.  s_t = tanh(U X_t + W s_{t−1}) with a 50-dimensional state, 300-
dimensional words, 10 steps, an FC layer to 4 classes and a softmax.  The
sheet gives X_t ∈ R^{1×300} (a row) but U ∈ R^{50×300} multiplying it on the
left: that product is undefined.  Two readings: X_t is a column (then the
sheet's X_t size is the slip), or X_t is a row as printed and the RNN is
written in the row convention s_t = tanh(X_t U + s_{t−1} W) (then U, the
states and the FC sizes are transposed).  The oracle runs a NumPy RNN on zero
tensors, each weight shaped so that its product with the data is defined.
"""
from functools import lru_cache

import numpy as np

from ._layers import conv2d, pool2d
from symcheck import Claim, Entry, Index, Notation, Size, Value, define, vector

SHEET = "000_0faae9380a816116"


def _size(name, value, latex=None):
    return Size(name, small=(value,), random=None, latex=latex)


CNN_SIZES = [_size("N", 10), _size("D", 300), _size("K", 3), _size("F", 5), _size("P", 1), _size("S", 1),
             _size("C", 3), _size("Q", 50000, "|V|")]
CNN_QUESTION = (r"A sentence of 10 words, each a $1 \times 300$ vector of a trained $50k \times 300$ embedding, is "
                r"mapped by a one-layer CNN (convolution and pooling) to a vector of length 5, then by a fully "
                r"connected layer with soft(arg)max to the probabilities of 3 classes. Give the sizes of the input, "
                r"kernels and outputs at each step.")


@lru_cache(maxsize=None)
def _cnn_shapes(N, D, K, F, P, S, C, Q, pad_width: bool):
    """Run the sentence CNN on zeros; sizes in the sheet's layouts."""
    embedding = np.broadcast_to(0.0, (Q, D))  # the 50k × 300 embedding matrix, never materialised
    words = np.arange(N) % Q
    x_in = embedding[words]  # N × D
    conv = conv2d(x_in[None], np.zeros((F, 1, K, D)), np.zeros(F), stride=S, pad=(P, P if pad_width else 0))
    x_c = np.moveaxis(conv, 0, -1)  # positions × width × kernels
    pooled = pool2d(conv, (x_c.shape[0], 1), (S, S))  # a window spanning every position: F × 1 × 1
    x_p0 = pooled.reshape(F, -1).T  # 1 × F
    x_p = x_p0.T  # F × 1
    w, b = np.zeros((C, x_p.shape[0])), np.zeros((C, 1))
    x_f = w @ x_p + b
    e = np.exp(x_f - x_f.max())
    x_out = e / e.sum()
    return {"input": x_in.shape, "conv": x_c.shape, "pool": x_p0.shape,
            "head": x_p.shape + w.shape + b.shape + x_f.shape + x_out.shape}


def _cnn_entry(id, title, problem, reading, expr, stage, claims, pad_width=False, sizes=CNN_SIZES, answer=""):
    def oracle(N, D, K, F, P, S, C, Q):
        return np.array(_cnn_shapes(N, D, K, F, P, S, C, Q, pad_width)[stage], dtype=float)

    asks = Value(expr=expr, oracle=oracle)
    asks.points_per_instance = 1  # a deterministic size: one run of the network is the evidence
    return Entry(id=id, title=title, sheet=SHEET, problem=problem, question=CNN_QUESTION, reading=reading,
                 notation=Notation(sizes=sizes), asks=asks, claims=claims, answer=answer)


TIME_ONLY = ("Zero padding 1 on the time (word) axis only; the 3×300 kernel spans the whole embedding, so the "
             "embedding axis has conv_out(300, 300) = 1 position.")
BOTH_AXES = ("Zero padding 1 on both axes (a 2-D convolution with padding = 1): the embedding axis has "
             "300 + 2·1 − 300 + 1 = 3 positions.")
CONV_TIME = "(conv_out(N, K, S, P), conv_out(D, D, S, 0), F)"
CONV_BOTH = "(conv_out(N, K, S, P), conv_out(D, D, S, P), F)"
CONV_TEX = r"X_c \in \mathbb{R}^{10*1*5}"
OCR_R = "OCR: the sheet's R is $\\mathbb{R}$."

cnn_input = _cnn_entry(
    "sentence-cnn-input", "Sentence CNN: the input size", "3(a)",
    "The input stacks the embeddings (1×300 rows) of the 10 words.",
    "(N, D)", "input",
    [Claim("(10, 300)", r"X_{in} \in \mathbb{R}^{10*300}", label="part 1",
           note="OCR: X_i n is X_{in}. Part 2 (a) and (b) state the same size."),
     Claim("(10, 300)", r"X_{in} \in \mathbb{R}^{10*300}", label="part 2", note="Part 2 (a): 'Input size'.")],
)

cnn_conv_time = _cnn_entry(
    "sentence-cnn-conv-time-padding", "Sentence CNN: the convolution output (padding on the time axis)", "3(a)",
    TIME_ONLY + " 5 kernels (part 1).", CONV_TIME, "conv",
    [Claim("(10, 1, 5)", CONV_TEX, label="part 1",
           note="Part 1 (b): 5 kernels, each 3*300, zero padding size = 1, stride size = 1. " + OCR_R),
     Claim("(10, 1, 5)", CONV_TEX, label="part 2",
           note="Part 2's output with part 1's 5 kernels; its 'Conv Kernel number: 10' is checked in "
                "sentence-cnn-conv-ten-kernels.")],
)

cnn_conv_both = _cnn_entry(
    "sentence-cnn-conv-both-padding", "Sentence CNN: the convolution output (padding on both axes)", "3(a)",
    BOTH_AXES + " 5 kernels (part 1).", CONV_BOTH, "conv",
    [Claim("(10, 1, 5)", CONV_TEX, label="sheet", expect="refuted",
           note="Under this reading the embedding axis has 3 positions. " + OCR_R),
     Claim("(10, 3, 5)", r"X_c \in \mathbb{R}^{10*3*5}", label="corrected", source="correction",
           corrects="sheet")],
    pad_width=True,
    answer="The sheet's 10×1×5 needs the padding on the time axis only (sentence-cnn-conv-time-padding).",
)

TEN = [_size("F", 10) if s.name == "F" else s for s in CNN_SIZES]
cnn_conv_ten = _cnn_entry(
    "sentence-cnn-conv-ten-kernels", "Sentence CNN, part 2: 'Conv Kernel number: 10'", "3(a)",
    TIME_ONLY + " 10 kernels, as part 2 (b) states ('Conv Kernel number: 10').", CONV_TIME, "conv",
    [Claim("(10, 1, 5)", CONV_TEX, label="part 2", expect="refuted",
           note="Part 2 (b) prints 'Conv Kernel number: 10, output: X_c ∈ R^{10*1*5}'. Ten kernels give ten channels. Part 1 uses 5 kernels, and the pooled vector has length 5: "
                "'10' is a slip for 5. " + OCR_R),
     Claim("(10, 1, 10)", r"X_c \in \mathbb{R}^{10*1*10}", label="corrected", source="correction",
           corrects="part 2",
           note="Or keep the output 10×1×5 and the kernel number 5 (sentence-cnn-conv-time-padding).")],
    sizes=TEN,
)

POOL = f"(pool_out(conv_out(N, K, S, P), N, S)*pool_out(conv_out(D, D, S, 0), 1, S), F)"
cnn_pool = _cnn_entry(
    "sentence-cnn-pool", "Sentence CNN: the pooled vector", "3(a)",
    TIME_ONLY + " Max pooling with a 10×1 window over the 10×1×5 map, stride 1 (any stride gives one window); the "
                "pooled 1×1×5 tensor is written 1×5.",
    POOL, "pool",
    [Claim("(1, 5)", r"X_{p0} \in \mathbb{R}^{1*5}", label="part 1",
           note="OCR: X_p 0 is X_{p0}. " + OCR_R)],
)

HEAD = (f"(F*pool_out(conv_out(N, K, S, P), N, S), 1, C, F*pool_out(conv_out(N, K, S, P), N, S), C, 1, C, 1, C, 1)")
cnn_head = _cnn_entry(
    "sentence-cnn-head-shapes", "Sentence CNN: the fully connected and softmax sizes", "3(a)",
    TIME_ONLY + " The quantity lists the sizes of X_p = X_{p0}ᵀ, the FC weight w, the bias b, X_f = w X_p + b and "
                "the softmax output X_out (rows, columns each). The weight has as many columns as X_p has rows "
                "(so that w X_p is defined) and one row per class.",
    HEAD, "head",
    [Claim("(5, 1, 3, 5, 3, 1, 3, 1, 3, 1)",
           r"X_p = X_{p0}^T \in \mathbb{R}^{5*1},\ w \in \mathbb{R}^{3*5},\ b \in \mathbb{R}^{3*1},\ "
           r"X_f = wX_p + b \in \mathbb{R}^{3*1},\ X_{out} \in \mathbb{R}^{3*1}", label="sheet",
           note="Parts 1 (c)–(e) and 2 (c)–(e) state these sizes. Part 2 (e) also lists a softmax 'kernel' "
                "R^{3×3}: a softmax has no weights (3×3 is the size of its Jacobian); see the prose entry. " + OCR_R
                + " The claim is the list of the shapes.")],
)


# -- the softmax formula -----------------------------------------------------------------

def _softmax_entry(id, problem, classes, name_f, name_out):
    size = Size("C", small=(classes,), random=None)
    xf = vector("Xf", "C", name_f, doc="the logits")

    def oracle(Xf):
        e = np.exp(Xf - Xf.max())
        return e / e.sum()

    latex = (rf"{name_out}[i] = \frac{{e^{{{name_f}[i]}}}}{{\sum_j {name_f}[j]}}")
    return Entry(
        id=id,
        title=f"Sentence {'CNN' if classes == 3 else 'RNN'}: the softmax layer",
        sheet=SHEET,
        problem=problem,
        question=rf"The softmax layer maps ${name_f} \in R^{{{classes} \times 1}}$ to ${name_out}$; give "
                 rf"${name_out}[i]$ and $\sum_i {name_out}[i]$.",
        reading="The quantity is softmax(X_f)_i. The sheet prints the denominator as Σ_e X_f[i].",
        notation=Notation(variables=[xf], definitions=[define("Xout", "softmax(Xf)", name_out, shape=("C",))],
                          sizes=[size], indices=[Index("i", 1, "C"), Index("j", 1, "C")]),
        asks=Value(expr="Xout[i]", oracle=oracle, index=("i",), shape=("C",)),
        claims=[
            Claim("exp(Xf[i])/Sum(Xf[j], j)", latex, label="as printed", expect="refuted",
                  note="The sheet prints the denominator as Σ_e " + name_f + "[i], read as Σ_j " + name_f + "[j]. "
                       "As printed the denominator sums the logits, not their exponentials: not a softmax (it can "
                       "be negative or zero). The subscript e of Σ_e is the exponent e^{·} that fell into the "
                       "subscript: a typesetting or OCR slip, repaired below. The sheet's 'thus Σ X_out[i] = 1' "
                       "holds only for the repaired formula."),
            Claim("exp(Xf[i])/Sum(exp(Xf[j]), j)",
                  rf"{name_out}[i] = \frac{{e^{{{name_f}[i]}}}}{{\sum_j e^{{{name_f}[j]}}}}", label="repaired",
                  source="correction", corrects="as printed"),
        ],
        answer=r"$X_{out}[i] = e^{X_f[i]} / \sum_j e^{X_f[j]}$, so $\sum_i X_{out}[i] = 1$ "
               r"(sentence-cnn-softmax-sum).",
    )


cnn_softmax = _softmax_entry("sentence-cnn-softmax", "3(a)", 3, "X_f", "X_{out}")

cnn_softmax_sum = Entry(
    id="sentence-cnn-softmax-sum",
    title="Sentence CNN: the softmax outputs sum to one",
    sheet=SHEET,
    problem="3(a)",
    question=r"Show $\sum_i X_{out}[i] = 1$ for the softmax output $X_{out}$.",
    reading="With the repaired softmax (sentence-cnn-softmax).",
    notation=Notation(variables=[vector("Xf", "C", "X_f")],
                      definitions=[define("Xout", "softmax(Xf)", "X_{out}", shape=("C",))],
                      sizes=[Size("C", small=(3, 4), random=(2, 6))], indices=[Index("i", 1, "C")]),
    asks=Value(expr="Sum(Xout[i], i)", oracle=lambda Xf: float((np.exp(Xf) / np.exp(Xf).sum()).sum())),
    claims=[Claim("1", r"\sum_e X_{out}[i] = 1", note="Σ_e is the sheet's Σ_i (see sentence-cnn-softmax). C = 3 "
                                                       "here, C = 4 in 3(b).")],
)


# -- 3(b): the RNN -------------------------------------------------------------------------

RNN_SIZES = [_size("T", 10), _size("D", 300), _size("H", 50), _size("C", 4)]
RNN_QUESTION = (r"A simple RNN maps the 10-word sentence to a vector of length 50, then a fully connected layer with "
                r"soft(arg)max gives the probabilities of 4 classes. Give the sizes of all the RNN components: "
                r"input, initial state, $U$, $W$, the states $s_t$, the FC layer and the output.")


@lru_cache(maxsize=None)
def _rnn_shapes(T, D, H, C, rows: bool):
    """Run the RNN on zeros, every weight shaped so that its product with the data is defined."""
    x_in = np.zeros((T, D))
    if rows:  # s_t = tanh(X_t U + s_{t-1} W): rows throughout
        s = s0 = np.zeros((1, H))
        x_t = x_in[0:1, :]
        U, W = np.zeros((x_t.shape[1], H)), np.zeros((H, H))
        for t in range(T):
            s = np.tanh(x_in[t:t + 1, :] @ U + s @ W)
        w = np.zeros((s.shape[1], C))
        s_f = s @ w
    else:  # s_t = tanh(U X_t + W s_{t-1}): columns throughout
        s = s0 = np.zeros((H, 1))
        x_t = x_in[0:1, :].T
        U, W = np.zeros((H, x_t.shape[0])), np.zeros((H, H))
        for t in range(T):
            s = np.tanh(U @ x_in[t:t + 1, :].T + W @ s)
        w = np.zeros((C, s.shape[0]))
        s_f = w @ s
    e = np.exp(s_f - s_f.max())
    s_out = e / e.sum()
    return (x_in.shape + s0.shape + x_t.shape + U.shape + W.shape + s.shape + w.shape + s_f.shape + s_out.shape)


SHEET_RNN = "(10, 300, 50, 1, 1, 300, 50, 300, 50, 50, 50, 1, 4, 50, 4, 1, 4, 1)"
SHEET_RNN_TEX = (r"X_{in} \in \mathbb{R}^{10*300},\ s_0 \in \mathbb{R}^{50*1},\ X_t \in \mathbb{R}^{1*300},\ "
                 r"U \in \mathbb{R}^{50*300},\ W \in \mathbb{R}^{50*50},\ S_t \in \mathbb{R}^{50,1},\ "
                 r"w \in \mathbb{R}^{4*50},\ s_f \in \mathbb{R}^{4*1},\ s_{out} \in \mathbb{R}^{4*1}")
RNN_QUANTITY = ("The quantity lists (rows, columns) of X_in, s_0, X_t, U, W, s_t, the FC weight w, its output s_f and "
                "the softmax output $s_{out}$.")
RNN_NOTE = ("OCR: 's_0 ∈ R^5 0 * 1' is R^{50×1}; 'R^{50,1}' is 50×1; R is $\\mathbb{R}$. The sizes are "
            "stated in 3(b) 2 (b)–(f) and 3 (a)–(d); U ∈ R^{50*300} and W ∈ R^{50*50} stand for the sheet's 'U "
            "should be 50 * 300 and W should be 50 * 50' ('size U is 50 * 300', 'size W is 50 * 50'). The claim "
            "is the list of the shapes.")


def _rnn_entry(id, title, reading, expr, rows, claims, answer):
    def oracle(T, D, H, C):
        return np.array(_rnn_shapes(T, D, H, C, rows), dtype=float)

    asks = Value(expr=expr, oracle=oracle)
    asks.points_per_instance = 1
    return Entry(id=id, title=title, sheet=SHEET, problem="3(b)", question=RNN_QUESTION,
                 reading=reading + " " + RNN_QUANTITY, notation=Notation(sizes=RNN_SIZES), asks=asks, claims=claims,
                 answer=answer)


rnn_columns = _rnn_entry(
    "sentence-rnn-shapes-columns", "Sentence RNN: component sizes (column vectors)",
    "s_t = tanh(U X_t + W s_{t−1}) as the sheet writes it, with column vectors: X_t is the word's embedding as a "
    "300×1 column.",
    "(T, D, H, 1, D, 1, H, D, H, H, H, 1, C, H, C, 1, C, 1)", False,
    [Claim(SHEET_RNN, SHEET_RNN_TEX, label="sheet", expect="refuted",
           note=RNN_NOTE + " Only X_t is off: U X_t with U 50×300 needs X_t 300×1 (the transposed embedding row)."),
     Claim("(10, 300, 50, 1, 300, 1, 50, 300, 50, 50, 50, 1, 4, 50, 4, 1, 4, 1)",
           SHEET_RNN_TEX.replace(r"X_t \in \mathbb{R}^{1*300}", r"X_t \in \mathbb{R}^{300*1}"),
           label="corrected", source="correction", corrects="sheet",
           note="The sheet's list with X_t ∈ R^{300×1}, the only change.")],
    "Every size of the sheet holds once X_t is read as a column (the transposed 1×300 embedding row).",
)

rnn_rows = _rnn_entry(
    "sentence-rnn-shapes-rows", "Sentence RNN: component sizes (row vectors, X_t as printed)",
    "X_t ∈ R^{1×300} as printed, and the RNN in the row convention that makes it conform: "
    "s_t = tanh(X_t U + s_{t−1} W), s_f = s_t w.",
    "(T, D, 1, H, 1, D, D, H, H, H, 1, H, H, C, 1, C, 1, C)", True,
    [Claim(SHEET_RNN, SHEET_RNN_TEX, label="sheet", expect="refuted",
           note=RNN_NOTE + " With X_t a row, U must be 300×50, the states 1×50, the FC weight 50×4 and the outputs "
                           "1×4."),
     Claim("(10, 300, 1, 50, 1, 300, 300, 50, 50, 50, 1, 50, 50, 4, 1, 4, 1, 4)",
           r"X_{in} \in \mathbb{R}^{10*300},\ s_0 \in \mathbb{R}^{1*50},\ X_t \in \mathbb{R}^{1*300},\ "
           r"U \in \mathbb{R}^{300*50},\ W \in \mathbb{R}^{50*50},\ s_t \in \mathbb{R}^{1*50},\ "
           r"w \in \mathbb{R}^{50*4},\ s_f \in \mathbb{R}^{1*4},\ s_{out} \in \mathbb{R}^{1*4}",
           label="corrected", source="correction", corrects="sheet",
           note="The sheet's list in the row convention: X_in and X_t as printed, U, the states and the FC sizes "
                "transposed.")],
    "Under the row reading the sheet's U, states and FC sizes are the transposes of what conforms.",
)

rnn_softmax = _softmax_entry("sentence-rnn-softmax", "3(b)", 4, "X_f", "X_{out}")
