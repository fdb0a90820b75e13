"""The Calls rules of the transformer: applications f(x) and functions \\log, \\tanh, \\max ..."""
from __future__ import annotations

import sympy
from lark import Tree
from sympy.matrices.expressions import MatrixExpr

from symcheck import vocabulary as voc
from symcheck.latex.keys import _is_script, _script_key, _SCRIPTED
from symcheck.latex.limits import MAX_SYMBOLIC_POWER
from symcheck.latex.values import _Call, _Deferred, _entry_of_1x1, _Mark, _pos, _Script, _Seq, _std
from symcheck.text_syntax import _elementwise, FUNCTIONS


# what the text syntax has no name for, written with the functions it has
HYPERBOLIC = {name: ((1,), lambda args, f=f: _elementwise(f, args[0])) for name, f in {
    "sech": lambda x: 1 / sympy.cosh(x), "csch": lambda x: 1 / sympy.sinh(x),
    "coth": lambda x: sympy.cosh(x) / sympy.sinh(x)}.items()}


# functions applied entry by entry to a vector or matrix
ENTRYWISE = {"exp", "log", "ln", "tanh", "sinh", "cosh", "sin", "cos", "sigmoid", "relu", "sqrt", "abs", "sign", "sech",
             "csch", "coth"}


class Calls:
    """Mixin of :class:`Builder`."""

    # -- applications: f(x), p_{data}(x), \sigma(x), H(w - w^*) --------------------------------
    def application(self, meta, ch):  # f(x)
        nodes = meta.node.children
        callee_node, args_node = nodes[0], nodes[1]
        callee, args, post = ch[0], ch[1], ch[2:]
        full = "%s(%s)" % (self.key(callee_node), self.key(args_node))
        if post:
            found = self.lookup(_script_key(full, *self._post_keys(post)))
            if found is not None:
                return found
        found = self.lookup(full)
        if found is not None:
            return self.post(found, post, meta)
        function = self.function_of(callee_node)
        if function is not None:
            name, power, order = function
            result = self.derived(name, args, order, _pos(meta)) if order else self.call(name, args, _pos(meta))
            if power is not None:
                result = self.powered(name, result, power)
            return self.post(result, post, meta)
        items = args.items if isinstance(args, _Seq) else [args]
        if self.decl_name(callee) is not None and all(self.index_like(i) for i in items):
            script = _Script("sub", args, args_node, _pos(meta))
            return self.post(self.index(callee, script, meta), post, meta)
        if isinstance(args, _Seq):
            if self.is_marker(callee):
                return _Call(self.key(callee_node), args.items, args.seps, _pos(meta))
            return _Deferred("a list of arguments after something that is not a function", _pos(meta))
        # not a function: a product, and the scripts belong to the parenthesis, as in Q(\Lambda + \alpha I)^{-1}
        factor = self.post(self.value(args, _pos(meta)), post, meta)
        if isinstance(factor, _Deferred):
            return factor
        return self.value(callee, _pos(meta)) * self.value(factor, _pos(meta))

    def _post_keys(self, post):
        subs = [self.script_key(s) for s in post if s.kind == "sub"]
        sups = [self.script_key(s) for s in post if s.kind == "sup"]
        return subs, sups

    def post(self, value, post, meta):
        subs = [s for s in post if s.kind == "sub"]
        sups = [s for s in post if s.kind == "sup"]
        if len(subs) > 1 or len(sups) > 1:
            self.fail("double subscript or superscript: use braces", _pos(meta))
        if subs:
            value = self.subscript(value, subs[0], meta)
        if sups:
            value = self.superscript(value, sups[0])
        return value

    def index_like(self, item) -> bool:
        if not isinstance(item, sympy.Expr) or isinstance(item, MatrixExpr):
            return False
        if item.atoms(sympy.Function, sympy.Indexed):
            return False
        return all(s.is_integer or self.is_marker(s) for s in item.free_symbols)

    def function_of(self, callee_node):
        """(function name, power script or None) when the callee names a function:
        \\sigma (when the entry has no σ), \\sigma^2, D_{KL}."""
        if self.table.name(self.key(callee_node)) is not None:
            return None
        if isinstance(callee_node, Tree) and callee_node.data in _SCRIPTED:
            base_node, scripts = callee_node.children[0], callee_node.children[1:]
        else:
            base_node, scripts = callee_node, []
        base_key = self.key(base_node)
        if self.table.name(base_key) is not None:
            return None
        name = None
        if base_key == r"\sigma":
            name = "sigmoid"
        elif base_key == "D":
            subs = [self.key(s.children[0]) for s in scripts if s.data == "sub"]
            if subs in (["K L"], ["J S"], ["J S D"]):
                name = "KL" if subs == ["K L"] else "JSD"
                scripts = [s for s in scripts if s.data != "sub"]
        primes = [s for s in scripts if _is_prime(s)]
        scripts = [s for s in scripts if not _is_prime(s)]
        if name is None or any(s.data != "sup" for s in scripts) or len(scripts) > 1 or (primes and scripts):
            return None
        power = None
        if scripts:
            power = self.transform(scripts[0])
        return name, power, len(primes)

    # -- functions ---------------------------------------------------------------------
    def fcall(self, meta, ch):  # \log(x), \max\{a, b\}
        nodes = meta.node.children
        k = 1
        while k < len(nodes) and _is_script(nodes[k]):
            k += 1
        return self.function(meta, str(ch[0]), ch[1:k], ch[k], ch[k + 1:])

    def bare_product(self, meta, ch):  # \sin 2x, \log 2\pi\sigma^2: a number and letters are one argument
        product = self.value(ch[0], _pos(meta))
        for factor in ch[1:]:
            product = self.binop(None, product, self.value(factor, _pos(meta)), _pos(meta))
        return product

    def fbare(self, meta, ch):  # \log x
        return self.function(meta, str(ch[0]), ch[1:-1], ch[-1], [])

    def function(self, meta, name, pre, args, post):
        found = self.lookup(self.key(meta.node))  # a declared symbol spelt with a function: \log p_\theta(x|z)
        if found is not None:
            return found
        negated = self.lookup("-" + self.key(meta.node))  # D_{KL}(q\|p) where the entry declares -D_{KL}(q\|p)
        if negated is not None:
            return -negated
        base = None
        power = None
        order = 0
        for script in pre:
            if isinstance(script.value, _Mark) and script.value.kind == "'":
                order += 1  # \tanh'(x)
            elif script.kind == "sub":
                if name != "log" or base is not None:
                    self.fail(f"\\{name} takes no subscript", script.pos)
                base = self.value(script.value, script.pos)
            else:
                if power is not None:
                    self.fail("double superscript: use braces", script.pos)
                power = script
        if power is not None and self.script_key(power) == "-1":
            self.fail(f"\\{name}^{{-1}} is ambiguous: write the inverse function explicitly", power.pos)
        items = args.items if isinstance(args, _Seq) else [args]
        if base is not None:
            if len(items) != 1:
                self.fail(r"\log_b takes one argument", _pos(meta))
            args = _Seq(items + [base], [","], _pos(meta))
        if order and (power is not None or base is not None):
            self.fail(f"write the derivative of \\{name} as \\{name}'(x), without a power or base", _pos(meta))
        result = self.derived(name, args, order, _pos(meta)) if order else self.call(name, args, _pos(meta))
        if power is not None:
            result = self.powered(name, result, power)
        return self.post(result, post, meta)

    def call(self, name: str, args, position):
        items = args.items if isinstance(args, _Seq) else [args]
        seps = args.seps if isinstance(args, _Seq) else []
        if name == "log" and len(items) == 1 and isinstance(items[0], _Call) and items[0].key == r"\mathcal{N}":
            return self.normal_logpdf(items[0])
        if name in ("KL", "JSD"):
            if len(items) != 2:
                self.fail(f"{name}(p \\| q) compares two distributions", position)
            p, q = (self.vector(self.value(i, position), position, name) for i in items)
            return FUNCTIONS[name][1]([p, q])
        if seps and name not in ("max", "min", "log"):
            self.fail(f"\\{name} takes one argument", position)
        values = [self.value(i, position) for i in items]
        if name in ("max", "min") and any(isinstance(v, MatrixExpr) for v in values):
            return self.entrywise_extremum(name, values, position)  # \max(0, X): entry by entry
        if name == "softmax":
            values = [self.vector(v, position, name) for v in values]
        elif name != "trace":
            values = [_entry_of_1x1(v) for v in values]
        arities, build = FUNCTIONS.get(name) or HYPERBOLIC[name]
        if len(values) not in arities:
            self.fail(f"{name} takes {' or '.join(map(str, arities))} argument(s), not {len(values)}", position)
        return build(values)

    def powered(self, name: str, result, power):
        r"""\tanh^2(x): the function's value squared; of a vector or matrix, entry by entry (a function
        applied entrywise is squared entrywise: \tanh^2(\mathbf z) is not a matrix power)."""
        if name in ENTRYWISE and isinstance(result, MatrixExpr) and not isinstance(power.value, _Mark):
            exponent = self.value(power.value, power.pos)
            if not isinstance(exponent, MatrixExpr) and exponent.is_Number:
                if abs(exponent) > MAX_SYMBOLIC_POWER:
                    self.fail(f"powers of an expression are read up to {MAX_SYMBOLIC_POWER}", power.pos)
                return _elementwise(lambda d: d ** exponent, result)
        return self.superscript(result, power)

    def entrywise_extremum(self, name: str, values: list, position):
        r"""\max(0, X) with X a matrix: the maximum entry by entry, as in ReLU."""
        matrices = [v for v in values if isinstance(v, MatrixExpr)]
        if len(matrices) > 1:
            self.fail(f"\\{name} of several matrices is not read: write \\{name}(0, X) with one matrix", position)
        build = FUNCTIONS[name][1]
        scalars = [v for v in values if not isinstance(v, MatrixExpr)]
        return _elementwise(lambda d: build(scalars + [d]), matrices[0])

    def builder_of(self, name: str):
        return (FUNCTIONS.get(name) or HYPERBOLIC[name])[1]

    def vector(self, value, position, name):
        """A distribution argument: q_\\phi(z|x) read at z is the vector q."""
        if isinstance(value, sympy.Indexed):
            base = str(value.base.label)
            index = self.table.embedded.get(base)
            if index is not None and value.indices == (self.notation.abstract(index),):
                value = self.notation.abstract(base)
        if not isinstance(value, MatrixExpr):
            spelt = [n for k, n in self.table.keys.items() if f"fcall({name}," in k]
            if spelt:  # the entry declares the divergence term whole (-D_{KL}(q_\phi(z|x)\|p_\theta(z)))
                self.fail(f"write the {name} term as this entry does: "
                          f"{' or '.join(self.latex_of(n) for n in spelt)}", position)
            self.fail(f"{name}(...) takes vectors (distributions over the support)", position)
        return value

    def normal_logpdf(self, call: _Call):
        if len(call.items) != 3 or call.seps[0] not in (";", "|"):
            self.fail(r"write \log\mathcal{N}(z; \mu, \sigma^2)", call.pos)
        z, mean, variance = (self.value(i, call.pos) for i in call.items)
        return voc.normal_logpdf(z, mean, _std(variance))


def _is_prime(script) -> bool:
    """' or ^{\\prime} after a function's name."""
    if script.data == "prime":
        return True
    arg = script.children[0] if script.data == "sup" else None
    return isinstance(arg, Tree) and arg.data == "mark" and str(arg.children[0]) in ("'", "\\prime")
