"""Chip vintages and supply: installs by generation, lifetimes, vendor purchases."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData


def define_chip_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``install[s,k,p] >= 0`` [kchips of generation k installed at s in p: a vintage] and
    ``buy[k,p]`` in ``[0, vendor allocation x dt]`` [kchips bought from the vendor]."""
    m.install = pyo.Var(pyo.Set(initialize=d.install_idx, dimen=3), within=pyo.NonNegativeReals)
    m.buy = pyo.Var(
        pyo.Set(initialize=d.buy_idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, k, p: (
            0,
            None if d.vendor_cap_k[k, p] == float("inf") else d.vendor_cap_k[k, p],
        ),
    )


def define_chip_supply_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Chip balance per generation and period:

    ``sum_s install[s,k,p] = buy[k,p] + sum_f make[f,p]`` for (k,p) with installs, ``f`` the
    fabs making k (:mod:`twin.plan.fab`).
    """
    g = d.groups
    m.chip_supply = pyo.Constraint(
        list(g.installs_at),
        rule=lambda m, k, p: (
            sum(m.install[s, k, p] for s in g.installs_at[k, p])
            - m.buy[k, p]
            - sum(m.make[f, p] for f in g.made_of.get((k, p), ()))
            == 0
        ),
    )
