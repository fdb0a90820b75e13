"""MLP backpropagation, sheet 004 problem 1: δ_h of the layer below, the weight
and bias gradients (with and without L2), the softmax–cross-entropy delta and
the full two-example, three-layer algorithm.  Vectors are columns, (k, 1)."""
import numpy as np

from ._probe import Spec, item, num_grad, softmax

NNDL = "http://neuralnetworksanddeeplearning.com/chap2.html"
GOODFELLOW = "https://www.deeplearningbook.org/contents/mlp.html (Algorithm 6.4)"
BIEBER = "https://davidbieber.com/snippets/2020-12-12-derivative-of-softmax-and-the-softmax-cross-entropy-loss/"
SUNHAOZHE = "https://sunhaozhe.github.io/blogs/2019/10/03/matrix-calculus"
CS231N_LIN = "https://cs231n.github.io/linear-classify/#softmax"
STUDENT = "typical student variant"
DZ = r"\delta_z^{(l)}"
W = r"\mathbf{W}^{(l)}"
H = r"\mathbf{h}^{(l-1)}"


def _layer(rng):
    n, m = (int(v) for v in rng.integers(2, 6, 2))
    return {"W": rng.normal(size=(n, m)), "h": rng.normal(size=(m, 1)), "b": rng.normal(size=(n, 1)),
            "dz": rng.normal(size=(n, 1)), "lam": rng.uniform(0.05, 1)}


def _lin(wrt, reg=False):
    def truth(W, h, b, dz, lam):
        args = {"W": W, "h": h, "b": b}

        def J(v):
            a = {**args, wrt: v}
            data = float(np.sum(dz * (a["W"] @ a["h"] + a["b"])))
            return data + (lam * float(np.sum(a["W"] ** 2)) if reg else 0.0)
        return num_grad(J, args[wrt])
    return truth


def _prob(rng, k):
    t = rng.uniform(0.05, 1, (k, 1))
    return t / t.sum()


def _out(rng):
    k = int(rng.integers(2, 6))
    return {"z": rng.normal(size=(k, 1)), "t": _prob(rng, k)}


def _mlp3_sample(rng):
    n0, n1, n2, k = (int(v) for v in rng.integers(2, 4, 4))
    p = {"W1": rng.uniform(-1, 1, (n1, n0)), "b1": rng.uniform(-1, 1, (n1, 1)),
         "W2": rng.uniform(-1, 1, (n2, n1)), "b2": rng.uniform(-1, 1, (n2, 1)),
         "W3": rng.uniform(-1, 1, (k, n2)), "b3": rng.uniform(-1, 1, (k, 1)),
         "lam": rng.uniform(0.01, 1)}
    for e in "ab":
        p["x" + e] = rng.normal(size=(n0, 1))
        p["t" + e] = _prob(rng, k)
    return p


def _mlp3_J(p):
    total = 0.0
    for e in "ab":
        h1 = np.tanh(p["W1"] @ p["x" + e] + p["b1"])
        h2 = np.tanh(p["W2"] @ h1 + p["b2"])
        total -= float(np.sum(p["t" + e] * np.log(softmax(p["W3"] @ h2 + p["b3"]))))
    return total + p["lam"] * sum(float(np.sum(p[w] ** 2)) for w in ("W1", "W2", "W3"))


def _mlp3(wrt):
    return lambda **p: num_grad(lambda v: _mlp3_J({**p, wrt: v}), p[wrt])


def _deltas(p, e):
    """The sheet's backward recursion for example e, written out in NumPy."""
    x, t = p["x" + e], p["t" + e]
    h1 = np.tanh(p["W1"] @ x + p["b1"])
    h2 = np.tanh(p["W2"] @ h1 + p["b2"])
    d3 = softmax(p["W3"] @ h2 + p["b3"]) - t
    d2 = (p["W3"].T @ d3) * (1 - h2 * h2)
    d1 = (p["W2"].T @ d2) * (1 - h1 * h1)
    return {"x": x, "h1": h1, "h2": h2, "d3": d3, "d2": d2, "d1": d1}


def _sum_outer(d, h, scale=1.0):
    return lambda **p: scale * sum(_deltas(p, e)[d] @ (_deltas(p, e)[h] if h != "x" else p["x" + e]).T for e in "ab")


