"""IT power within capacity, and site power from its sources with PUE."""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.emissions import THOUSAND_HOURS_PER_YEAR
from twin.plan.expressions import idle, it_load, new_capacity
from twin.plan.power_build import draw_terms
from twin.plan.rows import sparse_rule


def define_power_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``power[g,p]`` in ``[0, limit[g,p] x capacity_factor_g]`` [MW average supplied] for every
    source that makes energy (a battery makes none: it only adds firm capacity,
    :mod:`twin.plan.firm`), and
    ``idle[s,p]`` in ``[0, IT_existing[s,p]]`` [MW of already-installed chips left switched off,
    e.g. when a permit cut leaves too little power for them]. In an hourly period
    (``d.hourly(p)``) ``power`` is the weighted mean of the hourly dispatch (row ``power_mean``
    of :mod:`twin.plan.hourly`) and its bound is the dispatch's, hour by hour."""
    m.power = pyo.Var(
        pyo.Set(initialize=d.power_idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, g, p: (0, None if d.hourly(p) else d.source_energy_mw[g, p]),
    )
    idx = [(s, p) for s in d.sites for p in range(d.n_periods) if d.existing_it_mw[s, p] > 0]
    m.idle = pyo.Var(
        pyo.Set(initialize=idx, dimen=2),
        within=pyo.NonNegativeReals,
        bounds=lambda m, s, p: (0, d.existing_it_mw[s, p]),
    )


def define_it_power_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """IT load fits the facility: ``sum_k kW_k active[s,k,p] <= cap[s,p]``, written as

    ``it_load[s,p] - idle[s,p] - new_capacity[s,p] <= existing_mw[s,p] - IT_existing[s,p]``.

    Its dual is the marginal value of one MW of IT capacity at s in p.
    """
    idx = d.ground_periods
    m.it_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "it_power",
            lambda m, s, p: (
                it_load(m, s, p) - idle(m, s, p) - new_capacity(m, s, p)
                <= d.existing_mw[s, p] - d.existing_it_mw[s, p]
            ),
        ),
    )


def define_site_power_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Site energy meets IT load times PUE: ``PUE_s * IT[s,p] = sum_{g at s} power[g,p]
    + sum_g power_draw[s,g,p]`` (built projects, :mod:`twin.plan.power_build`), with
    ``IT = IT_existing - idle + it_load``: average MW over the period, i.e. energy. Storage is
    not on the right: it shifts energy and makes none (net energy 0 in the period form).

    An equality, not ``<=``: with ``<=`` a source priced at $0/MWh (a battery) could be drawn
    above the need at no cost, so the reported draw was any point of a degenerate face and changed
    with the HiGHS version while the plan and its NPV did not.

    Its dual is the marginal value of one MW-year of energy supply at s in p. Also the
    expression ``source_energy_gwh[g,p] = 8.76 dt power[g,p]`` (energy of today's sources).
    In an hourly period the hourly balance replaces these rows (:mod:`twin.plan.hourly`).
    """
    at = d.groups.sources_at
    m.source_energy_gwh = pyo.Expression(
        d.power_idx, rule=lambda m, g, p: THOUSAND_HOURS_PER_YEAR * d.dt * m.power[g, p]
    )
    idx = [(s, p) for s, p in d.ground_periods if not d.hourly(p)]
    m.site_power = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "site_power",
            lambda m, s, p: (
                d.pue[s] * (it_load(m, s, p) - idle(m, s, p))
                - sum(m.power[g, p] for g in at.get(s, ()) if (g, p) in m.power)
                - sum(draw_terms(m, d, s, p))
                == -d.pue[s] * d.existing_it_mw[s, p]
            ),
        ),
    )
