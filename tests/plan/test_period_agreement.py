"""Yearly and quarterly periods agree (issue 17), on ``neocloud`` over a 6-year horizon (plus its
5 buffer years), the reduced horizon where a quarterly solve stays short;
benchmarks/period_agreement.py runs the full horizon and the base model.

Purchases serve from the start of their period and are paid then (twin.plan.objective): before,
they were paid at mid-period and the NPVs stood 3.4% apart on this case; 0.80% after events,
chip market dates and site builds counted for the part of their period in which they exist
(twin/plan/site_timing.py). A period in which a hall or a power project opens part-way is now
two parts: chips bought for the hall wait for its opening (twin.plan.hall_openings), and the
load fits the halls, energy and firm capacity at both ends of the period
(twin.plan.period_parts); before, a yearly plan ran the whole 2028-07 year's chips on a solar
PPA online from 2029-01 and counted Abilene and Atlanta's halls (online 2029-01) from 2029-07.
The NPVs are now 0.05% apart (523,049 against 523,292 $M), simple-cycle gas and batteries
agree within issue 17's criterion over the full horizon, but the solar PPA, wind and the grid
do not (6 years: solar 1,597 / 1,181 MW, wind 343 / 76, grid 750 / 563, batteries 1,157 /
1,373): at equal NPV they trade places, so the test marks the MW criterion as expected to fail.
"""

from __future__ import annotations

import pytest

from benchmarks.period_agreement import built_mw, disagreements, solve

YEARS = 6
#: NPV of the two forms within 0.2% of the larger (3.4% apart before purchases were paid at
#: start, 0.80% before a period's openings were its two parts, 0.05% now)
NPV_REL = 0.002

pytestmark = pytest.mark.slow  # a quarterly solve of 44 periods: ~40 s alone, minutes on a busy CI


@pytest.fixture(scope="module")
def plans() -> dict:
    return {period: solve("neocloud", period, YEARS)[0] for period in ("year", "quarter")}


def test_yearly_and_quarterly_npv_agree_within_a_fifth_of_a_percent(plans: dict) -> None:
    a, b = plans["year"].result.objective, plans["quarter"].result.objective
    assert abs(a - b) <= NPV_REL * max(a, b), (a, b)


@pytest.mark.xfail(
    strict=True,
    reason="issue 17: NPVs 0.05% apart, gas agrees; the solar PPA, wind, grid and batteries "
    "trade places at equal NPV (6 years: solar 1,597 / 1,181 MW, wind 343 / 76)",
)
def test_yearly_and_quarterly_build_the_same_mw_per_technology(plans: dict) -> None:
    gaps = disagreements(built_mw(plans["year"]), built_mw(plans["quarter"]))
    assert not gaps, gaps
