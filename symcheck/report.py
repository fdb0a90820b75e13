"""Answer sheets: verified entries turned into LaTeX.

``symcheck report`` writes one ``<sheet>.tex`` per source sheet: the problems in
the sheet's own order and numbering, each question with its answer, the
derivation as an aligned display with a verdict mark on every step, the
evidence behind each verdict, an erratum box wherever the source sheet is
wrong, and an appendix stating the method and the versions used.

This module has one job, turning verified entries into LaTeX.  Verification is
``symcheck.runs.verify_many`` (with its cache); layout lives in the Jinja2
templates of ``symcheck/templates/``.  The templates use LaTeX-safe delimiters::

    \\VAR{expression}   \\BLOCK{statement}   \\#{comment}   %% line statement

Prose (questions, answers, readings, notes, titles) is escaped where the
template uses it, with the ``tex`` filter: TeX's special characters are
escaped, the unicode the catalogue writes in prose becomes LaTeX, and inline
``$...$`` mathematics is left as written.  Mathematics comes from the claims'
``latex`` fields, or, for a claim without one, from SymPy's printer in the
entry's notation.

The output is deterministic: no dates, no timings, nothing unordered; the
verdicts come from fixed seeds per entry.  Running the command twice gives
byte-identical files.
"""
from __future__ import annotations

import os
import platform
import re
import shutil  # noqa: F401 - the tests stub shutil.which through this module
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import jinja2

from symcheck.errors import UsageError
from symcheck.latex_build import LATEX_PACKAGES, LatexMissing, build_pdf, first_error, latex_command  # noqa: F401
from symcheck.verdicts import VERDICTS

#: Where ``symcheck report`` writes when ``--out`` is not given: ``reports/``
#: relative to the current directory (run it from the project root).
DEFAULT_OUT = Path("reports")
BUILD = "build"
TEMPLATE = "sheet.tex"

#: Estimated widths, in em, used only to decide where a long step is broken;
#: LaTeX measures every line and scales one that would still be too wide.
LINE_EM = 29.0
ERRATUM_EM = 26.0
CONTINUATION_INDENT_EM = 2.0

#: Significant digits of a counterexample's coordinates (the claimed and reference values get ten).
POINT_DIGITS = 5

SOURCE_NAMES = {"sheet": "the sheet's answer", "answer": "our answer", "correction": "the corrected answer",
                "mistake": "a common mistake"}


# =====================================================================================
# Prose to TeX: the ``tex`` filter
# =====================================================================================

_TEXT_ESCAPES = {
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", '"': r"\textquotedbl{}",
}

# Unicode the catalogue writes in prose, as math (valid in text through \ensuremath).
_MATH_SYMBOLS = {
    "∂": r"\partial", "∇": r"\nabla", "⊙": r"\odot", "⊗": r"\otimes", "⊕": r"\oplus", "∘": r"\circ",
    "→": r"\to", "←": r"\leftarrow", "↦": r"\mapsto", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
    "↔": r"\leftrightarrow", "≈": r"\approx", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≡": r"\equiv",
    "∼": r"\sim", "≃": r"\simeq", "∝": r"\propto", "≪": r"\ll", "≫": r"\gg", "∈": r"\in", "∉": r"\notin",
    "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup", "∩": r"\cap", "∅": r"\emptyset", "∀": r"\forall",
    "∃": r"\exists", "∞": r"\infty", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "√": r"\surd",
    "±": r"\pm", "∓": r"\mp", "×": r"\times", "·": r"\cdot", "⋅": r"\cdot", "÷": r"\div", "−": "-",
    "‖": r"\|", "∣": r"\mid", "′": r"\prime", "ℓ": r"\ell", "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}",
    "ℤ": r"\mathbb{Z}", "𝔼": r"\mathbb{E}", "ℙ": r"\mathbb{P}", "⟨": r"\langle", "⟩": r"\rangle",
    "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil", "½": r"\tfrac{1}{2}",
    "¼": r"\tfrac{1}{4}", "¾": r"\tfrac{3}{4}", "°": r"^{\circ}", "∖": r"\setminus", "¬": r"\neg",
    "∧": r"\wedge", "∨": r"\vee", "⊤": r"\top", "⊥": r"\perp", "…": r"\ldots", "⋯": r"\cdots",
    "ϵ": r"\epsilon", "ε": r"\epsilon", "φ": r"\varphi", "ϕ": r"\phi", "ϑ": r"\vartheta", "ϱ": r"\varrho",
    "ς": r"\varsigma", "ϖ": r"\varpi", "λ": r"\lambda", "Λ": r"\Lambda", "µ": r"\mu",
}
_TEXT_SYMBOLS = {
    "–": "--", "—": "---", "‘": "`", "’": "'", "“": "``", "”": "''", "«": r"\guillemotleft{}",
    "»": r"\guillemotright{}", "§": r"\S{}", "¶": r"\P{}", "•": r"\textbullet{}", "\u00a0": "~",
    "…": r"\ldots{}", "©": r"\textcopyright{}", "ß": r"\ss{}", "æ": r"\ae{}", "ø": r"\o{}", "ł": r"\l{}",
    "Ł": r"\L{}", "Ø": r"\O{}", "Æ": r"\AE{}", "œ": r"\oe{}", "ı": r"\i{}",
}
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱˡᵀᵗᵏʲ", list("0123456789+-=()nil") + [r"\top", "t", "k", "j"]))
_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₗₙₜₓₘₚ", "0123456789+-=()ijklntxmp"))
# Combining accents on the previous letter: math accents, and text accents.
_MATH_ACCENTS = {"\u0302": r"\hat", "\u0303": r"\tilde", "\u0304": r"\bar", "\u0305": r"\bar",
                 "\u0307": r"\dot", "\u20d7": r"\vec", "\u0306": r"\breve", "\u030c": r"\check"}
_TEXT_ACCENTS = {"\u0301": ("\\'", r"\acute"), "\u0300": ("\\`", r"\grave"), "\u0308": ('\\"', r"\ddot"),
                 "\u0327": (r"\c", None), "\u030a": (r"\r", r"\mathring"), "\u030b": (r"\H", None)}
