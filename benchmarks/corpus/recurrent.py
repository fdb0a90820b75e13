"""Recurrent networks: BPTT for the RNN of sheet 004 eq. (4) over T = 2 steps,
its state Jacobians, the LSTM's output-layer gradient and cell path, and the
gated RNN of sheet 003.  Vectors are columns; a Jacobian ∂h/∂h' is the matrix of
∂h_i/∂h'_j (the question's layout)."""
import numpy as np

from ._probe import Spec, item, num_grad, num_jacobian, sigmoid, softmax

GOODFELLOW_RNN = "https://www.deeplearningbook.org/contents/rnn.html (eqs. 10.18-10.28)"
KARPATHY_MINRNN = "https://gist.github.com/karpathy/d4dee566867f8291f086 (min-char-rnn backward pass)"
D2L_BPTT = "https://d2l.ai/chapter_recurrent-neural-networks/bptt.html"
COLAH = "https://colah.github.io/posts/2015-08-Understanding-LSTMs/"
GFG_LSTM = "https://www.geeksforgeeks.org/lstm-derivation-of-back-propagation-through-time/"
PASCANU = "https://arxiv.org/abs/1211.5063 (eq. 5)"
STUDENT = "typical student variant"


def _u(rng, *shape):
    return rng.uniform(-1, 1, shape)


def _rnn_sample(rng):
    n, H, K = (int(v) for v in rng.integers(2, 4, 3))
    p = {"W": _u(rng, H, n), "U": _u(rng, H, H), "b": _u(rng, H, 1), "V": _u(rng, K, H), "c": _u(rng, K, 1),
         "h0": rng.normal(size=(H, 1))}
    for s in (1, 2):
        p[f"x{s}"] = rng.normal(size=(n, 1))
        t = rng.uniform(0.05, 1, (K, 1))
        p[f"t{s}"] = t / t.sum()
    return p


def _rnn_forward(p):
    h, out = p["h0"], {"h0": p["h0"]}
    for s in (1, 2):
        h = np.tanh(p["W"] @ p[f"x{s}"] + p["U"] @ h + p["b"])
        out[f"h{s}"], out[f"o{s}"] = h, p["V"] @ h + p["c"]
    return out


def _rnn_J(p):
    f = _rnn_forward(p)
    return -sum(float(np.sum(p[f"t{s}"] * np.log(softmax(f[f"o{s}"])))) for s in (1, 2))


def _rnn_deltas(p):
    """The sheet's BPTT recursion, written out: δ_o = y − t, δ_h, δ_z."""
    f = _rnn_forward(p)
    d = {f"do{s}": softmax(f[f"o{s}"]) - p[f"t{s}"] for s in (1, 2)}
    d["dh2"] = p["V"].T @ d["do2"]
    d["dz2"] = d["dh2"] * (1 - f["h2"] ** 2)
    d["dh1"] = p["V"].T @ d["do1"] + p["U"].T @ d["dz2"]
    d["dz1"] = d["dh1"] * (1 - f["h1"] ** 2)
    return {**f, **d}


def _rnn(wrt):
    return lambda **p: num_grad(lambda v: _rnn_J({**p, wrt: v}), p[wrt])


def _step_sample(rng):
    n, H = int(rng.integers(1, 4)), int(rng.integers(2, 5))
    return {"W": _u(rng, H, n), "U": _u(rng, H, H), "b": _u(rng, H, 1), "x": rng.normal(size=(n, 1)),
            "hp": rng.normal(size=(H, 1)), "x3": rng.normal(size=(n, 1)), "x4": rng.normal(size=(n, 1))}


def _step(W, U, b, x, h):
    return np.tanh(W @ x + U @ h.reshape(-1, 1) + b)


def _chain(W, U, b, x, hp, x3, x4):
    """h2, h3, h4 from h1 = hp (inputs x, x3, x4)."""
    h2 = _step(W, U, b, x, hp)
    h3 = _step(W, U, b, x3, h2)
    return h2, h3, _step(W, U, b, x4, h3)


def _diag(h):
    return np.diag(1 - h.ravel() ** 2)


def _lstm_sample(rng):
    n, H, K = (int(v) for v in rng.integers(2, 4, 3))
    p = {f"{m}{g}": _u(rng, H, n if m == "W" else H) for m in "WU" for g in "fioc"}
    p.update({f"b{g}": _u(rng, H, 1) for g in "fioc"})
    p.update({"V": _u(rng, K, H), "d": _u(rng, K, 1), "h0": rng.normal(size=(H, 1)), "c0": rng.normal(size=(H, 1))})
    for s in (1, 2, 3):
        p[f"x{s}"] = rng.normal(size=(n, 1))
        t = rng.uniform(0.05, 1, (K, 1))
        p[f"t{s}"] = t / t.sum()
    return p


