"""Activation backward passes: sigmoid, tanh, ReLU, the shifted logistic, the
MLP's δ_z rules, the ReLU layer and dropout (sheets 000, 001, 002, 004)."""
import numpy as np

from ._probe import Spec, item, num_grad, sigmoid

CS231N_BP = "https://cs231n.github.io/optimization-2/"
CS231N_NN2 = "https://cs231n.github.io/neural-networks-2/#reg"
STUDENT = "typical student variant"
DEDY = r"\frac{\partial E}{\partial y}"
DLDY = r"\frac{\partial L}{\partial Y}"
DH = r"\delta_h^{(l)}"
Z = r"\mathbf{z}^{(l)}"


def _scalar(rng):
    return {"x": rng.uniform(-3, 3), "g": rng.normal()}


def _scalar_away(rng):
    return {"x": rng.choice([-1, 1]) * rng.uniform(0.1, 3), "g": rng.normal()}


def _grad1(f):
    """∂E/∂x for E = g·f(x): the upstream g times a central difference."""
    return lambda x, g: num_grad(lambda v: g * f(v), np.array(x))


def _vec(rng, away=False):
    n = int(rng.integers(2, 6))
    z = rng.uniform(-3, 3, n)
    if away:
        z = np.sign(z) * np.maximum(np.abs(z), 0.1)
    return {"z": z, "dh": rng.normal(size=n)}


def _delta_z(f):
    return lambda z, dh: num_grad(lambda v: float(np.sum(dh * f(v))), z)


def _mat(rng, mask=False, away=False):
    n, m = (int(k) for k in rng.integers(2, 5, 2))
    X = rng.uniform(-2, 2, (n, m))
    if away:
        X = np.sign(X) * np.maximum(np.abs(X), 0.1)
    out = {"X": X, "G": rng.normal(size=(n, m))}
    if mask:
        out["M"] = rng.integers(0, 2, (n, m)).astype(float)
        out["p"] = rng.uniform(0.2, 0.9)
    return out


def _layer_grad(f):
    def truth(X, G, **rest):
        return num_grad(lambda v: float(np.sum(G * f(v, **rest))), X)
    return truth


ENTRIES = {
    "sigmoid-backward": Spec(_scalar, _grad1(sigmoid)),
    "tanh-backward": Spec(_scalar, _grad1(np.tanh)),
    "relu-backward": Spec(_scalar_away, _grad1(lambda v: np.maximum(0.0, v))),
    "shifted-logistic-derivative": Spec(lambda rng: {"z": rng.uniform(-4, 4)},
                                        lambda z: num_grad(lambda v: sigmoid(v) - 0.5, np.array(z))),
    "exploding-rnn-backward-step": Spec(
        lambda rng: {"h": rng.uniform(-2, 2), "w": rng.uniform(-3, 3), "g": rng.normal()},
        lambda h, w, g: num_grad(lambda v: g * (sigmoid(w * v) - 0.5), np.array(h))),
    "exploding-rnn-residual-step": Spec(
        lambda rng: {"h": rng.uniform(-2, 2), "w": rng.uniform(-3, 3), "g": rng.normal()},
        lambda h, w, g: num_grad(lambda v: g * (sigmoid(w * v) - 0.5 + v), np.array(h))),
    "mlp-delta-z-sigmoid": Spec(_vec, _delta_z(sigmoid)),
    "mlp-delta-z-tanh": Spec(_vec, _delta_z(np.tanh)),
    "mlp-delta-z-relu": Spec(lambda rng: _vec(rng, away=True), _delta_z(lambda v: np.maximum(v, 0.0))),
    "relu-layer-backward": Spec(lambda rng: _mat(rng, away=True), _layer_grad(lambda v: np.maximum(0.0, v))),
    "dropout-backward": Spec(lambda rng: _mat(rng, mask=True), _layer_grad(lambda v, M, p: v * M)),
    "dropout-inverted-backward": Spec(lambda rng: _mat(rng, mask=True), _layer_grad(lambda v, M, p: v * M / p)),
}

