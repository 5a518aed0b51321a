"""Linear sums built in one step from lists of terms, for the families' large sums.

``sum(c * x for ...)`` makes Pyomo build the expression one term at a time (a new monomial,
then a copy-on-extend of the growing sum, per term); these build the same linear expression from
a list at once: the same terms in the same order, with Pyomo's own simplifications (a zero
coefficient drops the term, a unit coefficient keeps the bare variable), so the LP is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias

from pyomo.core.base.var import VarData
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression, SumExpression

Linear: TypeAlias = LinearExpression | float


def var_sum(variables: Iterable[VarData]) -> Linear:
    """``sum(x for x in variables)``; 0 when there are none."""
    args = list(variables)
    return LinearExpression(args) if args else 0.0


def weighted_sum(terms: Iterable[tuple[float, VarData]]) -> Linear:
    """``sum(c * x for c, x in terms)``; 0 when no term has a nonzero coefficient."""
    args = [x if c == 1 else MonomialTermExpression((c, x)) for c, x in terms if c != 0]
    return LinearExpression(args) if args else 0.0


def term_sum(terms: list) -> Any:
    """``sum(terms)`` of any linear terms (monomials, scaled shared expressions, constants), as
    one flat sum in the same order; 0 when empty."""
    if not terms:
        return 0.0
    return terms[0] if len(terms) == 1 else SumExpression(list(terms))
