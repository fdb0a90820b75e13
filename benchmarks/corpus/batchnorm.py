"""Batch normalisation, sheet 002 Q1.4: the derivatives of μ and σ, and the
backward pass (one feature, a batch of n values; the free index i runs over the
batch, so a claim is the vector of its components)."""
import numpy as np

from ._probe import Spec, item, num_grad

KRATZERT = "https://kratzert.github.io/2016/02/12/understanding-the-gradient-flow-through-the-batch-normalization-layer.html"
TALWAR = "https://talwarabhimanyu.github.io/blog/2017/06/01/batchnorm-calculus"
CS182 = "https://github.com/hingma/cs182fa25_public"
NAMRA = "https://namrapatel.github.io/blog/batch-norm.html"
IOFFE = "https://arxiv.org/abs/1502.03167 (Algorithm 1 and its backward pass)"
STUDENT = "typical student variant"


def _mu(X):
    return X.mean()


def _sigma(X, mu, eps):
    return np.sqrt(np.mean((X - mu) ** 2) + eps)


def _sample(rng):
    n = int(rng.integers(2, 7))
    return {"X": rng.normal(size=n), "G": rng.normal(size=n), "gamma": rng.uniform(0.3, 2) * rng.choice([-1, 1]),
            "beta": rng.normal(), "eps": rng.uniform(0.01, 1), "mu0": rng.normal()}


def _loss(X, G, gamma, beta, mu, sigma):
    return float(np.sum(G * (gamma * (X - mu) / sigma + beta)))


def _dl_dsigma(X, G, gamma, beta, eps, mu0):
    mu = _mu(X)
    return num_grad(lambda s: _loss(X, G, gamma, beta, mu, float(s)), np.array(_sigma(X, mu, eps)))


def _dl_dmu(X, G, gamma, beta, eps, mu0):
    return num_grad(lambda m: _loss(X, G, gamma, beta, float(m), _sigma(X, float(m), eps)), np.array(_mu(X)))


def _backward(X, G, gamma, beta, eps, mu0):
    return num_grad(lambda v: _loss(v, G, gamma, beta, _mu(v), _sigma(v, _mu(v), eps)), X)


ENTRIES = {
    "batchnorm-dmu-dx": Spec(_sample, lambda X, **_: num_grad(_mu, X)),
    "batchnorm-dsigma-dx": Spec(_sample, lambda X, eps, **_: num_grad(lambda v: _sigma(v, _mu(v), eps), X)),
    "batchnorm-dl-dxhat": Spec(_sample, lambda X, G, gamma, beta, **_: num_grad(
        lambda xh: float(np.sum(G * (gamma * xh + beta))), X)),
    "batchnorm-dl-dsigma": Spec(_sample, _dl_dsigma),
    "batchnorm-dl-dmu": Spec(_sample, _dl_dmu),
    "batchnorm-dsigma-dmu": Spec(_sample, lambda X, eps, mu0, **_: num_grad(
        lambda m: _sigma(X, float(m), eps), np.array(mu0))),
    "batchnorm-backward": Spec(_sample, _backward),
}


def _stats(X, eps):
    mu = _mu(X)
    sigma = _sigma(X, mu, eps)
    return mu, sigma, (X - mu) / sigma


def _bw_full(X, G, gamma, beta, eps, mu0):
    n = X.size
    mu, sigma, xh = _stats(X, eps)
    return gamma / (n * sigma) * (n * G - G.sum() - xh * np.sum(G * xh))


def _bw_no_third(X, G, gamma, beta, eps, mu0):
    n = X.size
    mu, sigma, xh = _stats(X, eps)
    return gamma / (n * sigma) * (n * G - G.sum())


def _bw_plus_third(X, G, gamma, beta, eps, mu0):
    n = X.size
    mu, sigma, xh = _stats(X, eps)
    return gamma / (n * sigma) * (n * G - G.sum() + xh * np.sum(G * xh))


def _bw_no_gamma(X, G, gamma, beta, eps, mu0):
    return _bw_full(X, G, 1.0, beta, eps, mu0)


def _bw_var_sigma(X, G, gamma, beta, eps, mu0):
    """The Ioffe–Szegedy chain: ∂L/∂x̂, ∂L/∂σ², ∂L/∂μ, assembled."""
    n = X.size
    mu = _mu(X)
    var = np.mean((X - mu) ** 2)
    dxh = G * gamma
    dvar = np.sum(dxh * (X - mu)) * -0.5 * (var + eps) ** -1.5
    dmu = np.sum(-dxh / np.sqrt(var + eps)) + dvar * np.mean(-2 * (X - mu))
    return dxh / np.sqrt(var + eps) + dvar * 2 * (X - mu) / n + dmu / n


