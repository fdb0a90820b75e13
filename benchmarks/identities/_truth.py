"""The corpus's independent truth: both sides evaluated with mpmath at 50 digits
at random real points, never with SymPy or symcheck.

Text is read with ``ast`` and walked over a whitelist of node types and names;
nothing is evaluated as Python.  The vocabulary (README.md) maps to mpmath:

    + - * / **, sqrt exp log sin cos tan asin acos atan sinh cosh tanh asinh
    acosh atanh abs floor ceiling Min Max sigmoid relu softplus, pi E oo,
    diff(expr, x[, order]), Sum(expr, (k, a, b)), Product(expr, (k, a, b))

Semantics (real-variable, as on a textbook page):

* A value is *defined* when every intermediate result is a finite real
  number: sqrt(-1), log(0), 1/0, (-8)**(1/3) and asin(2) are undefined.
* Two expressions are *equal on a domain* when at every sampled point of it
  where either side is defined, both are defined and agree to 1e-25 relative.
  So ``log(a*b)`` vs ``log(a) + log(b)`` is refuted at a = b = -1, where only
  the left side is real.
* Sampled points start with special values (0, ±1/2, ±1, ±2, ±3) so that a
  removable singularity there, as in (x**2-1)/(x-1) at x = 1, is seen; then
  random draws at several scales.  Draws are seeded by the item's text, so a
  verdict is reproducible.
"""
from __future__ import annotations

import ast
import hashlib
import random
from dataclasses import dataclass

import mpmath as mp

DPS = 50
RTOL = mp.mpf(10) ** -25
HUGE = mp.mpf(10) ** 40    # beyond this at 50 digits a value is a pole hit (tan at a rounded pi/2)
MAX_TERMS = 5000          # a finite Sum/Product longer than this is refused
SPECIAL = (0, 1, -1, 2, -2, 0.5, -0.5, 3, -3)


class Undefined(Exception):
    """The expression has no real value at this point."""


class Malformed(ValueError):
    """The text uses something outside the vocabulary."""


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


def _softplus(x):
    return mp.log(1 + mp.exp(x))


FUNCS = {
    "sqrt": mp.sqrt, "exp": mp.exp, "sin": mp.sin, "cos": mp.cos, "tan": mp.tan,
    "asin": mp.asin, "acos": mp.acos, "atan": mp.atan, "sinh": mp.sinh,
    "cosh": mp.cosh, "tanh": mp.tanh, "asinh": mp.asinh, "acosh": mp.acosh,
    "atanh": mp.atanh, "abs": mp.fabs, "Abs": mp.fabs, "floor": mp.floor,
    "ceiling": mp.ceil, "sigmoid": _sigmoid, "softplus": _softplus,
    "relu": lambda x: max(x, mp.mpf(0)),
    "Min": lambda *a: min(a), "Max": lambda *a: max(a),
    "log": lambda x, b=None: _real(mp.log(x)) if b is None else _real(mp.log(x)) / _real(mp.log(b)),
}
CONSTS = {"pi": lambda: +mp.pi, "E": lambda: mp.e}
BINDERS = ("diff", "Sum", "Product")
BINOPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
          ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b,
          ast.Pow: lambda a, b: a ** b}
CMPS = {ast.Lt: lambda a, b: a < b, ast.LtE: lambda a, b: a <= b,
        ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
        ast.NotEq: lambda a, b: a != b}


# -- reading -----------------------------------------------------------------------

