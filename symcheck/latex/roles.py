"""The role of each raw token: a command, a letter run, a digit run, a punctuation mark."""
from __future__ import annotations

from lark import Token

from symcheck.latex.commands import (_ACCENTS, _BAR_COMMANDS, _FONTS, _FUNC_COMMANDS, _FUNC_NAMES, _GREEK,
    _GREEK_VARIANTS, _IF_WORDS, _OTHERWISE_WORDS, _PROSE_COMMANDS, _PUNCT, _RELATIONS, _retype, _SIMPLE, _SIZERS,
    _SPACING, _STYLES, _TEXT_COMMANDS, _token, _UNICODE, _UNICODE_GREEK)
from symcheck.latex.delimiters import _bar_token, _sized_delimiter
from symcheck.latex.errors import _fail
from symcheck.latex.limits import MAX_LITERAL_DIGITS


def _classify(raw: list) -> list:
    out = []
    k, n = 0, len(raw)
    sizer = None
    while k < n:
        t = raw[k]
        v = str(t)
        kind = t.type
        if sizer is not None:
            k = _sized_delimiter(raw, k, sizer, out)
            sizer = None
            continue
        if kind == "RAW_LETTERS":
            out.append(_retype("LETTERS", v, t))
        elif kind == "RAW_DIGITS":
            if len(v.replace(".", "")) > MAX_LITERAL_DIGITS:
                _fail(f"a number of {len(v.replace('.', ''))} digits; at most {MAX_LITERAL_DIGITS} are read: write a "
                      f"larger number as a power, e.g. 2^{{49}}", t)
            out.append(_retype("NUMBER", v, t))
        elif kind == "RAW_PUNCT":
            k = _punct(raw, k, out)
            continue
        elif kind == "RAW_CSYM":
            c = v[1:]
            if c in ",;:!> \n\t\r":
                pass
            elif c == "{":
                out.append(_retype("_LSET", "{", t))
            elif c == "}":
                out.append(_retype("_RSET", "}", t))
            elif c == "|":
                out.append(_retype("DBARRAW", "||", t))
            elif c == "%":
                out.append(_retype("MOD", "%", t))
            elif c == "\\":
                if k + 1 < n:  # a trailing \\ ends nothing
                    out.append(_retype("_ROWSEP", r"\\", t))
            elif c in "[(" and not out:
                pass  # \[ ... \] and \( ... \) around the claim
            elif c in "])" and k == n - 1:
                pass
            else:
                _fail(f"unsupported LaTeX command {v}: write the formula with \\frac, \\sqrt, \\sum, \\log, "
                      f"\\tanh, \\sigma, \\mathbf, ^\\top and the entry's symbols", t)
        elif kind == "RAW_CMD":
            name = v[1:]
            if name in _SPACING:
                pass
            elif name in _SIZERS:
                sizer = _SIZERS[name]
                if k + 1 >= n:
                    _fail(f"{v} must be followed by a delimiter", t)
            elif name in _GREEK or name in _GREEK_VARIANTS:
                out.append(_retype("GREEK", _GREEK_VARIANTS.get(name, name), t))
            elif name in _FUNC_COMMANDS:
                out.append(_retype("FUNC", _FUNC_NAMES[name], t))
            elif name in _SIMPLE:
                out.append(_retype(*_SIMPLE[name], t))
            elif name in _RELATIONS:
                out.append(_retype("REL", _RELATIONS[name], t))
            elif name in _BAR_COMMANDS:
                out.append(_bar_token(_BAR_COMMANDS[name], t))
            elif name in _TEXT_COMMANDS:
                k = _text(raw, k, out)
                continue
            elif name in _FONTS or name in _STYLES:
                k = _font(raw, k, out)
                continue
            elif name in _ACCENTS:
                out.append(_retype("ACCENT", _ACCENTS[name], t))
            elif name in ("begin", "end"):
                k = _environment(raw, k, out)
                continue
            else:
                _fail(f"unsupported LaTeX command {v}: write the formula with \\frac, \\sqrt, \\sum, \\log, "
                      f"\\tanh, \\sigma, \\mathbf, ^\\top and the entry's symbols", t)
        else:  # RAW_OTHER: a character outside ASCII
            if v in _UNICODE:
                out.append(_retype(*_UNICODE[v], t))
            elif v in _UNICODE_GREEK:
                out.append(_retype("GREEK", _UNICODE_GREEK[v], t))
            else:
                _fail(f"unexpected character {v!r}", t)
        k += 1
    return out


def _punct(raw, k, out) -> int:
    t = raw[k]
    v = str(t)
    n = len(raw)
    nxt = raw[k + 1] if k + 1 < n else None
    adjacent = nxt is not None and nxt.start_pos == t.end_pos
    if v in "<>!=":
        if adjacent and str(nxt) == "=":
            op = {"<": "<=", ">": ">=", "!": "!=", "=": "="}[v]
            out.append(_token("REL", op, t.start_pos, nxt.end_pos, t))
            return k + 2
        if v == "!":
            _fail("'!' (factorial) is not supported: write the product out", t)
        out.append(_retype("REL", v, t))
        return k + 1
    if v == "/" and adjacent and str(nxt) == "/":
        out.append(_token("FLOORDIV", "//", t.start_pos, nxt.end_pos, t))
        return k + 2
    if v == "%":
        out.append(_retype("MOD", "%", t))
        return k + 1
    if v in _PUNCT:
        out.append(_retype(_PUNCT[v], v, t))
        return k + 1
    if v == "~":
        return k + 1
    _fail(f"unexpected {v!r}", t)


