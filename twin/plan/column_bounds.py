"""Column bounds and integrality of the LP's columns (Pyomo variables), read in bulk for
:mod:`twin.plan.standard_form`."""

from __future__ import annotations

import highspy
import numpy as np
from pyomo.core.base.var import VarData

INF = highspy.kHighsInf


def column_bounds(cols: list[VarData]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lower, upper, integer)`` of the columns: ``v.lb``, ``v.ub`` (None: -inf, inf) and
    ``v.is_integer() or v.is_binary()``, read in bulk: each member's own bound (a number, or
    None: unbounded) tightened by its domain's bounds, and the domain's integrality, asked once
    per distinct domain (a model has a handful). A bound that is an expression (not a number)
    falls back to asking every variable, as Pyomo does."""
    try:
        own_lb = np.array([v._lb for v in cols], dtype=float)  # None: nan
        own_ub = np.array([v._ub for v in cols], dtype=float)
        ids = np.fromiter((id(v._domain) for v in cols), dtype=np.uint64, count=len(cols))
    except (TypeError, ValueError, AttributeError):  # an expression bound; another Pyomo's slots
        return _column_bounds_each(cols)
    _, where, codes = np.unique(ids, return_index=True, return_inverse=True)
    first = [cols[i] for i in where.tolist()]
    bounds = [v.domain.bounds() for v in first]
    d_lb = np.array([-INF if b[0] is None else b[0] for b in bounds], dtype=float)
    d_ub = np.array([INF if b[1] is None else b[1] for b in bounds], dtype=float)
    ints = np.array([v.is_integer() or v.is_binary() for v in first], dtype=bool)
    lower = np.fmax(own_lb, d_lb[codes])  # fmax/fmin: a nan (no own bound) takes the domain's
    upper = np.fmin(own_ub, d_ub[codes])
    return lower, upper, ints[codes]


def _column_bounds_each(cols: list[VarData]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`column_bounds`, one variable at a time."""
    lower = np.array([-INF if v.lb is None else v.lb for v in cols], dtype=float)
    upper = np.array([INF if v.ub is None else v.ub for v in cols], dtype=float)
    return lower, upper, np.array([v.is_integer() or v.is_binary() for v in cols], dtype=bool)
