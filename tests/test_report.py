"""The answer-sheet generator: deterministic LaTeX, committed reports up to date, PDFs that build.

The PDF tests need pdflatex (and pdftotext).  They are skipped when it is not
installed, unless SYMCHECK_REQUIRE_LATEX is set (CI sets it): then a missing
LaTeX fails them.  Verification goes through the cache, so a warm run is quick.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import jinja2
import pytest

from derivations import SHEETS
from symcheck import report
from symcheck.catalogue import load
from symcheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
REQUIRE_LATEX = bool(os.environ.get("SYMCHECK_REQUIRE_LATEX"))
OVERFULL_LIMIT_PT = 3.0

#: A formula fragment per sheet, as pdftotext reads it, from an entry that must then be on the sheet.
FRAGMENTS = {
    "000_0faae9380a816116": ("sigmoid-backward", "σ(x)(1 − σ(x))"),
    "002_d2426a2ad95018f2": ("batchnorm-backward", "nσ"),
    "003_be85b36419f743e7": ("conv-output-size", "H + 2P − D(K − 1) − 1"),
    "004_1638b43a4d4b0ea1": ("gan-global-minimum", "− log 4 + 2 · JSD"),
}


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if REQUIRE_LATEX:
            pytest.fail(f"SYMCHECK_REQUIRE_LATEX is set but {tool} is not installed "
                        f"(Debian: apt-get install {report.LATEX_PACKAGES} poppler-utils)")
        pytest.skip(f"{tool} is not installed")
    return path


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Every sheet, freshly generated (verification through the cache)."""
    out = tmp_path_factory.mktemp("reports")
    paths, warnings = report.write_reports(sorted(SHEETS), out)
    return out, paths, warnings


# -- determinism and freshness ------------------------------------------------------------

def test_a_tex_file_per_sheet(generated):
    out, paths, _ = generated
    assert sorted(p.name for p in paths) == sorted(f"{s}.tex" for s in SHEETS)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert SHEETS[path.stem]["title"].split(",")[0] in text
        assert "verified answer sheet" in text


def test_two_runs_are_byte_identical(generated, tmp_path, capsys):
    out, paths, _ = generated
    assert main(["report", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr()
    assert not re.search(r"\b\d+(\.\d+)? ?s\b|seconds", printed.out), "the command must not print timings"
    for path in paths:
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), f"{path.name} differs between two runs"


def test_default_output_is_the_projects_reports_wherever_it_runs(generated, tmp_path, monkeypatch):
    # issue 11: reports/ of the project that holds the settings, not of the current directory
    from symcheck.catalogue import builtin_path

    out, _, _ = generated
    (tmp_path / "pyproject.toml").write_text(f"[tool.symcheck]\ncatalogue = {str(builtin_path())!r}\n")
    (tmp_path / "notes").mkdir()
    monkeypatch.chdir(tmp_path / "notes")
    assert main(["report", "004"]) == 0
    assert not (tmp_path / "notes" / "reports").exists()
    written = tmp_path / "reports" / "004_1638b43a4d4b0ea1.tex"
    assert written.read_bytes() == (out / written.name).read_bytes()


def test_no_dates_or_timings_in_the_output(generated):
    _, paths, _ = generated
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert r"\today" not in text
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", text)
        assert "seconds" not in text


def test_every_character_has_latex(generated):
    _, _, warnings = generated
    assert not [w for w in warnings if "no LaTeX for the characters" in w]


#: The line naming the library versions: it describes the machine that rendered the sheet, not the
#: catalogue, so a fresh install with a newer NumPy must not make the committed sheets "stale".
_VERSIONS_LINE = re.compile(r"^Python \d[^\n]*, SymPy [^\n]*$", re.M)


def _catalogue_part(text: str) -> str:
    assert len(_VERSIONS_LINE.findall(text)) == 1, "the appendix must name the versions on one line"
    return _VERSIONS_LINE.sub("<versions>", text)


def test_committed_reports_are_up_to_date(generated):
    out, paths, _ = generated
    stale = []
    for path in paths:
        committed = REPORTS / path.name
        if not committed.exists() or (_catalogue_part(committed.read_text(encoding="utf-8"))
                                      != _catalogue_part(path.read_text(encoding="utf-8"))):
            stale.append(path.name)
    assert not stale, (f"reports/ is out of date for {', '.join(stale)}: an entry changed and its sheet was "
                       f"not regenerated; run 'symcheck report' at the project root")


# -- content ------------------------------------------------------------------------------

def test_sheet_order_and_numbering(generated):
    out, _, _ = generated
    catalogue = load()
    for sheet in SHEETS:
        text = (out / f"{sheet}.tex").read_text(encoding="utf-8")
        positions = []
        for item in catalogue.items(sheet):
            title = report.tex(item.title)
            assert title in text, f"{item.id} missing from {sheet}"
            positions.append(text.index(r"\sheetentry{" + title + "}"))
        assert positions == sorted(positions), f"{sheet}: entries are not in the sheet's order"
        numbers = re.findall(r"\\sheetproblem\{([^}]*)\}", text)
        assert numbers == sorted(set(numbers), key=lambda n: (not n.isdigit(), int(n) if n.isdigit() else 0, n))


def test_refuted_sheet_claims_get_an_erratum_with_the_correction(generated):
    out, _, _ = generated
    for entry in load().entries:
        corrections = [c for c in entry.claims if c.source == "correction"]
        if not corrections:
            continue
        text = (out / f"{entry.sheet}.tex").read_text(encoding="utf-8")
        start = text.index(r"\sheetentry{" + report.tex(entry.title) + "}")
        end = text.find(r"\sheetentry{", start + 1)
        block = text[start:end if end > 0 else len(text)]
        if any(c.expect == "refuted" for c in entry.claims):
            assert r"\begin{erratum}" in block and "Corrected answer" in block, entry.id


def test_appendix_states_method_and_versions(generated):
    import numpy
    import sympy

    from symcheck import precision
    from symcheck.cascade import STAGES

    out, _, _ = generated
    text = (out / "004_1638b43a4d4b0ea1.tex").read_text(encoding="utf-8")
    appendix = text[text.index("Appendix"):]
    for stage in STAGES:
        assert r"\textbf{" + stage + "}" in appendix
    assert f"SymPy {sympy.__version__}" in appendix and f"NumPy {numpy.__version__}" in appendix
    assert "Python " in appendix and f"{precision.DIGITS} significant digits" in appendix


# -- the tex filter and the template environment --------------------------------------------

@pytest.mark.parametrize("char, escaped", [
    ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"), ("}", r"\}"),
    ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}"), ("\\", r"\textbackslash{}"),
])
def test_tex_filter_escapes_specials_in_prose(char, escaped):
    assert report.tex(f"a {char} b") == f"a {escaped} b"


