"""Leases as decisions: renew or give notice at each notice date; take or decline offers.

Dates, covers and prices come from :mod:`twin.plan.lease_terms` through ``PlanData.leases``.
Index domains: ``keep[l,q]`` for each decided lease l and its notice dates q; ``take[o,p]`` for
each offer o and period p at which it may start.

- Order: ``sign_l >= keep[l,0] >= keep[l,1] >= ...`` (once notice is given the lease ends
  ``notice_months`` later and cannot restart); ``sum_p take[o,p] <= 1`` (an offer is taken once).
- Obligation, per tenant j, site s (or any site) and period t:
  ``served[j,s,t] >= sum_l cover[l,t] * A[l,t]`` with ``A`` the quantity Q [kH100e] or, for a whole
  site, the compute of the site's as-built fleet ``a_s * H_existing[s,t]`` (installed or committed
  at the plan's start, as it ages out). Chips the plan adds at a site are its own to allocate: a
  decided lease covering them would make the model bilinear (a fixed lease covers them).
- Revenue in t: ``sum_l cover[l,t] * ((price[l,t] - v[j,t]) * 8.76 dt A[l,t]
  + 12 dt m[l,t] / 1e6 * IT_existing[s,t])``: the covered compute earns the contract price
  instead of the tenant's market value ``v`` it earns through ``alloc`` (0 where external
  leasing is not allowed); a lease priced per MW-month ``m`` earns it on the fleet's IT MW.

**MILP and LP forms.** With ``solver.integer_leases`` (default: as ``solver.integer_modules``)
``keep`` and ``take`` are binaries: each notice date renews or gives notice, each offer is taken
at one period or declined. Otherwise they lie in [0, 1], the LP relaxation, whose meaning is a
fraction of the lease: ``keep[l,q]`` is the share of the site's fleet (or of the quantity) kept
under lease past notice date q, ``take[o,p]`` the share of the offer taken at p. A fraction is a
real contract only where the tenant would lease part of a site; where the relaxation comes out
fractional, the MILP form gives the yes/no answer.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo

from twin.plan import economics as econ
from twin.plan import elastic
from twin.plan.cash import CashTerms
from twin.plan.data import PlanData
from twin.plan.lease_terms import Lease
from twin.plan.rows import sparse_rule


def define_lease_variables(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``keep[l,q]`` and ``take[o,p]``: binaries in the MILP form, in [0, 1] in the LP form."""
    dom = pyo.Binary if d.leases.integer else pyo.UnitInterval
    keep_idx = [(x.name, q) for x in d.leases.leases for q in range(len(x.notice_dates))]
    m.lease_keep = pyo.Var(pyo.Set(initialize=keep_idx, dimen=2), within=dom)
    m.offer_take = pyo.Var(pyo.Set(initialize=list(d.leases.take_idx), dimen=2), within=dom)


def lease_sign(m: pyo.ConcreteModel, x: Lease) -> Any:
    """1 for a signed contract, ``take[o,p]`` for an offer started at p."""
    return 1.0 if x.offer is None else m.offer_take[x.offer, x.take_period]


def lease_cover_expr(m: pyo.ConcreteModel, x: Lease, t: int) -> Any:
    """Share of period t under lease ``x`` (see :mod:`twin.plan.lease_terms`) [-]."""
    terms = [c * m.lease_keep[x.name, q] for (q, tt), c in x.step_cover.items() if tt == t]
    return x.base_cover.get(t, 0.0) * lease_sign(m, x) + sum(terms)


def lease_amount(d: PlanData, x: Lease, t: int) -> float:
    """Compute the lease takes while it runs in t: Q, or the site's as-built fleet [kH100e]."""
    if x.form == "quantity":
        return float(x.quantity_k_h100e or 0.0)
    assert x.site is not None  # the spec requires a whole_site contract's site
    return d.availability[x.site] * d.existing_k_h100e[x.site, t]


def define_lease_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """Order of notice, offers taken once, and the obligation rows (module docstring)."""
    order = {}
    for x in d.leases.leases:
        prev = lease_sign(m, x)
        for q in range(len(x.notice_dates)):
            order[x.name, q] = (prev, m.lease_keep[x.name, q])
            prev = m.lease_keep[x.name, q]
    m.lease_order = pyo.Constraint(
        list(order), rule=lambda m, n, q: order[n, q][1] - order[n, q][0] <= 0
    )
    offers = sorted({o for o, _ in d.leases.take_idx})
    m.offer_once = pyo.Constraint(
        offers, rule=lambda m, o: sum(x for (b, _), x in m.offer_take.items() if b == o) <= 1
    )
    owed: dict[tuple[str, str, int], list] = {}
    for x in d.leases.leases:
        for t in x.periods:
            a = lease_amount(d, x, t)
            if a > 0:
                owed.setdefault((x.tenant, x.site or "*", t), []).append(
                    a * lease_cover_expr(m, x, t)
                )

    def rule(m: pyo.ConcreteModel, j: str, s: str, t: int) -> Any:
        served = sum(
            m.alloc[site, j, t] for site in d.groups.allocs_to.get((j, t), ()) if s in ("*", site)
        )
        return served + elastic.slack(m, d, "leases", j, s, t) - sum(owed[j, s, t]) >= 0

    m.lease_served = pyo.Constraint(list(owed), rule=sparse_rule("leases", rule))


def lease_revenue_musd(d: PlanData, x: Lease, t: int) -> float:
    """Revenue of lease ``x`` in period t per unit of cover, beyond the tenant's market value
    [$M]: ``(price - v) x 8.76 dt A + 12 dt m / 1e6 x IT_existing`` (module docstring)."""
    margin = x.price_usd_per_h100e_hour[t] - d.leases.market_usd_per_h100e_hour[x.tenant, t]
    coef = econ.compute_value_musd(margin, d.dt) * lease_amount(d, x, t)
    if x.site is not None and x.price_usd_per_mw_month[t] > 0:
        mw = d.existing_it_mw[x.site, t]
        coef += econ.mw_month_revenue_musd(x.price_usd_per_mw_month[t], d.dt, 1.0) * mw
    return coef


def lease_cash(m: pyo.ConcreteModel, d: PlanData) -> CashTerms:
    """Revenue of decided leases beyond the tenant's market value (module docstring)."""
    out = CashTerms(d.n_periods)
    for x in d.leases.leases:
        for t in x.periods:
            coef = lease_revenue_musd(d, x, t)
            if coef != 0:
                out.add("revenue", t, coef * lease_cover_expr(m, x, t))
    return out


def lease_decision_vars(m: pyo.ConcreteModel, d: PlanData) -> list[tuple[pyo.Var, int]]:
    """Every lease decision with the period it is taken in: ``(keep[l,q], period of n_q)`` and
    ``(take[o,p], p)``, so a stochastic program can make them non-anticipative by stage."""
    out = [
        (m.lease_keep[x.name, q], p)
        for x in d.leases.leases
        for q, p in enumerate(x.notice_periods)
    ]
    return out + [(m.offer_take[o, p], p) for o, p in d.leases.take_idx]
