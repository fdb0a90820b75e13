"""The kinds of question an entry can ask."""
from symcheck.questions.base import Question
from symcheck.questions.behaviour import Behaviour
from symcheck.questions.expectation import Bernoulli, Categorical, Expectation, Normal
from symcheck.questions.gradient import Gradient
from symcheck.questions.optimum import Optimum
from symcheck.questions.value import Value

__all__ = ["Question", "Behaviour", "Bernoulli", "Categorical", "Expectation", "Gradient", "Normal", "Optimum", "Value"]