_GREEK_NAMES = {"lamda": "lambda"}
_GREEK_LATIN_CAPITALS = {"alpha": "A", "beta": "B", "epsilon": "E", "zeta": "Z", "eta": "H", "iota": "I",
                         "kappa": "K", "mu": "M", "nu": "N", "omicron": "O", "rho": "P", "tau": "T", "chi": "X"}


_ESCAPABLE = "$_%&#{}"


def _wordlike(ch: str) -> bool:
    return ch.isalnum() or ch in "_\\"


class TexFilter:
    """Prose to TeX.  Collects the characters it could not map (``unmapped``)."""

    _MATH = re.compile(r"\$\$.+?\$\$|\$(?=\S)(?:\\.|[^$\\])*?(?<=\S)\$(?!\d)", re.S)

    # x_{t-1}, h^t, e_1, σ_i written in prose: a letter with sub- and superscripts,
    # set as mathematics.  A longer word (conv_out, p_data) is left as text.
    _SCRIPT = r"[_^](?:\{[^{}$\\]{1,24}\}|[A-Za-z0-9]{1,2}(?![A-Za-z0-9]))"
    _SCRIPTED = re.compile(r"[A-Za-z\u0391-\u03c9]" + r"(?:" + _SCRIPT + r")+(?![_^])")

    def __init__(self):
        self.unmapped: set = set()

    def _scripted(self, token: str) -> str:
        out = [self._math_char(token[0])]
        for mark, braced, bare in re.findall(r"([_^])(?:\{([^{}]*)\}|([A-Za-z0-9]+))", token[1:]):
            out.append(mark + "{" + self.math(braced or bare) + "}")
        return "".join(out)

    def __call__(self, text) -> str:
        if text is None:
            return ""
        text = unicodedata.normalize("NFC", str(text))
        out, pos = [], 0
        for match in self._MATH.finditer(text):
            out.append(self.text(text[pos:match.start()]))
            out.append(self.math(match.group(0)))
            pos = match.end()
        out.append(self.text(text[pos:]))
        return "".join(out)

    # -- text mode -----------------------------------------------------------------------
    def text(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            ch = text[i]
            if ch == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
                # the seeds' own escapes (\_ in conv\_kernel\_size, \$): the literal character
                out.append(_TEXT_ESCAPES[text[i + 1]])
                i += 2
                continue
            scripted = self._SCRIPTED.match(text, i) if i == 0 or not _wordlike(text[i - 1]) else None
            if scripted:
                out.append(r"\ensuremath{" + self._scripted(scripted.group(0)) + "}")
                i = scripted.end()
                continue
            run = self._script_run(text, i)
            if run:
                tex, i = run
                out.append(r"\ensuremath{" + tex + "}")
                continue
            if i + 1 < len(text) and text[i + 1] in _MATH_ACCENTS:
                out.append(r"\ensuremath{" + _MATH_ACCENTS[text[i + 1]] + "{" + self._math_char(ch) + "}}")
                i += 2
                continue
            out.append(self._text_char(ch))
            i += 1
        return "".join(out)

    def _text_char(self, ch: str) -> str:
        if ch in _TEXT_ESCAPES:
            return _TEXT_ESCAPES[ch]
        if ord(ch) < 128:
            return ch
        if ch in _TEXT_SYMBOLS:
            return _TEXT_SYMBOLS[ch]
        math = self._math_symbol(ch)
        if math is not None:
            return r"\ensuremath{" + math + "}"
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) >= 2 and ord(decomposed[0]) < 128:
            base, accents = decomposed[0], decomposed[1:]
            tex = base
            for accent in accents:
                if accent in _TEXT_ACCENTS:
                    tex = _TEXT_ACCENTS[accent][0] + "{" + tex + "}"
                elif accent in _MATH_ACCENTS:
                    return r"\ensuremath{" + self._math_accented(base, accents) + "}"
                elif accent == "\u0303":
                    tex = r"\~{" + tex + "}"
                else:
                    return self._unmapped(ch)
            return tex
        return self._unmapped(ch)

    # -- math mode -----------------------------------------------------------------------
    def math(self, span: str) -> str:
        """Inline math from prose: left as written, unicode mapped to commands."""
        if span.isascii():
            return span
        out, i = [], 0
        while i < len(span):
            ch = span[i]
            run = self._script_run(span, i)
            if run:
                tex, i = run
                out.append("{}" + tex if out and out[-1].endswith(("^", "_")) else tex)
                continue
            if i + 1 < len(span) and span[i + 1] in _MATH_ACCENTS:
                out.append(_MATH_ACCENTS[span[i + 1]] + "{" + self._math_char(ch) + "}")
                i += 2
                continue
            out.append(self._math_char(ch))
            i += 1
        return "".join(out)

    def _math_char(self, ch: str) -> str:
        if ord(ch) < 128:
            return ch
        math = self._math_symbol(ch)
        if math is not None:
            return "{" + math + "}"
        decomposed = unicodedata.normalize("NFD", ch)
        if len(decomposed) >= 2 and ord(decomposed[0]) < 128:
            return "{" + self._math_accented(decomposed[0], decomposed[1:]) + "}"
        if ch in _TEXT_SYMBOLS:
            return r"\text{" + _TEXT_SYMBOLS[ch] + "}"
        return self._unmapped(ch)

    def _math_accented(self, base: str, accents: str) -> str:
        tex = base
        for accent in accents:
            command = _MATH_ACCENTS.get(accent) or (_TEXT_ACCENTS.get(accent, (None, None))[1])
            if command is None:
                return self._unmapped(base + accents)
            tex = command + "{" + tex + "}"
        return tex

    # -- shared ----------------------------------------------------------------------------
    @staticmethod
    def _math_symbol(ch: str) -> str | None:
        if ch in _MATH_SYMBOLS:
            return _MATH_SYMBOLS[ch]
        match = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", unicodedata.name(ch, ""))
        if not match:
            return None
        letter = _GREEK_NAMES.get(match.group(2).lower(), match.group(2).lower())
        if match.group(1) == "SMALL":
            return "o" if letter == "omicron" else "\\" + letter
        if letter in _GREEK_LATIN_CAPITALS:
            return r"\mathrm{" + _GREEK_LATIN_CAPITALS[letter] + "}"
        return "\\" + letter.capitalize()

    @staticmethod
    def _script_run(text: str, i: int):
        """A run of superscript (or subscript) characters, merged into one group."""
        for table, mark in ((_SUPERSCRIPTS, "^"), (_SUBSCRIPTS, "_")):
            if text[i] in table:
                j = i
                while j < len(text) and text[j] in table:
                    j += 1
                body = " ".join(table[c] for c in text[i:j]) if any(table[c].startswith("\\") for c in text[i:j]) \
                    else "".join(table[c] for c in text[i:j])
                return f"{mark}{{{body}}}", j
        return None

    def _unmapped(self, ch: str) -> str:
        self.unmapped.add(ch)
        return r"\texttt{[U+" + "+".join(f"{ord(c):04X}" for c in ch) + "]}"


