r"""Every declared symbol of every catalogue entry reads as itself in every context a claim can put it in.

Bold and plain letters are different symbols, and an index never silently shadows a declared symbol of
the same letter: before, in rnn-dj-dc, \sum_{t=1}^{T} (\operatorname{softmax}(\mathbf{o}^{(t)}) -
\mathbf{t}^{(t)}) read the target vector \mathbf{t}^{(t)} as the index t to the power t, and a right
answer was refuted.
"""
from __future__ import annotations

import re

import pytest
import sympy
from sympy.matrices.expressions import MatrixExpr

from symcheck.checking import check_claim
from symcheck.errors import ClaimError
from symcheck.latex import LatexError, parse_latex
from symcheck.latex.builder import Builder
from symcheck.latex.symbols import _base, unbold

TWO_READINGS = "reads two ways"
CONSTANT = "is a constant here"


def _notations(catalogue):
    seen, out = set(), []
    for entry in catalogue.entries:
        if id(entry.notation) not in seen:
            seen.add(id(entry.notation))
            out.append((entry.id, entry.notation))
    return out


def _plain(latex: str) -> str:
    r"""The LaTeX with its bold dropped: \mathbf{t}^{(1)} -> t^{(1)}."""
    unbraced = re.sub(r"\\(?:mathbf|boldsymbol|bm)\s+(\w)", r"{\1}", latex)  # \top\mathbf W -> \top{W}
    return re.sub(r"\\(?:mathbf|boldsymbol|bm)\s*\{([^{}]*)\}", r"{\1}", unbraced)


def _reads_as(latex, notation, expected, *, refusals=(TWO_READINGS,)):
    """The LaTeX reads as expected, or is refused in one line naming both readings."""
    try:
        got = parse_latex(latex, notation)
    except LatexError as error:
        assert "\n" not in str(error)
        assert any(r in str(error) for r in refusals), f"{latex!r}: {error}"
        return
    if isinstance(got, sympy.Sum):
        got = got.doit()
    assert got == expected, f"{latex!r} read as {got}, expected {expected}"


def _cases(catalogue):
    for entry_id, notation in _notations(catalogue):
        builder = Builder(notation, "")
        for decl in (*notation.variables, *notation.definitions):
            expected = builder.declared(decl.name)
            if isinstance(expected, sympy.IndexedBase):
                continue  # a family: it reads only with its index
            yield entry_id, notation, decl.name, decl.latex, expected, builder


def test_every_declared_symbol_reads_as_itself_in_every_context(catalogue):
    checked = 0
    for entry_id, notation, name, latex, expected, builder in _cases(catalogue):
        where = f"{entry_id}: {latex}"
        assert parse_latex(latex, notation) == expected, where
        assert parse_latex("{%s}" % latex, notation) == expected, where
        assert parse_latex(r"\left(%s\right)" % latex, notation) == expected, where
        scalar = not isinstance(expected, MatrixExpr)
        if scalar:
            assert parse_latex("{%s}^{2}" % latex, notation) == expected ** 2, where
        else:
            assert parse_latex("{%s}^{\\top}" % latex, notation) == sympy.Transpose(expected), where
            variable = notation.variable(name)
            if variable is not None and variable.kind == "vector":  # an entry: {\mathbf{t}^{(1)}}_{1}
                entry = sympy.Indexed(sympy.IndexedBase(name), 1)
                assert parse_latex("{%s}_{1}" % latex, notation) == entry, where
        plain = _plain(latex)
        if plain != latex and not plain.strip("{}").isdigit():  # a bold symbol written plain (a plain 1 is the number)
            _reads_as(plain, notation, expected)
        letter = _base(unbold(builder.latex_key(name)))
        if re.fullmatch("[A-Za-z]", letter or ""):
            # inside a sum over an index of the same letter: itself (bold), or refused naming both readings
            for spelling in {latex, plain}:
                summed = r"\sum_{%s=1}^{1} %s" % (letter, spelling)
                # a sum of a vector or matrix is refused whatever its index: it needs an index of its own
                refusals = (TWO_READINGS, CONSTANT) + (() if scalar else ("a sum of matrices needs an index",))
                _reads_as(summed, notation, expected, refusals=refusals)
        checked += 1
    assert checked > 100


@pytest.mark.parametrize("entry_id, latex", [
    ("rnn-dj-dc", r"\sum_{t=1}^{T} (\operatorname{softmax}(\mathbf{o}^{(t)}) - \mathbf{t}^{(t)})"),
    ("lstm-dj-dd", r"\sum_{t=1}^{T} (\operatorname{softmax}(\mathbf{a}^{(t)}) - \mathbf{t}^{(t)})"),
])
def test_a_bold_target_is_not_the_index(catalogue, entry_id, latex):
    result, _ = check_claim(catalogue.get(entry_id), latex, latex=True)
    assert result.verdict in ("proved", "confirmed"), result.reason


def test_a_plain_letter_that_could_be_the_index_is_refused_with_both_readings(catalogue):
    entry = catalogue.get("rnn-dj-dc")
    with pytest.raises(ClaimError) as info:
        parse_latex(r"\sum_{t=1}^{T} (\operatorname{softmax}(o^{(t)}) - t^{(t)})", entry.notation)
    message = str(info.value)
    assert TWO_READINGS in message and "the index t" in message and r"\mathbf{t}^{(t)}" in message, message
    # outside a sum, nothing else is spelt t^{(1)}: the target vector, bold or not
    assert parse_latex(r"t^{(1)}", entry.notation) == parse_latex(r"\mathbf{t}^{(1)}", entry.notation)
