"""Facility capacity: builds with lead times, the site ceiling, optional integer modules."""

from __future__ import annotations

from collections.abc import Mapping

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.data import PlanData


def define_facility_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``build[s,p] >= 0`` [MW of IT capacity started in p], only where a build can go online
    within the horizon and after the site's earliest date; ``modules[s,p]`` integer with
    ``build = module_mw * modules`` when integer modules are on (MILP)."""
    m.build = pyo.Var(pyo.Set(initialize=d.build_idx, dimen=2), within=pyo.NonNegativeReals)
    if d.integer_modules:
        m.modules, m.module_link = whole_modules(m.build, d.module_mw)


def whole_modules(build: pyo.Var, size: Mapping[str, float]) -> tuple[pyo.Var, pyo.Constraint]:
    """Builds in whole modules (MILP): ``n[x,p]`` integer and ``build[x,p] = size[x] n[x,p]``
    for the keys of ``build`` whose first index has a module ``size`` (a site's MW, a fab's
    kwspm). Attach the variable first: the rows read it."""
    idx = [(x, p) for (x, p) in build if x in size]
    n = pyo.Var(pyo.Set(initialize=idx, dimen=2), within=pyo.NonNegativeIntegers)
    rows = pyo.Constraint(n.index_set(), rule=lambda _, x, p: build[x, p] - size[x] * n[x, p] == 0)
    return n, rows


def define_facility_max_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Site ceiling, at the last period (capacity never falls, so it binds there first):

    ``sum_p build[s,p] <= max_mw[s] - existing[s,P-1]``  for each terrestrial site with builds.
    """
    last = d.n_periods - 1
    builds = d.groups.builds_of
    sites = [s for s in d.sites if builds[s] and s not in d.orbital_sites]
    m.facility_max = pyo.Constraint(
        sites,
        rule=lambda m, s: (
            sum(m.build[s, q] for q in builds[s])
            <= d.max_mw[s] - d.existing_mw[s, last] + elastic.slack(m, d, "facility_max", s, last)
        ),
    )
