"""Keys: the normalised spelling that symbols are matched by."""
from __future__ import annotations

from lark import Token, Tree


_KEY_TOKENS = {"COMMA": ",", "SEMI": ";", "BAR": "|", "DSEP": r"\|", "MULOP": r"\cdot", "DIV": "/",
               "HADAMARD": r"\odot", "PLUS": "+", "MINUS": "-", "STAR": "*", "TOP": r"\top", "PRIME": r"\prime",
               "FLOORDIV": "//", "MOD": r"\%"}
_SCRIPTS = ("sub", "sup", "prime")
_SCRIPTED = ("named_scripted", "other_scripted", "group_scripted")
# nodes that need no parentheses: (\frac{a}{b}) and \frac{a}{b} spell the same symbol part
_ATOMIC = ("letter", "greek", "word", "number", "frac", "font", "style", "accent", "application", "brace", "paren",
           "bracket", "abs", "norm") + _SCRIPTED


def _script_key(base: str, subs: list, sups: list) -> str:
    return base + "".join("_{%s}" % s for s in subs) + "".join("^{%s}" % s for s in sups)


def _is_script(node) -> bool:
    return isinstance(node, Tree) and node.data in _SCRIPTS


def _strip(node):
    """A group's single expression: expr(x) -> x."""
    while isinstance(node, Tree) and node.data == "expr" and len(node.children) == 1:
        node = node.children[0]
    return node


def _derivative_part(node):
    """For ∂X (or d X): (the ∂'s power scripts, the tree of X); else None."""
    node = _strip(node)
    if isinstance(node, Tree) and node.data == "partial":
        return node.children[1:-1], node.children[-1]
    if isinstance(node, Tree) and node.data == "mulchain" and len(node.children) == 2:
        first = node.children[0]
        if _is_d(first) and isinstance(node.children[1], Tree):
            return [], node.children[1]
        if isinstance(first, Tree) and first.data == "named_scripted" and len(first.children) == 2 \
                and _is_d(first.children[0]) and first.children[1].data == "sup" and isinstance(node.children[1], Tree):
            return [first.children[1].children[0]], node.children[1]  # d^2 y
    return None


def _is_d(node) -> bool:
    """d or \\mathrm{d}, the d of dx."""
    return isinstance(node, Tree) and node.data in ("letter", "word") and str(node.children[0]) == "d"


def _starts_with_partial(node) -> bool:
    node = _strip(node)
    while isinstance(node, Tree) and node.data in ("mulchain", "neg") and node.children:
        node = node.children[0] if node.data == "mulchain" else node.children[1]
    return isinstance(node, Tree) and node.data == "partial"


class Keys:
    """Keys of parse trees, memoised per node."""

    def __init__(self):
        self.memo = {}

    def __call__(self, node) -> str:
        if isinstance(node, Token):
            return _KEY_TOKENS.get(node.type, str(node))
        found = self.memo.get(id(node))
        if found is None or found[0] is not node:  # keep the node: its id is never reused while memoised
            found = self.memo[id(node)] = (node, self.compute(node))
        return found[1]

    def partial(self, power, var) -> str:
        return r"\partial" + "".join("^{%s}" % self(p) for p in power) + " " + self(var)

    def derivative(self, num, den):
        a, b = _derivative_part(num), _derivative_part(den)
        if a is None or b is None:
            return None
        return r"\frac{%s}{%s}" % (self.partial(*a), self.partial(*b))

    def scripts(self, scripts):
        subs, sups = [], []
        for s in scripts:
            if s.data == "sub":
                subs.append(self(s.children[0]))
            elif s.data == "sup":
                sups.append(self(s.children[0]))
            else:
                sups.append(r"\prime")
        return subs, sups

    def compute(self, node: Tree) -> str:
        data, ch = node.data, node.children
        if data in ("letter", "greek", "number"):
            return ("\\" if data == "greek" else "") + str(ch[0])
        if data == "word":
            word = str(ch[0])
            return " ".join(word) if word.isalpha() else word
        if data == "mark":
            return self(ch[0])
        if data == "font":
            inner = self(ch[1])
            return r"\mathbf{%s}" % inner if str(ch[0]) == "bold" else inner
        if data in ("style", "accent"):
            return "\\%s{%s}" % (ch[0], self(ch[1]))
        if data == "brace":
            return self(ch[0])
        if data == "paren":
            inner = _strip(ch[0])
            return self(inner) if isinstance(inner, Tree) and inner.data in _ATOMIC else "(%s)" % self(ch[0])
        if data == "bracket":
            return "[%s]" % self(ch[0])
        if data in ("seq", "expr", "mulchain"):
            if data == "mulchain" and len(ch) == 3 and isinstance(ch[1], Token) and ch[1].type == "DIV":
                derivative = self.derivative(ch[0], ch[2])
                if derivative is not None:
                    return derivative
            return " ".join(self(c) for c in ch)
        if data == "neg":
            return "-" + self(ch[1])
        if data == "frac":
            return self.derivative(ch[1], ch[2]) or r"\frac{%s}{%s}" % (self(ch[1]), self(ch[2]))
        if data == "partial":
            return self.partial(ch[1:-1], ch[-1])
        if data in _SCRIPTED:
            return _script_key(self(ch[0]), *self.scripts(ch[1:]))
        if data == "application":
            return _script_key("%s(%s)" % (self(ch[0]), self(ch[1])), *self.scripts(ch[2:]))
        return "%s(%s)" % (data, ",".join(self(c) for c in ch))
