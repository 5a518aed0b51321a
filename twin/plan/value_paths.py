"""Tenant value paths: each tenant's own price path, or the price of the compute it displaces.

A tenant's value per H100e-hour ``t`` years after the horizon start (mid-period) is

    v_j(t) = f_j + (v_j0 - f_j) x (1 - delta_j) ** t

with its own starting value ``v_j0``, yearly decline ``delta_j`` and long-run floor ``f_j``
(market prices fall toward the cost of compute, not to zero). A tenant with ``value_ref`` is
valued by the stated method of displaced compute: ``v_j(t) = k_j x v_ref(t)``, the market price of
the compute it would otherwise rent, times a factor ``k_j`` (a premium or discount, with a range
for sweeps).
"""

from __future__ import annotations

from twin.spec.schema import Model


def tenant_value(model: Model, tenant: str, years: float, _depth: int = 0) -> float:
    """``v_j(years)`` in $/H100e-hour (module docstring); raises on a ``value_ref`` cycle."""
    tn = model.tenants[tenant]
    if tn.value_ref is not None:
        if _depth > len(model.tenants):
            raise ValueError(f"tenants.{tenant}.value_ref: a cycle of value references")
        return tn.value_ref_factor * tenant_value(model, tn.value_ref, years, _depth + 1)
    floor = min(tn.value_floor_usd_per_h100e_hour, tn.value_usd_per_h100e_hour)
    return floor + (tn.value_usd_per_h100e_hour - floor) * (1 - tn.value_decline_per_year) ** years
