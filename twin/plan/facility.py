"""Facility capacity: builds with lead times, the site ceiling, optional integer modules."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData
from twin.plan.terms import shared


def capacity_terms(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> list[pyo.Var]:
    """Builds at ``s`` online in period ``p``: ``build[s, p']`` for ``p' <= p - L_s`` (and, for
    capacity that wears out, such as satellites, ``p < p' + L_s + n_s`` with life ``n_s``)."""
    life = d.capacity_life.get(s)
    return shared(
        m,
        ("capacity", s, p),
        lambda: [
            m.build[s, q]
            for q in m.builds_of[s]
            if q + d.lead[s] <= p and (life is None or p < q + d.lead[s] + life)
        ],
    )


def capacity_expr(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> pyo.Expression:
    """IT capacity ``cap[s,p] = existing[s,p] + sum(build[s,p'] for p' <= p - L_s)`` [MW]."""
    return d.existing_mw[s, p] + sum(capacity_terms(m, d, s, p))


def define_facility_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``build[s,p] >= 0`` [MW of IT capacity started in p], only where a build can go online
    within the horizon and after the site's earliest date; ``modules[s,p]`` integer with
    ``build = module_mw * modules`` when integer modules are on (MILP)."""
    m.build = pyo.Var(pyo.Set(initialize=d.build_idx, dimen=2), within=pyo.NonNegativeReals)
    m.builds_of = {s: [] for s in d.sites}
    for s, p in d.build_idx:
        m.builds_of[s].append(p)
    if d.integer_modules:
        idx = [(s, p) for (s, p) in d.build_idx if s in d.module_mw]
        m.modules = pyo.Var(pyo.Set(initialize=idx, dimen=2), within=pyo.NonNegativeIntegers)
        m.module_link = pyo.Constraint(
            m.modules.index_set(),
            rule=lambda m, s, p: m.build[s, p] - d.module_mw[s] * m.modules[s, p] == 0,
        )


def define_facility_max_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Site ceiling, at the last period (capacity never falls, so it binds there first):

    ``sum_p build[s,p] <= max_mw[s] - existing[s,P-1]``  for each site s with builds.
    """
    last = d.n_periods - 1
    sites = [s for s in d.sites if m.builds_of[s] and s not in d.orbital_sites]
    m.facility_max = pyo.Constraint(
        sites,
        rule=lambda m, s: (
            sum(m.build[s, q] for q in m.builds_of[s])
            <= d.max_mw[s] - d.existing_mw[s, last] + elastic.slack(m, "facility_max", s, last)
        ),
    )
