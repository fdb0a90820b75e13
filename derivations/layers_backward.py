"""Sheet 002, Q1.1–Q1.3 and Q7.1: backward passes of the fully-connected,
ReLU and dropout layers, and the sign of the weight gradient behind a sigmoid.

Q1.1 does not say which forward convention its fully-connected layer uses, and
its three answers are written in matrix form, so they hold or fail with the
convention.  Each plausible reading is its own set of entries (one per
gradient, since an entry asks for one quantity), with the sheet's three claims
kept verbatim in every reading:

* ``Y = WᵀX + b`` with X a column vector: all three answers hold (the reading
  the sheet's answer is written for);
* ``Y = WX + b`` with X a column vector: ∂L/∂b holds, ∂L/∂W and ∂L/∂X are
  transposed (and ``W ∂L/∂Y`` is not even defined unless W is square);
* ``Y = XW + b`` with the batch as the rows of X (the layout of the course's own
  code): every answer fails;
* ``Y = WᵀX + b1ᵀ`` with the batch as the columns of X: ∂L/∂W and ∂L/∂X hold,
  ∂L/∂b must sum the upstream gradient over the batch.

Where the sheet's expression is only defined for equal dimensions, the entry
takes them equal (one size n) so that the expression can be evaluated and
refuted by numbers rather than rejected as malformed.

Every forward model is given twice: as text the engine differentiates, and as a
NumPy oracle (batch contract of gradcheck.py) whose finite differences are the
independent evidence.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Size, domains, matrix, scalar, vector

SHEET = "002_d2426a2ad95018f2"
DLDY = r"\frac{\partial L}{\partial Y}"

# The sheet's three answers, verbatim, in every reading.
SHEET_DW = ("X*dLdY.T", r"X \left(\frac{\partial L}{\partial Y}\right)^{T}")
SHEET_DB = ("dLdY", r"\frac{\partial L}{\partial Y}")
SHEET_DX = ("W*dLdY", r"W \frac{\partial L}{\partial Y}")

FC_QUESTION = (r"Fully-connected layer: given $\partial L/\partial Y$, find $\partial L/\partial {wrt}$ "
               r"(reading: {reading}).")


def _sheet_claim(pair, label, expect="proved", note=""):
    text, latex = pair
    return Claim(text, latex, label=label, expect=expect, note=note)


def _correction(text, latex, corrects, note=""):
    return Claim(text, latex, label="corrected", source="correction", corrects=corrects, note=note)


# -- reading A: Y = WᵀX + b, X a column ------------------------------------------------

COL = "Y = WᵀX + b, X a column vector (D inputs, M outputs)"
COL_HOLDS = "The sheet's answer holds under this reading, the one it is written for."
HOLDS_UNDER = ("Of the readings checked, the sheet's three answers all hold only under Y = WᵀX + b with X a single "
               "column (entries fc-backward-wtx-dw, -db, -dx).")
D, M = Size("d", small=(2, 3), random=(1, 5), latex="D"), Size("m", small=(2, 3), random=(1, 5), latex="M")


def _col_notation():
    return Notation(variables=[
        vector("X", "d", "X", doc="the input column"),
        matrix("W", "d", "m", "W", doc="weights, D×M"),
        vector("b", "m", "b", doc="bias"),
        vector("dLdY", "m", DLDY, doc="upstream gradient"),
    ], sizes=[D, M])


def _fc_col(W, X, b):
    """Y = Wᵀx + b; W or X may carry leading batch axes."""
    return np.einsum("...i,...ij->...j", X, W) + b


def _col_entry(slug, wrt, claims, title):
    return Entry(
        id=f"fc-backward-wtx-{slug}",
        title=f"Fully-connected layer, Y = WᵀX + b: {title}",
        sheet=SHEET,
        problem="Q1.1",
        reading=COL,
        question=FC_QUESTION.format(wrt=wrt, reading=r"$Y = W^T X + b$, $X$ a column"),
        notation=_col_notation(),
        asks=Gradient(forward="W.T*X + b", wrt=wrt, upstream="dLdY", oracle=_fc_col),
        claims=claims,
        answer=COL_HOLDS,
    )


fc_wtx_dw = _col_entry("dw", "W", [_sheet_claim(SHEET_DW, "sheet", note=COL_HOLDS)], "∂L/∂W")
fc_wtx_db = _col_entry("db", "b", [_sheet_claim(SHEET_DB, "sheet", note=COL_HOLDS)], "∂L/∂b")
fc_wtx_dx = _col_entry("dx", "X", [_sheet_claim(SHEET_DX, "sheet", note=COL_HOLDS)], "∂L/∂X")


# -- reading B: Y = WX + b, X a column ---------------------------------------------------

WX = "Y = WX + b, X a column vector (W is M×D)"
N_SQ = Size("n", small=(2, 3), random=(2, 5), latex="n")


def _wx_notation(rows, cols):
    size = [D, M] if rows == "m" else [N_SQ]
    return Notation(variables=[
        vector("X", cols, "X", doc="the input column"),
        matrix("W", rows, cols, "W", doc="weights, M×D"),
        vector("b", rows, "b", doc="bias"),
        vector("dLdY", rows, DLDY, doc="upstream gradient"),
    ], sizes=size)


def _fc_wx(W, X, b):
    """Y = Wx + b; W or X may carry leading batch axes."""
    return np.einsum("...ji,...i->...j", W, X) + b


def _wx_entry(slug, wrt, claims, title, square=False, answer=""):
    dims = ("n", "n") if square else ("m", "d")
    return Entry(
        id=f"fc-backward-wx-{slug}",
        title=f"Fully-connected layer, Y = WX + b: {title}",
        sheet=SHEET,
        problem="Q1.1",
        reading=WX + (" with D = M = n (the sheet's expression needs W square)" if square else ""),
        question=FC_QUESTION.format(wrt=wrt, reading=r"$Y = W X + b$, $X$ a column"),
        notation=_wx_notation(*dims),
        asks=Gradient(forward="W*X + b", wrt=wrt, upstream="dLdY", oracle=_fc_wx),
        claims=claims,
        answer=(answer + " " + HOLDS_UNDER).strip(),
    )


fc_wx_dw = _wx_entry("dw", "W", [
    _sheet_claim(SHEET_DW, "sheet", expect="refuted",
                 note="Under Y = WX + b the gradient is M×D, the transpose of the sheet's D×M matrix; at D = M "
                      "the shapes agree and the values differ."),
    _correction("dLdY*X.T", r"\frac{\partial L}{\partial Y} X^{T}", "sheet"),
], "∂L/∂W", answer="The sheet's X(∂L/∂Y)ᵀ is the transpose of the gradient under this reading.")

fc_wx_db = _wx_entry("db", "b", [
    _sheet_claim(SHEET_DB, "sheet", note="The bias gradient does not depend on how W multiplies X."),
], "∂L/∂b")

fc_wx_dx = _wx_entry("dx", "X", [
    _sheet_claim(SHEET_DX, "sheet", expect="refuted",
                 note="W ∂L/∂Y multiplies an M×D matrix by an M-vector: defined only when D = M, which this "
                      "entry assumes; even then it is wrong unless W is symmetric."),
    _correction("W.T*dLdY", r"W^{T} \frac{\partial L}{\partial Y}", "sheet"),
], "∂L/∂X", square=True, answer="The gradient is Wᵀ ∂L/∂Y; the sheet omits the transpose.")


# -- reading C: Y = XW + b, the batch as rows ----------------------------------------------

ROWS = "Y = XW + b, X N×D with one example per row, b added to every row"
ROWS_SQUARE = ROWS + "; N = D = M = n (the sheet's expression is defined only then)"
ROWS_LOSS = "Sum(dLdY[r, s]*(Sum(X[r, k]*W[k, s], k) + b[s]), r, s)"
NB = Size("N", small=(2, 3), random=(2, 5), latex="N")


def _rows_notation(square):
    if square:
        n, d, m, sizes = "n", "n", "n", [N_SQ]
    else:
        n, d, m, sizes = "N", "d", "m", [NB, D, M]
    return Notation(variables=[
        matrix("X", n, d, "X", doc="the batch, one example per row"),
        matrix("W", d, m, "W", doc="weights, D×M"),
        vector("b", m, "b", doc="bias, added to every row"),
        matrix("dLdY", n, m, DLDY, doc="upstream gradient, N×M"),
    ], sizes=sizes, indices=[Index("r", 1, n), Index("s", 1, m), Index("k", 1, d)])


def _fc_rows_loss(X, W, b, dLdY):
    """L = Σ dLdY ⊙ (XW + b) for the row-batched layer; any argument may be batched."""
    Y = X @ W + np.asarray(b)[..., None, :]
    return (dLdY * Y).sum(axis=(-2, -1))


def _rows_entry(slug, wrt, claims, title, square=True, answer="", index=()):
    return Entry(
        id=f"fc-backward-xw-{slug}",
        title=f"Fully-connected layer, Y = XW + b (batch as rows): {title}",
        sheet=SHEET,
        problem="Q1.1",
        reading=ROWS_SQUARE if square else ROWS,
        question=FC_QUESTION.format(wrt=wrt, reading=r"$Y = X W + b$, one example per row of $X$"),
        notation=_rows_notation(square),
        asks=Gradient(forward=ROWS_LOSS, wrt=wrt, oracle=_fc_rows_loss, index=index),
        claims=claims,
        answer=(answer + " " + HOLDS_UNDER).strip(),
    )


fc_xw_dw = _rows_entry("dw", "W", [
    _sheet_claim(SHEET_DW, "sheet", expect="refuted",
                 note="X(∂L/∂Y)ᵀ is (N×D)(M×N): defined only when D = M, and then N×N, not D×M. The entry "
                      "takes N = D = M so that it can be evaluated; it is still wrong."),
    _correction("X.T*dLdY", r"X^{T} \frac{\partial L}{\partial Y}", "sheet"),
], "∂L/∂W", answer="Under the row layout the gradient is Xᵀ ∂L/∂Y.")

fc_xw_db = _rows_entry("db", "b", [
    _sheet_claim(SHEET_DB, "sheet", expect="refuted",
                 note="∂L/∂Y is N×M; the bias is shared by the N rows, so its gradient is the column sum."),
    _correction("Sum(dLdY[r, s], r)", r"\sum_{r=1}^{N} \left(\frac{\partial L}{\partial Y}\right)_{r,s}", "sheet"),
], "∂L/∂b", square=False, index=("s",), answer="The bias gradient sums ∂L/∂Y over the batch (its rows).")

fc_xw_dx = _rows_entry("dx", "X", [
    _sheet_claim(SHEET_DX, "sheet", expect="refuted",
                 note="W ∂L/∂Y is (D×M)(N×M): defined only when M = N, and then D×M, not N×D. The entry takes "
                      "N = D = M so that it can be evaluated; it is still wrong."),
    _correction("dLdY*W.T", r"\frac{\partial L}{\partial Y} W^{T}", "sheet"),
], "∂L/∂X", answer="Under the row layout the gradient is ∂L/∂Y Wᵀ.")


# -- reading D: Y = WᵀX + b1ᵀ, the batch as columns -----------------------------------------

COLS = "Y = WᵀX + b1ᵀ, X D×N with one example per column, b added to every column"
COLS_LOSS = "Sum(dLdY[j, s]*(Sum(W[k, j]*X[k, s], k) + b[j]), j, s)"


def _cols_notation():
    return Notation(variables=[
        matrix("X", "d", "N", "X", doc="the batch, one example per column"),
        matrix("W", "d", "m", "W", doc="weights, D×M"),
        vector("b", "m", "b", doc="bias, added to every column"),
        matrix("dLdY", "m", "N", DLDY, doc="upstream gradient, M×N"),
    ], sizes=[D, M, NB], indices=[Index("j", 1, "m"), Index("s", 1, "N"), Index("k", 1, "d")])


def _fc_cols_loss(W, X, b, dLdY):
    """L = Σ dLdY ⊙ (WᵀX + b1ᵀ) for the column-batched layer; any argument may be batched."""
    Y = np.swapaxes(W, -1, -2) @ X + np.asarray(b)[..., :, None]
    return (dLdY * Y).sum(axis=(-2, -1))


def _cols_entry(slug, wrt, claims, title, answer="", index=()):
    return Entry(
        id=f"fc-backward-wtx-batch-{slug}",
        title=f"Fully-connected layer, Y = WᵀX + b (batch as columns): {title}",
        sheet=SHEET,
        problem="Q1.1",
        reading=COLS,
        question=FC_QUESTION.format(wrt=wrt, reading=r"$Y = W^T X + b\mathbf{1}^T$, one example per column "
                                                     r"of $X$"),
        notation=_cols_notation(),
        asks=Gradient(forward=COLS_LOSS, wrt=wrt, oracle=_fc_cols_loss, index=index),
        claims=claims,
        answer=(answer + " " + HOLDS_UNDER).strip(),
    )


fc_cols_dw = _cols_entry("dw", "W", [
    _sheet_claim(SHEET_DW, "sheet", note="Holds for any batch size: the product sums over the batch."),
], "∂L/∂W")

fc_cols_db = _cols_entry("db", "b", [
    _sheet_claim(SHEET_DB, "sheet", expect="refuted",
                 note="∂L/∂Y is M×N; the bias is shared by the N columns, so its gradient is the row sum. The "
                      "sheet's answer holds only for a single example (N = 1)."),
    _correction("Sum(dLdY[j, s], s)", r"\sum_{s=1}^{N} \left(\frac{\partial L}{\partial Y}\right)_{j,s}", "sheet"),
], "∂L/∂b", index=("j",), answer="With a batch, the bias gradient sums ∂L/∂Y over the examples.")

fc_cols_dx = _cols_entry("dx", "X", [
    _sheet_claim(SHEET_DX, "sheet", note="Holds for any batch size, column by column."),
], "∂L/∂X")


# -- Q1.2: ReLU ------------------------------------------------------------------------------

RN, RM = Size("n", small=(2, 3), random=(1, 5)), Size("m", small=(1, 2), random=(1, 4))

relu_layer_backward = Entry(
    id="relu-layer-backward",
    title="ReLU layer: backward pass",
    sheet=SHEET,
    problem="Q1.2",
    question=r"For $Y = \max(0, X)$ entrywise, find $\partial L/\partial X$ given $\partial L/\partial Y$ "
             r"(away from the kink $X = 0$).",
    notation=Notation(variables=[
        matrix("X", "n", "m", "X", domains.nonzero(), doc="the input, never at the kink 0"),
        matrix("dLdY", "n", "m", DLDY, doc="upstream gradient"),
    ], sizes=[RN, RM]),
    asks=Gradient(forward="relu(X)", wrt="X", upstream="dLdY", oracle=lambda X: np.maximum(X, 0.0)),
    claims=[Claim("hadamard(dLdY, indicator(X > 0))", DLDY + r" \odot I\{X > 0\}", label="sheet")],
)


# -- Q1.3: dropout ---------------------------------------------------------------------------

def _dropout_notation(extra=()):
    return Notation(variables=[
        matrix("X", "n", "m", "X", doc="the input"),
        matrix("M", "n", "m", "M", domains.binary, doc="the dropout mask, 1 where the unit is kept"),
        matrix("dLdY", "n", "m", DLDY, doc="upstream gradient"),
        *extra,
    ], sizes=[RN, RM])


SHEET_DROPOUT = ("hadamard(dLdY, M)", DLDY + r" \odot M")

dropout_backward = Entry(
    id="dropout-backward",
    title="Dropout, Y = X ⊙ M: backward pass",
    sheet=SHEET,
    problem="Q1.3",
    reading="Y = X ⊙ M with M a {0, 1} mask (no rescaling at training time)",
    question=r"For dropout $Y = X \odot M$ with a fixed mask $M \in \{0,1\}$, find $\partial L/\partial X$.",
    notation=_dropout_notation(),
    asks=Gradient(forward="hadamard(X, M)", wrt="X", upstream="dLdY",
                  oracle=lambda X, M: X * M),
    claims=[_sheet_claim(SHEET_DROPOUT, "sheet",
                         note="Consistent with the sheet's Q7.2, which scales by p at test time rather than by "
                              "1/p at training time.")],
)

dropout_inverted_backward = Entry(
    id="dropout-inverted-backward",
    title="Inverted dropout, Y = X ⊙ M / p: backward pass",
    sheet=SHEET,
    problem="Q1.3",
    reading="inverted dropout Y = X ⊙ M / p with M a {0, 1} mask and keep probability p",
    question=r"For inverted dropout $Y = X \odot M / p$ with a fixed mask $M \in \{0,1\}$ and keep probability "
             r"$p$, find $\partial L/\partial X$.",
    notation=_dropout_notation([scalar("p", "p", domains.unit_interval, doc="keep probability")]),
    asks=Gradient(forward="hadamard(X, M)/p", wrt="X", upstream="dLdY",
                  oracle=lambda X, M, p: X * M / p),
    claims=[
        _sheet_claim(SHEET_DROPOUT, "sheet", expect="refuted",
                     note="Under inverted dropout the forward pass divides by p, and so does the backward pass."),
        _correction("hadamard(dLdY, M)/p", r"\frac{1}{p} " + DLDY + r" \odot M", "sheet"),
    ],
    answer="The sheet's answer misses the factor 1/p of inverted dropout; it is right for plain dropout.",
)


# -- Q7.1: all-positive inputs give weight gradients of one sign ------------------------------

Q71_QUESTION = (r"A fully-connected unit $f = w^T x + b$ receives all-positive inputs $x$ (the outputs of a "
                r"sigmoid). Show that the gradients on $w$ are all positive or all negative, depending on the "
                r"sign of $\partial L/\partial f$.")


def _q71_notation():
    return Notation(variables=[
        vector("w", "n", "w", doc="weights"),
        vector("x", "n", "x", domains.positive, doc="all-positive inputs (sigmoid outputs)"),
        scalar("b", "b", doc="bias"),
        scalar("dLdf", r"\frac{\partial L}{\partial f}", doc="upstream gradient"),
    ], sizes=[Size("n", small=(2, 3), random=(1, 6))], indices=[Index("i", 1, "n")])


def _unit(w, x, b):
    return w @ x + b


positive_input_weight_gradient = Entry(
    id="positive-input-weight-gradient",
    title="Positive inputs: the weight gradient of f = wᵀx + b",
    sheet=SHEET,
    problem="Q7.1",
    question=Q71_QUESTION + r" First step: $\partial L/\partial w$.",
    notation=_q71_notation(),
    asks=Gradient(forward="w.T*x + b", wrt="w", upstream="dLdf", oracle=_unit),
    claims=[Claim("dLdf*x", r"\frac{\partial L}{\partial f} x", label="weight gradient", source="answer",
                  note="The sheet states the consequence, not this formula; it is the step its argument rests on.")],
    answer=r"$\partial L/\partial w_i = (\partial L/\partial f)\,x_i$.",
)

positive_input_gradient_sign = Entry(
    id="positive-input-gradient-sign",
    title="Positive inputs: every weight gradient has the sign of ∂L/∂f",
    sheet=SHEET,
    problem="Q7.1",
    question=Q71_QUESTION,
    notation=_q71_notation(),
    asks=Gradient(forward="w.T*x + b", wrt="w", upstream="dLdf", oracle=_unit, index=("i",),
                  transform="sign(_)"),
    claims=[Claim("sign(dLdf)", r"\operatorname{sign}\left(\frac{\partial L}{\partial f}\right)", label="sheet",
                  note="The quantity is sign(∂L/∂w_i) for every i; the sheet says it is the same for all i, "
                       "namely the sign of ∂L/∂f.")],
    answer=r"Since $x_i > 0$, $\operatorname{sign}(\partial L/\partial w_i) = "
           r"\operatorname{sign}(\partial L/\partial f)$ for every $i$.",
)
