"""Writing to a terminal that cannot show every character.

The catalogue's titles and the engine's messages use σ, −, ×, ≤, ∂.  In a
terminal whose encoding lacks them (``PYTHONIOENCODING=ascii``, a Latin-1
console) each such character is spelled in ASCII instead of crashing the
command: σ as ``sigma``, − as ``-``, ≤ as ``<=``; anything else as its
closest unaccented letter, or ``?``.
"""
from __future__ import annotations

import codecs
import re
import sys
import unicodedata

ERRORS = "symcheck-spelled"

_SPELLINGS = {
    "−": "-", "–": "-", "—": "--", "×": "x", "·": "*", "⋅": "*", "÷": "/", "±": "+-", "≤": "<=", "≥": ">=",
    "≠": "!=", "≈": "~=", "∂": "d", "∇": "nabla", "∑": "Sum", "∏": "Product", "√": "sqrt", "∞": "inf",
    "→": "->", "←": "<-", "⇒": "=>", "⊙": "(.)", "⊗": "(x)", "∘": "o", "‖": "||", "∈": " in ", "…": "...",
    "‘": "'", "’": "'", "“": '"', "”": '"', "ᵀ": "^T", "⊤": "^T", "²": "^2", "³": "^3", "¹": "^1", "½": "1/2",
    "ℓ": "l", "ℝ": "R", "𝔼": "E", "µ": "mu", "\u00a0": " ", "§": "S", "°": "deg",
}


def spell(ch: str) -> str:
    """One character in ASCII: a known spelling, the Greek letter's name, the base letter, or '?'."""
    if ch in _SPELLINGS:
        return _SPELLINGS[ch]
    greek = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", unicodedata.name(ch, ""))
    if greek:
        name = greek.group(2).lower().replace("lamda", "lambda")
        return name if greek.group(1) == "SMALL" else name.capitalize()
    base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    return base or "?"


def _spelled(error: UnicodeError):
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "".join(spell(ch) for ch in error.object[error.start:error.end]), error.end


def use_terminal_encoding() -> None:
    """Make stdout and stderr spell out what their encoding cannot write, instead of raising."""
    try:
        codecs.lookup_error(ERRORS)
    except LookupError:
        codecs.register_error(ERRORS, _spelled)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors=ERRORS)
            except (ValueError, OSError):  # a closed or replaced stream: leave it as it is
                pass