def _gate(p, g, x, h, act=sigmoid):
    return act(p[f"W{g}"] @ x + p[f"U{g}"] @ h + p[f"b{g}"])


def _lstm_J(p, steps=2):
    h, c, J = p["h0"], p["c0"], 0.0
    for s in range(1, steps + 1):
        x = p[f"x{s}"]
        c = _gate(p, "f", x, h) * c + _gate(p, "i", x, h) * _gate(p, "c", x, h, np.tanh)
        h = _gate(p, "o", x, h) * np.tanh(c)
        J -= float(np.sum(p[f"t{s}"] * np.log(softmax(p["V"] @ h + p["d"]))))
    return J


def _lstm_states(p):
    h, c, out = p["h0"], p["c0"], {}
    for s in (1, 2):
        x = p[f"x{s}"]
        c = _gate(p, "f", x, h) * c + _gate(p, "i", x, h) * _gate(p, "c", x, h, np.tanh)
        h = _gate(p, "o", x, h) * np.tanh(c)
        out[f"y{s}"] = softmax(p["V"] @ h + p["d"])
    return out


def _cell(p, x, h, c):
    return _gate(p, "f", x, h) * c.reshape(-1, 1) + _gate(p, "i", x, h) * _gate(p, "c", x, h, np.tanh)


def _gated_sample(rng):
    n, m = (int(v) for v in rng.integers(2, 5, 2))
    return {"x": rng.normal(size=(n, 1)), "hp": rng.normal(size=(m, 1)), "Wx": _u(rng, m, n), "Wc": _u(rng, m, n),
            "Wh": _u(rng, m, m), "g": rng.normal(size=(m, 1))}


def _gated_truth(x, hp, Wx, Wc, Wh, g):
    c = sigmoid(Wc @ x + Wh @ hp)
    return num_grad(lambda v: float(np.sum(g * (c * hp + (1 - c) * (v @ x)))), Wx)


ENTRIES = {
    **{f"rnn-dj-d{w.lower()}": Spec(_rnn_sample, _rnn(w)) for w in ("V", "c", "W", "U", "b")},
    "rnn-step-jacobian": Spec(_step_sample, lambda W, U, b, x, hp, **_: num_jacobian(
        lambda v: _step(W, U, b, x, v), hp)),
    "rnn-jacobian-product": Spec(_step_sample, lambda W, U, b, x, hp, x3, x4: num_jacobian(
        lambda v: _chain(W, U, b, x, v, x3, x4)[2], hp)),
    "lstm-dj-dd": Spec(_lstm_sample, lambda **p: num_grad(lambda v: _lstm_J({**p, "d": v}), p["d"])),
    "lstm-cell-jacobian": Spec(_lstm_sample, lambda **p: num_jacobian(lambda v: _cell(p, p["x2"], p["h0"], v),
                                                                      p["c0"])),
    "lstm-cell-path-product": Spec(_lstm_sample, lambda **p: num_jacobian(
        lambda v: _cell(p, p["x3"], p["h1x"], _cell(p, p["x2"], p["h0"], v)), p["c0"])),
    "gated-rnn-dl-dwx": Spec(_gated_sample, _gated_truth),
}


def _lstm_path_sample(rng):
    p = _lstm_sample(rng)
    p["h1x"] = rng.normal(size=p["h0"].shape)  # the state fed to step 3's gates, held fixed
    return p


