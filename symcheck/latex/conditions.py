"""The Conditions rules of the transformer: lists, relations, cases and indicators."""
from __future__ import annotations

import sympy
from lark import Token
from sympy.matrices.expressions import MatrixExpr

from symcheck import vocabulary as voc
from symcheck.latex.commands import _COMPARE_NAMES
from symcheck.latex.keys import _KEY_TOKENS
from symcheck.latex.values import _Cond, _pos, _Rel, _Seq, _Sim
from symcheck.text_syntax import _elementwise


class Conditions:
    """Mixin of :class:`Builder`."""

    # -- lists, relations, conditions -------------------------------------------------------
    def seq(self, meta, ch):  # a, b; c | d
        items = ch[0::2]
        seps = [_KEY_TOKENS.get(t.type, str(t)) for t in ch[1::2]]
        return _Seq(list(items), seps, _pos(meta))

    def relation(self, meta, ch):  # a < b
        parts = [self.value(p, _pos(meta)) for p in ch[0::2]]
        return _Rel(parts, [str(t) for t in ch[1::2]], _pos(meta))

    def sim(self, meta, ch):  # z \sim q
        return _Sim(ch[0], ch[2], _pos(meta))

    def cond(self, meta, ch):  # \text{if } x > 0
        items = [c for c in ch if not (isinstance(c, Token) and c.type == "IFWORD")]
        relations = [self.relation_of(r, _pos(meta)) for r in items[0::2]]
        connectives = ["or" if str(t) == "or" else "and" for t in items[1::2]]
        return _Cond(relations, connectives, False, _pos(meta))

    def relation_of(self, item, position) -> _Rel:
        """A comparison, or the error of the part that failed (its deferred message)."""
        if isinstance(item, _Rel):
            return item
        self.value(item, position)
        self.fail(r"a condition is a comparison, e.g. x > 0", position)

    def otherwise(self, meta, ch):  # \text{otherwise}
        return _Cond([], [], True, _pos(meta))

    def boolean(self, cond: _Cond):
        if cond.otherwise:
            return sympy.true
        values = [self.compare(r) for r in cond.relations]
        result = values[0]
        for conn, v in zip(cond.connectives, values[1:]):
            result = sympy.And(result, v) if conn == "and" else sympy.Or(result, v)
        return result

    def compare(self, rel: _Rel):
        relations = []
        for op, a, b in zip(rel.ops, rel.parts, rel.parts[1:]):
            if isinstance(a, MatrixExpr) or isinstance(b, MatrixExpr):
                self.fail(r"compare matrices entrywise inside an indicator, e.g. \mathbb{1}\{X > 0\}", rel.pos)
            relations.append(_COMPARE_NAMES[op](a, b, evaluate=False))
        return relations[0] if len(relations) == 1 else sympy.And(*relations)

    def crow(self, meta, ch):  # a & x > 0
        return self.value(ch[0], _pos(meta)), ch[-1]

    def cases(self, meta, ch):  # \begin{cases} ... \end{cases}
        pairs = [(value, self.boolean(cond)) for value, cond in ch]
        return sympy.Piecewise(*pairs)

    def indicator(self, meta, ch):  # \mathbb{1}\{x > 0\}
        cond = ch[-1]
        if not cond.otherwise and len(cond.relations) == 1 and len(cond.relations[0].ops) == 1:
            rel = cond.relations[0]
            left, right = rel.parts
            if isinstance(left, MatrixExpr) and not isinstance(right, MatrixExpr):
                cls = _COMPARE_NAMES[rel.ops[0]]
                return _elementwise(lambda d: voc.indicator(cls(d, right)), left)
        return voc.indicator(self.boolean(cond))