def tex(text) -> str:
    """Escape prose for TeX, keeping ``$...$`` math (the ``tex`` template filter)."""
    return TexFilter()(text)


def math_unicode(latex: str) -> str:
    """A LaTeX math string with any unicode mapped to commands (claims' latex fields)."""
    return TexFilter().math(unicodedata.normalize("NFC", latex or ""))


def pdf_string(text) -> str:
    """Plain ASCII for PDF metadata (hyperref's pdftitle): accents dropped, TeX specials escaped."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(_TEXT_ESCAPES.get(ch, ch) if ch not in "<>|\"" else " " for ch in ascii_text)


# =====================================================================================
# Jinja2
# =====================================================================================

def environment(tex_filter: TexFilter | None = None) -> jinja2.Environment:
    """The template environment: LaTeX-safe delimiters, StrictUndefined, no autoescape."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        block_start_string=r"\BLOCK{", block_end_string="}",
        variable_start_string=r"\VAR{", variable_end_string="}",
        comment_start_string=r"\#{", comment_end_string="}",
        line_statement_prefix="%%", line_comment_prefix="%#",
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False, undefined=jinja2.StrictUndefined,
    )
    tex_filter = tex_filter or TexFilter()
    env.filters["tex"] = tex_filter
    # the engine's words (reasons, stages, notes on a counterexample) may quote a claim or a cached
    # record, which are not ours to typeset: every character is text there, a $ is a dollar sign
    env.filters["plain"] = lambda text: tex_filter.text(unicodedata.normalize("NFC", str(text or "")))
    env.filters["sci"] = sci
    env.filters["num"] = number
    env.filters["pdfstring"] = pdf_string
    return env


# =====================================================================================
# Numbers
# =====================================================================================

def sci(value: float, digits: int = 2) -> str:
    """A relative error as TeX math: 7.4\\times10^{-11} (two significant digits)."""
    value = float(value)
    if value == 0:
        return "0"
    if value != value:
        return r"\text{n/a}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    exponent = int(exponent)
    if float(mantissa) == 1 and digits == 1:
        return f"10^{{{exponent}}}" if exponent else "1"
    if -3 <= exponent <= 3:
        return f"{value:.{max(digits - 1 - exponent, 0)}f}" if exponent < digits else f"{value:.0f}"
    return rf"{mantissa}\times 10^{{{exponent}}}"


