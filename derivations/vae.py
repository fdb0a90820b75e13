"""Sheet 004, problem 7: the evidence lower bound of a variational auto-encoder.

For the identities of 7(ii) and 7(iii) the latent z takes K values: the prior
p(z), the likelihood p(x|z) of the observed x, and the variational q(z|x) are
vectors over z, every expectation is an exact sum, and the identities hold for
any K, so a finite latent loses nothing.  The Gaussian KL of 7(vii) is checked
with Gaussians themselves.
"""
import numpy as np
import scipy.integrate

from symcheck import Claim, Entry, Index, Notation, Size, Value, chain, define, domains, vector

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
