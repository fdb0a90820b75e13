"""The errors symcheck reports.  Each carries one line a user can act on."""
from __future__ import annotations


class SymcheckError(Exception):
    """Base class: ``str(error)`` is the one line shown to the user."""

    exit_code = 2


class UsageError(SymcheckError):
    """Bad command-line input (unknown id, bad option)."""


class ClaimError(SymcheckError):
    """A claim that cannot be read: says what, where, and what would be accepted."""

    def __init__(self, message: str, position: int | None = None, source: str | None = None):
        self.message = message
        self.position = position
        self.source = source
        where = f" at column {position + 1}" if position is not None else ""
        super().__init__(f"{message}{where}")

    def __reduce__(self):
        # a claim is read in a forked child (checking.py); its column and text come back with it
        return type(self), (self.message, self.position, self.source)


class EntryError(SymcheckError):
    """A catalogue entry that is malformed; a bug in derivations/, not in the input."""


class EvaluationError(SymcheckError):
    """A claim that parses but cannot be evaluated at a point (shape, range...)."""


class IllFormed(EvaluationError):
    """The expression is not defined at these sizes: a matrix product whose
    shapes do not conform, an index outside a variable's range.  In a claim this
    refutes it; in an entry's own model it is the entry's error."""


class BudgetExceeded(BaseException):
    """Raised inside a budgeted computation when its time is up.

    A BaseException, so that SymPy's internal ``except Exception`` blocks cannot
    swallow it.
    """
