"""Chip fabs (Terafab-style): build once, ramp up, learn yield, make one chip generation.

A fab build of ``x`` thousand wafer starts per month (kwspm) started in p' makes its first wafer
``L_f`` periods later; in period p, ``a`` years after its first wafer, it can make

    ``x * 12 dt * dies_per_wafer * ramp(a) * yield(a)``  thousand good chips,

with ramp and yield read by whole years since first wafer (the last value holds); the data are in
:mod:`twin.plan.fab_data`. Output feeds the chip balance of :mod:`twin.plan.chips` next to vendor
purchases.

Costs: ``capex_f x`` when construction starts; fixed opex ``o_f dt`` per kwspm in service;
``variable`` $ per good chip. The MILP form builds in whole modules of ``module_kwspm`` (the
minimum economic scale).
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import elastic
from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.facility import whole_modules
from twin.plan.linear import var_sum


def define_fab_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``fab_build[f,p] >= 0`` [kwspm started in p], ``make[f,p] >= 0`` [kchips made in p];
    ``fab_modules[f,p]`` integer with ``fab_build = module x fab_modules`` in the MILP form."""
    fd = d.fab
    m.fab_build = pyo.Var(pyo.Set(initialize=fd.build_idx, dimen=2), within=pyo.NonNegativeReals)
    m.make = pyo.Var(pyo.Set(initialize=fd.make_idx, dimen=2), within=pyo.NonNegativeReals)
    if d.integer_modules:
        m.fab_modules, m.fab_module_link = whole_modules(m.fab_build, fd.module)
    serving: dict[tuple[str, int], list] = {}
    for f, p in fd.build_idx:
        for q in in_service(d, f, p):
            serving.setdefault((f, q), []).append(m.fab_build[f, p])
    # kwspm in service (fixed opex, the report's fab_capacity_kwspm), where any build serves
    m.fab_capacity = pyo.Expression(list(serving), rule=lambda m, f, q: var_sum(serving[f, q]))


def define_fab_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Output within ramped, yielded capacity, and the fab size limit:

    - ``make[f,p] <= fab_top[f,p] = sum_{p'} fab_build[f,p'] x 12 dt x dies x ramp(a) x
      yield(a)`` (``fab_top``: an Expression, the report's ``fab_max_output_chips``);
    - ``sum_p fab_build[f,p] <= max_kwspm[f]``.
    """
    fd = d.fab
    terms: dict[tuple[str, int], list] = {}
    for (f, pb, q), coef in fd.output.items():
        terms.setdefault((f, q), []).append(coef * m.fab_build[f, pb])
    # the attainable output [kchips], an Expression so the report reads its solved value
    m.fab_top = pyo.Expression(fd.make_idx, rule=lambda m, f, q: sum(terms.get((f, q), ())))
    m.fab_output = pyo.Constraint(
        fd.make_idx, rule=lambda m, f, q: m.make[f, q] - m.fab_top[f, q] <= 0
    )
    builds: dict[str, list[int]] = {}
    for f, p in fd.build_idx:
        builds.setdefault(f, []).append(p)
    m.fab_max = pyo.Constraint(
        [f for f in fd.fabs if f in builds],
        rule=lambda m, f: (
            sum(m.fab_build[f, p] for p in builds[f])
            <= fd.max_kwspm[f] + elastic.slack(m, d, "fab_max", f, "*")
        ),
    )


def in_service(d: PlanData, f: str, p: int) -> range:
    """Periods in which a build of fab ``f`` started in ``p`` is in service (pays fixed opex and
    counts as capacity): from its first wafer ``p + L_f`` to the horizon's end."""
    return range(p + d.fab.lead[f], d.n_periods)


def fab_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Fab capex, fixed opex on kwspm in service, variable cost per chip, and salvage."""
    fd, out = d.fab, CashTerms(d.n_periods)
    for (f, q), cap in m.fab_capacity.items():
        out.add("opex", q, fd.opex_year[f] * d.dt * cap)
    for (f, p), x in m.fab_build.items():
        out.add("capex", p, fd.capex[f] * x)
        share = d.remaining_share(p, fd.life_years[f])
        if share > 0:
            out.salvage.append(share * fd.capex[f] * x)
    for (f, p), x in m.make.items():
        out.add("capex", p, fd.variable_musd_per_k[f] * x)
        share = d.remaining_share(p, d.chip_life_years[fd.chip[f]])
        if share > 0:  # made chips are salvaged at their variable cost, not a market price
            out.salvage.append(share * fd.variable_musd_per_k[f] * x)
    return out