def parse(text: str) -> ast.AST:
    """The expression's tree, after checking every node against the whitelist."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as exc:
        raise Malformed(f"cannot read {text!r}: {exc.msg}") from None
    _check(tree)
    return tree


def _check(node):
    if isinstance(node, ast.Constant):
        if type(node.value) not in (int, float):
            raise Malformed(f"constant {node.value!r}")
    elif isinstance(node, ast.Name):
        pass
    elif isinstance(node, ast.BinOp) and type(node.op) in BINOPS:
        _check(node.left), _check(node.right)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand)
    elif isinstance(node, ast.Tuple):
        for e in node.elts:
            _check(e)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        if node.func.id not in FUNCS and node.func.id not in BINDERS:
            raise Malformed(f"unknown function {node.func.id}")
        for a in node.args:
            _check(a)
    else:
        raise Malformed(f"{type(node).__name__} is not in the vocabulary")


def free_symbols(node, bound=frozenset()) -> set[str]:
    """Names a value must be given for; a Sum's index is bound, diff's variable is not."""
    if isinstance(node, ast.Name):
        known = node.id in CONSTS or node.id == "oo" or node.id in bound
        return set() if known else {node.id}
    if isinstance(node, ast.Call) and node.func.id in ("Sum", "Product"):
        body, (k, lo, hi) = node.args[0], node.args[1].elts
        return free_symbols(body, bound | {k.id}) | free_symbols(lo, bound) | free_symbols(hi, bound)
    children = node.args if isinstance(node, ast.Call) else ast.iter_child_nodes(node)
    out = set()                     # a call's function name is not a variable
    for child in children:
        if isinstance(child, ast.expr):
            out |= free_symbols(child, bound)
    return out


# -- evaluating --------------------------------------------------------------------

def _real(v):
    """v as a finite real, or Undefined: real-variable semantics."""
    if isinstance(v, mp.mpc):
        if v.imag != 0:
            raise Undefined
        v = v.real
    if not mp.isfinite(v) or abs(v) > HUGE:
        raise Undefined
    return v


def evaluate(node, env: dict):
    """The real value of the tree at the point ``env`` (name -> mpf)."""
    if isinstance(node, ast.Constant):
        return mp.mpf(repr(node.value)) if isinstance(node.value, float) else mp.mpf(node.value)
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        if node.id in CONSTS:
            return CONSTS[node.id]()
        raise Malformed(f"no value for {node.id}")
    if isinstance(node, ast.UnaryOp):
        v = evaluate(node.operand, env)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp):
        return _binop(node, env)
    if node.func.id == "diff":
        return _diff(node, env)
    if node.func.id in ("Sum", "Product"):
        return _series(node, env)
    args = [evaluate(a, env) for a in node.args]
    try:
        return _real(FUNCS[node.func.id](*args))
    except (ValueError, ZeroDivisionError):
        raise Undefined from None


def _binop(node, env):
    a, b = evaluate(node.left, env), evaluate(node.right, env)
    if isinstance(node.op, ast.Div) and b == 0:
        raise Undefined
    if isinstance(node.op, ast.Pow):
        if a == 0 and b < 0:
            raise Undefined
        if abs(b) > 10000:          # towers would take forever; not a real identity
            raise Undefined
    try:
        return _real(BINOPS[type(node.op)](a, b))
    except (ValueError, ZeroDivisionError):
        raise Undefined from None


def _diff(node, env):
    body, var = node.args[0], node.args[1]
    order = int(node.args[2].value) if len(node.args) > 2 else 1
    if not isinstance(var, ast.Name):
        raise Malformed("diff needs a variable")

    def f(t):
        return evaluate(body, {**env, var.id: t})
    # mpmath's diff raises the working precision itself; the value must be real
    return _real(mp.diff(f, env[var.id], order))


def _series(node, env):
    body, (k, lo, hi) = node.args[0], node.args[1].elts
    a = evaluate(lo, env)
    b = mp.inf if isinstance(hi, ast.Name) and hi.id == "oo" else evaluate(hi, env)
    if not mp.isint(a) or (b != mp.inf and not mp.isint(b)):
        raise Undefined
    if b != mp.inf and b < a - 1:
        raise Undefined      # SymPy's Karr convention is not a textbook reading
    if b != mp.inf and b - a + 1 > MAX_TERMS:
        raise Malformed("too many terms")

    def term(j):
        return evaluate(body, {**env, k.id: mp.mpf(j)})
    if node.func.id == "Sum":
        if b == mp.inf:
            return _real(mp.nsum(term, [a, mp.inf]))
        return mp.fsum(term(j) for j in range(int(a), int(b) + 1))
    if b == mp.inf:
        return _real(mp.nprod(term, [a, mp.inf]))
    return mp.fprod(term(j) for j in range(int(a), int(b) + 1))


def value(node, env):
    """The value, or None where the expression is undefined."""
    try:
        return evaluate(node, env)
    except Undefined:
        return None


# -- sampling ----------------------------------------------------------------------

def _conditions(assume):
    """(integer names, comparison trees) from strings like 'n integer', '0 < p < 1'."""
    ints, comps = set(), []
    for text in assume:
        words = text.split()
        if len(words) == 2 and words[1] == "integer":
            ints.add(words[0])
            continue
        try:
            tree = ast.parse(text, mode="eval").body
        except SyntaxError:
            raise Malformed(f"assumption {text!r}") from None
        if not isinstance(tree, ast.Compare) or not all(type(o) in CMPS for o in tree.ops):
            raise Malformed(f"assumption {text!r}")
        for side in [tree.left, *tree.comparators]:
            _check(side)
        comps.append(tree)
    return ints, comps


def _satisfied(comp, env):
    try:
        sides = [evaluate(s, env) for s in [comp.left, *comp.comparators]]
    except Undefined:
        return False
    return all(CMPS[type(op)](a, b) for op, a, b in zip(comp.ops, sides, sides[1:]))


def _draw(rng, i, j, integer, positive):
    if i < len(SPECIAL):                      # the special values come first
        v = SPECIAL[(i + 2 * j) % len(SPECIAL)]
        v = abs(v) if positive else v
        if integer:
            v = int(v) if v == int(v) else (2 if positive else -2)
        if positive and v == 0:
            v = 1 + j
        return mp.mpf(v)
    if integer:
        return mp.mpf(rng.randint(1, 15) if positive else rng.randint(-4, 15))
    scale = rng.choice((1, 3, 3, 3, 10, 30))
    v = rng.uniform(-scale, scale)
    return mp.mpf(abs(v) if positive else v)


def points(names, assume=(), positive=False, count=40, seed=0):
    """Up to ``count`` points (name -> mpf) that satisfy the assumptions."""
    ints, comps = _conditions(assume)
    rng = random.Random(seed)
    names = sorted(names)
    if not names:
        return [{}]
    out, i = [], 0
    while len(out) < count and i < 60 * count:
        env = {n: _draw(rng, i, j, n in ints, positive) for j, n in enumerate(names)}
        i += 1
        if all(_satisfied(c, env) for c in comps):
            out.append(env)
    return out


# -- deciding ----------------------------------------------------------------------

@dataclass
class Finding:
    holds: bool
    defined: int                 # points where both sides had a value
    counterexample: dict | None  # name -> value as a string


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def _related(a, b, rel, rhs_text):
    tol = RTOL * max(1, abs(a), abs(b))
    if rel == "=":
        return abs(a - b) <= tol
    if rel == "<=":
        return a <= b + tol
    if rel == ">=":
        return a >= b - tol
    if rel == "<":
        return a < b
    if rel == ">":
        return a > b
    if rel == "approx":          # rounds to the digits written: half a unit of the last one
        return abs(a - b) <= mp.mpf(5) * mp.mpf(10) ** -(_decimals(rhs_text) + 1) + tol
    raise Malformed(f"relation {rel!r}")


def _seed(*parts):
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16], 16)


def _assumed_names(assume):
    ints, comps = _conditions(assume)
    out = set(ints)
    for c in comps:
        for side in [c.left, *c.comparators]:
            out |= free_symbols(side)
    return out


def compare(lhs, rhs, rel="=", assume=(), positive=False, count=40) -> Finding:
    """Does ``lhs rel rhs`` hold at every sampled point where either side is defined?"""
    with mp.workdps(DPS):
        left, right = parse(lhs), parse(rhs)
        names = free_symbols(left) | free_symbols(right)
        names |= _assumed_names(assume)
        defined = 0
        pts = points(names, assume, positive, count, _seed(lhs, rhs, rel, assume, positive))
        for env in pts:
            a, b = value(left, env), value(right, env)
            if a is None and b is None:
                continue
            if a is None or b is None or not _related(a, b, rel, rhs):
                return Finding(False, defined, {k: mp.nstr(v, 12) for k, v in env.items()})
            defined += 1
        if defined < max(1, min(5, count // 8, len(pts))):
            raise Malformed(f"{lhs} {rel} {rhs}: defined at only {defined} sampled points")
        return Finding(True, defined, None)


def labels(lhs, rhs, assume=(), count=40) -> dict:
    """The stored labels of a pair, decided afresh."""
    pos = compare(lhs, rhs, "=", assume, True, count).holds
    # a counterexample at a positive point is one on the reals too
    reals = pos and compare(lhs, rhs, "=", assume, False, count).holds
    return {"true_on_reals": reals, "true_for_positive": pos,
            "needs_positivity": pos and not reals}


def first_wrong_step(lines, rels, assume=(), count=40):
    """The number (from 1) of the first step that fails, or None."""
    for k, (a, b, rel) in enumerate(zip(lines, lines[1:], rels), start=1):
        if not compare(a, b, rel, assume, False, count).holds:
            return k
    return None
