"""Sheet 004, problem 8: the optimal discriminator and the global minimum of a GAN.

The data and generator distributions live on a finite support of K points x
(probability vectors p_data and p_g); integrals over x become sums, which makes
every claim exactly checkable.  The proofs in Goodfellow et al. (2014) are
pointwise in x, so nothing is lost.
"""
import numpy as np

from symcheck import Claim, Entry, Index, Notation, Optimum, Size, chain, domains, scalar, vector

SHEET = "004_1638b43a4d4b0ea1"
K = Size("K", small=(2, 3), random=(2, 6))
X = Index("x", 1, "K", latex="x")
PDATA = vector("pdata", "K", r"p_{data}", domains.probability, doc="data distribution over the support")
PG = vector("pg", "K", r"p_g", domains.probability, doc="generator distribution over the support")
D = vector("D", "K", r"D", domains.interval(0.0, 1.0), doc="the discriminator's output at each x")

VALUE = "Sum(pdata[x]*log(D[x]) + pg[x]*log(1 - D[x]), x)"


def _value(pdata, pg, D):
    """V(G, D) = E_{p_data}[log D] + E_{p_g}[log(1 - D)] on a finite support."""
    return np.sum(pdata * np.log(D) + pg * np.log(1 - D))


def _notation():
    return Notation(variables=[PDATA, PG, D], sizes=[K], indices=[X])


gan_log_maximiser = Entry(
    id="gan-log-maximiser",
    title="GAN lemma: where a log y + b log(1 − y) is largest",
    sheet=SHEET,
    problem="8(ii)",
    question=r"For $(a, b) \in \mathbb{R}^2 \setminus \{0\}$, $a, b \ge 0$, the function "
             r"$y \mapsto a\log y + b\log(1-y)$ on $(0, 1)$ attains its maximum at $a/(a+b)$.",
    notation=Notation(variables=[scalar("a", "a", domains.positive), scalar("b", "b", domains.positive),
                                 scalar("y", "y", domains.interval(0.0, 1.0))]),
    asks=Optimum(objective="a*log(y) + b*log(1 - y)", over="y", sense="max",
                 oracle=lambda a, b, y: a * np.log(y) + b * np.log(1 - y)),
    claims=[Claim("a/(a + b)", r"\frac{a}{a+b}", source="answer")],
    answer=r"The derivative $a/y - b/(1-y)$ vanishes only at $y = a/(a+b)$, and the function is strictly "
           r"concave on $(0,1)$ (second derivative $-a/y^2 - b/(1-y)^2 < 0$).",
)

gan_optimal_discriminator = Entry(
    id="gan-optimal-discriminator",
    title="GAN: the optimal discriminator (Proposition 1)",
    sheet=SHEET,
    problem="8(ii)",
    question=r"For $G$ fixed, show that the $D$ maximising $V(G, D)$ is "
             r"$D^*_G(\mathbf x) = p_{data}(\mathbf x)/(p_{data}(\mathbf x) + p_g(\mathbf x))$.",
    notation=_notation(),
    asks=Optimum(objective=VALUE, over="D", sense="max", index=("x",), oracle=_value),
    claims=[Claim("pdata[x]/(pdata[x] + pg[x])", r"\frac{p_{data}(x)}{p_{data}(x) + p_g(x)}", source="answer")],
    answer=r"$V(G,D) = \int_x p_{data}(x)\log D(x) + p_g(x)\log(1 - D(x))\,dx$ after the change of variables "
           r"$x = G(z)$. The integrand is maximised pointwise; by the lemma above, at "
           r"$D(x) = p_{data}(x)/(p_{data}(x)+p_g(x))$.",
)

gan_global_minimum = Entry(
    id="gan-global-minimum",
    title="GAN: the virtual training criterion (Theorem 1)",
    sheet=SHEET,
    problem="8(iii)",
    question=r"With $C(G) = \max_D V(G, D)$, show $C(G) = -\log 4 + 2\,\mathrm{JSD}(p_{data} \| p_g)$; hence its "
             r"global minimum $-\log 4$ is reached exactly when $p_g = p_{data}$.",
    notation=_notation(),
    asks=Optimum(objective=VALUE, over="D", sense="max", value=True, oracle=_value),
    claims=chain(
        Claim("Sum(pdata[x]*log(pdata[x]/(pdata[x] + pg[x])) + pg[x]*log(pg[x]/(pdata[x] + pg[x])), x)",
              r"\sum_x p_{data}(x) \log \frac{p_{data}(x)}{p_{data}(x) + p_g(x)} + "
              r"p_g(x) \log \frac{p_g(x)}{p_{data}(x) + p_g(x)}", source="answer"),
        Claim("-log(4) + KL(pdata, (pdata + pg)/2) + KL(pg, (pdata + pg)/2)",
              r"-\log 4 + KL\left(p_{data} \middle\| \frac{p_{data} + p_g}{2}\right) + "
              r"KL\left(p_g \middle\| \frac{p_{data} + p_g}{2}\right)", source="answer"),
        Claim("-log(4) + 2*JSD(pdata, pg)", r"-\log 4 + 2 \cdot JSD(p_{data} \| p_g)", source="answer"),
    ),
    answer=r"Substituting $D^*_G$ gives the first line; adding and subtracting $\log 2$ in each logarithm "
           r"(using $\sum_x p_{data} = \sum_x p_g = 1$) gives the KL form, and the JSD is its average. Since "
           r"$\mathrm{JSD} \ge 0$ with equality iff $p_g = p_{data}$, the minimum of $C$ is $-\log 4$, reached only "
           r"there.",
)