CLAIMS = {
    "dmu_ok": lambda X, **_: np.full(X.size, 1 / X.size),
    "dmu_one": lambda X, **_: np.ones(X.size),
    "dsx_ok": lambda X, eps, **_: (X - _mu(X)) / (X.size * _sigma(X, _mu(X), eps)),
    "dsx_two": lambda X, eps, **_: 2 * (X - _mu(X)) / (X.size * _sigma(X, _mu(X), eps)),
    "dsx_no_n": lambda X, eps, **_: (X - _mu(X)) / _sigma(X, _mu(X), eps),
    "dxh_ok": lambda G, gamma, **_: gamma * G,
    "dxh_no_gamma": lambda G, **_: G,
    "dxh_beta": lambda G, gamma, beta, **_: gamma * G + beta,
    "dls_ok": lambda X, G, gamma, eps, **_: -gamma / _sigma(X, _mu(X), eps) ** 2 * np.sum(G * (X - _mu(X))),
    "dls_half_cube": lambda X, G, gamma, eps, **_: -gamma / (2 * _sigma(X, _mu(X), eps) ** 3) * np.sum(G * (X - _mu(X))),
    "dls_sign": lambda X, G, gamma, eps, **_: gamma / _sigma(X, _mu(X), eps) ** 2 * np.sum(G * (X - _mu(X))),
    "dlm_ok": lambda X, G, gamma, eps, **_: -gamma / _sigma(X, _mu(X), eps) * np.sum(G),
    "dlm_full": lambda X, G, gamma, eps, **_: (-gamma / _sigma(X, _mu(X), eps) * np.sum(G)
                                               - gamma / (X.size * _sigma(X, _mu(X), eps) ** 3)
                                               * np.sum(G * (X - _mu(X))) * np.sum(X - _mu(X))),
    "dlm_sign": lambda X, G, gamma, eps, **_: gamma / _sigma(X, _mu(X), eps) * np.sum(G),
    "dlm_no_sigma": lambda X, G, gamma, eps, **_: -gamma * np.sum(G),
    "dsm_ok": lambda X, eps, mu0, **_: -np.sum(X - mu0) / (X.size * _sigma(X, mu0, eps)),
    "dsm_zero": lambda X, eps, mu0, **_: 0.0,
    "dsm_sq": lambda X, eps, mu0, **_: -np.sum((X - mu0) ** 2) / (X.size * _sigma(X, mu0, eps)),
    "bw_ok": _bw_full,
    "bw_chain": _bw_var_sigma,
    "bw_no_third": _bw_no_third,
    "bw_plus_third": _bw_plus_third,
    "bw_no_gamma": _bw_no_gamma,
}

DXH = r"\frac{\partial L}{\partial \hat{X}_{%s}}"
DY = r"\frac{\partial L}{\partial Y_{%s}}"
SIGMA_DEF = r"\sqrt{\frac{1}{n}\sum_{j=1}^{n}(X_j-\mu)^2+\epsilon}"

