"""Homework 1, problem 1: the backward pass of softmax cross-entropy.

A starter entry written by ``symcheck init``.  It states the question (the
forward model, which the engine differentiates, and an independent NumPy
oracle, whose finite differences are the second opinion) and the claims: the
sheet's derivation step by step, with its sign error and the correction, and a
common mistake shown on purpose as wrong.  ``expect`` records each verdict;
``symcheck verify`` and ``pytest`` fail when the engine disagrees.
"""
import numpy as np

from symcheck import Claim, Entry, Gradient, Index, Notation, Size, chain, domains, vector

K = Size("K", small=(2, 3), random=(2, 6))


def _cross_entropy(z, t):
    """The oracle: -t . log softmax(z) in NumPy, via a stable log-sum-exp."""
    top = z.max(axis=-1, keepdims=True)
    log_y = z - top - np.log(np.exp(z - top).sum(axis=-1, keepdims=True))
    return -(t * log_y).sum(axis=-1)


softmax_ce_backward = Entry(
    id="hw1-softmax-ce-backward",
    title="Softmax cross-entropy: backward pass",
    sheet="hw1",
    problem="1",
    question=r"For $\mathbf y = \operatorname{softmax}(\mathbf z)$ and a target $\mathbf t$ on the simplex, "
             r"derive $\partial L/\partial \mathbf z$ for $L = -\mathbf t^\top \ln \mathbf y$.",
    notation=Notation(variables=[vector("z", "K", r"\mathbf{z}", doc="the logits"),
                                 vector("t", "K", r"\mathbf{t}", domains.probability, doc="the target")],
                      sizes=[K], indices=[Index("k", 1, "K"), Index("j", 1, "K")]),
    asks=Gradient(forward="-t.T*log(softmax(z))", wrt="z", index=("k",), oracle=_cross_entropy),
    claims=[
        # the sheet's derivation: its last step has the sign the wrong way round
        *chain(
            Claim("-t[k] + Sum(t[j], j)*exp(z[k])/Sum(exp(z[j]), j)",
                  r"-t_k + \Big(\sum_j t_j\Big) \frac{\exp(z_k)}{\sum_j \exp(z_j)}"),
            Claim("t[k] - exp(z[k])/Sum(exp(z[j]), j)", r"t_k - y_k", expect="refuted"),
        ),
        Claim("exp(z[k])/Sum(exp(z[j]), j) - t[k]", r"y_k - t_k", label="corrected", source="correction",
              corrects="step 2"),
        # shown on the sheet on purpose, as the mistake students make: forgetting the normaliser
        Claim("exp(z[k]) - t[k]", r"\exp(z_k) - t_k", label="forgot the normaliser", source="mistake",
              expect="refuted"),
    ],
)