def number(value, digits: int = 6) -> str:
    """A point coordinate, claimed or reference value, as TeX math."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(v, (list, tuple)) and v and isinstance(v[0], (list, tuple)) for v in value):
            return r"\left(" + r",\ ".join(number(v, digits) for v in value) + r"\right)"  # a tensor
        if value and all(isinstance(v, (list, tuple)) for v in value):
            rows = r" \\ ".join(" & ".join(number(v, digits) for v in row) for row in value)
            return r"\left(\begin{smallmatrix} " + rows + r" \end{smallmatrix}\right)"
        return r"(" + r",\allowbreak\ ".join(number(v, digits) for v in value) + ")"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value, digits)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return text
    match = re.fullmatch(r"(-?)(\d+)/(\d+)", text)
    if match:
        return rf"{match.group(1)}\tfrac{{{match.group(2)}}}{{{match.group(3)}}}"
    try:
        return _float(float(text), digits)
    except ValueError:
        return r"\text{" + TexFilter().text(text) + "}"  # words, never mathematics


def _float(value: float, digits: int) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return r"\text{" + ("undefined" if value != value else ("$\\infty$" if value > 0 else "$-\\infty$")) + "}"
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return rf"{mantissa}\times 10^{{{int(exponent)}}}"
    return text


# =====================================================================================
# Breaking long mathematics
# =====================================================================================

_TOKEN = re.compile(r"\\[A-Za-z]+\*?|\\.|\s+|.", re.S)
_ZERO = {r"\left", r"\right", r"\displaystyle", r"\textstyle", r"\limits", r"\nolimits", r"\middle"}
_SPACES = {r"\,": 0.17, r"\:": 0.22, r"\;": 0.28, r"\!": -0.17, r"\quad": 1.0, r"\qquad": 2.0, r"\ ": 0.3,
           "~": 0.3, r"\enspace": 0.5}
_ONE_ARG_SAME = {r"\mathbf", r"\mathrm", r"\mathcal", r"\mathbb", r"\boldsymbol", r"\mathit", r"\mathsf",
                 r"\bm", r"\hat", r"\tilde", r"\bar", r"\vec", r"\dot", r"\ddot", r"\widehat", r"\widetilde",
                 r"\overline", r"\underline", r"\mathring", r"\check", r"\breve", r"\acute", r"\grave",
                 r"\operatorname", r"\mathop", r"\mathrel", r"\mathbin", r"\left.", r"\boxed", r"\phantom",
                 r"\textcolor"}
_TEXT_ARG = {r"\text", r"\textrm", r"\textbf", r"\textit", r"\mbox", r"\texttt", r"\mathrm"}
_BIG_OPS = {r"\sum", r"\prod", r"\int", r"\oint", r"\bigcup", r"\bigcap", r"\lim", r"\max", r"\min",
            r"\sup", r"\inf", r"\argmax", r"\argmin"}
_FUNCTIONS = {r"\log", r"\ln", r"\exp", r"\sin", r"\cos", r"\tan", r"\tanh", r"\sinh", r"\cosh", r"\det",
              r"\max", r"\min", r"\sup", r"\inf", r"\lim", r"\arg", r"\sgn", r"\dim", r"\ker", r"\Pr"}
_OPENERS = {r"\left", r"\bigl", r"\Bigl", r"\biggl", r"\Biggl"}
_CLOSERS = {r"\right", r"\bigr", r"\Bigr", r"\biggr", r"\Biggr"}
_RELATIONS = {"=", "<", ">", r"\le", r"\leq", r"\ge", r"\geq", r"\ne", r"\neq", r"\approx", r"\equiv",
              r"\propto", r"\sim", r"\simeq", r"\coloneqq", r"\leqslant", r"\geqslant"}
_BINARY = {"+", "-", r"\pm", r"\mp"}


def _tokens(latex: str) -> list[str]:
    return _TOKEN.findall(latex)


def _group(tokens: list, i: int) -> tuple[list, int]:
    """The argument at tokens[i] (a braced group or one token); returns (tokens, next index)."""
    while i < len(tokens) and tokens[i].isspace():
        i += 1
    if i >= len(tokens):
        return [], i
    if tokens[i] != "{":
        return [tokens[i]], i + 1
    depth, j = 0, i
    while j < len(tokens):
        if tokens[j] == "{":
            depth += 1
        elif tokens[j] == "}":
            depth -= 1
            if depth == 0:
                return tokens[i + 1:j], j + 1
        j += 1
    return tokens[i + 1:], len(tokens)


def width(latex: str) -> float:
    """A rough display width of math in em: enough to choose where to break a line."""
    return _width(_tokens(latex))


def _width(tokens: list) -> float:
    total, i, last_big = 0.0, 0, False
    while i < len(tokens):
        t = tokens[i]
        if t.isspace():
            i += 1
            continue
        big = False
        if t in ("^", "_"):
            arg, i = _group(tokens, i + 1)
            w = 0.7 * _width(arg)
            total += max(0.0, w - 1.4) if last_big else w
            big = last_big
        elif t == "{" or t == "}":
            arg, i = _group(tokens, i) if t == "{" else ([], i + 1)
            total += _width(arg)
        elif t in (r"\frac", r"\dfrac", r"\tfrac", r"\binom"):
            a, i = _group(tokens, i + 1)
            b, i = _group(tokens, i)
            scale = 0.75 if t == r"\tfrac" else 0.9
            total += scale * max(_width(a), _width(b)) + 0.4
        elif t == r"\sqrt":
            j = i + 1
            if j < len(tokens) and tokens[j] == "[":
                while j < len(tokens) and tokens[j] != "]":
                    j += 1
                j += 1
            a, i = _group(tokens, j)
            total += _width(a) + 1.0
        elif t == r"\begin":
            name, i = _group(tokens, i + 1)
            body, i = _environment(tokens, i, "".join(name))
            rows = _split_top(body, r"\\")
            total += max((sum(_width(c) + 1.0 for c in _split_top(r, "&")) for r in rows), default=0) + 1.0
        elif t in _TEXT_ARG:
            arg, i = _group(tokens, i + 1)
            total += 0.5 * len("".join(arg))
        elif t in _ONE_ARG_SAME:
            arg, i = _group(tokens, i + 1)
            total += _width(arg) if t != r"\phantom" else _width(arg)
        elif t in (r"\vphantom",):
            _, i = _group(tokens, i + 1)
        elif t in _ZERO:
            i += 1
        elif t in _SPACES:
            total += _SPACES[t]
            i += 1
        elif t in _BIG_OPS:
            total += 1.4 if t in (r"\sum", r"\prod", r"\int") else 0.55 * len(t)
            big = True
            i += 1
        elif t in _FUNCTIONS:
            total += 0.5 * (len(t) - 1) + 0.2
            i += 1
        elif t in _RELATIONS or t in _BINARY or t in (r"\cdot", r"\times", r"\odot", r"\otimes", r"\circ"):
            total += 1.3
            i += 1
        elif t.startswith("\\"):
            total += 0.65 if len(t) > 2 else 0.3
            i += 1
        elif t in "()[]|.,;:!'":
            total += 0.35
            i += 1
        else:
            total += 0.55
            i += 1
        last_big = big or (last_big and t in ("^", "_"))
    return total


def _environment(tokens: list, i: int, name: str) -> tuple[list, int]:
    depth, j = 1, i
    while j < len(tokens):
        if tokens[j] == r"\begin":
            depth += 1
        elif tokens[j] == r"\end":
            depth -= 1
            if depth == 0:
                _, k = _group(tokens, j + 1)
                return tokens[i:j], k
        j += 1
    return tokens[i:], len(tokens)


def _split_top(tokens: list, separator: str) -> list[list]:
    """Split tokens at a separator that is not nested in braces or environments."""
    parts, current, depth = [], [], 0
    for t in tokens:
        if t in ("{", r"\begin"):
            depth += 1
        elif t in ("}", r"\end"):
            depth -= 1
        if t == separator and depth == 0:
            parts.append(current)
            current = []
        else:
            current.append(t)
    parts.append(current)
    return parts


def _operand_end(tokens: list, i: int) -> bool:
    """Does the material before tokens[i] end with an operand (so + or - there is binary)?"""
    j = i - 1
    while j >= 0 and tokens[j].isspace():
        j -= 1
    if j < 0:
        return False
    prev = tokens[j]
    if prev in _RELATIONS or prev in _BINARY or prev in ("(", "[", "&", ",", "{", r"\left", r"\cdot", r"\times"):
        return False
    if j >= 1 and tokens[j - 1] in _OPENERS:
        return False
    return True


def _break_points(tokens: list) -> list[tuple[int, bool]]:
    """Where a line may break: (index, preference) before a top-level + or - (0) or a relation (1),
    or after a top-level comma (2)."""
    points, depth, i = [], 0, 0
    while i < len(tokens):
        t = tokens[i]
        if t in ("{", r"\begin") or t in _OPENERS:
            depth += 1
            if t in _OPENERS:
                i += 1  # the delimiter itself
        elif t in ("}", r"\end") or t in _CLOSERS:
            depth -= 1
            if t in _CLOSERS:
                i += 1
        elif t == "(":
            depth += 1
        elif t == ")":
            depth -= 1
        elif depth == 0 and i > 0 and (t in _RELATIONS or (t in _BINARY and _operand_end(tokens, i))):
            points.append((i, 1 if t in _RELATIONS else 0))
        elif depth == 0 and t == "," and i + 1 < len(tokens):
            j = i + 1  # after a comma: the next line starts with the next item, its spacing dropped
            while j < len(tokens) and (tokens[j].isspace() or tokens[j] in _SPACES):
                j += 1
            if j < len(tokens):
                points.append((j, 2))
        i += 1
    return points


def break_math(latex: str, budget: float = LINE_EM) -> list[str]:
    """Break display math into lines no wider than ``budget`` em (estimated).

    Lines break before a top-level relation or binary + and -, continuation
    lines starting with that operator, or after a top-level comma.  A single term too wide for a line is
    broken inside its outermost \\left( ... \\right) group, the delimiters
    completed with \\right. / \\left. and sized alike by a \\vphantom of the
    whole group.  A line that still does not fit is scaled by LaTeX (\\fitmath).
    """
    latex = latex.strip()
    if width(latex) <= budget:
        return [latex]
    tokens = _tokens(latex)
    pieces = _pack(tokens, _break_points(tokens), budget)
    out = []
    for k, piece in enumerate(pieces):
        text = "".join(piece).strip()
        room = budget - (CONTINUATION_INDENT_EM if k else 0)
        if width(text) > room:
            out.extend(_break_inside(piece, room))
        else:
            out.append(text)
    return [line for line in out if line]


def _pack(tokens: list, points: list, budget: float) -> list[list]:
    """Cut tokens into lines that fit: the cut is the most natural point (comma, then relation, then
    + or -) among those that keep the line at least half full, the latest such point on a tie."""
    lines, start = [], 0
    while start < len(tokens):
        room = budget - (CONTINUATION_INDENT_EM if lines else 0)
        if _width(tokens[start:]) <= room:
            lines.append(tokens[start:])
            break
        fitting = [(i, kind) for i, kind in points if i > start and _width(tokens[start:i]) <= room]
        if not fitting:
            later = [i for i, _ in points if i > start]
            if not later:
                lines.append(tokens[start:])
                break
            cut = later[0]  # nothing fits: the shortest overlong line (LaTeX scales it)
        else:
            full = [(kind, i) for i, kind in fitting if _width(tokens[start:i]) >= room / 2]
            cut = max(full)[1] if full else fitting[-1][0]
        line = tokens[start:cut]
        while line and (line[-1].isspace() or line[-1] in _SPACES):
            line = line[:-1]  # the spacing after a comma is dropped at the break
        lines.append(line)
        start = cut
    return lines


def _break_inside(tokens: list, budget: float) -> list[str]:
    """Break one long term inside its widest top-level \\left ... \\right group."""
    best = None
    depth, i = 0, 0
    while i < len(tokens):
        t = tokens[i]
        if t == r"\left" and depth == 0:
            start, j, inner = i, i + 2, 1
            while j < len(tokens) and inner:
                if tokens[j] == r"\left":
                    inner += 1
                elif tokens[j] == r"\right":
                    inner -= 1
                j += 1
            end = j - 1  # index of the matching \right
            if end < len(tokens) and tokens[end] == r"\right":
                w = _width(tokens[start + 2:end])
                if best is None or w > best[2]:
                    best = (start, end, w)
            i = end + 2
            continue
        if t in ("{", r"\begin"):
            depth += 1
        elif t in ("}", r"\end"):
            depth -= 1
        i += 1
    if best is None:
        return ["".join(tokens).strip()]
    start, end, _ = best
    open_delim, close_delim = tokens[start + 1], tokens[end + 1] if end + 1 < len(tokens) else "."
    body = tokens[start + 2:end]
    before, after = "".join(tokens[:start]), "".join(tokens[end + 2:])
    inner_lines = _pack(body, _break_points(body), max(budget - _width(_tokens(before)) - 1.0, 10.0))
    if len(inner_lines) < 2:
        return ["".join(tokens).strip()]
    phantom = r"\vphantom{" + "".join(body) + "}"
    out = []
    for k, piece in enumerate(inner_lines):
        text = "".join(piece).strip()
        left = (before + r"\left" + open_delim) if k == 0 else r"\left."
        right = (r"\right" + close_delim + after) if k == len(inner_lines) - 1 else r"\right."
        out.append(f"{left} {phantom} {text} {right}".strip())
    return out


# =====================================================================================
# From verified entries to a template context
# =====================================================================================

@dataclass
class Line:
    """One line of an aligned display: the relation column, the math, and the tag."""

    relation: str
    math: str
    tag: str | None = None
    continuation: bool = False


def _relation_tex(relation: str) -> str:
    return {"=": "=", "<=": r"\le", ">=": r"\ge"}.get(relation, "=")


def claim_math(entry, claim) -> str:
    """The claim's LaTeX: its own ``latex`` field, or SymPy's printer in the entry's notation."""
    if claim.latex:
        return math_unicode(claim.latex)
    return sympy_latex(entry, claim.text)


