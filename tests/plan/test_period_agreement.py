"""Yearly and quarterly periods agree (issue 17), on ``neocloud`` over a 6-year horizon (plus its
5 buffer years), the reduced horizon where a quarterly solve stays short;
benchmarks/period_agreement.py runs the full horizon and the base model. In the energy-only
period form (``solve`` sets ``representative_days: none``): the quarterly plan in hours takes
minutes (benchmarks/results/period_agreement_hourly_4.md has 4 years in hours).

Purchases serve from the start of their period and are paid then (twin.plan.objective): before,
they were paid at mid-period, half a year of discounting and chip-price decline gained on
everything bought in a yearly plan against an eighth in a quarterly one, and the NPVs stood
3.4% apart on this case (553,357 against 535,337 $M); 0.6% after (525,299 against 528,509); and
0.80% (519,179 against 523,344) now that events, chip market dates and allocations, rates and
site builds count for the part of their period in which they exist (twin/plan/site_timing.py).
Issue 17's criterion on the MW built per technology (10% of the larger or 100 MW) is still not
met: gas 2,864 / 3,464 MW, solar 4,000 / 1,000, batteries 914 / 1,335 (grid and wind agree).
Traced (benchmarks/results/period_agreement.md, "Why they differ"): a hall counts from its first
whole period online, so Abilene and Atlanta's halls, online 2029-01, count from 2029-01 in quarters
and from the 2029-07 year in years, and texas_3 and ohio_2 (42-month leads) are not opened in
years; the yearly plan stands in with tranche-1 IT beyond its 300 MW gas permit, powered by three
more 1,000 MW solar PPAs. With Abilene and Atlanta's ``earliest`` at a period start the solar PPA
agrees (1,362 / 1,405 MW) and the NPVs are 0.07% apart; gas (600 MW: two 300 MW permits at the
42-month tranches) and batteries still differ. The energy form has no seasons (a flat capacity
factor), so this is the period form's resolution of hall dates, not a rule to fix per period
length; the test marks it as expected to fail.

Traced further (2026-12-04, period_agreement.md, "Two-part periods"): a power project online
mid-period counts pro rata for energy while the load is flat over the period, so the yearly plan
runs its 2028-07 year on a solar PPA online from 2029-01 (with the PPA's lead moved to a period
start both forms build it alike, 4,000 / 3,917 MW). The fix built for it,
benchmarks/experiments/two_part_periods.patch, brings gas into agreement and the NPVs within
0.18% here, but leaves solar, wind and the grid apart and breaks issue 18's 12- against 17-year
agreement, so it is not on main.
"""

from __future__ import annotations

import pytest

from benchmarks.period_agreement import built_mw, disagreements, solve

YEARS = 6
#: NPV of the two forms within 1% of the larger (3.4% apart before purchases were paid at start)
NPV_REL = 0.01

pytestmark = pytest.mark.slow  # a quarterly solve of 44 periods: ~40 s alone, minutes on a busy CI


@pytest.fixture(scope="module")
def plans() -> dict:
    return {period: solve("neocloud", period, YEARS)[0] for period in ("year", "quarter")}


def test_yearly_and_quarterly_npv_agree_within_one_percent(plans: dict) -> None:
    a, b = plans["year"].result.objective, plans["quarter"].result.objective
    assert abs(a - b) <= NPV_REL * max(a, b), (a, b)


@pytest.mark.xfail(
    strict=True,
    reason="issue 17, open (energy-only form; in hours they differ too, 4 years and the full "
    "horizon: benchmarks/results/period_agreement_hourly[_4].md, by about the optimum's own "
    "flatness: within 1e-4 of NPV the MW per technology span hundreds of MW, "
    "benchmarks/closest_plan.py): gas, solar, batteries, grid differ by > 10%: a year counts "
    "a power project online mid-year pro rata under a flat load and a hall from the next "
    "year; the fix tried (benchmarks/experiments/two_part_periods.patch) leaves solar, wind, "
    "grid apart here and breaks issue 18's 12/17-year agreement (new power and compute 8-12% "
    "apart); in hours it meets the criterion on 6-year neocloud but leaves grid and batteries "
    "apart over the full horizon, where its rows split every chip launch year; with launches "
    "counted at their share too (benchmarks/experiments/launch_at_share.patch) one technology "
    "per scenario stays 15-37 MW outside over the full horizon in hours, 6-year neocloud's grid "
    "moves out and issue 18's base check fails; a least-squares tie-break over MW per "
    "technology and power orders spread through each period (experiments/spread_orders.patch) "
    "bring the full-horizon NPVs within 0.03-0.08% but leave 6-year neocloud's grid apart, and "
    "as the plan's tie-break (experiments/least_squares_first.patch) fail issue 18's check in "
    "the energy form; main's rule with the orders spread misses here on three technologies: "
    "benchmarks/results/period_agreement.md",
)
def test_yearly_and_quarterly_build_the_same_mw_per_technology(plans: dict) -> None:
    gaps = disagreements(built_mw(plans["year"]), built_mw(plans["quarter"]))
    assert not gaps, gaps
