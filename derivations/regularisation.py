"""Sheet 004, problems 5 and 6: where L2 and L1 regularisation move the optimum.

Around the unregularised minimum w*, the loss is approximated by the quadratic
Ĵ(w) = J(w*) + ½ (w − w*)ᵀ H (w − w*)  (eq. 6).  The constant J(w*) does not
move the optimum and is left out of the objectives below.

The sheet asks us to derive the textbook's results (Deep Learning, §7.1); the
engine derives each optimum itself by solving the stationarity conditions and
checks the textbook's closed forms against it, and against a numeric optimiser.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Optimum, Size, chain, define, domains, matrix, scalar, \
    vector

SHEET = "004_1638b43a4d4b0ea1"
N = Size("n", small=(2, 3), random=(2, 5))

H = matrix("H", "n", "n", r"\mathbf{H}", domains.spd, doc="Hessian of J at w*")
WSTAR = vector("wstar", "n", r"\mathbf{w}^*", doc="the unregularised minimum")
W = vector("w", "n", r"\mathbf{w}", doc="the weights being optimised")
ALPHA = scalar("alpha", r"\alpha", domains.positive)
IDENTITY = define("I", "eye(n)", r"\mathbf{I}", shape=("n", "n"))

L2_OBJECTIVE = "alpha/2*w.T*w + (w - wstar).T*H*(w - wstar)/2"


def _l2_objective(H, wstar, alpha, w):
    """Batch-friendly: w may carry leading axes (the gradient oracle's contract)."""
    d = w - wstar
    return alpha / 2 * (w * w).sum(-1) + ((d @ H) * d).sum(-1) / 2


l2_gradient = Entry(
    id="l2-gradient",
    title="L2 regularisation: gradient of the approximated objective",
    sheet=SHEET,
    problem="5(i)",
    question=r"Differentiate $\tilde J(\mathbf w) = \frac{\alpha}{2}\mathbf w^\top \mathbf w + \hat J(\mathbf w)$ "
             r"with $\hat J$ the quadratic approximation of eq. (6).",
    notation=Notation(variables=[H, WSTAR, W, ALPHA], definitions=[IDENTITY], sizes=[N]),
    asks=Gradient(forward=L2_OBJECTIVE, wrt="w", oracle=_l2_objective),
    claims=[Claim("alpha*w + H*(w - wstar)", r"\alpha \mathbf{w} + \mathbf{H}(\mathbf{w} - \mathbf{w}^*)",
                  source="answer")],
    answer="Setting this gradient to zero gives the optimum of problem 5(i).",
)

l2_optimum = Entry(
    id="l2-optimum",
    title="L2 regularisation: the regularised optimum (eq. 7.10)",
    sheet=SHEET,
    problem="5(i)",
    question=r"Minimise $\frac{\alpha}{2}\|\mathbf w\|^2 + \hat J(\mathbf w)$ and show "
             r"$\tilde{\mathbf w} = (\mathbf H + \alpha \mathbf I)^{-1}\mathbf H \mathbf w^*$.",
    notation=Notation(variables=[H, WSTAR, W, ALPHA], definitions=[IDENTITY], sizes=[N]),
    asks=Optimum(objective=L2_OBJECTIVE, over="w", oracle=_l2_objective),
    claims=[Claim("(H + alpha*I)**-1*H*wstar",
                  r"(\mathbf{H} + \alpha \mathbf{I})^{-1} \mathbf{H} \mathbf{w}^*", source="answer")],
    answer=r"The gradient $\alpha\mathbf w + \mathbf H(\mathbf w - \mathbf w^*)$ vanishes where "
           r"$(\mathbf H + \alpha\mathbf I)\mathbf w = \mathbf H\mathbf w^*$; $\mathbf H + \alpha\mathbf I$ is "
           r"positive definite, hence invertible, and the objective is strictly convex, so this stationary point "
           r"is the unique minimum.",
)

Q = matrix("Q", "n", "n", r"\mathbf{Q}", domains.orthogonal, doc="eigenvectors of H")
LAMBDA = matrix("Lam", "n", "n", r"\mathbf{\Lambda}", domains.PositiveDiagonal(), doc="eigenvalues of H")
H_EIGEN = define("H", "Q*Lam*Q.T", r"\mathbf{H}", shape=("n", "n"))


def _l2_objective_eigen(Q, Lam, wstar, alpha, w):
    return _l2_objective(Q @ Lam @ Q.T, wstar, alpha, w)


l2_eigen = Entry(
    id="l2-eigen",
    title="L2 regularisation in the eigenbasis of H (eq. 7.13)",
    sheet=SHEET,
    problem="5(ii)",
    question=r"With $\mathbf H = \mathbf Q \mathbf\Lambda \mathbf Q^\top$, show "
             r"$\tilde{\mathbf w} = \mathbf Q(\mathbf\Lambda + \alpha\mathbf I)^{-1}\mathbf\Lambda\mathbf Q^\top"
             r"\mathbf w^*$.",
    notation=Notation(variables=[Q, LAMBDA, WSTAR, W, ALPHA], definitions=[IDENTITY, H_EIGEN],
                      sizes=[Size("n", small=(2,), random=(2, 5))]),
    asks=Optimum(objective=L2_OBJECTIVE, over="w", oracle=_l2_objective_eigen),
    claims=chain(
        Claim("(Q*Lam*Q.T + alpha*I)**-1*Q*Lam*Q.T*wstar",
              r"(\mathbf{Q}\mathbf{\Lambda}\mathbf{Q}^\top + \alpha \mathbf{I})^{-1} "
              r"\mathbf{Q}\mathbf{\Lambda}\mathbf{Q}^\top \mathbf{w}^*", source="answer"),
        Claim("(Q*(Lam + alpha*I)*Q.T)**-1*Q*Lam*Q.T*wstar",
              r"\left[\mathbf{Q}(\mathbf{\Lambda} + \alpha \mathbf{I})\mathbf{Q}^\top\right]^{-1} "
              r"\mathbf{Q}\mathbf{\Lambda}\mathbf{Q}^\top \mathbf{w}^*", source="answer"),
        Claim("Q*(Lam + alpha*I)**-1*Lam*Q.T*wstar",
              r"\mathbf{Q}(\mathbf{\Lambda} + \alpha \mathbf{I})^{-1} \mathbf{\Lambda} \mathbf{Q}^\top \mathbf{w}^*",
              source="answer"),
    ),
    answer=r"Since $\mathbf Q\mathbf Q^\top = \mathbf I$, $\mathbf H + \alpha\mathbf I = "
           r"\mathbf Q(\mathbf\Lambda + \alpha\mathbf I)\mathbf Q^\top$, whose inverse is "
           r"$\mathbf Q(\mathbf\Lambda + \alpha\mathbf I)^{-1}\mathbf Q^\top$. Each component of $\mathbf w^*$ "
           r"along the $i$-th eigenvector is scaled by $\lambda_i/(\lambda_i + \alpha)$: directions of large "
           r"curvature are kept, directions with $\lambda_i \ll \alpha$ shrink towards zero.",
)

HDIAG = matrix("H", "n", "n", r"\mathbf{H}", domains.PositiveDiagonal(), doc="diagonal Hessian (eq. 11)")
WSTAR_L1 = vector("wstar", "n", r"\mathbf{w}^*", domains.Real(-3, 3), doc="the unregularised minimum")


def _l1_objective(H, wstar, alpha, w):
    d = w - wstar
    return alpha * np.abs(w).sum(-1) + ((d @ H) * d).sum(-1) / 2


l1_optimum = Entry(
    id="l1-optimum",
    title="L1 regularisation with a diagonal Hessian (eq. 7.23)",
    sheet=SHEET,
    problem="6(i)",
    question=r"Minimise $\alpha\|\mathbf w\|_1 + \hat J(\mathbf w)$ with $\mathbf H$ diagonal and show "
             r"$w_i = \operatorname{sign}(w_i^*)\max\{|w_i^*| - \alpha/H_{i,i}, 0\}$.",
    notation=Notation(variables=[HDIAG, WSTAR_L1, W, ALPHA], sizes=[N], indices=[Index("i", 1, "n")]),
    asks=Optimum(objective="alpha*Sum(abs(w[i]), i) + (w - wstar).T*H*(w - wstar)/2", over="w", index=("i",),
                 oracle=_l1_objective),
    claims=[Claim("sign(wstar[i])*max(abs(wstar[i]) - alpha/H[i, i], 0)",
                  r"\operatorname{sign}(w_i^*) \max\left\{|w_i^*| - \frac{\alpha}{H_{i,i}}, 0\right\}",
                  source="answer", expect="confirmed",
                  note="The engine's reference is a case split over the sign of each w_i (9 cases at n = 2); "
                       "deciding which regions are empty is beyond the cascade, so the proof is numeric.")],
    answer=r"With $\mathbf H$ diagonal the objective separates into "
           r"$\frac12 H_{i,i}(w_i - w_i^*)^2 + \alpha|w_i|$ per coordinate. For $w_i > 0$ the stationary point is "
           r"$w_i^* - \alpha/H_{i,i}$, admissible when $w_i^* > \alpha/H_{i,i}$; symmetrically for $w_i < 0$; "
           r"otherwise the subgradient condition $|H_{i,i} w_i^*| \le \alpha$ holds at $w_i = 0$.",
)
