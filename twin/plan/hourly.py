"""Power in hours on representative days: dispatch within hourly availability, and every site's
balance in every hour. Replaces the period form's energy rows in the periods ``d.hourly(p)``:
every reported period when ``d.hours`` is set (the end buffer keeps the period form).

Per period p, representative day d (weight ``w_d`` days of the year) and hour h (a time step of
``tau[d,h]`` hours: 1, or a segment's length with ``horizon.hours.segments``), with ``a[d,h]``
a unit's availability and ``PUE_s[d,h]`` the site's in it (:mod:`twin.plan.hourly_data`):

- sources:  ``0 <= dispatch[g,d,h,p] <= a_g[d,h] x limit_g[p]``                  [MW] (bounds)
- projects: ``project_dispatch[s,g,d,h,p] <= a_sg[d,h] x online[s,g,p]``  [MW] (project_available;
  online pro rata in the period it comes online, never before earliest + lead:
  :mod:`twin.plan.power_build`)
- balance per terrestrial site (site_power_hourly[s,d,h,p]):
  ``sum_g dispatch + sum_g project_dispatch + sum_b (discharge - charge)
  = PUE_s[d,h] x it_running[s,p]``, ``it_running = IT_existing - idle + it_load`` [MW] flat
  within the period (it_running_def; storage: :mod:`twin.plan.storage`). An equality, as in
  the period form.

The period form's average draws stay variables, tied to the hourly ones by one row each, so
cash, take-or-pay, emissions and water read the same variable in both forms:

    365 power[g,p] = sum_d sum_h w_d tau[d,h] / 24 x dispatch[g,d,h,p]     (power_mean)
    365 power_draw[s,g,p] = sum_d sum_h w_d tau[d,h] / 24 x project_dispatch[s,g,d,h,p]
                                                                       (power_draw_mean)

[day x MW]: the year's days times the average MW equal the days each step stands for times its
MW. Written so, the coefficients are ``w_d tau / 24`` (0.04..15 for hours) and 365, not
the hour's share of the year ``w_d / 8760`` (1e-4) in every cost, emission and take-or-pay term
that reads an average (the period form's figures, scaled: DESIGN "Units"), and each of those
terms is one column instead of ``24 D``. The energy in p is ``8.76 dt power`` [GWh]. Also
``curtailed_mw[s,g,p] = sum_d sum_h w_d tau[d,h] / 8760 x (a_sg[d,h] online[s,g,p] -
project_dispatch)`` for projects with a weather profile: available energy left unused [MW average].
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import idle, it_load
from twin.plan.hourly_data import (
    DAYS_PER_YEAR,
    Days,
    availability,
    hour_weights,
    pue_profile,
    set_upper,
    step_days,
    steps,
)
from twin.plan.linear import weighted_sum
from twin.plan.power_build import online_nameplate
from twin.plan.rows import sparse_rule
from twin.plan.storage import storage_at


def source_availability(d: PlanData, days: Days) -> dict[str, np.ndarray]:
    """``a_g[d,h]`` of today's energy sources (by their site and kind)."""
    u = d.units
    energetic = dict.fromkeys(g for g, _ in d.power_idx)
    return {g: availability(days, d.source_site[g], u.source_kind[g], u.source_cf[g])
            for g in energetic}  # fmt: skip


def project_availability(d: PlanData, days: Days) -> dict[tuple[str, str], np.ndarray]:
    """``a_sg[d,h]`` of the projects that draw (by site and technology)."""
    pb = d.power_build
    pairs = dict.fromkeys((s, g) for s, g, _ in pb.draw_idx)
    return {(s, g): availability(days, s, pb.technology[g], pb.capacity_factor[g])
            for s, g in pairs}  # fmt: skip


def weather_driven(days: Days, site: str, technology: str) -> bool:
    """True if the days carry a profile for ``(site, technology)``."""
    return (site, technology) in days.availability


