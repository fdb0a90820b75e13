"""The LaTeX front end is a small package whose grammar is the single source of truth."""
from __future__ import annotations

from pathlib import Path

import symcheck
from symcheck.errors import ClaimError
from symcheck.latex import LatexError
from symcheck.latex.builder import Builder
from symcheck.latex.parser import rule_names

PACKAGE = Path(symcheck.__file__).parent / "latex"
# rules Lark always inlines (every alternative is one child or carries an alias): no tree node is named so
INLINED = {"stmt", "term", "mulop", "factor", "any_scripted", "sarg", "farg", "bare", "sitem"}


def test_every_rule_of_the_grammar_has_one_method():
    missing = sorted(name for name in rule_names() - INLINED if not hasattr(Builder, name))
    assert missing == []


def test_modules_read_in_one_sitting():
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert sizes and max(sizes.values()) <= 400, sizes


def test_one_error_type_and_no_old_module():
    assert issubclass(LatexError, ClaimError)
    assert not (PACKAGE.parent / "latex_syntax.py").exists()
    assert (PACKAGE / "claim.lark").is_file()
    assert not list(PACKAGE.parent.parent.glob("*.whl"))
