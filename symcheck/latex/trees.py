"""Parse-tree surgery for sums written out term by term (substitution, folding, copying)."""
from __future__ import annotations

from lark import Token, Tree
from lark.tree import Meta

from symcheck.latex.keys import _strip


def _substitute(node, letter: str, value):
    """A copy of the tree with the letter replaced by a number (w_i[t] -> w_0[t]) or by a copy of a
    tree (D_{k+1} -> D_{t+1}), sums of numbers then folded (h^{(t-1)} at t = 1 -> h^{(0)})."""
    return _fold(_replace(node, letter, value))


def _replace(node, letter: str, value):
    if not isinstance(node, Tree):
        return node
    if is_bold(node) and letter:  # \mathbf{t} is a symbol, never the index t
        return _replace(node, "", None)
    if node.data == "letter" and str(node.children[0]) == letter:
        if isinstance(value, Tree):
            return _replace(value, "", None)  # a fresh copy
        return _number_node(value, node.children[0], node.meta)
    return Tree(node.data, [_replace(c, letter, value) for c in node.children], _copy_meta(node.meta))


def is_bold(node) -> bool:
    return isinstance(node, Tree) and node.data == "font" and str(node.children[0]) == "bold"


def base_letters(node, letter: str, parent=None):
    """The plain letters ``letter`` that stand as a base in the tree (t and t^{(t)}, not the t of
    x_t or of \\mathbf{t}): each with the scripted node it is the base of, or itself."""
    if not isinstance(node, Tree) or is_bold(node) or node.data in ("sub", "sup"):
        return
    if node.data == "letter" and str(node.children[0]) == letter:
        scripted = parent is not None and parent.data.endswith("_scripted") and parent.children[0] is node
        yield parent if scripted else node
        return
    for child in node.children:
        yield from base_letters(child, letter, node)


def _number_node(number: int, like: Token, meta):
    tok = Token("NUMBER", str(abs(number)), like.start_pos, like.line, like.column, like.end_line, like.end_column,
                like.end_pos)
    node = Tree("number", [tok], _copy_meta(meta))
    if number < 0:
        return Tree("neg", [Token("MINUS", "-", like.start_pos, like.line, like.column, like.end_line,
                                  like.end_column, like.end_pos), node], _copy_meta(meta))
    return node


def _shifted(node, offset: int):
    """The tree of node + offset (a copy)."""
    if offset == 0:
        return _replace(node, "", None)
    tok = next((t for t in node.scan_values(lambda v: isinstance(v, Token))), Token("NUMBER", "0"))
    op = Token("PLUS" if offset > 0 else "MINUS", "+" if offset > 0 else "-", tok.start_pos, tok.line, tok.column,
               tok.end_line, tok.end_column, tok.end_pos)
    return Tree("expr", [_replace(node, "", None), op, _number_node(abs(offset), tok, node.meta)],
                _copy_meta(node.meta))


def _integer_text(node):
    if isinstance(node, Tree) and node.data == "number" and str(node.children[0]).isdigit():
        return int(str(node.children[0]))
    return None


def _fold(node):
    """Fold the integers of a sum that substitution produced: (t + 1) + 1 -> t + 2, 1 - 1 -> 0."""
    if not isinstance(node, Tree):
        return node
    node = Tree(node.data, [_fold(c) for c in node.children], node.meta)
    if node.data != "expr" or len(node.children) < 3:
        return node
    terms, nested = [], False

    def add(sign, child):
        nonlocal nested
        if isinstance(child, Tree) and child.data == "expr":
            nested = True
            add(sign, child.children[0])
            for op, term in zip(child.children[1::2], child.children[2::2]):
                add(sign if op.type == "PLUS" else -sign, term)
        elif isinstance(child, Tree) and child.data == "neg" and _integer_text(child.children[1]) is not None:
            terms.append((-sign, child.children[1]))
        else:
            terms.append((sign, child))

    add(1, node.children[0])
    for op, term in zip(node.children[1::2], node.children[2::2]):
        add(1 if op.type == "PLUS" else -1, term)
    numbers = [k for k, (_, t) in enumerate(terms) if _integer_text(t) is not None]
    if not nested and len(numbers) < 2:
        return node
    total = sum(sign * _integer_text(t) for sign, t in terms if _integer_text(t) is not None)
    rest = [(sign, t) for sign, t in terms if _integer_text(t) is None]
    like = next(node.scan_values(lambda v: isinstance(v, Token)))
    if total and numbers:
        rest.insert(sum(1 for k in range(numbers[0]) if _integer_text(terms[k][1]) is None),
                    (1 if total > 0 else -1, _number_node(abs(total), like, node.meta)))
    if not rest:
        return _number_node(0, like, node.meta)
    children = []
    for k, (sign, term) in enumerate(rest):
        if k == 0:
            children.append(term if sign > 0 else Tree("neg", [Token("MINUS", "-", like.start_pos, like.line,
                                                                      like.column, like.end_line, like.end_column,
                                                                      like.end_pos), term], _copy_meta(node.meta)))
        else:
            children += [Token("PLUS" if sign > 0 else "MINUS", "+" if sign > 0 else "-", like.start_pos, like.line,
                               like.column, like.end_line, like.end_column, like.end_pos), term]
    if len(children) == 1:
        return children[0]
    return Tree("expr", children, node.meta)


def _split_at(children, is_separator):
    """Runs of the children between separators (tokens); None marks an empty run."""
    groups, current = [], []
    for c in children:
        if is_separator(c):
            groups.append(current or [None])
            current = []
        else:
            current.append(c)
    groups.append(current or [None])
    return groups


def _trim_operators(children):
    children = list(children)
    while children and isinstance(children[0], Token):
        children.pop(0)
    while children and isinstance(children[-1], Token):
        children.pop()
    return children


def _lower_node(bigop_node):
    """The tree of the lower limit of \\sum_{k=t}^{...}, or None."""
    for script in bigop_node.children[1:-1]:
        if isinstance(script, Tree) and script.data == "sub":
            arg = _strip(script.children[0])
            if isinstance(arg, Tree) and arg.data == "relation" and len(arg.children) == 3:
                return _strip(arg.children[2])
    return None


def _copy_meta(meta):
    copy = Meta()
    copy.__dict__.update({k: v for k, v in meta.__dict__.items() if k != "node"})
    return copy


def _link(tree: Tree) -> None:
    for node in tree.iter_subtrees():
        node.meta.node = node
