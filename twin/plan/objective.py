"""Cash flows per period and the NPV objective.

Per period p (all $M, real):

- ``revenue[p]   = sum_{s, j external} (v[s,j,p] - sum_c w[c,s,j,p]) alloc[s,j,p]
  + sum_c contract_revenue[c,p]`` (:mod:`twin.plan.contracts`: ``w`` a contract's part of ``v``)
- ``internal[p]  = sum_{s, j internal} v[s,j,p] alloc[s,j,p]`` (opportunity value of own work)
- ``resale[p]    = sum R[k,v,p] (Z[s,k,v,p] - Z[s,k,v,p-1])``: chips sold early, ``Z`` the stock
  retired (:mod:`twin.plan.retire`)
- ``capex[p]     = sum_s capex_s build[s,p] + sum_k price[k,p] buy[k,p]`` (+ fab)
- ``launch[p]    = sum_s price_launch[p] mu_s build[s,p]`` for orbital sites
- ``opex[p]      = sum_s opex_s dt cap[s,p]`` (+ fab fixed opex)
- ``energy[p]    = sum_g e_g[p] dt power[g,p]``, ``e_g[p] = 8760 h x $/MWh / 1e6`` (gas at the
  one price path x heat rate)
- ``penalty[p]   = sum_j pen_j dt unmet[j,p]``
- ``carbon[p]    = carbon price x CO2[p]`` (:mod:`twin.plan.emissions`); power projects add
  their capex, fixed O&M, energy and salvage (:mod:`twin.plan.power_build`)
- ``salvage      = sum remaining_share x cost`` of every asset bought in the horizon, at T.

Purchases (``capex``, ``launch``) serve from the start of their period, so they are paid then:
their flow is in mid-period money, ``carry x`` what is paid, ``carry = (1 + r) ** (dt / 2)``
(:func:`twin.plan.economics.carry`), at prices of the period's start. Paid at mid-period, a
purchase gained half a period of discounting and of price decline over what it served: a year's
plan gained four times a quarter's, and built more (issue 17; README "Periods").

``v[s,j,p]`` is the tenant's value or price per H100e-hour (a contract's price while it runs) x
8.76 x dt. ``NPV = sum_p df_p (revenue + internal - capex - launch - opex - energy - penalty)
+ df_T salvage``; the model maximises it. An elastic model minimises the total slack instead.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan import economics as econ
from twin.plan.cash import FLOWS, INFLOWS, OUTFLOWS, CashTerms
from twin.plan.contracts import contract_cash, uncontracted_value
from twin.plan.data import PlanData
from twin.plan.demand_curve import curve_cash
from twin.plan.emissions import carbon_cash
from twin.plan.end_effects import define_wall
from twin.plan.expressions import capacity
from twin.plan.fab import fab_cash
from twin.plan.halls import halls_cash
from twin.plan.leases import lease_cash
from twin.plan.linear import term_sum
from twin.plan.orbit import orbit_cash
from twin.plan.power_build import power_build_cash
from twin.plan.retire import new_cost_musd_per_k, retire_cash
from twin.plan.traffic import traffic_cash

__all__ = ["FLOWS", "INFLOWS", "OUTFLOWS", "PAID_AT_START", "base_cash", "define_objective"]

#: flows paid when a purchase is made, at the start of its period (module docstring)
PAID_AT_START = ("capex", "launch")


def base_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Terms of the terrestrial families (sites, chips, power, tenants, contracts)."""
    out = CashTerms(d.n_periods)
    value = uncontracted_value(d)
    for s, j, p in d.alloc_idx:
        if value[s, j, p] != 0:
            flow = "internal_value" if j in d.internal else "revenue"
            out.add(flow, p, value[s, j, p] * m.alloc[s, j, p], site=s)
        held = d.alloc_value_musd_per_k[s, j, p] - value[s, j, p]
        if held != 0:  # a contract's part of the value, earned by the compute at s
            out.attribute(s, p, held * m.alloc[s, j, p])
    for s, p in d.build_idx:
        out.add("capex", p, d.capex_mw[s] * m.build[s, p])
    for k, p in d.buy_idx:
        out.add("capex", p, d.chip_price_musd_per_k[k, p] * m.buy[k, p])
    for s in d.sites:
        if d.opex_mw_year[s] > 0:
            for p in range(d.n_periods):
                out.add("opex", p, d.opex_mw_year[s] * d.dt * capacity(m, d, s, p))
    site_of = {g: s for s, gs in d.groups.sources_at.items() for g in gs}
    for g, p in d.power_idx:
        if d.energy_musd_per_mw_year[g, p] > 0:
            cost = d.energy_musd_per_mw_year[g, p] * d.dt * m.power[g, p]
            out.add("energy", p, cost, site=site_of.get(g))
    for (j, p), x in m.unmet.items():
        out.add("penalty", p, d.penalty_musd_per_k_year[j] * d.dt * x)
    return base_salvage(m, d, out)


def base_salvage(m: pyo.ConcreteModel, d: PlanData, out: CashTerms) -> CashTerms:
    """The halls' and the chips' book value at the end in ``out``: in the salvage, and by site
    for ``continued_use`` (:mod:`twin.plan.end_effects`); returns ``out``."""
    for s, p in d.build_idx:
        share = d.remaining_share(d.online_period(s, p), d.site_life_years[s])
        if share > 0:
            out.add_salvage(share * d.capex_mw[s] * m.build[s, p], site=s)
    for k, p in d.buy_idx:  # chips are salvaged at what they cost us
        share = d.remaining_share(p, d.chip_life_years[k])
        if share > 0:
            out.salvage.append(share * d.chip_price_musd_per_k[k, p] * m.buy[k, p])
    for s, k, p in d.install_idx:  # by site: a vintage at the least a new chip costs
        share = d.remaining_share(p, d.chip_life_years[k])
        if share > 0:
            out.attribute_book(s, share * new_cost_musd_per_k(d, k, p) * m.install[s, k, p])
    return out


def define_objective(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``cash[flow, p]`` expressions, ``salvage_value``, and ``max NPV`` (module docstring)."""
    terms = base_cash(m, d).extend(contract_cash(m, d)).extend(fab_cash(m, d))
    terms.extend(orbit_cash(m, d)).extend(lease_cash(m, d))
    terms.extend(power_build_cash(m, d)).extend(carbon_cash(m, d)).extend(curve_cash(m, d))
    terms.extend(halls_cash(m, d)).extend(retire_cash(m, d)).extend(traffic_cash(m, d))
    idx = [(f, p) for f in FLOWS for p in range(d.n_periods)]
    carry = econ.carry(d.discount_rate, d.dt)
    m.cash = pyo.Expression(
        idx,
        rule=lambda m, f, p: (carry if f in PAID_AT_START else 1.0) * term_sum(terms.flows[f][p]),
    )
    define_wall(m, d, terms)
    if d.elastic:  # phase-one model: minimise the total slack only
        m.npv = pyo.Objective(expr=sum(m.slack.values()), sense=pyo.minimize)
        return
    npv = (
        sum(
            d.df[p] * (sum(m.cash[f, p] for f in INFLOWS) - sum(m.cash[f, p] for f in OUTFLOWS))
            for p in range(d.n_periods)
        )
        + d.df_end * m.salvage_value
    )
    m.npv = pyo.Objective(expr=npv, sense=pyo.maximize)
