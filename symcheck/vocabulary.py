"""The functions of deep-learning notation, as SymPy primitives.

Each primitive carries, next to its definition, everything the engine needs:
its derivative (``fdiff``), how to rewrite it in elementary functions (for the
proof cascade), and its NumPy implementation (``numpy``), in the spirit of
autograd's ``defvjp``: a rule lives beside the primitive it belongs to.

Functions SymPy already has (exp, log, tanh, Max, Heaviside, ...) are used as
they are; the table ``NUMPY`` at the bottom gives their NumPy forms.
"""
from __future__ import annotations

import numpy as np
import sympy
from sympy.matrices.expressions import MatrixExpr


def _stable_sigmoid(x):
    """1/(1 + e^{-x}) without overflow for large |x| (and without importing SciPy,
    which would cost a cold start 0.4 s)."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class sigmoid(sympy.Function):
    r"""The logistic function :math:`\sigma(x) = 1/(1 + e^{-x})`."""

    nargs = 1
    numpy = staticmethod(_stable_sigmoid)

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.S.Half

    def fdiff(self, argindex=1):
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    def _eval_evalf(self, prec):
        return self.rewrite(sympy.exp)._eval_evalf(prec)

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True

    def _latex(self, printer, exp=None):
        power = "^{%s}" % exp if exp is not None else ""
        return r"\sigma%s\left(%s\right)" % (power, printer._print(self.args[0]))


class Norm(sympy.Function):
    r"""The Euclidean norm of a vector, or the operator 2-norm of a matrix."""

    nargs = 1

    def _latex(self, printer, exp=None):
        body = r"\left\| %s \right\|" % printer._print(self.args[0])
        return body + ("^{%s}" % exp if exp is not None else "")

    @staticmethod
    def numpy(value):
        rows, cols = value.shape[-2:]
        if rows == 1 or cols == 1:
            return np.sqrt((value**2).sum(axis=(-2, -1)))
        return np.linalg.norm(value, 2, axis=(-2, -1))

    @staticmethod
    def explicit(matrix: sympy.ImmutableMatrix):
        if 1 in matrix.shape:
            return sympy.sqrt(sum(v**2 for v in matrix))
        if matrix.is_diagonal():  # the operator norm of a diagonal matrix is its largest |entry|
            return sympy.Max(*[sympy.Abs(matrix[i, i]) for i in range(min(matrix.shape))])
        # The operator norm of a symbolic matrix is the root of an eigenvalue of
        # MᵀM: hopeless beyond trivial entries.  It stays an atom, which the
        # numeric backends evaluate (an SVD) and the cascade compares as is.
        return Norm(matrix)


def _kl_terms(p, q):
    return [pi * sympy.log(pi / qi) for pi, qi in zip(p, q)]


class KL(sympy.Function):
    r"""Kullback-Leibler divergence :math:`\sum_k p_k \log(p_k/q_k)` of two
    distributions on a finite support, given as probability vectors."""

    nargs = 2

    def _latex(self, printer, exp=None):
        p, q = (printer._print(a) for a in self.args)
        body = r"\mathrm{KL}\left(%s \,\middle\|\, %s\right)" % (p, q)
        return body + ("^{%s}" % exp if exp is not None else "")

    @staticmethod
    def numpy(p, q):
        return (p * np.log(p / q)).sum(axis=(-2, -1))

    @staticmethod
    def explicit(p, q):
        return sympy.Add(*_kl_terms(p, q))


class JSD(sympy.Function):
    r"""Jensen-Shannon divergence: :math:`\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)`,
    :math:`m = (p+q)/2`."""

    nargs = 2

    def _latex(self, printer, exp=None):
        p, q = (printer._print(a) for a in self.args)
        body = r"\mathrm{JSD}\left(%s \,\middle\|\, %s\right)" % (p, q)
        return body + ("^{%s}" % exp if exp is not None else "")

    @staticmethod
    def numpy(p, q):
        m = (p + q) / 2
        return (KL.numpy(p, m) + KL.numpy(q, m)) / 2

    @staticmethod
    def explicit(p, q):
        m = [(a + b) / 2 for a, b in zip(p, q)]
        return (sympy.Add(*_kl_terms(p, m)) + sympy.Add(*_kl_terms(q, m))) / 2


class Softmax(MatrixExpr):
    r"""Softmax of a vector: :math:`e^{v_k} / \sum_j e^{v_j}`, same shape as v."""

    def __new__(cls, arg):
        arg = sympy.sympify(arg)
        return sympy.Basic.__new__(cls, arg)

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        return self.arg.shape

    def _latex(self, printer):
        return r"\operatorname{softmax}\left(%s\right)" % printer._print(self.arg)

    @staticmethod
    def numpy(value):
        shifted = value - value.max(axis=(-2, -1), keepdims=True)
        e = np.exp(shifted)
        return e / e.sum(axis=(-2, -1), keepdims=True)

    @staticmethod
    def explicit(matrix: sympy.ImmutableMatrix):
        e = matrix.applyfunc(sympy.exp)
        total = sum(e)
        return e.applyfunc(lambda v: v / total)


class NormalExpectation(sympy.Function):
    r"""E_{z ~ N(m, s²)}[f(z)] for an integrand polynomial in z (after expanding
    logs): args are (f, z, m, s).  Symbolically it is exact, by the moments of
    the normal distribution; numerically the evaluator uses Gauss-Hermite
    quadrature, exact for polynomials of degree < 2·HERMITE_NODES."""

    nargs = 4

    @staticmethod
    def moments(polynomial, z, m, s):
        expanded = sympy.expand(sympy.expand_log(polynomial))
        poly = sympy.Poly(expanded, z)
        total = 0
        for (k,), coeff in poly.terms():
            total += coeff * normal_moment(k, m, s)
        return total

    def _latex(self, printer, exp=None):
        f, z, m, s = (printer._print(a) for a in self.args)
        return r"\mathbb{E}_{%s \sim \mathcal{N}(%s, %s^2)}\left[%s\right]" % (z, m, s, f)


def normal_moment(k: int, m, s):
    """E[z^k] for z ~ N(m, s²): sum over even j of C(k, j) m^(k-j) s^j (j-1)!!."""
    total = 0
    for j in range(0, k + 1, 2):
        total += sympy.binomial(k, j) * m ** (k - j) * s**j * sympy.factorial2(j - 1)
    return total


HERMITE_NODES = 24


def normal_logpdf(z, m, s):
    """log N(z; m, s²) as an expression."""
    return -(z - m) ** 2 / (2 * s**2) - sympy.log(s) - sympy.log(2 * sympy.pi) / 2


# NumPy forms of the SymPy functions claims may use.  Heaviside's value at 0 is
# never needed: samplers keep points off kinks.
NUMPY = {
    sympy.exp: np.exp,
    sympy.log: np.log,
    sympy.tanh: np.tanh,
    sympy.sinh: np.sinh,
    sympy.cosh: np.cosh,
    sympy.sin: np.sin,
    sympy.cos: np.cos,
    sympy.Abs: np.abs,
    sympy.sign: np.sign,
    sympy.floor: np.floor,
    sympy.ceiling: np.ceil,
    sympy.Heaviside: lambda x, *h: (np.asarray(x) > 0).astype(float),
    sigmoid: sigmoid.numpy,
}


def relu(x):
    """ReLU is Max(0, x): SymPy differentiates and prints it as such."""
    return sympy.Max(0, x)


def indicator(condition):
    """The indicator 1{condition} as a Piecewise (unevaluated: SymPy would
    otherwise pull a Piecewise inside the condition out of an enclosing Sum)."""
    return sympy.Piecewise((1, condition), (0, True), evaluate=False)
