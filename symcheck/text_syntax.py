"""The text syntax of claims: SymPy-like, read without ever evaluating it.

``parse_claim("dEdy*sigma(x)*(1 - sigma(x))", notation)`` returns a SymPy
expression over the entry's symbols.  The text is tokenised by Python's own
parser (``ast.parse``) and every node is translated by a whitelist: names must be
declared, functions must be in ``FUNCTIONS``, attributes other than ``.T`` and
every statement form are refused.  Nothing is passed to ``eval``; a string such
as ``__import__('os').system('...')`` is a call of an unknown function and is
rejected with its column.

Numbers are exact: ``0.5`` is the rational 1/2.  Powers of two numbers are
computed only when the result stays below ``MAX_DIGITS`` digits, so that a tower
such as ``9**9**9`` is refused at once instead of hanging SymPy.
"""
from __future__ import annotations

import ast
import warnings
import difflib
import math
from typing import Callable

import sympy
from sympy.matrices.expressions import MatrixExpr
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from symcheck import vocabulary as voc
from symcheck.errors import ClaimError
from symcheck.notation import Notation

MAX_CLAIM_CHARS = 4000
# Below Python's own limit on printing an int (4300 digits), so every number a
# claim builds can also be shown.
MAX_DIGITS = 4000
MAX_NODES = 3000
# A power of a symbol or a matrix is expanded, multiplied out or evaluated
# exactly by the checks; past this exponent that alone could exhaust memory.
MAX_EXPONENT = 10_000


def _elementwise(fn: Callable, arg):
    """Apply a scalar function to a scalar, or entrywise to a matrix (a 1×1
    matrix, such as sqrt(aᵀa), is its single entry)."""
    if isinstance(arg, MatrixExpr) and arg.shape == (1, 1):
        return fn(_only_entry(arg))
    if isinstance(arg, MatrixExpr):
        d = sympy.Dummy("d", real=True)
        return ElementwiseApplyFunction(sympy.Lambda(d, fn(d)), arg)
    return fn(arg)


def _unary(fn):
    return lambda args: _elementwise(fn, args[0])


def _log(args):
    if len(args) == 2:
        return sympy.log(args[0]) / sympy.log(args[1])
    return _elementwise(sympy.log, args[0])


def _max(args):
    return sympy.Max(*args)


def _min(args):
    return sympy.Min(*args)


def _transpose(args):
    return sympy.Transpose(args[0]) if isinstance(args[0], MatrixExpr) else args[0]


def _inverse(args):
    return sympy.Inverse(args[0]) if isinstance(args[0], MatrixExpr) else 1 / args[0]


def _hadamard(args):
    return sympy.HadamardProduct(*args)


def _eye(args):
    return sympy.Identity(args[0])


def _window_count(args):
    """conv_out(n, k, stride=1, pad=0, dilation=1): the number of positions p >= 0
    of a window of k taps, dilated by d, with p·stride + d·(k - 1) <= n + 2·pad - 1.
    That count is floor((n + 2·pad - d·(k - 1) - 1)/stride) + 1: the engine's one
    definition of a convolution's or pooling's output length."""
    n, k, stride, pad, dilation = (list(args) + [1, 0, 1][len(args) - 2:])[:5]
    return sympy.floor((n + 2 * pad - dilation * (k - 1) - 1) / stride) + 1