def sympy_latex(entry, text: str) -> str:
    """A claim in the entry's text syntax, printed by SymPy with the entry's LaTeX names."""
    import sympy

    try:
        entry.asks.bind(entry)
        expr = entry.asks.parse(text)
        names = entry.notation.latex_names()
        symbols = {}
        for atom in expr.atoms(sympy.Symbol, sympy.MatrixSymbol, sympy.IndexedBase):
            name = getattr(atom, "name", None) or str(atom)
            if name in names:
                symbols[atom] = names[name]
        return math_unicode(sympy.latex(expr, symbol_names=symbols))
    except Exception:  # noqa: BLE001 - a printer failure must not stop the sheet: show the text
        return r"\texttt{" + TexFilter().text(text) + "}"  # the claim as typed: code, never mathematics


def _sizes_tex(entry, sizes_list: list) -> str:
    """[{'n': 2}, {'n': 3}] -> '$n = 2, 3$' (with the sizes' LaTeX names; breakable after commas)."""
    sizes_list = [s for s in sizes_list or [] if s]
    if not sizes_list:
        return ""
    names = entry.notation.latex_names() if entry is not None else {}
    keys = list(sizes_list[0])
    comma = r",\allowbreak "
    label = lambda k: math_unicode(names.get(k, k))  # noqa: E731
    if len(keys) == 1:
        values = comma.join(str(s[keys[0]]) for s in sizes_list)
        return f"${label(keys[0])} = {values}$"
    head = comma.join(label(k) for k in keys)
    values = comma.join("(" + comma.join(str(s.get(k)) for k in keys) + ")" for s in sizes_list)
    return f"$({head}) = {values}$"


