"""Compute served to tenants: site compute limits and tenant demand."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.chips import active_terms
from twin.plan.data import PlanData
from twin.plan.power import existing_it_mw, idle_term
from twin.plan.rows import sparse_rule
from twin.plan.terms import shared


def existing_k_h100e(d: PlanData, s: str, p: int) -> float:
    """Compute of chips already installed or committed at s in p [kH100e]."""
    return sum(d.h100e[k] * d.existing_chips_k.get((s, k, p), 0.0) for k in d.chips)


def existing_h100e_per_mw(d: PlanData, s: str, p: int) -> float:
    """Compute density of the existing chips at s in p [kH100e/MW]; 0 with none."""
    mw = existing_it_mw(d, s, p)
    return existing_k_h100e(d, s, p) / mw if mw > 0 else 0.0


def compute_capacity_expr(
    m: pyo.ConcreteModel, d: PlanData, s: str, p: int, running: bool = True
) -> pyo.Expression:
    """Usable compute at s in p [kH100e]:

    ``a_s * (H_existing[s,p] - rho[s,p] * idle[s,p] + sum_k h100e_k * active[s,k,p])``
    with availability ``a_s`` and existing compute density ``rho`` [kH100e/MW]. With
    ``running=False`` the idle term is left out: the compute installed, whether powered or not.
    """
    new = shared(
        m,
        ("new_h100e", s, p),
        lambda: sum(d.h100e[k] * x for k in d.chips for x in active_terms(m, d, s, k, p)),
    )
    idle = existing_h100e_per_mw(d, s, p) * idle_term(m, s, p) if running else 0.0
    return d.availability[s] * (existing_k_h100e(d, s, p) - idle + new)


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
    # one grouping of the allocations, shared by every family that sums them
    m.allocs_at = {}  # (site, period) -> [(tenant, var)]
    m.allocs_to = {}  # (tenant, period) -> [(site, var)]
    for s, j, p in d.alloc_idx:
        m.allocs_at.setdefault((s, p), []).append((j, m.alloc[s, j, p]))
        m.allocs_to.setdefault((j, p), []).append((s, m.alloc[s, j, p]))


def define_compute_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Allocation within usable compute: ``sum_j alloc[s,j,p] <= compute[s,p]``.

    Its dual is the marginal value of one kH100e at s in p (discounted $M).
    """
    idx = [(s, p) for s in d.sites for p in range(d.n_periods)]
    m.compute = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "compute",
            lambda m, s, p: (
                sum(x for _, x in m.allocs_at.get((s, p), ())) - compute_capacity_expr(m, d, s, p)
                <= 0
            ),
        ),
    )


def define_demand_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Demand: firm tenants ``sum_s alloc[s,j,p] + unmet[j,p] = D[j,p]``; price-taking tenants
    ``sum_s alloc[s,j,p] <= D[j,p]`` (they take what is worth serving)."""
    idx = [(j, p) for j in d.tenants for p in range(d.n_periods)]

    def rule(m: pyo.ConcreteModel, j: str, p: int) -> object:
        served = sum(x for _, x in m.allocs_to.get((j, p), ()))
        if j in d.firm:
            return served + m.unmet[j, p] == d.demand_k[j, p]
        if isinstance(served, int):  # no eligible site
            return pyo.Constraint.Skip
        return served <= d.demand_k[j, p]

    m.demand = pyo.Constraint(idx, rule=sparse_rule("demand", rule))