ENTRIES["lstm-cell-path-product"] = Spec(_lstm_path_sample, ENTRIES["lstm-cell-path-product"].truth)
R = _rnn_deltas
CLAIMS = {
    "dv_ok": lambda **p: sum(R(p)[f"do{s}"] @ R(p)[f"h{s}"].T for s in (1, 2)),
    "dv_tr": lambda **p: sum(R(p)[f"h{s}"] @ R(p)[f"do{s}"].T for s in (1, 2)),
    "dv_last": lambda **p: R(p)["do2"] @ R(p)["h2"].T,
    "dc_ok": lambda **p: R(p)["do1"] + R(p)["do2"],
    "dc_neg": lambda **p: -(R(p)["do1"] + R(p)["do2"]),
    "dw_ok": lambda **p: sum(R(p)[f"dz{s}"] @ p[f"x{s}"].T for s in (1, 2)),
    "dw_dh": lambda **p: sum(R(p)[f"dh{s}"] @ p[f"x{s}"].T for s in (1, 2)),
    "du_ok": lambda **p: sum(R(p)[f"dz{s}"] @ R(p)[f"h{s - 1}"].T for s in (1, 2)),
    "du_last": lambda **p: R(p)["dz2"] @ R(p)["h1"].T,
    "du_off": lambda **p: sum(R(p)[f"dz{s}"] @ R(p)[f"h{s}"].T for s in (1, 2)),
    "db_ok": lambda **p: R(p)["dz1"] + R(p)["dz2"],
    "db_dh": lambda **p: R(p)["dh1"] + R(p)["dh2"],
    "sj_ok": lambda W, U, b, x, hp, **_: _diag(_step(W, U, b, x, hp)) @ U,
    "sj_denom": lambda W, U, b, x, hp, **_: U.T @ _diag(_step(W, U, b, x, hp)),
    "sj_swap": lambda W, U, b, x, hp, **_: U @ _diag(_step(W, U, b, x, hp)),
    "sj_hj": lambda W, U, b, x, hp, **_: U * (1 - _step(W, U, b, x, hp).ravel() ** 2)[None, :],
    "jp_ok": lambda W, U, b, x, hp, x3, x4: (lambda h: _diag(h[2]) @ U @ _diag(h[1]) @ U @ _diag(h[0]) @ U)(
        _chain(W, U, b, x, hp, x3, x4)),
    "jp_rev": lambda W, U, b, x, hp, x3, x4: (lambda h: _diag(h[0]) @ U @ _diag(h[1]) @ U @ _diag(h[2]) @ U)(
        _chain(W, U, b, x, hp, x3, x4)),
    "jp_pow": lambda W, U, b, x, hp, x3, x4: np.linalg.matrix_power(U, 3),
    "dd_ok": lambda **p: sum(_lstm_states(p)[f"y{s}"] - p[f"t{s}"] for s in (1, 2)),
    "dd_last": lambda **p: _lstm_states(p)["y2"] - p["t2"],
    "cj_ok": lambda **p: np.diag(_gate(p, "f", p["x2"], p["h0"]).ravel()),
    "cj_vec": lambda **p: _gate(p, "f", p["x2"], p["h0"]),
    "cj_1mf": lambda **p: np.diag(1 - _gate(p, "f", p["x2"], p["h0"]).ravel()),
    "cp_ok": lambda **p: np.diag((_gate(p, "f", p["x3"], p["h1x"]) * _gate(p, "f", p["x2"], p["h0"])).ravel()),
    "cp_last": lambda **p: np.diag(_gate(p, "f", p["x3"], p["h1x"]).ravel()),
    "gr_ok": lambda x, hp, Wx, Wc, Wh, g: ((1 - sigmoid(Wc @ x + Wh @ hp)) * g) @ x.T,
    "gr_nogate": lambda x, hp, Wx, Wc, Wh, g: g @ x.T,
    "gr_tr": lambda x, hp, Wx, Wc, Wh, g: x @ ((1 - sigmoid(Wc @ x + Wh @ hp)) * g).T,
}

