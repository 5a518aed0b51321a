"""The plan does not lean on its end (issue 18, "Done when"): with the default end effects, the
first 9 years of a 12- and a 17-year plan agree within 5% in every year on IT capacity online,
new power online, compute bought to date and compute in service (benchmarks/end_effects.py
measures every end-effect choice, more pairs and the rules tried).

The compute bought *in a year* does not agree on either scenario (issue 18 stays open on it). On
``base`` it agreed within 0.6% until dated things were counted for the part of their period in
which they exist (issue 17); since then the 12-year plan buys 6.74M H100e in 2030 where the
17-year plan buys 6.10M (10.7%), and 10.08M against 9.10M in 2033. On ``neocloud`` the
12-year plan buys 10,160 feynman chips (182,887 H100e) in 2030 that the 17-year plan buys in
2031, a year it otherwise leaves empty (100% of that year, 0.9% of what was bought to date).
It is not a tie: each plan loses 27 and 14 $M taking the other's purchases. A 10-year buffer
with the roadmap held at one date for both plans (``roadmap.until``) brings every year within
4.9% on both scenarios (benchmarks/results/end_effects.md); it is not the default yet. A year
the long plan leaves at 0 (below solver noise) is compared against the 9-year mean.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from twin.plan import plan
from twin.report import to_dataset
from twin.spec import load_model

FIRST = 9
TOLERANCE = 0.05
#: a value below this share of the series' largest is zero
NOISE = 1e-6


def series(ds: xr.Dataset) -> dict[str, np.ndarray]:
    """IT capacity [MW], new power online [MW], compute bought in the year, to date and in
    service [H100e], first 9 years."""
    return {
        "it_mw": ds["capacity_mw"].sum("site").values[:FIRST],
        "new_power_mw": ds["power_online_mw"].sum(["site", "project"]).values[:FIRST],
        "h100e_bought": (ds["chips_bought"] * ds["chip_h100e"]).sum("chip").values[:FIRST],
        "h100e_bought_to_date": (ds["chips_bought"] * ds["chip_h100e"])
        .sum("chip")
        .cumsum("period")
        .values[:FIRST],
        "h100e_in_service": (ds["chips_active"] * ds["chip_h100e"])
        .sum(["site", "chip"])
        .values[:FIRST],
    }


def solved(years: int, scenario: str | None) -> dict[str, np.ndarray]:
    over = [("horizon.years", years)]
    return series(to_dataset(plan(load_model("models/baseline.yaml", scenario, over))))


STOCKS = ("it_mw", "new_power_mw", "h100e_bought_to_date", "h100e_in_service")


@pytest.mark.parametrize(
    ("scenario", "keys"), [("neocloud", STOCKS), (None, STOCKS)]
)
def test_twelve_and_seventeen_years_agree_on_the_first_nine(
    scenario: str | None, keys: tuple[str, ...]
) -> None:
    short, long = solved(12, scenario), solved(17, scenario)
    for key in keys:
        a, b = short[key], long[key]
        # a year the long plan leaves at 0 (below HiGHS's ~1e-7 kchips): against the mean
        base = np.where(b > NOISE * b.max(), b, b.mean())
        assert np.max(np.abs(a - b) / base) <= TOLERANCE, (key, a.round(0), b.round(0))
