"""Cash flows per period and the NPV objective.

Per period p (all $M, real):

- ``revenue[p]   = sum_{s, j external} v[s,j,p] alloc[s,j,p] + sum_c m[c,p] IT[s_c,p]``
- ``internal[p]  = sum_{s, j internal} v[s,j,p] alloc[s,j,p]`` (opportunity value of own work)
- ``capex[p]     = sum_s capex_s build[s,p] + sum_k price[k,p] buy[k,p]`` (+ fab, launch)
- ``opex[p]      = sum_s opex_s dt cap[s,p]`` (+ fab fixed opex)
- ``energy[p]    = sum_g e_g dt power[g,p]``, ``e_g = 8760 h x $/MWh / 1e6``
- ``penalty[p]   = sum_j pen_j dt unmet[j,p]``
- ``salvage      = sum remaining_share x cost`` of every asset bought in the horizon, at T.

``v[s,j,p]`` is the tenant's value or price per H100e-hour (a contract's price while it runs) x
8.76 x dt. ``NPV = sum_p df_p (revenue + internal - capex - opex - energy - penalty)
+ df_T salvage``; the model maximises it.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData
from twin.plan.facility import capacity_expr
from twin.plan.power import existing_it_mw, idle_term, it_load_expr
from twin.spec.schema import Contract

INFLOWS = ("revenue", "internal_value")
OUTFLOWS = ("capex", "launch", "opex", "energy", "penalty")
FLOWS = INFLOWS + OUTFLOWS


def new_flows(d: PlanData) -> dict[str, dict[int, list]]:
    """Empty per-period term lists for every cash flow (families append to them)."""
    return {f: {p: [] for p in range(d.n_periods)} for f in FLOWS}


def add_base_flows(m: pyo.ConcreteModel, d: PlanData, contracts: dict[str, Contract]) -> None:
    """Terms of the terrestrial families (sites, chips, power, tenants, contracts)."""
    fl = m.flow_terms
    for (s, j, p), x in m.alloc.items():
        fl["internal_value" if j in d.internal else "revenue"][p].append(
            d.alloc_value_musd_per_k[s, j, p] * x
        )
    for (name, p), coef in d.mw_month_revenue.items():
        s = contracts[name].site
        it = existing_it_mw(d, s, p) - idle_term(m, s, p) + it_load_expr(m, d, s, p)
        fl["revenue"][p].append(coef * it)
    for (s, p), x in m.build.items():
        fl["capex"][p].append(d.capex_mw[s] * x)
    for (k, p), x in m.buy.items():
        fl["capex"][p].append(d.chip_price_musd_per_k[k, p] * x)
    for s in d.sites:
        if d.opex_mw_year[s] > 0:
            for p in range(d.n_periods):
                fl["opex"][p].append(d.opex_mw_year[s] * d.dt * capacity_expr(m, d, s, p))
    for (g, p), x in m.power.items():
        if d.energy_musd_per_mw_year[g] > 0:
            fl["energy"][p].append(d.energy_musd_per_mw_year[g] * d.dt * x)
    for (j, p), x in m.unmet.items():
        fl["penalty"][p].append(d.penalty_musd_per_k_year[j] * d.dt * x)
    for (s, p), x in m.build.items():
        share = d.remaining_share(d.online_period(s, p), d.site_life_years[s])
        if share > 0:
            m.salvage_terms.append(share * d.capex_mw[s] * x)
    for (k, p), x in m.buy.items():  # chips are salvaged at what they cost us
        share = d.remaining_share(p, d.chip_life_years[k])
        if share > 0:
            m.salvage_terms.append(share * d.chip_price_musd_per_k[k, p] * x)


def define_objective(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``m.cash[flow, p]`` expressions, ``m.salvage_value``, and ``max NPV`` (module docstring)."""
    idx = [(f, p) for f in FLOWS for p in range(d.n_periods)]
    m.cash = pyo.Expression(idx, rule=lambda m, f, p: sum(m.flow_terms[f][p]))
    m.salvage_value = pyo.Expression(expr=sum(m.salvage_terms))
    npv = (
        sum(
            d.df[p] * (sum(m.cash[f, p] for f in INFLOWS) - sum(m.cash[f, p] for f in OUTFLOWS))
            for p in range(d.n_periods)
        )
        + d.df_end * m.salvage_value
    )
    if hasattr(m, "slack"):  # elastic (phase-one) model: minimise the total slack only
        m.npv = pyo.Objective(expr=sum(m.slack[i] for i in m.slack_rows), sense=pyo.minimize)
    else:
        m.npv = pyo.Objective(expr=npv, sense=pyo.maximize)
