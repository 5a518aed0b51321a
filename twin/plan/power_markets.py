"""Market-wide limits on power projects, where supply is the bottleneck (issue 17 item 4):
gas turbine slots a year across all sites, the nuclear restart pipeline (a total across all
buyers), interconnection queue MW per region a year (``power_markets`` rows,
:class:`twin.spec.power.PowerMarket`). With ``B_L[q]`` the builds ``(s, g)`` a limit L covers in
build period q (its technologies at its sites or regions):

    sum_{(s,g) in B_L[q]} power_build[s,g,q] <= cap_L[q]          (market_rate[L,q], MW)
    sum_q sum_{(s,g) in B_L[q]} power_build[s,g,q] <= total_L     (market_total[L], MW)

A rate counts nameplate started (ordered): ``cap_L[q]`` is ``rate_L x dt`` in a full period and
half of it in the first (:func:`twin.plan.calendar.rate_caps`: what is started in q counts from
q's start, so the stock started by q is the mean of what the rate delivers over q).
Index domain: limits with a rate and a covered build in q; limits with a total and any build.
"""

from __future__ import annotations

import pyomo.environ as pyo

from twin.plan.data import PlanData


def define_power_market_constraints(m: pyo.ConcreteModel, d: PlanData) -> None:
    """``market_rate[L,q]`` and ``market_total[L]`` (module docstring)."""
    pb = d.power_build
    rate_idx = [k for k in pb.market_builds if k in pb.market_cap_mw]
    m.market_rate = pyo.Constraint(
        rate_idx,
        rule=lambda m, L, q: (
            sum(m.power_build[s, g, q] for s, g in pb.market_builds[L, q])
            <= pb.market_cap_mw[L, q]
        ),
    )
    total_idx = sorted({L for (L, _) in pb.market_builds if L in pb.market_total_mw})
    m.market_total = pyo.Constraint(
        total_idx,
        rule=lambda m, L: (
            sum(
                m.power_build[s, g, q]
                for (L2, q), sg in pb.market_builds.items()
                if L2 == L
                for s, g in sg
            )
            <= pb.market_total_mw[L]
        ),
    )
