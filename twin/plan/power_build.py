"""Power projects as decisions: build gas, grid, PPAs with storage, nuclear at a site.

Index domain and coefficients: :class:`twin.plan.supply_data.PowerBuildData` (``d.power_build``).

Decisions: ``power_build[s,g,p] >= 0`` MW of nameplate of project g started at s in p;
``power_draw[s,g,p] >= 0`` MW average drawn from it.

- permit:  ``sum_p power_build[s,g,p] <= max_mw_per_site_g``
- firm:    ``power_draw[s,g,p] <= credit_g x sum_{q + L_g <= p} power_build[s,g,q]``
- site power (in :mod:`twin.plan.power`): the draws join the sources on the supply side.

Cash flows ($M): capex ``c_g x power_build`` in the start period; fixed O&M
``o_g x dt x online nameplate``; energy ``e_g[p] x dt x power_draw``; salvage
``remaining_share(online period, life_g) x c_g x power_build`` at the horizon end.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData


def define_power_build_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``power_build[s,g,p] >= 0`` and ``power_draw[s,g,p] >= 0`` [MW] on their index sets."""
    pb = d.power_build
    m.power_build = pyo.Var(
        pyo.Set(initialize=list(pb.build_idx), dimen=3), within=pyo.NonNegativeReals
    )
    m.power_draw = pyo.Var(
        pyo.Set(initialize=list(pb.draw_idx), dimen=3), within=pyo.NonNegativeReals
    )


def online_nameplate(m: pyo.ConcreteModel, d: PlanData, s: str, g: str, p: int) -> Any:
    """``sum_{q + L_g <= p} power_build[s,g,q]``: nameplate of g online at s in p [MW]."""
    return sum(m.power_build[s, g, q] for q in d.power_build.online.get((s, g, p), ()))


def draw_terms(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> list:
    """``power_draw[s,g,p]`` of every project g at s in p [MW] (empty where none)."""
    return [m.power_draw[s, g, p] for g in d.power_build.draws_at.get((s, p), ())]


def define_power_build_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Permit and firm-draw rows (module docstring)."""
    pb = d.power_build
    m.power_permit = pyo.Constraint(
        list(pb.builds_of),
        rule=lambda m, s, g: (
            sum(m.power_build[s, g, q] for q in pb.builds_of[s, g]) <= pb.max_mw_per_site[g]
        ),
    )
    m.power_firm = pyo.Constraint(
        list(pb.draw_idx),
        rule=lambda m, s, g, p: (
            m.power_draw[s, g, p] - pb.credit[g] * online_nameplate(m, d, s, g, p) <= 0
        ),
    )


def power_build_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Capex, fixed O&M, energy and salvage of the power projects (module docstring)."""
    pb, out = d.power_build, CashTerms(d.n_periods)
    for s, g, p in pb.build_idx:
        x = m.power_build[s, g, p]
        out.add("capex", p, pb.capex_musd_per_mw[g] * x)
        fixed = pb.fixed_musd_per_mw_year[g] * d.dt
        if fixed > 0:
            for q in range(p + pb.lead[g], d.n_periods):
                out.add("opex", q, fixed * x)
        share = d.remaining_share(p + pb.lead[g], pb.life_years[g])
        if share > 0 and pb.capex_musd_per_mw[g] > 0:
            out.salvage.append(share * pb.capex_musd_per_mw[g] * x)
    for s, g, p in pb.draw_idx:
        out.add("energy", p, pb.energy_musd_per_mw_year[g, p] * d.dt * m.power_draw[s, g, p])
    return out
