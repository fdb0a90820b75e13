"""Fully-connected layer backward passes under each forward convention of sheet
002 Q1.1, the positive-input weight gradient (Q7.1) and dropout at inference
(Q7.2).  Vectors are columns, (k, 1) arrays: Q1.1 is a question about layout,
so a row where a column is asked is false."""
import itertools

import numpy as np

from ._probe import Spec, item, num_grad

CS231N_AFFINE = "https://github.com/cs231n/cs231n.github.io/blob/master/assignments/2016/assignment2.md (affine_backward)"
CS231N_NN2 = "https://cs231n.github.io/neural-networks-2/#reg"
CS231N_NN1 = "https://cs231n.github.io/neural-networks-1/#actfun"
STANFORD_MC = "http://cs231n.stanford.edu/vecDerivs.pdf"
STUDENT = "typical student variant"
DLDY = r"\frac{\partial L}{\partial Y}"
R = np.random.default_rng


def _sizes(rng, k=2):
    return [int(v) for v in rng.integers(2, 6, k)]


def _wtx(rng):
    d, m = _sizes(rng)
    return {"X": rng.normal(size=(d, 1)), "W": rng.normal(size=(d, m)), "b": rng.normal(size=(m, 1)),
            "G": rng.normal(size=(m, 1))}


def _wx(rng):
    d, m = _sizes(rng)
    return {"X": rng.normal(size=(d, 1)), "W": rng.normal(size=(m, d)), "b": rng.normal(size=(m, 1)),
            "G": rng.normal(size=(m, 1))}


def _xw(rng):
    n, d, m = _sizes(rng, 3)
    return {"X": rng.normal(size=(n, d)), "W": rng.normal(size=(d, m)), "b": rng.normal(size=(1, m)),
            "G": rng.normal(size=(n, m))}


def _cols(rng):
    d, m, n = _sizes(rng, 3)
    return {"X": rng.normal(size=(d, n)), "W": rng.normal(size=(d, m)), "b": rng.normal(size=(m, 1)),
            "G": rng.normal(size=(m, n))}


FORWARD = {
    "wtx": lambda X, W, b: W.T @ X + b,
    "wx": lambda X, W, b: W @ X + b,
    "xw": lambda X, W, b: X @ W + b,
    "cols": lambda X, W, b: W.T @ X + b,  # b broadcast over the batch columns
}


def _fc(conv, wrt):
    f = FORWARD[conv]

    def truth(X, W, b, G):
        args = {"X": X, "W": W, "b": b}

        def loss(v):
            return float(np.sum(G * f(**{**args, wrt: v})))
        return num_grad(loss, args[wrt])
    return truth


def _pos(rng):
    n = int(rng.integers(2, 6))
    return {"w": rng.normal(size=(n, 1)), "x": rng.uniform(0.05, 1, (n, 1)), "b": rng.normal(), "g": rng.normal()}


def _drop(rng):
    r, n = int(rng.integers(1, 4)), int(rng.integers(1, 5))
    return {"W": rng.normal(size=(r, n)), "x": rng.normal(size=(n, 1)), "p": rng.uniform(0.1, 0.9)}


def _expect_dropout(keep):
    """E[W (x ⊙ m)], m_i ~ Bernoulli(keep(p)) independently: an exact sum over every mask."""
    def truth(W, x, p):
        q = keep(p)
        total = np.zeros((W.shape[0], 1))
        for mask in itertools.product((0.0, 1.0), repeat=x.shape[0]):
            m = np.array(mask).reshape(-1, 1)
            prob = np.prod(np.where(m == 1, q, 1 - q))
            total += prob * (W @ (x * m))
        return total
    return truth


ENTRIES = {f"fc-backward-{c}-{w}": Spec({"wtx": _wtx, "wx": _wx, "xw": _xw, "wtx-batch": _cols}[c],
                                        _fc("cols" if c == "wtx-batch" else c, w.upper().replace("DW", "W")
                                            .replace("DB", "b").replace("DX", "X")))
           for c in ("wtx", "wx", "xw", "wtx-batch") for w in ("dw", "db", "dx")}
ENTRIES.update({
    "positive-input-weight-gradient": Spec(
        _pos, lambda w, x, b, g: num_grad(lambda v: g * float((v.T @ x).item() + b), w)),
    "dropout-inference-keep": Spec(_drop, _expect_dropout(lambda p: p)),
    "dropout-inference-drop": Spec(_drop, _expect_dropout(lambda p: 1 - p)),
})

CLAIMS = {
    "x_gT": lambda X, W, b, G: X @ G.T,
    "g_xT": lambda X, W, b, G: G @ X.T,
    "xT_g": lambda X, W, b, G: X.T @ G,
    "g": lambda X, W, b, G: G,
    "gT": lambda X, W, b, G: G.T,
    "w_g": lambda X, W, b, G: W @ G,
    "wT_g": lambda X, W, b, G: W.T @ G,
    "gT_wT": lambda X, W, b, G: G.T @ W.T,
    "g_wT": lambda X, W, b, G: G @ W.T,
    "g_w": lambda X, W, b, G: G @ W,
    "colsum_g": lambda X, W, b, G: G.sum(axis=0, keepdims=True),
    "colmean_g": lambda X, W, b, G: G.mean(axis=0, keepdims=True),
    "rowsum_g": lambda X, W, b, G: G.sum(axis=1, keepdims=True),
    "x_gT_mean": lambda X, W, b, G: X @ G.T / X.shape[1],
    "pos_ok": lambda w, x, b, g: g * x,
    "pos_row": lambda w, x, b, g: g * x.T,
    "pos_w": lambda w, x, b, g: g * w,
    "keep_p": lambda W, x, p: p * (W @ x),
    "keep_1mp": lambda W, x, p: (1 - p) * (W @ x),
    "keep_inv": lambda W, x, p: (W @ x) / p,
    "keep_none": lambda W, x, p: W @ x,
}

