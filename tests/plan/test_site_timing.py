"""Dated things count for the part of their period in which they exist, in yearly and quarterly
periods alike (issue 17; twin/plan/site_timing.py, chip_market.py, calendar.rate_caps). Data
only, hand-computed on the tiny model (horizon from 2030-01-01):

- a 10 MW site phase online 2030-07-01 is 6/12 x 10 = 5 MW of the 2030 year and 10 MW of the
  third quarter; one on 2030-12-01 is 1/12 x 10 = 0.8333 MW of the year and 1/3 x 10 of the
  fourth quarter;
- a chip on the market from 2030-07-01 with 100 kchips a year: an install in 2030 serves half
  of it (0.5); the vendor sells what has accrued by the middle of each period's part on sale:
  yearly 100 x 3/12 = 25 kchips in 2030, 100 x (12 - 3)/12 = 75 in 2031, then 100; quarterly
  100 x 1.5/12 = 12.5 in 2030-Q3 and 25 in every quarter after;
- a site with earliest 2030-07-01 and a 12-month lead is online from 2031-07-01: a build in the
  2030 year counts from 2032 (its first whole period), in 2030-Q1 from 2031-Q3; never before
  earliest + lead (before: from 2031 in yearly periods, half a year before it exists).
  Quarterly, a build may start in 2030-Q3 at the earliest.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model

from twin.dates import add_months
from twin.plan import plan_data
from twin.plan.calendar import calendar, rate_caps
from twin.spec import load_dict

PERIODS = ("year", "quarter")


def data(period: str, **over: object):
    base = tiny_model(**over)
    base["horizon"] = {**base["horizon"], "period": period}
    return plan_data(load_dict(base))


def phase(day: str) -> dict:
    return {
        "p": {"date": day, "kind": "site_online", "site": "s1", "mw": 10.0, "source": TEST_SOURCE}
    }


@pytest.mark.parametrize(
    ("day", "yearly", "quarter", "quarterly"),
    [("2030-07-01", 5.0, 2, 10.0), ("2030-12-01", 10.0 / 12, 3, 10.0 / 3)],
)
def test_an_event_counts_for_the_part_of_its_period_after_it(day, yearly, quarter, quarterly):
    y, q = data("year", events=phase(day)), data("quarter", events=phase(day))
    assert y.existing_mw["s1", 0] == pytest.approx(yearly, rel=1e-12)
    assert y.existing_mw["s1", 1] == pytest.approx(10.0, rel=1e-12)
    assert q.existing_mw["s1", quarter - 1] == pytest.approx(0.0, abs=1e-12)
    assert q.existing_mw["s1", quarter] == pytest.approx(quarterly, rel=1e-12)
    assert sum(q.existing_mw["s1", p] for p in range(4)) / 4 == pytest.approx(yearly, rel=1e-12)


def new_chip() -> dict:
    return {
        "c1": {"available_from": "2030-07-01", "vendor_alloc_k_per_year": 100.0, "price_usd": 1.0}
    }


def test_a_chip_serves_from_its_market_date_and_its_allocation_accrues():
    y, q = (data(p, chips=new_chip(), events=FULL_SITE_EVENTS) for p in PERIODS)
    assert y.on_sale_share == {("c1", 0): pytest.approx(0.5, rel=1e-12)}
    assert q.on_sale_share == {}  # 2030-Q3 starts on the market date
    assert [y.vendor_cap_k["c1", p] for p in range(3)] == pytest.approx([25.0, 75.0, 100.0])
    assert ("c1", 1) not in q.vendor_cap_k  # not on sale in 2030-Q2
    assert [q.vendor_cap_k["c1", p] for p in (2, 3, 4)] == pytest.approx([12.5, 25.0, 25.0])


def test_a_chip_whose_sale_ends_may_be_bought_whole_in_every_period_length():
    """On sale 2030-07-01 to 2031-06-30 at 100 kchips a year: 100 are delivered. The middle rule
    gives 25 in 2030 (3 months) and 12.5, 25, 25 in its first quarters; the flow's last period
    (2031, or 2031-Q2) takes the rest, so both plans may hold all 100 and no more."""
    chips = {"c1": {**new_chip()["c1"], "available_until": "2031-06-30"}}
    y, q = (data(p, chips=chips, events=FULL_SITE_EVENTS) for p in PERIODS)
    yearly = [y.vendor_cap_k[kp] for kp in sorted(kp for kp in y.vendor_cap_k if kp[0] == "c1")]
    quarterly = [q.vendor_cap_k[kp] for kp in sorted(kp for kp in q.vendor_cap_k if kp[0] == "c1")]
    assert yearly == pytest.approx([25.0, 75.0], rel=1e-12)
    assert quarterly == pytest.approx([12.5, 25.0, 25.0, 37.5], rel=1e-12)


def test_rate_caps_sum_to_what_the_rate_delivers_by_the_middle():
    """From mid-2030 at 4 MW a year: by the middle of 2030's part after it (2030-10) 3 months,
    1 MW; by mid-2031 a year, 4 MW (3 more); then 4 a year: by mid-2032 two years, 8 MW."""
    m = load_dict(tiny_model()).model
    caps = rate_caps(calendar(m), 4.0, dt.date(2030, 7, 1))
    assert caps[:4] == pytest.approx([1.0, 3.0, 4.0, 4.0], rel=1e-12)
    assert sum(caps[:3]) == pytest.approx(4.0 * 2.0, rel=1e-12)


@pytest.mark.parametrize("period", PERIODS)
def test_a_hall_never_serves_before_earliest_plus_lead(period):
    sites = {"s1": {"earliest": "2030-07-01", "lead_months": 12}}
    d = data(period, sites=sites)
    on = dt.date(2031, 7, 1)
    for s, q in d.build_idx:
        first = d.periods[d.online_period(s, q)]
        assert first >= on
        if period == "quarter":  # quarters start on month 1, 4, 7, 10: always whole
            assert first == max(on, add_months(d.periods[q], 12))
    q0 = min(q for _, q in d.build_idx)  # the 2030 year; 2030-Q3, the first quarter it may
    assert d.periods[d.online_period("s1", q0)] == (dt.date(2032, 1, 1) if period == "year" else on)
