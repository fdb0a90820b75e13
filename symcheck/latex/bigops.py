"""The BigOps rules of the transformer: \\sum, \\prod and \\mathbb{E}."""
from __future__ import annotations

import re

import sympy
from lark import Tree

from symcheck import vocabulary as voc
from symcheck.errors import ClaimError
from symcheck.latex.keys import _strip
from symcheck.latex.limits import MAX_EXPANSIONS
from symcheck.latex.symbols import unbold
from symcheck.latex.trees import base_letters, _link, _lower_node, _shifted, _substitute
from symcheck.latex.values import _Call, _node_pos, _OpenSum, _pos, _Rel, _Seq, _Sim, _std


class BigOps:
    """Mixin of :class:`Builder`."""

    def bigop(self, meta, ch):  # \sum_{i=1}^{n} a_i
        found = self.lookup(self.key(meta.node))
        if found is not None:  # a declared symbol spelt as a sum (\sum_{i=0}^2 w_i[t])
            return found
        op = ch[0]
        scripts, body = ch[1:-1], ch[-1]
        cls = sympy.Product if str(op) == "prod" else sympy.Sum
        subs = [s for s in scripts if s.kind == "sub"]
        sups = [s for s in scripts if s.kind == "sup"]
        if len(subs) != 1 or len(sups) > 1:
            self.fail(r"write a sum as \sum_{i=1}^{n} ... or \sum_i ... (with i a declared index)", _pos(meta))
        lower, upper = subs[0].value, (sups[0].value if sups else None)
        items = lower.items if isinstance(lower, _Seq) else [lower]
        if upper is not None and len(items) > 1:
            self.fail("one upper limit for several indices", _pos(meta))
        self.refuse_declared_index(subs[0])
        limits, bind = [], {}
        for item in items:
            var, low, high, marker = self.limit(item, upper, subs[0].pos)
            limits.append((var, low, high))
            if marker is not None:
                bind[marker] = var
        for var, _, _ in limits:
            self.refuse_shadowing(var.name, meta.node.children[-1])
        expanded = self.expand(meta, limits, bind, body)
        if expanded is not None:
            return expanded
        return _OpenSum(cls, limits, bind, body, _pos(meta))

    def refuse_declared_index(self, script):
        r"""\sum_{x=1}^{n} where the entry declares x as a variable: the letter reads two ways."""
        tree = _strip(script.tree)
        for node in (tree.children[0::2] if isinstance(tree, Tree) and tree.data == "seq" else [tree]):
            node = _strip(node)
            if isinstance(node, Tree) and node.data == "relation":
                node = _strip(node.children[0])
            name = self.table.name(self.key(node))
            if name is not None and self.table.kinds.get(name) not in ("index", "size"):
                latex = self.latex_of(name)
                self.fail(f"{latex} reads two ways: the index of the sum, or the entry's {latex}; give the sum "
                          f"another index letter", script.pos)

    def refuse_shadowing(self, letter: str, body_node):
        r"""An index never silently shadows a declared symbol of the same letter: inside
        \sum_{t=1}^{T}, a plain t^{(t)} could be the index to the power (t) or the entry's
        \mathbf{t}^{(t)}, so it is refused with both readings."""
        declared = self.table.base_names(letter)
        if not declared:
            return
        for node in base_letters(body_node, letter):
            written = unbold(self.key(node))
            rest = re.escape(written[len(letter):])
            pattern = re.escape(letter) + re.sub(r"(?<![A-Za-z\\])%s(?![A-Za-z])" % re.escape(letter), ".+?", rest)
            for name in declared:
                if re.fullmatch(pattern, unbold(self.latex_key(name))):
                    latex = self.latex_of(name)
                    shown = self.snippet(written, _node_pos(node), getattr(node.meta, "end_pos", None))
                    bold = r"\mathbf{%s}%s" % (letter, shown[len(letter):]) if shown.startswith(letter) else latex
                    self.fail(f"{shown} reads two ways: the index {letter} of the sum, or the entry's {latex}; "
                              f"write {bold} for the symbol, or give the sum another index letter", _node_pos(node))

    def expand(self, meta, limits, bind, body):
        r"""\sum_{i=0}^{2} w_i[t] v_i[t] over symbols declared one by one (w_0[t], w_1[t], w_2[t]):
        the sum written out, each term read with i replaced by its value.  A \prod is
        written out in increasing order of its index (it matters for matrices)."""
        if len(limits) != 1:
            return None
        var, low, high = limits[0]
        first, last = low.xreplace(self.constants), high.xreplace(self.constants)
        if not (first.is_Integer and last.is_Integer and 0 <= int(last) - int(first) <= 20):  # ints: also read unevaluated
            return None
        # the names of the terms follow the lower limit as written: D_{k+1} at k = t is D_{t+1}
        low_node = _lower_node(meta.node) if not low.is_Integer else None
        try:
            value = self.value(body, _pos(meta))
        except ClaimError:
            value = None
        if value is not None and not any(self.is_marker(s) and s not in bind for s in value.free_symbols):
            return None
        body_node = meta.node.children[-1]
        count = int(last) - int(first) + 1
        if self.expansions + count > MAX_EXPANSIONS:
            return None
        self.expansions += count
        terms = []
        for k in range(count):
            copy = _substitute(body_node, var.name, int(first) + k if low_node is None else _shifted(low_node, k))
            _link(copy)
            term = self.value(self.transform(copy), _pos(meta))
            if any(self.is_marker(s) for s in term.free_symbols):
                return None
            terms.append(term)
        total = terms[0]
        for term in terms[1:]:
            total = self.add(total, term) if str(meta.node.children[0]) == "sum" \
                else self.binop(None, total, term, _pos(meta))
        return total

    def limit(self, item, upper, position):
        low = None
        if isinstance(item, _Rel):
            if item.ops != ["="] or len(item.parts) != 2:
                self.fail(r"a summation index is written i=1 (then ^{n}) or i", position)
            item, low = item.parts
        if item in (sympy.E, sympy.pi):
            constant = "e" if item == sympy.E else r"\pi"
            self.fail(f"{constant} is a constant here (Euler's number or π): give the sum another index letter",
                      position)
        if not isinstance(item, sympy.Symbol):
            self.fail(r"a summation index must be a single letter, e.g. \sum_{i=1}^{n}", position)
        high = self.value(upper, position) if upper is not None else None
        if self.is_marker(high) and self.markers[high][0] == r"\infty":
            high = sympy.oo     # \sum_{k=1}^{\infty}: a series
        if self.is_marker(item):
            plain = self.markers[item][1]
            if not plain or not plain.isidentifier():
                self.fail(f"{self.markers[item][0]} cannot be a summation index", position)
            if low is None or high is None:
                self.fail(f"{plain} is not a declared index: write \\sum_{{{plain}=1}}^{{n}}", position)
            return sympy.Symbol(plain, integer=True), low, high, item
        index = self.notation.index(item.name)
        if index is None or item != index.symbol:
            indices = ", ".join(i.latex or i.name for i in self.notation.indices) or "none"
            self.fail(f"{self.latex_of(item.name)} is not an index of this entry (its indices: {indices}); write "
                      f"\\sum_{{i=1}}^{{n}} with the limits", position)
        declared_low, declared_high = self.notation.bounds(item.name)
        return index.symbol, (declared_low if low is None else low), (declared_high if high is None else high), None

    def expectation(self, meta, ch):  # \mathbb{E}_{z \sim q}[f(z)]
        sub, body = ch[1], ch[2]
        position = _pos(meta)
        if isinstance(sub, _Sim):
            lhs, rhs = sub.lhs, sub.rhs
            if isinstance(rhs, _Call) and rhs.key == r"\mathcal{N}":
                return self.normal_expectation(lhs, rhs, body, position)
            dist = self.value(rhs, position)
            var = lhs
        else:
            dist = self.value(sub, position)
            var = None
            if isinstance(dist, sympy.Indexed) and len(dist.indices) == 1:
                var = dist.indices[0]
        body = self.value(body, position)
        if not isinstance(var, sympy.Symbol) or self.notation.index(var.name) is None \
                or var != self.notation.abstract(var.name):
            self.fail(r"write the distribution with its declared index, e.g. \mathbb{E}_{q_\phi(z|x)}[\ldots]",
                      position)
        if var not in getattr(dist, "free_symbols", set()):
            self.fail(r"the distribution of \mathbb{E} must depend on its index", position)
        low, high = self.notation.bounds(var.name)
        return sympy.Sum(dist * body, (var, low, high))

    def normal_expectation(self, lhs, call: _Call, body, position):
        if len(call.items) != 2:
            self.fail(r"write \mathbb{E}_{z \sim \mathcal{N}(\mu, \sigma^2)}[\ldots]", position)
        if not isinstance(lhs, sympy.Symbol):
            self.fail(r"the variable of \mathbb{E}_{z \sim ...} must be a single letter", position)
        name = self.markers[lhs][1] if self.is_marker(lhs) else lhs.name
        if not name or not name.isidentifier():
            self.fail(r"the variable of \mathbb{E}_{z \sim ...} must be a single letter", position)
        z = sympy.Symbol(name, real=True)
        body = self.value(body, position).xreplace({lhs: z})
        mean, variance = (self.value(i, position) for i in call.items)
        return voc.NormalExpectation(body, z, mean, _std(variance))
