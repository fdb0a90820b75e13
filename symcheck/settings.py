"""A project's settings: ``[tool.symcheck]`` in the nearest pyproject.toml.

Searched from the current directory upward, as pytest and ruff do, so any
command run anywhere inside a course's project finds its catalogue::

    [tool.symcheck]
    catalogue = "sheets"          # a folder or a file, or a list of them; relative to this file
    pattern = "*_sheet.py"        # which files pytest collects outside the catalogue (optional)
    reports = "reports"           # report's default output directory (optional)
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from symcheck.errors import UsageError

#: files pytest collects as catalogue entries when the settings name no catalogue
DEFAULT_PATTERN = "*_sheet.py"
_KEYS = {"catalogue", "pattern", "reports"}


@dataclass
class Settings:
    root: Path | None = None  # the folder of the pyproject.toml, None without one
    catalogue: list = field(default_factory=list)
    pattern: str = DEFAULT_PATTERN
    reports: Path | None = None


def find(start: Path | None = None) -> Settings:
    """The settings of the nearest pyproject.toml with a [tool.symcheck] table, or the defaults."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        path = folder / "pyproject.toml"
        if path.is_file():
            table = _table(path)
            if table is not None:
                return _settings(path, table)
    return Settings()


def _table(path: Path) -> dict | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: cannot read the settings ({error})") from None
    table = data.get("tool", {}).get("symcheck")
    return table if isinstance(table, dict) else None


def _settings(path: Path, table: dict) -> Settings:
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(f"{path}: [tool.symcheck] has no setting {unknown[0]!r}; settings: {', '.join(sorted(_KEYS))}")
    root = path.parent
    catalogue = table.get("catalogue", [])
    catalogue = [catalogue] if isinstance(catalogue, str) else catalogue
    if not isinstance(catalogue, list) or not all(isinstance(c, str) for c in catalogue):
        raise UsageError(f"{path}: [tool.symcheck] catalogue must be a path or a list of paths")
    pattern = table.get("pattern", DEFAULT_PATTERN)
    reports = table.get("reports")
    if not isinstance(pattern, str) or (reports is not None and not isinstance(reports, str)):
        raise UsageError(f"{path}: [tool.symcheck] pattern and reports must be strings")
    return Settings(root, [root / c for c in catalogue], pattern, root / reports if reports else None)
