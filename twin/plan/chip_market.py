"""The chip market of a plan: which generations are on sale in each period, at what price and
allocation (:class:`twin.plan.data.PlanData` fields ``install_idx``, ``buy_idx``,
``chip_price_musd_per_k``, ``vendor_cap_k``, ``on_sale_share``).

A chip is on sale in p if its window ``[available_from, available_until]`` meets p. In the
period its sale starts an install serves the share ``w[k,p] = months(max(start_p, from_k),
end_p) / months(p)`` of p (issue 17: the rule power projects follow; halls count from their
first whole period online instead, :mod:`twin.plan.site_timing`; compute and power,
:mod:`twin.plan.expressions`). A chip bought before its window closes serves its life from its
period's start, so a vintage bought in its first, partial period serves ``n - 1 + w`` periods
(:mod:`twin.plan.data`).
Purchases are paid at the period's start at that date's price.

The vendor's allocation R [kchips/yr] is a flow: by time t it has sold at most ``R (t - from)``,
and chips bought in p serve from p's start, so the plan's stock in p may hold what has accrued
by the middle of p (the mean of the true stock over p): the cap of p is ``R (A_p - A_{p-1})``
with ``A_p`` the years from ``from`` to the middle of p's part inside the window
(:func:`twin.plan.calendar.rate_caps`).
"""

from __future__ import annotations

import datetime as dt
import math

from twin.dates import months_between
from twin.plan import economics as econ
from twin.plan.calendar import Calendar, rate_caps
from twin.spec.schema import Model


def chip_market(
    m: Model, chips: list[str], sites: list[str], cal: Calendar, first: dict[str, int]
) -> tuple[list, list, dict, dict, dict]:
    """Installs, purchases, vendor prices [$M/kchip], allocations [kchips per period] and the
    share of each period a chip is on sale in (from ``available_from``; only where below 1)."""
    n = len(cal.starts)

    def served(k: str, p: int) -> float:
        """Share of p from ``available_from`` if p meets the sale window, else 0."""
        c, start, end = m.chips[k], cal.starts[p], cal.bounds[p + 1]
        if c.available_from >= end or (c.available_until is not None and c.available_until < start):
            return 0.0
        return months_between(max(start, c.available_from), end) / months_between(start, end)

    share = {(k, p): served(k, p) for k in chips for p in range(n)}
    accrued = {
        k: rate_caps(cal, 1.0, c.available_from, _day_after(c.available_until))
        for k, c in m.chips.items()
    }
    install_idx = [
        (s, k, p) for s in sites for k in chips for p in range(n) if p >= first[s] and share[k, p]
    ]
    buy_idx = sorted(
        {(k, p) for (_, k, p) in install_idx}, key=lambda kp: (chips.index(kp[0]), kp[1])
    )
    price, cap = {}, {}
    for k, p in buy_idx:
        c = m.chips[k]
        markup = c.price_usd * c.vendor_markup * m.vendor.markup
        # bought at the period's start, at that date's price (twin.plan.objective)
        factor = econ.price_factor(-c.price_decline_per_year, c.available_from, cal.starts[p], 0.0)
        price[k, p] = markup * factor / 1e3
        cap[k, p] = (
            c.vendor_alloc_k_per_year
            * m.vendor.allocation_scale
            * accrued[k][p]
            if c.vendor_alloc_k_per_year is not None
            else math.inf
        )
    partial = {kp: a for kp, a in share.items() if 0 < a < 1 - 1e-9}
    return install_idx, buy_idx, price, cap, partial


def _day_after(day: dt.date | None) -> dt.date | None:
    """The day after ``day`` (an inclusive last day as an exclusive end), or None."""
    return None if day is None else day + dt.timedelta(days=1)
