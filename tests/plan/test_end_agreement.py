"""The plan does not lean on its end (issue 18, "Done when"): with the default end effects, the
first 9 years of a 12- and a 17-year plan agree within 5% in every year on IT capacity online,
new power online, compute bought in the year, compute bought to date and compute in service
(benchmarks/end_effects.py measures every end-effect choice, more pairs and the rules tried).

The baseline model states ``solver.tie_break: compute_early`` (twin.plan.tie_break: of the plans
within 1e-4 of the best NPV, the one buying the most compute, discounted). Without it (the
solver's own vertex, measured on 977e5c0) the stocks agree but the compute bought *in a year*
does not: the 12-year ``base`` plan buys 6.74M H100e in 2030 where the 17-year plan buys 6.10M
(10.7%), ``neocloud`` 7.74M against 6.81M in 2033 (13.7%); those years' purchases are partial
(below the vendor allocation) on a near-flat optimum. With the rule every series agrees within
5% on both scenarios (measured: 2.2% on ``base``, 3.3% on ``neocloud``; the NPV gives up 1e-4).
A year the long plan leaves at 0 (below solver noise) is compared against the 9-year mean.
Solved in the energy-only period form, where issue 18 settled it, on every run, and in hours,
the baseline's default since issue 17, with ``pytest --hours`` (CI time: four plans each)."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from tests.conftest import PERIOD_FORM
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


def solved(years: int, scenario: str | None, *over: tuple[str, object]) -> dict[str, np.ndarray]:
    changes = [("horizon.years", years), *over]
    return series(to_dataset(plan(load_model("models/baseline.yaml", scenario, changes))))


EVERY = ("it_mw", "new_power_mw", "h100e_bought", "h100e_bought_to_date", "h100e_in_service")


def test_the_baseline_states_the_tie_break() -> None:
    assert load_model("models/baseline.yaml").model.solver.tie_break == "compute_early"


@pytest.mark.parametrize("form", ["period", "hours"])
@pytest.mark.parametrize("scenario", ["neocloud", None], ids=["neocloud", "base"])
def test_twelve_and_seventeen_years_agree_on_the_first_nine(
    scenario: str | None, form: str, request: pytest.FixtureRequest
) -> None:
    """In the period form on every run; in hours (the baseline's default: four ~40 s plans,
    measured 2026-12-05: every series within 0.6% on neocloud, 3.6% on base) with --hours."""
    if form == "hours" and not request.config.getoption("--hours"):
        pytest.skip(
            "in hours (the baseline's default) this is four ~40 s plans, ~3 minutes, too long for "
            "every CI run beside the period form's check of the same criterion: run with "
            "`pytest --hours` (2026-12-05: within 0.6% on neocloud, 3.6% on base; tolerance 5%)"
        )
    over = PERIOD_FORM if form == "period" else []
    short, long = solved(12, scenario, *over), solved(17, scenario, *over)
    for key in EVERY:
        a, b = short[key], long[key]
        # a year the long plan leaves at 0 (below HiGHS's ~1e-7 kchips): against the mean
        base = np.where(b > NOISE * b.max(), b, b.mean())
        assert np.max(np.abs(a - b) / base) <= TOLERANCE, (key, a.round(0), b.round(0))
