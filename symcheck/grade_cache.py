"""The grading cache: an answer judged once is never judged again.

Two layers, both keyed on the *normalised* answer:

* within a run, answers that normalise to the same text are judged once;
* across runs, each judgement is a small JSON file under
  ``<cache dir>/grade/``, keyed on the engine fingerprint, the entry's source
  hash (``symcheck.cache``), the syntax (text or LaTeX), the budget and the
  normalised answer, so a re-run after one new submission judges only that one.

Normalisation is deliberately conservative: it only removes differences that
cannot change what the parser reads.  A text answer is re-spelled from Python's
own tokens (the text syntax is read by ``ast.parse``), and kept as it is
unless the re-spelled text tokenises identically.  A LaTeX answer only loses
runs of blanks, spacing commands and the sizing of round and square brackets
(``\\left(`` is ``(`` to the parser); ``\\times`` becomes ``\\cdot`` (both are
the same token).  ``*`` and ``\\cdot`` are *not* merged: ``x^*`` is not ``x^\\cdot``.

Like the verification cache, a record is only evidence: one that does not
parse, fails its schema or is about another answer is a miss.  Only decided
verdicts and format errors are stored; an *undecided* verdict or a crashed
worker may not recur on a quieter machine.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import tokenize

from symcheck.cache import write_record
from symcheck.verdicts import VERDICTS

FORMAT = "symcheck-grade/1"
#: the fields of one judgement, and their types
FIELDS = {"verdict": str, "reason": str, "diagnosis": (str, type(None)), "mistake": (str, type(None)),
          "counterexample": str, "evidence": str, "seconds": (int, float), "format_error": bool}


# -- normalisation --------------------------------------------------------------------

def normalise(text: str, latex: bool) -> str:
    """The answer with only meaning-preserving differences removed."""
    text = text.strip()
    return _normal_latex(text) if latex else _normal_text(text)


_SKIP = {tokenize.ENCODING, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER}


def _tokens(text: str):
    """Python's tokens of ``text`` as (type, string), or None when it does not tokenise plainly."""
    try:
        found = [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline)]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    kept = [t for t in found if t[0] not in _SKIP]
    if any(t[0] in (tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ERRORTOKEN) for t in kept):
        return None  # a comment, an indent or a stray character: leave the text as written
    return kept


def _normal_text(text: str) -> str:
    if "\n" in text or "\r" in text:
        return text
    tokens = _tokens(text)
    if tokens is None:
        return text
    out = ""
    for _, string in tokens:
        # two word-like tokens need a space between them ("x if y"), nothing else does
        if out and _wordy(out[-1]) and _wordy(string[0]):
            out += " "
        out += string
    # the text syntax maps friendly spellings (^ to **) before Python tokenises: compare after that too
    from symcheck.text_syntax import _normalise as spelled

    same = _tokens(out) == tokens and _tokens(spelled(out)) == _tokens(spelled(text))
    return out if same else text


def _wordy(char: str) -> bool:
    return char.isalnum() or char in "_.'\"" or not char.isascii()


_LATEX_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|~|[×⋅·]", re.S)
_SPACING = {",", ";", ":", "!", ">", " ", "quad", "qquad", "thinspace", "medspace", "thickspace"}
_SIZERS = {"left", "right", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr", "big", "Big",
           "bigg", "Bigg"}


_WORDS = re.compile(r"\\(?:text|mathrm|operatorname|mbox|mathit|mathop|math[a-z]+)")
_BLANK_BY_OPERATOR = re.compile(r"(?<=[()\[\]{}+\-=,/^_]) | (?=[()\[\]{}+\-=,/^_\\])")


def _normal_latex(text: str) -> str:
    """Control sequences are scanned whole, so a line break or \\leftarrow is never cut."""
    pieces, sizers, sized = [], 0, 0
    position = 0
    for match in _LATEX_TOKEN.finditer(text):
        pieces.append(text[position:match.start()])
        position = match.end()
        token = match.group(0)
        name = token[1:] if token.startswith("\\") else None
        if token == "~" or name in _SPACING:
            pieces.append(" ")
        elif token in ("×", "⋅", "·") or name == "times":  # the same MULOP token as \\cdot
            pieces.append(r"\cdot ")
        elif name in _SIZERS:
            sizers += 1
            rest = text[position:].lstrip()
            sized += bool(rest[:1] and rest[0] in "()[]")
            pieces.append((token,))  # decided below: dropped only if every sizer sizes a bracket
        else:
            pieces.append(token)
    pieces.append(text[position:])
    drop = sizers and sized == sizers
    text = re.sub(r"\s+", " ", "".join(("" if drop else p[0]) if isinstance(p, tuple) else p for p in pieces))
    if not _WORDS.search(text):  # inside \text{...} a blank may separate words; elsewhere it separates nothing
        text = _BLANK_BY_OPERATOR.sub("", text)  # next to these a blank never ends or starts a name
    return text.strip()


# -- the cache on disk ----------------------------------------------------------------

def folder():
    from symcheck import cache

    return cache.directory() / "grade"


def record_key(entry, latex: bool, budget: float, answer: str, kind: str = "answer") -> str:
    """Everything a judgement depends on, hashed.  ``kind`` is "answer" (the normalised text) or
    "parsed" (the SymPy form it reads as): the two never share a record."""
    from symcheck.cache import engine_fingerprint, source_hash

    identity = [FORMAT, engine_fingerprint(), source_hash(entry), entry.id, bool(latex), float(budget), kind, answer]
    return hashlib.sha256(json.dumps(identity).encode("utf-8")).hexdigest()


def storable(judgement: dict) -> bool:
    return judgement.get("verdict") in ("proved", "confirmed", "refuted") or bool(judgement.get("format_error"))


def lookup(entry, latex: bool, budget: float, answer: str, kind: str = "answer") -> dict | None:
    from symcheck.cache import _read_record

    key = record_key(entry, latex, budget, answer, kind)
    data = _read_record(folder() / key[:2] / f"{key}.json")
    if not isinstance(data, dict) or data.get("key") != key or data.get("answer") != answer:
        return None
    judgement = data.get("judgement")
    return judgement if _valid(judgement) and storable(judgement) else None


def _valid(judgement) -> bool:
    if not isinstance(judgement, dict) or set(judgement) != set(FIELDS):
        return False
    if any(not isinstance(judgement[k], t) or isinstance(judgement[k], bool) and t is not bool
           for k, t in FIELDS.items()):
        return False
    return judgement["verdict"] in VERDICTS


def store(entry, latex: bool, budget: float, answer: str, judgement: dict, kind: str = "answer") -> None:
    """Write atomically (a private name, then a rename); a cache that cannot be written is only slower."""
    if not storable(judgement) or not _valid(judgement):
        return
    key = record_key(entry, latex, budget, answer, kind)
    write_record(folder() / key[:2], f"{key}.json", {"key": key, "answer": answer, "judgement": judgement})
