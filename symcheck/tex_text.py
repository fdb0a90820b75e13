"""Prose and numbers as TeX: the ``tex`` filter of the answer-sheet templates.

Prose (questions, answers, readings, notes, titles) is escaped: TeX's special
characters are escaped, the unicode the catalogue writes in prose becomes
LaTeX, and inline ``$...$`` mathematics is left as written.  Numbers (a point's
coordinates, a relative error) are printed as TeX math.
"""
from __future__ import annotations

import re
import unicodedata

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


