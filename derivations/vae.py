"""Sheet 004, problem 7: the evidence lower bound of a variational auto-encoder.

For the identities of 7(ii) and 7(iii) the latent z takes K values: the prior
p(z), the likelihood p(x|z) of the observed x, and the variational q(z|x) are
vectors over z, every expectation is an exact sum, and the identities hold for
any K, so a finite latent loses nothing.  The Gaussian KL of 7(vii) is checked
with Gaussians themselves.
"""
import numpy as np

from symcheck import Categorical, Claim, Entry, Expectation, Gradient, Index, Normal, Notation, Size, Value, chain, \
    define, domains, matrix, vector

SHEET = "004_1638b43a4d4b0ea1"
K = Size("K", small=(2, 3), random=(2, 6))
Z = Index("z", 1, "K", latex="z")
PZ = vector("pz", "K", r"p_\theta(z)", domains.probability, doc="the prior over the latent")
PXZ = vector("pxz", "K", r"p_\theta(x|z)", domains.interval(0.0, 1.0), doc="the likelihood of the observed x")
Q = vector("q", "K", r"q_\phi(z|x)", domains.probability, doc="the variational posterior")

PX = define("px", "Sum(pz[z]*pxz[z], z)", r"p_\theta(x)", domain=domains.positive)
PZX = define("pzx", "hadamard(pz, pxz)/px", r"p_\theta(z|x)", shape=("K",))
ELBO = define("L", "Sum(q[z]*(-log(q[z]) + log(pz[z]*pxz[z])), z)", r"\mathcal{L}(\theta, \phi; x)")


def _notation():
    return Notation(variables=[PZ, PXZ, Q], definitions=[PX, PZX, ELBO], sizes=[K], indices=[Z])


elbo_identity = Entry(
    id="elbo-identity",
    title="VAE: log-likelihood = KL to the posterior + ELBO (eq. 12)",
    sheet=SHEET,
    problem="7(ii)",
    question=r"Derive $\log p_\theta(x) = KL(q_\phi(z|x) \| p_\theta(z|x)) + \mathcal{L}(\theta,\phi;x)$ with "
             r"$\mathcal{L} = \mathbb{E}_{q_\phi(z|x)}[-\log q_\phi(z|x) + \log p_\theta(x, z)]$.",
    notation=_notation(),
    asks=Value(expr="log(px)", oracle=lambda pz, pxz: np.log(np.sum(pz * pxz))),
    claims=chain(
        Claim("Sum(q[z]*log(px), z)", r"\sum_z q_\phi(z|x) \log p_\theta(x)", source="answer"),
        Claim("Sum(q[z]*log(pz[z]*pxz[z]/pzx[z]), z)",
              r"\sum_z q_\phi(z|x) \log \frac{p_\theta(z) p_\theta(x|z)}{p_\theta(z|x)}", source="answer"),
        Claim("Sum(q[z]*log(q[z]/pzx[z]), z) + Sum(q[z]*log(pz[z]*pxz[z]/q[z]), z)",
              r"\sum_z q_\phi(z|x) \log \frac{q_\phi(z|x)}{p_\theta(z|x)} + "
              r"\sum_z q_\phi(z|x) \log \frac{p_\theta(z) p_\theta(x|z)}{q_\phi(z|x)}", source="answer"),
        Claim("KL(q, pzx) + L", r"KL(q_\phi(z|x) \| p_\theta(z|x)) + \mathcal{L}(\theta, \phi; x)",
              source="answer"),
    ),
    answer=r"Because $q_\phi(z|x)$ sums to one, $\log p_\theta(x)$ equals its own expectation under $q$. Bayes' "
           r"rule writes $p_\theta(x) = p_\theta(x,z)/p_\theta(z|x)$; multiplying and dividing by $q_\phi(z|x)$ "
           r"inside the logarithm splits the expectation into the KL divergence and the lower bound.",
)