ENTRIES = {
    "mlp-delta-h-prev": Spec(_layer, _lin("h")),
    "mlp-dw-data": Spec(_layer, _lin("W")),
    "mlp-db-data": Spec(_layer, _lin("b")),
    "mlp-dw-regularised": Spec(_layer, _lin("W", reg=True)),
    "mlp-db-regularised": Spec(_layer, _lin("b", reg=True)),
    "mlp-output-delta": Spec(_out, lambda z, t: num_grad(lambda v: -float(np.sum(t * np.log(softmax(v)))), z)),
    "mlp3-dw3": Spec(_mlp3_sample, _mlp3("W3")),
    "mlp3-dw2": Spec(_mlp3_sample, _mlp3("W2")),
    "mlp3-dw1": Spec(_mlp3_sample, _mlp3("W1")),
    "mlp3-db1": Spec(_mlp3_sample, _mlp3("b1")),
}

CLAIMS = {
    "wT_dz": lambda W, dz, **_: W.T @ dz,
    "w_dz": lambda W, dz, **_: W @ dz,
    "dz_hT": lambda h, dz, **_: dz @ h.T,
    "h_dzT": lambda h, dz, **_: h @ dz.T,
    "dz": lambda dz, **_: dz,
    "dzT": lambda dz, **_: dz.T,
    "dz_b": lambda dz, b, **_: dz * b,
    "dz_hT_2lw": lambda W, h, dz, lam, **_: dz @ h.T + 2 * lam * W,
    "dz_hT_lw": lambda W, h, dz, lam, **_: dz @ h.T + lam * W,
    "dz_2lb": lambda dz, b, lam, **_: dz + 2 * lam * b,
    "y_t": lambda z, t: softmax(z) - t,
    "t_y": lambda z, t: t - softmax(z),
    "y1y": lambda z, t: softmax(z) * (1 - softmax(z)),
    "y_t_sum": lambda z, t: t.sum() * softmax(z) - t,
    "dw3_ok": lambda **p: _sum_outer("d3", "h2")(**p) + 2 * p["lam"] * p["W3"],
    "dw3_noreg": _sum_outer("d3", "h2"),
    "dw3_mean": lambda **p: _sum_outer("d3", "h2", 0.5)(**p) + 2 * p["lam"] * p["W3"],
    "dw2_ok": lambda **p: _sum_outer("d2", "h1")(**p) + 2 * p["lam"] * p["W2"],
    "dw2_lam": lambda **p: _sum_outer("d2", "h1")(**p) + p["lam"] * p["W2"],
    "dw1_ok": lambda **p: _sum_outer("d1", "x")(**p) + 2 * p["lam"] * p["W1"],
    "dw1_h": lambda **p: _sum_outer("d1", "h1")(**p) + 2 * p["lam"] * p["W1"],
    "db1_ok": lambda **p: _deltas(p, "a")["d1"] + _deltas(p, "b")["d1"],
    "db1_reg": lambda **p: _deltas(p, "a")["d1"] + _deltas(p, "b")["d1"] + 2 * p["lam"] * p["b1"],
    "db1_one": lambda **p: _deltas(p, "a")["d1"],
}
# Σ_k W_jk δ_k (indices swapped): only defined for a square W, and then it is W δ, not Wᵀ δ.
CLAIMS["sum_wjk"] = lambda W, dz, **_: W @ dz if W.shape[0] == W.shape[1] else np.full((W.shape[1], 1), np.nan)


def _mlp3_item(entry, latex, probe, source=STUDENT):
    return item(entry, latex, probe, source)


