"""Sheet 004, problem 3: why the RNN's gradients vanish or explode, as bounds.

The gradient of J reaches h^(k) from h^(t) through the Jacobian
∂h^(t)/∂h^(k) = Π_s diag(1 − h^(s)²) U  (entry rnn-jacobian-product), so its
norm is at most (‖U‖ max_s ‖diag(1 − h^(s)²)‖)^(t−k) ≤ ‖U‖^(t−k): when ‖U‖ < 1
the gradient vanishes exponentially in t − k.  In the linear regime (h ≈ 0,
where tanh' = 1) the Jacobian is U^(t−k), which grows like the largest
singular value of U to the power t − k: it explodes when that exceeds 1.

Checked on three steps: the quantity is the operator norm of the Jacobian,
the oracle the norm of a finite-difference Jacobian of a NumPy RNN, and the
bounds are searched at random and adversarial points.
"""
import numpy as np

from symcheck import Claim, Entry, Notation, Size, Value, define, domains, matrix, vector

SHEET = "004_1638b43a4d4b0ea1"
N = Size("n", small=(2,), random=(2, 4))
U = matrix("U", "n", "n", r"\mathbf{U}", domains.Real(-1.5, 1.5), doc="recurrent weights")
H0 = vector("h0", "n", r"\mathbf{h}^{(0)}", domains.Real(-1, 1), doc="the state the gradient reaches")
INPUTS = [vector(f"a{s}", "n", rf"\mathbf{{a}}^{{({s})}}", domains.Real(-1, 1),
                 doc=f"the input's contribution W x^({s}) + b at step {s}") for s in (1, 2, 3)]
STATES = [define(f"h{s}", f"tanh(U*h{s - 1} + a{s})", rf"\mathbf{{h}}^{{({s})}}", shape=("n",)) for s in (1, 2, 3)]
SLOPES = [define(f"D{s}", f"diag(1 - hadamard(h{s}, h{s}))", rf"\mathbf{{D}}^{{({s})}}", shape=("n", "n"))
          for s in (1, 2, 3)]


def _jacobian_norm(U, h0, a1, a2, a3):
    """‖∂h^(3)/∂h^(0)‖₂ by central differences of a NumPy RNN (independent of the formula)."""
    def run(h):
        for a in (a1, a2, a3):
            h = np.tanh(U @ h + a)
        return h

    step, n = 1e-6, h0.size
    columns = [(run(h0 + step * e) - run(h0 - step * e)) / (2 * step) for e in np.eye(n)]
    return np.linalg.norm(np.stack(columns, axis=1), 2)


rnn_gradient_norm_bound = Entry(
    id="rnn-gradient-norm-bound",
    title="RNN: the norm of the gradient's path through time is bounded by ‖U‖^(t−k)",
    sheet=SHEET,
    problem="3",
    question=r"Show that training an RNN by backpropagation through time suffers from vanishing and exploding "
             r"gradients.",
    reading=r"Three steps of $\mathbf h^{(s)} = \tanh(\mathbf U\mathbf h^{(s-1)} + \mathbf a^{(s)})$, with "
            r"$\mathbf a^{(s)} = \mathbf W\mathbf x^{(s)} + \mathbf b$; the quantity is "
            r"$\|\partial\mathbf h^{(3)}/\partial\mathbf h^{(0)}\|_2$.",
    notation=Notation(variables=[U, H0, *INPUTS], definitions=[*STATES, *SLOPES], sizes=[N]),
    asks=Value(expr="norm(D3*U*D2*U*D1*U)", oracle=_jacobian_norm, rtol=1e-5, atol=1e-7),
    claims=[
        Claim("norm(D3)*norm(U)*norm(D2)*norm(U)*norm(D1)*norm(U)",
              r"\left\|\mathbf{D}^{(3)}\right\| \left\|\mathbf{U}\right\| \left\|\mathbf{D}^{(2)}\right\| "
              r"\left\|\mathbf{U}\right\| \left\|\mathbf{D}^{(1)}\right\| \left\|\mathbf{U}\right\|",
              label="product of norms", relation="<=", expect="confirmed", source="answer"),
        Claim("norm(U)**3", r"\left\|\mathbf{U}\right\|^{3}", label="vanishing bound", relation="<=",
              expect="confirmed", source="answer"),
    ],
    answer=r"$\frac{\partial J}{\partial \mathbf W} = \sum_t\sum_{k\le t} \frac{\partial J^{(t)}}{\partial "
           r"\mathbf h^{(t)}}\frac{\partial\mathbf h^{(t)}}{\partial\mathbf h^{(k)}}\frac{\partial^+\mathbf "
           r"h^{(k)}}{\partial\mathbf W}$ and $\frac{\partial\mathbf h^{(t)}}{\partial\mathbf h^{(k)}} = "
           r"\prod_{s=k+1}^{t}\operatorname{diag}(1 - \mathbf h^{(s)2})\,\mathbf U$. Since $0 < 1 - h^2 \le 1$, "
           r"$\|\partial\mathbf h^{(t)}/\partial\mathbf h^{(k)}\| \le \|\mathbf U\|^{t-k}$: long-range terms vanish "
           r"exponentially when $\|\mathbf U\| < 1$ (and faster when units saturate). Near $\mathbf h = 0$ the "
           r"Jacobian is $\mathbf U^{t-k}$, which grows like $\lambda_{\max}^{t-k}$ and explodes when the "
           r"spectral radius of $\mathbf U$ exceeds 1. Either way the gradient's dependence on distant steps is "
           r"exponential in their distance.",
)
