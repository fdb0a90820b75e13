"""The kinds of question an entry can ask."""
from symcheck.questions.base import Question
from symcheck.questions.gradient import Gradient
from symcheck.questions.optimum import Optimum
from symcheck.questions.value import Value

__all__ = ["Question", "Gradient", "Optimum", "Value"]
