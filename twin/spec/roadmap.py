"""The chip roadmap past the last announced generation, extrapolated from published trends.

Generation ``i = 1, 2, ...`` after the last announced chip ``a`` comes ``i x step_years`` after
it. Its power per chip is held at ``a``'s (packages are at their cooling limit: an assumption),
so compute per chip grows with performance per watt, and its price per H100e falls with
performance per dollar:

    h100e_i = h100e_a x (1 + g_W) ** (i x step)
    price_i = price_a x (h100e_i / h100e_a) x 2 ** (-(i x step) / D_usd)

with ``g_W`` the yearly growth of performance per watt and ``D_usd`` the doubling time of
performance per dollar. Defaults: Epoch AI, "Machine Learning Hardware" (Oct 2024, updated
Jan 2025): leading ML hardware becomes ~50% more energy efficient a year; Epoch AI, "Trends in GPU
price-performance": FLOP/s per dollar doubles every ~2.5 years (2.1 for ML GPUs, 2.95 for top GPUs).
Every generated chip is marked ``extrapolated`` and its source says so.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from twin.spec.base import Frozen


class Roadmap(Frozen):
    """How chip generations continue past the last announced one (see the module docstring)."""

    after: str | None = Field(
        None, description="Last announced generation to extrapolate from; empty: none [-]"
    )
    step_years: float = Field(2.0, gt=0, le=10, description="Years between generations [years]")
    perf_per_watt_growth_per_year: float = Field(
        0.5, ge=0, le=2, description="Yearly growth of compute per watt [1/year]"
    )
    perf_per_usd_doubling_years: float = Field(
        2.5, gt=0, le=20, description="Doubling time of compute per dollar [years]"
    )
    vendor_alloc_growth: float = Field(
        1.0, gt=0, le=10, description="Vendor allocation of a generation over the previous [-]"
    )
    until: dt.date | None = Field(
        None, description="Last date a new generation may launch; empty: the horizon end [date]"
    )
    source: str = Field(
        "Epoch AI, Machine Learning Hardware (Oct 2024, upd. Jan 2025): ~50%/yr energy "
        "efficiency; Epoch AI, Trends in GPU price-performance: 2.5-year doubling of FLOP/s per $",
        min_length=3,
        description="Publisher and date of the trend, or 'assumption: <why>' [text]",
    )
