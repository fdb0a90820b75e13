"""The built-in catalogue: one file per topic, each holding Entry and Prose objects.

symcheck loads these files by path (``symcheck.loading``), like any user's
catalogue; this ``__init__`` only lets the repository import the folder as a
package.  The sheets are declared in ``sheets.toml`` beside the entries.
An installed symcheck ships this folder as ``symcheck/_catalogue``.
"""
import tomllib
from pathlib import Path

#: the sheets as sheets.toml declares them (kept for code that imports the folder)
SHEETS = tomllib.loads((Path(__file__).parent / "sheets.toml").read_text(encoding="utf-8"))
