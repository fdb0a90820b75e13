"""From verified entries to a template context: what each sheet's page shows.

Each claim becomes a view (its mathematics, verdict, evidence, counterexample),
each entry a block of its problem, and each refuted sheet claim an erratum with
its correction; the sheet gets its method appendix and verdict counts.
"""
from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from symcheck.tex_layout import ERRATUM_EM, LINE_EM, break_math
from symcheck.tex_text import TexFilter, math_unicode, number, sci, tex
from symcheck.verdicts import VERDICTS

#: Significant digits of a counterexample's coordinates (the claimed and reference values get ten).
POINT_DIGITS = 5

SOURCE_NAMES = {"sheet": "the sheet's answer", "answer": "our answer", "correction": "the corrected answer",
                "mistake": "a common mistake"}

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