SUM_T = r"\sum_{t=1}^{T}"
DIAG = r"\operatorname{diag}(1 - \mathbf{h}^{(%s)} \odot \mathbf{h}^{(%s)})"
ITEMS = [
    item("rnn-dj-dv", SUM_T + r"\delta_o^{(t)}\mathbf{h}^{(t)\top}", "dv_ok", GOODFELLOW_RNN),
    item("rnn-dj-dv", r"\delta_o^{(1)}\left(\mathbf{h}^{(1)}\right)^{T} + \delta_o^{(2)}\left(\mathbf{h}^{(2)}\right)^{T}",
         "dv_ok", KARPATHY_MINRNN),
    item("rnn-dj-dv", SUM_T + r"\mathbf{h}^{(t)}\delta_o^{(t)\top}", "dv_tr", STUDENT),
    item("rnn-dj-dv", r"\delta_o^{(2)}\mathbf{h}^{(2)\top}", "dv_last", STUDENT),
    item("rnn-dj-dc", SUM_T + r"\delta_o^{(t)}", "dc_ok", GOODFELLOW_RNN),
    item("rnn-dj-dc", SUM_T + r" (\operatorname{softmax}(\mathbf{o}^{(t)}) - \mathbf{t}^{(t)})", "dc_ok",
         "issue 9, case 3"),
    item("rnn-dj-dc", SUM_T + r" (\mathbf{t}^{(t)} - \operatorname{softmax}(\mathbf{o}^{(t)}))", "dc_neg", STUDENT),
    item("rnn-dj-dw", SUM_T + r"\delta_z^{(t)}\mathbf{x}^{(t)\top}", "dw_ok", GOODFELLOW_RNN),
    item("rnn-dj-dw", r"\sum_{t=1}^{2} \delta_z^{(t)} \left(\mathbf{x}^{(t)}\right)^\top", "dw_ok", KARPATHY_MINRNN),
    item("rnn-dj-dw", SUM_T + r"\delta_h^{(t)}\mathbf{x}^{(t)\top}", "dw_dh", STUDENT),
    item("rnn-dj-du", SUM_T + r"\delta_z^{(t)}\mathbf{h}^{(t-1)\top}", "du_ok", GOODFELLOW_RNN),
    item("rnn-dj-du", r"\delta_z^{(1)}\mathbf{h}^{(0)\top} + \delta_z^{(2)}\mathbf{h}^{(1)\top}", "du_ok", D2L_BPTT),
    item("rnn-dj-du", r"\delta_z^{(2)}\mathbf{h}^{(1)\top}", "du_last", STUDENT),
    item("rnn-dj-du", SUM_T + r"\delta_z^{(t)}\mathbf{h}^{(t)\top}", "du_off", STUDENT),
    item("rnn-dj-db", SUM_T + r"\delta_z^{(t)}", "db_ok", GOODFELLOW_RNN),
    item("rnn-dj-db", SUM_T + r"\delta_h^{(t)} \odot \left(1 - \mathbf{h}^{(t)} \odot \mathbf{h}^{(t)}\right)", "db_ok",
         KARPATHY_MINRNN),
    item("rnn-dj-db", SUM_T + r"\delta_h^{(t)}", "db_dh", STUDENT),
    item("rnn-step-jacobian", DIAG % ("t", "t") + r"\,\mathbf{U}", "sj_ok", PASCANU),
    item("rnn-step-jacobian", r"\left(1 - (h_i^{(t)})^2\right) U_{ij}", "sj_ok", STUDENT),
    item("rnn-step-jacobian", r"\operatorname{diag}\left(1 - \tanh^2(\mathbf{W}\mathbf{x}^{(t)} + \mathbf{U}"
         r"\mathbf{h}^{(t-1)} + \mathbf{b})\right)\mathbf{U}", "sj_ok", D2L_BPTT),
    item("rnn-step-jacobian", r"\mathbf{U}^\top " + DIAG % ("t", "t"), "sj_denom", STUDENT),
    item("rnn-step-jacobian", r"\mathbf{U}\," + DIAG % ("t", "t"), "sj_swap", STUDENT),
    item("rnn-step-jacobian", r"\left(1 - (h_j^{(t)})^2\right) U_{ij}", "sj_hj", STUDENT),
    item("rnn-jacobian-product", DIAG % (4, 4) + r"\mathbf{U}" + DIAG % (3, 3) + r"\mathbf{U}" + DIAG % (2, 2) +
         r"\mathbf{U}", "jp_ok", PASCANU),
    item("rnn-jacobian-product", DIAG % (2, 2) + r"\mathbf{U}" + DIAG % (3, 3) + r"\mathbf{U}" + DIAG % (4, 4) +
         r"\mathbf{U}", "jp_rev", STUDENT),
    item("rnn-jacobian-product", r"\mathbf{U}^{3}", "jp_pow", STUDENT),
    item("lstm-dj-dd", r"\delta_a^{(1)} + \delta_a^{(2)}", "dd_ok", GFG_LSTM),
    item("lstm-dj-dd", SUM_T + r" \left(\operatorname{softmax}(\mathbf{V}\mathbf{h}^{(t)} + \mathbf{d}) - "
         r"\mathbf{t}^{(t)}\right)", "dd_ok", "issue 9, case 3"),
    item("lstm-dj-dd", r"\delta_a^{(2)}", "dd_last", STUDENT),
    item("lstm-cell-jacobian", r"\operatorname{diag}(\mathbf{f}^{(t)})", "cj_ok", COLAH),
    item("lstm-cell-jacobian", r"f_i^{(t)}\,\delta_{ij}", "cj_ok", STUDENT),
    item("lstm-cell-jacobian", r"\mathbf{f}^{(t)}", "cj_vec", STUDENT),
    item("lstm-cell-jacobian", r"\operatorname{diag}(1 - \mathbf{f}^{(t)})", "cj_1mf", STUDENT),
    item("lstm-cell-path-product", r"\operatorname{diag}(\mathbf{f}^{(3)} \odot \mathbf{f}^{(2)})", "cp_ok", COLAH),
    item("lstm-cell-path-product", r"\operatorname{diag}(\mathbf{f}^{(3)})\operatorname{diag}(\mathbf{f}^{(2)})",
         "cp_ok", STUDENT),
    item("lstm-cell-path-product", r"\operatorname{diag}(\mathbf{f}^{(3)})", "cp_last", STUDENT),
    item("gated-rnn-dl-dwx", r"\left((\mathbf{1} - c[t]) \odot \frac{\partial l}{\partial h[t]}\right) x[t]^\top",
         "gr_ok", STUDENT),
    item("gated-rnn-dl-dwx", r"\frac{\partial l}{\partial h[t]}\, x[t]^{T}", "gr_nogate", STUDENT),
    item("gated-rnn-dl-dwx", r"x[t] \left((\mathbf{1} - c[t]) \odot \frac{\partial l}{\partial h[t]}\right)^\top",
         "gr_tr", STUDENT),
]
