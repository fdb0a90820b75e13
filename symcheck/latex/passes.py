"""Token passes of the post-lexer: prose labels, letter runs, one-token arguments, stars."""
from __future__ import annotations

from symcheck.latex.commands import _CLOSERS, _FUNC_NAMES, _OPENERS, _retype, _token
from symcheck.latex.errors import _fail


def _prose(tokens: list) -> list:
    r"""Words that are not a name (\text{likelihood }, \text{After rounding up, the output is }) are a
    label when they open the claim or an item of a list, and are dropped; anywhere else they may carry
    mathematics (x \text{ plus } y), so they are refused."""
    out, depth = [], 0
    for k, t in enumerate(tokens):
        if t.type in _OPENERS:
            depth += 1
        elif t.type in _CLOSERS:
            depth -= 1
        if t.type != "PROSE":
            out.append(t)
            continue
        opens = not out or (depth == 0 and out[-1].type == "COMMA")
        rest = next((u for u in tokens[k + 1:] if u.type != "PROSE"), None)
        if opens and rest is not None and rest.type != "COMMA":
            continue
        if opens:
            _fail(f"the claim is words ({str(t)!r}), not a formula: keep the formula in the LaTeX and the "
                  f"words in the note", t)
        _fail(f"words inside a formula ({str(t)!r}): only a label before the formula is ignored", t)
    return out


def _letters(tokens: list) -> list:
    """Split letter runs into letters, except a function word before its argument
    (KL(p\\|q), sign(x)); read D_{KL}( as KL( and I\\{ as an indicator."""
    out = []
    k, n = 0, len(tokens)
    while k < n:
        t = tokens[k]
        nxt = tokens[k + 1].type if k + 1 < n else None
        if t.type == "LETTERS":
            v = str(t)
            if v == "D" and _is_divergence(tokens, k):
                name = _divergence_name(tokens[k + 3])
                out.append(_token("FUNC", name, t.start_pos, tokens[k + 4].end_pos, t))
                k += 5
                continue
            if v in _FUNC_NAMES and nxt in ("_LPAR", "_LBRACK", "_LSET"):
                out.append(_retype("FUNC", _FUNC_NAMES[v], t))
            elif v == "I" and nxt == "_LSET":
                out.append(_retype("INDICATOR", "1", t))
            else:
                for j, ch in enumerate(v):
                    out.append(_token("LETTER", ch, t.start_pos + j, t.start_pos + j + 1, t))
        else:
            out.append(t)
        k += 1
    return out


def _divergence_name(t) -> str:
    return "KL" if str(t) == "KL" else "JSD"


def _is_divergence(tokens, k) -> bool:
    """D_{KL}( or D_{\\mathrm{KL}}(: the KL divergence."""
    if k + 5 > len(tokens):
        return False
    sub, lb, name, rb = tokens[k + 1:k + 5]
    after = tokens[k + 5].type if k + 5 < len(tokens) else None
    return (sub.type == "_SUB" and lb.type == "_LBRACE" and rb.type == "_RBRACE"
            and name.type in ("LETTERS", "WORD", "FUNC") and str(name) in ("KL", "JS", "JSD")
            and after in ("_LPAR", "_LBRACK"))


def _split_arguments(tokens: list) -> list:
    r"""TeX reads one token as an argument: \frac12 is \frac{1}{2}, x^23 is x^{2}3."""
    out = list(tokens)
    k = 0
    while k < len(out):
        t = out[k]
        if t.type in ("_CARET", "_SUB"):
            _split_digit(out, k + 1)
        elif t.type == "FRAC":
            j = _split_digit(out, k + 1)
            if j is not None:
                _split_digit(out, j)
        elif t.type == "SQRT":
            j = k + 1
            if j < len(out) and out[j].type == "_LBRACK":
                j = _skip_group(out, j, "_LBRACK", "_RBRACK")
            if j is not None:
                _split_digit(out, j)
        k += 1
    return out


def _skip_group(tokens, j, open_type, close_type):
    depth = 0
    while j < len(tokens):
        if tokens[j].type == open_type:
            depth += 1
        elif tokens[j].type == close_type:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return None


def _split_digit(tokens, j):
    """Make tokens[j] one argument; return the index after it (None at the end)."""
    if j >= len(tokens):
        return None
    t = tokens[j]
    if t.type == "_LBRACE":
        return _skip_group(tokens, j, "_LBRACE", "_RBRACE")
    if t.type == "NUMBER" and len(str(t)) > 1 and str(t)[0] != ".":
        v = str(t)
        tokens[j:j + 1] = [_token("NUMBER", v[0], t.start_pos, t.start_pos + 1, t),
                           _token("NUMBER", v[1:], t.start_pos + 1, t.end_pos, t)]
    return j + 1


def _stars(tokens: list) -> list:
    """A * in a sub/superscript (w^*, w^{*}) marks a symbol; elsewhere it multiplies, and so it does
    in the dimensions of \\mathbb{R}^{10*300}."""
    out = []
    script_braces = []  # per open brace: "script", "dims" (of \mathbb{R}^{...}) or None
    for t in tokens:
        prev = out[-1].type if out else None
        if t.type == "_LBRACE":
            if prev == "_CARET" and _after_reals(out):
                script_braces.append("dims")
            else:
                script_braces.append("script" if prev in ("_CARET", "_SUB") else None)
        elif t.type == "_RBRACE" and script_braces:
            script_braces.pop()
        if t.type == "STARRAW":
            top = script_braces[-1] if script_braces else None
            in_script = prev in ("_CARET", "_SUB") or top == "script"
            t = _retype("STAR" if in_script else "MULOP", "*", t)
        out.append(t)
    return out


def _after_reals(out: list) -> bool:
    """Does out end with \\mathbb{R}^ (or \\mathbb R^)?"""
    if len(out) >= 3 and out[-1].type == "_CARET" and out[-2].type == "LETTER" and str(out[-2]) == "R" \
            and out[-3].type == "STYLE" and str(out[-3]) == "mathbb":
        return True
    return (len(out) >= 5 and out[-1].type == "_CARET" and out[-2].type == "_RBRACE" and out[-3].type == "LETTER"
            and str(out[-3]) == "R" and out[-4].type == "_LBRACE" and out[-5].type == "STYLE"
            and str(out[-5]) == "mathbb")
