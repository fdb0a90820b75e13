r"""The Derivatives rules of the transformer: \frac{d}{dx} f, \frac{\partial}{\partial x} f,
\frac{df}{dx}, \nabla_x f and primes (\sigma'(x), \tanh'(x)), each a true derivative that SymPy
computes on the built expression, so the engine proves and the oracle samples it like any claim.

A declared symbol always wins: an entry's upstream gradient \frac{\partial E}{\partial y} stays that
symbol; only a spelling that names nothing declared is an operator.  Derivatives are taken with
respect to a declared scalar variable, definitions expanded first (y = x^2 depends on x).
"""
from __future__ import annotations

import sympy
from sympy.core.parameters import global_parameters
from lark import Token, Tree

from symcheck.latex.keys import _derivative_part, _script_key, _SCRIPTED, _strip
from symcheck.latex.values import _BUILD_ERRORS, _entry_of_1x1, _Operator, _Partial, _pos
from symcheck.text_syntax import _elementwise, parse_claim


MAX_ORDER = 3
MAX_DEFINITION_DEPTH = 20
# functions of one argument whose primes are read: the text syntax's names
DIFFERENTIABLE = {"sigmoid", "tanh", "exp", "log", "ln", "sinh", "cosh", "sin", "cos", "relu", "sqrt", "sech",
                  "csch", "coth"}


