"""The coefficients of demand curves (:mod:`twin.plan.demand_curve`), read from the spec."""

from __future__ import annotations

from typing import TypedDict

from twin.plan import economics as econ
from twin.plan.values import market_usd_per_h100e_hour
from twin.spec.schema import Model


class CurveTerms(TypedDict):
    """Demand-curve blocks per tenant and the tenant's value of 1 kH100e per period [$M]."""

    curve: dict[str, list[tuple[float, float]]]
    curve_value_musd: dict[tuple[str, int], float]


def curve_terms(m: Model, tenants: list[str], mid: list[float], dt_years: float) -> CurveTerms:
    """Blocks ``(a_b, f_b)`` of each tenant with a curve, and its value ``8.76 dt v[j,p]`` of
    1 kH100e in each period [$M], under PlanData's names."""
    curve: dict[str, list[tuple[float, float]]] = {}
    value: dict[tuple[str, int], float] = {}
    for j in tenants:
        tn = m.tenants[j]
        if tn.demand_blocks is None or tn.demand_block_values is None:
            continue
        curve[j] = list(zip(tn.demand_blocks, tn.demand_block_values, strict=True))
        for p, t in enumerate(mid):
            v = market_usd_per_h100e_hour(m, j, t)
            value[j, p] = econ.compute_value_musd(v, dt_years)
    return {"curve": curve, "curve_value_musd": value}