def _point_tex(entry, point: dict) -> list[str]:
    names = entry.notation.latex_names()
    out = []
    for name in point:
        label = names.get(name)
        label = math_unicode(label) if label else r"\mathtt{" + tex(name).replace("\\_", r"\_") + "}"
        out.append(f"{label} = {_point_value(point[name])}")
    return out


def _point_value(value) -> str:
    """A coordinate as TeX; a wall of a matrix (verdicts.wall) as its shape and the entries that are not zero."""
    from symcheck.verdicts import wall

    summary = wall(value)
    if summary is None:
        return number(value, POINT_DIGITS)
    shape = r"\times ".join(map(str, summary["shape"]))
    if summary["nonzero"] is None:
        kind = {1: "vector", 2: "matrix"}.get(len(summary["shape"]), "array")
        return rf"\text{{a }}{shape}\text{{ {kind} (its entries: symcheck show -{{}}-json)}}"
    entries = r",\ ".join(f"({','.join(map(str, i))}) \\mapsto {number(v, POINT_DIGITS)}" for i, v in summary["nonzero"])
    return rf"{shape}\text{{, zero except }}{entries}" if entries else rf"0_{{{shape}}}"


def _counterexample(entry, cx) -> dict | None:
    if cx is None:
        return None
    entry_index = list(cx.entry) if cx.entry else []
    index_names = list(getattr(entry.asks, "index", ()) or ())
    if entry_index and len(index_names) == len(entry_index):
        # positions count from 1; an index may start elsewhere (t = 0)
        origin = getattr(entry.asks, "origin", 1)
        origins = origin if isinstance(origin, tuple) else (origin,) * len(entry_index)
        names = entry.notation.latex_names()
        at = "in the entry $" + ", ".join(f"{math_unicode(names.get(n, n))} = {v - 1 + o}"
                                         for n, v, o in zip(index_names, entry_index, origins)) + "$"
    elif entry_index:
        at = ("in entry $" + (str(entry_index[0]) if len(entry_index) == 1 else
                              "(" + ", ".join(str(v) for v in entry_index) + ")") + "$")
    else:
        at = ""
    return {
        "sizes": _sizes_tex(entry, [cx.sizes]),
        "point": _point_tex(entry, cx.point or {}),
        "at": at,
        # numbers as numbers; a structural counterexample's words ("shape 2×3", "undefined") as text
        "claimed": number(cx.claimed, 10),
        "reference": number(cx.reference, 10),
        "digits": int(cx.digits or 0),
        "exact": bool(getattr(cx, "exact", False)),
        "note": cx.note or "",
    }


def _claim_view(entry, claim, result) -> dict:
    ev = result.evidence if result is not None else None
    symbolic = (ev.symbolic or {}) if ev is not None else {}
    proved = bool(symbolic.get("proved"))
    verdict, reason = _verdict(result)
    return {
        "label": claim.label,
        "auto_label": bool(re.fullmatch(r"(claim|step) \d+|sheet|answer|corrected|correction", claim.label)),
        "source": claim.source,
        "source_name": SOURCE_NAMES.get(claim.source, claim.source),
        "verdict": verdict,
        "expected": claim.expect,
        "note": claim.note or "",
        "reason": reason,
        "stage": symbolic.get("stage") or "" if proved else "",
        "proof_sizes": _sizes_tex(entry, symbolic.get("sizes") or []) if proved else "",
        "points": int(ev.points) if ev is not None else 0,
        "worst": float(ev.worst_error) if ev is not None else 0.0,
        "margin": getattr(ev, "margin", None) if ev is not None else None,
        "counterexample": _counterexample(entry, ev.counterexample) if ev is not None else None,
        "corrects": claim.corrects,
        "relation": _relation_tex(claim.relation),
        "in_erratum": False,
    }


def _verdict(result) -> tuple[str, str]:
    """The verdict and its reason; only the closed set of verdicts is ever typeset (as ``\\verdict{...}``)."""
    if result is None:
        return "undecided", "not verified"
    if result.verdict not in VERDICTS:
        return "error", f"the engine returned a verdict that is not one of {', '.join(VERDICTS)}"
    return result.verdict, result.reason or ""


def _display(entry, claims: list, views: dict, budget: float) -> list[Line]:
    """Aligned lines for a chain (or one claim): the relation, the broken math, the tag."""
    lines = []
    for k, claim in enumerate(claims):
        pieces = break_math(claim_math(entry, claim), budget)
        relation = "" if k == 0 else views[claim.label]["relation"]
        for p, piece in enumerate(pieces):
            lines.append(Line(relation if p == 0 else "", piece, views[claim.label]["verdict"] if p == 0 else None,
                              continuation=p > 0))
    return lines


def _blocks(entry, views: dict, budget: float) -> list[dict]:
    """The entry's claims (not corrections) as displays: a chain is one display."""
    groups, seen = [], set()
    main = [c for c in entry.claims if c.source != "correction"]
    for claim in main:
        if claim.label in seen:
            continue
        chain = [c for c in main if claim.chain is not None and c.chain == claim.chain]
        if len(chain) > 1:
            groups.append((True, chain))
        elif groups and not groups[-1][0] and groups[-1][1][-1].source == claim.source:
            groups[-1][1].append(claim)  # standalone claims of one source share a display, a line each
        else:
            groups.append((False, [claim]))
        seen.update(c.label for c in (chain or [claim]))
    blocks = []
    for is_chain, group in groups:
        sources = sorted({c.source for c in group})
        if is_chain:
            lines = _display(entry, group, views, budget)
        else:
            lines = [line for c in group for line in _display(entry, [c], views, budget)]
        blocks.append({"chain": is_chain, "source": sources[0] if len(sources) == 1 else "mixed",
                       "lines": lines, "claims": [views[c.label] for c in group]})
    return blocks


