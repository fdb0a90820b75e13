"""The symbol table of an entry: every declared symbol's LaTeX parsed to its key."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy
from lark import Tree

from symcheck.errors import ClaimError
from symcheck.latex.keys import Keys, _strip
from symcheck.latex.parser import parse_tree
from symcheck.notation import Notation


@dataclass
class SymbolTable:
    keys: dict          # key -> declared name
    embedded: dict      # vector name -> the declared index its LaTeX names (q_\phi(z|x) -> z)
    products: set       # keys of declared symbols spelt as a product (x[t], W_{f,c} *_{full} ...)
    longest: int        # the most factors such a product has
    spelt_indexed: set  # indexed definitions whose LaTeX shows their indices (read at their parameters)
    listing: str        # "x, \frac{\partial E}{\partial y} (dEdy), ..."
    unreadable: list    # declared names whose LaTeX does not parse
    loose: dict         # key without bold -> the declared names spelt so
    kinds: dict         # declared name -> kind ("scalar", "vector", "index", "size", ...)

    def name(self, key: str):
        """The declared name a key spells.  Bold and plain are different symbols; a claim that drops
        (or adds) the bold of a symbol still names it when nothing else is spelt so, but a bold
        letter never names an index or a size (\\mathbf{t} is never the index t)."""
        found = self.keys.get(key)
        if found is not None:
            return found
        candidates = self.loose.get(unbold(key), ())
        if len(candidates) != 1:
            return None
        only = candidates[0]
        if self.kinds.get(only) in ("index", "size") and unbold(key) != key:
            return None
        return only

    def is_product(self, key: str) -> bool:
        """Does the key spell a symbol declared as several factors (bold dropped or not)?"""
        if key in self.products:
            return True
        return self.name(key) is not None and unbold(key) in {unbold(k) for k in self.products}

    def base_names(self, letter: str) -> list:
        """Declared symbols (not indices or sizes) whose base letter is this one: t for \\mathbf{t}^{(1)}."""
        return [n for k, names in self.loose.items() for n in names
                if self.kinds.get(n) not in ("index", "size") and _base(k) == letter]


def _declarations(notation: Notation) -> tuple:
    out = []
    for v in notation.variables:
        out.append((v.name, v.latex, "vector" if v.kind == "vector" else v.kind, ()))
    for d in notation.definitions:
        kind = "vector" if len(d.shape) == 1 else ("indexed" if d.params else "other")
        out.append((d.name, d.latex, kind, tuple(d.params)))
    for s in notation.sizes:
        out.append((s.name, s.latex or s.name, "size", ()))
    for i in notation.indices:
        out.append((i.name, i.latex or i.name, "index", ()))
    return tuple(out)


@lru_cache(maxsize=64)
def symbol_table(declarations: tuple) -> SymbolTable:
    keys, embedded, products, spelt, unreadable, shown = {}, {}, set(), set(), [], []
    loose, kinds = {}, {}
    longest = 0
    index_keys = {}
    trees = {}
    for name, latex, kind, params in declarations:
        key_of = Keys()
        try:
            tree = parse_tree(latex)
        except ClaimError:
            unreadable.append(name)
            shown.append(f"{latex} ({name}, unreadable LaTeX)")
            continue
        body = _unwrap(tree)
        key = key_of(body)
        trees[name] = (body, key_of)
        keys.setdefault(key, name)
        if not unbold(key).isdigit():  # \mathbf{1}, a vector of ones, is never the number 1
            loose.setdefault(unbold(key), []).append(name)
        kinds[name] = kind
        if kind == "index":
            index_keys[key] = name
        if isinstance(body, Tree) and body.data == "mulchain":
            products.add(key)
            longest = max(longest, len(body.children))
        if kind == "indexed":
            if {key_of(leaf) for leaf in _leaves(body)} & set(params):
                spelt.add(name)
                shown.append(f"{latex} ({name})")
            else:
                shown.append(f"{latex}_{{...}} ({name})")
        else:
            shown.append(latex if _plain(latex) == name else f"{latex} ({name})")
    for name, latex, kind, _ in declarations:
        if kind != "vector" or name not in trees:
            continue
        body, key_of = trees[name]
        if isinstance(body, Tree) and body.data == "application":
            for leaf in _leaves(body.children[1]):
                index = index_keys.get(key_of(leaf))
                if index is not None:
                    embedded[name] = index
                    break
    return SymbolTable(keys, embedded, products, longest, spelt, ", ".join(shown) or "(no symbols)", unreadable,
                       loose, kinds)


def unbold(key: str) -> str:
    r"""The key with every \mathbf{...} unwrapped: how a symbol is spelt when its bold is dropped."""
    out, k = [], 0
    marker = "\\mathbf{"
    while k < len(key):
        if key.startswith(marker, k):
            depth, j = 1, k + len(marker)
            while j < len(key) and depth:
                depth += {"{": 1, "}": -1}.get(key[j], 0)
                j += 1
            out.append(unbold(key[k + len(marker):j - 1]))
            k = j
        else:
            out.append(key[k])
            k += 1
    return "".join(out)


def _base(loose_key: str) -> str:
    """The base of a key: t of t^{(1)}, \\delta of \\delta_{o}^{(1)}."""
    cut = min((loose_key.find(c) for c in "_^ (" if c in loose_key), default=len(loose_key))
    return loose_key[:cut]


def _plain(latex: str) -> str:
    return "".join(latex.split())


def _unwrap(tree: Tree):
    """start -> expr -> single term: the node a declared symbol is."""
    node = tree.children[0] if tree.data == "start" else tree
    return _strip(node)


def _leaves(node):
    if isinstance(node, Tree):
        if node.data in ("letter", "greek", "word"):
            yield node
        else:
            for c in node.children:
                yield from _leaves(c)


def _constants(notation: Notation) -> dict:
    """Definitions that name an integer (T = 2 time steps, M = 2 samples): their values, for the limits of
    sums written out term by term."""
    out = {}
    for d in notation.definitions:
        text = d.text.strip()
        if not d.params and not d.shape and text.lstrip("-").isdigit() and len(text) < 10:
            out[notation.abstract(d.name)] = sympy.Integer(int(text))
    return out