def _group_text(raw, k, command: Token):
    """The plain text of the brace group starting at raw[k] ('{'): (text, next index, last token, the
    rest of a one-token argument, whether the text is set off by or contains spaces)."""
    if k >= len(raw) or str(raw[k]) != "{":
        if k < len(raw) and raw[k].type in ("RAW_LETTERS", "RAW_DIGITS"):  # \mathrm d: one character
            t = raw[k]
            v = str(t)
            return v[0], k + (1 if len(v) == 1 else 0), t, (v[1:] if len(v) > 1 else ""), False
        _fail(f"{command} must be followed by {{...}}", command)
    parts, last_end = [], raw[k].end_pos
    spaced = False
    j = k + 1
    while j < len(raw) and str(raw[j]) != "}":
        r = raw[j]
        v = str(r)
        if r.type in ("RAW_LETTERS", "RAW_DIGITS") or v in ".,:;-'":
            if last_end is not None and r.start_pos > last_end:
                parts.append(" ")
                spaced = True
            parts.append(v)
        elif r.type == "RAW_CSYM" and v[1:] in ",;:! ":
            parts.append(" ")
            spaced = True
        else:
            _fail(f"only plain words may appear in {command}{{...}}", r)
        last_end = r.end_pos
        j += 1
    if j >= len(raw):
        _fail(f"{command}{{ is never closed", command)
    if last_end is not None and raw[j].start_pos is not None and raw[j].start_pos > last_end:
        spaced = True
    return " ".join("".join(parts).split()), j + 1, raw[j], "", spaced


def _text(raw, k, out) -> int:
    """\\text{...}, \\mathrm{...}, \\operatorname{...}: one word."""
    command = raw[k]
    j = k + 1
    if j < len(raw) and str(raw[j]) == "*":  # \operatorname*
        j += 1
    word, after, last, rest, spaced = _group_text(raw, j, command)
    if rest:  # \mathrm de: only the first letter belongs to the command
        raw[after] = _token("RAW_LETTERS", rest, raw[after].start_pos + 1, raw[after].end_pos, raw[after])
    if not word:
        return after
    lower = word.lower()
    if lower in _IF_WORDS:
        kind, value = "IFWORD", lower
    elif lower in _OTHERWISE_WORDS:
        kind, value = "OTHERWISE", lower
    elif lower in ("and", "or"):
        kind, value = "CONN", lower
    elif word in _FUNC_NAMES:
        kind, value = "FUNC", _FUNC_NAMES[word]
    elif str(command)[1:] in _PROSE_COMMANDS and (spaced or any(c in word for c in ".,:;")):
        kind, value = "PROSE", word  # words, not a name: see _prose
    else:
        kind, value = "WORD", word
    out.append(_token(kind, value, command.start_pos, last.end_pos if not rest else command.end_pos + 1, command))
    return after


def _font(raw, k, out) -> int:
    r"""\mathbf, \mathcal...: and the special \mathbb{1} (indicator), \mathbb{E} (expectation)."""
    command = raw[k]
    name = str(command)[1:]
    style = _STYLES.get(name)
    content, end = None, None
    if k + 1 < len(raw):
        a = raw[k + 1]
        if str(a) == "{" and k + 3 < len(raw) and str(raw[k + 3]) == "}" and len(str(raw[k + 2])) == 1:
            content, end = str(raw[k + 2]), k + 4
        elif a.type in ("RAW_DIGITS", "RAW_LETTERS") and len(str(a)) == 1:
            content, end = str(a), k + 2
    if content is not None:
        nxt = str(raw[end]) if end < len(raw) else ""
        indicator_follows = nxt in (r"\{", "(", "[", "_", r"\left", r"\big", r"\Big", r"\bigl", r"\Bigl")
        if content == "1" and (style == "mathbb" or indicator_follows):
            out.append(_token("INDICATOR", "1", command.start_pos, raw[end - 1].end_pos, command))
            return end
        if content == "I" and style == "mathbb" and indicator_follows:
            out.append(_token("INDICATOR", "1", command.start_pos, raw[end - 1].end_pos, command))
            return end
        if content == "E" and style == "mathbb":
            out.append(_token("EXPECT", "E", command.start_pos, raw[end - 1].end_pos, command))
            return end
    if style is not None:
        out.append(_retype("STYLE", style, command))
    else:
        # a bold letter is another symbol than the plain one (\mathbf{t} is never the index t)
        out.append(_retype("FONT", "plain" if name == "mathnormal" else "bold", command))
    return k + 1


def _environment(raw, k, out) -> int:
    command = raw[k]
    name, after, last, _, _ = _group_text(raw, k + 1, command)
    name = name.rstrip("*")
    if name not in ("cases", "dcases", "rcases"):
        _fail(f"the environment {name or '?'} is not supported (only cases)", command)
    begin = str(command) == r"\begin"
    out.append(_token("_BEGIN_CASES" if begin else "_END_CASES", name, command.start_pos, last.end_pos, command))
    return after
