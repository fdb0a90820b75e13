"""Builders for the corpus's records, so every module writes items the same way."""
from __future__ import annotations

T, F = True, False

# Public tables the items come from (found with the project's page search).
WIKI_LOG = "https://en.wikipedia.org/wiki/List_of_logarithmic_identities (mirror: https://www.knowpia.com/knowpedia/List_of_logarithmic_identities)"
WIKI_EXP = "https://en.wikipedia.org/wiki/Exponentiation#Identities_and_properties"
WIKI_TRIG = "https://en.wikipedia.org/wiki/List_of_trigonometric_identities"
TRIG_CARDS = "https://www.freezingblue.com/flashcards/print_preview.cgi?cardsetID=105496"
WIKI_INVTRIG = "https://en.wikipedia.org/wiki/Inverse_trigonometric_functions#Relationships_between_trigonometric_functions_and_inverse_trigonometric_functions"
HYP_LOG = "http://www.liquisearch.com/hyperbolic_function/inverse_functions_as_logarithms"
WIKI_HYP = "https://en.wikipedia.org/wiki/Hyperbolic_functions#Useful_relations"
OPENSTAX_DERIV = "https://math.libretexts.org/Courses/Mission_College/Math_3B%3A_Calculus_II_(Reed)/%3A_Appendices/A%3A_Table_of_Derivatives"
EMATH_DERIV = "http://www.emathhelp.net/notes/calculus-1/derivative/table-of-the-derivatives/"
KIDS_DERIV = "http://encyclopedia.kids.net.au/page/ta/Table_of_derivatives"
POWER_SUMS = "https://liuzhenglaichn.gitbook.io/algorithm/math/sum-of-sequence"
SERIES_UV = "https://www.uv.es/~pla/Tutoria/formules.html"
WIKI_SERIES = "https://en.wikipedia.org/wiki/List_of_mathematical_series"
NESTED = "https://www.mathwords.com/n/nested_radical.htm"
WIKI_NESTED = "https://mediated.wiki/source/nested_radical (Wikipedia: Nested radical)"
WIKI_ALGEBRA = "https://en.wikipedia.org/wiki/Polynomial_identity (textbook algebra: factoring formulas)"
WIKI_FLOOR = "https://en.wikipedia.org/wiki/Floor_and_ceiling_functions#Equivalences"
WIKI_ABS = "https://en.wikipedia.org/wiki/Absolute_value#Real_numbers"
SIGMOID_TY = "https://takuma.yoneda.xyz/posts/activations"
SIGMOID_NN = "https://mikel-mg.github.io/neural-networks-from-scratch/math_activations"
SIGMOID_NAPA = "http://borogoves.eu/NAPA_RELEASE_450/Simulate_450/NapaDos/Net/Activation/sigmoid.txt"
ACT_GMSE = "https://www.gmse.de/math-test/"
LSE_PAGE = "https://lynx-cortex.pages.dev/phase-02-numerical-representation/theory/02-softmax-stability/"
CE_SE = "https://stats.stackexchange.com/questions/451511/is-there-a-name-for-the-composition-of-the-cross-entropy-and-softmax-functions"
KL_SE = "https://stats.stackexchange.com/questions/318184/kl-loss-with-a-unit-gaussian"
BN_PAPER = "https://arxiv.org/abs/1502.03167 (Ioffe & Szegedy, batch norm, Alg. 1)"
SOFTPLUS = "https://en.wikipedia.org/wiki/Softplus"
RELU = "https://en.wikipedia.org/wiki/Rectifier_(neural_networks)"


def pair(lhs, rhs, latex, source, reals, positive, assume=(), note=""):
    """One identity pair: SymPy-syntax sides, LaTeX sides, source, mpmath labels.

    ``reals``: holds at every real point (under ``assume``) where either side is
    defined; ``positive``: holds when every variable is > 0 as well.
    """
    return {"lhs": lhs, "rhs": rhs, "latex": tuple(latex), "source": source,
            "assume": tuple(assume), "true_on_reals": reals,
            "true_for_positive": positive, "needs_positivity": positive and not reals,
            "note": note}


def aligned(tex_lines, rels):
    """The chain as an aligned display, the way a sheet prints it."""
    sym = {"=": "=", "<=": r"\le", ">=": r"\ge", "<": "<", ">": ">", "approx": r"\approx"}
    rows = [f"{tex_lines[0]} &{sym[rels[0]]} {tex_lines[1]}"]
    rows += [f"&{sym[r]} {t}" for r, t in zip(rels[1:], tex_lines[2:])]
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"


def chain(lines, rels, tex_lines, source, first_wrong, assume=(), note="", latex_assume=None):
    """A derivation: step k relates line k to line k+1 (from 1); ``first_wrong``
    is the number of the planted wrong step, or None.  ``latex_assume``: the
    conditions in the display's own notation, where it writes a variable
    otherwise than the text lines do (σ for s)."""
    assert len(rels) == len(lines) - 1 == len(tex_lines) - 1
    return {"lines": list(lines), "rels": list(rels), "latex": aligned(tex_lines, rels),
            "source": source, "assume": tuple(assume), "first_wrong": first_wrong,
            "note": note, "latex_assume": tuple(assume if latex_assume is None else latex_assume)}
