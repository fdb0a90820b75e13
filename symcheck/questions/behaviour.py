"""Behaviour questions: do the claimed weights produce the described behaviour?

The claim assigns the network's parameters (``w1 = -1, w2 = 1, b2 = 0.5``).
``simulate(params, input)`` runs the network the question describes; ``spec(input)``
is the behaviour the question asks for; ``inputs()`` enumerates every input up to
a bound (every binary sequence of length 1 to 12, say).  A mismatch found with
float parameters is re-run with the claim's exact rational values before it
becomes a counterexample.

The evidence is exhaustive over the bound, but the question is about inputs of
any length, so a passing claim is *confirmed*, never *proved*.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable

import sympy

from symcheck.errors import ClaimError, EntryError
from symcheck.questions.base import Question
from symcheck.text_syntax import parse_assignments
from symcheck.verdicts import Counterexample


@dataclass
class Behaviour(Question):
    parameters: tuple
    simulate: Callable
    spec: Callable
    inputs: Callable
    inputs_described: str = "every input up to the bound"
    #: parameters the question itself sets (biases of −1): a claim may restate
    #: them, never change them
    fixed: dict = field(default_factory=dict)
    kind: str = field(default="behaviour", init=False)

    def bind(self, entry) -> None:
        super().bind(entry)
        missing = [p for p in self.parameters if self.notation.variable(p) is None]
        if missing:
            raise EntryError(f"entry {entry.id!r}: parameters {missing} must be declared variables")

    def parse(self, text: str, *, what: str = "claim"):
        values = parse_assignments(text, self.notation, list(self.parameters), what=what,
                                   optional=tuple(self.fixed))
        for name, value in values.items():
            if not value.is_number or not value.is_real:
                raise ClaimError(f"parameter {name} must be a number, not {value}")
        return sympy.Dict(values)

    def check_free_indices(self, expr) -> None:
        return None

    def judge(self, expr) -> dict:
        """Simulate every input; returns the verdict and its evidence."""
        changed = self._changed(expr)
        if changed is not None:
            return {"verdict": "refuted", "points": 0, "counterexample": changed}
        values = {**{k: sympy.Rational(v) for k, v in self.fixed.items()}, **{str(k): v for k, v in expr.items()}}
        exact = {str(k): Fraction(int(sympy.Rational(v).p), int(sympy.Rational(v).q)) if v.is_Rational
                 else Fraction(str(sympy.N(v, 30))) for k, v in values.items()}
        floats = {k: float(v) for k, v in exact.items()}
        count = 0
        for item in self.inputs():
            count += 1
            got, wanted = self.simulate(floats, item), self.spec(item)
            if not _same(got, wanted):
                again = self.simulate(exact, item)  # exact rational arithmetic
                if not _same(again, wanted):
                    cx = Counterexample({}, {"input": _show(item)}, None, _show(again), _show(wanted), 0,
                                        "exact rational simulation; the second value is the behaviour asked for")
                    return {"verdict": "refuted", "points": count, "counterexample": cx}
        return {"verdict": "confirmed", "points": count,
                "note": f"simulated on {self.inputs_described} ({count} inputs)"}

    def _changed(self, expr) -> Counterexample | None:
        """A claim that sets a parameter the question fixes answers another question."""
        for name, value in self.fixed.items():
            given = expr.get(sympy.Symbol(name)) if hasattr(expr, "get") else None
            given = dict((str(k), v) for k, v in expr.items()).get(name) if given is None else given
            if given is not None and sympy.Rational(given) != sympy.Rational(value):
                return Counterexample({}, {}, None, f"{name} = {given}", f"{name} = {value}", 0,
                                      f"the question fixes {name} = {value}; the claim sets {name} = {given}")
        return None

    def describe(self) -> dict:
        return {"kind": self.kind, "parameters": list(self.parameters), "fixed": dict(self.fixed),
                "inputs": self.inputs_described}


def _same(a, b) -> bool:
    try:
        return list(map(float, a)) == list(map(float, b))
    except TypeError:
        return float(a) == float(b)


def _show(value) -> str:
    try:
        return "".join(str(int(v)) if float(v).is_integer() else str(float(v)) for v in value)
    except TypeError:
        return str(value)