elbo_kl_form = Entry(
    id="elbo-kl-form",
    title="VAE: the ELBO as prior KL plus reconstruction (eq. 13)",
    sheet=SHEET,
    problem="7(iii)",
    question=r"Show $\mathcal{L}(\theta,\phi;x) = -KL(q_\phi(z|x) \| p_\theta(z)) + "
             r"\mathbb{E}_{q_\phi(z|x)}[\log p_\theta(x|z)]$.",
    notation=_notation(),
    asks=Value(expr="L", oracle=lambda pz, pxz, q: np.sum(q * (np.log(pz * pxz) - np.log(q)))),
    claims=chain(
        Claim("Sum(q[z]*(log(pz[z]) - log(q[z])), z) + Sum(q[z]*log(pxz[z]), z)",
              r"\sum_z q_\phi(z|x) \left(\log p_\theta(z) - \log q_\phi(z|x)\right) + "
              r"\sum_z q_\phi(z|x) \log p_\theta(x|z)", source="answer"),
        Claim("-KL(q, pz) + Sum(q[z]*log(pxz[z]), z)",
              r"-KL(q_\phi(z|x) \| p_\theta(z)) + \mathbb{E}_{q_\phi(z|x)}[\log p_\theta(x|z)]", source="answer"),
    ),
    answer=r"Split $\log p_\theta(x,z) = \log p_\theta(z) + \log p_\theta(x|z)$; the first part together with "
           r"$-\log q_\phi(z|x)$ is minus the KL divergence from the prior.",
)

J = Size("J", small=(1, 2), random=(1, 6))
MU = vector("mu", "J", r"\mu", domains.Real(-2, 2), doc="means of q(z|x)")
SIGMA = vector("sigma", "J", r"\sigma", domains.Positive(0.3, 3.0), doc="standard deviations of q(z|x)")


