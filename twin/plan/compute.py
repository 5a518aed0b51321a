"""Compute served to tenants: site compute limits and tenant demand."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import compute_capacity
from twin.plan.linear import var_sum
from twin.plan.rows import sparse_rule


def define_compute_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``alloc[s,j,p] >= 0`` [kH100e served to tenant j from s in p], only for pairs that meet
    the tenant's latency SLA (eligibility is the sparsity); ``unmet[j,p] >= 0`` for firm tenants."""
    m.alloc = pyo.Var(pyo.Set(initialize=d.alloc_idx, dimen=3), within=pyo.NonNegativeReals)
    m.unmet = pyo.Var(
        pyo.Set(
            initialize=[(j, p) for j in d.tenants if j in d.firm for p in range(d.n_periods)],
            dimen=2,
        ),
        within=pyo.NonNegativeReals,
    )


def define_compute_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Allocation within usable compute: ``sum_j alloc[s,j,p] <= compute[s,p]``.

    Its dual is the marginal value of one kH100e at s in p (discounted $M).
    """
    at = d.groups.allocs_at
    alloc = dict(m.alloc.items())
    idx = [(s, p) for s in d.sites for p in range(d.n_periods)]
    m.compute = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "compute",
            lambda m, s, p: (
                var_sum(alloc[s, j, p] for j in at.get((s, p), ())) - compute_capacity(m, d, s, p)
                <= 0
            ),
        ),
    )


def define_demand_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Demand: firm tenants ``sum_s alloc[s,j,p] + unmet[j,p] = D[j,p]``; price-taking tenants
    ``sum_s alloc[s,j,p] <= D[j,p]`` (they take what is worth serving)."""
    to = d.groups.allocs_to
    alloc = dict(m.alloc.items())
    idx = [(j, p) for j in d.tenants for p in range(d.n_periods)]

    def rule(m: pyo.ConcreteModel, j: str, p: int) -> object:
        served = var_sum(alloc[s, j, p] for s in to.get((j, p), ()))
        if j in d.firm:
            return served + m.unmet[j, p] == d.demand_k[j, p]
        if isinstance(served, float):  # no eligible site
            return pyo.Constraint.Skip
        return served <= d.demand_k[j, p]

    m.demand = pyo.Constraint(idx, rule=sparse_rule("demand", rule))
