"""symcheck: proves or refutes the derivations on deep-learning answer sheets.

The public face is small; everything else is internal.

* Writing entries: :class:`Entry`, :class:`Claim`, :func:`chain`, :class:`Prose`,
  the notation helpers (:func:`scalar`, :func:`vector`, :func:`matrix`,
  :func:`tensor`, :func:`define`, :class:`Size`, :class:`Index`,
  :class:`Notation`), the domains, and the kinds of question.
* Checking: :func:`verify`, :func:`check`, :func:`equal` (two expressions over the
  reals), :func:`steps` (a derivation, step by step), and :func:`check_grads` for
  your own backward passes.
"""
from symcheck import domains
from symcheck.api import check, equal, steps, verify
from symcheck.entry import Claim, Entry, Prose, chain
from symcheck.errors import ClaimError, EntryError, SymcheckError, UsageError
from symcheck.gradcheck import check_grads, numeric_gradient, numeric_jacobian
from symcheck.notation import Definition, Index, Notation, Size, Variable, define, matrix, scalar, tensor, vector
from symcheck.questions import Behaviour, Bernoulli, Categorical, Expectation, Gradient, Normal, Optimum, Question, Value

__version__ = "0.1.0"

__all__ = [
    "Claim", "Entry", "Prose", "chain", "domains",
    "Definition", "Index", "Notation", "Size", "Variable", "define", "matrix", "scalar", "tensor", "vector",
    "Behaviour", "Bernoulli", "Categorical", "Expectation", "Gradient", "Normal", "Optimum", "Question", "Value",
    "check", "equal", "steps", "verify", "check_grads", "numeric_gradient", "numeric_jacobian",
    "ClaimError", "EntryError", "SymcheckError", "UsageError",
    "__version__",
]
