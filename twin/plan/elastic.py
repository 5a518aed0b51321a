"""Elastic rows: find which constraint family, site and period make a plan infeasible.

When HiGHS reports an infeasible plan, the model is rebuilt from ``PlanData`` with
``elastic=True``: each row of the families that can conflict (site ceilings, contracts, policy,
launch capacity, fab limits) gets a non-negative slack, and the model minimises the total slack (a
phase-one problem). The rows whose slack stays positive name the conflict.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData


def define_slack_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``slack[family, *key] >= 0``, created on demand by :func:`slack` (elastic models only)."""
    if d.elastic:
        m.slack = pyo.Var(pyo.Any, dense=False, within=pyo.NonNegativeReals)


def slack(m: pyo.ConcreteModel, d: PlanData, family: str, *key: object) -> pyo.Var | float:
    """The slack of row ``family[key]`` in an elastic model, else 0.

    Add it on the side that relaxes the row: ``lhs <= rhs + slack`` or ``lhs + slack >= rhs``.
    """
    if not d.elastic:
        return 0.0
    return m.slack[(family, *key)]