def _errata(entry, views: dict) -> list[dict]:
    """One erratum per refuted claim of the sheet (or per refuted chain), with its corrections."""
    errata, done = [], set()
    for claim in entry.claims:
        view = views[claim.label]
        # a common mistake is shown wrong on purpose: it is no erratum of the sheet
        if claim.source in ("correction", "mistake") or view["verdict"] != "refuted" or claim.label in done:
            continue
        if claim.chain is not None:
            chain = [c for c in entry.claims if c.chain == claim.chain and c.source != "correction"]
            wrong = [c for c in chain if views[c.label]["verdict"] == "refuted"]
            targets = {c.label for c in chain}
        else:
            wrong, targets = [claim], {claim.label}
        done.update(c.label for c in wrong)
        for c in wrong:
            views[c.label]["in_erratum"] = True
        fixes = [c for c in entry.claims if c.source == "correction" and c.corrects in targets]
        errata.append({
            "wrong": [views[c.label] for c in wrong],
            "corrections": [{"view": views[c.label], "lines": _display(entry, [c], views, ERRATUM_EM)}
                            for c in fixes],
        })
    return errata


def _bind(entry) -> None:
    """Bind the entry's question as verification does: some kinds take their index names and
    tolerances from a target question only then, so the sheet must not depend on whether this
    process verified the entry itself or read it from the cache."""
    try:
        entry.asks.bind(entry)
    except Exception:  # noqa: BLE001 - a broken entry is reported by its verdicts, not here
        pass


def _entry_view(entry, result) -> dict:
    _bind(entry)
    results = {c.label: c for c in (result.claims if result is not None else [])}
    views = {c.label: _claim_view(entry, c, results.get(c.label)) for c in entry.claims}
    errata = _errata(entry, views)
    blocks = _blocks(entry, views, LINE_EM)
    return {
        "kind": "entry", "id": entry.id, "title": entry.title, "problem": entry.problem,
        "question": entry.question, "reading": entry.reading or "", "answer": entry.answer or "",
        "error": (result.error if result is not None else "not verified") or "",
        "blocks": blocks, "errata": errata,
        "claims": [views[c.label] for c in entry.claims],
        "sources": sorted({c.source for c in entry.claims}),
    }


def _prose_view(item) -> dict:
    return {"kind": "prose", "id": item.id, "title": item.title, "problem": item.problem,
            "question": item.question, "answer": item.answer, "why": item.why}


def top_number(label: str) -> str:
    """The top-level problem number of a label: 'Q1.4' -> '1', '5(ii)' -> '5', '§2.3' -> '2'."""
    match = re.search(r"\d+", label)
    return match.group(0) if match else label


def _problems(items: list, views: dict, required: list) -> list[dict]:
    problems: list = []
    for item in items:
        number = top_number(item.problem)
        if not problems or problems[-1]["number"] != number:
            problems.append({"number": number, "parts": [], "missing": False})
        parts = problems[-1]["parts"]
        if not parts or parts[-1]["label"] != item.problem:
            parts.append({"label": item.problem, "heading": item.problem.strip() != number, "answers": []})
        parts[-1]["answers"].append(views[item.id])
    present = {p["number"] for p in problems}
    numbers = [int(p["number"]) for p in problems if p["number"].isdigit()]
    wanted = sorted(set(required) | set(range(1, max(numbers) + 1) if numbers else set()))
    missing = [str(n) for n in wanted if str(n) not in present]
    for n in missing:
        problems.append({"number": n, "parts": [], "missing": True})
    problems.sort(key=lambda p: (0, int(p["number"])) if p["number"].isdigit() else (1, p["number"]))
    # a stable sort keeps the catalogue's order within non-numeric labels
    return problems


def _cascade_stages() -> list[dict]:
    """The proof cascade's stages, described from symcheck/cascade.py's own documentation."""
    from symcheck import cascade

    doc = cascade.__doc__ or ""
    described = {}
    for match in re.finditer(r"^\d+\.\s+\*\*(\w+)\*\*:\s*(.+?)(?=^\d+\.\s|\n\s*\n|\Z)", doc, re.S | re.M):
        text = " ".join(match.group(2).split())
        described[match.group(1)] = text.replace("``", "").replace("**", "")
    return [{"name": s, "text": described.get(s, "")} for s in cascade.STAGES]


def _method() -> dict:
    import mpmath
    import numpy
    import scipy
    import sympy

    from symcheck import domains, gradcheck, precision, verifier
    from symcheck.questions import base

    return {
        "stages": _cascade_stages(),
        "budget": f"{verifier.CLAIM_BUDGET:g}",
        "rtol": sci(gradcheck.RTOL, 1), "atol": sci(gradcheck.ATOL, 1), "step": sci(gradcheck.STEP, 2),
        "kink_margin": f"{domains.KINK_MARGIN:g}",
        "points": base.POINTS_PER_INSTANCE, "random_instances": base.RANDOM_INSTANCES,
        "digits": precision.DIGITS, "hp_tolerance": sci(float(precision.HP_TOLERANCE), 1),
        "hp_points": getattr(verifier, "HP_SEARCH_POINTS", 0),
        "versions": [("Python", platform.python_version()), ("SymPy", sympy.__version__),
                     ("NumPy", numpy.__version__), ("SciPy", scipy.__version__), ("mpmath", mpmath.__version__),
                     ("Jinja2", jinja2.__version__)],
    }


def _tolerance(entry) -> str:
    rtol, atol = getattr(entry.asks, "rtol", None), getattr(entry.asks, "atol", None)
    if rtol is None or atol is None:
        return ""
    return f"${sci(rtol, 1)}$ / ${sci(atol, 1)}$"