s = sigmoid
CLAIMS = {
    "sig_ok": lambda x, g: g * s(x) * (1 - s(x)),
    "sig_exp": lambda x, g: g * np.exp(-x) / (1 + np.exp(-x)) ** 2,
    "sig_frac": lambda x, g: g * (1 / (1 + np.exp(-x))) * (1 - 1 / (1 + np.exp(-x))),
    "sig_plus": lambda x, g: g * s(x) * (1 + s(x)),
    "sig_no_up": lambda x, g: s(x) * (1 - s(x)),
    "sig_sq": lambda x, g: g * (s(x) - s(x) ** 2),
    "tanh_ok": lambda x, g: g * (1 - np.tanh(x) ** 2),
    "tanh_cosh": lambda x, g: g / np.cosh(x) ** 2,
    "tanh_exp": lambda x, g: g * 4 / (np.exp(x) + np.exp(-x)) ** 2,
    "tanh_plus": lambda x, g: g * (1 + np.tanh(x) ** 2),
    "tanh_nosq": lambda x, g: g * (1 - np.tanh(x)),
    # d/dx (x − x tanh²x) = 1 − tanh²x − 2x tanh x (1 − tanh²x): not 1 − tanh²x
    "tanh_ddx_wrong": lambda x, g: g * (1 - np.tanh(x) ** 2 - 2 * x * np.tanh(x) * (1 - np.tanh(x) ** 2)),
    "relu_ok": lambda x, g: g * (x > 0),
    "relu_neg": lambda x, g: g * (x < 0),
    "relu_max_up": lambda x, g: np.maximum(0.0, g),
    "relu_times_x": lambda x, g: g * np.maximum(0.0, x),
    "phi_ok": lambda z: s(z) * (1 - s(z)),
    "phi_shift": lambda z: (s(z) - 0.5) * (1 - (s(z) - 0.5)),
    "phi_minus_half": lambda z: s(z) * (1 - s(z)) - 0.5,
    "ers_ok": lambda h, w, g: g * w * s(w * h) * (1 - s(w * h)),
    "ers_no_w": lambda h, w, g: g * s(w * h) * (1 - s(w * h)),
    "ers_h": lambda h, w, g: g * h * s(w * h) * (1 - s(w * h)),
    "res_ok": lambda h, w, g: g * (1 + w * s(w * h) * (1 - s(w * h))),
    "res_no_one": lambda h, w, g: g * w * s(w * h) * (1 - s(w * h)),
    "dzs_ok": lambda z, dh: dh * s(z) * (1 - s(z)),
    "dzs_no_one_minus": lambda z, dh: dh * s(z),
    "dzs_dot": lambda z, dh: np.full_like(z, np.dot(dh, s(z) * (1 - s(z)))),
    "dzt_ok": lambda z, dh: dh * (1 - np.tanh(z) ** 2),
    "dzt_h": lambda z, dh: dh * (1 - np.tanh(z)),
    "dzr_ok": lambda z, dh: dh * (z > 0),
    "dzr_max": lambda z, dh: dh * np.maximum(z, 0.0),
    "rl_ok": lambda X, G: G * (X > 0),
    "rl_neg": lambda X, G: G * (X <= 0),
    "rl_matmul": lambda X, G: G @ (X > 0).astype(float).T,
    "do_ok": lambda X, G, M, p: G * M,
    "do_none": lambda X, G, M, p: G,
    "do_flipped": lambda X, G, M, p: G * (1 - M),
    "doi_ok": lambda X, G, M, p: G * M / p,
    "doi_times_p": lambda X, G, M, p: p * G * M,
    "doi_unscaled": lambda X, G, M, p: G * M,
}

