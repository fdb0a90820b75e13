"""Vanishing and exploding gradients: the deep linear network of sheet 000
(gradients are row vectors, as the sheet's products ∂E/∂h_k W are), the scalar
RNN with the shifted logistic of sheet 001 problem 4, and the two-step RNN of
problem 5."""
import numpy as np

from ._probe import Spec, item, num_grad, sigmoid

PASCANU = "https://arxiv.org/abs/1211.5063"
SAXE = "https://arxiv.org/abs/1312.6120 (deep linear networks)"
D2L_NUM = "https://d2l.ai/chapter_multilayer-perceptrons/numerical-stability-and-init.html"
STUDENT = "typical student variant"
G = r"\frac{\partial E}{\partial h_k}"
GY = r"\frac{\partial E}{\partial y}"


def _orth(rng, n):
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _svd_sample(c=None):
    def sample(rng):
        n = int(rng.integers(2, 5))
        s = np.diag(rng.uniform(0.3, 2, n)) if c is None else (c if c != "c" else rng.uniform(0.5, 2)) * np.eye(n)
        U, V = _orth(rng, n), _orth(rng, n)
        g = rng.normal(size=(1, n))
        out = {"U": U, "S": s, "V": V, "g": g, "h": rng.normal(size=(n, 1)), "gu": g / np.linalg.norm(g)}
        if c == "c":
            out["c"] = s[0, 0]
        return out
    return sample


def _row_grad(U, S, V, g, h, **_):
    W = U @ S @ V.T
    return num_grad(lambda v: (g @ W @ v).item(), h).T  # ∂E/∂h as a row, the sheet's layout


def _h1_norm(U, S, V, gu, **_):
    return float(np.linalg.norm(gu @ np.linalg.matrix_power(U @ S @ V.T, 49)))


def _step_norm(U, S, V, g, h, **_):
    return float(np.linalg.norm(_row_grad(U, S, V, g, h)))


def _dphi0():
    return float(num_grad(lambda v: sigmoid(v) - 0.5, np.array(0.0)))


def _relu_sample(rng):
    n = int(rng.integers(2, 4))
    z = rng.uniform(0.1, 3, n) * rng.choice([-1, 1], n)
    if rng.uniform() < 0.5:
        z = -np.abs(z)  # every unit off: D = 0
    return {"z": z}


def _relu_norm(z):
    D = np.diag(num_grad(lambda v: float(np.sum(np.maximum(v, 0.0) * 1.0)), z))
    return float(np.linalg.norm(D, 2))


def _rnn2_sample(rng):
    n = int(rng.integers(2, 4))
    return {k: rng.uniform(-1, 1, (n, n)) for k in ("W0", "W1", "V0", "V1")} | {
        "h0": rng.normal(size=(n, 1)), "x1": rng.normal(size=(n, 1)), "x2": rng.normal(size=(n, 1)),
        "g": rng.normal(size=(1, n))}


def _rnn2_truth(W0, W1, V0, V1, h0, x1, x2, g):
    return num_grad(lambda v: (g @ np.tanh(W1 @ np.tanh(W0 @ v + V0 @ x1) + V1 @ x2)).item(), h0).T


def _rnn2_D(W0, W1, V0, V1, h0, x1, x2, g):
    z1 = W0 @ h0 + V0 @ x1
    z2 = W1 @ np.tanh(z1) + V1 @ x2
    return np.diag(1 - np.tanh(z1).ravel() ** 2), np.diag(1 - np.tanh(z2).ravel() ** 2)


def _regime(w):
    gain = w * _dphi0()
    return float(np.sign(60 * np.log(abs(gain))))


ENTRIES = {
    "vanishing-backward-recurrence": Spec(_svd_sample(), _row_grad),
    "vanishing-gradient-h49": Spec(_svd_sample(), _row_grad),
    "vanishing-sigma-identity-step": Spec(_svd_sample(1.0), _row_grad),
    "vanishing-sigma-half-step": Spec(_svd_sample(0.5), _row_grad),
    "vanishing-sigma-two-step": Spec(_svd_sample(2.0), _row_grad),
    "vanishing-sigma-identity-step-norm": Spec(_svd_sample(1.0), _step_norm),
    "vanishing-sigma-half-step-norm": Spec(_svd_sample(0.5), _step_norm),
    "vanishing-sigma-two-step-norm": Spec(_svd_sample(2.0), _step_norm),
    "vanishing-sigma-identity-h1-norm": Spec(_svd_sample(1.0), _h1_norm),
    "vanishing-sigma-half-h1-norm": Spec(_svd_sample(0.5), _h1_norm),
    "vanishing-sigma-two-h1-norm": Spec(_svd_sample(2.0), _h1_norm),
    "vanishing-another-way": Spec(_svd_sample("c"), _h1_norm),
    "exploding-rnn-threshold": Spec(lambda rng: {}, lambda: 1 / _dphi0()),
    "exploding-rnn-residual-setting": Spec(lambda rng: {}, lambda: (1 - 1) / _dphi0()),
    "exploding-rnn-regimes": Spec(lambda rng: {"w": rng.choice([-1, 1]) * rng.choice(
        [rng.uniform(0, 3.95), rng.uniform(4.05, 10)])}, _regime),
    "relu-derivative-norm": Spec(_relu_sample, _relu_norm),
    "more-exploding-rnn-gradient": Spec(_rnn2_sample, _rnn2_truth),
}