class Derivatives:
    """Mixin of :class:`Builder`."""

    def partial(self, meta, ch):  # \partial E
        return _Partial(_pos(meta))

    def operator(self, num, den, meta):
        r"""\frac{d}{dx}, \frac{\partial}{\partial x}, \frac{d^2}{dx^2}: the operator, or None when the
        fraction is not one."""
        order, part = _operator_order(num), _derivative_part(den)
        if order is None or part is None or part[0]:
            return None
        var = part[1]
        if order > 1:
            var = _power_stripped(var, order)
            if var is None:
                self.fail(f"write a derivative of order {order} as \\frac{{d^{order}}}{{dx^{order}}}", _pos(meta))
        return _Operator(self.variable(var), order, self.shown(meta), _pos(meta))

    def nabla(self, sub, meta):
        r"""\nabla_x: the derivative with respect to x."""
        return _Operator(self.variable(sub.tree), 1, self.shown(meta), _pos(meta))

    def derivative(self, num, den, meta):
        r"""\frac{\partial L}{\partial Y_i}: the declared \frac{\partial L}{\partial Y} at index i;
        otherwise \frac{df}{dx}, the derivative of the expression f."""
        found = self.lookup(self.key.derivative(num, den))
        if found is not None:
            return found
        num_power, num_var = _derivative_part(num)
        power, var = _derivative_part(den)
        indexed = self.declared_at_index(num_power, num_var, power, var, meta)
        if indexed is not None:
            return indexed
        shown = self.shown(meta)
        order = _integer(num_power[0]) if len(num_power) == 1 else (None if num_power else 1)
        if order is not None and order > 1:
            var = _power_stripped(var, order)  # \frac{\partial^2 f}{\partial x^2}
        if order is None or power or var is None:
            self.fail(r"write a derivative of order n as \frac{\partial^n f}{\partial x^n}", _pos(meta))
        value = self.transform(num_var)
        if not isinstance(value, sympy.Basic) or any(self.is_marker(s) for s in value.free_symbols):
            self.unknown(shown, _pos(meta))
        return self.differentiate(value, _Operator(self.variable(var), order, shown, _pos(meta)))

    def declared_at_index(self, num_power, num_var, power, var, meta):
        r"""\frac{\partial L}{\partial Y_i} where \frac{\partial L}{\partial Y} is a declared vector."""
        if not (isinstance(var, Tree) and var.data in _SCRIPTED):
            return None
        scripts = var.children[1:]
        subs = [s for s in scripts if s.data == "sub"]
        if len(subs) != 1:
            return None
        rest = [s for s in scripts if s.data != "sub"]
        sub = self.transform(subs[0])
        for prefix, index in self.sub_splits(sub):
            variable = _script_key(self.key(var.children[0]), prefix, self.key.scripts(rest)[1])
            key = r"\frac{%s}{%s}" % (self.key.partial(num_power, num_var),
                                     r"\partial" + "".join("^{%s}" % self.key(p) for p in power) + " " + variable)
            name = self.table.name(key)
            if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                return self.index(self.notation.abstract(name), index, meta)
        return None

    def variable(self, node):
        """The declared scalar variable a derivative is taken with respect to."""
        value = self.transform(node)
        position = getattr(getattr(node, "meta", None), "start_pos", None)
        shown = self.snippet(self.key(node), position, getattr(getattr(node, "meta", None), "end_pos", None))
        if isinstance(value, sympy.Symbol) and self.is_marker(value):
            self.unknown(shown, position)
        name = self.decl_name(value) or (value.name if isinstance(value, sympy.Symbol) else None)
        decl = self.notation.variable(name) if name else None
        scalars = ", ".join(v.latex for v in self.notation.variables if v.kind == "scalar") or "none"
        if decl is not None and decl.kind != "scalar":
            self.fail(f"{shown} is a {decl.kind}: a derivative here is taken with respect to a scalar variable "
                      f"({scalars}); for a gradient write the entry's symbol for it, or differentiate "
                      f"entry by entry", position)
        if decl is None:
            self.fail(f"a derivative must be taken with respect to a scalar variable of the entry ({scalars}), "
                      f"not {shown}", position)
        return value

    def apply(self, operator: _Operator, operand):
        r"""\frac{d}{dx} applied to the rest of its product."""
        return self.differentiate(self.value(operand, operator.pos), operator)

    def differentiate(self, value, operator: _Operator):
        value = self.expand_definitions(self.value(value, operator.pos), operator.pos)
        if operator.order > MAX_ORDER:
            self.fail(f"a derivative of order at most {MAX_ORDER}", operator.pos)
        try:
            if not global_parameters.evaluate:
                # read without evaluation (symcheck equal): keep d/dx f whole, so that
                # where f itself is undefined the derivative is too
                return sympy.Derivative(value, (operator.var, operator.order))
            return sympy.diff(value, operator.var, operator.order)
        except _BUILD_ERRORS:
            self.fail(f"{operator.shown} cannot differentiate this expression: write its derivative out",
                      operator.pos)

    def expand_definitions(self, value, position):
        """The value with the entry's definitions replaced by what they stand for (recursively)."""
        for _ in range(MAX_DEFINITION_DEPTH):
            found = {}
            for d in self.notation.definitions:
                symbol = self.notation.abstract(d.name)
                if not d.params and symbol in value.free_symbols:
                    found[symbol] = d.parsed if d.parsed is not None else parse_claim(d.text, self.notation)
            if not found:
                return value
            value = value.xreplace(found)
        self.fail("the entry's definitions nest too deeply to differentiate", position)

    def derived(self, name: str, arg, order: int, position):
        r"""\sigma'(x), \tanh''(x): the derivative of a function of one argument, at its argument."""
        if name not in DIFFERENTIABLE:
            self.fail(f"the derivative of {name} is not read here: write it out", position)
        if order > MAX_ORDER:
            self.fail(f"a derivative of order at most {MAX_ORDER}", position)
        u = sympy.Dummy("u", real=True)
        derivative = sympy.diff(self.builder_of(name)([u]), u, order)
        return _elementwise(lambda e: derivative.subs(u, e), _entry_of_1x1(self.value(arg, position)))

    def shown(self, meta) -> str:
        return self.snippet("∂", _pos(meta), getattr(meta, "end_pos", None))


def _operator_order(node):
    r"""d, \mathrm{d}, \partial, d^2, \partial^2 alone (the numerator of an operator): its order, else None."""
    node = _strip(node)
    if not isinstance(node, Tree):
        return None
    if node.data in ("letter", "word") and str(node.children[0]) == "d":
        return 1
    if node.data == "dop":
        return _integer(node.children[1]) if len(node.children) > 1 else 1
    if node.data == "named_scripted" and len(node.children) == 2 and node.children[1].data == "sup":
        if _operator_order(node.children[0]) == 1 and node.children[0].data != "dop":
            return _integer(node.children[1].children[0])
    return None


def _power_stripped(var, order: int):
    """x of x^2 (the denominator dx^2 of a second derivative)."""
    if isinstance(var, Tree) and var.data in _SCRIPTED and len(var.children) == 2 \
            and var.children[1].data == "sup" and _integer(var.children[1].children[0]) == order:
        return var.children[0]
    return None


def _integer(node):
    node = _strip(node)
    if isinstance(node, Tree) and node.data == "number" and str(node.children[0]).isdigit():
        return int(str(node.children[0]))
    if isinstance(node, Token) and node.type == "NUMBER" and str(node).isdigit():
        return int(str(node))
    return None
