"""The Scripts rules of the transformer: sub- and superscripts: indices, powers, transposes, names."""
from __future__ import annotations

import sympy
from lark import Tree
from sympy.matrices.expressions import MatrixExpr

from symcheck import vocabulary as voc
from symcheck.latex.commands import _TRANSPOSE_KEYS
from symcheck.latex.keys import _script_key, _strip
from symcheck.latex.values import (_Call, _Deferred, _inverse, _Mark, _OpenSum, _Partial, _pos, _Rel, _Script,
    _Seq, _transpose)
from symcheck.text_syntax import _index_count


class Scripts:
    """Mixin of :class:`Builder`."""

    # -- scripts ------------------------------------------------------------------------
    def sub(self, meta, ch):  # _i
        return _Script("sub", ch[0], meta.node.children[0], _pos(meta))

    def sup(self, meta, ch):  # ^2
        return _Script("sup", ch[0], meta.node.children[0], _pos(meta))

    def prime(self, meta, ch):  # '
        return _Script("sup", _Mark("'", False, _pos(meta)), None, _pos(meta))

    def scripted(self, meta, ch):  # x_i^2
        return self.resolve_scripted(meta, meta.node.children[0], ch[0], ch[1:])

    named_scripted = other_scripted = group_scripted = scripted

    def resolve_scripted(self, meta, base_node, base, scripts):
        subs = [s for s in scripts if s.kind == "sub"]
        sups = [s for s in scripts if s.kind == "sup"]
        if len(subs) > 1 or len(sups) > 1:
            self.fail("double subscript or superscript: use braces", _pos(meta))
        base_key = self.key(base_node)
        sub_keys = [self.script_key(s) for s in subs]
        sup_keys = [self.script_key(s) for s in sups]
        found = self.lookup(_script_key(base_key, sub_keys, sup_keys))
        if found is not None:
            return found
        if base_key == r"\mathbb{R}" and sups and not subs and self.lookup(base_key) is None:
            return self.space(sups[0], meta)
        if subs:
            # w_i^*: the declared w^* at index i; \delta_{h,i}^{(l)}: the declared \delta_h^{(l)} at i
            for prefix, rest in self.sub_splits(subs[0]):
                name = self.table.name(_script_key(base_key, prefix, sup_keys))
                if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                    return self.index(self.notation.abstract(name), rest, meta)
        if sups:
            found = self.lookup(_script_key(base_key, sub_keys, []))
            if found is not None:
                return self.superscript(found, sups[0], group=_is_group(base_node))
            # \mathbf{h}^{(l)\top}: the declared \mathbf{h}^{(l)}, transposed
            split = self.sup_split(sups[0])
            if split is not None:
                rest_key, mark = split
                found = self.lookup(_script_key(base_key, sub_keys, [rest_key]))
                if found is None and subs:
                    for prefix, rest in self.sub_splits(subs[0]):
                        name = self.table.name(_script_key(base_key, prefix, [rest_key]))
                        if name is not None and self.decl_name(self.notation.abstract(name)) is not None:
                            found = self.index(self.notation.abstract(name), rest, meta)
                            break
                if found is not None:
                    return self.superscript(found, _Script("sup", mark, None, sups[0].pos))
        if base_key == r"\nabla" and subs and not sups and self.table.name(base_key) is None:
            return self.nabla(subs[0], meta)  # \nabla_x
        if base_key == r"\delta" and subs and not sups and self.table.name(base_key) is None:
            return self.kronecker(subs[0])
        if self.is_marker(base) and (subs or not self.plain_power(sups[0])):
            return self.marker(_script_key(base_key, sub_keys, sup_keys), meta)
        value = base
        if subs:
            value = self.subscript(value, subs[0], meta)
            if isinstance(value, _Deferred):
                return value
        if sups:
            value = self.superscript(value, sups[0], group=_is_group(base_node))
        return value

    def plain_power(self, script: _Script) -> bool:
        """z^2, z^{n-1}: a power (rather than part of a name, like z^{(l)} or w^*)."""
        tree = _strip(script.tree)
        if script.tree is None or isinstance(script.value, (_Mark, _Seq, _Deferred)):
            return False
        return not (isinstance(tree, Tree) and tree.data in ("paren", "bracket", "marked", "mark"))

    def sub_splits(self, script: _Script):
        """Ways to read a subscript as (the symbol's own subscript, an index):
        w_i -> ([], i); \\delta_{h,i} -> (["h"], i)."""
        yield [], script
        tree = _strip(script.tree)
        if isinstance(script.value, _Seq) and isinstance(tree, Tree) and tree.data == "seq" \
                and all(s == "," for s in script.value.seps):
            items, nodes = script.value.items, tree.children[0::2]
            for j in range(len(items) - 1, 0, -1):
                prefix = " , ".join(self.key(n) for n in nodes[:j])
                rest = items[j:]
                value = rest[0] if len(rest) == 1 else _Seq(rest, [","] * (len(rest) - 1), script.pos)
                rest_tree = nodes[j] if len(rest) == 1 else None
                yield [prefix], _Script("sub", value, rest_tree, script.pos)

    def sup_split(self, script: _Script):
        """^{(l)\\top} or ^{(l)T}: (the key of (l), the transpose mark)."""
        tree = _strip(script.tree)
        if isinstance(tree, Tree) and tree.data == "marked" and isinstance(script.value, _Mark) \
                and script.value.kind == "T":
            return self.key(tree.children[0]), _Mark("T", False, script.pos)
        if isinstance(tree, Tree) and tree.data == "mulchain" and len(tree.children) == 2 \
                and self.key(tree.children[1]) == "T":
            return self.key(tree.children[0]), _Mark("T", False, script.pos)
        return None

    def kronecker(self, script: _Script):
        raw = script.value
        items = raw.items if isinstance(raw, _Seq) else [raw]
        if len(items) == 1:
            items = self.split_indices(script.tree, 2) or items
        if len(items) != 2:
            return _Deferred("\\delta_{ij} (the Kronecker delta) takes two indices", script.pos)
        return sympy.KroneckerDelta(*(self.value(i, script.pos) for i in items))

    def script_key(self, script: _Script) -> str:
        if script.tree is None:
            return r"\prime" if isinstance(script.value, _Mark) and script.value.kind == "'" else "?"
        return self.key(script.tree)

    def subscript(self, value, script: _Script, meta):
        if isinstance(value, _Deferred):
            return value
        if isinstance(value, voc.Norm):
            if self.script_key(script) == "2":
                return value
            self.fail(r"only the Euclidean norm \|\cdot\|_2 is supported", script.pos)
        if isinstance(value, _OpenSum):
            value = self.value(value, script.pos)
        if self.decl_name(value) is None:
            if isinstance(value, sympy.Symbol) and not self.is_marker(value) \
                    and self.notation.abstract(value.name) is not None:
                return _Deferred(f"{self.latex_of(value.name)} is a scalar; it takes no index", script.pos)
            return _Deferred("only a declared vector or matrix takes an index", script.pos)
        return self.index(value, script, meta)

    def index(self, value, script: _Script, meta):
        name = self.decl_name(value)
        decl = self.notation.variable(name) or self.notation.definition(name)
        wanted = _index_count(decl)
        raw = script.value
        items = raw.items if isinstance(raw, _Seq) else [raw]
        if isinstance(raw, _Seq) and any(s != "," for s in raw.seps):
            return _Deferred("separate indices with commas", script.pos)
        if len(items) not in wanted and len(items) == 1:
            items = self.split_indices(script.tree, max(wanted)) or items
        if len(items) not in wanted:
            return _Deferred(f"{decl.latex} takes {' or '.join(map(str, sorted(wanted)))} index(es), "
                             f"not {len(items)}", script.pos)
        indices = []
        for item in items:
            if isinstance(item, (_Deferred, _Seq, _Rel, _Mark, _Partial, _Call)):
                return _Deferred("an index must be a number or an index variable", script.pos)
            v = self.value(item, script.pos)
            if isinstance(v, MatrixExpr):
                return _Deferred("an index must be a number or an index variable, not a matrix", script.pos)
            indices.append(v)
        return sympy.Indexed(sympy.IndexedBase(name), *indices)

    def split_indices(self, tree, wanted: int):
        """H_{ij} or H_{12}: one index per letter or digit."""
        tree = _strip(tree)
        if isinstance(tree, Tree) and tree.data == "mulchain" and len(tree.children) == wanted \
                and all(isinstance(c, Tree) and c.data in ("letter", "greek", "number") for c in tree.children):
            return [self.transform(c) for c in tree.children]
        if isinstance(tree, Tree) and tree.data == "number" and str(tree.children[0]).isdigit() \
                and len(str(tree.children[0])) == wanted:
            return [sympy.Integer(d) for d in str(tree.children[0])]
        return None

    def superscript(self, value, script: _Script, group: bool = False):
        sup = script.value
        key = self.script_key(script)
        if isinstance(value, _Deferred):
            return value
        if isinstance(value, _OpenSum):
            value = self.value(value, script.pos)
        if isinstance(sup, _Mark):
            if sup.kind == "T":
                value = _transpose(self.value(value, script.pos))
                return _inverse(value) if sup.negative else value
            if sup.kind == "'" and group and isinstance(self.value(value, script.pos), MatrixExpr):
                return _transpose(value)  # (\frac{\partial L}{\partial Y})': a matrix in parentheses, transposed
            if sup.kind == "'" and group:
                self.fail(r"' after a scalar: write \sigma'(x) or \tanh'(x) for a derivative, ^\top for a transpose",
                          script.pos)
            self.value(sup)
        if key in _TRANSPOSE_KEYS and (isinstance(value, MatrixExpr) or self.table.name(key) is None):
            return _transpose(self.value(value, script.pos))
        value = self.value(value, script.pos)
        return self.power(value, self.value(sup, script.pos), script.pos)


def _is_group(node) -> bool:
    """(a) or [a]: a value in parentheses, which a prime transposes."""
    node = _strip(node)
    return isinstance(node, Tree) and node.data in ("paren", "bracket")