def test_tex_filter_leaves_inline_math_alone():
    prose = r"with $\frac{\partial E}{\partial y}_i^2 + \{a\}$ & 50% of $\sigma(x)$"
    assert report.tex(prose) == r"with $\frac{\partial E}{\partial y}_i^2 + \{a\}$ \& 50\% of $\sigma(x)$"
    assert report.tex("costs $5 and $10") == r"costs \$5 and \$10"
    assert report.tex("a lone $ sign") == r"a lone \$ sign"


def test_tex_filter_maps_the_catalogue_unicode():
    out = report.tex("∂L/∂μ ≈ σ(x)ᵀ ⊙ λ‖Θ‖² → ≤ ≥ W⁽ˡ⁾ X̂ − ε γ β α")
    assert out.isascii()
    for command in (r"\partial", r"\mu", r"\approx", r"\sigma", r"^{\top}", r"\odot", r"\lambda", r"\|",
                    r"\Theta", r"^{2}", r"\to", r"\le", r"\ge", r"^{(l)}", r"\hat{X}", r"\epsilon", r"\gamma",
                    r"\beta", r"\alpha"):
        assert command in out, command
    assert report.tex("$σ^2$") == r"${\sigma}^2$"


def test_tex_filter_sets_scripted_letters_as_math_and_leaves_words_as_text():
    assert report.tex("h^0 = e_1 and x_{t-1}") == r"\ensuremath{h^{0}} = \ensuremath{e_{1}} and \ensuremath{x_{t-1}}"
    assert report.tex("p_data, conv_out(H), 002_d24") == r"p\_data, conv\_out(H), 002\_d24"
    assert report.tex(r"conv\_kernel\_size") == r"conv\_kernel\_size"  # the seeds' own escapes