# name -> (allowed argument counts, builder).  Sum, Product and indicator are
# handled in the parser itself because their arguments are not plain values.
FUNCTIONS: dict[str, tuple[tuple, Callable]] = {
    "exp": ((1,), _unary(sympy.exp)),
    "log": ((1, 2), _log),
    "ln": ((1,), _unary(sympy.log)),
    "sqrt": ((1,), _unary(sympy.sqrt)),
    "tanh": ((1,), _unary(sympy.tanh)),
    "sinh": ((1,), _unary(sympy.sinh)),
    "cosh": ((1,), _unary(sympy.cosh)),
    "sin": ((1,), _unary(sympy.sin)),
    "cos": ((1,), _unary(sympy.cos)),
    "tan": ((1,), _unary(sympy.tan)),
    "sec": ((1,), _unary(sympy.sec)),
    "csc": ((1,), _unary(sympy.csc)),
    "cot": ((1,), _unary(sympy.cot)),
    "asin": ((1,), _unary(sympy.asin)),
    "acos": ((1,), _unary(sympy.acos)),
    "atan": ((1,), _unary(sympy.atan)),
    "asinh": ((1,), _unary(sympy.asinh)),
    "acosh": ((1,), _unary(sympy.acosh)),
    "atanh": ((1,), _unary(sympy.atanh)),
    "softplus": ((1,), _unary(lambda x: sympy.log(1 + sympy.exp(x)))),
    "abs": ((1,), _unary(sympy.Abs)),
    "Abs": ((1,), _unary(sympy.Abs)),
    "sign": ((1,), _unary(sympy.sign)),
    "floor": ((1,), _unary(sympy.floor)),
    "ceil": ((1,), _unary(sympy.ceiling)),
    "ceiling": ((1,), _unary(sympy.ceiling)),
    "max": ((2, 3, 4, 5, 6, 7, 8, 9), _max),
    "Max": ((2, 3, 4, 5, 6, 7, 8, 9), _max),
    "min": ((2, 3, 4, 5, 6, 7, 8, 9), _min),
    "Min": ((2, 3, 4, 5, 6, 7, 8, 9), _min),
    "sigmoid": ((1,), _unary(voc.sigmoid)),
    "sigma": ((1,), _unary(voc.sigmoid)),
    "relu": ((1,), _unary(voc.relu)),
    "heaviside": ((1,), _unary(lambda x: sympy.Heaviside(x))),
    "Heaviside": ((1,), _unary(lambda x: sympy.Heaviside(x))),
    "delta": ((2,), lambda a: sympy.KroneckerDelta(*a)),
    "KroneckerDelta": ((2,), lambda a: sympy.KroneckerDelta(*a)),
    "KL": ((2,), lambda a: voc.KL(*a)),
    "JSD": ((2,), lambda a: voc.JSD(*a)),
    "norm": ((1,), lambda a: voc.Norm(a[0])),
    "softmax": ((1,), lambda a: voc.Softmax(a[0])),
    "transpose": ((1,), _transpose),
    "inv": ((1,), _inverse),
    "hadamard": ((2, 3, 4), _hadamard),
    "odot": ((2, 3, 4), _hadamard),
    "trace": ((1,), lambda a: sympy.Trace(a[0])),
    "eye": ((1,), _eye),
    "ones": ((1, 2), lambda a: sympy.OneMatrix(a[0], a[1] if len(a) > 1 else 1)),
    "diag": ((1,), lambda a: sympy.matrices.expressions.diagonal.DiagMatrix(a[0])),
    "conv_out": ((2, 3, 4, 5), _window_count),
    "pool_out": ((2, 3), _window_count),
    "normal_logpdf": ((3,), lambda a: voc.normal_logpdf(*a)),
}
SPECIAL_FORMS = ("Sum", "sum", "Product", "prod", "indicator", "ExpectNormal", "vector_of", "matrix_of", "diff")
CONSTANTS = {"pi": sympy.pi, "E": sympy.E, "e": sympy.E, "oo": sympy.oo}

_COMPARE = {ast.Lt: sympy.StrictLessThan, ast.LtE: sympy.LessThan, ast.Gt: sympy.StrictGreaterThan,
            ast.GtE: sympy.GreaterThan, ast.Eq: sympy.Eq, ast.NotEq: sympy.Ne}

# Friendly spellings users type; mapped before tokenising.
_SPELLINGS = {"^": "**", "·": "*", "×": "*", "−": "-", "σ": "sigma"}


def _normalise(text: str) -> str:
    for old, new in _SPELLINGS.items():
        text = text.replace(old, new)
    return text


