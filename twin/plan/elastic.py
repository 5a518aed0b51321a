"""Elastic rows: find which constraint family, site and period make a plan infeasible.

When HiGHS reports an infeasible plan, the model is rebuilt with a non-negative slack on each row
of the families that can conflict (site ceilings, contracts, policy, launch capacity, fab limits)
and solved to minimise the total slack (a phase-one problem). The rows whose slack stays positive
name the conflict.
"""

from __future__ import annotations

import pyomo.environ as pyo


def enable(m: pyo.ConcreteModel) -> None:
    """Give ``m`` a slack variable family ``m.slack[(family, key)] >= 0`` created on demand."""
    m.slack = pyo.Var(pyo.Any, dense=False, within=pyo.NonNegativeReals)
    m.slack_rows = []


def slack(m: pyo.ConcreteModel, family: str, *key: object) -> pyo.Var | float:
    """The slack of row ``family[key]`` in an elastic model, else 0.

    Add it on the side that relaxes the row: ``lhs <= rhs + slack`` or ``lhs + slack >= rhs``.
    """
    if not hasattr(m, "slack"):
        return 0.0
    idx = (family, *key)
    m.slack_rows.append(idx)
    return m.slack[idx]
