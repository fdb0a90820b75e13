"""The Atoms rules of the transformer: letters, words, fonts, groups; the top of the claim, lists and shapes."""
from __future__ import annotations

import sympy
from lark import Token, Tree
from sympy.matrices.expressions import MatrixExpr

from symcheck.latex.keys import _strip
from symcheck.latex.trees import _copy_meta, _split_at, _trim_operators
from symcheck.latex.values import _Deferred, _Mark, _node_pos, _OpenSum, _Partial, _pos, _Script, _Seq, _Shape


class Atoms:
    """Mixin of :class:`Builder`."""

    # -- leaves -----------------------------------------------------------------------
    def start(self, meta, ch):  # a, b, X \in \mathbb{R}^{m \times n}
        """One expression, or a list: its items in order, each shape (X \\in \\mathbb{R}^{m \\times n})
        contributing its dimensions."""
        items, nodes = ch[0::2], meta.node.children[0::2]
        if len(items) == 1 and isinstance(items[0], _Seq) and _parenthesised(nodes[0]) \
                and set(items[0].seps) == {","}:
            items, nodes = items[0].items, [None] * len(items[0].items)  # (16, 28, 28): the list, in parentheses
        elif len(items) == 1 and not isinstance(items[0], _Shape):
            listed = self.listed(nodes[0])
            return items[0] if listed is None else listed
        values = []
        for item, node in zip(items, nodes):
            if isinstance(item, _Shape):
                values.extend(item.dims)
                continue
            value = self.value(item, _node_pos(node, _pos(meta)))
            if isinstance(value, MatrixExpr):
                self.fail("an item of a list must be a number or a scalar expression, not a matrix",
                          _node_pos(node, _pos(meta)))
            values.append(value)
        return sympy.Tuple(*values)

    def listed(self, node):
        r"""Where the quantity is a list of k values (a shape), 16 \times 28 \times 28 at the top of the
        claim, with exactly k factors, is the list (16, 28, 28), as sheets print shapes."""
        if not self.tuple_length or self.tuple_length < 2:
            return None
        node = _strip(node)
        if not (isinstance(node, Tree) and node.data == "mulchain"):
            return None
        groups = _split_at(node.children, lambda t: isinstance(t, Token) and t.type == "MULOP"
                           and self.spelling(t) in (r"\times", "×"))
        if len(groups) != self.tuple_length or any(None in g for g in groups):
            return None
        return sympy.Tuple(*(self.scalar(self.group_value(g, node.meta), _node_pos(g[0])) for g in groups))

    def spelling(self, token: Token) -> str:
        if token.start_pos is None or token.end_pos is None:
            return str(token)
        return self.source[token.start_pos:token.end_pos]

    def scalar(self, value, position):
        value = self.value(value, position)
        if isinstance(value, MatrixExpr):
            self.fail("a dimension or an item of a list must be a scalar, not a matrix", position)
        return value

    def group_value(self, nodes, meta):
        """The value of a run of factors of a product (their own product)."""
        if len(nodes) == 1:
            return self.transform(nodes[0])
        tree = Tree("mulchain", list(nodes), _copy_meta(meta))
        tree.meta.node = tree
        return self.transform(tree)

    def member(self, meta, ch):  # X \in \mathbb{R}^{m \times n}
        """X_c \\in \\mathbb{R}^{10 \\times 1 \\times 5}: the shape; what is in it (X_c) names it, like a
        dropped 'LHS ='."""
        space = ch[-1]
        if isinstance(space, (_Shape, _Deferred)):
            return space
        return _Deferred(r"'\in' takes a space such as \mathbb{R}^{m \times n} (a shape)", _pos(meta))

    def space(self, script: _Script, meta):
        r"""\mathbb{R}^{10 \times 300}, \mathbb{R}^{10*300}, \mathbb{R}^{50,1}, \mathbb{R}^n: a shape."""
        tree = _strip(script.tree)
        if isinstance(tree, Tree) and tree.data == "seq":
            if any(not (isinstance(t, Token) and t.type == "COMMA") for t in tree.children[1::2]):
                self.fail(r"separate the dimensions of \mathbb{R}^{...} with \times or commas", script.pos)
            groups = []
            for item in tree.children[0::2]:
                inner = _strip(item)
                if isinstance(inner, Tree) and inner.data == "mulchain":
                    groups += _split_at(inner.children, lambda t: isinstance(t, Token) and t.type == "MULOP")
                else:
                    groups.append([item])
        elif isinstance(tree, Tree) and tree.data == "mulchain":
            groups = _split_at(tree.children, lambda t: isinstance(t, Token) and t.type == "MULOP")
        elif tree is not None:
            groups = [[tree]]
        else:
            self.fail(r"write the dimensions of \mathbb{R}^{...}", script.pos)
        if not groups or any(None in g for g in groups):
            self.fail(r"write the dimensions of \mathbb{R}^{...}", script.pos)
        dims = [self.scalar(self.group_value(g, getattr(tree, "meta", meta)), script.pos) for g in groups]
        return _Shape(dims, script.pos)

    def underbrace(self, meta, ch):  # \underbrace{A \cdots A}_{n}
        r"""\underbrace{A \cdots A}_{n}: n factors A, the product A^n."""
        body = _strip(meta.node.children[1])
        position = _pos(meta)
        wrong = r"write \underbrace{A \cdots A}_{n}: the same factors on both sides of \cdots, and their number n"
        if not (isinstance(body, Tree) and body.data == "mulchain"):
            self.fail(wrong, position)
        children = body.children
        dots = [k for k, c in enumerate(children) if isinstance(c, Tree) and c.data == "dots"]
        if len(dots) != 1:
            self.fail(wrong, position)
        before = _trim_operators(children[:dots[0]])
        after = _trim_operators(children[dots[0] + 1:])
        if not before or [self.key(c) for c in before] != [self.key(c) for c in after] \
                or any(isinstance(c, Token) and c.type != "MULOP" for c in before):
            self.fail(wrong, position)
        unit = self.value(self.group_value(before, body.meta), position)
        count = self.value(ch[-1], position)
        if isinstance(count, MatrixExpr) or count.is_integer is False or count.is_positive is False:
            self.fail(r"the number of factors of \underbrace{\ldots}_{n} must be a positive integer", position)
        return self.power(unit, count, position)

    def dots(self, meta, ch):  # \cdots
        return _Deferred(r"'\cdots' leaves factors out: write \underbrace{A \cdots A}_{n} with their number n",
                         _pos(meta))

    def dop(self, meta, ch):  # {\partial} in \frac{\partial}{\partial x}
        return _Partial(_pos(meta))

    def letter(self, meta, ch):  # x
        return self.atom(meta, str(ch[0]))

    def greek(self, meta, ch):  # \alpha
        return self.atom(meta, str(ch[0]))

    def word(self, meta, ch):  # \text{lr}
        word = str(ch[0])
        return self.atom(meta, word if word.isidentifier() else None)

    def mark(self, meta, ch):  # ^*, ^\top, '
        return _Mark({"STAR": "*", "TOP": "T", "PRIME": "'"}[ch[0].type], False, _pos(meta))

    def negmark(self, meta, ch):  # ^{-\top}
        return _Mark("T" if ch[1].type == "TOP" else "*", True, _pos(meta))

    def marked(self, meta, ch):  # ^{(l)\top}
        return _Mark("T" if ch[1].type == "TOP" else "*", False, _pos(meta))

    def font(self, meta, ch):  # \mathbf{x}
        found = self.lookup(self.key(meta.node))  # \mathbf{1}, a vector of ones, is not the number 1
        return ch[1] if found is None else found

    def style(self, meta, ch):  # \mathcal{L}
        return self.atom(meta, None)

    def accent(self, meta, ch):  # \hat{y}
        return self.atom(meta, None)

    def brace(self, meta, ch):  # {a}
        inner = ch[0]
        return self.value(inner, _pos(meta)) if isinstance(inner, _OpenSum) else inner

    def paren(self, meta, ch):  # (a)
        inner = ch[0]
        return self.value(inner, _pos(meta)) if isinstance(inner, _OpenSum) else inner

    def bracket(self, meta, ch):  # [a]
        found = self.lookup(self.key(meta.node))  # a declared concatenation: [\mathbf K; \mathbf M_k]
        return found if found is not None else self.paren(meta, ch)

    def opsub(self, meta, ch):  # *_{full}
        return meta.node


def _parenthesised(node) -> bool:
    node = _strip(node)
    return isinstance(node, Tree) and node.data in ("paren", "bracket")