ITEMS = [
    item("sigmoid-backward", DEDY + r" \cdot \sigma(x)\left(1-\sigma(x)\right)", "sig_ok", CS231N_BP),
    item("sigmoid-backward", DEDY + r" \frac{e^{-x}}{(1+e^{-x})^2}", "sig_exp", CS231N_BP),
    item("sigmoid-backward", DEDY + r"\,\frac{1}{1+e^{-x}}\left(1-\frac{1}{1+e^{-x}}\right)", "sig_frac", STUDENT),
    item("sigmoid-backward", DEDY + r" \left(\sigma(x) - \sigma(x)^2\right)", "sig_sq", STUDENT),
    item("sigmoid-backward", DEDY + r" \sigma(x)(1+\sigma(x))", "sig_plus", STUDENT),
    item("sigmoid-backward", r"\sigma(x)(1-\sigma(x))", "sig_no_up", STUDENT),
    item("sigmoid-backward", "dEdy*sigma(x)*(1 - sigma(x))", "sig_ok", CS231N_BP, latex=False),
    item("sigmoid-backward", DEDY + r" \sigma'(x)", "sig_ok", "issue 9, case 2"),
    item("sigmoid-backward", DEDY + r" \frac{d\sigma(x)}{dx}", "sig_ok", "issue 9, case 9"),
    item("sigmoid-backward", "dEdy*exp(-x)/(1 + exp(-x))**2", "sig_exp", CS231N_BP, latex=False),
    item("tanh-backward", DEDY + r" \left(1-\tanh^2(x)\right)", "tanh_ok", "https://cs231n.github.io/neural-networks-1/"),
    item("tanh-backward", DEDY + r" (1 - \tanh(x)^2)", "tanh_ok", STUDENT),
    item("tanh-backward", DEDY + r" \frac{1}{\cosh^2(x)}", "tanh_cosh", STUDENT),
    item("tanh-backward", DEDY + r" \frac{4}{\left(e^{x}+e^{-x}\right)^2}", "tanh_exp", STUDENT),
    item("tanh-backward", DEDY + r" \,\mathrm{sech}^2(x)", "tanh_cosh", "issue 9, case 9"),
    item("tanh-backward", DEDY + r" (1 + \tanh^2 x)", "tanh_plus", STUDENT),
    item("tanh-backward", DEDY + r" (1 - \tanh x)", "tanh_nosq", STUDENT),
    item("tanh-backward", DEDY + r"\frac{d}{dx}\left(x - x\tanh^2 x\right)", "tanh_ddx_wrong", "issue 9, case 1"),
    item("tanh-backward", "dEdy*(1 - tanh(x)**2)", "tanh_ok", STUDENT, latex=False),
    item("relu-backward", DEDY + r" \mathbb{1}[x > 0]", "relu_ok", CS231N_BP),
    item("relu-backward", r"\begin{cases} " + DEDY + r" & \text{if } x > 0 \\ 0 & \text{otherwise} \end{cases}",
         "relu_ok", STUDENT),
    item("relu-backward", DEDY + r" \mathbb{1}[x < 0]", "relu_neg", STUDENT),
    item("relu-backward", r"\max\left(0, " + DEDY + r"\right)", "relu_max_up",
         "https://stackoverflow.com/questions/42042561/relu-derivative-in-backpropagation"),
    item("relu-backward", DEDY + r" \max(0, x)", "relu_times_x", STUDENT),
    item("relu-backward", "dEdy if x > 0 else 0", "relu_ok", STUDENT, latex=False),
    item("shifted-logistic-derivative", r"\sigma(z)(1-\sigma(z))", "phi_ok", STUDENT),
    item("shifted-logistic-derivative", r"\frac{e^{-z}}{\left(1+e^{-z}\right)^{2}}", "phi_ok", STUDENT),
    item("shifted-logistic-derivative", r"(\sigma(z)-0.5)(1-(\sigma(z)-0.5))", "phi_shift", STUDENT),
    item("shifted-logistic-derivative", r"\sigma(z)(1-\sigma(z)) - 0.5", "phi_minus_half", STUDENT),
    item("exploding-rnn-backward-step",
         r"\frac{\delta l}{\delta h^{(t+1)}}\, w\, \sigma(w h^{(t)})\left(1-\sigma(w h^{(t)})\right)", "ers_ok", STUDENT),
    item("exploding-rnn-backward-step", r"w\,\phi'(z^t)\,\frac{\delta l}{\delta h^{(t+1)}}", "ers_ok", STUDENT),
    item("exploding-rnn-backward-step", r"\frac{\delta l}{\delta h^{(t+1)}} \phi'(z^t)", "ers_no_w", STUDENT),
    item("exploding-rnn-backward-step", r"\frac{\delta l}{\delta h^{(t+1)}} h^{(t)} \phi'(z^t)", "ers_h", STUDENT),
    item("exploding-rnn-residual-step", r"\frac{\delta l}{\delta h^{(t+1)}}\left(1 + w\,\phi'(z^t)\right)", "res_ok",
         "https://arxiv.org/abs/1512.03385"),
    item("exploding-rnn-residual-step", r"\frac{\delta l}{\delta h^{(t+1)}} w \phi'(z^t)", "res_no_one", STUDENT),
    item("mlp-delta-z-sigmoid", DH + r" \odot \sigma(" + Z + r") \odot (1-\sigma(" + Z + r"))", "dzs_ok",
         "http://neuralnetworksanddeeplearning.com/chap2.html"),
    item("mlp-delta-z-sigmoid", r"\delta_{h,i}^{(l)}\,\sigma(z_i^{(l)})\left(1-\sigma(z_i^{(l)})\right)", "dzs_ok",
         STUDENT),
    item("mlp-delta-z-sigmoid", DH + r" \odot \sigma(" + Z + r")", "dzs_no_one_minus", STUDENT),
    item("mlp-delta-z-tanh", DH + r" \odot \left(1 - \mathbf{h}^{(l)} \odot \mathbf{h}^{(l)}\right)", "dzt_ok",
         "https://www.deeplearningbook.org/contents/mlp.html"),
    item("mlp-delta-z-tanh", r"\delta_{h,i}^{(l)}\left(1-\tanh^2(z_i^{(l)})\right)", "dzt_ok", STUDENT),
    item("mlp-delta-z-tanh", DH + r" \odot (1 - \mathbf{h}^{(l)})", "dzt_h", STUDENT),
    item("mlp-delta-z-relu", DH + r" \odot \mathbb{1}[" + Z + r" > 0]", "dzr_ok", CS231N_BP),
    item("mlp-delta-z-relu", DH + r" \odot \max(" + Z + r", 0)", "dzr_max", STUDENT),
    item("relu-layer-backward", DLDY + r" \odot \mathbb{1}[X > 0]", "rl_ok",
         "https://github.com/cs231n/cs231n.github.io/blob/master/assignments/2016/assignment2.md"),
    item("relu-layer-backward", DLDY + r" \odot \mathbb{1}\{\max(0, X) > 0\}", "rl_ok", "issue 9, case 6"),
    item("relu-layer-backward", DLDY + r" \odot \mathbb{1}[X \le 0]", "rl_neg", STUDENT),
    item("dropout-backward", DLDY + r" \odot M", "do_ok", CS231N_NN2),
    item("dropout-backward", r"M \odot " + DLDY, "do_ok", STUDENT),
    item("dropout-backward", DLDY, "do_none", STUDENT),
    item("dropout-backward", DLDY + r" \odot (1 - M)", "do_flipped", STUDENT),
    item("dropout-inverted-backward", DLDY + r" \odot \frac{M}{p}", "doi_ok", CS231N_NN2),
    item("dropout-inverted-backward", r"\frac{1}{p} M \odot " + DLDY, "doi_ok", STUDENT),
    item("dropout-inverted-backward", r"p\, " + DLDY + r" \odot M", "doi_times_p", STUDENT),
    item("dropout-inverted-backward", DLDY + r" \odot M", "doi_unscaled", STUDENT),
]
