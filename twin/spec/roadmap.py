"""The chip roadmap past the last announced generation, extrapolated from stated trends.

Generation ``i = 1, 2, ...`` after the last announced chip ``a`` comes ``y_i = i x step_years``
after it. Three paths, each a rate ``--set``, sweeps and the uncertainty section can vary:

    W per H100e   w_i = w_a x (1 + g_W) ** -y_i           (performance per watt)
    $ per H100e   c_i = c_a x 2 ** (-y_i / D_usd)          (performance per dollar)
    kW per chip   P_i = min(P_a x (1 + g_P) ** y_i, kw_max) (power per chip, its own path)

and so ``h100e_i = P_i / w_i``, ``price_i = c_i x h100e_i``. When ``h100e_i`` would pass the
schema's 1,000 H100e per chip the roadmap saturates the *package*, not the trend: the chip holds
1,000 H100e at ``1000 x w_i`` kW (W and $ per H100e stay on their paths), and its source says so.

Defaults and sources: ``g_W = 0.24``, the chip table's own 2023-2030 trend (datasets/chips.csv:
H100 1,275 W per H100e in 2023 to Feynman 278 in 2030, 24.3%/yr; Epoch AI, "Machine Learning
Hardware" (Jan 2025) reports ~50%/yr for leading ML hardware, which the table's announced path
does not reach); ``D_usd = 2.5`` years, Epoch AI, "Trends in GPU price-performance": FLOP/s per
dollar doubles every ~2.5 years (2.1 for ML GPUs, 2.95 for top GPUs); ``g_P = 0``: assumption,
the last generation's package (Feynman 5 kW) is held at the limit of direct liquid cooling (per-GPU
power doubled from H100's 700 W in 2023 to Blackwell Ultra's 1,400 W in 2025, FACTS; a sweep can
set that pace). Every generated chip is marked ``extrapolated`` and its source says so.
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
    step_years: float = Field(
        2.0,
        ge=0.5,
        le=10,
        description="Years between generations, at least half a year (vendors ship yearly) [years]",
    )
    perf_per_watt_growth_per_year: float = Field(
        0.24, ge=0, le=2, description="Yearly growth of compute per watt [1/year]"
    )
    kw_growth_per_year: float = Field(
        0.0, ge=0, le=1, description="Yearly growth of power per chip [1/year]"
    )
    kw_max: float = Field(
        20.0, gt=0, le=20, description="Largest power per generated chip [kW]"
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
        "chip table's own 2023-2030 trend of W per H100e (H100 to Feynman, 24%/yr); Epoch AI, "
        "Trends in GPU price-performance: 2.5-year doubling of FLOP/s per $; power per chip "
        "held (assumption: cooling limit of a package)",
        min_length=3,
        description="Publisher and date of the trend, or 'assumption: <why>' [text]",
    )