def define_hourly_dispatch(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``dispatch``, ``project_dispatch`` (bounds, ``project_available`` rows), the rows
    ``power_mean`` and ``power_draw_mean`` that tie the average variables ``power`` and
    ``power_draw`` to them, and the expression ``curtailed_mw`` (module docstring); nothing in
    the period form."""
    days = d.hours
    if days is None:
        return
    dd, hw, pb, hh = range(days.days), hour_weights(days), d.power_build, range(steps(days))
    a_g, a_p = source_availability(d, days), project_availability(d, days)
    lim = d.units.source_limit_mw
    gp = [(g, p) for g, p in d.power_idx if d.hourly(p)]
    sgp = [(s, g, p) for s, g, p in pb.draw_idx if d.hourly(p)]
    src = [(g, k, h, p) for g, p in gp for k in dd for h in hh]
    m.dispatch = pyo.Var(pyo.Set(initialize=src, dimen=4), within=pyo.NonNegativeReals)
    a_l = {g: a.tolist() for g, a in a_g.items()}
    set_upper(m.dispatch, lambda i: a_l[i[0]][i[1]][i[2]] * lim[i[0], i[3]])
    prj = [(s, g, k, h, p) for s, g, p in sgp for k in dd for h in hh]
    m.project_dispatch = pyo.Var(pyo.Set(initialize=prj, dimen=5), within=pyo.NonNegativeReals)
    set_upper(m.project_dispatch, lambda i: None if a_p[i[0], i[1]][i[2], i[3]] > 0 else 0.0)
    wd = step_days(days).tolist()  # w_d tau[d,h] / 24 [days per step]
    # each row one flat sum, its members read from plain dicts (not Pyomo's indexing, once a
    # term); the same terms in the same order as ``365 x - weighted_sum(...)``, so the same LP
    disp, proj = dict(m.dispatch.items()), dict(m.project_dispatch.items())
    m.power_mean = pyo.Constraint(
        gp,
        rule=lambda m, g, p: (
            weighted_sum(
                [(DAYS_PER_YEAR, m.power[g, p])]
                + [(-wd[k][h], disp[g, k, h, p]) for k in dd for h in hh]
            )
            == 0
        ),
    )
    m.power_draw_mean = pyo.Constraint(
        sgp,
        rule=lambda m, s, g, p: (
            weighted_sum(
                [(DAYS_PER_YEAR, m.power_draw[s, g, p])]
                + [(-wd[k][h], proj[s, g, k, h, p]) for k in dd for h in hh]
            )
            == 0
        ),
    )
    m.project_available = pyo.Constraint(
        [i for i in prj if a_p[i[0], i[1]][i[2], i[3]] > 0],
        rule=lambda m, s, g, k, h, p: (
            m.project_dispatch[s, g, k, h, p] - a_p[s, g][k, h] * online_nameplate(m, d, s, g, p)
            <= 0
        ),
    )
    weather = [x for x in sgp if weather_driven(days, x[0], pb.technology[x[1]])]
    m.curtailed_mw = pyo.Expression(
        weather,
        rule=lambda m, s, g, p: (
            float(np.sum(hw * a_p[s, g])) * online_nameplate(m, d, s, g, p)
            - m.power_draw[s, g, p]
        ),
    )


def _supply(
    d: PlanData, units: dict[str, dict], at: dict, s: str, k: int, h: int, p: int
) -> list[tuple[float, Any]]:
    """The terms of ``sum dispatch + sum project_dispatch + sum (discharge - charge)`` at s
    [MW]; ``units`` the members of ``dispatch``, ``project_dispatch``, ``charge`` and
    ``discharge`` by index."""
    disp, proj = units["dispatch"], units["project_dispatch"]
    terms = [(1.0, disp[g, k, h, p]) for g in d.groups.sources_at.get(s, ())
             if (g, k, h, p) in disp]  # fmt: skip
    terms += [(1.0, proj[s, g, k, h, p]) for g in d.power_build.draws_at.get((s, p), ())]
    for b in at.get((s, p), ()):
        terms += [(1.0, units["discharge"][b, k, h, p]), (-1.0, units["charge"][b, k, h, p])]
    return terms


def define_hourly_balance(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The rows ``site_power_hourly[s,d,h,p]`` (module docstring), written as
    ``PUE_s[d,h] it_running[s,p] - supply = 0``: their dual is the marginal value of one MW in
    that hour; nothing in the period form.

    ``it_running[s,p] = IT_existing - idle + it_load`` [MW] is a variable with its own row
    (``it_running_def``), so each hourly row holds one load term instead of every chip vintage
    of ``it_load`` (on the baseline: 3.1M nonzeros against ~1M)."""
    days = d.hours
    if days is None:
        return
    # Python floats: a row with no decision in it is then True (skipped), not numpy's True
    ground = [s for s in d.sites if s not in d.orbital_sites]
    pue = {s: pue_profile(days, s, d.pue[s]).tolist() for s in ground}
    sp = [(s, p) for s in ground for p in range(d.n_periods) if d.hourly(p)]
    m.it_running = pyo.Var(pyo.Set(initialize=sp, dimen=2), within=pyo.NonNegativeReals)
    m.it_running_def = pyo.Constraint(
        sp,
        rule=lambda m, s, p: (
            m.it_running[s, p] - it_load(m, s, p) + idle(m, s, p) == d.existing_it_mw[s, p]
        ),
    )
    at = storage_at(d)
    idx = [(s, k, h, p) for s, p in sp for k in range(days.days) for h in range(steps(days))]
    units = {
        "dispatch": dict(m.dispatch.items()),
        "project_dispatch": dict(m.project_dispatch.items()),
        "charge": dict(m.charge.items()),  # twin.plan.storage: built before, as dispatch
        "discharge": dict(m.discharge.items()),
    }
    run = dict(m.it_running.items())
    m.site_power_hourly = pyo.Constraint(
        idx,
        rule=sparse_rule(
            "site_power_hourly",
            lambda m, s, k, h, p: (
                weighted_sum(
                    [(pue[s][k][h], run[s, p])]
                    + [(-c, v) for c, v in _supply(d, units, at, s, k, h, p)]
                )
                == 0
            ),
        ),
    )