def _w(U, S, V, **_):
    return U @ S @ V.T


CLAIMS = {
    "g_usvt": lambda U, S, V, g, **_: g @ U @ S @ V.T,
    "vsut_g": lambda U, S, V, g, **_: V @ S @ U.T @ g,
    "vsut_gT": lambda U, S, V, g, **_: V @ S @ U.T @ g.T,
    "g_vsut": lambda U, S, V, g, **_: g @ V @ S @ U.T,
    "g_w": lambda g, **p: g @ _w(**p),
    "w_g": lambda g, **p: _w(**p) @ g,
    "wT_gT": lambda g, **p: _w(**p).T @ g.T,
    "g_uvt": lambda U, V, g, **_: g @ U @ V.T,
    "g_vut": lambda U, V, g, **_: g @ V @ U.T,
    "half_g_uvt": lambda U, V, g, **_: 0.5 * g @ U @ V.T,
    "two_g_uvt": lambda U, V, g, **_: 2 * g @ U @ V.T,
    "norm1": lambda g, **_: float(np.linalg.norm(g)),
    "norm_half": lambda g, **_: 0.5 * float(np.linalg.norm(g)),
    "norm2": lambda g, **_: 2 * float(np.linalg.norm(g)),
    "norm_sq": lambda g, **_: float(np.linalg.norm(g)) ** 2,
    "one": lambda **_: 1.0,
    "zero": lambda **_: 0.0,
    "p49": lambda **_: 2.0 ** 49,
    "p50": lambda **_: 2.0 ** 50,
    "p48": lambda **_: 2.0 ** 48,
    "m49": lambda **_: 2.0 ** -49,
    "m50": lambda **_: 2.0 ** -50,
    "c49": lambda c, **_: c ** 49,
    "c50": lambda c, **_: c ** 50,
    "49c": lambda c, **_: 49 * c,
    "four": lambda: 4.0,
    "two": lambda: 2.0,
    "quarter": lambda: 0.25,
    "zero0": lambda: 0.0,
    "minus4": lambda: -4.0,
    "reg_ok": lambda w: float(np.sign(abs(w) - 4)),
    "reg_signed": lambda w: float(np.sign(w - 4)),
    "rn_max": lambda z: float(np.max(z > 0)),
    "rn_one": lambda z: 1.0,
    "rn_sum": lambda z: float(np.sum(z > 0)),
    "me_ok": lambda **p: p["g"] @ _rnn2_D(**p)[1] @ p["W1"] @ _rnn2_D(**p)[0] @ p["W0"],
    "me_swap": lambda **p: p["g"] @ p["W1"] @ _rnn2_D(**p)[1] @ p["W0"] @ _rnn2_D(**p)[0],
    "me_tr": lambda **p: p["g"] @ _rnn2_D(**p)[1] @ p["W1"].T @ _rnn2_D(**p)[0] @ p["W0"].T,
}
NORM = r"\left\|" + G + r"\right\|"
ITEMS = [
    item("vanishing-backward-recurrence", G + r" U \Sigma V^\top", "g_usvt", SAXE),
    item("vanishing-backward-recurrence", G + r"\,U\Sigma V^{T}", "g_usvt", STUDENT),
    item("vanishing-backward-recurrence", r"V\Sigma U^\top " + G, "vsut_g", "issue 9, case 7"),
    item("vanishing-backward-recurrence", r"V\Sigma U^\top\left(" + G + r"\right)^\top", "vsut_gT", "issue 9, case 7"),
    item("vanishing-backward-recurrence", G + r" V \Sigma U^\top", "g_vsut", STUDENT),
    item("vanishing-gradient-h49", GY + r" W", "g_w", STUDENT),
    item("vanishing-gradient-h49", r"W^\top \left(" + GY + r"\right)^\top", "wT_gT", STUDENT),
    item("vanishing-sigma-identity-step", G + r" U V^\top", "g_uvt", STUDENT),
    item("vanishing-sigma-identity-step", G + r" V U^\top", "g_vut", STUDENT),
    item("vanishing-sigma-half-step", r"\frac{1}{2}" + G + r" U V^\top", "half_g_uvt", STUDENT),
    item("vanishing-sigma-half-step", r"2\," + G + r" U V^\top", "two_g_uvt", STUDENT),
    item("vanishing-sigma-two-step", r"2" + G + r"UV^{T}", "two_g_uvt", STUDENT),
    item("vanishing-sigma-two-step", G + r" U V^{T}", "g_uvt", STUDENT),
    item("vanishing-sigma-identity-step-norm", NORM, "norm1", STUDENT),
    item("vanishing-sigma-identity-step-norm", r"\left\|" + G + r"\right\|_2", "norm1", STUDENT),
    item("vanishing-sigma-identity-step-norm", r"\left\|" + G + r"\right\|^2", "norm_sq", STUDENT),
    item("vanishing-sigma-half-step-norm", r"\frac{1}{2}" + NORM + "_2", "norm_half", STUDENT),
    item("vanishing-sigma-half-step-norm", r"2" + NORM, "norm2", STUDENT),
    item("vanishing-sigma-two-step-norm", r"2\left\|" + G + r"\right\|_2", "norm2", D2L_NUM),
    item("vanishing-sigma-two-step-norm", NORM, "norm1", STUDENT),
    item("vanishing-sigma-identity-h1-norm", r"1", "one", STUDENT),
    item("vanishing-sigma-identity-h1-norm", r"0", "zero", STUDENT),
    item("vanishing-sigma-half-h1-norm", r"2^{-49}", "m49", STUDENT),
    item("vanishing-sigma-half-h1-norm", r"\left(\frac{1}{2}\right)^{49}", "m49", STUDENT),
    item("vanishing-sigma-half-h1-norm", r"\frac{1}{562949953421312}", "m49", "issue 9, case 4"),
    item("vanishing-sigma-half-h1-norm", r"\frac{1}{2^{50}}", "m50", STUDENT),
    item("vanishing-sigma-two-h1-norm", r"2^{49}", "p49", STUDENT),
    item("vanishing-sigma-two-h1-norm", r"562949953421312", "p49", "issue 9, case 4"),
    item("vanishing-sigma-two-h1-norm", r"\frac{2^{50}}{2}", "p49", "issue 9, case 4"),
    item("vanishing-sigma-two-h1-norm", r"2^{50}", "p50", STUDENT),
    item("vanishing-sigma-two-h1-norm", r"2^{48}", "p48", STUDENT),
    item("vanishing-another-way", r"c^{49}", "c49", STUDENT),
    item("vanishing-another-way", r"c^{50}", "c50", STUDENT),
    item("vanishing-another-way", r"49c", "49c", STUDENT),
    item("exploding-rnn-threshold", r"4", "four", STUDENT),
    item("exploding-rnn-threshold", r"\frac{1}{\sigma(0)(1-\sigma(0))}", "four", STUDENT),
    item("exploding-rnn-threshold", r"\frac{1}{\sigma'(0)}", "four", "issue 9, case 2"),
    item("exploding-rnn-threshold", r"2", "two", STUDENT),
    item("exploding-rnn-threshold", r"\frac{1}{4}", "quarter", STUDENT),
    item("exploding-rnn-residual-setting", r"0", "zero0", STUDENT),
    item("exploding-rnn-residual-setting", r"4", "four", STUDENT),
    item("exploding-rnn-residual-setting", r"-4", "minus4", STUDENT),
    item("exploding-rnn-regimes", r"\operatorname{sign}(|w| - 4)", "reg_ok", PASCANU),
    item("exploding-rnn-regimes", r"\operatorname{sign}\left(\frac{|w|}{4} - 1\right)", "reg_ok", STUDENT),
    item("exploding-rnn-regimes", r"\operatorname{sign}(w - 4)", "reg_signed", STUDENT),
    item("relu-derivative-norm", r"\max_{i} \mathbb{1}[z_i > 0]", "rn_max", STUDENT),
    item("relu-derivative-norm", r"1", "rn_one", PASCANU),
    item("relu-derivative-norm", r"\sum_{i} \mathbb{1}[z_i > 0]", "rn_sum", STUDENT),
    item("more-exploding-rnn-gradient", r"\frac{\delta l}{\delta h_T} D_{t+2} W_{t+1} D_{t+1} W_t", "me_ok", PASCANU),
    item("more-exploding-rnn-gradient", r"\frac{\delta l}{\delta h_T} W_{t+1} D_{t+2} W_t D_{t+1}", "me_swap", STUDENT),
    item("more-exploding-rnn-gradient", r"\frac{\delta l}{\delta h_T} D_{t+2} W_{t+1}^\top D_{t+1} W_t^\top", "me_tr",
         STUDENT),
]
