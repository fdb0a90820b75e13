"""Regularisation (Goodfellow et al. ch. 7), the VAE (Kingma & Welling) and the
GAN (Goodfellow et al. 2014): optima found numerically (exact quadratic
recovery, golden-section search, bisection), KL terms by quadrature."""
import numpy as np

from ._probe import Approx, Spec, item, num_grad

DLB_REG = "https://www.deeplearningbook.org/contents/regularization.html"
KINGMA = "https://arxiv.org/abs/1312.6114 (Appendix B)"
GAN = "https://arxiv.org/abs/1406.2661 (Proposition 1, Theorem 1)"
DOERSCH = "https://arxiv.org/abs/1606.05908 (eq. 7)"
STUDENT = "typical student variant"
I_ = r"\mathbf{I}"


def _spd(rng, n):
    A = rng.normal(size=(n, n))
    return A @ A.T + 0.5 * np.eye(n)


def _orth(rng, n):
    q, r = np.linalg.qr(rng.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def _l2_sample(rng):
    n = int(rng.integers(2, 5))
    Q, lam = _orth(rng, n), rng.uniform(0.3, 3, n)
    return {"H": Q @ np.diag(lam) @ Q.T, "Q": Q, "Lam": np.diag(lam), "ws": rng.normal(size=(n, 1)),
            "w": rng.normal(size=(n, 1)), "alpha": rng.uniform(0.05, 2)}


def _l2_obj(H, ws, alpha):
    return lambda w: (alpha / 2 * w.T @ w + (w - ws).T @ H @ (w - ws) / 2).item()


def _quad_argmin(f, n):
    """The minimiser of a quadratic f on R^n, recovered exactly from values: f(w) = ½wᵀAw + cᵀw + f(0)."""
    e = np.eye(n)
    f0 = f(np.zeros((n, 1)))
    A = np.array([[f((e[i] + e[j]).reshape(-1, 1)) - f(e[i].reshape(-1, 1)) - f(e[j].reshape(-1, 1)) + f0
                   for j in range(n)] for i in range(n)])
    c = np.array([(f(e[i].reshape(-1, 1)) - f(-e[i].reshape(-1, 1))) / 2 for i in range(n)]).reshape(-1, 1)
    return np.linalg.solve(A, -c)


def _golden(f, lo=-20.0, hi=20.0, iters=200):
    g = (np.sqrt(5) - 1) / 2
    a, b = lo, hi
    for _ in range(iters):
        c, d = b - g * (b - a), a + g * (b - a)
        if f(c) < f(d):
            b = d
        else:
            a = c
    x = (a + b) / 2
    return 0.0 if f(0.0) <= f(x) else x  # the kink of |v| is where an L1 optimum often sits exactly


def _l1_sample(rng):
    n = int(rng.integers(2, 6))
    return {"h": rng.uniform(0.5, 3, n), "ws": 2 * rng.normal(size=n), "alpha": rng.uniform(0.1, 2)}


def _l1_truth(h, ws, alpha):
    return np.array([_golden(lambda v: alpha * abs(v) + h[i] * (v - ws[i]) ** 2 / 2) for i in range(ws.size)])


def _bisect(fprime, lo=1e-15, hi=1 - 1e-15):
    for _ in range(200):
        mid = (lo + hi) / 2
        if fprime(mid) > 0:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _prob(rng, k):
    p = rng.uniform(0.05, 1, k)
    return p / p.sum()


def _gan_sample(rng):
    k = int(rng.integers(2, 6))
    return {"pd": _prob(rng, k), "pg": _prob(rng, k)}


def _dstar(pd, pg):
    return np.array([_bisect(lambda y: pd[i] / y - pg[i] / (1 - y)) for i in range(pd.size)])


def _neg_kl_quad(mu, sigma):
    """−KL(N(μ, diag σ²) ‖ N(0, I)) by the trapezoidal rule on ±14σ, dimension by dimension."""
    total = 0.0
    for m, s in zip(np.ravel(mu), np.ravel(sigma)):
        z = np.linspace(m - 14 * s, m + 14 * s, 20001)
        q = np.exp(-(z - m) ** 2 / (2 * s * s)) / np.sqrt(2 * np.pi * s * s)
        integrand = q * ((-(z - m) ** 2 / (2 * s * s) - np.log(s)) - (-z * z / 2))
        total -= float(np.sum((integrand[1:] + integrand[:-1]) / 2 * np.diff(z)))
    return total


def _vae_sample(rng):
    k = int(rng.integers(2, 6))
    return {"pz": _prob(rng, k), "pxz": rng.uniform(0.05, 0.95, k), "q": _prob(rng, k)}


def _gk_sample(rng):
    j = int(rng.integers(1, 5))
    return {"mu": rng.uniform(-2, 2, j), "sigma": rng.uniform(0.3, 3, j)}


def _rep_sample(rng):
    return {"mu": rng.uniform(-1.5, 1.5, (2, 1)), "sigma": rng.uniform(0.3, 2, (2, 1)), "x": rng.normal(size=(2, 1)),
            "W": rng.normal(size=(2, 2)), "b": rng.normal(size=(2, 1)), "eps1": rng.normal(size=(2, 1)),
            "eps2": rng.normal(size=(2, 1))}


def _rep_truth(mu, sigma, x, W, b, eps1, eps2):
    """∇_μ of the M = 2 sample estimator −KL + (1/M) Σ_m log N(x; W(μ + σ⊙ε_m) + b, I), as a function of its
    samples (the sheet: "a full formula using M noise samples"; the entry reads M = 2)."""
    def est(m):
        total = 0.0
        for eps in (eps1, eps2):
            r = x - W @ (m + sigma * eps) - b
            total += -(r.T @ r).item() / 2 - np.log(2 * np.pi)
        return _neg_kl_quad(m, sigma) + total / 2
    return num_grad(est, mu)


KL = lambda a, b: float(np.sum(a * np.log(a / b)))  # noqa: E731
ENTRIES = {
    "l2-gradient": Spec(_l2_sample, lambda H, ws, w, alpha, **_: num_grad(_l2_obj(H, ws, alpha), w)),
    "l2-optimum": Spec(_l2_sample, lambda H, ws, alpha, **_: _quad_argmin(_l2_obj(H, ws, alpha), ws.shape[0])),
    "l2-eigen": Spec(_l2_sample, lambda H, ws, alpha, **_: _quad_argmin(_l2_obj(H, ws, alpha), ws.shape[0])),
    "l1-optimum": Spec(_l1_sample, _l1_truth),
    "gan-log-maximiser": Spec(lambda rng: {"a": rng.uniform(0.1, 3), "b": rng.uniform(0.1, 3)},
                              lambda a, b: _bisect(lambda y: a / y - b / (1 - y))),
    "gan-optimal-discriminator": Spec(_gan_sample, _dstar),
    "gan-global-minimum": Spec(_gan_sample, lambda pd, pg: float(np.sum(pd * np.log(_dstar(pd, pg)) +
                                                                        pg * np.log(1 - _dstar(pd, pg))))),
    "elbo-identity": Spec(_vae_sample, lambda pz, pxz, q: float(np.log(np.sum(pz * pxz)))),
    "elbo-kl-form": Spec(_vae_sample, lambda pz, pxz, q: float(np.sum(q * (-np.log(q) + np.log(pz * pxz))))),
    "gaussian-kl": Spec(_gk_sample, _neg_kl_quad),
    # an untrained 4-class classifier: equal logits, so the predicted distribution is uniform
    "initial-ce-loss": Spec(lambda rng: {}, lambda: -float(np.log(np.exp(0.0) / np.sum(np.exp(np.zeros(4)))))),
    "initial-accuracy": Spec(lambda rng: {"q": _prob(rng, 4)},
                             lambda q: float(sum(q[k] * 0.25 for k in range(4)))),
    "reparameterised-gradient": Spec(_rep_sample, _rep_truth),
}


def _post(pz, pxz):
    return pz * pxz / np.sum(pz * pxz)


def _elbo(pz, pxz, q):
    return float(np.sum(q * np.log(pz * pxz / q)))


def _jsd(p, g):
    m = (p + g) / 2
    return (KL(p, m) + KL(g, m)) / 2


CLAIMS = {
    "l2g_ok": lambda H, ws, w, alpha, **_: alpha * w + H @ (w - ws),
    "l2g_fac": lambda H, ws, w, alpha, **_: (H + alpha * np.eye(len(w))) @ w - H @ ws,
    "l2g_sign": lambda H, ws, w, alpha, **_: alpha * w + H @ (ws - w),
    "l2g_half": lambda H, ws, w, alpha, **_: alpha / 2 * w + H @ (w - ws),
    "l2o_ok": lambda H, ws, alpha, **_: np.linalg.solve(H + alpha * np.eye(len(ws)), H @ ws),
    "l2o_comm": lambda H, ws, alpha, **_: H @ np.linalg.solve(H + alpha * np.eye(len(ws)), ws),
    "l2o_shrink": lambda H, ws, alpha, **_: ws - alpha * np.linalg.solve(H + alpha * np.eye(len(ws)), ws),
    "l2o_noH": lambda H, ws, alpha, **_: np.linalg.solve(H + alpha * np.eye(len(ws)), ws),
    "l2o_inv": lambda H, ws, alpha, **_: np.linalg.solve(H, (H + alpha * np.eye(len(ws))) @ ws),
    "l2e_ok": lambda Q, Lam, ws, alpha, **_: Q @ np.linalg.inv(Lam + alpha * np.eye(len(ws))) @ Lam @ Q.T @ ws,
    "l2e_comm": lambda Q, Lam, ws, alpha, **_: Q @ Lam @ np.linalg.inv(Lam + alpha * np.eye(len(ws))) @ Q.T @ ws,
    "l2e_qt": lambda Q, Lam, ws, alpha, **_: Q.T @ np.linalg.inv(Lam + alpha * np.eye(len(ws))) @ Lam @ Q @ ws,
    "l2e_nolam": lambda Q, Lam, ws, alpha, **_: Q @ np.linalg.inv(Lam + alpha * np.eye(len(ws))) @ Q.T @ ws,
    "l1_ok": lambda h, ws, alpha: np.sign(ws) * np.maximum(np.abs(ws) - alpha / h, 0),
    "l1_nosign": lambda h, ws, alpha: np.maximum(np.abs(ws) - alpha / h, 0),
    "l1_lin": lambda h, ws, alpha: ws - alpha / h,
    "l1_times": lambda h, ws, alpha: np.sign(ws) * np.maximum(np.abs(ws) - alpha * h, 0),
    "glm_ok": lambda a, b: a / (a + b),
    "glm_b": lambda a, b: b / (a + b),
    "glm_ab": lambda a, b: a / b,
    "god_ok": lambda pd, pg: pd / (pd + pg),
    "god_g": lambda pd, pg: pg / (pd + pg),
    "god_half": lambda pd, pg: np.full(pd.size, 0.5),
    "ggm_ok": lambda pd, pg: -np.log(4) + 2 * _jsd(pd, pg),
    "ggm_log4": lambda pd, pg: -np.log(4),
    "ggm_plus": lambda pd, pg: np.log(4) + 2 * _jsd(pd, pg),
    "ggm_one_jsd": lambda pd, pg: -np.log(4) + _jsd(pd, pg),
    "ei_ok": lambda pz, pxz, q: KL(q, _post(pz, pxz)) + _elbo(pz, pxz, q),
    "ei_minus": lambda pz, pxz, q: KL(q, _post(pz, pxz)) - _elbo(pz, pxz, q),
    "ei_elbo": lambda pz, pxz, q: _elbo(pz, pxz, q),
    "ekl_ok": lambda pz, pxz, q: float(np.sum(q * np.log(pxz))) - KL(q, pz),
    "ekl_sign": lambda pz, pxz, q: float(np.sum(q * np.log(pxz))) + KL(q, pz),
    "ekl_rev": lambda pz, pxz, q: float(np.sum(q * np.log(pxz))) - KL(pz, q),
    "gk_ok": lambda mu, sigma: 0.5 * float(np.sum(1 + np.log(sigma ** 2) - mu ** 2 - sigma ** 2)),
    "gk_logsig": lambda mu, sigma: 0.5 * float(np.sum(1 + np.log(sigma) - mu ** 2 - sigma ** 2)),
    "gk_sign": lambda mu, sigma: -0.5 * float(np.sum(1 + np.log(sigma ** 2) - mu ** 2 - sigma ** 2)),
    "gk_sig": lambda mu, sigma: 0.5 * float(np.sum(1 + np.log(sigma ** 2) - mu ** 2 - sigma)),
    "ce_log4": lambda: float(np.log(4)),
    "ce_approx": lambda: Approx(1.39, 3),  # "≈ 1.39": right to the three figures written (ln 4 = 1.386...)
    "ce_log3": lambda: float(np.log(3)),
    "ce_130": lambda: Approx(1.30, 3),
    "acc_quarter": lambda q: 0.25,
    "acc_half": lambda q: 0.5,
    "rg_ok": lambda mu, sigma, x, W, b, eps1, eps2: -mu + (W.T @ (x - W @ (mu + sigma * eps1) - b)
                                                         + W.T @ (x - W @ (mu + sigma * eps2) - b)) / 2,
    "rg_one_sample": lambda mu, sigma, x, W, b, eps1, eps2: -mu + W.T @ (x - W @ (mu + sigma * eps1) - b),
    "rg_exact": lambda mu, sigma, x, W, b, eps1, eps2: -mu + W.T @ (x - W @ mu - b),
    "rg_sign": lambda mu, sigma, x, W, b, eps1, eps2: mu + W.T @ (x - W @ (mu + sigma * eps1) - b),
}

H_, WS, A_ = r"\mathbf{H}", r"\mathbf{w}^*", r"\alpha"
Q_, L_ = r"\mathbf{Q}", r"\mathbf{\Lambda}"
Q_ZX, P_ZX, P_Z, P_XZ = r"q_\phi(z|x)", r"p_\theta(z|x)", r"p_\theta(z)", r"p_\theta(x|z)"
PD, PG = r"p_{data}(x)", r"p_g(x)"
ITEMS = [
    item("l2-gradient", r"\alpha\mathbf{w} + \mathbf{H}(\mathbf{w}-\mathbf{w}^*)", "l2g_ok", DLB_REG + " (eq. 7.7)"),
    item("l2-gradient", r"(\mathbf{H}+\alpha\mathbf{I})\mathbf{w} - \mathbf{H}\mathbf{w}^*", "l2g_fac", STUDENT),
    item("l2-gradient", r"\alpha\mathbf{w} + \mathbf{H}(\mathbf{w}^*-\mathbf{w})", "l2g_sign", STUDENT),
    item("l2-gradient", r"\frac{\alpha}{2}\mathbf{w} + \mathbf{H}(\mathbf{w}-\mathbf{w}^*)", "l2g_half", STUDENT),
    item("l2-optimum", r"(\mathbf{H}+\alpha\mathbf{I})^{-1}\mathbf{H}\mathbf{w}^*", "l2o_ok", DLB_REG + " (eq. 7.10)"),
    item("l2-optimum", r"\mathbf{H}\left(\mathbf{H}+\alpha\mathbf{I}\right)^{-1}\mathbf{w}^*", "l2o_comm", STUDENT),
    item("l2-optimum", r"\mathbf{w}^* - \alpha(\mathbf{H}+\alpha\mathbf{I})^{-1}\mathbf{w}^*", "l2o_shrink", STUDENT),
    item("l2-optimum", r"(\mathbf{H}+\alpha\mathbf{I})^{-1}\mathbf{w}^*", "l2o_noH", STUDENT),
    item("l2-optimum", r"\mathbf{H}^{-1}(\mathbf{H}+\alpha\mathbf{I})\mathbf{w}^*", "l2o_inv", STUDENT),
    item("l2-eigen", Q_ + r"(" + L_ + r"+\alpha\mathbf{I})^{-1}" + L_ + Q_ + r"^\top\mathbf{w}^*", "l2e_ok",
         DLB_REG + " (eq. 7.13)"),
    item("l2-eigen", Q_ + L_ + r"\left(" + L_ + r"+\alpha\mathbf{I}\right)^{-1}" + Q_ + r"^{T}\mathbf{w}^*", "l2e_comm",
         STUDENT),
    item("l2-eigen", Q_ + r"^\top(" + L_ + r"+\alpha\mathbf{I})^{-1}" + L_ + Q_ + r"\mathbf{w}^*", "l2e_qt", STUDENT),
    item("l2-eigen", Q_ + r"(" + L_ + r"+\alpha\mathbf{I})^{-1}" + Q_ + r"^\top\mathbf{w}^*", "l2e_nolam", STUDENT),
    item("l1-optimum", r"\operatorname{sign}(w_i^*)\max\left\{|w_i^*|-\frac{\alpha}{H_{i,i}},0\right\}", "l1_ok",
         DLB_REG + " (eq. 7.23)"),
    item("l1-optimum", r"\operatorname{sign}(w_i^*)\max\left(\left|w_i^*\right|-\frac{\alpha}{H_{ii}}, 0\right)",
         "l1_ok", STUDENT),
    item("l1-optimum", r"\max\left\{|w_i^*|-\frac{\alpha}{H_{i,i}},0\right\}", "l1_nosign", STUDENT),
    item("gan-log-maximiser", r"\frac{a}{a+b}", "glm_ok", GAN),
    item("gan-log-maximiser", "a/(a + b)", "glm_ok", GAN, latex=False),
    item("gan-log-maximiser", r"\frac{b}{a+b}", "glm_b", STUDENT),
    item("gan-log-maximiser", r"\frac{a}{b}", "glm_ab", STUDENT),
    item("gan-optimal-discriminator", r"\frac{" + PD + "}{" + PD + "+" + PG + "}", "god_ok", GAN),
    item("gan-optimal-discriminator", r"\frac{1}{1+\frac{" + PG + "}{" + PD + "}}", "god_ok", STUDENT),
    item("gan-optimal-discriminator", r"\frac{" + PG + "}{" + PD + "+" + PG + "}", "god_g", STUDENT),
    item("gan-optimal-discriminator", r"\frac{1}{2}", "god_half", STUDENT),
    item("gan-global-minimum", r"-\log 4 + 2\,JSD(p_{data}\|p_g)", "ggm_ok", GAN),
    item("gan-global-minimum", r"-\log(4) + KL\left(p_{data}\middle\|\frac{p_{data}+p_g}{2}\right) + "
         r"KL\left(p_g\middle\|\frac{p_{data}+p_g}{2}\right)", "ggm_ok", GAN),
    item("gan-global-minimum", r"\sum_x \left[" + PD + r"\log\frac{" + PD + "}{" + PD + "+" + PG + "} + " + PG +
         r"\log\frac{" + PG + "}{" + PD + "+" + PG + r"}\right]", "ggm_ok", STUDENT),
    item("gan-global-minimum", r"-\log 4", "ggm_log4", STUDENT),
    item("gan-global-minimum", r"-\log 4 + JSD(p_{data}\|p_g)", "ggm_one_jsd", STUDENT),
    item("elbo-identity", r"\sum_z " + Q_ZX + r"\log\frac{" + Q_ZX + "}{" + P_ZX + r"} + \sum_z " + Q_ZX +
         r"\log\frac{" + P_XZ + P_Z + "}{" + Q_ZX + "}", "ei_ok", DOERSCH),
    item("elbo-identity", r"KL(" + Q_ZX + r"\|" + P_ZX + r") + \mathcal{L}(\theta,\phi;x)", "ei_ok", KINGMA),
    item("elbo-identity", r"KL(" + Q_ZX + r"\|" + P_ZX + r") - \mathcal{L}(\theta,\phi;x)", "ei_minus", STUDENT),
    item("elbo-identity", r"\mathcal{L}(\theta,\phi;x)", "ei_elbo", STUDENT),
    item("elbo-kl-form", r"\sum_z " + Q_ZX + r"\log " + P_XZ + r" - \sum_z " + Q_ZX + r"\log\frac{" + Q_ZX + "}{" +
         P_Z + "}", "ekl_ok", KINGMA + " (eq. 7)"),
    item("elbo-kl-form", r"-KL(" + Q_ZX + r"\|" + P_Z + r") + \mathbb{E}_{" + Q_ZX + r"}\left[\log " + P_XZ +
         r"\right]", "ekl_ok", KINGMA),
    item("elbo-kl-form", r"KL(" + Q_ZX + r"\|" + P_Z + r") + \sum_z " + Q_ZX + r"\log " + P_XZ, "ekl_sign", STUDENT),
    item("elbo-kl-form", r"-KL(" + P_Z + r"\|" + Q_ZX + r") + \sum_z " + Q_ZX + r"\log " + P_XZ, "ekl_rev", STUDENT),
    item("gaussian-kl", r"\frac{1}{2}\sum_{j=1}^{J}\left(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\right)", "gk_ok", KINGMA),
    item("gaussian-kl", r"\sum_{j=1}^{J}\left(\log\sigma_j - \frac{\mu_j^2+\sigma_j^2}{2} + \frac{1}{2}\right)", "gk_ok",
         STUDENT),
    item("gaussian-kl", r"\frac12\sum_{j=1}^{J}\left(1+\ln(\sigma_j^2)-\mu_j^2-\sigma_j^2\right)", "gk_ok", STUDENT),
    item("gaussian-kl", r"\frac{1}{2}\sum_{j=1}^{J}\left(1+\log\sigma_j-\mu_j^2-\sigma_j^2\right)", "gk_logsig",
         STUDENT),
    item("gaussian-kl", r"-\frac{1}{2}\sum_{j=1}^{J}\left(1+\log\sigma_j^2-\mu_j^2-\sigma_j^2\right)", "gk_sign",
         STUDENT),
    item("gaussian-kl", r"\frac{1}{2}\sum_{j=1}^{J}\left(1+\log\sigma_j^2-\mu_j^2-\sigma_j\right)", "gk_sig", STUDENT),
    item("initial-ce-loss", r"\log 4", "ce_log4", "https://cs231n.github.io/neural-networks-3/#sanitycheck"),
    item("initial-ce-loss", r"-\ln\frac{1}{4}", "ce_log4", STUDENT),
    item("initial-ce-loss", r"\approx 1.39", "ce_approx", "issue 9, case 9"),
    item("initial-ce-loss", r"\approx 1.30", "ce_130", "issue 9, case 9"),
    item("initial-ce-loss", r"\log 3", "ce_log3", STUDENT),
    item("initial-accuracy", r"\frac{1}{4}", "acc_quarter", "https://cs231n.github.io/neural-networks-3/#sanitycheck"),
    item("initial-accuracy", r"0.25", "acc_quarter", STUDENT),
    item("initial-accuracy", r"\frac{1}{2}", "acc_half", STUDENT),
    item("reparameterised-gradient",
         r"-\mu + \frac{1}{M}\sum_{m=1}^{M} W^\top\left(x - W(\mu + \sigma \odot \epsilon^{(m)}) - b\right)",
         "rg_ok", KINGMA),
    item("reparameterised-gradient", r"-\mu + W^\top\left(x - W(\mu + \sigma \odot \epsilon^{(1)}) - b\right)",
         "rg_one_sample", "typical student variant (one sample where the estimator has M)"),
    item("reparameterised-gradient", r"-\mu + W^\top(x - W\mu - b)", "rg_exact", "issue 9, case 8"),
    item("reparameterised-gradient", r"\mu + W^{T}\left(x - W(\mu + \sigma \odot \epsilon^{(1)}) - b\right)", "rg_sign",
         STUDENT),
]