def _summary(views: list) -> dict:
    tally = {v: 0 for v in ("proved", "confirmed", "refuted", "undecided", "error")}
    for view in views:
        for c in view.get("claims", []):
            tally[c["verdict"]] = tally.get(c["verdict"], 0) + 1
    errata = sum(len(v.get("errata", [])) for v in views)
    return {"tally": tally, "claims": sum(tally.values()), "errata": errata,
            "entries": sum(1 for v in views if v["kind"] == "entry"),
            "prose": sum(1 for v in views if v["kind"] == "prose")}


def sheet_context(sheet: str, catalogue, results: dict) -> dict:
    """Everything the template needs for one sheet (prose raw: the template escapes it)."""
    from symcheck import __version__

    meta = catalogue.sheet_info(sheet)
    items = catalogue.items(sheet)
    views = {}
    for item in items:
        views[item.id] = (_entry_view(item, results.get(item.id)) if hasattr(item, "claims")
                          else _prose_view(item))
    required = [int(n) for n in meta.get("problems", []) if str(n).isdigit()]
    entries = [i for i in items if hasattr(i, "claims")]
    return {
        "sheet": {"stem": sheet, "title": meta.get("title", sheet), "short": meta.get("short", ""),
                  "source": meta.get("source", sheet), "catalogue": _catalogue_name(meta)},
        "version": __version__,
        "problems": _problems(items, views, required),
        "summary": _summary(list(views.values())),
        "method": _method(),
        "seeds": [{"id": e.id, "problem": e.problem, "seed": e.seed,
                   "tolerance": _tolerance(e),
                   "verdicts": ", ".join(f"{n} {v}" for v, n in _count(views[e.id]["claims"]))}
                  for e in entries],
    }


def _catalogue_name(meta: dict) -> str:
    """The catalogue folder a sheet is declared in, as the sheet names it: its folder's name
    (the built-in catalogue is derivations/ wherever it is installed)."""
    from symcheck.catalogue import builtin_path

    if "file" not in meta:
        return "derivations/"
    folder = Path(meta["file"]).parent
    return "derivations/" if folder.resolve() == builtin_path().resolve() else f"{folder.name}/"


def _count(claims: list) -> list:
    tally: dict = {}
    for c in claims:
        tally[c["verdict"]] = tally.get(c["verdict"], 0) + 1
    order = ("proved", "confirmed", "refuted", "undecided", "error")
    return [(v, tally[v]) for v in order if v in tally]


# =====================================================================================
# Rendering, writing, compiling
# =====================================================================================

def render_sheet(sheet: str, catalogue, results: dict, tex_filter: TexFilter | None = None) -> str:
    """The LaTeX source of one sheet's answer sheet."""
    tex_filter = tex_filter or TexFilter()
    template = environment(tex_filter).get_template(TEMPLATE)
    return template.render(**sheet_context(sheet, catalogue, results))


def all_sheets() -> list[str]:
    """Every sheet the loaded catalogues declare (or their entries name)."""
    from symcheck.catalogue import load

    return load().sheets()


def resolve_sheets(names: list[str]) -> list[str]:
    """Sheet ids from the command line: a full id or a unique prefix ('004')."""
    from symcheck.catalogue import load

    return load().resolve_sheets(names)


def verify_sheets(sheets: list[str], jobs: int | None = None, cache: bool = True, progress: bool = False) -> dict:
    """Verify the entries of the sheets (through the cache); {entry id: EntryResult}."""
    from symcheck.catalogue import load
    from symcheck.runs import verify_many

    catalogue = load()
    entries = [e for e in catalogue.entries if e.sheet in sheets]
    results = verify_many(entries, jobs=jobs, cache=cache, progress=progress)
    return {r.id: r for r in results}


def write_reports(sheets: list[str], out: Path, jobs: int | None = None, cache: bool = True,
                  progress: bool = False) -> tuple[list[Path], list[str]]:
    """Write <out>/<sheet>.tex for each sheet; returns (paths, warnings)."""
    from symcheck.catalogue import load

    catalogue = load()
    results = verify_sheets(sheets, jobs=jobs, cache=cache, progress=progress)
    out.mkdir(parents=True, exist_ok=True)
    paths, warnings = [], []
    for sheet in sheets:
        tex_filter = TexFilter()
        text = render_sheet(sheet, catalogue, results, tex_filter)
        path = out / f"{sheet}.tex"
        _write_if_changed(path, text)
        paths.append(path)
        if tex_filter.unmapped:
            chars = " ".join(f"{c!r} (U+{ord(c[0]):04X})" for c in sorted(tex_filter.unmapped))
            warnings.append(f"{path}: no LaTeX for the characters {chars}; add them to symcheck/report.py")
    for r in sorted(results.values(), key=lambda r: r.id):
        for c in r.claims:
            if not c.matches:
                warnings.append(f"{r.id}, {c.label}: the engine says {c.verdict}, the catalogue records "
                                f"{c.expected} (the sheet shows the engine's verdict)")
        if r.error:
            warnings.append(f"{r.id}: {r.error}")
    return paths, warnings


def _write_if_changed(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def writable_directory(path: Path, what: str) -> None:
    """A directory we can write files in (created if missing), or UsageError saying why not."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {str(path)!r} is an existing file, not a directory; give a directory (it is "
                         f"created if missing)")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        raise UsageError(f"{what} {str(path)!r} is not a directory symcheck can write in "
                         f"({error.strerror or error}); give a writable directory") from None


def main(args) -> int:
    """``symcheck report [SHEET ...] [--out DIR] [--pdf]``."""
    sheets = resolve_sheets(getattr(args, "sheets", None) or [])
    out = Path(args.out) if getattr(args, "out", None) else DEFAULT_OUT
    # fail before verifying anything, which takes a while
    writable_directory(out, "--out")
    if getattr(args, "pdf", False):
        latex_command()
        writable_directory(out / BUILD, "the build directory")
    paths, warnings = write_reports(sheets, out, jobs=getattr(args, "jobs", None),
                                    cache=not getattr(args, "no_cache", False),
                                    progress=sys.stderr.isatty())
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in paths:
        print(f"wrote {path}")
    if getattr(args, "pdf", False):
        for path in paths:
            pdf = build_pdf(path, out / BUILD)
            print(f"built {pdf}")
    return 0
