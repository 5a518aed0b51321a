"""Power projects as decisions: build gas, grid, PPAs with storage, nuclear, batteries at a site.

Index domain and coefficients: :class:`twin.plan.supply_data.PowerBuildData` (``d.power_build``).

Decisions: ``power_build[s,g,q] >= 0`` MW of nameplate of project g started at s in q;
``power_draw[s,g,p] >= 0`` MW average drawn from it (not for storage); ``top_unused[s,g,p] >= 0``
MW average of a take-or-pay contract paid but not drawn; ``power_online[s,g,p] >= 0`` its
nameplate online (a state the builds determine).

- online:  ``online[s,g,p] = sum_q a[q,p] power_build[s,g,q]``, ``a[q,p]`` the share of p the
  build of q is online (0 before ``earliest + lead``; pro rata in the period it comes online),
  written recursively ``online[p] = online[p-1] + sum_q (a[q,p] - a[q,p-1]) power_build[q]``
  (``power_online_def``): a build's share changes in at most two periods, so the energy,
  take-or-pay and firm rows each hold one online term instead of a sum over every build period
- permit:  ``sum_q power_build[s,g,q] <= max_mw_per_site_g``
- energy:  ``power_draw[s,g,p] <= cf_g x online[s,g,p]`` (capacity factor: energy availability;
  with representative days the hourly ``project_available`` rows of :mod:`twin.plan.hourly`)
- take-or-pay: ``top_unused[s,g,p] >= tau_g x cf_g x online[s,g,p] - power_draw[s,g,p]``
- firm capacity (credit x online) joins the site's firm row in :mod:`twin.plan.firm`; the draws
  join the site's energy balance in :mod:`twin.plan.power`.

Cash flows ($M): capex ``c_g x power_build`` in the start period; fixed O&M and capacity charge
``(o_g + k_g) x dt x online``; energy ``e_g[p] x dt x (power_draw + top_unused)`` (a take-or-pay
contract pays ``tau x`` its volume whether drawn or not: ``max(draw, tau cf online)``); salvage
``remaining_share(first online period, life_g) x c_g x power_build`` at the horizon end.

A contract runs to its term ``life_g`` and no further (``a[q,p]`` is 0 after it,
:mod:`twin.plan.supply_data`). A take-or-pay contract whose term outlasts the solved horizon
still owes its minimum after it: the end charges, at ``T_s`` (the solved end),

    owed[s,g,q] = tau_g x cf_g x e_g[P-1] x A(r, R) x power_build[s,g,q]      [$M]
    A(r, R) = (1 - (1 + r) ** -R) / r,      R = max(0, t_on + life_g - T_s)   [years]

(the last period's energy price held, ``R`` the years of term left) under every end-effect
choice (a debt is owed whether or not assets are credited), unless ``economics.salvage`` is off.
Without it, a contract signed near the end looks cheaper the earlier the model stops: a
12-year neocloud plan (5 buffer years) signs 1,216 MW of nuclear PPA where a 17-year one signs
489 MW (benchmarks/end_effects.py).
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.emissions import THOUSAND_HOURS_PER_YEAR


def define_power_build_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``power_build[s,g,q]``, ``power_draw[s,g,p]``, ``top_unused[s,g,p]`` and
    ``power_online[s,g,p]`` >= 0 [MW]."""
    pb = d.power_build
    m.power_build = pyo.Var(
        pyo.Set(initialize=list(pb.build_idx), dimen=3), within=pyo.NonNegativeReals
    )
    m.power_draw = pyo.Var(  # with representative days: power_draw_mean (twin.plan.hourly)
        pyo.Set(initialize=list(pb.draw_idx), dimen=3), within=pyo.NonNegativeReals
    )
    m.top_unused = pyo.Var(
        pyo.Set(initialize=list(pb.top_idx), dimen=3), within=pyo.NonNegativeReals
    )
    m.power_online = pyo.Var(
        pyo.Set(initialize=list(pb.online), dimen=3), within=pyo.NonNegativeReals
    )


def online_nameplate(m: pyo.ConcreteModel, d: PlanData, s: str, g: str, p: int) -> Any:
    """``online[s,g,p]``: nameplate online at s in p [MW] (0 where nothing can be)."""
    return m.power_online[s, g, p] if (s, g, p) in d.power_build.online else 0.0


