"""Emissions and water of the power a site draws, priced or capped by policy.

Per terrestrial site s and period p, over its existing sources g (``power[g,p]``) and built
projects g (``power_draw[s,g,p]``), each drawing ``x`` MW on average for ``dt`` years:

- ``CO2[s,p]   = 8.76 x dt x sum_g co2_g x x``   [kt]   (co2 in t/MWh; 8.76 = 8760 h / 1000)
- ``NOx[s,p]   = 8.76 x dt x sum_g nox_g x x``   [t]    (on-site turbines only; nox in kg/MWh)
- ``water[s,p] = 8.76 x dt x (sum_g w_g x x + 1000 x WUE_s x IT[s,p]) / 1000`` [1000 m3]
  (w in L/MWh; WUE in L per IT kWh, i.e. 1000 x WUE L per IT MWh)

Policy: the carbon flow ``carbon[p] = price x sum_s CO2[s,p] / 1000`` [$M] (price in $/t), and
the cap ``sum_s CO2[s,p] <= cap x dt`` [kt] when ``co2_cap_kt_per_year`` is set.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.elastic import slack
from twin.plan.expressions import Linear, total_it_load
from twin.plan.rows import sparse_rule

THOUSAND_HOURS_PER_YEAR = 8.76  # 8760 h / 1000: MW x h/yr -> MWh/yr, / 1000 -> thousands


def _draws(m: pyo.ConcreteModel, d: PlanData, s: str, p: int, rate: str) -> Linear:
    """``sum rate_g x draw`` over today's sources and the built projects at s in p [unit/h]."""
    er, pb = d.emissions, d.power_build
    existing = getattr(er, rate)
    built = {"co2": pb.co2_t_per_mwh, "nox": pb.nox_kg_per_mwh, "water": pb.water_l_per_mwh}[rate]
    at = d.groups.sources_at.get(s, ())
    terms = [existing[g] * m.power[g, p] for g in at if existing[g] and (g, p) in m.power]
    terms += [built[g] * m.power_draw[s, g, p] for g in pb.draws_at.get((s, p), ()) if built[g]]
    return sum(terms)


def co2_kt(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """``CO2[s,p]`` [kt] (module docstring)."""
    return THOUSAND_HOURS_PER_YEAR * d.dt * _draws(m, d, s, p, "co2")


def nox_t(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """``NOx[s,p]`` [t] (module docstring)."""
    return THOUSAND_HOURS_PER_YEAR * d.dt * _draws(m, d, s, p, "nox")


def water_ml(m: pyo.ConcreteModel, d: PlanData, s: str, p: int) -> Linear:
    """``water[s,p]`` [1000 m3] (module docstring)."""
    cooling = 1000.0 * d.emissions.wue.get(s, 0.0) * total_it_load(m, d, s, p)
    return THOUSAND_HOURS_PER_YEAR * d.dt * (_draws(m, d, s, p, "water") + cooling) / 1000.0


def _ground(d: PlanData) -> list[str]:
    return [s for s in d.sites if s not in d.orbital_sites]


def define_emission_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """The CO2 cap per period ``sum_s CO2[s,p] <= cap x dt`` (module docstring); none if unset."""
    cap = d.emissions.co2_cap_kt_per_year
    if cap is None:
        return
    m.co2_cap = pyo.Constraint(
        range(d.n_periods),
        rule=sparse_rule(
            "co2_cap",
            lambda m, p: (
                sum(co2_kt(m, d, s, p) for s in _ground(d))
                <= cap * d.dt + slack(m, d, "co2_cap", "*", p)
            ),
        ),
    )


def carbon_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """``carbon[p] = price x sum_s CO2[s,p] / 1000`` [$M] when a carbon price is set."""
    out, price = CashTerms(d.n_periods), d.emissions.carbon_usd_per_t
    if price > 0:
        for s in _ground(d):
            for p in range(d.n_periods):
                out.add("carbon", p, price / 1000.0 * co2_kt(m, d, s, p), site=s)
    return out
