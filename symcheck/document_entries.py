"""Entries from a Markdown document: its TOML blocks and LaTeX displays made into :class:`Entry` objects.

A problem's block declares the notation and what is asked::

    ```toml problem
    id = "hw2-sigmoid-backward"
    [symbols]
    x = { latex = 'x' }
    dEdy = { latex = '\\frac{\\partial E}{\\partial y}' }
    [gradient]
    of = '\\frac{1}{1 + \\exp(-x)}'
    wrt = "x"
    upstream = "dEdy"
    ```

or ``[value]`` with ``of`` for a value or an identity.  Its displays are the
claims (document.py finds them, document_claims.py reads them).

Everything is read with the engine's own LaTeX reader (``parse_latex``): a
document means exactly what the same LaTeX means in ``symcheck check --latex``.
Any problem is a :class:`DocumentError` naming the line; the loader turns it
into a LoadFailure.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

from symcheck import domains
from symcheck.auto_oracle import ForwardOracle, ValueOracle, python_oracle
from symcheck.document_claims import claims_of
from symcheck.document import Block, DocumentError, Problem, read_document
from symcheck.entry import Entry
from symcheck.errors import ClaimError, EntryError
from symcheck.latex import parse_latex
from symcheck.notation import Definition, Index, Notation, Size, Variable
from symcheck.questions.gradient import Gradient
from symcheck.questions.value import Value

_SHEET_KEYS = {"id": "the sheet id", "title": "its title", "short": "a short description",
               "source": "where it comes from"}
_PROBLEM_KEYS = ("id", "title", "problem", "question", "sizes", "indices", "symbols", "definitions", "gradient",
                 "value")
_SYMBOL_KEYS = ("latex", "shape", "domain", "row", "doc")
_DEFINITION_KEYS = ("latex", "value", "domain", "params", "checked_by")
_SIZE_KEYS = ("small", "random", "latex")
_GRADIENT_KEYS = ("of", "wrt", "upstream", "index", "oracle")
_VALUE_KEYS = ("of", "index", "oracle")
_DOMAINS = {"real": domains.real, "positive": domains.positive, "nonzero": domains.nonzero(),
            "probability": domains.probability, "unit interval": domains.unit_interval, "binary": domains.binary}
_RANGED = {"interval": domains.interval, "integer": domains.integer, "nonzero": domains.nonzero}
_RANGED_DOMAIN = re.compile(r"^(interval|integer|nonzero)\(\s*([-+0-9.eE]+)\s*,\s*([-+0-9.eE]+)\s*\)$")
_INDEX_RANGE = re.compile(r"^\s*(\w+)\s*\.\.\s*(\w+)\s*$")


# -- the document ------------------------------------------------------------------------

def read_entries(path: Path, text: str) -> tuple[list, dict | None]:
    """The entries of a document and the sheet its header declares ({id, title, short, source})."""
    document = read_document(text)
    if not document.is_sheet:
        return [], None
    if document.header is None:
        raise DocumentError(1, "the document has problems but no sheet header; start it with a ```toml sheet "
                               "block giving id = \"...\" and title = \"...\"")
    sheet = _sheet(document.header)
    entries = [_entry(path, problem, sheet["id"], k) for k, problem in enumerate(document.problems, 1)]
    return entries, sheet


def _sheet(block: Block) -> dict:
    data = _toml(block)
    _known(block, data, _SHEET_KEYS, "the sheet header")
    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise DocumentError(block.line, f"the sheet header needs {key} = \"...\" ({_SHEET_KEYS[key]})")
    return {"id": data["id"], "title": data["title"], "short": str(data.get("short", "")),
            "source": str(data.get("source", ""))}


def _toml(block: Block) -> dict:
    try:
        return tomllib.loads(block.text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = block.line + int(found.group(1)) - 1 if found else block.line
        what = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message)
        raise DocumentError(line, f"the ```{block.kind} block is not valid TOML: {what} (write name = value, text "
                                  f"in quotes as in latex = '\\frac{{a}}{{b}}', and each {{ ... }} on one line)") from None


def _known(block: Block, data: dict, keys, what: str) -> None:
    for key in data:
        if key not in keys:
            raise DocumentError(_line_of(block, key), f"{what} has no field {key!r}; fields: {', '.join(keys)}")


def _line_of(block: Block, key: str, default: int | None = None) -> int:
    """The file line where a key (or a [table]) starts a line of a block; else ``default``, else the block's
    first line."""
    pattern = re.compile(r"^\s*(\[\s*)?[\"']?" + re.escape(key) + r"[\"']?\s*(=|\]|\.)")
    for k, line in enumerate(block.text.splitlines()):
        if pattern.match(line):
            return block.line + k
    return default if default is not None else block.line


# -- one problem -------------------------------------------------------------------------

def _entry(path: Path, problem: Problem, sheet: str, ordinal: int) -> Entry:
    block = problem.block
    data = _toml(block)
    _known(block, data, _PROBLEM_KEYS, "a problem")
    entry_id = data.get("id")
    if not isinstance(entry_id, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry_id):
        raise DocumentError(_line_of(block, "id"), "a problem needs id = \"...\", a lowercase slug like "
                                                   "\"hw2-sigmoid-backward\"")
    asked = [key for key in ("gradient", "value") if key in data]
    if len(asked) != 1:
        raise DocumentError(block.line, f"problem {entry_id!r} must ask one thing: a [gradient] table (of = "
                                        f"'<forward model in LaTeX>', wrt = \"<symbol>\") or a [value] table "
                                        f"(of = '<the quantity in LaTeX>')")
    notation = _notation(block, data)
    if asked == ["gradient"]:
        asks = _gradient(path, block, data["gradient"], notation, entry_id)
    else:
        asks = _value(path, block, data["value"], notation, entry_id)
    claims = claims_of(problem, asks, entry_id)
    title = str(data.get("title") or problem.heading or entry_id)
    try:
        entry = Entry(id=entry_id, title=title, sheet=sheet, problem=str(data.get("problem", ordinal)),
                      question=str(data.get("question") or problem.question or title), notation=notation,
                      asks=asks, claims=claims)
    except EntryError as error:
        raise DocumentError(block.line, str(error)) from None
    entry.sources = [asks.oracle_path] if getattr(asks, "oracle_path", None) else []
    return entry


def _notation(block: Block, data: dict) -> Notation:
    sizes = [_size(block, name, spec) for name, spec in _table(block, data, "sizes").items()]
    indices = [_index(block, name, spec) for name, spec in _table(block, data, "indices").items()]
    variables = [_symbol(block, name, spec) for name, spec in _table(block, data, "symbols").items()]
    specs = _table(block, data, "definitions")
    for name, spec in specs.items():
        _fields(block, name, spec, _DEFINITION_KEYS, "a definition")
        if not isinstance(spec.get("value"), str):
            raise DocumentError(_line_of(block, name), f"definition {name!r} needs value = '<LaTeX>'")
        _text_fields(block, name, spec, ("latex", "domain", "checked_by"))
        if not _names(spec.get("params", [])):
            raise DocumentError(_line_of(block, name), f"definition {name!r}: params is a list of index names, "
                                                       f"e.g. params = [\"i\"]")
    # every name is declared before any value is read: a definition may use another
    placeholders = [Definition(name, spec["value"], spec.get("latex", name), tuple(spec.get("params", ())),
                               _domain(block, name, spec.get("domain", "real")), checked_by=spec.get("checked_by"))
                    for name, spec in specs.items()]
    try:
        notation = Notation(variables, placeholders, sizes, indices)
    except ValueError as error:
        raise DocumentError(block.line, str(error)) from None
    _check_dimensions(block, notation)
    read = [Definition(d.name, d.text, d.latex, d.params, d.domain, checked_by=d.checked_by,
                       parsed=_latex(block, d.name, d.text, notation, f"the value of {d.name}"))
            for d in placeholders]
    return Notation(variables, read, sizes, indices)


def _check_dimensions(block: Block, notation: Notation) -> None:
    """Shapes and index ranges name declared sizes: found here, on their line, not at verification."""
    known = ", ".join(s.name for s in notation.sizes) or "none: declare them in sizes"
    for index in notation.indices:
        for bound in (index.low, index.high):
            if isinstance(bound, str) and notation.size(bound) is None:
                raise DocumentError(_line_of(block, index.name, _line_of(block, "indices")),
                                    f"index {index.name}: {bound!r} is not a declared size (sizes: {known})")
    for variable in notation.variables:
        for entry in variable.shape:
            try:
                notation.dimension(entry)
            except ValueError:
                raise DocumentError(_line_of(block, variable.name), f"symbol {variable.name!r}: shape entry "
                                                                    f"{entry!r} is not a declared size (sizes: "
                                                                    f"{known})") from None


def _table(block: Block, data: dict, key: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise DocumentError(_line_of(block, key), f"{key} must be a table: [{key}] with one line per name")
    return value


def _fields(block: Block, name: str, spec, keys, what: str) -> None:
    """``what``: "the symbol" (then the name follows), or "" for a table named by itself ([gradient])."""
    label = f"{what} {name!r}" if what else f"[{name}]"
    if not isinstance(spec, dict):
        raise DocumentError(_line_of(block, name), f"{label} must be a table {{ {keys[0]} = ... }}; "
                                                   f"fields: {', '.join(keys)}")
    for key in spec:
        if key not in keys:
            raise DocumentError(_line_of(block, key, _line_of(block, name)),
                                f"{label} has no field {key!r}; fields: {', '.join(keys)}")


def _size(block: Block, name: str, spec) -> Size:
    _fields(block, name, spec, _SIZE_KEYS, "the size")
    small, rand = spec.get("small", [2, 3]), spec.get("random", [2, 6])
    if not (isinstance(small, list) and small and all(isinstance(v, int) and v > 0 for v in small)
            and isinstance(rand, list) and len(rand) == 2 and all(isinstance(v, int) and v > 0 for v in rand)):
        raise DocumentError(_line_of(block, name), f"size {name!r}: small is a list of sizes proved at "
                                                   f"(small = [2, 3]) and random a range (random = [2, 6])")
    return Size(name, tuple(small), tuple(rand), spec.get("latex"))


def _index(block: Block, name: str, spec) -> Index:
    found = _INDEX_RANGE.match(spec) if isinstance(spec, str) else None
    if not found:
        raise DocumentError(_line_of(block, name), f"index {name!r}: write its range as {name} = \"1..n\"")
    low, high = (int(v) if v.isdigit() else v for v in found.groups())
    return Index(name, low, high)


def _text_fields(block: Block, name: str, spec: dict, keys: tuple) -> None:
    """The fields that are text (LaTeX, a description) must be strings: 'x', not x or 1."""
    for key in keys:
        if key in spec and not isinstance(spec[key], str):
            raise DocumentError(_line_of(block, key, _line_of(block, name)),
                                f"{name!r}: {key} is text, written in quotes ('...')")


def _symbol(block: Block, name: str, spec) -> Variable:
    _fields(block, name, spec, _SYMBOL_KEYS, "the symbol")
    _text_fields(block, name, spec, ("latex", "doc", "domain"))
    if not name.isidentifier():
        raise DocumentError(_line_of(block, name), f"the symbol name {name!r} must be a plain name like dEdy")
    shape = spec.get("shape", [])
    if not isinstance(shape, list) or not all(isinstance(s, (int, str)) for s in shape):
        raise DocumentError(_line_of(block, name), f"symbol {name!r}: shape is a list of sizes, e.g. "
                                                   f"shape = [\"n\"] (a vector) or [\"m\", \"n\"] (a matrix)")
    return Variable(name, spec.get("latex", name), _domain(block, name, spec.get("domain", "real")), tuple(shape),
                    "row" if spec.get("row") else "column", doc=str(spec.get("doc", "")))


def _names(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.isidentifier() for v in value)


def _domain(block: Block, name: str, text) -> domains.Domain:
    text = " ".join(str(text).replace("_", " ").split())
    if text in _DOMAINS:
        return _DOMAINS[text]
    found = _RANGED_DOMAIN.match(text)
    if found:
        kind, low, high = found.groups()
        try:
            return _RANGED[kind](*(int(v) if kind == "integer" else float(v) for v in (low, high)))
        except ValueError:
            pass
    raise DocumentError(_line_of(block, name), f"{name!r}: unknown domain {text!r}; domains: "
                                               f"{', '.join(_DOMAINS)}, interval(a, b), integer(a, b), nonzero(a, b)")


def _latex(block: Block, name: str, text: str, notation: Notation, what: str):
    try:
        return parse_latex(text, notation, what=what)
    except ClaimError as error:
        raise DocumentError(_line_of(block, name), f"{what} cannot be read: {error}") from None


def _gradient(path: Path, block: Block, spec, notation: Notation, entry_id: str) -> Gradient:
    _fields(block, "gradient", spec, _GRADIENT_KEYS, "")
    line = _line_of(block, "gradient")
    for key in ("of", "wrt"):
        if not isinstance(spec.get(key), str):
            raise DocumentError(line, f"[gradient] needs {key} = ... (of: the forward model in LaTeX; wrt: the "
                                      f"name of the symbol differentiated)")
    _text_fields(block, "gradient", spec, ("upstream", "oracle"))
    if not _names(spec.get("index", [])):
        raise DocumentError(_line_of(block, "index", line), "index is a list of the free index names, "
                                                           "e.g. index = [\"i\"]")
    wrt, upstream = spec["wrt"], spec.get("upstream")
    if notation.variable(wrt) is None and notation.definition(wrt) is None:
        raise DocumentError(_line_of(block, "wrt"), f"wrt = {wrt!r} names no symbol or definition; names: "
                                                    f"{', '.join(notation.names())}")
    if upstream is not None and notation.variable(upstream) is None:
        raise DocumentError(_line_of(block, "upstream"), f"upstream = {upstream!r} names no symbol")
    model = _latex(block, "of", spec["of"], notation, "the forward model")
    oracle, oracle_path = _oracle(path, block, spec, ForwardOracle(notation, model, wrt))
    question = Gradient(forward=spec["of"], wrt=wrt, oracle=oracle, upstream=upstream,
                        index=tuple(spec.get("index", ())), model=model)
    return _bound(question, block, line, notation, entry_id, oracle_path)


def _value(path: Path, block: Block, spec, notation: Notation, entry_id: str) -> Value:
    _fields(block, "value", spec, _VALUE_KEYS, "")
    line = _line_of(block, "value")
    if not isinstance(spec.get("of"), str):
        raise DocumentError(line, "[value] needs of = '<the quantity in LaTeX>'")
    _text_fields(block, "value", spec, ("oracle",))
    if not _names(spec.get("index", [])):
        raise DocumentError(_line_of(block, "index", line), "index is a list of the free index names, "
                                                           "e.g. index = [\"i\"]")
    model = _latex(block, "of", spec["of"], notation, "the quantity")
    oracle, oracle_path = _oracle(path, block, spec, ValueOracle(notation, model))
    question = Value(expr=spec["of"], oracle=oracle, index=tuple(spec.get("index", ())), model=model)
    return _bound(question, block, line, notation, entry_id, oracle_path)


def _oracle(path: Path, block: Block, spec: dict, automatic) -> tuple:
    """The document's own Python oracle if it names one (and its file), else the automatic one."""
    if "oracle" not in spec:
        return automatic, None
    try:
        return python_oracle(path.parent, spec["oracle"])
    except ValueError as error:
        raise DocumentError(_line_of(block, "oracle"), str(error)) from None


def _bound(question, block: Block, line: int, notation: Notation, entry_id: str, oracle_path):
    try:  # bound once here, so that a wrong oracle or index is this line's error, not the verifier's
        question.bind(SimpleNamespace(id=entry_id, notation=notation, claims=[]))
    except EntryError as error:
        raise DocumentError(line, str(error)) from None
    question.oracle_path = oracle_path
    return question