ITEMS = [
    item("fc-backward-wtx-dw", r"X \left(" + DLDY + r"\right)^\top", "x_gT", STANFORD_MC),
    item("fc-backward-wtx-dw", r"X\,\frac{\partial L}{\partial Y}^T", "x_gT", STUDENT),
    item("fc-backward-wtx-dw", r"X \cdot \left(\frac{\partial L}{\partial Y}\right)'", "x_gT", STUDENT),
    item("fc-backward-wtx-dw", DLDY + r" X^\top", "g_xT", STUDENT),
    item("fc-backward-wtx-dw", r"X^\top " + DLDY, "xT_g", STUDENT),
    item("fc-backward-wtx-dw", "X*dLdY.T", "x_gT", STUDENT, latex=False),
    item("fc-backward-wtx-db", DLDY, "g", STANFORD_MC),
    item("fc-backward-wtx-db", r"\left(" + DLDY + r"\right)^{T}", "gT", STUDENT),
    item("fc-backward-wtx-dx", r"W " + DLDY, "w_g", STANFORD_MC),
    item("fc-backward-wtx-dx", r"W^\top " + DLDY, "wT_g", STUDENT),
    item("fc-backward-wtx-dx", r"\left(" + DLDY + r"\right)^\top W^\top", "gT_wT", STUDENT),
    item("fc-backward-wx-dw", DLDY + r" X^\top", "g_xT", STANFORD_MC),
    item("fc-backward-wx-dw", DLDY + r" \cdot X^{T}", "g_xT", STUDENT),
    item("fc-backward-wx-dw", r"X \left(" + DLDY + r"\right)^{T}", "x_gT", STUDENT),
    item("fc-backward-wx-dw", "dLdY*X.T", "g_xT", STUDENT, latex=False),
    item("fc-backward-wx-db", DLDY, "g", STANFORD_MC),
    item("fc-backward-wx-db", r"\frac{\partial L}{\partial Y}^{\top}", "gT", STUDENT),
    item("fc-backward-wx-dx", r"W^\top " + DLDY, "wT_g", STANFORD_MC),
    item("fc-backward-wx-dx", r"W^{T} \cdot \frac{\partial L}{\partial Y}", "wT_g", STUDENT),
    item("fc-backward-wx-dx", r"W " + DLDY, "w_g", STUDENT),
    item("fc-backward-xw-dw", r"X^\top " + DLDY, "xT_g", CS231N_AFFINE),
    item("fc-backward-xw-dw", r"X^{T}\frac{\partial L}{\partial Y}", "xT_g", STUDENT),
    item("fc-backward-xw-dw", r"X " + DLDY + r"^\top", "x_gT", STUDENT),
    item("fc-backward-xw-db", r"\sum_{r=1}^{N} \frac{\partial L}{\partial Y_{r,s}}", "colsum_g", CS231N_AFFINE),
    item("fc-backward-xw-db", r"\frac{1}{N}\sum_{r=1}^{N} \frac{\partial L}{\partial Y_{r,s}}", "colmean_g", STUDENT),
    item("fc-backward-xw-db", DLDY, "g", STUDENT),
    item("fc-backward-xw-dx", DLDY + r" W^\top", "g_wT", CS231N_AFFINE),
    item("fc-backward-xw-dx", DLDY + r" W^{T}", "g_wT", STUDENT),
    item("fc-backward-xw-dx", r"W " + DLDY, "w_g", STUDENT),
    item("fc-backward-wtx-batch-dw", r"X \left(" + DLDY + r"\right)^\top", "x_gT", STANFORD_MC),
    item("fc-backward-wtx-batch-dw", r"\frac{1}{N} X \left(" + DLDY + r"\right)^\top", "x_gT_mean", STUDENT),
    item("fc-backward-wtx-batch-db", r"\sum_{s=1}^{N} \frac{\partial L}{\partial Y_{j,s}}", "rowsum_g", STANFORD_MC),
    item("fc-backward-wtx-batch-db", DLDY, "g", STUDENT),
    item("fc-backward-wtx-batch-dx", r"W " + DLDY, "w_g", STANFORD_MC),
    item("fc-backward-wtx-batch-dx", r"W^\top " + DLDY, "wT_g", STUDENT),
    item("positive-input-weight-gradient", r"\frac{\partial L}{\partial f} x", "pos_ok", CS231N_NN1),
    item("positive-input-weight-gradient", r"x \cdot \frac{\partial L}{\partial f}", "pos_ok", STUDENT),
    item("positive-input-weight-gradient", r"\frac{\partial L}{\partial f} x^\top", "pos_row", "issue 9, case 8"),
    item("positive-input-weight-gradient", r"\frac{\partial L}{\partial f} w", "pos_w", STUDENT),
    item("dropout-inference-keep", r"p W x", "keep_p", CS231N_NN2),
    item("dropout-inference-keep", r"W (p x)", "keep_p", STUDENT),
    item("dropout-inference-keep", r"(1-p) W x", "keep_1mp", STUDENT),
    item("dropout-inference-keep", r"\frac{1}{p} W x", "keep_inv", STUDENT),
    item("dropout-inference-drop", r"(1-p)\,W x", "keep_1mp", "https://jmlr.org/papers/v15/srivastava14a.html"),
    item("dropout-inference-drop", r"p W x", "keep_p", STUDENT),
    item("dropout-inference-drop", r"W x", "keep_none", STUDENT),
]
