"""A two-stage capacity problem in twin's own terms, whose optimum is the critical fractile.

One site, chips free (1 kW = 1 H100e each), power free, PUE and availability 1, no salvage, over
two yearly periods. A build of x MW started in period 0 (the only period a 12-month build can
start and finish inside the horizon) is online in period 1 and serves min(x, D) thousand H100e
of the one internal tenant's demand D, which becomes known at the start of period 1. So

    NPV(x, D) = -c x + df_1 8.76 v min(x, D),     df_p = (1 + r)^-(p + 1/2),

with c the capex [$M/MW], paid when the build starts (t = 0, undiscounted), and v the value
[$/H100e-hour]. E[NPV] is maximised where P(D > x) = c / (8.76 v df_1) = c (1 + r)^1.5 / (8.76 v):
the critical fractile.
"""

from __future__ import annotations

from typing import Any

from conftest import tiny_model

CAPEX = 1.0
VALUE = 0.5
RATE = 0.05
#: F(x*) = 1 - c (1 + r)^1.5 / (8.76 v) = 0.7543
FRACTILE = 1 - CAPEX * (1 + RATE) ** 1.5 / (8.76 * VALUE)


def npv(x: float, demand: float) -> float:
    """NPV of building x MW when demand turns out to be D (module docstring) [$M]."""
    df1 = (1 + RATE) ** -1.5
    return -CAPEX * x + df1 * 8.76 * VALUE * min(x, demand)  # capex paid at t = 0


def newsvendor(law: dict[str, Any], **section: Any) -> dict[str, Any]:
    """The model as a dict, demand following ``law`` (a distribution or outcome list)."""
    key = "outcomes" if isinstance(law, list) else "distribution"
    return tiny_model(
        horizon={"start": "2030-01-01", "years": 2, "period": "year"},
        economics={"discount_rate": RATE},
        sites={"s1": {"lead_months": 12, "capex_musd_per_mw": CAPEX}},
        tenants={"own": {"value_usd_per_h100e_hour": VALUE}},
        uncertainty={
            "inputs": {
                "demand": {"path": "tenants.own.demand_k_h100e", "known": "2031-01-01", key: law}
            },
            **section,
        },
    )