ITEMS = [
    item("batchnorm-dmu-dx", r"\frac{1}{n}", "dmu_ok", KRATZERT),
    item("batchnorm-dmu-dx", r"n^{-1}", "dmu_ok", STUDENT),
    item("batchnorm-dmu-dx", r"1", "dmu_one", STUDENT),
    item("batchnorm-dsigma-dx", r"\frac{X_i-\mu}{n\sigma}", "dsx_ok", TALWAR),
    item("batchnorm-dsigma-dx", r"\frac{1}{n}\frac{X_i - \mu}{" + SIGMA_DEF + "}", "dsx_ok", STUDENT),
    item("batchnorm-dsigma-dx", r"\frac{2(X_i-\mu)}{n\sigma}", "dsx_two", STUDENT),
    item("batchnorm-dsigma-dx", r"\frac{X_i-\mu}{\sigma}", "dsx_no_n", STUDENT),
    item("batchnorm-dl-dxhat", r"\gamma \frac{\partial L}{\partial Y_i}", "dxh_ok", CS182),
    item("batchnorm-dl-dxhat", r"\frac{\partial L}{\partial Y_i} \cdot \gamma", "dxh_ok", STUDENT),
    item("batchnorm-dl-dxhat", r"\frac{\partial L}{\partial Y_i}", "dxh_no_gamma", STUDENT),
    item("batchnorm-dl-dxhat", r"\gamma \frac{\partial L}{\partial Y_i} + \beta", "dxh_beta", STUDENT),
    item("batchnorm-dl-dsigma", r"-\frac{\gamma}{\sigma^2}\sum_{i=1}^{n}" + DY % "i" + r"(X_i-\mu)", "dls_ok", STUDENT),
    item("batchnorm-dl-dsigma", r"\sum_{i=1}^{n} " + DXH % "i" + r"\,(X_i-\mu)\cdot\left(-\frac{1}{\sigma^{2}}\right)",
         "dls_ok", NAMRA),
    item("batchnorm-dl-dsigma", r"-\frac{\gamma}{2\sigma^3}\sum_{i=1}^{n}" + DY % "i" + r"(X_i-\mu)", "dls_half_cube",
         STUDENT),
    item("batchnorm-dl-dsigma", r"\frac{\gamma}{\sigma^2}\sum_{i=1}^{n}" + DY % "i" + r"(X_i-\mu)", "dls_sign", STUDENT),
    item("batchnorm-dl-dmu", r"-\frac{\gamma}{\sigma}\sum_{i=1}^{n}" + DY % "i", "dlm_ok", KRATZERT),
    item("batchnorm-dl-dmu", r"\sum_{i=1}^{n} " + DXH % "i" + r" \cdot \frac{-1}{\sigma}", "dlm_ok", STUDENT),
    item("batchnorm-dl-dmu", r"-\frac{\gamma}{\sigma}\sum_{i=1}^{n}" + DY % "i" + r" - \frac{\gamma}{n\sigma^3}"
         r"\sum_{i=1}^{n}" + DY % "i" + r"(X_i-\mu)\sum_{j=1}^{n}(X_j-\mu)", "dlm_full", IOFFE),
    item("batchnorm-dl-dmu", r"\frac{\gamma}{\sigma}\sum_{i=1}^{n}" + DY % "i", "dlm_sign", STUDENT),
    item("batchnorm-dl-dmu", r"-\gamma\sum_{i=1}^{n}" + DY % "i", "dlm_no_sigma", STUDENT),
    item("batchnorm-dsigma-dmu", r"-\frac{1}{n\sigma}\sum_{j=1}^{n}(X_j-\mu)", "dsm_ok", STUDENT),
    item("batchnorm-dsigma-dmu", r"\frac{\mu - \frac{1}{n}\sum_{j=1}^{n} X_j}{\sigma}", "dsm_ok", STUDENT),
    item("batchnorm-dsigma-dmu", r"0", "dsm_zero", KRATZERT),
    item("batchnorm-dsigma-dmu", r"-\frac{1}{n\sigma}\sum_{j=1}^{n}(X_j-\mu)^2", "dsm_sq", STUDENT),
    item("batchnorm-backward", r"\frac{\gamma}{n\sigma}\left(n" + DY % "i" + r" - \sum_{j=1}^{n}" + DY % "j" +
         r" - \hat{X}_i\sum_{j=1}^{n}" + DY % "j" + r"\hat{X}_j\right)", "bw_ok", KRATZERT),
    item("batchnorm-backward", r"\frac{1}{n\sigma}\left(n" + DXH % "i" + r" - \sum_{j=1}^{n}" + DXH % "j" +
         r" - \hat{X}_i\sum_{j=1}^{n}" + DXH % "j" + r"\hat{X}_j\right)", "bw_ok", CS182),
    item("batchnorm-backward", r"\frac{\gamma}{\sigma}\left(" + DY % "i" + r" - \frac{1}{n}\sum_{k=1}^{n}" + DY % "k" +
         r" - \frac{\hat{X}_i}{n}\sum_{k=1}^{n}" + DY % "k" + r"\hat{X}_k\right)", "bw_ok", TALWAR),
    item("batchnorm-backward", DXH % "i" + r"\frac{1}{\sigma} + \frac{2(X_i-\mu)}{n}\left(-\frac{1}{2\sigma^{3}}"
         r"\sum_{k=1}^{n}" + DXH % "k" + r"(X_k-\mu)\right) + \frac{1}{n}\left(-\frac{1}{\sigma}\sum_{k=1}^{n}" +
         DXH % "k" + r"\right)", "bw_chain", IOFFE),
    item("batchnorm-backward", r"\frac{\gamma}{n\sigma}\left(n" + DY % "i" + r" - \sum_{j=1}^{n}" + DY % "j" + r"\right)",
         "bw_no_third", STUDENT),
    item("batchnorm-backward", r"\frac{\gamma}{n\sigma}\left(n" + DY % "i" + r" - \sum_{j=1}^{n}" + DY % "j" +
         r" + \hat{X}_i\sum_{j=1}^{n}" + DY % "j" + r"\hat{X}_j\right)", "bw_plus_third", STUDENT),
    item("batchnorm-backward", r"\frac{1}{n\sigma}\left(n" + DY % "i" + r" - \sum_{j=1}^{n}" + DY % "j" +
         r" - \hat{X}_i\sum_{j=1}^{n}" + DY % "j" + r"\hat{X}_j\right)", "bw_no_gamma", STUDENT),
    item("batchnorm-backward", "gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - Xhat[i]*Sum(dLdY[j]*Xhat[j], j))",
         "bw_ok", KRATZERT, latex=False),
]
