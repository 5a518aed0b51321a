"""Leaving halls: mothballing IT capacity the plan has no use for.

A site with ``mothball_keep_share = kappa`` may mothball ``mothball[s,p] >= 0`` MW of its IT
capacity in period p (reversibly, period by period): a mothballed MW carries no IT load and costs
``kappa`` of its fixed opex (care and maintenance), saving ``(1 - kappa) o_s dt`` $M a period:

    IT[s,p] + mothball[s,p] <= cap[s,p]                     (halls[s,p])
    opex[p] -= (1 - kappa_s) o_s dt mothball[s,p]

with ``IT = existing IT - idle + it_load`` the IT power drawn. The report gives
``mothballed_mw`` and the expression ``idle_hall[s,p] = cap - IT - mothball`` (capacity built,
neither used nor mothballed) per site and period, as ``idle_hall_mw``.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.expressions import capacity, total_it_load
from twin.plan.rows import sparse_rule


def define_halls(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``mothball[s,p]``, the ``halls[s,p]`` rows and ``idle_hall[s,p]`` (module docstring)."""
    idx = [(s, p) for s in d.mothball_keep for p in range(d.n_periods)]
    m.mothball = pyo.Var(pyo.Set(initialize=idx, dimen=2), within=pyo.NonNegativeReals)
    every = [(s, p) for s in d.sites for p in range(d.n_periods)]
    m.idle_hall = pyo.Expression(
        every,
        rule=lambda m, s, p: (
            capacity(m, d, s, p)
            - total_it_load(m, d, s, p)
            - (m.mothball[s, p] if (s, p) in m.mothball else 0.0)
        ),
    )
    m.halls = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "halls",
            lambda m, s, p: (
                total_it_load(m, d, s, p) + m.mothball[s, p] - capacity(m, d, s, p) <= 0
            ),
        ),
    )


def halls_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """The opex a mothballed MW saves, ``-(1 - kappa_s) o_s dt mothball[s,p]`` on ``opex``."""
    out = CashTerms(d.n_periods)
    for (s, p), x in m.mothball.items():
        saving = (1 - d.mothball_keep[s]) * d.opex_mw_year[s] * d.dt
        if saving > 0:
            out.add("opex", p, -saving * x)
    return out
