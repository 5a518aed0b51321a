"""Contract terms and the value of serving each tenant from each site, per period.

A contract covers a share ``c[p]`` of period p (its term, renewals and notice, see
:func:`twin.state.contract_end`). While it runs, compute served to its tenant is worth the
contract's price (per H100e-hour, repriced along its path), blended with the tenant's market value
over the uncovered share: ``v = c x price + (1 - c) x market``; a MW-month contract earns through
its IT load instead, so compute is worth ``(1 - c) x market``. Without external leasing
(``policy.allow_external: false``) an external tenant is served only under a signed contract.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypedDict

from twin.plan import economics as econ
from twin.plan.value_paths import tenant_value
from twin.spec.schema import Model
from twin.state import contract_end


@dataclass(frozen=True)
class ContractTerms:
    """What the contracts family needs of one contract: its form, parties and firm quantity."""

    form: str
    tenant: str
    site: str | None
    quantity_k_h100e: float | None
    price_usd_per_h100e_hour: float | None
    price_change_per_year: float
    start: dt.date


def overlap_share(a0: dt.date, a1: dt.date, b0: dt.date, b1: dt.date) -> float:
    """Share of ``[a0, a1)`` covered by ``[b0, b1)`` [-]."""
    lo, hi = max(a0, b0), min(a1, b1)
    return max(0.0, (hi - lo).days) / (a1 - a0).days


def market_usd_per_h100e_hour(m: Model, j: str, mid_years: float) -> float:
    """Tenant j's value or market price at mid-period, its own path
    (:func:`twin.plan.value_paths.tenant_value`); 0 for an external tenant without external
    leasing [$/H100e-hour]."""
    tn = m.tenants[j]
    v = tenant_value(m, j, mid_years)
    return v if (m.policy.allow_external or tn.kind == "internal") else 0.0


def contract_cover(
    m: Model, sites: list[str], tenants: list[str], bounds: list[dt.date]
) -> dict[tuple[str, int], float]:
    """Share of each period that each contract's terms cover, where positive [-]."""
    cover: dict[tuple[str, int], float] = {}
    for name, c in m.contracts.items():
        if c.decided or c.tenant not in tenants or (c.site is not None and c.site not in sites):
            continue  # a decided lease's cover is the plan's: twin.plan.leases
        end = contract_end(m, name, bounds[-1])
        for p in range(len(bounds) - 1):
            share = overlap_share(bounds[p], bounds[p + 1], c.start, end)
            if share > 0:
                cover[name, p] = share
    return cover


def contract_terms(m: Model, cover: dict[tuple[str, int], float]) -> dict[str, ContractTerms]:
    """Terms of the contracts that run in the horizon."""
    names = sorted({c for (c, _) in cover})
    return {
        c: ContractTerms(
            form=m.contracts[c].form,
            tenant=m.contracts[c].tenant,
            site=m.contracts[c].site,
            quantity_k_h100e=m.contracts[c].quantity_k_h100e,
            price_usd_per_h100e_hour=m.contracts[c].price_usd_per_h100e_hour,
            price_change_per_year=m.contracts[c].price_change_per_year,
            start=m.contracts[c].start,
        )
        for c in names
    }


def contract_price_usd_per_h100e_hour(c: ContractTerms, start: dt.date, dt_years: float) -> float:
    """A per-H100e-hour contract's price at mid-period, along its price path [$/H100e-hour]."""
    assert c.price_usd_per_h100e_hour is not None
    return c.price_usd_per_h100e_hour * econ.price_factor(
        c.price_change_per_year, c.start, start, dt_years
    )


class TenantValues(TypedDict):
    """What :func:`tenant_values` gives :class:`twin.plan.data.PlanData` [$M per kH100e]."""

    alloc_value_musd_per_k: dict[tuple[str, str, int], float]  # v[s,j,p]
    contract_value_musd_per_k: dict[tuple[str, str, str, int], float]  # w[c,s,j,p]


def tenant_values(
    m: Model,
    pairs: list[tuple[str, str]] | set[tuple[str, str]],
    first: dict[str, int],
    cover: dict[tuple[str, int], float],
    starts: list[dt.date],
    mid: list[float],
    dt_years: float,
) -> TenantValues:
    """Value of 1 kH100e served to tenant j from site s in period p [$M], for the eligible
    pairs from the first period the site can hold capacity (module docstring), and the part of
    it each per-H100e-hour contract c pays: contracts blend in name order,
    ``v <- c_p price + (1 - c_p) v``, so contract c's part is ``c_p price`` times ``(1 - c'_p)``
    of every contract c' blended after it. A tenant of a lease the plan decides, or of an
    offer, may be served under it (at its market value, 0 without external leasing; the
    lease's price is :mod:`twin.plan.leases`'s)."""
    terms = contract_terms(m, cover)
    decided = [c for c in m.contracts.values() if c.decided]
    leased = {(x.tenant, x.site) for x in [*decided, *m.offers.values()]}
    value, parts = {}, {}
    for s, j in pairs:
        tn = m.tenants[j]
        for p in range(first.get(s, len(starts)), len(starts)):
            v = market_usd_per_h100e_hour(m, j, mid[p])
            paid: dict[str, float] = {}  # contract -> its part of v [$/H100e-hour]
            contracted = False
            for name, c in terms.items():
                share = cover.get((name, p), 0.0)
                if share == 0 or c.tenant != j or (c.site is not None and c.site != s):
                    continue
                contracted = True
                paid = {k: (1 - share) * x for k, x in paid.items()}
                if c.price_usd_per_h100e_hour is not None:
                    price = contract_price_usd_per_h100e_hour(c, starts[p], dt_years)
                    v = share * price + (1 - share) * v
                    paid[name] = share * price
                else:
                    v = (1 - share) * v
            contracted |= (j, s) in leased or (j, None) in leased
            if not m.policy.allow_external and tn.kind == "external" and not contracted:
                continue  # no external leasing: only contracts already signed are served
            value[s, j, p] = econ.compute_value_musd(v, dt_years)
            for name, x in paid.items():
                parts[name, s, j, p] = econ.compute_value_musd(x, dt_years)
    return {"alloc_value_musd_per_k": value, "contract_value_musd_per_k": parts}
