"""A hall that opens part-way through a period (twin.plan.hall_openings, twin.plan.period_parts).

The tiny model (tests/conftest.py: 1 kW and 1 H100e per chip, demand 10 kH100e worth $1 per
H100e-hour = 8.76 $M per kH100e-year) with halls at $5M/MW and an 18-month lead: a hall started in
2030 opens on 2031-07-01, half-way through the 2031 year and at the start of its third quarter.
Solved by hand: the plan builds the 10 MW the demand needs at once; in the yearly form its chips,
bought at the start of 2031, wait for the opening and serve 10 kH100e for half of 2031 (5 on
average), as the quarterly form serves 0, 0, 10, 10 in 2031's quarters. Before, the yearly plan
counted the hall from 2032 and served nothing in 2031. (At $1M/MW the yearly plan builds 20 MW
and serves 10 kH100e on average in 2031 by running 20 in its second half: demand is a period's
mean, so a cheap half-year of a second hall is worth 5 x 8.76 $M against its $10M.)
"""

from __future__ import annotations

import pytest
from conftest import TEST_SOURCE, tiny_model

from twin.plan import plan, plan_data
from twin.report import to_dataset
from twin.spec import load_dict


def _spec(period: str, **over: object) -> object:
    sites = {"s1": {"lead_months": 18, "capex_musd_per_mw": 5.0}}
    return load_dict(tiny_model(sites=sites, horizon={"period": period, "years": 4}, **over))


def test_the_opening_is_half_way_through_2031_in_years_and_a_quarter_start_in_quarters():
    d = plan_data(_spec("year"))
    assert d.hall_openings == {("s1", 1): (0.5, (0,)), ("s1", 2): (0.5, (1,))}
    assert plan_data(_spec("quarter")).hall_openings == {}


def test_a_year_serves_the_half_year_after_the_opening_as_quarters_do():
    yearly = to_dataset(plan(_spec("year")))
    quarterly = to_dataset(plan(_spec("quarter")))
    served_y = yearly["allocation_h100e"].sum(("site", "tenant")).values / 1e3  # kH100e
    served_q = quarterly["allocation_h100e"].sum(("site", "tenant")).values / 1e3
    assert served_y[:3] == pytest.approx([0.0, 5.0, 10.0], abs=1e-6)
    assert served_q[4:8] == pytest.approx([0.0, 0.0, 10.0, 10.0], abs=1e-6)
    assert served_q[4:8].mean() == pytest.approx(served_y[1], abs=1e-6)  # the same compute-years
    # the chips bought at 2031's start wait for the hall: 10,000 of them, 5 MW drawn on average
    assert float(yearly["chips_waiting"].sel(period=yearly.period[1]).sum()) == pytest.approx(1e4)
    assert float(yearly["it_load_mw"].isel(period=1).sum()) == pytest.approx(5.0, abs=1e-6)
    assert float(yearly["capacity_mw"].isel(period=1).sum()) == pytest.approx(5.0, abs=1e-6)


def test_a_waiting_chip_is_paid_when_it_starts_to_run():
    """f = (1 - decline) ** 0.5 x (1 + r) ** -0.5 of its price at the period's start: the price
    falls 20% a year and money is discounted at 5% over the half year it waits."""
    chip = {"c1": {"price_decline_per_year": 0.2, "price_usd": 10000.0, "source": TEST_SOURCE}}
    d = plan_data(_spec("year", chips=chip))
    assert d.waiting_price_share["s1", "c1", 1] == pytest.approx(0.8**0.5 * 1.05**-0.5, rel=1e-12)
