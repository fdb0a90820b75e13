"""Sheet 002, Q7.2: dropout on the input of a linear layer, at inference.

Training computes y = W(x ⊙ m) with a random mask m; inference should output
the training output's expectation over the mask.  The sheet says
y = W(x · p).  "Dropout with probability p" has two readings, checked as two
entries: p is the probability of keeping a unit (the sheet's answer holds) or
of dropping it (then the factor is 1 − p).  Expectations over the 2^n masks
are exact sums.
"""
import numpy as np

from symcheck import Bernoulli, Claim, Entry, Expectation, Notation, Size, Value, domains, matrix, scalar, vector

SHEET = "002_d2426a2ad95018f2"
SIZES = [Size("r", small=(2,), random=(1, 3)), Size("n", small=(2, 3), random=(2, 4))]
QUESTION = (r"A linear layer $W$ is trained with dropout (probability $p$) on its input: $y = W(x \odot m)$ with a "
            r"random mask $m$. What input/output relation should the layer use at inference?")


def _notation():
    return Notation(variables=[matrix("W", "r", "n", "W"), vector("x", "n", "x"),
                               vector("m", "n", "m", domains.binary, doc="the dropout mask"),
                               scalar("p", "p", domains.interval(0.0, 1.0))], sizes=SIZES)


def _training_output():
    return Value(expr="W*hadamard(x, m)", oracle=lambda W, x, m: W @ (x * m))


dropout_inference_keep = Entry(
    id="dropout-inference-keep",
    title="Dropout at inference: p is the keep probability",
    sheet=SHEET,
    problem="Q7.2",
    question=QUESTION,
    reading=r"Each unit is kept with probability $p$: $m_i \sim \mathrm{Bernoulli}(p)$.",
    notation=_notation(),
    asks=Expectation(target=_training_output(), over={"m": Bernoulli("p")}),
    claims=[Claim("W*(x*p)", r"y = W(x \cdot p)")],
)

dropout_inference_drop = Entry(
    id="dropout-inference-drop",
    title="Dropout at inference: p is the drop probability",
    sheet=SHEET,
    problem="Q7.2",
    question=QUESTION,
    reading=r"Each unit is dropped with probability $p$: $m_i \sim \mathrm{Bernoulli}(1 - p)$.",
    notation=_notation(),
    asks=Expectation(target=_training_output(), over={"m": Bernoulli("1 - p")}),
    claims=[
        Claim("W*(x*p)", r"y = W(x \cdot p)", label="sheet", expect="refuted",
              note="Under this reading the expected training output is (1 - p) W x."),
        Claim("W*(x*(1 - p))", r"y = W(x \cdot (1 - p))", label="corrected", source="correction",
              corrects="sheet"),
    ],
)
