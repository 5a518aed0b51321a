"""Power projects as decisions: analytic break-even, permits, capacity credit, CO2 cap and price.

The tiny model's site s1 holds 10 MW of chips (10 kH100e) from 2029 with no power source of its
own; one internal tenant values compute at $1/H100e-hour = 8.76 $M per MW-year of firm power
(1 kW and 1 H100e per chip, PUE 1). A project with lead 0 built in the first period runs all 8
years, paid at its start, so it pays off iff ``capex <= sum_p df_p x 8.76`` (``df_p`` mid-period,
the start's ``(1 + r) ** 0 = 1``; no salvage, no fixed cost, no reserve margin: firm capacity
is the load).
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model

from twin.plan import plan
from twin.spec import load_dict

VALUE_MUSD_PER_MW_YEAR = 8.76


def project(**over: object) -> dict:
    base = {
        "technology": "gas_simple_cycle",
        "capex_musd_per_mw": 1.0,
        "fixed_musd_per_mw_year": 0.0,
        "variable_usd_per_mwh": 0.0,
        "lead_months": 0,
        "earliest": "2020-01-01",
        "max_mw_per_site": 100.0,
        "capacity_credit": 1.0,
        "source": TEST_SOURCE,
    }
    return {**base, **over}


def solve(policy: dict | None = None, **proj: object):
    data = tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects={"p1": project(**proj)},
        policy={"reserve_margin": 0.0, **(policy or {})},
    )
    p = plan(load_dict(data))
    built = sum(pyo.value(x) for x in p.model.power_build.values())
    first = sum(pyo.value(x) for (_, _, q), x in p.model.power_build.items() if q == 0)
    return p, built, first


def break_even_capex() -> float:
    p, _, _ = solve()
    d = p.data
    assert d.t[0] == 0.0  # paid at the horizon start: undiscounted
    return sum(d.df) * VALUE_MUSD_PER_MW_YEAR


def test_builds_iff_value_exceeds_cost():
    c_star = break_even_capex()
    _, built, first = solve(capex_musd_per_mw=0.95 * c_star)
    assert first == pytest.approx(10.0, abs=1e-6)  # all 10 MW of chips powered, at once
    _, built, _ = solve(capex_musd_per_mw=1.05 * c_star)
    assert built == pytest.approx(0.0, abs=1e-6)


def test_permit_limits_the_build_and_the_compute_served():
    p, built, _ = solve(max_mw_per_site=4.0)
    assert built == pytest.approx(4.0, abs=1e-6)
    served = sum(pyo.value(x) for (_, _, q), x in p.model.alloc.items() if q == 0)
    assert served == pytest.approx(4.0, abs=1e-6)  # 4 MW of power runs 4 kH100e


def test_capacity_credit_needs_more_nameplate():
    _, built, _ = solve(capacity_credit=0.5)
    assert built == pytest.approx(20.0, abs=1e-6)  # 10 firm MW / 0.5


def test_co2_cap_and_carbon_price():
    """0.5 t/MWh at 10 MW is 43.8 kt a year; a 21.9 kt cap halves the draw; a $100/t price costs
    4.38 $M a year."""
    p, _, _ = solve(co2_t_per_mwh=0.5)
    draw0 = sum(pyo.value(x) for (_, _, q), x in p.model.power_draw.items() if q == 0)
    assert draw0 == pytest.approx(10.0, abs=1e-6)
    p, _, _ = solve(policy={"co2_cap_kt_per_year": 21.9}, co2_t_per_mwh=0.5)
    draw0 = sum(pyo.value(x) for (_, _, q), x in p.model.power_draw.items() if q == 0)
    assert draw0 == pytest.approx(5.0, abs=1e-6)
    p, _, _ = solve(policy={"carbon_usd_per_t": 100.0}, co2_t_per_mwh=0.5)
    assert pyo.value(p.model.cash["carbon", 0]) == pytest.approx(4.38, rel=1e-9)


def test_lead_time_delays_power():
    """A 36-month lead: nothing drawn in the first three yearly periods."""
    p, _, _ = solve(lead_months=36)
    early = [pyo.value(x) for (_, _, q), x in p.model.power_draw.items() if q < 3]
    assert early == []  # no draw variable exists before the first build can be online
    late = sum(pyo.value(x) for (_, _, q), x in p.model.power_draw.items() if q == 3)
    assert late == pytest.approx(10.0, abs=1e-6)
