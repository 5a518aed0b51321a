"""Rows that fold to constants: skipped when trivially true, named when trivially false."""

from __future__ import annotations

from collections.abc import Callable

import pyomo.environ as pyo

from twin.errors import PlanError


class TrivialInfeasibility(PlanError, ValueError):
    """A row with no decision left in it that cannot hold (data fix needed, not a solve)."""


def sparse_rule(family: str, rule: Callable[..., object]) -> Callable[..., object]:
    """Wrap a constraint rule: a row that resolves to ``True`` is skipped (no decision in it);
    ``False`` raises :class:`TrivialInfeasibility` naming the family and index."""

    def wrapped(m: pyo.ConcreteModel, *idx: object) -> object:
        rel = rule(m, *idx)
        if rel is True:
            return pyo.Constraint.Skip
        if rel is False:
            raise TrivialInfeasibility(
                f"{family}[{', '.join(map(str, idx))}] cannot hold with no decision in it"
            )
        return rel

    return wrapped