def online_change(m: pyo.ConcreteModel, d: PlanData, s: str, g: str, p: int) -> Any:
    """``sum_q (a[q,p] - a[q,p-1]) power_build[s,g,q]``: nameplate coming online in p [MW]."""
    now = dict(d.power_build.online.get((s, g, p), ()))
    before = dict(d.power_build.online.get((s, g, p - 1), ()))
    return sum(
        (now.get(q, 0.0) - before.get(q, 0.0)) * m.power_build[s, g, q]
        for q in sorted(now.keys() | before.keys())
        if abs(now.get(q, 0.0) - before.get(q, 0.0)) > 1e-12
    )


def draw_terms(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> list:
    """``power_draw[s,g,p]`` of every project g at s in p [MW] (empty where none)."""
    return [m.power_draw[s, g, p] for g in d.power_build.draws_at.get((s, p), ())]


def define_power_build_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Online, permit, energy and take-or-pay rows (module docstring)."""
    pb = d.power_build
    m.power_online_def = pyo.Constraint(
        list(pb.online),
        rule=lambda m, s, g, p: (
            m.power_online[s, g, p]
            - (m.power_online[s, g, p - 1] if (s, g, p - 1) in pb.online else 0.0)
            - online_change(m, d, s, g, p)
            == 0
        ),
    )
    m.power_permit = pyo.Constraint(
        list(pb.builds_of),
        rule=lambda m, s, g: (
            sum(m.power_build[s, g, q] for q in pb.builds_of[s, g]) <= pb.max_mw_per_site[g]
        ),
    )
    m.power_energy = pyo.Constraint(
        [i for i in pb.draw_idx if not d.hourly(i[2])],  # hourly: twin.plan.hourly
        rule=lambda m, s, g, p: (
            m.power_draw[s, g, p] - pb.capacity_factor[g] * online_nameplate(m, d, s, g, p) <= 0
        ),
    )
    m.take_or_pay = pyo.Constraint(
        list(pb.top_idx),
        rule=lambda m, s, g, p: (
            pb.take_or_pay[g] * pb.capacity_factor[g] * online_nameplate(m, d, s, g, p)
            - m.power_draw[s, g, p]
            - m.top_unused[s, g, p]
            <= 0
        ),
    )
    m.project_energy_gwh = pyo.Expression(
        list(pb.draw_idx),
        rule=lambda m, s, g, p: THOUSAND_HOURS_PER_YEAR * d.dt * m.power_draw[s, g, p],
    )
    m.take_or_pay_unused_musd = pyo.Expression(
        list(pb.top_idx),
        rule=lambda m, s, g, p: pb.energy_musd_per_mw_year[g, p] * d.dt * m.top_unused[s, g, p],
    )


def owed_after_end_musd_per_mw(d: PlanData, s: str, g: str, q: int) -> float:
    """``owed[s,g,q] / power_build`` [$M per MW] at the solved end: the take-or-pay minimum of
    the term left after it (module docstring); 0 without take-or-pay or salvage."""
    pb = d.power_build
    tau = pb.take_or_pay.get(g, 0.0)
    if tau <= 0 or not d.salvage:
        return 0.0
    left = d.t[pb.first_online[s, g, q]] + pb.life_years[g] - d.n_periods * d.dt
    if left <= 0:
        return 0.0
    r, last = d.discount_rate, pb.energy_musd_per_mw_year[g, d.n_periods - 1]
    annuity = left if r == 0 else (1 - (1 + r) ** -left) / r
    return tau * pb.capacity_factor[g] * last * annuity


def power_build_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Capex, fixed O&M, capacity charge, energy and salvage of the projects (module docstring)."""
    pb, out = d.power_build, CashTerms(d.n_periods)
    for s, g, q in pb.build_idx:
        x = m.power_build[s, g, q]
        out.add("capex", q, pb.capex_musd_per_mw[g] * x)
        share = d.remaining_share(pb.first_online[s, g, q], pb.life_years[g])
        if share > 0 and pb.capex_musd_per_mw[g] > 0:
            out.add_salvage(share * pb.capex_musd_per_mw[g] * x, site=s)
        owed = owed_after_end_musd_per_mw(d, s, g, q)
        if owed > 0:
            out.debt.append(owed * x)
    for s, g, p in pb.online:
        fixed = pb.fixed_musd_per_mw_year[g] * d.dt
        charge = pb.capacity_charge_musd_per_mw_year[g] * d.dt
        if fixed > 0:
            out.add("opex", p, fixed * m.power_online[s, g, p])
        if charge > 0:
            out.add("energy", p, charge * m.power_online[s, g, p])
    for s, g, p in pb.draw_idx:
        cost = pb.energy_musd_per_mw_year[g, p] * d.dt * m.power_draw[s, g, p]
        out.add("energy", p, cost, site=s)
    for s, g, p in pb.top_idx:
        out.add("energy", p, m.take_or_pay_unused_musd[s, g, p])
    return out
