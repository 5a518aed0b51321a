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

from itertools import islice
from typing import Any

import numpy as np
import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.expressions import idle, it_load
from twin.plan.hourly_data import (
    DAYS_PER_YEAR,
    Days,
    availability,
    block_upper,
    hour_weights,
    hourly_index,
    pue_profile,
    set_upper,
    step_days,
    steps,
)
from twin.plan.matrix_rows import (
    ORDERED,
    LinearRows,
    RowTerms,
    capacity_rows,
    csr,
    member_positions,
)
from twin.plan.power_build import online_nameplate
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


def _mean_terms(mean: Any, hourly: Any, keys: list, wd: np.ndarray) -> RowTerms:
    """``365 mean[i] - sum_{d,h} wd[d,h] hourly[i,d,h] = 0`` per key i (module docstring) as a
    matrix: key i's hourly members are the block ``i D H ..`` of ``hourly``'s own index."""
    of = member_positions(mean)
    n, dh = len(keys), len(wd)
    comp = np.tile(np.r_[0, np.ones(dh, dtype=np.int64)], (n, 1))
    pos = np.empty((n, dh + 1), dtype=np.int64)
    pos[:, 0] = [of[k] for k in keys]
    pos[:, 1:] = np.arange(n)[:, None] * dh + np.arange(dh)
    coef = np.tile(np.r_[DAYS_PER_YEAR, -wd], (n, 1))
    zero = np.zeros(n)
    return csr([(comp, pos, coef)], [mean, hourly], zero, zero)


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
    m.dispatch = pyo.Var(hourly_index(src), within=pyo.NonNegativeReals)
    n = days.days * steps(days)
    set_upper(m.dispatch, block_upper([a_g[g].ravel() * lim[g, p] for g, p in gp], n))
    prj = [(s, g, k, h, p) for s, g, p in sgp for k in dd for h in hh]
    m.project_dispatch = pyo.Var(hourly_index(prj), within=pyo.NonNegativeReals)
    none_or_zero = {k: np.where(a.ravel() > 0, np.nan, 0.0) for k, a in a_p.items()}
    set_upper(m.project_dispatch, block_upper([none_or_zero[s, g] for s, g, _ in sgp], n))
    wd = step_days(days).ravel()  # w_d tau[d,h] / 24 [days per step]
    m.add_component("power_mean", LinearRows(gp, _mean_terms(m.power, m.dispatch, gp, wd)))
    m.add_component(
        "power_draw_mean",
        LinearRows(sgp, _mean_terms(m.power_draw, m.project_dispatch, sgp, wd)),
    )
    n_dh = len(dd) * len(hh)
    on = member_positions(m.power_online)
    avail = {k: a.ravel() for k, a in a_p.items()}
    at = [(j, x, np.flatnonzero(avail[x[:2]] > 0)) for j, x in enumerate(sgp)]
    keys = [(s, g, k // len(hh), k % len(hh), p) for _, (s, g, p), ks in at for k in ks.tolist()]
    blocks = [(j * n_dh, on.get(x), ks, avail[x[:2]][ks]) for j, x, ks in at]
    caps = capacity_rows(m.project_dispatch, m.power_online, blocks)
    m.add_component("project_available", LinearRows(keys, caps))
    weather = [x for x in sgp if weather_driven(days, x[0], pb.technology[x[1]])]
    m.curtailed_mw = pyo.Expression(
        weather,
        rule=lambda m, s, g, p: (
            float(np.sum(hw * a_p[s, g])) * online_nameplate(m, d, s, g, p)
            - m.power_draw[s, g, p]
        ),
    )


def _balance_terms(m: pyo.ConcreteModel, d: PlanData, sp: list, pue: dict) -> RowTerms:
    """``PUE_s[d,h] it_running[s,p] - sum dispatch - sum project_dispatch - sum (discharge -
    charge) = 0`` per (s, p) in ``sp``, d, h (module docstring) as a matrix; terms in the order
    load, sources at s, projects drawn at s, then each storage unit's discharge and charge. A
    unit's hourly members are the block of its (unit, p) in its variable's own index."""
    days = d.hours
    assert days is not None
    n = days.days * steps(days)
    kh = np.arange(n)
    block = {
        "dispatch": _blocks(m.dispatch, n),
        "project_dispatch": _blocks(m.project_dispatch, n),
        "storage": _blocks(m.charge, n),  # charge and discharge share their index
    }
    at = storage_at(d)
    blocks = []
    for i, (s, p) in enumerate(sp):
        terms: list[tuple[int, np.ndarray, Any]] = [(0, np.full(n, i), np.ravel(pue[s]))]
        disp = block["dispatch"]
        terms += [(1, disp[g, p] * n + kh, -1.0)
                  for g in d.groups.sources_at.get(s, ()) if (g, p) in disp]  # fmt: skip
        terms += [(2, block["project_dispatch"][s, g, p] * n + kh, -1.0)
                  for g in d.power_build.draws_at.get((s, p), ())]  # fmt: skip
        for b in at.get((s, p), ()):
            j = block["storage"][b, p] * n + kh
            terms += [(3, j, -1.0), (4, j, 1.0)]
        comp = np.tile([c for c, _, _ in terms], (n, 1))
        pos = np.column_stack([q for _, q, _ in terms])
        coef = np.column_stack([np.broadcast_to(x, n) for _, _, x in terms])
        blocks.append((comp, pos, coef))
    zero = np.zeros(n * len(sp))
    variables = [m.it_running, m.dispatch, m.project_dispatch, m.discharge, m.charge]
    return csr(blocks, variables, zero, zero)


def _blocks(v: Any, n: int) -> dict[tuple, int]:
    """``{(unit..., p): j}``: the j-th block of ``n`` members (days x steps) of an hourly
    variable indexed ``(unit..., d, h, p)``, its members in blocks of one (unit, p)."""
    keys = islice(v.keys(ORDERED), 0, None, n)  # each block's first member
    return {(*k[:-3], k[-1]): j for j, k in enumerate(keys)}


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
    idx = [(s, k, h, p) for s, p in sp for k in range(days.days) for h in range(steps(days))]
    m.add_component("site_power_hourly", LinearRows(idx, _balance_terms(m, d, sp, pue)))
