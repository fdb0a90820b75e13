"""Sheet 003, 1.3: debugging loss curves.

Only 1.3(d) is machine-checkable: the loss and accuracy at the start of training
for a 4-class classifier.  At initialisation the network's logits are (close to)
equal, so its softmax output is uniform over the 4 classes (Q, R, S, U).  The
model below takes the 4 logits equal to a common value z (any real number); the
engine derives the softmax, the cross-entropy against a one-hot target (class 1
without loss of generality: the classes are symmetric) and the expected accuracy
from it.
"""
import numpy as np

from symcheck import Claim, Entry, Index, Notation, Prose, Value, define, domains, scalar, vector

SHEET = "003_be85b36419f743e7"

Z = scalar("z", "z", doc="the common initial logit of the 4 classes")
K = Index("k", 1, 4)
J = Index("j", 1, 4)
UNIFORM = define("p", "exp(z)/Sum(exp(z), (j, 1, 4))", "p_k",
                 domain=domains.positive)  # softmax of 4 equal logits, the same for every class
QUESTION = (r"A classifier of sequences into 4 classes (Q, R, S, U) is trained with the cross-entropy loss. At "
            r"initialisation, where do the training loss and the accuracy start?")
READING = ("The question is only implied by the answer. Initial logits are taken equal (a network at "
           "initialisation does not prefer any class), so the softmax output is uniform.")


def _softmax(logits):
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


initial_ce_loss = Entry(
    id="initial-ce-loss",
    title="Initial cross-entropy loss with 4 classes",
    sheet=SHEET,
    problem="1.3(d)",
    question=QUESTION + " (Here: the loss.)",
    reading=READING + " The loss is the cross-entropy −Σ_k y_k log p_k against a one-hot target y (class 1).",
    notation=Notation(variables=[Z], definitions=[UNIFORM], indices=[K, J]),
    asks=Value(expr="-Sum(KroneckerDelta(k, 1)*log(p), (k, 1, 4))",
               oracle=lambda z: -np.log(_softmax(np.full(4, z))[0])),
    claims=[
        Claim("-(1*ln(0.25) + 3*0*ln(0.25))", r"-(1 \times \ln(0.25) + 3 \times 0 \times \ln(0.25))",
              label="exact"),
        Claim("1.395", r"\le 1.395", label="approx (upper)", relation="<=", expect="confirmed",
              note="The sheet prints \"≈ 1.39\", read as rounding to two decimals: 1.385 ≤ loss ≤ 1.395 (two "
                   "bounds). The loss is ln 4 = 1.3863."),
        Claim("1.385", r"\ge 1.385", label="approx (lower)", relation=">=", expect="confirmed",
              note="The lower half of the sheet's \"≈ 1.39\" (see the upper)."),
    ],
    answer=r"$-\ln 0.25 = \ln 4 \approx 1.386$: with a uniform output every class, the true one included, gets "
           r"probability 1/4.",
)

initial_accuracy = Entry(
    id="initial-accuracy",
    title="Initial accuracy with 4 classes",
    sheet=SHEET,
    problem="1.3(d)",
    question=QUESTION + " (Here: the accuracy.)",
    reading=READING + " With tied logits the prediction is a uniformly random class, independent of the label; the "
                      "accuracy is the probability that it equals the label, Σ_k P(prediction = k) P(label = k), for "
                      "any label distribution q.",
    notation=Notation(variables=[Z, vector("q", 4, "q", domains.probability, doc="the distribution of the labels")],
                      definitions=[UNIFORM], indices=[K, J]),
    asks=Value(expr="Sum(p*q[k], (k, 1, 4))", oracle=lambda z, q: float(_softmax(np.full(4, z)) @ q)),
    claims=[
        Claim("0.25", r"0.25",
              note="The sheet says \"around 0.25\"; the expected accuracy of the uniform guess is exactly 0.25."),
    ],
)


def _prose(id, problem, title, question, answer, why="the answer is an explanation, not a formula"):
    return Prose(id=id, title=title, sheet=SHEET, problem=problem, question=question, answer=answer, why=why)


LOSS_CURVE_PROSE = [
    _prose("loss-curve-diagnosis", "1.3(a)", "Loss curve: what went wrong",
           "What is wrong with the training run whose loss curve is shown?", "The gradient explodes.",
           why="a diagnosis from a figure that is not in the text"),
    _prose("loss-curve-explanation", "1.3(b)", "Loss curve: why the loss ends above its initial value",
           "Why does the loss end higher than it started?",
           "The gradients computed in the backward pass are extremely large, so the parameters move further from "
           "the optimum than they were at initialisation, and the loss ends higher than the initial loss."),
    _prose("loss-curve-remedies", "1.3(c)", "Loss curve: remedies",
           "How can this be fixed?",
           "Clip the gradient so that it never grows too large; apply batch normalisation; use a learning-rate "
           "scheduler.",
           why="advice about training, not a formula"),
]