def test_missing_template_variable_raises():
    env = report.environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string(r"\VAR{missing}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.get_template(report.TEMPLATE).render(sheet={"title": "t", "short": "", "stem": "s"})


def test_template_delimiters_are_latex_safe():
    env = report.environment()
    source = "\\BLOCK{for x in xs}\\VAR{x|tex}\\BLOCK{endfor}\\#{ a comment }\n%% if flag\n{yes}\n%% endif\n"
    assert env.from_string(source).render(xs=["a&b", "c"], flag=True) == "a\\&bc{yes}\n"


# -- breaking long mathematics ----------------------------------------------------------------

def test_long_math_is_broken_at_top_level_operators():
    term = r"\frac{\partial L}{\partial \hat{X}_{i}} \frac{(-1)}{\sigma}"
    latex = " + ".join([r"\sum_{i=1}^{n} " + term] * 6)
    lines = report.break_math(latex, budget=20)
    assert len(lines) > 1
    assert all(line.startswith("+") for line in lines[1:])
    assert "".join(lines).replace(" ", "") == latex.replace(" ", "")
    assert report.break_math(r"\frac{a}{b}") == [r"\frac{a}{b}"]


def test_a_long_bracket_is_broken_inside():
    inner = " - ".join([r"\sum_{j=1}^{n} \frac{\partial L}{\partial Y_j} \hat{X}_j"] * 5)
    lines = report.break_math(r"\frac{\gamma}{n\sigma} \left(" + inner + r"\right)", budget=20)
    assert len(lines) > 1
    assert lines[0].rstrip().endswith(r"\right.") and lines[-1].lstrip().startswith(r"\left.")


def test_numbers():
    assert report.sci(7.4e-11) == r"7.4\times 10^{-11}"
    assert report.sci(0.0) == "0"
    assert report.number("3/4") == r"\tfrac{3}{4}"
    assert report.number([1.0, -2.5]) == r"(1,\allowbreak\ -2.5)"


# -- the command line -------------------------------------------------------------------------

def test_sheet_prefixes_and_unknown_sheets(capsys):
    assert report.resolve_sheets(["004"]) == ["004_1638b43a4d4b0ea1"]
    assert report.resolve_sheets([]) == sorted(SHEETS)
    assert main(["report", "999"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Error:") and len(err.strip().splitlines()) == 1


def test_pdf_without_latex_is_one_clear_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(report.shutil, "which", lambda name: None)
    assert main(["report", "004", "--pdf", "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "pdflatex" in err and "texlive-latex-base texlive-latex-recommended" in err
    assert "Traceback" not in err


# -- PDFs -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pdfs(generated):
    _need("pdflatex")
    out, paths, _ = generated
    return {path.stem: report.build_pdf(path, out / report.BUILD) for path in paths}


def _log(pdf: Path) -> str:
    return pdf.with_suffix(".log").read_text(encoding="latin-1")


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_pdf_builds_cleanly(pdfs, sheet):
    pdf = pdfs[sheet]
    assert pdf.exists() and pdf.stat().st_size > 0
    log = _log(pdf)
    assert not re.search(r"^! ", log, re.M), "LaTeX errors in the log"
    assert "undefined references" not in log and not re.search(r"Reference `[^']*' on page \d+ undefined", log)
    assert "Rerun to get" not in log, "the build stopped before cross-references settled"
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert all(w <= OVERFULL_LIMIT_PT for w in widths), f"overfull boxes: {widths}"


def _words(text: str) -> str:
    """Words of two letters or more, as pdftotext and the catalogue's unicode both read them."""
    text = "".join(" " if unicodedata.decomposition(ch).startswith(("<super>", "<sub>")) else ch for ch in text)
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"-\n(?=[a-z])", "", text)
    # letters and digits apart: c^{49} in a title is "c49" in the PDF's text
    return " ".join(t for t in re.findall(r"[a-z]+|[0-9]+", text) if len(t) > 1)


def _in_order(title: str, words: str) -> bool:
    """The title's words in order, allowing two tokens between neighbours
    (a formula's pieces can land between words in the PDF's text)."""
    gap = r"(?: \S+){0,2} "
    return re.search(r"\b" + gap.join(map(re.escape, title.split())) + r"\b", words) is not None


@pytest.mark.parametrize("sheet", sorted(SHEETS))
def test_pdf_text_contains_the_answers(pdfs, sheet):
    _need("pdftotext")
    pdf = pdfs[sheet]
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    words = _words(text)
    assert _words(SHEETS[sheet]["title"]) in words
    assert "verified answer sheet" in words
    for item in load().items(sheet):
        assert _in_order(_words(item.title), words), f"{item.id}: its title is not in the PDF's text"
    entry_id, fragment = FRAGMENTS.get(sheet, (None, None))
    if entry_id and any(e.id == entry_id for e in load().entries):
        flat = " ".join(unicodedata.normalize("NFKC", text).split())
        assert " ".join(fragment.split()) in flat, f"{fragment!r} is not in the text of {sheet}"