D = r"\delta_{z,%s}^{(%s)}"
ITEMS = [
    item("mlp-delta-h-prev", r"\mathbf{W}^{(l)\top} " + DZ, "wT_dz", GOODFELLOW),
    item("mlp-delta-h-prev", r"\left(" + W + r"\right)^T " + DZ, "wT_dz", NNDL),
    item("mlp-delta-h-prev", r"\sum_{k} W_{kj}^{(l)}\,\delta_{z,k}^{(l)}", "wT_dz", STUDENT),
    item("mlp-delta-h-prev", r"\left(\delta_z^{(l)\top} " + W + r"\right)^{\top}", "wT_dz", SUNHAOZHE),
    item("mlp-delta-h-prev", W + " " + DZ, "w_dz", STUDENT),
    item("mlp-delta-h-prev", r"\sum_{k} W_{jk}^{(l)}\,\delta_{z,k}^{(l)}", "sum_wjk", STUDENT),
    item("mlp-dw-data", DZ + r" \mathbf{h}^{(l-1)\top}", "dz_hT", GOODFELLOW),
    item("mlp-dw-data", DZ + r" \left(" + H + r"\right)^{T}", "dz_hT", NNDL),
    item("mlp-dw-data", r"\delta_{z,k}^{(l)}\, h_j^{(l-1)}", "dz_hT", NNDL),
    item("mlp-dw-data", H + r" \left(" + DZ + r"\right)^\top", "h_dzT", STUDENT),
    item("mlp-dw-data", r"\delta_{z,j}^{(l)}\, h_k^{(l-1)}", "h_dzT", STUDENT),
    item("mlp-db-data", DZ, "dz", NNDL),
    item("mlp-db-data", r"\delta_z^{(l)\top}", "dzT", "issue 9, case 8"),
    item("mlp-db-data", DZ + r" \odot \mathbf{b}^{(l)}", "dz_b", STUDENT),
    item("mlp-dw-regularised", DZ + r" \mathbf{h}^{(l-1)\top} + 2\lambda " + W, "dz_hT_2lw",
         "https://www.deeplearningbook.org/contents/regularization.html (eq. 7.5)"),
    item("mlp-dw-regularised", DZ + r" \left(" + H + r"\right)^{T} + \lambda \cdot 2 " + W, "dz_hT_2lw", STUDENT),
    item("mlp-dw-regularised", DZ + r" \mathbf{h}^{(l-1)\top} + \lambda " + W, "dz_hT_lw", STUDENT),
    item("mlp-db-regularised", DZ, "dz", STUDENT),
    item("mlp-db-regularised", DZ + r" + 2\lambda \mathbf{b}^{(l)}", "dz_2lb", STUDENT),
    item("mlp-output-delta", r"\mathbf{y} - \mathbf{t}", "y_t", BIEBER),
    item("mlp-output-delta", r"\operatorname{softmax}(\mathbf{z}^{(L)}) - \mathbf{t}", "y_t", CS231N_LIN),
    item("mlp-output-delta", r"\frac{e^{z_k^{(L)}}}{\sum_{j} e^{z_j^{(L)}}} - t_k", "y_t", SUNHAOZHE),
    item("mlp-output-delta", r"y_k \sum_{j} t_j - t_k", "y_t_sum",
         "https://qiita.com/Matchlab/items/a95042a7080c1604aaf3"),
    item("mlp-output-delta", r"\mathbf{t} - \mathbf{y}", "t_y", STUDENT),
    item("mlp-output-delta", r"\mathbf{y} \odot (1 - \mathbf{y})", "y1y", STUDENT),
    item("mlp-output-delta", "softmax(z) - t", "y_t", BIEBER, latex=False),
    _mlp3_item("mlp3-dw3", D % ("1", "3") + r"\mathbf{h}_1^{(2)\top} + " + D % ("2", "3") +
               r"\mathbf{h}_2^{(2)\top} + 2\lambda\mathbf{W}^{(3)}", "dw3_ok", GOODFELLOW),
    _mlp3_item("mlp3-dw3", D % ("1", "3") + r"\left(\mathbf{h}_1^{(2)}\right)^{T} + " + D % ("2", "3") + r"\left(\mathbf{h}_2^{(2)}\right)^{T}", "dw3_noreg"),
    _mlp3_item("mlp3-dw3", r"\frac{1}{2}\left(" + D % ("1", "3") + r"\mathbf{h}_1^{(2)\top} + " + D % ("2", "3") +
               r"\mathbf{h}_2^{(2)\top}\right) + 2\lambda\mathbf{W}^{(3)}", "dw3_mean"),
    _mlp3_item("mlp3-dw2", D % ("1", "2") + r"\mathbf{h}_1^{(1)\top} + " + D % ("2", "2") +
               r"\mathbf{h}_2^{(1)\top} + 2\lambda\mathbf{W}^{(2)}", "dw2_ok", GOODFELLOW),
    _mlp3_item("mlp3-dw2", D % ("1", "2") + r"\mathbf{h}_1^{(1)\top} + " + D % ("2", "2") +
               r"\mathbf{h}_2^{(1)\top} + \lambda\mathbf{W}^{(2)}", "dw2_lam"),
    _mlp3_item("mlp3-dw1", D % ("1", "1") + r"\mathbf{x}_1^\top + " + D % ("2", "1") +
               r"\mathbf{x}_2^\top + 2\lambda\mathbf{W}^{(1)}", "dw1_ok", GOODFELLOW),
    _mlp3_item("mlp3-dw1", D % ("1", "1") + r"\mathbf{h}_1^{(1)\top} + " + D % ("2", "1") +
               r"\mathbf{h}_2^{(1)\top} + 2\lambda\mathbf{W}^{(1)}", "dw1_h"),
    _mlp3_item("mlp3-db1", D % ("1", "1") + " + " + D % ("2", "1"), "db1_ok", GOODFELLOW),
    _mlp3_item("mlp3-db1", D % ("1", "1") + " + " + D % ("2", "1") + r" + 2\lambda\mathbf{b}^{(1)}", "db1_reg"),
    _mlp3_item("mlp3-db1", D % ("1", "1"), "db1_one"),
]
