"""The Arithmetic rules of the transformer: sums, products, quotients and powers, and the guards on the
numbers they make."""
from __future__ import annotations

import sympy
from lark import Token, Tree
from sympy.matrices.expressions import MatrixExpr

from symcheck import vocabulary as voc
from symcheck.latex.keys import _derivative_part, _SCRIPTED, _starts_with_partial
from symcheck.latex.limits import (MAX_MATRIX_POWER, MAX_PRINTABLE_DIGITS, MAX_SYMBOLIC_POWER, _short, _too_large,
    _too_many_digits)
from symcheck.latex.values import _entry_of_1x1, _node_pos, _OpenSum, _Operator, _Partial, _pos, _Script
from symcheck.text_syntax import FUNCTIONS, MAX_DIGITS, _elementwise, _scalar_context


#: after an inline slash, a product written by juxtaposition reads two ways
_SLASH_THEN_JUXTAPOSED = ("'/{first} {then}' reads two ways, (…/{first})·{then} or …/({first} {then}): write "
                          "\\frac{{…}}{{…}} for the fraction, or parentheses around what is divided")

_DERIVATIVE_HINT = "; for a derivative write \\frac{dE}{dy} or \\partial E/\\partial y"


class Arithmetic:
    """Mixin of :class:`Builder`."""

    def number_guard(self, value, position=None):
        """A number too large to print is refused as soon as it appears."""
        if isinstance(value, sympy.Rational) and _too_many_digits(value):
            self.fail(f"a number in the claim is too large (over {MAX_PRINTABLE_DIGITS} digits)", position)
        return value

    def add(self, left, right, sign: int = 1, position=None):
        left, right = _scalar_context(left, right)
        # shapes that differ symbolically (n1×n1 + n1×n0) may agree at some sizes: whether the sum is
        # defined is judged at each size, where an ill-typed claim is refuted as text claims are
        if isinstance(left, MatrixExpr) != isinstance(right, MatrixExpr):
            # 1 - \sigma(z): a scalar and a vector combine entry by entry
            if isinstance(left, MatrixExpr):
                return _elementwise(lambda d: d + right if sign > 0 else d - right, left)
            return _elementwise(lambda d: left + d if sign > 0 else left - d, right)
        return self.number_guard(left + right if sign > 0 else left - right, position)

    def binop(self, op, left, right, position):
        kind = op.type if isinstance(op, Token) else "MULOP"
        if kind == "MULOP":
            return self.number_guard(left * right, position)
        if kind == "DIV":
            return self.divide(left, right, position)
        if kind in ("FLOORDIV", "MOD"):
            if isinstance(left, MatrixExpr) or isinstance(right, MatrixExpr):
                self.fail("// and \\% take numbers", position)
            return sympy.floor(left / right) if kind == "FLOORDIV" else sympy.Mod(left, right)
        if kind == "HADAMARD":
            return sympy.HadamardProduct(left, right)  # shapes judged at each size, as for a sum
        self.value(op)  # an operator like *_{full} that is not part of a declared symbol

    def divide(self, left, right, position):
        left, right = _scalar_context(left, right)
        if isinstance(right, MatrixExpr):
            self.fail("cannot divide by a matrix; multiply by its inverse (^{-1}) instead", position)
        return self.number_guard(left / right, position)

    def power(self, base, exponent, position):
        if isinstance(exponent, MatrixExpr):
            self.fail("an exponent must be a scalar", position)
        if isinstance(base, MatrixExpr):
            if exponent.is_Number and abs(exponent) > MAX_MATRIX_POWER:
                self.fail(f"a matrix power of {_short(exponent)}: powers of a matrix are read up to "
                          f"{MAX_MATRIX_POWER} (or a size of the entry, such as W^{{n}})", position)
            if exponent == -1:
                return sympy.Inverse(base)
            return sympy.MatPow(base, exponent)
        if not base.is_Number and exponent.is_Number and abs(exponent) > MAX_SYMBOLIC_POWER:
            self.fail(f"a power of {_short(exponent)}: powers of an expression are read up to {MAX_SYMBOLIC_POWER}",
                      position)
        if base.is_Number and exponent.is_Number and _too_large(base, exponent):
            self.fail(f"the number {_short(base)}^{_short(exponent)} is too large: a number may have at most "
                      f"{MAX_DIGITS} digits",
                      position)
        return self.number_guard(sympy.Pow(base, exponent), position)

    def number(self, meta, ch):  # 3.5
        text = str(ch[0])  # a number is a number, never a symbol whose LaTeX happens to be these digits
        if len(text) > MAX_PRINTABLE_DIGITS:
            self.fail(f"the number has too many digits (at most {MAX_PRINTABLE_DIGITS})", _pos(meta))
        return sympy.Integer(text) if text.isdigit() else sympy.Rational(text)

    # -- sums and products ---------------------------------------------------------------
    def expr(self, meta, ch):  # a + b - c
        if len(ch) == 1:
            return ch[0]  # placeholders (∂E, a list, an open sum) are judged by whoever uses them
        terms = [(1, ch[0])] + [(1 if op.type == "PLUS" else -1, t) for op, t in zip(ch[1::2], ch[2::2])]
        merged = []
        for sign, term in terms:
            if merged and isinstance(merged[-1][1], _OpenSum) \
                    and merged[-1][1].absorb(sign, self.value(term, _pos(meta)), self):
                continue
            merged.append((sign, term))
        acc = None
        for sign, term in merged:
            value = self.value(term, _pos(meta))
            acc = value if acc is None else self.add(acc, value, sign, _pos(meta))
        return acc

    def neg(self, meta, ch):  # -a
        found = self.lookup(self.key(meta.node))  # a declared symbol spelt with its sign: -D_{KL}(q\|p)
        if found is not None:
            return found
        inner = ch[1]
        if isinstance(inner, _OpenSum):
            return inner.wrapped(lambda s: -s)
        return -self.value(inner, _pos(meta))

    def pos(self, meta, ch):  # +a
        return ch[1]

    def mulchain(self, meta, ch):  # a b \cdot c / d
        items = list(zip(ch, meta.node.children))
        items = self._derivatives(items)
        items = self._products(items)
        items = self._brackets(items)
        return self.product(items, meta)

    def product(self, items, meta):
        acc, op, divided = None, None, None
        for k, (item, node) in enumerate(items):
            if isinstance(item, Token) or (isinstance(item, Tree) and item.data == "opsub"):
                op = item
                continue
            if op is None and divided is not None:  # a/2b: (a/2)b or a/(2b)?  Nothing is guessed
                hint = _DERIVATIVE_HINT if divided == "d" else ""  # dE/dy: a derivative, written inline
                self.fail(_SLASH_THEN_JUXTAPOSED.format(first=divided, then=self.key(node)) + hint,
                          _node_pos(node, _pos(meta)))
            divided = divided if op is None else (self.key(node) if isinstance(op, Token) and op.type == "DIV"
                                                  else None)
            applied = isinstance(item, _Operator) and k + 1 < len(items)
            if applied:
                item = self.apply(item, self.product(items[k + 1:], meta))  # d/dx of the rest of the product
            if isinstance(item, _OpenSum):
                if acc is None:
                    return item
                return item.wrapped(lambda s, a=acc, o=op, p=_pos(meta): self.binop(o, a, s, p))
            value = self.value(item, _node_pos(node, _pos(meta)))
            acc = value if acc is None else self.binop(op, acc, value, _node_pos(node, _pos(meta)))
            op = None
            if applied:
                break
        return acc

    def _derivatives(self, items):
        """∂E/∂y written with a slash: the declared derivative."""
        out = []
        k = 0
        while k < len(items):
            if k + 2 < len(items) and isinstance(items[k][0], _Partial) and isinstance(items[k + 1][0], Token) \
                    and items[k + 1][0].type == "DIV" and isinstance(items[k + 2][0], _Partial):
                num, den = items[k][1], items[k + 2][1]
                out.append((self.derivative(num, den, num.meta), num))
                k += 3
                continue
            out.append(items[k])
            k += 1
        return out

    def _products(self, items):
        """Declared symbols spelt as several factors: x[t], W_{f,c} *_{full} \\frac{..}{..}."""
        if not self.table.products:
            return items
        out = []
        k = 0
        while k < len(items):
            found = None
            for j in range(min(len(items), k + self.table.longest), k + 1, -1):
                run = [node for _, node in items[k:j]]
                if isinstance(items[j - 1][0], Token) or isinstance(items[k][0], Token):
                    continue
                match = self._product(run)
                if match is not None:
                    found = match, j
                    break
            if found:
                out.append((found[0], items[k][1]))
                k = found[1]
            else:
                out.append(items[k])
                k += 1
        return out

    def _product(self, run):
        key = " ".join(self.key(node) for node in run)
        if self.table.is_product(key):
            return self.lookup(key)
        last = run[-1]
        if isinstance(last, Tree) and last.data in _SCRIPTED:  # x[t]^T: the symbol x[t], transposed
            key = " ".join([self.key(node) for node in run[:-1]] + [self.key(last.children[0])])
            if self.table.is_product(key):
                scripts = [self.transform(s) for s in last.children[1:]]
                return self.post(self.lookup(key), scripts, last.meta)
        return None

    def _brackets(self, items):
        """X[i, j] after a declared vector, matrix or tensor: its entry."""
        out = []
        for item, node in items:
            if out and not isinstance(out[-1][0], Token) and isinstance(node, Tree):
                base = node.children[0] if node.data in _SCRIPTED else node
                if isinstance(base, Tree) and base.data == "bracket" and self.decl_name(out[-1][0]) is not None:
                    inner = self.transform(base.children[0])
                    script = _Script("sub", inner, base.children[0], _node_pos(base))
                    entry = self.index(out[-1][0], script, node.meta)
                    if node.data in _SCRIPTED:
                        entry = self.post(entry, [self.transform(s) for s in node.children[1:]], node.meta)
                    out[-1] = (entry, out[-1][1])
                    continue
            out.append((item, node))
        return out

    def abs(self, meta, ch):  # |x|
        found = self.lookup(self.key(meta.node))  # a declared symbol spelt with bars: |V|, the vocabulary size
        if found is not None:
            return found
        return FUNCTIONS["abs"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def norm(self, meta, ch):  # \|x\|
        found = self.lookup(self.key(meta.node))
        if found is not None:
            return found
        return voc.Norm(self.value(ch[0], _pos(meta)))

    def floor(self, meta, ch):  # \lfloor x \rfloor
        return FUNCTIONS["floor"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def ceil(self, meta, ch):  # \lceil x \rceil
        return FUNCTIONS["ceil"][1]([_entry_of_1x1(self.value(ch[0], _pos(meta)))])

    def sqrt(self, meta, ch):  # \sqrt[n]{x}
        arg = _entry_of_1x1(self.value(ch[-1], _pos(meta)))
        if len(ch) == 3:
            degree = self.value(ch[1], _pos(meta))
            if isinstance(arg, MatrixExpr):
                return _elementwise(lambda d: d ** (1 / degree), arg)
            return self.power(arg, 1 / degree, _pos(meta))
        return FUNCTIONS["sqrt"][1]([arg])

    def frac(self, meta, ch):  # \frac{a}{b}
        nodes = meta.node.children
        found = self.lookup(self.key(meta.node))
        if found is not None:
            return found
        operator = self.operator(nodes[1], nodes[2], meta)  # \frac{d}{dx}: nothing declared is spelt so
        if operator is not None:
            return operator
        if _derivative_part(nodes[1]) is not None and _derivative_part(nodes[2]) is not None:
            return self.derivative(nodes[1], nodes[2], meta)
        if _starts_with_partial(nodes[1]) or _starts_with_partial(nodes[2]):
            self.unknown(self.snippet("∂", _pos(meta), getattr(meta, "end_pos", None)), _pos(meta))
        return self.divide(self.value(ch[1], _pos(meta)), self.value(ch[2], _pos(meta)), _pos(meta))