class _Reader:
    """Translates one ``ast`` tree into SymPy under a notation."""

    def __init__(self, notation: Notation, source: str, params: set | None = None):
        self.notation = notation
        self.source = source
        self.params = params or set()
        self.nodes = 0

    # -- errors -------------------------------------------------------------
    def fail(self, message: str, node: ast.AST | None = None):
        position = getattr(node, "col_offset", None) if node is not None else None
        raise ClaimError(message, position, self.source)

    def unknown_name(self, name: str, node: ast.AST):
        known = self.notation.names()
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        listing = ", ".join(known) if known else "(no symbols)"
        self.fail(f"unknown symbol {name!r}{hint} (this entry knows: {listing})", node)

    # -- dispatch -------------------------------------------------------------
    def read(self, node: ast.AST):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(f"the claim is too large (more than {MAX_NODES} syntax nodes)")
        method = getattr(self, "read_" + type(node).__name__, None)
        if method is None:
            self.fail(f"unsupported syntax ({_describe(node)})", node)
        try:
            return method(node)
        except ClaimError:
            raise
        except RecursionError:
            self.fail("the claim is nested too deeply", node)
        except (TypeError, ValueError, AttributeError, IndexError, NotImplementedError, sympy.ShapeError,
                sympy.matrices.exceptions.NonSquareMatrixError) as error:
            self.fail(f"cannot build this expression: {_in_words(error)}", node)

    def read_Expression(self, node):
        return self.read(node.body)

    def read_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(f"only numbers are allowed as literals, not {value!r}", node)
        if isinstance(value, int):
            return sympy.Integer(value)
        literal = ast.get_source_segment(self.source, node) or repr(value)
        _check_literal(literal, lambda message: self.fail(message, node))
        try:
            return sympy.Rational(literal.replace("_", ""))
        except (TypeError, ValueError):
            return sympy.Rational(repr(value))

    def read_Name(self, node):
        name = node.id
        if name in self.params:
            return sympy.Symbol(name)
        obj = self.notation.abstract(name)
        if obj is not None:
            definition = self.notation.definition(name)
            if definition is not None and definition.params:
                self.fail(f"{name!r} needs its index: write {name}[{', '.join(definition.params)}]", node)
            return obj
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in FUNCTIONS or name in SPECIAL_FORMS:
            self.fail(f"{name!r} is a function; call it as {name}(...)", node)
        self.unknown_name(name, node)

    def read_UnaryOp(self, node):
        operand = self.read(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return sympy.Not(operand)
        self.fail("unsupported operator", node)

    def read_BinOp(self, node):
        left, right = self.read(node.left), self.read(node.right)
        op = node.op
        if isinstance(op, (ast.Add, ast.Sub, ast.Div)):
            left, right = _scalar_context(left, right, op)
        if isinstance(op, ast.Add):
            return left + right
        if isinstance(op, ast.Sub):
            return left - right
        if isinstance(op, (ast.Mult, ast.MatMult)):
            return left * right
        if isinstance(op, ast.Div):
            if isinstance(right, MatrixExpr):
                self.fail("cannot divide by a matrix; multiply by inv(...) instead", node)
            return left / right
        if isinstance(op, ast.Pow):
            return self.power(left, right, node)
        if isinstance(op, ast.FloorDiv):
            return sympy.floor(left / right)
        if isinstance(op, ast.Mod):
            return sympy.Mod(left, right)
        self.fail(f"unsupported operator {type(op).__name__}", node)

    def power(self, base, exponent, node):
        if isinstance(exponent, MatrixExpr):
            self.fail("an exponent must be a number or a scalar expression, not a matrix", node)
        if exponent.is_Number and abs(exponent) > MAX_EXPONENT and not (base.is_Number and abs(base) == 1):
            if not (base.is_Number and _digits(base, exponent) <= MAX_DIGITS):
                self.fail(f"the exponent {_short(exponent)} is too large (at most {MAX_EXPONENT})", node)
        if isinstance(base, MatrixExpr):
            if exponent == -1:
                return sympy.Inverse(base)
            return sympy.MatPow(base, exponent)
        if base.is_Number and exponent.is_Number and _digits(base, exponent) > MAX_DIGITS:
            self.fail(f"the number {_short(base)}**{_short(exponent)} has over {MAX_DIGITS} digits", node)
        return sympy.Pow(base, exponent)

    def read_Compare(self, node):
        parts = [self.read(node.left)] + [self.read(c) for c in node.comparators]
        relations = []
        for op, a, b in zip(node.ops, parts, parts[1:]):
            cls = _COMPARE.get(type(op))
            if cls is None:
                self.fail("unsupported comparison", node)
            if isinstance(a, MatrixExpr) or isinstance(b, MatrixExpr):
                self.fail("compare matrices entrywise inside indicator(...), e.g. indicator(X > 0)", node)
            relations.append(cls(a, b, evaluate=False))
        return relations[0] if len(relations) == 1 else sympy.And(*relations)

    def read_BoolOp(self, node):  # x > 0 and y < 1: conditions only
        word = "and" if isinstance(node.op, ast.And) else "or"
        values = []
        for value, child in zip((self.read(v) for v in node.values), node.values):
            if not isinstance(value, (sympy.logic.boolalg.Boolean, sympy.core.relational.Relational)):
                self.fail(f"'{word}' joins conditions such as x > 0; {ast.unparse(child)[:40]!r} is not a "
                          f"condition", child)
            values.append(value)
        return sympy.And(*values) if word == "and" else sympy.Or(*values)

    def read_IfExp(self, node):
        return sympy.Piecewise((self.read(node.body), self.read(node.test)), (self.read(node.orelse), True))

    def read_Tuple(self, node):
        if not node.elts:
            self.fail("an empty list (); write the values, e.g. (1, 10368)", node)
        return sympy.Tuple(*(self.read(e) for e in node.elts))

    def read_Attribute(self, node):
        if node.attr != "T":
            self.fail(f"attribute .{node.attr} is not allowed (only .T, the transpose)", node)
        value = self.read(node.value)
        return sympy.Transpose(value) if isinstance(value, MatrixExpr) else value

    def read_Subscript(self, node):
        if not isinstance(node.value, ast.Name):
            self.fail("only a declared symbol can be indexed, e.g. X[i]", node)
        name = node.value.id
        decl = self.notation.variable(name) or self.notation.definition(name)
        if decl is None:
            self.unknown_name(name, node.value)
        index_nodes = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        indices = [self.read(i) for i in index_nodes]
        wanted = _index_count(decl)
        if len(indices) not in wanted:
            self.fail(f"{name} takes {' or '.join(map(str, sorted(wanted)))} index(es), not {len(indices)}", node)
        return sympy.Indexed(sympy.IndexedBase(name), *indices)

    def read_Call(self, node):
        if not isinstance(node.func, ast.Name):
            # (x-1)(x+1): a product written by juxtaposition, as in LaTeX
            self.fail("only named functions can be called, e.g. exp(x); a product needs '*' in the text "
                      "syntax, (x-1)*(x+1), or pass --latex to read LaTeX", node)
        name = node.func.id
        if node.keywords:
            self.fail(f"{name}() takes no keyword arguments", node)
        if self.notation.abstract(name) is not None:
            self.fail(f"{name!r} is a symbol of this entry, not a function", node)
        if name in ("Sum", "sum", "Product", "prod"):
            return self.read_sum(node, sympy.Product if name in ("Product", "prod") else sympy.Sum)
        if name == "indicator":
            return self.read_indicator(node)
        if name == "diff":
            return self.read_diff(node)
        if name == "ExpectNormal":
            return self.read_expectation(node)
        if name in ("vector_of", "matrix_of"):
            return self.read_comprehension(node, name)
        if name not in FUNCTIONS:
            close = difflib.get_close_matches(name, list(FUNCTIONS) + list(SPECIAL_FORMS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.fail(f"unknown function {name!r}{hint} Known functions: {', '.join(sorted(FUNCTIONS))}, "
                      f"Sum, Product, indicator", node)
        arities, build = FUNCTIONS[name]
        if len(node.args) not in arities:
            self.fail(f"{name}() takes {' or '.join(map(str, arities))} argument(s), not {len(node.args)}", node)
        return build([self.read(a) for a in node.args])

    def read_sum(self, node, cls):
        if len(node.args) < 2:
            self.fail(f"{node.func.id}(expr, (j, low, high)) needs a summand and at least one index", node)
        limits = [self.read_limit(a) for a in node.args[1:]]
        return cls(self.read_bound(node.args[0], [l[0] for l in limits]), *limits)

    def read_bound(self, body, variables):
        """Read a body in which these index variables are bound (declared or not)."""
        undeclared = {v.name for v in variables if self.notation.index(v.name) is None}
        saved = self.params
        self.params = self.params | undeclared
        try:
            expr = self.read(body)
        finally:
            self.params = saved
        return expr.xreplace({sympy.Symbol(n): sympy.Symbol(n, integer=True) for n in undeclared})

    def read_comprehension(self, node, name):
        """vector_of(expr, i) is the column (expr at i = low..high); matrix_of(expr, i, j)
        the matrix; each index is declared, or given as (i, low, high)."""
        want = 2 if name == "vector_of" else 3
        if len(node.args) != want:
            self.fail(f"{name}(expr, {'i' if want == 2 else 'i, j'}) takes {want} arguments", node)
        limits = [self.read_limit(a) for a in node.args[1:]]
        body = self.read_bound(node.args[0], [l[0] for l in limits])
        dims = [high - low + 1 for _, low, high in limits]
        variables = [v for v, _, _ in limits]
        if want == 2:
            i = sympy.Dummy("i", integer=True)
            j = sympy.Dummy("j", integer=True)
            shifted = body.xreplace({variables[0]: i + limits[0][1]})
            return sympy.FunctionMatrix(dims[0], 1, sympy.Lambda((i, j), shifted))
        i, j = sympy.Dummy("i", integer=True), sympy.Dummy("j", integer=True)
        shifted = body.xreplace({variables[0]: i + limits[0][1], variables[1]: j + limits[1][1]})
        return sympy.FunctionMatrix(dims[0], dims[1], sympy.Lambda((i, j), shifted))

    def read_limit(self, node):
        if isinstance(node, ast.Name):
            index = self.notation.index(node.id)
            if index is None:
                self.fail(f"{node.id!r} is not a declared index; write ({node.id}, low, high)", node)
            low, high = self.notation.bounds(node.id)
            return (index.symbol, low, high)
        if isinstance(node, ast.Tuple) and len(node.elts) == 3 and isinstance(node.elts[0], ast.Name):
            name = node.elts[0].id
            index = self.notation.index(name)
            symbol = index.symbol if index else sympy.Symbol(name, integer=True)
            return (symbol, self.read(node.elts[1]), self.read(node.elts[2]))
        self.fail("a summation index is written j or (j, low, high)", node)

    def read_expectation(self, node):
        """ExpectNormal(f(z), (z, mean, std)): z is bound, like a summation index."""
        if len(node.args) != 2 or not isinstance(node.args[1], ast.Tuple) or len(node.args[1].elts) != 3 \
                or not isinstance(node.args[1].elts[0], ast.Name):
            self.fail("write ExpectNormal(f(z), (z, mean, std))", node)
        z = sympy.Symbol(node.args[1].elts[0].id, real=True)
        self.params = self.params | {z.name}
        body = self.read(node.args[0]).xreplace({sympy.Symbol(z.name): z})
        self.params = self.params - {z.name}
        mean, std = (self.read(e) for e in node.args[1].elts[1:])
        return voc.NormalExpectation(body, z, mean, std)

    def read_diff(self, node):
        """diff(f, x) or diff(f, x, k): kept unevaluated, so that a reader can
        still ask where f itself is defined (d/dx log x does not exist at x < 0)."""
        args = node.args
        if len(args) not in (2, 3) or not isinstance(args[1], ast.Name):
            self.fail("write diff(f, x) or diff(f, x, 2): a variable, then optionally the order", node)
        variable = self.read(args[1])
        if not isinstance(variable, sympy.Symbol):
            self.fail(f"diff(f, {args[1].id}) needs a variable, not a constant", node)
        order = 1
        if len(args) == 3:
            if not (isinstance(args[2], ast.Constant) and type(args[2].value) is int and 1 <= args[2].value <= 10):
                self.fail("the order of diff(f, x, k) is a whole number from 1 to 10", node)
            order = args[2].value
        return sympy.Derivative(self.read(args[0]), (variable, order), evaluate=False)

    def read_indicator(self, node):
        if len(node.args) != 1:
            self.fail("indicator() takes one condition, e.g. indicator(x > 0)", node)
        cond = node.args[0]
        if isinstance(cond, ast.Compare) and len(cond.ops) == 1:
            left, right = self.read(cond.left), self.read(cond.comparators[0])
            cls = _COMPARE.get(type(cond.ops[0]))
            if isinstance(left, MatrixExpr) and not isinstance(right, MatrixExpr):
                return _elementwise(lambda d: voc.indicator(cls(d, right)), left)
        return voc.indicator(self.read(cond))


def _digits(base, exponent) -> float:
    """About how many digits base**exponent takes to write exactly (numerator
    and denominator both count: 0.3**(10**9) is as large as 3**(10**9))."""
    if base == 0 or abs(base) == 1:
        return 1.0
    p, q = sympy.fraction(sympy.nsimplify(base) if not base.is_Rational else base)
    size = math.log10(abs(int(p))) + math.log10(abs(int(q))) if p and q else 0.0
    return abs(float(exponent)) * max(size, 1e-3)


def _short(number) -> str:
    text = str(number)
    return text if len(text) <= 24 else f"{text[:10]}...({len(text)} digits)"


def _check_literal(literal: str, fail) -> None:
    """Refuse a number literal whose exact value would be huge, before building it."""
    mantissa, _, exponent = literal.lower().replace("_", "").partition("e")
    digits = len(mantissa.replace(".", "").lstrip("0"))
    try:
        scale = abs(int(exponent)) if exponent else 0
    except ValueError:
        return
    if digits + scale > MAX_DIGITS:
        fail(f"the number {_short(literal)} is too large to write exactly (over {MAX_DIGITS} digits)")


def _only_entry(matrix):
    """The entry of a 1×1 matrix expression, built without asking the
    expression to index itself (softmax and some products cannot)."""
    from sympy.matrices.expressions.matexpr import MatrixElement

    return MatrixElement(matrix, sympy.Integer(0), sympy.Integer(0))


def _is_1x1(expr) -> bool:
    return isinstance(expr, MatrixExpr) and expr.shape == (1, 1)


def _scalar_context(left, right, op=None):
    """A 1×1 matrix (wᵀHw) next to a scalar is read as its single entry; any
    other matrix plus or minus a scalar adds the scalar to every entry, as in
    1 − c[t] (the scalar times a matrix of ones of the same shape)."""
    if _is_1x1(left) and not isinstance(right, MatrixExpr):
        left = _only_entry(left)
    if _is_1x1(right) and not isinstance(left, MatrixExpr):
        right = _only_entry(right)
    if isinstance(op, (ast.Add, ast.Sub)):
        if isinstance(left, MatrixExpr) and not isinstance(right, MatrixExpr):
            right = right * sympy.OneMatrix(*left.shape)
        elif isinstance(right, MatrixExpr) and not isinstance(left, MatrixExpr):
            left = left * sympy.OneMatrix(*right.shape)
    return left, right


def _index_count(decl) -> set:
    from symcheck.notation import Definition, Variable

    if isinstance(decl, Definition):
        return {len(decl.params)} if decl.params else {len(decl.shape)} if decl.is_matrix else {0}
    if isinstance(decl, Variable):
        return {1} if decl.kind == "vector" else {len(decl.shape)}
    return {0}


def _describe(node: ast.AST) -> str:
    kinds = {"Lambda": "lambda", "ListComp": "comprehension", "GeneratorExp": "generator", "Dict": "dict",
             "Set": "set", "List": "list (use a tuple)", "Starred": "*args", "NamedExpr": ":=", "JoinedStr": "f-string",
             "Await": "await", "Yield": "yield"}
    return kinds.get(type(node).__name__, type(node).__name__)


# SymPy's words for what went wrong, in the user's terms
_WORDS = (("noncommutative scalars in MatMul are not supported", "a matrix used where a number is needed"),
          ("MatMul", "matrix product"), ("MatAdd", "matrix sum"), ("MatPow", "matrix power"),
          ("HadamardProduct", "Hadamard product"), ("MatrixSymbol", "matrix"), ("MatrixExpr", "matrix"),
          ("Mul", "product"), ("Add", "sum"), ("Pow", "power"), ("Symbol", "symbol"))


def _in_words(error: Exception) -> str:
    text = _one_line(error)
    for internal, plain in _WORDS:
        text = text.replace(internal, plain)
    if "<class" in text or "object has no attribute" in text or "'" in text and "object" in text:
        return "these operands cannot be combined this way (check the shapes and the operators)"
    return text


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _strip_lhs(text: str) -> str:
    """Drop a leading ``name =`` (but not ``==``, ``<=``, ``>=``)."""
    depth = 0
    for k, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "=" and depth == 0:
            before, after = text[k - 1] if k else "", text[k + 1] if k + 1 < len(text) else ""
            if before not in "<>=!" and after != "=":
                return text[k + 1:]
    return text


def _tokenise(text: str, mode: str = "eval") -> ast.AST:
    try:
        with warnings.catch_warnings():  # Python's warnings about its own literals ('1if') are not ours to print
            warnings.simplefilter("ignore", SyntaxWarning)
            return ast.parse(text, mode=mode)
    except SyntaxError as error:
        col = (error.offset - 1) if error.offset else None
        raise ClaimError(_syntax_message(error.msg or "", text, col), col, text) from None
    except ValueError as error:
        if "digits" in str(error):  # Python's own limit on int literals
            raise ClaimError(f"a number in the claim has too many digits (at most {MAX_DIGITS})", None, text) from None
        raise ClaimError(f"cannot read the claim: {_one_line(error)}", None, text) from None
    except (MemoryError, RecursionError):
        raise ClaimError("the claim is nested too deeply to read", None, text) from None


def _syntax_message(python: str, text: str, col: int | None) -> str:
    """Python's parser's complaint in the words of the text syntax (its own wording is
    about Python: 'line continuation character', 'Perhaps you forgot a comma?')."""
    at = text[col] if col is not None and 0 <= col < len(text) else ""
    if "\\" in text and ("continuation" in python or at == "\\"):
        return "a backslash is LaTeX: pass --latex to read LaTeX, or write the text syntax (e.g. sigma(x))"
    if "never closed" in python:
        return f"syntax error: {python.split(' was ')[0]} is never closed"
    if "unmatched" in python or "does not match" in python:
        return f"syntax error: {python}"
    if "invalid character" in python or "invalid non-printable" in python or (at and at in "$@?`"):
        return f"syntax error: the character {at!r} is not part of the text syntax"
    return ("syntax error: this is not an expression of the text syntax here (it reads a*b + c, x**2, "
            "sigma(x), Sum(x[i], i), 'a if x > 0 else b')")


def _check_size(text: str, what: str) -> None:
    if not text.strip():
        raise ClaimError(f"the {what} is empty")
    if len(text) > MAX_CLAIM_CHARS:
        raise ClaimError(f"the {what} is too long ({len(text)} characters; at most {MAX_CLAIM_CHARS})")


def parse_claim(text: str, notation: Notation, *, what: str = "claim", params=()):
    """Read a claim written in the text syntax into a SymPy expression.

    A leading ``name =`` is dropped.  Raises :class:`ClaimError` with the column
    of the offending token.
    """
    if not isinstance(text, str):
        raise ClaimError(f"the {what} must be text")
    _check_size(text, what)
    body = _normalise(_strip_lhs(text)).strip()
    tree = _tokenise(body)
    return require_real(_Reader(notation, body, set(params)).read(tree))


def not_real(value) -> str | None:
    """Why a value built from a claim's numbers is not a real number (√−1, 1/0),
    else None: every quantity symcheck checks is real (both syntaxes ask this)."""
    if not isinstance(value, sympy.Basic) or isinstance(value, sympy.logic.boolalg.BooleanAtom):
        return None
    if value.has(sympy.zoo) or _infinite_outside_limits(value):
        return "this part of the claim divides by zero"
    if value.has(sympy.nan):
        return "this part of the claim is undefined (0/0)"
    if value.has(sympy.I):
        return "the claim is not a real number"
    return None


def _infinite_outside_limits(value) -> bool:
    """oo anywhere but as the bound of a sum or product (Sum(1/k**2, (k, 1, oo)) is real)."""
    if value in (sympy.oo, -sympy.oo):
        return True
    if isinstance(value, (sympy.Sum, sympy.Product)):
        return _infinite_outside_limits(value.function)
    return any(_infinite_outside_limits(a) for a in value.args)


def require_real(expr):
    """Refuse a claim whose constants already leave the real numbers."""
    wrong = not_real(expr)
    if wrong is not None:
        raise ClaimError(f"{wrong}; write a real expression")
    return expr


def parse_assignments(text: str, notation: Notation, names: list[str], *, what: str = "claim",
                      optional: tuple = ()) -> dict:
    """Read ``w1 = -1, w2 = 1, b2 = 0.5`` into {name: value}; every name in
    ``names`` must be given once (those in ``optional`` at most once) and
    nothing else."""
    _check_size(text, what)
    body = _normalise(text).strip().replace(";", ",")
    tree = _tokenise(f"_({body})")
    call = tree.body
    if not isinstance(call, ast.Call) or call.args or not call.keywords:
        raise ClaimError(f"write the {what} as name = value pairs: " + ", ".join(f"{n} = ..." for n in names))
    reader = _Reader(notation, f"_({body})")
    values = {}
    for kw in call.keywords:
        if kw.arg is None or kw.arg not in names:
            raise ClaimError(f"unknown parameter {kw.arg!r}; this entry expects {', '.join(names)}",
                             kw.value.col_offset - 2, body)
        values[kw.arg] = reader.read(kw.value)
    missing = [n for n in names if n not in values and n not in optional]
    if missing:
        raise ClaimError(f"missing parameter(s) {', '.join(missing)}; this entry expects {', '.join(names)}")
    return values
