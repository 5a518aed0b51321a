"""Market-wide limits on power projects (issue 17 item 4), hand-computed on the tiny model of
tests/plan/test_power_build.py: site s1 holds 10 MW of chips from 2029, worth 8.76 $M per
MW-year of power, and a gas project with lead 0 at a tenth of its break-even capex is built at
once in full (10 MW in 2030) without a limit.

- A slot rate of 4 MW a year from the horizon start: what is started in a period counts from
  its start, so the first period may take what the rate delivers by its middle, 2 MW
  (:func:`twin.plan.calendar.rate_caps`), then 4 a year: 2 MW in 2030, 4 in 2031, 4 in 2032
  (each MW as early as the slots allow); compute served 2, 6, 10 kH100e.
- A pipeline total of 6 MW: 6 MW built, 6 kH100e served every year.
- A rate at another site does not bind s1; a rate on the other technology does not either.
- A limit naming an unknown site is an input error naming the table and key.
"""

from __future__ import annotations

import pyomo.environ as pyo
import pytest
from conftest import FULL_SITE_EVENTS, TEST_SOURCE, tiny_model
from test_power_build import project

from twin.errors import TwinError
from twin.plan import plan
from twin.spec import load_dict

CAPEX = 0.1 * 8.76  # far below break-even: every MW the slots allow is built at once


def market(**over: object) -> dict:
    return {"technologies": ["gas_simple_cycle"], "source": TEST_SOURCE, **over}


def solve(markets: dict) -> tuple[list[float], list[float]]:
    """MW built and kH100e served per period."""
    data = tiny_model(
        power_sources=None,
        events=FULL_SITE_EVENTS,
        power_projects={"p1": project(capex_musd_per_mw=CAPEX)},
        power_markets=markets,
        policy={"reserve_margin": 0.0},
    )
    p = plan(load_dict(data))
    n = p.data.n_periods
    built = [sum(pyo.value(x) for (_, _, q), x in p.model.power_build.items() if q == t)
             for t in range(n)]  # fmt: skip
    served = [sum(pyo.value(x) for (_, _, q), x in p.model.alloc.items() if q == t)
              for t in range(n)]  # fmt: skip
    return built, served


def test_without_a_limit_all_is_built_at_once():
    built, served = solve({})
    assert built[0] == pytest.approx(10.0, abs=1e-6)
    assert served[:3] == pytest.approx([10.0, 10.0, 10.0], abs=1e-6)


def test_slot_rate_spreads_the_build_over_years():
    built, served = solve({"slots": market(mw_per_year=4.0)})
    assert built[:3] == pytest.approx([2.0, 4.0, 4.0], abs=1e-6)
    assert sum(built) == pytest.approx(10.0, abs=1e-6)
    assert served[:3] == pytest.approx([2.0, 6.0, 10.0], abs=1e-6)


def test_pipeline_total_caps_the_build():
    built, served = solve({"pipeline": market(total_mw=6.0)})
    assert sum(built) == pytest.approx(6.0, abs=1e-6)
    assert served == pytest.approx([6.0] * len(served), abs=1e-6)


def test_limits_elsewhere_do_not_bind():
    other_tech = market(technologies=["gas_combined_cycle"], mw_per_year=1.0)
    built, _ = solve({"cc": other_tech})
    assert built[0] == pytest.approx(10.0, abs=1e-6)


def test_unknown_site_is_an_input_error():
    data = tiny_model(power_markets={"q": market(sites=["nowhere"], mw_per_year=1.0)})
    with pytest.raises(TwinError, match=r"power_markets\.q\.sites"):
        load_dict(data)


def test_a_market_without_a_limit_is_an_input_error():
    data = tiny_model(power_markets={"q": market()})
    with pytest.raises(TwinError, match=r"power_markets\.q.*mw_per_year.*total_mw"):
        load_dict(data)