def _negative_gaussian_kl(mu, sigma):
    """−KL(N(μ, diag σ²) ‖ N(0, I)) by numerical integration, one dimension at a time."""
    import scipy.integrate

    total = 0.0
    for m, s in zip(mu, sigma):
        def integrand(z, m=m, s=s):
            log_q = -0.5 * ((z - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
            log_p = -0.5 * z**2 - 0.5 * np.log(2 * np.pi)
            return np.exp(log_q) * (log_q - log_p)

        value, _ = scipy.integrate.quad(integrand, m - 14 * s, m + 14 * s, epsabs=1e-13, epsrel=1e-13, limit=200)
        total -= value
    return total


gaussian_kl = Entry(
    id="gaussian-kl",
    title="VAE: the Gaussian KL term in closed form",
    sheet=SHEET,
    problem="7(vii)",
    question=r"For $q_\phi(z|x) = \mathcal N(z; \mu, \operatorname{diag}\sigma^2)$ and $p_\theta(z) = "
             r"\mathcal N(0, I)$ in $J$ dimensions, find $-D_{KL}(q_\phi(z|x)\|p_\theta(z))$.",
    notation=Notation(variables=[MU, SIGMA], sizes=[J], indices=[Index("j", 1, "J")]),
    asks=Value(expr="-Sum(ExpectNormal(normal_logpdf(z, mu[j], sigma[j]) - normal_logpdf(z, 0, 1), "
                    "(z, mu[j], sigma[j])), j)",
               oracle=_negative_gaussian_kl, rtol=1e-8),
    claims=[Claim("Sum(1 + log(sigma[j]**2) - mu[j]**2 - sigma[j]**2, j)/2",
                  r"\frac{1}{2} \sum_{j=1}^{J} \left(1 + \log(\sigma_j^2) - \mu_j^2 - \sigma_j^2\right)",
                  source="answer")],
    answer=r"Per dimension, $\mathbb E_q[\log q] = -\frac12\log(2\pi) - \log\sigma_j - \frac12$ and "
           r"$\mathbb E_q[\log p] = -\frac12\log(2\pi) - \frac12(\mu_j^2 + \sigma_j^2)$, by "
           r"$\mathbb E[z] = \mu_j$ and $\mathbb E[z^2] = \mu_j^2 + \sigma_j^2$.",
)


# -- 7(iv): the score-function (REINFORCE) estimator -------------------------------

PHI = vector("phi", "K", r"\phi", doc="logits of the variational distribution")
F = vector("f", "K", r"f", doc="f(z) = log p(x|z) at each value of z")
Q_SOFTMAX = define("q", "softmax(phi)", r"q_\phi", shape=("K",))


def _softmax(phi):
    e = np.exp(phi - phi.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


score_function_estimator = Entry(
    id="score-function-estimator",
    title="VAE: the score-function (REINFORCE) gradient estimator is unbiased",
    sheet=SHEET,
    problem="7(iv)",
    question=r"Estimate $\nabla_\phi \mathbb{E}_{q_\phi(z|x)}[\log p_\theta(x|z)]$ by Monte Carlo: with "
             r"$z^{(s)} \sim q_\phi(z|x)$, $\nabla_\phi \mathbb{E}_{q_\phi}[f(z)] \approx \frac1S \sum_s "
             r"f(z^{(s)}) \nabla_\phi \log q_\phi(z^{(s)})$, $f(z) = \log p_\theta(x|z)$.",
    reading=r"$z$ takes $K$ values with $q_\phi(z|x) = \operatorname{softmax}(\phi)_z$; each sample's term has the "
            r"expectation of the average of $S$ samples.",
    notation=Notation(variables=[PHI, F], definitions=[Q_SOFTMAX], sizes=[K], indices=[Z, Index("i", 1, "K")]),
    asks=Expectation(
        target=Gradient(forward="Sum(q[z]*f[z], z)", wrt="phi", index=("i",),
                        oracle=lambda phi, f: (_softmax(phi) * f).sum(axis=-1)),
        over={"z": Categorical("q[z]")},
    ),
    claims=[Claim("f[z]*(delta(z, i) - q[i])",
                  r"f(z) \nabla_{\phi_i} \log q_\phi(z) = f(z) \left(\delta_{z,i} - q_\phi(i)\right)",
                  source="answer")],
    answer=r"$\nabla_\phi \mathbb{E}_q[f] = \sum_z f(z)\nabla_\phi q_\phi(z) = \sum_z q_\phi(z) f(z) \nabla_\phi "
           r"\log q_\phi(z) = \mathbb{E}_q[f(z)\nabla_\phi\log q_\phi(z)]$ (the log-derivative trick), so the "
           r"average over $S$ samples is unbiased. For a softmax, $\nabla_{\phi_i}\log q_\phi(z) = \delta_{z,i} - "
           r"q_\phi(i)$. Its variance is the problem of 7(v).",
)


# -- 7(vii): the reparameterised estimator with M noise samples --------------------
#
# A decoder that keeps every expectation exact: p(x|z) = N(x; Wz + b, I), with a
# two-dimensional latent and two-dimensional data.  The target L is written in
# closed form, E_q[log p(x|z)] as nested Gaussian expectations (exact by moments);
# the oracle integrates it by Gauss-Hermite quadrature.

DEC = [Size("J", small=(2,), random=None), Size("D", small=(2,), random=None)]
W_DEC = matrix("W", "D", "J", "W", doc="decoder weights: p(x|z) = N(x; Wz + b, I)")
B_DEC = vector("b", "D", "b")
X_OBS = vector("x", "D", "x", doc="the observed data point")
MU_Q = vector("mu", "J", r"\mu", domains.Real(-1.5, 1.5))
SIGMA_Q = vector("sigma", "J", r"\sigma", domains.Positive(0.3, 2.0))
EPS = [vector(f"eps{m}", "J", rf"\epsilon^{{({m})}}", doc=f"noise sample {m}") for m in (1, 2)]
NEG_KL = define("negKL", "Sum(1 + log(sigma[j]**2) - mu[j]**2 - sigma[j]**2, j)/2",
                r"-D_{KL}(q_\phi(z|x)\|p_\theta(z))", checked_by="gaussian-kl")

LOG_LIKELIHOOD = ("-((x[1] - W[1,1]*z1 - W[1,2]*z2 - b[1])**2 + (x[2] - W[2,1]*z1 - W[2,2]*z2 - b[2])**2)/2"
                  " - log(2*pi)")
ELBO_CLOSED = (f"negKL + ExpectNormal(ExpectNormal({LOG_LIKELIHOOD}, (z2, mu[2], sigma[2])), "
               f"(z1, mu[1], sigma[1]))")


def _log_likelihood_at(m):
    z = f"(mu + hadamard(sigma, eps{m}))"
    return f"(-((x - W*{z} - b).T*(x - W*{z} - b))/2 - log(2*pi))"


def _elbo(mu, sigma, x, W, b, nodes=16):
    """L = -KL + E_q[log p(x|z)] by Gauss-Hermite quadrature; mu may carry batch axes."""
    t, w = np.polynomial.hermite.hermgauss(nodes)
    z1 = mu[..., 0, None, None] + np.sqrt(2) * sigma[0] * t[:, None]
    z2 = mu[..., 1, None, None] + np.sqrt(2) * sigma[1] * t[None, :]
    residual = [x[d] - W[d, 0] * z1 - W[d, 1] * z2 - b[d] for d in range(2)]
    log_p = -(residual[0] ** 2 + residual[1] ** 2) / 2 - np.log(2 * np.pi)
    expectation = (w[:, None] * w[None, :] * log_p).sum(axis=(-2, -1)) / np.pi
    neg_kl = 0.5 * np.sum(1 + np.log(sigma**2) - mu**2 - sigma**2, axis=-1)
    return neg_kl + expectation


# The estimator's notation: M = 2 noise samples, and the decoder's log-likelihood at z^(m) = mu + sigma ⊙ eps^(m)
SAMPLES = define("M", "2", "M")
LOG_P = [define(f"logp{m}", _log_likelihood_at(m), rf"\log p_\theta(x | \mu + \sigma \odot \epsilon^{{({m})}})")
         for m in (1, 2)]


def _reparameterised_notation():
    return Notation(variables=[MU_Q, SIGMA_Q, X_OBS, W_DEC, B_DEC, *EPS], definitions=[NEG_KL, SAMPLES, *LOG_P],
                    sizes=DEC, indices=[Index("j", 1, "J")])


reparameterised_elbo = Entry(
    id="reparameterised-elbo",
    title="VAE: the reparameterised M-sample estimator of the ELBO is unbiased (eq. 10)",
    sheet=SHEET,
    problem="7(vii)",
    question=r"With $q_\phi(z|x) = \mathcal N(\mu, \operatorname{diag}\sigma^2)$, reparameterise "
             r"$z^{(m)} = \mu + \sigma \odot \epsilon^{(m)}$, $\epsilon^{(m)} \sim \mathcal N(0, I)$, and give "
             r"the estimator of $\mathcal L$ with $M$ noise samples.",
    reading=r"$M = 2$, a linear-Gaussian decoder $p_\theta(x|z) = \mathcal N(x; Wz + b, I)$ so that every "
            r"expectation is exact, $J = D = 2$.",
    notation=_reparameterised_notation(),
    asks=Expectation(target=Value(expr=ELBO_CLOSED, oracle=_elbo, rtol=1e-8),
                     over={"eps1": Normal(), "eps2": Normal()}),
    claims=[Claim(f"negKL + ({_log_likelihood_at(1)} + {_log_likelihood_at(2)})/2",
                  r"\frac{1}{2} \sum_{j=1}^{J} \left(1 + \log(\sigma_j^2) - \mu_j^2 - \sigma_j^2\right) + "
                  r"\frac{1}{M} \sum_{m=1}^{M} \log p_\theta(x | \mu + \sigma \odot \epsilon^{(m)})",
                  source="answer")],
    answer=r"$\tilde{\mathcal L}(\theta,\phi;x) = \frac12\sum_{j=1}^J (1 + \log\sigma_j^2 - \mu_j^2 - "
           r"\sigma_j^2) + \frac1M\sum_{m=1}^M \log p_\theta(x|z^{(m)})$ with $z^{(m)} = \mu + \sigma\odot"
           r"\epsilon^{(m)}$. Since $z^{(m)}$ has law $q_\phi(z|x)$, each term has expectation "
           r"$\mathbb{E}_q[\log p_\theta(x|z)]$: the estimator is unbiased, and its randomness no longer depends "
           r"on $\phi$, so it can be differentiated through $\mu$ and $\sigma$.",
)

ESTIMATOR = f"negKL + ({_log_likelihood_at(1)} + {_log_likelihood_at(2)})/2"


def _estimator(mu, sigma, x, W, b, eps1, eps2):
    """The M = 2 sample estimator of the ELBO, in NumPy; mu may carry batch axes."""
    neg_kl = 0.5 * np.sum(1 + np.log(sigma**2) - mu**2 - sigma**2, axis=-1)
    log_p = 0.0
    for eps in (eps1, eps2):
        residual = x - np.einsum("dj,...j->...d", W, mu + sigma * eps) - b
        log_p = log_p + (-(residual**2).sum(axis=-1) / 2 - np.log(2 * np.pi))
    return neg_kl + log_p / 2


GRADIENT_TEX = r"-\mu + \frac{1}{M} \sum_{m=1}^{M} W^\top (x - W(\mu + \sigma \odot \epsilon^{(m)}) - b)"

reparameterised_gradient = Entry(
    id="reparameterised-gradient",
    title="VAE: the gradient of the reparameterised estimator with respect to μ",
    sheet=SHEET,
    problem="7(vii)",
    question=r"Differentiate the reparameterised estimator with respect to $\mu$.",
    reading=r"The M = 2 sample estimator of reparameterised-elbo, as a function of its noise samples: the "
            r"gradient is checked at every sample, not only on average (dropping $\sigma \odot \epsilon$ "
            r"gives the right mean and the wrong estimator).",
    notation=_reparameterised_notation(),
    asks=Gradient(forward=ESTIMATOR, wrt="mu", oracle=_estimator),
    claims=[Claim("-mu + (W.T*(x - W*(mu + hadamard(sigma, eps1)) - b) + W.T*(x - W*(mu + hadamard(sigma, eps2)) - b))/2",
                  GRADIENT_TEX, source="answer")],
    answer=r"$\nabla_\mu \tilde{\mathcal L} = -\mu + \frac1M\sum_m W^\top(x - Wz^{(m)} - b)$: the KL term "
           r"contributes $-\mu$ and each sample the score of the Gaussian decoder at $z^{(m)}$.",
)

reparameterised_gradient_unbiased = Entry(
    id="reparameterised-gradient-unbiased",
    title="VAE: the reparameterised gradient with respect to μ is unbiased",
    sheet=SHEET,
    problem="7(vii)",
    question=r"The expectation of the reparameterised gradient with respect to $\mu$ is $\nabla_\mu \mathcal L$.",
    reading=r"One noise sample (the $M$-sample average has the same expectation), the decoder of the entry above; "
            r"the estimator's gradient itself is checked sample by sample in reparameterised-gradient.",
    notation=_reparameterised_notation(),
    asks=Expectation(target=Gradient(forward=ELBO_CLOSED, wrt="mu", oracle=_elbo), over={"eps1": Normal()}),
    claims=[Claim("-mu + W.T*(x - W*(mu + hadamard(sigma, eps1)) - b)",
                  r"-\mu + W^\top (x - W(\mu + \sigma \odot \epsilon^{(1)}) - b)", source="answer")],
    answer=r"Each sample's gradient $-\mu + W^\top(x - Wz - b)$ has expectation $-\mu + W^\top(x - W\mu - b) = "
           r"\nabla_\mu\mathcal L$, since $\mathbb{E}[z] = \mu$.",
)
