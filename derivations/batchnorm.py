"""Sheet 002, Q1.4: the batch-norm backward pass, every intermediate result.

Forward model (one feature over a batch of n):
    μ = (1/n) Σ_j X_j,   σ = sqrt((1/n) Σ_j (X_j − μ)² + ε),
    X̂_i = (X_i − μ)/σ,   Y_i = γ X̂_i + β,   L with ∂L/∂Y given.

Each partial derivative holds fixed what the sheet's backprop holds fixed:
∂L/∂σ treats σ as an input of X̂ (X, μ fixed), ∂L/∂μ treats μ as an input of X̂
and σ (X fixed), and both are evaluated where the forward pass puts them.

The sheet writes the chain rule in Leibniz notation as the first line of
several derivations ("∂L/∂X̂ ∂X̂/∂X_i + ..."); that line restates the chain rule
itself and is not a separate claim.  Where the sheet reuses i as the summation
index inside a sum over i, the claims use a fresh index (k).
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Size, chain, define, domains, scalar, vector

SHEET = "002_d2426a2ad95018f2"
N = Size("n", small=(2, 3), random=(2, 6))
INDICES = [Index("i", 1, "n"), Index("j", 1, "n"), Index("k", 1, "n")]

X = vector("X", "n", r"X", doc="the batch, one feature")
DLDY = vector("dLdY", "n", r"\frac{\partial L}{\partial Y}", doc="upstream gradient")
GAMMA = scalar("gamma", r"\gamma")
BETA = scalar("beta", r"\beta")
EPS = scalar("epsilon", r"\epsilon", domains.interval(0.01, 1.0))

MU = define("mu", "Sum(X[j], j)/n", r"\mu")
SIGMA = define("sigma", "sqrt(Sum((X[j] - mu)**2, j)/n + epsilon)", r"\sigma", domain=domains.positive)
XHAT = define("Xhat", "(X[i] - mu)/sigma", r"\hat{X}", params=("i",))
DLDXHAT = define("dLdXhat", "gamma*dLdY[i]", r"\frac{\partial L}{\partial \hat{X}}", params=("i",),
                 checked_by="batchnorm-dl-dxhat")

# The loss, linear in Y: E = Σ_k ∂L/∂Y_k · Y_k.
LOSS = "Sum(dLdY[k]*(gamma*(X[k] - mu)/sigma + beta), k)"
SIGMA_TEXT = r"\sqrt{\frac{1}{n}\sum_j (X_j - \mu)^2 + \epsilon}"


def _notation(variables, definitions):
    return Notation(variables=variables, definitions=definitions, sizes=[N], indices=INDICES)


def _bn_loss(X, dLdY, gamma, beta, epsilon):
    """NumPy batch norm: the oracle for the gradient with respect to X."""
    mu = X.mean(axis=-1, keepdims=True)
    sigma = np.sqrt(((X - mu) ** 2).mean(axis=-1, keepdims=True) + epsilon)
    return (dLdY * (gamma * (X - mu) / sigma + beta)).sum(axis=-1)


def _loss_given_sigma(sigma, X, dLdY, gamma, beta):
    """L as a function of σ with X (and so μ) held fixed."""
    s = np.asarray(sigma)[..., None]
    mu = X.mean()
    return (dLdY * (gamma * (X - mu) / s + beta)).sum(axis=-1)


def _loss_given_mu(mu, X, dLdY, gamma, beta, epsilon):
    """L as a function of μ with X held fixed; σ depends on μ."""
    m = np.asarray(mu)[..., None]
    sigma = np.sqrt(((X - m) ** 2).mean(axis=-1, keepdims=True) + epsilon)
    return (dLdY * (gamma * (X - m) / sigma + beta)).sum(axis=-1)


batchnorm_dmu_dx = Entry(
    id="batchnorm-dmu-dx",
    title="Batch norm: derivative of the mean",
    sheet=SHEET,
    problem="Q1.4",
    question=r"With $\mu = \frac1n \sum_j X_j$, find $\partial\mu/\partial X_i$.",
    notation=_notation([X], [MU]),
    asks=Gradient(forward="mu", wrt="X", index=("i",), oracle=lambda X: X.mean(axis=-1)),
    claims=[Claim("1/n", r"\frac{1}{n}")],
)

batchnorm_dsigma_dx = Entry(
    id="batchnorm-dsigma-dx",
    title="Batch norm: derivative of the standard deviation",
    sheet=SHEET,
    problem="Q1.4",
    question=r"With $\sigma = \sqrt{\frac1n\sum_j (X_j-\mu)^2 + \epsilon}$, find $\partial\sigma/\partial X_i$.",
    notation=_notation([X, EPS], [MU, SIGMA]),
    asks=Gradient(forward="sigma", wrt="X", index=("i",),
                  oracle=lambda X, epsilon: np.sqrt(X.var(axis=-1) + epsilon)),
    claims=chain(
        Claim("(1/n)*(X[i] - mu)/sqrt(Sum((X[j] - mu)**2, j)/n + epsilon)",
              r"\frac{\frac{1}{n}(X_i - \mu)}{" + SIGMA_TEXT + "}"),
        Claim("(X[i] - mu)/(n*sigma)", r"\frac{1}{n\sigma}(X_i - \mu)"),
    ),
)

batchnorm_dl_dxhat = Entry(
    id="batchnorm-dl-dxhat",
    title="Batch norm: gradient with respect to the normalised input",
    sheet=SHEET,
    problem="Q1.4",
    question=r"With $Y_i = \gamma \hat X_i + \beta$, find $\partial L/\partial \hat X_i$.",
    notation=_notation([vector("Xhat", "n", r"\hat{X}"), DLDY, GAMMA, BETA], []),
    asks=Gradient(forward="Sum(dLdY[k]*(gamma*Xhat[k] + beta), k)", wrt="Xhat", index=("i",),
                  oracle=lambda Xhat, dLdY, gamma, beta: (dLdY * (gamma * Xhat + beta)).sum(axis=-1)),
    claims=[Claim("dLdY[i]*gamma", r"\frac{\partial L}{\partial Y_{i}} \gamma",
                  note="The sheet's first step, ∂L/∂Y ∂Y/∂X̂_i, is the chain rule in Leibniz notation.")],
)

batchnorm_dl_dsigma = Entry(
    id="batchnorm-dl-dsigma",
    title="Batch norm: gradient with respect to σ",
    sheet=SHEET,
    problem="Q1.4",
    question=r"Find $\partial L/\partial\sigma$, with $\sigma$ an input of $\hat X_i = (X_i-\mu)/\sigma$.",
    notation=_notation([X, DLDY, GAMMA, BETA, EPS], [MU, SIGMA, DLDXHAT]),
    asks=Gradient(forward=LOSS, wrt="sigma", oracle=_loss_given_sigma),
    claims=[Claim("Sum(-dLdXhat[i]*(X[i] - mu)/sigma**2, i)",
                  r"\sum_{i=1}^{n} (-1) \frac{\partial L}{\partial \hat{X}_i} \frac{X_i - \mu}{\sigma^2}",
                  note="The sheet's first step, Σ ∂L/∂X̂_i ∂X̂_i/∂σ, is the chain rule in Leibniz notation.")],
)

batchnorm_dl_dmu = Entry(
    id="batchnorm-dl-dmu",
    title="Batch norm: gradient with respect to μ",
    sheet=SHEET,
    problem="Q1.4",
    question=r"Find $\partial L/\partial\mu$, with $\mu$ an input of $\hat X_i$ and of $\sigma$.",
    notation=_notation([X, DLDY, GAMMA, BETA, EPS], [MU, SIGMA, DLDXHAT]),
    asks=Gradient(forward=LOSS, wrt="mu", oracle=_loss_given_mu),
    claims=chain(
        Claim("Sum(dLdXhat[i]*(-1)/sigma, i) + (-(2/n)*Sum(X[i] - mu, i))/sqrt(Sum((X[j] - mu)**2, j)/n + epsilon)"
              "*Sum(-dLdXhat[i]*(X[i] - mu)/sigma**2, i)",
              r"\sum_{i=1}^{n} \frac{\partial L}{\partial \hat{X}_{i}} \frac{(-1)}{\sigma} + "
              r"\frac{-\frac{2}{n} \sum_{i=1}^{n} (X_{i} - \mu)}{" + SIGMA_TEXT + r"} "
              r"\sum_{i=1}^{n} (-1) \frac{\partial L}{\partial \hat{X}_{i}} \frac{X_{i} - \mu}{\sigma^{2}}",
              note="Its ∂σ/∂μ is twice too large (see batchnorm-dsigma-dmu), but multiplies Σ(X_i − μ) = 0, "
                   "so the step holds where μ is the mean.", label="step 2"),
        Claim("Sum(dLdXhat[i]*(-1)/sigma, i)", r"\sum_{i=1}^{n} \frac{\partial L}{\partial \hat{X}_{i}} "
                                               r"\frac{(-1)}{\sigma}", label="step 3"),
        start=2,
    ),
)

batchnorm_dsigma_dmu = Entry(
    id="batchnorm-dsigma-dmu",
    title="Batch norm: ∂σ/∂μ inside the derivation of ∂L/∂μ",
    sheet=SHEET,
    problem="Q1.4",
    question=r"The derivation of $\partial L/\partial\mu$ uses $\partial\sigma/\partial\mu$ for "
             r"$\sigma(X,\mu) = \sqrt{\frac1n\sum_j (X_j-\mu)^2+\epsilon}$, with $\mu$ a free input.",
    notation=_notation([X, EPS, scalar("mu", r"\mu")],
                       [define("sigma", "sqrt(Sum((X[j] - mu)**2, j)/n + epsilon)", r"\sigma",
                               domain=domains.positive)]),
    asks=Gradient(forward="sigma", wrt="mu",
                  oracle=lambda mu, X, epsilon: np.sqrt(((X - np.asarray(mu)[..., None]) ** 2).mean(-1) + epsilon)),
    claims=[
        Claim("-(2/n)*Sum(X[i] - mu, i)/sqrt(Sum((X[j] - mu)**2, j)/n + epsilon)",
              r"\frac{-\frac{2}{n} \sum_{i=1}^{n} (X_{i} - \mu)}{" + SIGMA_TEXT + "}", label="sheet",
              expect="refuted",
              note="The derivative of the square root contributes a factor 1/2 the sheet omits. Harmless in "
                   "∂L/∂μ, where it multiplies Σ(X_i − μ) = 0 at the mean."),
        Claim("-Sum(X[i] - mu, i)/(n*sigma)", r"-\frac{1}{n\sigma} \sum_{i=1}^{n} (X_{i} - \mu)",
              label="corrected", source="correction", corrects="sheet"),
    ],
)

batchnorm_backward = Entry(
    id="batchnorm-backward",
    title="Batch norm: gradient with respect to the input",
    sheet=SHEET,
    problem="Q1.4",
    question=r"Find $\partial L/\partial X_i$ for batch normalisation $Y_i = \gamma (X_i-\mu)/\sigma + \beta$.",
    notation=_notation([X, DLDY, GAMMA, BETA, EPS], [MU, SIGMA, XHAT, DLDXHAT]),
    asks=Gradient(forward=LOSS, wrt="X", index=("i",), oracle=_bn_loss),
    claims=chain(
        Claim("(1/sigma)*dLdXhat[i] + (1/n)*Sum(dLdXhat[j]*(-1)/sigma, j)"
              " + (1/(n*sigma))*(X[i] - mu)*Sum(-dLdXhat[k]*(X[k] - mu)/sigma**2, k)",
              r"\frac{1}{\sigma} \frac{\partial L}{\partial \hat{X}_i} + \frac{1}{n} \sum_{j=1}^n "
              r"\frac{\partial L}{\partial \hat{X}_j} \frac{(-1)}{\sigma} + \frac{1}{n\sigma} (X_i - \mu) "
              r"\sum_{k=1}^n (-1) \frac{\partial L}{\partial \hat{X}_k} \frac{X_k - \mu}{\sigma^2}",
              note="The sheet sums over i inside an expression indexed by i; the bound index is renamed k."),
        Claim("(1/(n*sigma))*(n*dLdXhat[i] - Sum(dLdXhat[j], j) - Xhat[i]*Sum(dLdXhat[j]*Xhat[j], j))",
              r"\frac{1}{n\sigma} \left(n \frac{\partial L}{\partial \hat{X}_i} - \sum_{j=1}^n "
              r"\frac{\partial L}{\partial \hat{X}_j} - \hat{X}_i \sum_{j=1}^n \frac{\partial L}{\partial \hat{X}_j} "
              r"\hat{X}_j \right)"),
        Claim("gamma/(n*sigma)*(n*dLdY[i] - Sum(dLdY[j], j) - ((X[i] - mu)/sigma)*Sum(dLdY[j]*(X[j] - mu)/sigma, j))",
              r"\frac{\gamma}{n\sigma} \left(n \frac{\partial L}{\partial Y_i} - \sum_{j=1}^n "
              r"\frac{\partial L}{\partial Y_j} - \left(\frac{X_i - \mu}{\sigma} \right) \sum_{j=1}^n "
              r"\frac{\partial L}{\partial Y_j} \left(\frac{X_j - \mu}{\sigma} \right) \right)"),
        start=2,
    ),
)
